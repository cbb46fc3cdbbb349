"""Statistics under torch's names: var/std (unbiased by default), logsumexp, softmax,
median, quantile and mode."""

from __future__ import annotations

import warnings

from .. import _dtypes, ops
from ..ops._helpers import wrap
from ._dims import dim_axis, dims_axes, nonempty, result_type, torch_name

__all__ = [
    "StatisticsMethods",
    "log_softmax",
    "logsumexp",
    "median",
    "mode",
    "nanmedian",
    "nanquantile",
    "quantile",
    "softmax",
    "std",
    "std_mean",
    "var",
    "var_mean",
]

_median_result = result_type("median", ["values", "indices"])
_nanmedian_result = result_type("nanmedian", ["values", "indices"])
_mode_result = result_type("mode", ["values", "indices"])


def _correction(name, input, dim, unbiased, correction):
    """torch's overloads: (input, unbiased), (input, dim, unbiased, keepdim), correction=."""
    if isinstance(dim, bool):  # var(input, False): the bool is `unbiased`
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): pass either unbiased or correction, not both")
    if input.dtype.category < _dtypes.FLOATING:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    axis = dims_axes(input, dim)
    count = 1
    for a in range(input.ndim) if axis is None else (axis,) if isinstance(axis, int) else axis:
        count *= input.shape[a]
    if count - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    return axis, correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance over `dim`; unbiased (correction=1) by default, as in torch.

    >>> import bridgetensor as bt
    >>> bt.var(bt.tensor([1.0, 2.0, 4.0]))
    tensor(2.3333)
    """
    axis, correction = _correction("var", input, dim, unbiased, correction)
    return ops.var(input, axis=axis, correction=correction, keepdims=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation over `dim`; unbiased by default, as in torch.

    >>> import bridgetensor as bt
    >>> bt.std(bt.tensor([1.0, 3.0]))
    tensor(1.4142)
    """
    axis, correction = _correction("std", input, dim, unbiased, correction)
    return ops.std(input, axis=axis, correction=correction, keepdims=keepdim)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The tuple (var, mean) over `dim`.

    >>> import bridgetensor as bt
    >>> bt.var_mean(bt.tensor([1.0, 3.0]))
    (tensor(2.), tensor(2.))
    """
    axis, correction = _correction("var_mean", input, dim, unbiased, correction)
    return (
        ops.var(input, axis=axis, correction=correction, keepdims=keepdim),
        ops.mean(input, axis=axis, keepdims=keepdim),
    )


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The tuple (std, mean) over `dim`.

    >>> import bridgetensor as bt
    >>> bt.std_mean(bt.tensor([1.0, 3.0]), correction=0)
    (tensor(1.), tensor(2.))
    """
    axis, correction = _correction("std_mean", input, dim, unbiased, correction)
    return (
        ops.std(input, axis=axis, correction=correction, keepdims=keepdim),
        ops.mean(input, axis=axis, keepdims=keepdim),
    )


