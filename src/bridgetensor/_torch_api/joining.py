"""Joining and repeating under torch's names: `cat`, `hstack`, `repeat`, `tril`, `diag`, ...

All copy, as in torch (meshgrid and atleast_*d return views). Splits are in splitting.py.
"""

from __future__ import annotations

import warnings

from .. import ops
from ..ops._helpers import normalize_axis, variant

__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "cat",
    "column_stack",
    "concat",
    "concatenate",
    "diag",
    "diag_embed",
    "dstack",
    "flip",
    "fliplr",
    "flipud",
    "hstack",
    "meshgrid",
    "repeat_interleave",
    "roll",
    "row_stack",
    "stack",
    "tile",
    "tril",
    "triu",
    "vstack",
]

FULL = slice(None)
_DIAG_EMBED = variant(ops.diagonal_scatter, "DiagEmbedBackward0")
_DIAG_COPY = variant(ops.diagonal, "DiagonalBackward0_copy", copy=True)


def _tensors(tensors, op: str) -> list:
    tensors = list(tensors)
    if not tensors:
        if op == "stack":
            raise RuntimeError("stack expects a non-empty TensorList")
        raise ValueError(f"torch.{op}(): expected a non-empty list of Tensors")
    return tensors


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dimension (1-D empty tensors are skipped, as in torch).

    >>> import bridgetensor as bt
    >>> bt.cat([bt.zeros(2), bt.ones(1)])
    tensor([0., 0., 1.])
    """
    tensors = _tensors(tensors, "cat")
    kept = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or tensors[:1]
    first = kept[0]
    dim = normalize_axis(dim, first.ndim)
    for i, t in enumerate(kept[1:], 1):
        if t.ndim != first.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {first.ndim} and {t.ndim}"
            )
        for d in range(first.ndim):
            if d != dim and t.shape[d] != first.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first.shape[d]} but got size {t.shape[d]} for tensor number {i} in the list."
                )
    if len(kept) == 1:
        return ops.concat(first, axis=dim)
    return ops.concat(*kept, axis=dim)


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """Join tensors along a new dimension.

    >>> import bridgetensor as bt
    >>> bt.stack([bt.zeros(2), bt.ones(2)]).shape
    bridgetensor.Size([2, 2])
    """
    tensors = _tensors(tensors, "stack")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} "
                f"at entry 0 and {list(t.shape)} at entry {i}"
            )
    return ops.stack(*tensors, axis=normalize_axis(dim, tensors[0].ndim + 1))


def _at_least(t, ndim: int):
    if t.ndim >= ndim:
        return t
    if ndim == 3 and t.ndim == 2:
        return ops.expand_dims(t, axis=2)
    shape = (1,) * (ndim - t.ndim - (1 if ndim == 3 and t.ndim == 1 else 0)) + tuple(t.shape)
    if ndim == 3 and t.ndim == 1:
        shape = (*shape, 1)
    return ops.reshape(t, shape=shape)


def _at_least_all(tensors, ndim):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    found = tuple(_at_least(t, ndim) for t in tensors)
    return found[0] if len(found) == 1 else found


def atleast_1d(*tensors):
    """Each tensor with at least one dimension (a view).

    >>> import bridgetensor as bt
    >>> bt.atleast_1d(bt.tensor(1.0)).shape
    bridgetensor.Size([1])
    """
    return _at_least_all(tensors, 1)


def atleast_2d(*tensors):
    """Each tensor with at least two dimensions (a view; 1-D tensors become rows).

    >>> import bridgetensor as bt
    >>> bt.atleast_2d(bt.zeros(3)).shape
    bridgetensor.Size([1, 3])
    """
    return _at_least_all(tensors, 2)


def atleast_3d(*tensors):
    """Each tensor with at least three dimensions (a view; (n,) becomes (1, n, 1)).

    >>> import bridgetensor as bt
    >>> bt.atleast_3d(bt.zeros(3)).shape
    bridgetensor.Size([1, 3, 1])
    """
    return _at_least_all(tensors, 3)


def hstack(tensors):
    """Join along dimension 1 (0 for 1-D tensors).

    >>> import bridgetensor as bt
    >>> bt.hstack([bt.zeros(2, 1), bt.ones(2, 1)]).shape
    bridgetensor.Size([2, 2])
    """
    tensors = [_at_least(t, 1) for t in _tensors(tensors, "hstack")]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Join along dimension 0, making 1-D tensors rows.

    >>> import bridgetensor as bt
    >>> bt.vstack([bt.zeros(2), bt.ones(2)]).shape
    bridgetensor.Size([2, 2])
    """
    return cat([_at_least(t, 2) for t in _tensors(tensors, "vstack")], 0)


row_stack = vstack


def dstack(tensors):
    """Join along dimension 2 (depth).

    >>> import bridgetensor as bt
    >>> bt.dstack([bt.zeros(2, 2), bt.ones(2, 2)]).shape
    bridgetensor.Size([2, 2, 2])
    """
    return cat([_at_least(t, 3) for t in _tensors(tensors, "dstack")], 2)


