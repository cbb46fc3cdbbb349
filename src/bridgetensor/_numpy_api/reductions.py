"""NumPy's reductions and scans: np.sum, np.mean, np.std (ddof=0), np.max (values only),
np.argmax, np.cumsum, np.median, ... with NumPy's defaults (axis=None: every element)."""

from __future__ import annotations

import numpy as np

from .. import ops
from .._creation import full_like
from ._core import (
    NOVALUE,
    Unsupported,
    as_tensor,
    cast,
    common,
    default,
    finish,
    float_result,
    implements,
)
from .ufuncs import _numpy_dtype

__all__: list = []


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _no_where(where, name):
    if where is not NOVALUE and where is not True:
        raise Unsupported("where=")


def _accumulating(x, ufunc, method, dtype):
    """x cast to NumPy's accumulator dtype of `ufunc.method` (sum: int32 -> int64, ...)."""
    asked = None if dtype is None else np.dtype(dtype)
    target = _numpy_dtype(ufunc, method, x._data.dtype, asked)
    return cast(x, target)


@implements(np.sum)
def _sum(a, axis=None, dtype=None, out=None, keepdims=NOVALUE, initial=NOVALUE, where=NOVALUE):
    _no_where(where, "np.sum")
    x = _accumulating(as_tensor(a, "np.sum"), np.add, "reduce", dtype)
    result = ops.sum(x, axis=_axis(axis), keepdims=default(keepdims, False))
    if initial is not NOVALUE:
        result = ops.add(result, *common([initial], "np.sum"))
    return finish(cast(result, x._data.dtype), out, "np.sum")


@implements(np.prod)
def _prod(a, axis=None, dtype=None, out=None, keepdims=NOVALUE, initial=NOVALUE, where=NOVALUE):
    _no_where(where, "np.prod")
    x = _accumulating(as_tensor(a, "np.prod"), np.multiply, "reduce", dtype)
    result = ops.prod(x, axis=_axis(axis), keepdims=default(keepdims, False))
    if initial is not NOVALUE:
        result = ops.multiply(result, *common([initial], "np.prod"))
    return finish(cast(result, x._data.dtype), out, "np.prod")


def _mean_input(a, dtype, name):
    x = as_tensor(a, name)
    return float_result(x) if dtype is None else cast(x, np.dtype(dtype))


@implements(np.mean)
def _mean(a, axis=None, dtype=None, out=None, keepdims=NOVALUE, *, where=NOVALUE):
    _no_where(where, "np.mean")
    x = _mean_input(a, dtype, "np.mean")
    result = ops.mean(x, axis=_axis(axis), keepdims=default(keepdims, False))
    return finish(result, out, "np.mean")


def _spread(reduce, name):
    def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NOVALUE, *,
               where=NOVALUE, mean=NOVALUE, correction=NOVALUE):  # fmt: skip
        _no_where(where, name)
        if mean is not NOVALUE:
            raise Unsupported("mean=")
        if correction is not NOVALUE:
            if ddof != 0:
                raise ValueError("ddof and correction can't be provided simultaneously.")
            ddof = correction
        x = _mean_input(a, dtype, name)
        result = reduce(x, axis=_axis(axis), correction=ddof, keepdims=default(keepdims, False))
        return finish(result, out, name)

    return spread


implements(np.std)(_spread(ops.std, "np.std"))
implements(np.var)(_spread(ops.var, "np.var"))


def _extremum(reduce, pair, name):
    def extremum(a, axis=None, out=None, keepdims=NOVALUE, initial=NOVALUE, where=NOVALUE):
        _no_where(where, name)
        x = as_tensor(a, name)
        axis = _axis(axis)
        keepdims = default(keepdims, False)
        if initial is NOVALUE:
            if _empty(x, axis):
                raise ValueError(
                    f"zero-size array to reduction operation {pair.__name__} which has no identity"
                )
            result = reduce(x, axis=axis, keepdims=keepdims)
        else:
            if _empty(x, axis):
                raise Unsupported("initial= on an empty axis")
            result = reduce(x, axis=axis, keepdims=keepdims)
            result = cast(UFUNC_OPS[pair](*common([result, initial], name)), x._data.dtype)
        return finish(result, out, name)

    return extremum


def _empty(x, axis) -> bool:
    shape = tuple(x.shape)
    if axis is None:
        return 0 in shape
    axes = (axis,) if isinstance(axis, int) else axis
    return any(shape[a] == 0 for a in axes)


UFUNC_OPS = {np.maximum: ops.maximum, np.minimum: ops.minimum}
implements(np.max, np.amax)(_extremum(ops.max, np.maximum, "np.max"))
implements(np.min, np.amin)(_extremum(ops.min, np.minimum, "np.min"))


@implements(np.ptp)
def _ptp(a, axis=None, out=None, keepdims=NOVALUE):
    x = as_tensor(a, "np.ptp")
    keepdims = default(keepdims, False)
    axis = _axis(axis)
    result = ops.max(x, axis=axis, keepdims=keepdims) - ops.min(x, axis=axis, keepdims=keepdims)
    return finish(result, out, "np.ptp")


def _arg(find, name):
    def arg(a, axis=None, out=None, *, keepdims=NOVALUE):
        x = as_tensor(a, name)
        result = find(x, axis=axis, keepdims=default(keepdims, False))
        return finish(result, out, name)

    return arg


implements(np.argmax)(_arg(ops.argmax, "np.argmax"))
implements(np.argmin)(_arg(ops.argmin, "np.argmin"))


