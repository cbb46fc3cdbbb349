"""Statistics: variance, log-sum-exp and softmax, NaN-ignoring sums, median, quantiles, mode.

All are composites of primitives (their gradients come from the pieces), except
`argmode`, which only finds indices. Order statistics gather their values with
`take_along_axis`, so the gradient goes to the selected element, as in torch.
"""

from __future__ import annotations

from .. import _dtypes
from ..autograd._primitive import primitive
from ._helpers import normalize_axes, normalize_axis, wrap
from .elementwise import exp, isfinite, isnan, log, sqrt, where
from .indexing import take_along_axis
from .manipulation import astype, broadcast_to, expand_dims, permute_dims, reshape, squeeze
from .reduction import max, mean, sum
from .sorting import argsort, sort

__all__ = [
    "argmode",
    "log_softmax",
    "logsumexp",
    "median",
    "median_all",
    "mode",
    "nanmean",
    "nansum",
    "quantile",
    "softmax",
    "std",
    "var",
]


def _count(shape, axis) -> int:
    count = 1
    for a in normalize_axes(axis, len(shape)):
        count *= shape[a]
    return count


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Variance over `axis` with `correction` degrees of freedom removed (0: population).

    With no degrees of freedom left the result is inf or nan, as in torch.

    >>> import bridgetensor as bt
    >>> bt.ops.var(bt.tensor([1.0, 2.0, 4.0]), correction=1)
    tensor(2.3333)
    """
    from .elementwise import abs, square

    dof = _count(x.shape, axis) - correction
    centered = x - mean(x, axis=axis, keepdims=True)
    squares = square(abs(centered)) if x.dtype.is_complex else square(centered)
    return sum(squares, axis=axis, keepdims=keepdims) / float(dof if dof > 0 else 0.0)


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Standard deviation: the square root of `var`.

    >>> import bridgetensor as bt
    >>> bt.ops.std(bt.tensor([1.0, 3.0]))
    tensor(1.)
    """
    variance = var(x, axis=axis, correction=correction, keepdims=keepdims)
    # NOTE: as torch, the gradient is 0 (not nan) where the deviation is 0; the double
    # `where` keeps sqrt's infinite slope at 0 out of the graph.
    zero = variance == 0
    return where(zero, 0.0, sqrt(where(zero, 1.0, variance)))


def logsumexp(x, /, *, axis=None, keepdims=False):
    """log(sum(exp(x))) over `axis`, shifted by the maximum so it cannot overflow.

    >>> import bridgetensor as bt
    >>> bt.ops.logsumexp(bt.tensor([1000.0, 1000.0]), axis=0)
    tensor(1000.6932)
    """
    axes = normalize_axes(axis, x.ndim)
    if x.numel() == 0:
        return log(sum(exp(x), axis=axes, keepdims=keepdims))
    # NOTE: the shift is a constant for the gradient (the result does not depend on it),
    # and an infinite maximum shifts by 0, so inf stays inf and -inf stays -inf.
    shift = max(x, axis=axes, keepdims=True).detach()
    shift = where(isfinite(shift), shift, 0.0)
    total = log(sum(exp(x - shift), axis=axes, keepdims=keepdims))
    return total + (shift if keepdims else reshape(shift, shape=total.shape))


def _shifted(x, axis):
    """x minus its (constant) maximum along `axis`, so exp cannot overflow."""
    if x.numel() == 0:
        return x
    return x - max(x, axis=axis, keepdims=True).detach()


def softmax(x, /, *, axis):
    """exp(x) / sum(exp(x)) along `axis`, computed without overflow.

    >>> import bridgetensor as bt
    >>> bt.ops.softmax(bt.tensor([0.0, 0.0]), axis=0)
    tensor([0.5000, 0.5000])
    """
    axis = None if x.ndim == 0 else normalize_axis(axis, x.ndim)
    e = exp(_shifted(x, axis))
    return e / sum(e, axis=axis, keepdims=True)


def log_softmax(x, /, *, axis):
    """log(softmax(x)) along `axis`, stable for very negative inputs.

    >>> import bridgetensor as bt
    >>> bt.ops.log_softmax(bt.tensor([0.0, 0.0]), axis=0)
    tensor([-0.6931, -0.6931])
    """
    axis = None if x.ndim == 0 else normalize_axis(axis, x.ndim)
    shifted = _shifted(x, axis)
    return shifted - log(sum(exp(shifted), axis=axis, keepdims=True))


