"""Creating tensors: tensor, as_tensor, asarray, zeros, ones, full, arange, linspace, eye, ...

`tensor(data)` always copies, as in torch; `as_tensor`/`asarray` share memory with an
array of the right dtype on the right backend. Dtype inference and value conversion
follow torch (see `_creation_data`); the ranges reproduce torch's kernels bit for bit
(see `_creation_ranges`).
"""

from __future__ import annotations

import numbers
import operator

import numpy as np

from . import _dtypes
from ._backend import backend_for_device, backend_of_array
from ._creation_data import check_numpy_dtype, host_data
from ._creation_ranges import arange, linspace, logspace
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


def _check_requires_grad(dtype) -> None:
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _finish(array, backend, requires_grad: bool):
    t = _primitive._wrap(array, backend, None)
    if requires_grad:
        _check_requires_grad(t.dtype)
        t._requires_grad = True
    return t


def _to_backend(array: np.ndarray, backend, device, copy: bool):
    """A host NumPy array as an array of `backend`; copies when asked or when it must."""
    return backend.from_host(array, device, copy=copy)


def _cast(array, backend, dtype):
    native = backend.native[dtype]
    return array if array.dtype == native else backend.xp.astype(array, native)


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
    elif not backend.is_numpy and type(data) is backend.array_type:
        array = backend.xp.asarray(data, copy=True)
    else:
        host = host_data(data, dtype)
        shared = host is data or (_is_tensor(data) and np.may_share_memory(host, data._data))
        array = _to_backend(host, backend, dev, copy=shared or not backend.is_numpy)
    if dtype is not None:
        array = _cast(array, backend, dtype)
    return _finish(array, backend, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """`data` as a tensor, sharing memory when it already is an array of that dtype.

    >>> import numpy as np, bridgetensor as bt
    >>> a = np.ones(2); np.shares_memory(bt.as_tensor(a).numpy(), a)
    True
    """
    return asarray(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """`obj` as a tensor, sharing memory whenever it can (``copy=False`` insists).

    Shares with tensors, NumPy arrays, DLPack producers and buffer objects (bytes,
    bytearray, memoryview, array.array, mmap: read as raw `dtype` values, as torch does).

    >>> import bridgetensor as bt
    >>> bt.asarray([1.0, 2.0])
    tensor([1., 2.])
    """
    if _is_tensor(obj):
        result = _tensor_as(obj, dtype, device, copy)
    else:
        backend, dev = backend_for_device(device)
        result = _array_as(obj, backend, dev, dtype, copy)
    if requires_grad:
        _check_requires_grad(result.dtype)
        result.requires_grad_(True)
    return result


def _tensor_as(t, dtype, device, copy):
    from . import ops

    result = t
    if device is not None:
        from ._interop import to_device

        moved = to_device(result, device)
        if moved is not result and copy is False:
            raise ValueError(
                f"can't alias tensor from device '{t.device}' to device '{moved.device}'."
            )
        result = moved
    if dtype is not None and dtype is not result.dtype:
        if copy is False:
            raise ValueError(
                f"can't alias tensor with dtype '{_legacy_name(result.dtype)}' into dtype "
                f"'{_legacy_name(dtype)}'."
            )
        return ops.astype(result, dtype=dtype)
    if copy and result is t:
        return ops.clone(result)
    return result


def _legacy_name(d) -> str:
    from .autograd._primitive import _dtypes_name

    return _dtypes_name(d)


def _array_as(obj, backend, dev, dtype, copy):
    if isinstance(obj, np.ndarray):
        host = obj
    elif _has_buffer(obj):
        from ._interop import frombuffer

        source = frombuffer(obj, dtype=dtype or _dtypes.get_default_dtype())
        host = source._data
    elif hasattr(obj, "__dlpack__") and not isinstance(obj, np.generic):
        return _dlpack_as(obj, backend, dev, dtype, copy)
    elif _backend_array(obj) is not None:  # Dask arrays: no DLPack, wrapped as they are
        t = _primitive._wrap(obj, _backend_array(obj), None)
        return _tensor_as(t, dtype, dev, copy)
    elif hasattr(obj, "__array_interface__") or hasattr(obj, "__array_struct__"):
        host = np.asarray(obj)
    else:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        return tensor(obj, dtype=dtype, device=dev if dev is not None else None)
    check_numpy_dtype(host.dtype)
    if not host.dtype.isnative:
        if copy is False:
            raise ValueError(
                "given numpy array has byte order different from the native byte order; "
                "sharing it needs native order, but copy=False"
            )
        host = host.astype(host.dtype.newbyteorder("="))
    array = _to_backend(host, backend, dev, copy=bool(copy))
    if dtype is not None:
        native = backend.native[dtype]
        if array.dtype != native:
            if copy is False:
                raise ValueError(
                    f"can't alias tensor with dtype '{_legacy_name(backend.dtype_of(array))}' "
                    f"into dtype '{_legacy_name(dtype)}'."
                )
            array = backend.xp.astype(array, native)
    return _primitive._wrap(array, backend, None)


def _dlpack_as(obj, backend, dev, dtype, copy):
    try:
        source = backend_of_array(obj)
    except TypeError:
        source = None
    if source is backend:
        t = _primitive._wrap(obj, backend, None)
    else:
        from ._interop import from_dlpack

        t = from_dlpack(obj)
    return _tensor_as(t, dtype, dev, copy)


def _backend_array(obj):
    """The backend whose arrays `obj` is, or None."""
    if isinstance(obj, (list, tuple, str, int, float, complex)):
        return None
    try:
        return backend_of_array(obj)
    except TypeError:
        return None


def _has_buffer(obj) -> bool:
    if isinstance(obj, (np.ndarray, np.generic, list, tuple, str)) or _is_tensor(obj):
        return False
    try:
        memoryview(obj)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------- filled tensors


def _size(size, name: str) -> tuple:
    """A shape from ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(Size)``, torch's errors."""
    if len(size) == 1 and not isinstance(size[0], (tuple, list)):
        try:
            return _nonnegative((_int_size(size[0]),), name)
        except TypeError:
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                f"not {type(size[0]).__name__}"
            ) from None
    if len(size) == 1:
        size = size[0]
    shape = []
    for position, n in enumerate(size, 1):
        try:
            shape.append(_int_size(n))
        except TypeError:
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {position} with "
                f'error "type must be tuple of ints,but got {type(n).__name__}"'
            ) from None
    return _nonnegative(tuple(shape), name)


