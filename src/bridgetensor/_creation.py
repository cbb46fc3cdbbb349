"""Creating tensors: tensor, as_tensor, asarray, zeros, ones, full, arange, linspace, eye, ...

`tensor(data)` always copies, as in torch; `as_tensor`/`asarray` share memory with an
array of the right dtype on the right device.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _dtypes
from ._backend import backend_for_device, backend_of_array
from .autograd import _primitive

__all__ = [
    "arange",
    "as_tensor",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "legacy_tensor_data",
    "linspace",
    "logspace",
    "ones",
    "ones_like",
    "tensor",
    "zeros",
    "zeros_like",
]


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def _finish(array, backend, requires_grad: bool):
    t = _primitive._wrap(array, backend, None)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_numpy(data) -> np.ndarray:
    """`data` as a NumPy array with torch's dtype inference (Python floats: default dtype)."""
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    if _is_tensor(data):
        from ._interop import host_array

        return host_array(data._data, data._be)
    if isinstance(data, (list, tuple)):
        if not _holds_arrays(data):
            array = np.asarray(data)
            if array.dtype == object:
                raise TypeError(f"Could not infer dtype of {type(data[0]).__name__}")
            return _default_float(array, data)
        items = [_infer_numpy(item) for item in data]
        _check_ragged(items)
        result = _dtypes.from_numpy_dtype(items[0].dtype)
        for item in items[1:]:
            result = _dtypes.promote_types(result, _dtypes.from_numpy_dtype(item.dtype))
        return np.stack([item.astype(_dtypes.to_numpy_dtype(result)) for item in items])
    if isinstance(data, bool):
        return np.asarray(data)
    if isinstance(data, numbers.Integral):
        return np.asarray(int(data), dtype=np.int64)
    if isinstance(data, numbers.Real):
        return np.asarray(float(data), dtype=_dtypes.to_numpy_dtype(_dtypes.get_default_dtype()))
    if isinstance(data, numbers.Complex):
        default = _dtypes._default["complex"]
        return np.asarray(complex(data), dtype=_dtypes.to_numpy_dtype(default))
    if hasattr(data, "__array__") or hasattr(data, "__dlpack__"):
        return np.asarray(data)
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _holds_arrays(data) -> bool:
    """Whether nested sequences hold tensors or arrays (which bring their own dtypes)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif _is_tensor(item) or isinstance(item, np.ndarray):
            return True
    return False


def _check_ragged(items) -> None:
    shapes = {item.shape for item in items}
    if len(shapes) > 1:
        first = items[0].shape
        bad = next(item.shape for item in items if item.shape != first)
        raise ValueError(
            f"expected sequence of length {first[0] if first else 0} at dim 1 "
            f"(got {bad[0] if bad else 0})"
        )


def _default_float(array: np.ndarray, data) -> np.ndarray:
    """NumPy infers float64 for Python floats; torch uses the default dtype."""
    if array.dtype.kind == "f" and array.dtype == np.float64 and _only_python_numbers(data):
        return array.astype(_dtypes.to_numpy_dtype(_dtypes.get_default_dtype()))
    if array.dtype.kind == "c" and _only_python_numbers(data):
        return array.astype(_dtypes.to_numpy_dtype(_dtypes._default["complex"]))
    if array.dtype.kind == "i" and array.dtype != np.int64:
        return array.astype(np.int64)
    return array


def _only_python_numbers(data) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, np.generic):
            return False
    return True


def _to_backend(array: np.ndarray, backend, device, copy: bool):
    """A host NumPy array as an array of `backend`; copies when asked or when it must."""
    if backend.is_numpy:
        return array.copy() if copy else array
    native = backend.native_device(device)
    kwargs = {} if native is None else {"device": native}
    return (
        backend.xp.asarray(array, copy=True, **kwargs)
        if copy
        else backend.xp.asarray(array, **kwargs)
    )


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of `data` (nested lists, numbers, arrays, tensors).

    >>> import bridgetensor as bt
    >>> bt.tensor([[1, 2], [3, 4]]).dtype, bt.tensor([1.5]).dtype
    (bridgetensor.int64, bridgetensor.float32)
    """
    if _is_tensor(data) and device is None:
        device = data.device
    backend, dev = backend_for_device(device)
    if _is_tensor(data) and data._be is backend:
        array = backend.xp.asarray(data._data, copy=True)
    elif backend_is_native(data, backend):
        array = backend.xp.asarray(data, copy=True)
    else:
        host = _infer_numpy(data)
        if not host.dtype.isnative:
            host = host.astype(host.dtype.newbyteorder("="))
        array = _to_backend(host, backend, dev, copy=True)
    if dtype is not None:
        array = _cast(array, backend, dtype)
    return _finish(array, backend, requires_grad)