def nansum(x, /, *, axis=None, keepdims=False):
    """Sum treating NaN as 0 (their gradient is 0).

    >>> import bridgetensor as bt
    >>> bt.ops.nansum(bt.tensor([1.0, float("nan"), 2.0]))
    tensor(3.)
    """
    if x.dtype.is_floating_point or x.dtype.is_complex:
        x = where(isnan(x), 0.0, x)
    return sum(x, axis=axis, keepdims=keepdims)


def nanmean(x, /, *, axis=None, keepdims=False):
    """Mean of the non-NaN elements (nan where there are none).

    >>> import bridgetensor as bt
    >>> bt.ops.nanmean(bt.tensor([1.0, float("nan"), 2.0]))
    tensor(1.5000)
    """
    present = astype(~isnan(x), dtype=x.dtype)
    return nansum(x, axis=axis, keepdims=keepdims) / sum(present, axis=axis, keepdims=keepdims)


def _nan_count(x, axis):
    if not x.dtype.is_floating_point:
        return None
    return sum(astype(isnan(x), dtype=_dtypes.int64), axis=axis, keepdims=True)


def median(x, /, *, axis=-1, keepdims=False, ignore_nan=False):
    """(values, indices) of the lower median along `axis` (of n values, the (n-1)//2-th).

    With NaN present the median is NaN at the first NaN's index, unless `ignore_nan`
    (torch's nanmedian) takes the median of the other values.

    >>> import bridgetensor as bt
    >>> bt.ops.median(bt.tensor([4.0, 1.0, 3.0, 2.0]))
    (tensor(2.), tensor(3))
    """
    from .elementwise import maximum

    axis = normalize_axis(axis, x.ndim)
    n = x.shape[axis]
    order = argsort(x, axis=axis, stable=True)
    nans = _nan_count(x, axis)
    if nans is None:
        shape = tuple(1 if d == axis else size for d, size in enumerate(x.shape))
        xp = order._be.xp
        position = wrap(xp.full(shape, (n - 1) // 2, dtype=order._data.dtype), order._be)
    elif ignore_nan:
        position = maximum((n - 1 - nans) // 2, 0)
    else:
        # NaNs sort last, in their original order: the first NaN sits at n - count.
        position = where(nans > 0, n - nans, (n - 1) // 2)
    indices = take_along_axis(order, position, axis=axis)
    values = take_along_axis(x, indices, axis=axis)
    if keepdims:
        return values, indices
    return squeeze(values, axis=axis), squeeze(indices, axis=axis)


def median_all(x, /, *, ignore_nan=False):
    """The lower median of all elements, as a 0-d array.

    NOTE: as torch's median() without a dim, the gradient is shared evenly by every
    element equal to the median (every NaN when the median is NaN).

    >>> import bridgetensor as bt
    >>> bt.ops.median_all(bt.tensor([[4.0, 1.0], [3.0, 2.0]]))
    tensor(2.)
    """
    flat = reshape(x, shape=(-1,))
    value = median(flat, axis=0, ignore_nan=ignore_nan)[0]
    if not x.requires_grad:
        return value
    from .reduction import min

    fixed = value.detach()
    hit = (flat == fixed) | (isnan(flat) & isnan(fixed))
    # The max (min) of the hits alone is the median itself, and max's rule shares the
    # gradient evenly among them; no arithmetic on the values, so inf stays exact.
    if fixed.item() == float("-inf"):
        return min(where(hit, flat, float("inf")))
    return max(where(hit, flat, float("-inf")))


_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(low, high, weight):
    # torch's lerp: two formulas, switching at 0.5, so both ends are exact.
    return where(weight < 0.5, low + weight * (high - low), high - (high - low) * (1.0 - weight))


def quantile(x, q, /, *, axis=None, keepdims=False, method="linear", ignore_nan=False):
    """The q-th quantiles of `x` along `axis` (all elements when None), as torch computes
    them: the rank q * (n - 1) in the sorted values, interpolated by `method`.

    A 1-d `q` adds a leading dimension. NaN in a row gives NaN, unless `ignore_nan`.

    >>> import bridgetensor as bt
    >>> bt.ops.quantile(bt.tensor([1.0, 2.0, 4.0, 8.0]), bt.tensor(0.5))
    tensor(3.)
    """
    ndim = x.ndim
    flattened = axis is None
    if flattened:
        x = reshape(x, shape=(-1,))
        axis = 0
    axis = normalize_axis(axis, x.ndim)
    order = list(range(x.ndim))
    order.append(order.pop(axis))
    ordered = sort(permute_dims(x, axes=tuple(order)), axis=-1)
    be, xp = x._be, x._be.xp
    n = x.shape[axis]
    data = ordered._data
    # The rank is a tensor: like torch, the linear interpolation is differentiable in q.
    flat_q = reshape(q, shape=(-1,))
    if ignore_nan:
        present = xp.logical_not(xp.isnan(data))
        valid = xp.sum(xp.astype(present, data.dtype), axis=-1, keepdims=True)
        rank = where(wrap(valid == 0, be), float(n - 1), flat_q * wrap(valid - 1, be))
    else:
        rank = broadcast_to(flat_q * float(n - 1), shape=(*data.shape[:-1], flat_q.shape[0]))
        if n:
            rank = where(wrap(xp.isnan(data[..., -1:]), be), float(n - 1), rank)
    ranks = rank._data
    below = xp.astype(ranks, xp.int64)
    above = xp.astype(xp.ceil(ranks), xp.int64)
    if method == "lower":
        result = take_along_axis(ordered, wrap(below, be), axis=-1)
    elif method == "higher":
        result = take_along_axis(ordered, wrap(above, be), axis=-1)
    elif method == "nearest":
        nearest = wrap(xp.astype(xp.round(ranks), xp.int64), be)
        result = take_along_axis(ordered, nearest, axis=-1)
    else:
        low = take_along_axis(ordered, wrap(below, be), axis=-1)
        high = take_along_axis(ordered, wrap(above, be), axis=-1)
        if method == "linear":
            result = _lerp(low, high, rank - wrap(xp.astype(below, ranks.dtype), be))
        else:
            result = high - (high - low) * 0.5
    # result: (*others, len(q)) -> (len(q), *others), then the kept axes.
    result = permute_dims(result, axes=(result.ndim - 1, *range(result.ndim - 1)))
    if keepdims:
        if flattened:
            result = reshape(result, shape=(result.shape[0],) + (1,) * ndim)
        else:
            result = expand_dims(result, axis=axis + 1)
    if q.ndim == 0:
        result = squeeze(result, axis=0)
    return result


@primitive(dtypes=None)
def argmode(x, /, *, xp, axis=-1):
    """Index of the most frequent value along `axis`, keeping the axis (size 1).

    Among equally frequent values the smallest wins, and its last occurrence is
    returned, as torch's mode does; NaNs count as one value.
    """
    from .cumulative import running_max

    axis = normalize_axis(axis, x.ndim)
    moved = xp.moveaxis(x, axis, -1)
    n = moved.shape[-1]
    keys = xp.astype(moved, xp.uint8) if moved.dtype == xp.bool else moved
    order = xp.argsort(keys, axis=-1, stable=True)
    ordered = xp.take_along_axis(moved, order, axis=-1)
    same = ordered[..., 1:] == ordered[..., :-1]
    if xp.isdtype(ordered.dtype, "real floating"):
        same = same | (xp.isnan(ordered[..., 1:]) & xp.isnan(ordered[..., :-1]))
    edge = xp.ones((*same.shape[:-1], 1), dtype=xp.bool)
    starts_run = xp.concat([edge, xp.logical_not(same)], axis=-1)
    ends_run = xp.concat([xp.logical_not(same), edge], axis=-1)
    position = xp.broadcast_to(xp.arange(n, dtype=xp.int64), starts_run.shape)
    start = running_max(xp.where(starts_run, position, 0), xp)
    end = (n - 1) - xp.flip(
        running_max(xp.flip(xp.where(ends_run, n - 1 - position, 0), axis=-1), xp), axis=-1
    )
    length = end - start + 1
    best = xp.argmax(length, axis=-1, keepdims=True)  # the first longest run: the smallest value
    index = xp.take_along_axis(order, xp.take_along_axis(end, best, axis=-1), axis=-1)
    return xp.moveaxis(xp.astype(index, xp.int64), -1, axis)


def mode(x, /, *, axis=-1, keepdims=False):
    """(values, indices) of the most frequent value along `axis` (see `argmode`).

    >>> import bridgetensor as bt
    >>> bt.ops.mode(bt.tensor([3, 1, 3, 1, 2]))
    (tensor(1), tensor(3))
    """
    indices = argmode(x, axis=axis)
    values = take_along_axis(x, indices, axis=axis)
    if keepdims:
        return values, indices
    return squeeze(values, axis=axis), squeeze(indices, axis=axis)