def _to_float(input):
    if input.dtype.category < _dtypes.FLOATING:
        return ops.astype(input, dtype=_dtypes.get_default_dtype())
    return input


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(input))) over `dim`, without overflow; its gradient is the softmax.

    >>> import bridgetensor as bt
    >>> bt.logsumexp(bt.tensor([1000.0, 1000.0]), 0)
    tensor(1000.6932)
    """
    axis = dims_axes(input, dim)
    return ops.logsumexp(_to_float(input), axis=axis, keepdims=keepdim)


def _softmax_input(name, input, dim, dtype):
    if not isinstance(dim, int):
        raise TypeError(
            f"{name}(): argument 'dim' (position 2) must be int, not {type(dim).__name__}"
        )
    dim_axis(input, dim)
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    elif input.dtype.category < _dtypes.FLOATING:
        raise NotImplementedError(f"\"{name}\" not implemented for '{torch_name(input.dtype)}'")
    return input


def softmax(input, dim, dtype=None):
    """exp(input) normalised to sum 1 along `dim` (computed stably); `dtype` casts first.

    >>> import bridgetensor as bt
    >>> bt.softmax(bt.tensor([0.0, 0.0]), 0)
    tensor([0.5000, 0.5000])
    """
    return ops.softmax(_softmax_input("softmax", input, dim, dtype), axis=dim)


def log_softmax(input, dim, dtype=None):
    """log(softmax(input)) along `dim`, stable for large and very negative inputs.

    >>> import bridgetensor as bt
    >>> bt.log_softmax(bt.tensor([0.0, 0.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    return ops.log_softmax(_softmax_input("log_softmax", input, dim, dtype), axis=dim)


def _nan_of(input):
    return ops.astype(ops.sum(input, axis=None) * float("nan"), dtype=input.dtype)


def _median(name, input, dim, keepdim, ignore_nan, result):
    if dim is None:
        if input.numel() == 0:
            return _nan_of(input)
        return ops.median_all(input, ignore_nan=ignore_nan)
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        return result(ops.positive(input), ops.argmax(input))
    nonempty("median", input, axis)
    # NOTE: as torch, with `dim` the gradient goes to the returned index; without it,
    # ties share it evenly (ops.median_all).
    return result(*ops.median(input, axis=axis, keepdims=keepdim, ignore_nan=ignore_nan))


def median(input, dim=None, keepdim=False):
    """The lower median; with `dim`, the named tuple (values, indices). NaN propagates.

    >>> import bridgetensor as bt
    >>> bt.median(bt.tensor([1.0, 2.0, 3.0, 4.0]))
    tensor(2.)
    """
    return _median("median", input, dim, keepdim, False, _median_result)


def nanmedian(input, dim=None, keepdim=False):
    """The lower median of the non-NaN values; with `dim`, (values, indices).

    >>> import bridgetensor as bt
    >>> bt.nanmedian(bt.tensor([1.0, float("nan"), 3.0, 2.0]))
    tensor(2.)
    """
    return _median("nanmedian", input, dim, keepdim, True, _nanmedian_result)


def _quantile(name, input, q, dim, keepdim, interpolation, ignore_nan):
    if input.dtype not in (_dtypes.float32, _dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in ops.statistics._METHODS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or "
            f"nearest, but got {interpolation}"
        )
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, (int, float)):
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        be = input._be
        q = wrap(be.xp.asarray(float(q), dtype=be.native[input.dtype]), be)
    else:
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        if not bool(ops.all((q >= 0) & (q <= 1))):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    axis = None if dim is None else dim_axis(input, dim)
    if input.ndim == 0:
        axis = None
    return ops.quantile(
        input, q, axis=axis, keepdims=keepdim, method=interpolation, ignore_nan=ignore_nan
    )


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-th quantiles along `dim` (all elements by default), interpolated as torch does.

    >>> import bridgetensor as bt
    >>> bt.quantile(bt.tensor([1.0, 2.0, 4.0, 8.0]), 0.5)
    tensor(3.)
    """
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """`quantile` of the non-NaN values.

    >>> import bridgetensor as bt
    >>> bt.nanquantile(bt.tensor([1.0, float("nan"), 3.0]), 0.5)
    tensor(2.)
    """
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


def mode(input, dim=-1, keepdim=False):
    """The named tuple (values, indices) of the most frequent value along `dim`.

    Ties go to the smallest value, at its last occurrence; the gradient goes to that index.

    >>> import bridgetensor as bt
    >>> bt.mode(bt.tensor([3, 1, 3, 1, 2])).values
    tensor(1)
    """
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        return _mode_result(ops.positive(input), ops.argmax(input))
    nonempty("mode", input, axis)
    return _mode_result(*ops.mode(input, axis=axis, keepdims=keepdim))


class StatisticsMethods:
    __slots__ = ()

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return std(self, dim, unbiased, keepdim, correction=correction)

    def logsumexp(self, dim, keepdim=False):
        return logsumexp(self, dim, keepdim)

    def softmax(self, dim, dtype=None):
        return softmax(self, dim, dtype)

    def log_softmax(self, dim, dtype=None):
        return log_softmax(self, dim, dtype)

    def median(self, dim=None, keepdim=False):
        return median(self, dim, keepdim)

    def nanmedian(self, dim=None, keepdim=False):
        return nanmedian(self, dim, keepdim)

    def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        return quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanquantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        return nanquantile(self, q, dim, keepdim, interpolation=interpolation)

    def mode(self, dim=-1, keepdim=False):
        return mode(self, dim, keepdim)