def backend_is_native(data, backend) -> bool:
    return not backend.is_numpy and type(data) is backend.array_type


def _cast(array, backend, dtype):
    native = backend.native[dtype]
    return array if array.dtype == native else backend.xp.astype(array, native)


def as_tensor(data, dtype=None, device=None):
    """`data` as a tensor, sharing memory when it already is an array of that dtype.

    >>> import numpy as np, bridgetensor as bt
    >>> a = np.ones(2); np.shares_memory(bt.as_tensor(a).numpy(), a)
    True
    """
    return asarray(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """`obj` as a tensor, sharing memory whenever it can (``copy=False`` insists).

    >>> import bridgetensor as bt
    >>> bt.asarray([1.0, 2.0])
    tensor([1., 2.])
    """
    if _is_tensor(obj):
        result = obj
        if device is not None:
            from ._interop import to_device

            result = to_device(result, device)
        if dtype is not None and dtype is not result.dtype:
            if copy is False:
                raise ValueError("asarray: changing the dtype needs a copy, but copy=False")
            from . import ops

            result = ops.astype(result, dtype=dtype)
        elif copy:
            from . import ops

            result = ops.clone(result)
        if requires_grad:
            result.requires_grad_(True)
        return result
    backend, dev = backend_for_device(device)
    if _has_buffer(obj):
        # As torch: a buffer is raw bytes read as `dtype` (default: the default float dtype),
        # whatever format the exporter declares.
        host = np.frombuffer(
            obj, dtype=_dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype())
        )
    elif isinstance(obj, np.ndarray):
        host = obj
    elif hasattr(obj, "__array_namespace__") or hasattr(obj, "__dlpack__"):
        source = backend_of_array(obj)
        array = obj
        if source is not backend:
            from .ops.transfer import transfer

            return transfer(_primitive._wrap(obj, source, None), backend=backend, device=dev)
        if dtype is not None:
            array = _cast(array, backend, dtype)
        return _finish(array, backend, requires_grad)
    else:
        host = _infer_numpy(obj)
    if not host.dtype.isnative:
        if copy is False:
            raise ValueError("asarray: non-native byte order needs a copy, but copy=False")
        host = host.astype(host.dtype.newbyteorder("="))
    array = _to_backend(host, backend, dev, copy=bool(copy))
    if dtype is not None:
        native = backend.native[dtype]
        if array.dtype != native:
            if copy is False:
                raise ValueError("asarray: changing the dtype needs a copy, but copy=False")
            array = backend.xp.astype(array, native)
    return _finish(array, backend, requires_grad)


def _has_buffer(obj) -> bool:
    if isinstance(obj, (np.ndarray, np.generic, list, tuple, str)) or _is_tensor(obj):
        return False
    try:
        memoryview(obj)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------- filled tensors


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    if len(size) == 1 and _is_tensor(size[0]) and size[0].ndim == 1:
        size = size[0].tolist()
    shape = tuple(int(n) for n in size)
    for n in shape:
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape


def _make(fill, size, dtype, device, requires_grad):
    backend, dev = backend_for_device(device)
    dtype = dtype or _dtypes.get_default_dtype()
    native = backend.native[dtype]
    kwargs = {"dtype": native}
    native_dev = backend.native_device(dev)
    if native_dev is not None:
        kwargs["device"] = native_dev
    array = fill(backend.xp, size, kwargs)
    return _finish(array, backend, requires_grad)