def _int_size(n) -> int:
    if _is_tensor(n) and n.ndim == 0 and n.dtype.category == _dtypes.INTEGER:
        return int(n.item())
    if _is_tensor(n):
        raise TypeError
    return operator.index(n)


def _nonnegative(shape: tuple, name: str) -> tuple:
    for n in shape:
        if n < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape


def _make(fill, shape, dtype, device, requires_grad):
    backend, dev = backend_for_device(device)
    dtype = dtype or _dtypes.get_default_dtype()
    kwargs = {"dtype": backend.native[dtype]}
    native_dev = backend.native_device(dev)
    if native_dev is not None:
        kwargs["device"] = native_dev
    return _finish(fill(backend.xp, shape, kwargs), backend, requires_grad)


def zeros(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of zeros.

    >>> import bridgetensor as bt
    >>> bt.zeros(2, 3).shape
    bridgetensor.Size([2, 3])
    """
    shape = _size(size, "zeros")
    return _make(lambda xp, s, kw: xp.zeros(s, **kw), shape, dtype, device, requires_grad)


def ones(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of ones.

    >>> import bridgetensor as bt
    >>> bt.ones(2)
    tensor([1., 1.])
    """
    shape = _size(size, "ones")
    return _make(lambda xp, s, kw: xp.ones(s, **kw), shape, dtype, device, requires_grad)


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
    shape = _size(size, "empty")
    return _make(lambda xp, s, kw: xp.empty(s, **kw), shape, dtype, device, requires_grad)


def _fill_dtype(fill_value):
    if isinstance(fill_value, (bool, np.bool_)):
        return _dtypes.bool
    if isinstance(fill_value, numbers.Integral):
        return _dtypes.int64
    if isinstance(fill_value, numbers.Complex) and not isinstance(fill_value, numbers.Real):
        return _dtypes._default["complex"]
    return _dtypes.get_default_dtype()


def full(size, fill_value, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor filled with `fill_value`; its dtype follows the value as in torch.

    >>> import bridgetensor as bt
    >>> bt.full((2,), 7)
    tensor([7, 7])
    """
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    if _is_tensor(fill_value) or isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    dtype = dtype or _fill_dtype(fill_value)
    value = _dtypes.scalar_as(fill_value, dtype)
    return _make(
        lambda xp, s, kw: xp.full(s, value, **kw), _size((size,), "full"), dtype, device,
        requires_grad,
    )  # fmt: skip


def _like(fill, name, input, dtype, device, requires_grad, *extra):
    if not _is_tensor(input):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    return fill(
        tuple(input.shape),
        *extra,
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
    return _like(zeros, "zeros_like", input, dtype, device, requires_grad)


def ones_like(
    input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None
):
    """Ones shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.ones_like(bt.zeros(2))
    tensor([1., 1.])
    """
    return _like(ones, "ones_like", input, dtype, device, requires_grad)


def empty_like(
    input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None
):
    """An uninitialised tensor shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.empty_like(bt.zeros(3)).shape
    bridgetensor.Size([3])
    """
    return _like(empty, "empty_like", input, dtype, device, requires_grad)


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
    return _like(full, "full_like", input, dtype, device, requires_grad, fill_value)


def _number(value):
    if _is_tensor(value) or isinstance(value, np.generic):
        return value.item()
    return value


def _dimension(value, name: str, position: int) -> int:
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"eye(): argument '{name}' (position {position}) must be int, "
            f"not {type(value).__name__}"
        )
    if value < 0:
        raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return int(value)


def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """The identity matrix (n x m).

    >>> import bridgetensor as bt
    >>> bt.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    n = _dimension(n, "n", 1)
    m = n if m is None else _dimension(m, "m", 2)
    return _make(lambda xp, s, kw: xp.eye(n, m, **kw), (n, m), dtype, device, requires_grad)


# ---------------------------------------------------------------- Tensor(...)


def legacy_tensor_data(args, device):
    """torch's legacy ``Tensor(*sizes)`` / ``Tensor(data)`` / ``Tensor(tensor)``.

    Returns the array and backend for the new tensor: float32 data, uninitialised for
    sizes, copied for data, shared (with its dtype) for a tensor.
    """
    backend, dev = backend_for_device(device)
    float32 = backend.native[_dtypes.float32]
    if not args:
        return backend.xp.empty((0,), dtype=float32), backend
    if len(args) == 1:
        data = args[0]
        if _is_tensor(data):
            return data._data, data._be
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        is_size = type(data).__name__ == "Size"
        if isinstance(data, (list, tuple, np.ndarray)) and not is_size:
            host = host_data(data, _dtypes.float32)
            return _to_backend(host, backend, dev, copy=host is data), backend
        if not (is_size or isinstance(data, numbers.Integral)):
            raise TypeError(f"new(): data must be a sequence (got {_type_name(data)})")
    shape = tuple(args[0]) if type(args[0]).__name__ == "Size" else args
    shape = tuple(operator.index(n) for n in shape)
    for n in shape:
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return backend.xp.empty(shape, dtype=float32), backend


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
