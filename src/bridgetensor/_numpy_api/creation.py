"""NumPy's *_like constructors, copies and casts, shape queries, and the elementwise
functions that are not ufuncs: where, clip, round, nan_to_num, isclose, copyto, ..."""

from __future__ import annotations

import numpy as np

from .. import ops
from .._torch_api import math_compare
from ..autograd import _primitive as _prim
from ._core import (
    NOVALUE,
    Unsupported,
    as_tensor,
    cast,
    check_backend,
    common,
    finish,
    implements,
)

__all__: list = []


def _new(a, name, dtype, shape, fill):
    x = as_tensor(a, name)
    dtype = x._data.dtype if dtype is None else np.dtype(dtype)
    if dtype.kind not in "biufc":
        raise Unsupported(f"dtype={dtype}")
    shape = tuple(x.shape) if shape is None else ((shape,) if isinstance(shape, int) else shape)
    return _prim.Tensor._wrap_array(np.full(shape, fill, dtype=dtype))


@implements(np.zeros_like, np.empty_like)
def _zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _new(a, "np.zeros_like", dtype, shape, 0)


@implements(np.ones_like)
def _ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _new(a, "np.ones_like", dtype, shape, 1)


@implements(np.full_like)
def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    if isinstance(fill_value, _prim.Tensor):
        template = _new(a, "np.full_like", dtype, shape, 0)
        # NumPy casts the fill value unsafely into the array's dtype.
        value = cast(fill_value, template._data.dtype)
        return ops.clone(ops.broadcast_to(value, shape=tuple(template.shape)))
    return _new(a, "np.full_like", dtype, shape, fill_value)


@implements(np.copy)
def _copy(a, order="K", subok=False):
    return ops.clone(as_tensor(a, "np.copy"))


@implements(np.astype)
def _astype(x, dtype, /, *, copy=True, device=None):
    t = as_tensor(x, "np.astype")
    result = cast(t, np.dtype(dtype))
    return ops.clone(result) if copy and result is t else result


@implements(np.shape)
def _shape(a):
    return tuple(as_tensor(a, "np.shape")._data.shape)


@implements(np.ndim)
def _ndim(a):
    return as_tensor(a, "np.ndim")._data.ndim


@implements(np.size)
def _size(a, axis=None):
    data = as_tensor(a, "np.size")._data
    return data.size if axis is None else data.shape[axis]


@implements(np.where)
def _where(condition, x=None, y=None, /):
    if x is None and y is None:
        raise Unsupported(None)  # np.nonzero: indices, NumPy computes them
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    mask = as_tensor(condition, "np.where", np.dtype(bool))
    x, y = common([x, y], "np.where")
    return ops.where(mask, x, y)


@implements(np.clip)
def _clip(a, a_min=NOVALUE, a_max=NOVALUE, out=None, *, min=NOVALUE, max=NOVALUE, **kwargs):
    if kwargs:
        raise Unsupported(f"{', '.join(kwargs)}=")
    if min is not NOVALUE:
        if a_min is not NOVALUE:
            raise TypeError("Passed more than one argument for `min`: a_min and min")
        a_min = min
    if max is not NOVALUE:
        if a_max is not NOVALUE:
            raise TypeError("Passed more than one argument for `max`: a_max and max")
        a_max = max
    low = None if a_min is NOVALUE else a_min
    high = None if a_max is NOVALUE else a_max
    present = [v for v in (a, low, high) if v is not None]
    tensors = iter(common(present, "np.clip"))
    x = next(tensors)
    low = None if low is None else next(tensors)
    high = None if high is None else next(tensors)
    return finish(ops.clip(x, low, high), out, "np.clip")


@implements(np.round, np.around)
def _round(a, decimals=0, out=None):
    x = as_tensor(a, "np.round")
    if x._data.dtype.kind in "biu":
        if decimals >= 0:
            return finish(ops.clone(x), out, "np.round")
        raise Unsupported("negative decimals of integers")
    if x._data.dtype.kind == "c":
        raise Unsupported("complex")
    return finish(ops.round(x, decimals=decimals), out, "np.round")


@implements(np.nan_to_num)
def _nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    t = as_tensor(x, "np.nan_to_num")
    if t._data.dtype.kind not in "fc":
        return t if not copy else ops.clone(t)
    if t._data.dtype.kind == "c":
        raise Unsupported("complex")
    result = ops.nan_to_num(t, nan=nan, posinf=posinf, neginf=neginf)
    # copy=False: NumPy writes into x.
    return result if copy else finish(result, t, "np.nan_to_num")


@implements(np.real)
def _real(val):
    x = as_tensor(val, "np.real")
    return ops.real(x) if x._data.dtype.kind == "c" else x


@implements(np.imag)
def _imag(val):
    x = as_tensor(val, "np.imag")
    if x._data.dtype.kind == "c":
        return ops.imag(x)
    return _new(x, "np.imag", None, None, 0)


@implements(np.sinc)
def _sinc(x):
    t = as_tensor(x, "np.sinc")
    return ops.sinc(cast(t, np.dtype(np.float64)) if t._data.dtype.kind in "biu" else t)


@implements(np.angle)
def _angle(z, deg=False):
    t = as_tensor(z, "np.angle")
    if t._data.dtype.kind in "biu":
        t = cast(t, np.dtype(np.float64))
    result = ops.angle(t)
    return ops.multiply(result, 180.0 / np.pi) if deg else result


@implements(np.isclose)
def _isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    x, y = common([a, b], "np.isclose", floating=True)
    return math_compare.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)


@implements(np.allclose)
def _allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(ops.all(_isclose(a, b, rtol, atol, equal_nan)).item())


@implements(np.copyto)
def _copyto(dst, src, casting="same_kind", where=True):
    if not isinstance(dst, _prim.Tensor):
        raise Unsupported("dst is not a Tensor")
    check_backend(dst, "np.copyto")
    value = as_tensor(src, "np.copyto")
    if not np.can_cast(value._data.dtype, dst._data.dtype, casting=casting):
        raise TypeError(
            f"Cannot cast array data from {value._data.dtype!r} to {dst._data.dtype!r} "
            f"according to the rule '{casting}'"
        )
    value = cast(value, dst._data.dtype)
    if where is not True:
        mask = as_tensor(where, "np.copyto", np.dtype(bool))
        value = ops.where(mask, value, dst)
    finish(value, dst, "np.copyto")
