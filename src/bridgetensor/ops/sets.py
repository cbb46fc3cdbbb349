"""Set and counting ops: the standard's `unique_*`, and `bincount` / `histc`.

One sort-based primitive, `unique_all`, serves every unique flavour on every backend:
the values come out sorted (as torch guarantees) whatever order a library's own
`unique` would give, and NaNs stay distinct, as both torch and the standard want.
"""

from __future__ import annotations

from collections import namedtuple

from ..autograd._primitive import primitive
from ._helpers import normalize_axis, wrap

__all__ = [
    "bincount",
    "histc",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
]

UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def _sort_rows(rows, xp):
    """The stable lexicographic order of the rows of a 2-d array (last column first)."""
    n, m = rows.shape
    order = xp.arange(n, dtype=xp.int64)
    for column in reversed(range(m)):
        keys = xp.take(rows[:, column], order)
        if keys.dtype == xp.bool:
            keys = xp.astype(keys, xp.uint8)
        order = xp.take(order, xp.argsort(keys, stable=True))
    return order


@primitive(dtypes=None, outputs=4, grad_name="Unique2Backward0")
def unique_all(x, /, *, xp, axis=None, consecutive=False):
    """(values, first indices, inverse indices, counts) of the distinct elements, sorted.

    Extensions beyond the standard, for torch: `axis` makes the unique items the slices
    along that axis (torch's ``unique(dim=)``); `consecutive` groups only neighbouring
    equal items, without sorting (``unique_consecutive``).
    """
    if axis is None:
        rows = xp.reshape(x, (-1, 1))
        rest = ()
    else:
        axis = normalize_axis(axis, x.ndim)
        moved = xp.moveaxis(x, axis, 0)
        rest = tuple(moved.shape[1:])
        width = 1
        for size in rest:
            width *= size
        rows = xp.reshape(moved, (moved.shape[0], width))
    n = rows.shape[0]
    if consecutive:
        order = xp.arange(n, dtype=xp.int64)
        ordered = rows
    else:
        order = _sort_rows(rows, xp)
        ordered = xp.take(rows, order, axis=0)
    if n == 0:
        new = xp.zeros((0,), dtype=xp.bool)
    else:
        # NaN != NaN, so every NaN starts a group of its own.
        differs = xp.any(ordered[1:, :] != ordered[:-1, :], axis=1)
        new = xp.concat([xp.ones((1,), dtype=xp.bool), differs])
    starts = xp.astype(xp.nonzero(new)[0], xp.int64)
    ends = xp.concat([starts[1:], xp.asarray([n], dtype=xp.int64)])
    counts = ends - starts
    group = xp.cumulative_sum(xp.astype(new, xp.int64)) - 1
    # The inverse of a permutation is its argsort: no scatter needed.
    inverse = group if consecutive else xp.take(group, xp.argsort(order, stable=True))
    indices = xp.take(order, starts)
    values = xp.take(ordered, starts, axis=0)
    if axis is None:
        values = xp.reshape(values, (-1,))
        inverse = xp.reshape(inverse, x.shape)
    else:
        values = xp.moveaxis(xp.reshape(values, (values.shape[0], *rest)), 0, axis)
    return values, indices, inverse, counts


def unique_values(x, /):
    """The distinct elements of `x`, sorted, as a 1-d array.

    >>> import bridgetensor as bt
    >>> bt.ops.unique_values(bt.tensor([3, 1, 3]))
    tensor([1, 3])
    """
    return unique_all(x)[0]


def unique_counts(x, /):
    """(values, counts) of the distinct elements.

    >>> import bridgetensor as bt
    >>> bt.ops.unique_counts(bt.tensor([3, 1, 3])).counts
    tensor([1, 2])
    """
    values, _, _, counts = unique_all(x)
    return UniqueCountsResult(values, counts)


def unique_inverse(x, /):
    """(values, inverse_indices): values[inverse_indices] rebuilds `x`.

    >>> import bridgetensor as bt
    >>> bt.ops.unique_inverse(bt.tensor([3, 1, 3])).inverse_indices
    tensor([1, 0, 1])
    """
    values, _, inverse, _ = unique_all(x)
    return UniqueInverseResult(values, inverse)


def bincount(x, /, weights=None, *, minlength: int = 0):
    """Occurrences (or summed `weights`) of each non-negative integer in the 1-d `x`.

    Differentiable in `weights` (a scatter-add).

    >>> import bridgetensor as bt
    >>> bt.ops.bincount(bt.tensor([0, 2, 2]))
    tensor([1, 0, 2])
    """
    from .. import _dtypes
    from .indexing import index_add_at
    from .reduction import max as array_max

    length = minlength
    if x.shape[0]:
        length = max(length, int(array_max(x).item()) + 1)
    if weights is None:
        xp = x._be.xp
        weights = wrap(xp.ones(x.shape, dtype=x._be.native[_dtypes.int64]), x._be)
    return index_add_at(weights, shape=(length,), key=(x._data,))


def histc(x, /, bins: int = 100, min: float = 0.0, max: float = 0.0):
    """Counts of `x` in `bins` equal-width bins over [min, max] (the data's range when
    min == max); values outside are ignored, max itself falls in the last bin.

    Not differentiable, as in torch. The bin of a value is computed in the input's dtype
    with torch's formula, so values on bin edges land where torch puts them.

    >>> import bridgetensor as bt
    >>> bt.ops.histc(bt.tensor([1.0, 2.0, 1.0]), bins=4, min=0.0, max=3.0)
    tensor([0., 2., 1., 0.])
    """
    from .reduction import max as amax
    from .reduction import min as amin

    be = x._be
    xp = be.xp
    data = x._data
    low, high = float(min), float(max)
    if low == high and x.numel():
        low, high = float(amin(x.detach()).item()), float(amax(x.detach()).item())
    if low == high:
        low, high = low - 1.0, high + 1.0
    low_a = xp.asarray(low, dtype=data.dtype)
    high_a = xp.asarray(high, dtype=data.dtype)
    data = xp.reshape(data, (-1,))
    inside = (data >= low_a) & (data <= high_a)
    # No boolean selection (its length depends on the values, unknown to a lazy backend):
    # values outside [min, max] (and NaN) are counted in an extra bin, then dropped.
    scaled = xp.where(inside, (data - low_a) * bins / (high_a - low_a), xp.zeros_like(data))
    position = xp.astype(scaled, xp.int64)
    position = xp.where(position >= bins, bins - 1, position)
    position = xp.where(inside, position, bins)
    counts = bincount(wrap(position, be), minlength=bins + 1)._data[:bins]
    return wrap(xp.astype(counts, be.native[x.dtype]), be)
