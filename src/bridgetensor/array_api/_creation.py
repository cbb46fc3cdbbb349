"""The standard's creation functions, with its names and defaults, over bridgetensor's.

Differences from the torch face: shapes are one argument (``zeros((2, 3))``), `arange`
gives an empty array where the step points away from `stop` (torch refuses), `eye`
takes a diagonal offset `k`, `linspace` takes `endpoint`, and the ``*_like`` functions
keep the input's device.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .. import _creation, _dtypes, ops
from .._backend import backend_for_device
from ..autograd import _primitive
from ._promotion import as_operand

__all__ = [
    "arange",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "full",
    "full_like",
    "linspace",
    "meshgrid",
    "ones",
    "ones_like",
    "tril",
    "triu",
    "zeros",
    "zeros_like",
]


def _shape(shape, name: str) -> tuple:
    if isinstance(shape, int) or hasattr(shape, "__index__"):
        shape = (operator.index(shape),)
    try:
        shape = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(f"{name}: shape must be an int or a tuple of ints; got {shape!r}") from None
    for n in shape:
        if n < 0:
            raise ValueError(f"{name}: shape must not be negative; got {shape}")
    return shape


def _filled(fill, shape, dtype, device):
    """A new array of `shape` from ``fill(xp, shape, kwargs)`` on the backend of `device`."""
    backend, dev = backend_for_device(device)
    kwargs = {"dtype": backend.native[dtype]}
    native = backend.native_device(dev)
    if native is not None:
        kwargs["device"] = native
    return _primitive._wrap(fill(backend.xp, shape, kwargs), backend, None)


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    """`obj` (an array, nested sequences of Python scalars, a buffer, a DLPack producer)
    as an array, sharing memory unless a copy is asked for or needed.

    >>> import bridgetensor.array_api as xp
    >>> xp.asarray([[1, 2], [3, 4]], dtype=xp.float64)
    tensor([[1., 2.],
            [3., 4.]], dtype=bridgetensor.float64)
    """
    try:
        return _creation.asarray(obj, dtype=dtype, device=device, copy=copy)
    except OverflowError:
        if dtype is None or copy is False or not isinstance(obj, (list, tuple, int)):
            raise
        # Python ints beyond int64 (uint64's upper half): NumPy converts them exactly.
        host = np.asarray(obj, dtype=_dtypes.to_numpy_dtype(dtype))
        return _creation.asarray(host, dtype=dtype, device=device)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    """Evenly spaced values in [start, stop); empty when `step` points away from `stop`.

    >>> import bridgetensor.array_api as xp
    >>> xp.arange(1, 7, 2)
    tensor([1, 3, 5])
    """
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    if dtype is None:
        floating = any(isinstance(v, float) for v in (start, stop, step))
        dtype = _dtypes.get_default_dtype() if floating else _dtypes.int64
    if math.ceil((stop - start) / step) <= 0:
        return _filled(lambda xp, s, kw: xp.empty(s, **kw), (0,), dtype, device)
    return _creation.arange(start, stop, step, dtype=dtype, device=device)


def empty(shape, *, dtype=None, device=None):
    """An uninitialised array.

    >>> import bridgetensor.array_api as xp
    >>> xp.empty((2, 3)).shape
    bridgetensor.Size([2, 3])
    """
    shape = _shape(shape, "empty")
    dtype = dtype or _dtypes.get_default_dtype()
    return _filled(lambda xp, s, kw: xp.empty(s, **kw), shape, dtype, device)


def zeros(shape, *, dtype=None, device=None):
    """An array of zeros.

    >>> import bridgetensor.array_api as xp
    >>> xp.zeros(2, dtype=xp.int32)
    tensor([0, 0], dtype=bridgetensor.int32)
    """
    shape = _shape(shape, "zeros")
    dtype = dtype or _dtypes.get_default_dtype()
    return _filled(lambda xp, s, kw: xp.zeros(s, **kw), shape, dtype, device)


def ones(shape, *, dtype=None, device=None):
    """An array of ones.

    >>> import bridgetensor.array_api as xp
    >>> xp.ones((2,))
    tensor([1., 1.])
    """
    shape = _shape(shape, "ones")
    dtype = dtype or _dtypes.get_default_dtype()
    return _filled(lambda xp, s, kw: xp.ones(s, **kw), shape, dtype, device)


def _fill_dtype(value):
    if isinstance(value, bool):
        return _dtypes.bool
    if isinstance(value, int):
        return _dtypes.int64
    if isinstance(value, complex):
        return _dtypes._default["complex"]
    return _dtypes.get_default_dtype()


def _fill_value(value, dtype):
    if _primitive.Tensor is not None and isinstance(value, _primitive.Tensor):
        value = value.item()
    return _dtypes.scalar_as(value, dtype)


def full(shape, fill_value, *, dtype=None, device=None):
    """An array filled with `fill_value` (its dtype follows the value by default).

    >>> import bridgetensor.array_api as xp
    >>> xp.full((2,), 7)
    tensor([7, 7])
    """
    shape = _shape(shape, "full")
    dtype = dtype or _fill_dtype(fill_value)
    value = _fill_value(fill_value, dtype)
    return _filled(lambda xp, s, kw: xp.full(s, value, **kw), shape, dtype, device)


def _like(x, dtype, device):
    x = as_operand(x)
    return tuple(x.shape), dtype or x.dtype, x.device if device is None else device


def empty_like(x, /, *, dtype=None, device=None):
    """An uninitialised array shaped like `x` (its dtype and device by default).

    >>> import bridgetensor.array_api as xp
    >>> xp.empty_like(xp.zeros(3)).shape
    bridgetensor.Size([3])
    """
    shape, dtype, device = _like(x, dtype, device)
    return empty(shape, dtype=dtype, device=device)


def zeros_like(x, /, *, dtype=None, device=None):
    """Zeros shaped like `x`.

    >>> import bridgetensor.array_api as xp
    >>> xp.zeros_like(xp.asarray([1, 2]))
    tensor([0, 0])
    """
    shape, dtype, device = _like(x, dtype, device)
    return zeros(shape, dtype=dtype, device=device)


def ones_like(x, /, *, dtype=None, device=None):
    """Ones shaped like `x`.

    >>> import bridgetensor.array_api as xp
    >>> xp.ones_like(xp.asarray([1, 2]))
    tensor([1, 1])
    """
    shape, dtype, device = _like(x, dtype, device)
    return ones(shape, dtype=dtype, device=device)


def full_like(x, /, fill_value, *, dtype=None, device=None):
    """An array shaped like `x` filled with `fill_value`, in x's dtype by default.

    >>> import bridgetensor.array_api as xp
    >>> xp.full_like(xp.asarray([1.0, 2.0]), 3)
    tensor([3., 3.])
    """
    shape, dtype, device = _like(x, dtype, device)
    return full(shape, fill_value, dtype=dtype, device=device)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    """Ones on the `k`-th diagonal, zeros elsewhere.

    >>> import bridgetensor.array_api as xp
    >>> xp.eye(2, 3, k=1)
    tensor([[0., 1., 0.],
            [0., 0., 1.]])
    """
    n_cols = n_rows if n_cols is None else n_cols
    shape = _shape((n_rows, n_cols), "eye")
    dtype = dtype or _dtypes.get_default_dtype()
    return _filled(lambda xp, s, kw: xp.eye(s[0], s[1], k=k, **kw), shape, dtype, device)


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True):
    """`num` evenly spaced values from `start` to `stop` (included unless not `endpoint`).

    >>> import bridgetensor.array_api as xp
    >>> xp.linspace(0, 1, 4, endpoint=False)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if num < 0:
        raise ValueError(f"linspace: num must not be negative; got {num}")
    if dtype is None:
        complex_ends = isinstance(start, complex) or isinstance(stop, complex)
        dtype = _dtypes._default["complex"] if complex_ends else _dtypes.get_default_dtype()
    if endpoint or num == 0:
        return _creation.linspace(start, stop, num, dtype=dtype, device=device)
    values = _creation.linspace(start, stop, num + 1, dtype=dtype, device=device)
    return ops.getitem(values, key=(slice(0, num),))