def column_stack(tensors):
    """Join as columns: 0-d and 1-D tensors become columns.

    >>> import bridgetensor as bt
    >>> bt.column_stack([bt.zeros(3), bt.ones(3)]).shape
    bridgetensor.Size([3, 2])
    """
    columns = [
        ops.reshape(t, shape=(t.numel(), 1)) if t.ndim <= 1 else t
        for t in _tensors(tensors, "column_stack")
    ]
    return cat(columns, 1)


# ---------------------------------------------------------------- repeats and flips


def repeat(input, *sizes):
    """Tensor.repeat: the tensor tiled `sizes` times along each dimension (a copy)."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    if len(sizes) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    return ops.tile(input, repetitions=tuple(int(n) for n in sizes))


def tile(input, dims):
    """The tensor repeated along each dimension (missing leading reps count as 1).

    >>> import bridgetensor as bt
    >>> bt.tile(bt.tensor([1, 2]), (2,))
    tensor([1, 2, 1, 2])
    """
    dims = tuple(int(n) for n in dims)
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return ops.tile(input, repetitions=dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated (an int, or a tensor of counts) along `dim` (None: flattened).

    >>> import bridgetensor as bt
    >>> bt.repeat_interleave(bt.tensor([1, 2]), 2)
    tensor([1, 1, 2, 2])
    """
    from ..autograd._primitive import Tensor
    from ..ops._helpers import wrap

    if repeats is None:  # repeat_interleave(counts): the index of each count, repeated
        counts = input
        positions = wrap(counts._be.xp.arange(counts.shape[0]), counts._be)
        return ops.repeat(positions, counts, axis=0)
    if isinstance(repeats, Tensor):
        if repeats.ndim == 0:
            repeats = int(repeats.item())
        elif bool(ops.any(ops.less(repeats, 0)).item()):
            raise RuntimeError("repeats can not be negative")
    if isinstance(repeats, int) and repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    axis = None if dim is None else normalize_axis(dim, input.ndim)
    return ops.repeat(input, repeats, axis=axis)


def flip(input, dims):
    """The elements in reverse order along `dims` (a copy).

    >>> import bridgetensor as bt
    >>> bt.flip(bt.tensor([1, 2, 3]), (0,))
    tensor([3, 2, 1])
    """
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    axes = tuple(normalize_axis(d, input.ndim) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"dim {axes[0]} appears multiple times in the list of dims")
    return ops.flip(input, axis=axes)


def fliplr(input):
    """Reverse the columns (dimension 1) of a tensor of at least 2 dimensions."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return ops.flip(input, axis=(1,))


def flipud(input):
    """Reverse the rows (dimension 0) of a tensor of at least 1 dimension."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return ops.flip(input, axis=(0,))


def roll(input, shifts, dims=None):
    """Rotate elements along `dims` by `shifts` (flattened when `dims` is None).

    >>> import bridgetensor as bt
    >>> bt.roll(bt.tensor([1, 2, 3]), 1)
    tensor([3, 1, 2])
    """
    shifts = (shifts,) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return ops.roll(input, shift=shifts[0], axis=None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    axes = tuple(normalize_axis(d, input.ndim) for d in dims)
    return ops.roll(input, shift=shifts, axis=axes)


# ---------------------------------------------------------------- triangles and diagonals


def check_triangle(name, input):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0):
    """The lower triangle of the last two dimensions (the rest zeroed).

    >>> import bridgetensor as bt
    >>> bt.tril(bt.ones(2, 2))
    tensor([[1., 0.],
            [1., 1.]])
    """
    check_triangle("tril", input)
    return ops.tril(input, k=int(diagonal))


def triu(input, diagonal=0):
    """The upper triangle of the last two dimensions (the rest zeroed).

    >>> import bridgetensor as bt
    >>> bt.triu(bt.ones(2, 2))
    tensor([[1., 1.],
            [0., 1.]])
    """
    check_triangle("triu", input)
    return ops.triu(input, k=int(diagonal))


def diag(input, diagonal=0):
    """A 1-D tensor as the `diagonal`-th diagonal of a square matrix, or a matrix's diagonal.

    >>> import bridgetensor as bt
    >>> bt.diag(bt.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    """
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return _DIAG_COPY(input, offset=int(diagonal), axis1=0, axis2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Tensors whose diagonals over (dim1, dim2) are the last dimension of `input`.

    >>> import bridgetensor as bt
    >>> bt.diag_embed(bt.tensor([[1, 2]])).shape
    bridgetensor.Size([1, 2, 2])
    """
    ndim = input.ndim + 1
    d1, d2 = normalize_axis(dim1, ndim), normalize_axis(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = input.shape[-1] + abs(int(offset))
    rest = iter(input.shape[:-1])
    shape = tuple(n if i in (d1, d2) else next(rest) for i in range(ndim))
    return _DIAG_EMBED(input, shape=shape, offset=int(offset), axis1=d1, axis2=d2)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors (expanded views); torch's default indexing is "ij".

    >>> import bridgetensor as bt
    >>> [t.shape for t in bt.meshgrid(bt.zeros(2), bt.zeros(3), indexing="ij")]
    [bridgetensor.Size([2, 3]), bridgetensor.Size([2, 3])]
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    return tuple(ops.meshgrid(*tensors, indexing=indexing))
