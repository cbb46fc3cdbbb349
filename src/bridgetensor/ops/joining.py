"""Joining and repeating: concat, stack, repeat, tile, meshgrid, and the triangles.

All copy (none is a view), as in torch.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axis
from .indexing import getitem, index_add_at
from .manipulation import broadcast_to, reshape
from .reduction import sum as _sum

__all__ = ["concat", "meshgrid", "repeat", "stack", "tile", "tril", "triu"]

FULL = slice(None)


@primitive(dtypes="promote", grad_name="CatBackward0")
def concat(*arrays, xp, axis=0):
    return xp.concat(arrays, axis=axis)


def _concat_rule(g, out, *xs, index, axis=0):
    if axis is None:  # the standard's concat(axis=None) joins the flattened inputs
        start = 0
        for x in xs[:index]:
            start += x.shape.numel()
        piece = getitem(g, key=(slice(start, start + xs[index].shape.numel()),))
        return reshape(piece, shape=xs[index].shape)
    axis = normalize_axis(axis, g.ndim)
    start = 0
    for x in xs[:index]:
        start += x.shape[axis]
    key = (FULL,) * axis + (slice(start, start + xs[index].shape[axis]),)
    return getitem(g, key=key)


concat.defvjp_each(_concat_rule, reads="meta")


@primitive(dtypes="promote", grad_name="StackBackward0")
def stack(*arrays, xp, axis=0):
    return xp.stack(arrays, axis=axis)


def _stack_rule(g, out, *xs, index, axis=0):
    axis = normalize_axis(axis, g.ndim)
    return getitem(g, key=(FULL,) * axis + (index,))


stack.defvjp_each(_stack_rule, reads="meta")


@primitive(dtypes=None, grad_name="RepeatInterleaveBackward0")
def repeat(x, repeats, /, *, xp, axis=None):
    """Each element repeated `repeats` times (an int, or one count per element) along
    `axis` (None: of the flattened array)."""
    if axis is None:
        x = xp.reshape(x, (-1,))
        axis = 0
    return xp.repeat(x, repeats, axis=axis)


def _repeat_rule(g, out, x, repeats, *, axis=None):
    shape = (x.shape.numel(),) if axis is None else tuple(x.shape)
    axis = 0 if axis is None else normalize_axis(axis, len(shape))
    n = shape[axis]
    if isinstance(repeats, int) or repeats.ndim == 0:
        count = int(repeats)
        split = (*shape[:axis], n, count, *shape[axis + 1 :])
        return reshape(_sum(reshape(g, shape=split), axis=axis + 1), shape=x.shape)
    xp = repeats._be.xp
    owners = xp.repeat(xp.arange(n), repeats._data)
    summed = index_add_at(g, shape=shape, key=(FULL,) * axis + (owners,))
    return reshape(summed, shape=x.shape)


repeat.defvjp(_repeat_rule, None)


@primitive(dtypes=None, grad_name="RepeatBackward0")
def tile(x, /, *, xp, repetitions):
    return xp.tile(x, tuple(repetitions))


def _tile_rule(g, out, x, *, repetitions):
    reps = tuple(repetitions)
    rank = max(len(reps), x.ndim)
    reps = (1,) * (rank - len(reps)) + reps
    shape = (1,) * (rank - x.ndim) + tuple(x.shape)
    pairs = []
    for r, n in zip(reps, shape):
        pairs += [r, n]
    summed = _sum(reshape(g, shape=tuple(pairs)), axis=tuple(range(0, 2 * rank, 2)))
    return reshape(summed, shape=x.shape)


tile.defvjp(_tile_rule)


@primitive(dtypes=None, grad_name="TrilBackward0")
def tril(x, /, *, xp, k=0):
    return xp.tril(x, k=k)


tril.defvjp(lambda g, out, x, *, k=0: tril(g, k=k))


@primitive(dtypes=None, grad_name="TriuBackward0")
def triu(x, /, *, xp, k=0):
    return xp.triu(x, k=k)


triu.defvjp(lambda g, out, x, *, k=0: triu(g, k=k))


def meshgrid(*arrays, indexing="xy"):
    """Coordinate grids from 1-D arrays (expanded views of them).

    >>> import bridgetensor as bt
    >>> [t.shape for t in bt.ops.meshgrid(bt.zeros(2), bt.zeros(3))]
    [bridgetensor.Size([3, 2]), bridgetensor.Size([3, 2])]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    for a in arrays:
        if a.ndim > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {a.ndim}D"
            )
    sizes = [a.shape.numel() for a in arrays]
    swap = indexing == "xy" and len(arrays) >= 2
    shape = list(sizes)
    if swap:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, a in enumerate(arrays):
        place = (1 - i if i < 2 else i) if swap else i
        lined = [1] * len(arrays)
        lined[place] = sizes[i]
        grids.append(broadcast_to(reshape(a, shape=tuple(lined)), shape=tuple(shape)))
    return grids
