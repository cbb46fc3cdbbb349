"""Scans along one axis: cumulative sums and products, running extremes, differences.

`cumulative_sum` and `cumulative_prod` are the standard's; the running max/min and
`logcumsumexp` have no standard name and are built from standard functions.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axis

__all__ = [
    "cumulative_argmax",
    "cumulative_argmin",
    "cumulative_max",
    "cumulative_min",
    "cumulative_prod",
    "cumulative_sum",
    "diff",
    "logcumsumexp",
]


def along(ndim: int, axis: int, index) -> tuple:
    """A full index key (strict needs one entry per dimension) selecting `index` on `axis`."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _scan_axis(axis, ndim: int, name: str) -> int:
    if axis is None:
        if ndim != 1:
            raise ValueError(f"{name}: axis must be given for a {ndim}-d array")
        return 0
    return normalize_axis(axis, ndim)


def _native(x, dtype):
    from .._backend import backend_of_array

    return None if dtype is None else backend_of_array(x).native[dtype]


@primitive(dtypes=None, grad_name="CumsumBackward0")
def cumulative_sum(x, /, *, xp, axis=None, dtype=None, include_initial=False):
    """Running sums along `axis`; `include_initial` starts with a 0 (the empty sum)."""
    axis = _scan_axis(axis, x.ndim, "cumulative_sum")
    return xp.cumulative_sum(x, axis=axis, dtype=_native(x, dtype), include_initial=include_initial)


@primitive(dtypes=None, grad_name="CumprodBackward0")
def cumulative_prod(x, /, *, xp, axis=None, dtype=None, include_initial=False):
    """Running products along `axis`; `include_initial` starts with a 1 (the empty product)."""
    axis = _scan_axis(axis, x.ndim, "cumulative_prod")
    return xp.cumulative_prod(
        x, axis=axis, dtype=_native(x, dtype), include_initial=include_initial
    )


def _reverse_cumsum(g, axis):
    from .manipulation import flip

    return flip(cumulative_sum(flip(g, axis=axis), axis=axis), axis=axis)


def _drop_initial(t, axis):
    from .indexing import getitem

    return getitem(t, key=along(t.ndim, axis, slice(1, None)))


def _cumsum_rule(g, out, x, *, axis=None, dtype=None, include_initial=False):
    axis = _scan_axis(axis, x.ndim, "cumulative_sum")
    if include_initial:
        g = _drop_initial(g, axis)
    return _reverse_cumsum(g, axis)


cumulative_sum.defvjp(_cumsum_rule)


def _cumprod_rule(g, out, x, *, axis=None, dtype=None, include_initial=False):
    from .. import _dtypes
    from .elementwise import where
    from .manipulation import astype
    from .reduction import any

    axis = _scan_axis(axis, x.ndim, "cumulative_prod")
    if include_initial:
        g, out = _drop_initial(g, axis), _drop_initial(out, axis)
    if x.shape[axis] == 1:  # out is x itself (so NaN and inf do not spoil the gradient)
        return g
    zeros = x == 0
    if not bool(any(zeros)):
        return _reverse_cumsum(g * out, axis) / x
    # NOTE: as torch, exact at zeros. With z the first zero along the axis,
    # d out_k / d x_j = prod_{i <= k, i != j} x_i is out_k / x_j before z, vanishes after z,
    # and at z is the running product of x with x_z replaced by 1.
    seen = cumulative_sum(astype(zeros, dtype=_dtypes.int64), axis=axis)
    before = seen == 0
    first = zeros & (seen == 1)
    # Outputs from z on do not depend on x_j (j < z) at all: leave them out even when
    # they are nan or inf (a later nan times the zero), as torch does.
    reaching = _reverse_cumsum(where(before, g * out, 0.0), axis)
    part_before = where(before, reaching / where(before, x, 1.0), 0.0)
    skipped = cumulative_prod(where(first, 1.0, x), axis=axis)
    # Past a second zero the outputs do not depend on x_z either (even where a nan or
    # inf there makes the product nan), as in torch.
    through_first = where(seen < 2, g * skipped, 0.0)
    part_first = where(first, _reverse_cumsum(through_first, axis), 0.0)
    return part_before + part_first


cumulative_prod.defvjp(_cumprod_rule)