def zeros(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of zeros.

    >>> import bridgetensor as bt
    >>> bt.zeros(2, 3).shape
    bridgetensor.Size([2, 3])
    """
    return _make(lambda xp, s, kw: xp.zeros(s, **kw), _size(size), dtype, device, requires_grad)


def ones(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of ones.

    >>> import bridgetensor as bt
    >>> bt.ones(2)
    tensor([1., 1.])
    """
    return _make(lambda xp, s, kw: xp.ones(s, **kw), _size(size), dtype, device, requires_grad)


def empty(
    *size,
    out=None,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
    memory_format=None,
    pin_memory=False,
):
    """An uninitialised tensor.

    >>> import bridgetensor as bt
    >>> bt.empty(2, 2).shape
    bridgetensor.Size([2, 2])
    """
    return _make(lambda xp, s, kw: xp.empty(s, **kw), _size(size), dtype, device, requires_grad)


def _fill_dtype(fill_value):
    if isinstance(fill_value, bool):
        return _dtypes.bool
    if isinstance(fill_value, numbers.Integral):
        return _dtypes.int64
    if isinstance(fill_value, complex):
        return _dtypes._default["complex"]
    return _dtypes.get_default_dtype()


def full(size, fill_value, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor filled with `fill_value`; its dtype follows the value as in torch.

    >>> import bridgetensor as bt
    >>> bt.full((2,), 7)
    tensor([7, 7])
    """
    if _is_tensor(fill_value):
        fill_value = fill_value.item()
    dtype = dtype or _fill_dtype(fill_value)
    return _make(
        lambda xp, s, kw: xp.full(s, fill_value, **kw),
        _size((size,)),
        dtype,
        device,
        requires_grad,
    )


def _like(fill, input, dtype, device, requires_grad):
    return fill(
        *input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def zeros_like(
    input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None
):
    """Zeros shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.zeros_like(bt.ones(2, dtype=bt.int64))
    tensor([0, 0])
    """
    return _like(zeros, input, dtype, device, requires_grad)


def ones_like(
    input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None
):
    """Ones shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.ones_like(bt.zeros(2))
    tensor([1., 1.])
    """
    return _like(ones, input, dtype, device, requires_grad)


def empty_like(
    input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None
):
    """An uninitialised tensor shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.empty_like(bt.zeros(3)).shape
    bridgetensor.Size([3])
    """
    return _like(empty, input, dtype, device, requires_grad)


def full_like(
    input,
    fill_value,
    *,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
    memory_format=None,
):
    """A tensor shaped like `input`, filled with `fill_value` in input's dtype.

    >>> import bridgetensor as bt
    >>> bt.full_like(bt.zeros(2), 3)
    tensor([3., 3.])
    """
    return full(
        tuple(input.shape),
        fill_value,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


# ---------------------------------------------------------------- ranges


def _number(value):
    return value.item() if _is_tensor(value) else value


def arange(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
):
    """Values from `start` up to (not including) `end` by `step`.

    >>> import bridgetensor as bt
    >>> bt.arange(5)
    tensor([0, 1, 2, 3, 4])
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = _dtypes.get_default_dtype() if is_float else _dtypes.int64
    count = math.ceil((end - start) / step)
    backend, dev = backend_for_device(device)
    if dtype.is_floating_point:
        # torch computes start + i * step in double precision, then casts.
        host = (start + np.arange(count, dtype=np.float64) * step).astype(
            _dtypes.to_numpy_dtype(dtype)
        )
    else:
        host = np.arange(start, start + count * step, step, dtype=_dtypes.to_numpy_dtype(dtype))
    return _finish(_to_backend(host, backend, dev, copy=False), backend, requires_grad)


def linspace(
    start, end, steps, *, out=None, dtype=None, device=None, requires_grad=False, layout=None
):
    """`steps` evenly spaced values from `start` to `end`, both included.

    >>> import bridgetensor as bt
    >>> bt.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    start, end = _number(start), _number(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or _dtypes.get_default_dtype()
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    compute = np_dtype if dtype.is_floating_point or dtype.is_complex else np.float64
    # torch fills the first half forwards from start and the second half backwards from
    # end, so both endpoints are exact; NumPy's formula rounds differently.
    index = np.arange(steps)
    step = (np.asarray(end, compute) - np.asarray(start, compute)) / max(steps - 1, 1)
    half = steps // 2
    host = np.where(
        index < half,
        np.asarray(start, compute) + step * index.astype(compute),
        np.asarray(end, compute) - step * (steps - index - 1).astype(compute),
    ).astype(np_dtype)
    backend, dev = backend_for_device(device)
    return _finish(_to_backend(host, backend, dev, copy=False), backend, requires_grad)


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
):
    """`steps` values from base**start to base**end, evenly spaced in the exponent.

    >>> import bridgetensor as bt
    >>> bt.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    exponents = linspace(start, end, steps, dtype=_dtypes.float64).numpy()
    dtype = dtype or _dtypes.get_default_dtype()
    host = np.power(float(base), exponents).astype(_dtypes.to_numpy_dtype(dtype))
    backend, dev = backend_for_device(device)
    return _finish(_to_backend(host, backend, dev, copy=False), backend, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """The identity matrix (n x m).

    >>> import bridgetensor as bt
    >>> bt.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    m = n if m is None else m
    return _make(lambda xp, s, kw: xp.eye(n, m, **kw), (n, m), dtype, device, requires_grad)


# ---------------------------------------------------------------- Tensor(...)


def legacy_tensor_data(args, device):
    """torch's legacy ``Tensor(*sizes)`` / ``Tensor(data)``: float32 data on a backend."""
    backend, dev = backend_for_device(device)
    float32 = backend.native[_dtypes.float32]
    if not args:
        return backend.xp.empty((0,), dtype=float32), backend
    if len(args) == 1 and not isinstance(args[0], numbers.Integral):
        host = _infer_numpy(args[0]).astype(np.float32)
        return _to_backend(host, backend, dev, copy=True), backend
    return backend.xp.empty(_size(args), dtype=float32), backend