def from_dlpack(x, /, *, device=None, copy=None):
    """An array sharing memory with a DLPack producer (NumPy, PyTorch, CuPy, JAX, ...).

    >>> import numpy as np, bridgetensor.array_api as xp
    >>> xp.from_dlpack(np.arange(3))
    tensor([0, 1, 2])
    """
    from .._interop import from_dlpack as bridge

    return bridge(x, device=device, copy=copy)


def meshgrid(*arrays, indexing="xy"):
    """Coordinate grids from 1-d arrays (``indexing="xy"``: the first two axes swapped).

    >>> import bridgetensor.array_api as xp
    >>> [g.shape for g in xp.meshgrid(xp.zeros(2), xp.zeros(3))]
    [bridgetensor.Size([3, 2]), bridgetensor.Size([3, 2])]
    """
    return ops.meshgrid(*(as_operand(a) for a in arrays), indexing=indexing)


def tril(x, /, *, k=0):
    """The lower triangle of the matrices on the last two axes (below diagonal `k`).

    >>> import bridgetensor.array_api as xp
    >>> xp.tril(xp.ones((2, 2)))
    tensor([[1., 0.],
            [1., 1.]])
    """
    return ops.tril(as_operand(x), k=k)


def triu(x, /, *, k=0):
    """The upper triangle of the matrices on the last two axes (above diagonal `k`).

    >>> import bridgetensor.array_api as xp
    >>> xp.triu(xp.ones((2, 2)))
    tensor([[1., 1.],
            [0., 1.]])
    """
    return ops.triu(as_operand(x), k=k)