def _logical(reduce, name):
    def logical(a, axis=None, out=None, keepdims=NOVALUE, *, where=NOVALUE):
        _no_where(where, name)
        x = as_tensor(a, name)
        return finish(reduce(x, axis=_axis(axis), keepdims=default(keepdims, False)), out, name)

    return logical


implements(np.all)(_logical(ops.all, "np.all"))
implements(np.any)(_logical(ops.any, "np.any"))


def _scan(scan, ufunc, name):
    def cumulative(a, axis=None, dtype=None, out=None):
        x = _accumulating(as_tensor(a, name), ufunc, "accumulate", dtype)
        if axis is None:
            x = ops.reshape(x, shape=(-1,))
            axis = 0
        return finish(scan(x, axis=axis), out, name)

    return cumulative


implements(np.cumsum)(_scan(ops.cumulative_sum, np.add, "np.cumsum"))
implements(np.cumprod)(_scan(ops.cumulative_prod, np.multiply, "np.cumprod"))


def _standard_scan(scan, ufunc, name):
    def cumulative(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        x = _accumulating(as_tensor(x, name), ufunc, "accumulate", dtype)
        if axis is None:
            if x.ndim > 1:
                raise ValueError(
                    f"For arrays which have more than one dimension ``axis`` argument is "
                    f"required for {name[3:]}."
                )
            axis = 0
        return finish(scan(x, axis=axis, include_initial=include_initial), out, name)

    return cumulative


implements(np.cumulative_sum)(_standard_scan(ops.cumulative_sum, np.add, "np.cumulative_sum"))
implements(np.cumulative_prod)(
    _standard_scan(ops.cumulative_prod, np.multiply, "np.cumulative_prod")
)


@implements(np.nansum)
def _nansum(a, axis=None, dtype=None, out=None, keepdims=NOVALUE, initial=NOVALUE,
            where=NOVALUE):  # fmt: skip
    _no_where(where, "np.nansum")
    if initial is not NOVALUE:
        raise Unsupported("initial=")
    x = _accumulating(as_tensor(a, "np.nansum"), np.add, "reduce", dtype)
    result = ops.nansum(x, axis=_axis(axis), keepdims=default(keepdims, False))
    return finish(cast(result, x._data.dtype), out, "np.nansum")


@implements(np.nanmean)
def _nanmean(a, axis=None, dtype=None, out=None, keepdims=NOVALUE, *, where=NOVALUE):
    _no_where(where, "np.nanmean")
    x = _mean_input(a, dtype, "np.nanmean")
    result = ops.nanmean(x, axis=_axis(axis), keepdims=default(keepdims, False))
    return finish(result, out, "np.nanmean")


# ---------------------------------------------------------------- order statistics

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantiles(a, q, axis, out, method, keepdims, name, ignore_nan, weights=None,
               interpolation=None):  # fmt: skip
    if weights is not None or interpolation is not None or method not in _METHODS:
        raise Unsupported("weights=, interpolation= or a method torch lacks")
    if not (axis is None or isinstance(axis, int)):
        raise Unsupported("a tuple axis")
    x, q = common([a, q], name, floating=True)
    result = ops.quantile(x, q, axis=axis, keepdims=keepdims, method=method,
                          ignore_nan=ignore_nan)  # fmt: skip
    return finish(result, out, name)


@implements(np.quantile)
def _quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
              keepdims=False, *, weights=None, interpolation=None):  # fmt: skip
    return _quantiles(a, q, axis, out, method, keepdims, "np.quantile", False, weights,
                      interpolation)  # fmt: skip


@implements(np.nanquantile)
def _nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                 keepdims=False, *, weights=None, interpolation=None):  # fmt: skip
    return _quantiles(a, q, axis, out, method, keepdims, "np.nanquantile", True, weights,
                      interpolation)  # fmt: skip


@implements(np.percentile)
def _percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):  # fmt: skip
    q = ops.divide(*common([q], "np.percentile", floating=True), 100.0)
    return _quantiles(a, q, axis, out, method, keepdims, "np.percentile", False, weights,
                      interpolation)  # fmt: skip


@implements(np.median)
def _median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantiles(a, 0.5, axis, out, "linear", keepdims, "np.median", False)


@implements(np.nanmedian)
def _nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantiles(a, 0.5, axis, out, "linear", keepdims, "np.nanmedian", True)


@implements(np.average)
def _average(a, axis=None, weights=None, returned=False, *, keepdims=NOVALUE):
    keepdims = default(keepdims, False)
    if weights is None:
        x = float_result(as_tensor(a, "np.average"))
        result = ops.mean(x, axis=_axis(axis), keepdims=keepdims)
        total = None
        if returned:
            count = x.shape.numel() / max(result.shape.numel(), 1)
            total = full_like(result, count)
    else:
        x, w = common([a, weights], "np.average", floating=True)
        if tuple(w.shape) != tuple(x.shape):
            if axis is None or not isinstance(axis, int) or w.ndim != 1:
                raise Unsupported("weights of another shape than a's, without one axis")
            shape = [1] * x.ndim
            shape[axis] = w.shape[0]
            w = ops.reshape(w, shape=tuple(shape))
        total = ops.sum(ops.broadcast_to(w, shape=tuple(x.shape)), axis=_axis(axis),
                        keepdims=keepdims)  # fmt: skip
        result = ops.sum(x * w, axis=_axis(axis), keepdims=keepdims) / total
    return (result, total) if returned else result
