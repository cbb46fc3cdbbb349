"""Sorting and searching: argsort (the one sorting primitive), sort, top-k, k-th value,
searchsorted and nonzero.

Values are always gathered from the input with `take_along_axis` at the indices a sort
found, so every gradient goes to the element that was selected, as in torch.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axis
from .cumulative import along

__all__ = [
    "argsort",
    "argwhere",
    "kthvalue",
    "nonzero",
    "searchsorted",
    "sort",
    "topk",
]


@primitive(dtypes=None)
def argsort(x, /, *, xp, axis=-1, descending=False, stable=True):
    """Indices that sort `x` along `axis`; NaN sorts as the largest value, as in torch."""
    if x.dtype == xp.bool:
        x = xp.astype(x, xp.uint8)
    out = xp.argsort(x, axis=axis, descending=descending, stable=stable)
    return out if out.dtype == xp.int64 else xp.astype(out, xp.int64)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """`x` sorted along `axis` (stable: equal values keep their order).

    >>> import bridgetensor as bt
    >>> bt.ops.sort(bt.tensor([3, 1, 2]))
    tensor([1, 2, 3])
    """
    from .indexing import take_along_axis

    return take_along_axis(
        x, argsort(x, axis=axis, descending=descending, stable=stable), axis=axis
    )


def topk(x, /, k: int, *, axis=-1, largest=True):
    """(values, indices) of the k largest (smallest) elements along `axis`, sorted.

    Equal values come in their original order; NaN counts as the largest value.

    >>> import bridgetensor as bt
    >>> bt.ops.topk(bt.tensor([3, 1, 5]), 2)[1]
    tensor([2, 0])
    """
    from .indexing import getitem, take_along_axis

    axis = normalize_axis(axis, x.ndim)
    order = argsort(x, axis=axis, descending=largest, stable=True)
    indices = getitem(order, key=along(x.ndim, axis, slice(0, k)))
    return take_along_axis(x, indices, axis=axis), indices


def kthvalue(x, /, k: int, *, axis=-1, keepdims=False):
    """(value, index) of the k-th smallest element (k counts from 1) along `axis`.

    >>> import bridgetensor as bt
    >>> bt.ops.kthvalue(bt.tensor([3.0, 1.0, 2.0]), 2)
    (tensor(2.), tensor(2))
    """
    from .indexing import getitem, take_along_axis
    from .manipulation import squeeze

    axis = normalize_axis(axis, x.ndim)
    order = argsort(x, axis=axis, stable=True)
    indices = getitem(order, key=along(x.ndim, axis, slice(k - 1, k)))
    values = take_along_axis(x, indices, axis=axis)
    if keepdims:
        return values, indices
    return squeeze(values, axis=axis), squeeze(indices, axis=axis)


@primitive(dtypes="promote", promote=(0, 1))
def searchsorted(x1, x2, sorter=None, /, *, xp, side="left"):
    """Where to insert `x2` into the ascending `x1` to keep it sorted.

    As torch, `x1` may also be N-d: each of its rows along the last axis is searched
    for the matching row of `x2` (their leading dimensions agree).
    """
    if x1.ndim == 1:
        out = xp.searchsorted(x1, x2, side=side, sorter=sorter)
    else:
        n = x1.shape[-1]
        rows = xp.reshape(x1, (-1, n))
        wanted = xp.reshape(x2, (rows.shape[0], -1))
        sorters = None if sorter is None else xp.reshape(sorter, (-1, n))
        found = [
            xp.searchsorted(
                rows[i, :],
                wanted[i, :],
                side=side,
                sorter=None if sorters is None else sorters[i, :],
            )
            for i in range(rows.shape[0])
        ]
        out = xp.reshape(xp.stack(found, axis=0), x2.shape)
    return out if out.dtype == xp.int64 else xp.astype(out, xp.int64)


@primitive(dtypes=None)
def argwhere(x, /, *, xp):
    """The (count, ndim) int64 indices of the non-zero elements, in row-major order."""
    if x.ndim == 0:
        count = xp.nonzero(xp.reshape(x, (1,)))[0].shape[0]
        return xp.zeros((count, 0), dtype=xp.int64)
    out = xp.stack(xp.nonzero(x), axis=-1)
    return out if out.dtype == xp.int64 else xp.astype(out, xp.int64)


def nonzero(x, /):
    """One int64 array per dimension holding the indices of the non-zero elements.

    >>> import bridgetensor as bt
    >>> bt.ops.nonzero(bt.tensor([[0, 1], [2, 0]]))
    (tensor([0, 1]), tensor([1, 0]))
    """
    from .indexing import getitem

    if x.ndim == 0:
        raise ValueError("nonzero: expected an array of at least one dimension; got a 0-d array")
    found = argwhere(x)
    return tuple(getitem(found, key=(slice(None), i)) for i in range(x.ndim))