def _scan_index(x, xp, axis, largest):
    """Index of the running max (min) along `axis`: later ties win, NaN beats numbers.

    A Hillis-Steele doubling scan over (value, index) pairs, log2(n) steps of standard
    functions; the pair order is total, so the scan is exact.
    """
    axis = normalize_axis(axis, x.ndim)
    values = xp.moveaxis(x, axis, -1)
    if values.dtype == xp.bool:
        values = xp.astype(values, xp.int8)
    floating = xp.isdtype(values.dtype, "real floating")
    n = values.shape[-1]
    index = xp.broadcast_to(xp.arange(n, dtype=xp.int64), values.shape)
    shift = 1
    while shift < n:
        prev, cur = values[..., :-shift], values[..., shift:]
        keep = (prev > cur) if largest else (prev < cur)
        if floating:
            keep = keep | (xp.isnan(prev) & xp.logical_not(xp.isnan(cur)))
        values = xp.concat([values[..., :shift], xp.where(keep, prev, cur)], axis=-1)
        index = xp.concat(
            [index[..., :shift], xp.where(keep, index[..., :-shift], index[..., shift:])],
            axis=-1,
        )
        shift *= 2
    return xp.moveaxis(index, -1, axis)


def running_max(a, xp):
    """The running maximum of a raw integer array along its last axis (a doubling scan)."""
    n = a.shape[-1]
    shift = 1
    while shift < n:
        a = xp.concat([a[..., :shift], xp.maximum(a[..., shift:], a[..., :-shift])], axis=-1)
        shift *= 2
    return a


@primitive(dtypes=None)
def cumulative_argmax(x, /, *, xp, axis=-1):
    """Index of the running maximum along `axis` (the latest among ties; NaN wins)."""
    return _scan_index(x, xp, axis, largest=True)


@primitive(dtypes=None)
def cumulative_argmin(x, /, *, xp, axis=-1):
    """Index of the running minimum along `axis` (the latest among ties; NaN wins)."""
    return _scan_index(x, xp, axis, largest=False)


def cumulative_max(x, /, *, axis=-1):
    """(values, indices) of the running maximum; the gradient goes to the index.

    >>> import bridgetensor as bt
    >>> bt.ops.cumulative_max(bt.tensor([1, 3, 2]))[0]
    tensor([1, 3, 3])
    """
    from .indexing import take_along_axis

    indices = cumulative_argmax(x, axis=axis)
    return take_along_axis(x, indices, axis=axis), indices


def cumulative_min(x, /, *, axis=-1):
    """(values, indices) of the running minimum; the gradient goes to the index.

    >>> import bridgetensor as bt
    >>> bt.ops.cumulative_min(bt.tensor([3, 1, 2]))[0]
    tensor([3, 1, 1])
    """
    from .indexing import take_along_axis

    indices = cumulative_argmin(x, axis=axis)
    return take_along_axis(x, indices, axis=axis), indices


def logcumsumexp(x, /, *, axis=-1):
    """log(cumsum(exp(x))) along `axis`, without overflow or underflow.

    A doubling scan of `logaddexp` (log2(n) steps), so each partial result is as exact
    as logaddexp itself; its gradient comes from the composite.

    >>> import bridgetensor as bt
    >>> bt.ops.logcumsumexp(bt.tensor([-1000.0, 0.0, 1000.0]))
    tensor([-1000.,     0.,  1000.])
    """
    from .elementwise import logaddexp
    from .indexing import getitem
    from .joining import concat

    axis = normalize_axis(axis, x.ndim)
    n = x.shape[axis]
    out = x
    shift = 1
    while shift < n:
        head = getitem(out, key=along(x.ndim, axis, slice(0, shift)))
        later = getitem(out, key=along(x.ndim, axis, slice(shift, None)))
        earlier = getitem(out, key=along(x.ndim, axis, slice(0, n - shift)))
        out = concat(head, logaddexp(later, earlier), axis=axis)
        shift *= 2
    return out


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The n-th forward difference along `axis` (bool: whether neighbours differ).

    >>> import bridgetensor as bt
    >>> bt.ops.diff(bt.tensor([1, 3, 6, 10]), n=2)
    tensor([1, 1])
    """
    from .. import _dtypes
    from .elementwise import not_equal, subtract
    from .indexing import getitem
    from .joining import concat

    axis = normalize_axis(axis, x.ndim)
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, x, append) if p is not None]
        x = concat(*parts, axis=axis)
    step = not_equal if x.dtype is _dtypes.bool else subtract
    for _ in range(n):
        length = x.shape[axis]
        later = getitem(x, key=along(x.ndim, axis, slice(min(length, 1), None)))
        earlier = getitem(x, key=along(x.ndim, axis, slice(0, max(length - 1, 0))))
        x = step(later, earlier)
    return x
