"""Gathers and scatters under torch's names: `gather`, `scatter`, `index_add`, `put`, ...

Each is a read (`ops.index`) or a write (`ops.setitem`) with an integer-array key built
here, so their gradients are those two primitives' rules; variants carry torch's grad_fn
names. The in-place forms (``scatter_``, ``index_add_``, ...) write through views like
``t[key] = v``.
"""

from __future__ import annotations

import math

from .. import ops
from ..ops import _keys
from ..ops._helpers import normalize_axis, variant, wrap
from ..ops.indexing import along_key
from .indexing import check_broadcast, write

__all__ = [
    "gather",
    "index_add",
    "index_copy",
    "index_fill",
    "index_put",
    "index_select",
    "masked_scatter",
    "masked_select",
    "put",
    "scatter",
    "scatter_add",
    "take",
    "take_along_dim",
]

FULL = slice(None)
_GATHER = variant(ops.index, "GatherBackward0")
_MASKED_SELECT = variant(ops.index, "MaskedSelectBackward0")
_INDEX_SELECT = variant(ops.take, "IndexSelectBackward0")
_TAKE_ALONG = variant(ops.take_along_axis, "GatherBackward0")
_WRITES = {
    name: variant(ops.setitem, name)
    for name in (
        "ScatterBackward0",
        "ScatterBackward1",
        "ScatterAddBackward0",
        "IndexAddBackward0",
        "IndexCopyBackward0",
        "IndexFillBackward0",
        "MaskedScatterBackward0",
        "PutBackward0",
    )
}
_WRITES["IndexPutBackward0"] = ops.setitem


def _int_index(index, op: str):
    if index._be.kinds[index._data.dtype] not in "iu":
        raise RuntimeError(f"{op}(): Expected dtype int64 for index")
    return index


def _check_bounds(index, size: int, dim: int, error=RuntimeError, message=None) -> None:
    xp = index._be.xp
    data = index._data
    if math.prod(data.shape) == 0:
        return
    for bad in (int(xp.max(data)), int(xp.min(data))):
        if not -size <= bad < size:
            raise error(
                message or f"index {bad} is out of bounds for dimension {dim} with size {size}"
            )


# ---------------------------------------------------------------- along a dimension


def _along(input, dim, index, op: str, source=None):
    """The key of gather/scatter: index[i][j] picks along `dim`, (i, j) elsewhere."""
    _int_index(index, op)
    dim = normalize_axis(dim, input.ndim)
    if index.ndim != input.ndim and not (index.ndim <= 1 and input.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d in range(index.ndim):
        if d != dim and index.shape[d] > input.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be "
                f"no larger than self {list(input.shape)} apart from dimension {dim}"
            )
        if source is not None and index.shape[d] > source.shape[d]:
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self "
                f"{list(input.shape)} apart from dimension {dim} and to be no larger size than "
                f"src {list(source.shape)}"
            )
    _check_bounds(index, input.shape[dim] if input.ndim else 1, dim)
    if input.ndim == 0:
        return _keys.Key(None, (index._data,), tuple(index.shape))
    return _keys.Key(None, along_key(index, dim, input.ndim), tuple(index.shape))


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j] = input[index[i][j]][j] for dim 0 (likewise for other dims).

    >>> import bridgetensor as bt
    >>> bt.gather(bt.tensor([[1, 2], [3, 4]]), 1, bt.tensor([[1], [0]]))
    tensor([[2],
            [3]])
    """
    return _GATHER(input, key=_along(input, dim, index, "gather").advanced)


def _source(src, index):
    """src cut to index's shape (scatter reads only that corner of it)."""
    if isinstance(src, (int, float, bool)) or tuple(src.shape) == tuple(index.shape):
        return src
    key = (*(slice(0, n) for n in index.shape), Ellipsis)
    return ops.indexing.GETITEM["SliceBackward0"](src, key=key)


def _scatter_value(input, src, value):
    src = src if src is not None else value
    if src is None:
        raise TypeError("scatter(): expected a `src` tensor or a `value`")
    if hasattr(src, "_data") and src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if hasattr(src, "_data") and src.ndim == 0 and input.ndim:
        return src.item() if not src.requires_grad else src
    return src


def _scatter_args(input, dim, index, src, value, reduce, op):
    src = _scatter_value(input, src, value)
    tensor_src = hasattr(src, "_data")
    key = _along(input, dim, index, op, src if tensor_src and src.ndim else None)
    if reduce not in (None, "add"):
        raise NotImplementedError(f"{op}(reduce={reduce!r}) is not supported; use 'add'")
    name = "ScatterBackward0" if tensor_src else "ScatterBackward1"
    return key, _source(src, index) if tensor_src else src, reduce == "add", _WRITES[name]


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of input with src's elements (or `value`) written where `index` says along `dim`.

    >>> import bridgetensor as bt
    >>> bt.scatter(bt.zeros(3), 0, bt.tensor([2]), bt.tensor([5.0]))
    tensor([0., 0., 5.])
    """
    key, src, accumulate, prim = _scatter_args(input, dim, index, src, value, reduce, "scatter")
    return prim(input, src, key=key, accumulate=accumulate)


def scatter_(input, dim, index, src=None, *, value=None, reduce=None):
    key, src, accumulate, prim = _scatter_args(input, dim, index, src, value, reduce, "scatter_")
    return write(input, key, src, accumulate=accumulate, op="scatter_", prim=prim)


def scatter_add(input, dim, index, src):
    """A copy of input with src's elements added where `index` says along `dim`.

    >>> import bridgetensor as bt
    >>> bt.scatter_add(bt.zeros(3), 0, bt.tensor([2, 2]), bt.tensor([1.0, 2.0]))
    tensor([0., 0., 3.])
    """
    key = _along(input, dim, index, "scatter_add", src)
    return _WRITES["ScatterAddBackward0"](input, _source(src, index), key=key, accumulate=True)


def scatter_add_(input, dim, index, src):
    key = _along(input, dim, index, "scatter_add_", src)
    prim = _WRITES["ScatterAddBackward0"]
    return write(input, key, _source(src, index), accumulate=True, op="scatter_add_", prim=prim)


def take_along_dim(input, indices, dim=None):
    """Values of input at `indices` along `dim` (broadcasting the other dims; None: flat).

    >>> import bridgetensor as bt
    >>> bt.take_along_dim(bt.tensor([[1, 2], [3, 4]]), bt.tensor([[1], [0]]), 1)
    tensor([[2],
            [3]])
    """
    _int_index(indices, "take_along_dim")
    if dim is None:
        flat = ops.reshape(input, shape=(input.numel(),))
        picks = ops.reshape(indices, shape=(indices.numel(),))
        _check_bounds(picks, flat.shape[0], 0)
        return _TAKE_ALONG(flat, picks, axis=0)
    dim = normalize_axis(dim, input.ndim)
    if indices.ndim != input.ndim:
        raise RuntimeError(
            f"torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {input.ndim} dimensions for input, and {indices.ndim} "
            "dimensions for indices"
        )
    mine, theirs = list(input.shape), list(indices.shape)
    mine[dim] = theirs[dim] = 1  # the other dims broadcast; dim keeps each its own length
    shape = list(ops.manipulation.broadcast_shapes(tuple(mine), tuple(theirs)))
    _check_bounds(indices, input.shape[dim], dim)
    inputs = ops.broadcast_to(input, shape=(*shape[:dim], input.shape[dim], *shape[dim + 1 :]))
    picks = ops.broadcast_to(indices, shape=(*shape[:dim], indices.shape[dim], *shape[dim + 1 :]))
    return _TAKE_ALONG(inputs, picks, axis=dim)


# ---------------------------------------------------------------- whole slices along a dim


def _dim_key(input, dim, index, op: str, error=IndexError, message=None):
    """The key of index_select/index_add/...: `index` along `dim`, everything elsewhere."""
    if input.ndim == 0 and op != "index_select":
        raise NotImplementedError(f"{op}(): 0-d tensors are not supported; use a 1-D view")
    dim = normalize_axis(dim, input.ndim)
    if index.ndim > 1:
        raise (IndexError if op == "index_select" else RuntimeError)(
            "index_select(): Index is supposed to be a vector"
            if op == "index_select"
            else "Index has to be a vector/scalar"
        )
    _int_index(index, op)
    data = index._data
    if data.ndim == 0:
        data = index._be.xp.reshape(data, (1,))
    size = input.shape[dim] if input.ndim else 1
    if op == "index_select" or input.numel():  # torch's writes into nothing check nothing
        _check_bounds(index, size, dim, error, message)
    shape = list(input.shape)
    if shape:
        shape[dim] = data.shape[0]
    key = (*(FULL,) * dim, data) if input.ndim else (data,)
    return _keys.Key(None, key, tuple(shape) if shape else (data.shape[0],)), dim


def index_select(input, dim, index):
    """The slices of input at `index` along `dim` (a copy).

    >>> import bridgetensor as bt
    >>> bt.index_select(bt.tensor([[1, 2], [3, 4]]), 0, bt.tensor([1]))
    tensor([[3, 4]])
    """
    key, dim = _dim_key(input, dim, index, "index_select", message="index out of range in self")
    picks = wrap(key.advanced[-1], index._be)
    return _INDEX_SELECT(input, picks, axis=dim if input.ndim else None)


def _index_source(input, dim, index, source, op: str):
    key, dim = _dim_key(input, dim, index, op)
    count = key.advanced[-1].shape[0]
    if source.ndim and source.shape[dim] != count:
        raise RuntimeError(
            f"{op}(): Number of indices ({count}) should be equal to source.size(dim): "
            f"({source.shape[dim]}), for dim: {dim}"
        )
    mine = [n for d, n in enumerate(input.shape) if d != dim]
    theirs = [n for d, n in enumerate(source.shape) if d != dim]
    for d, (a, b) in enumerate(zip(mine, theirs)):
        if a != b:
            raise RuntimeError(
                f"{op}(): Source/destination tensor must have same slice shapes. Destination "
                f"slice shape: {a} at dimension {d} and source slice shape: {b} at dimension {d}."
            )
    check_value(input, source, key)
    return key


def check_value(input, value, key) -> None:
    """torch's error for a value that does not broadcast to what the key picks."""
    if hasattr(value, "_data"):
        shape = _keys.result_shape(key, tuple(input.shape), input._be)
        check_broadcast(tuple(value.shape), tuple(shape))


def index_add(input, dim, index, source, *, alpha=1):
    """A copy of input with `alpha * source`'s slices added at `index` along `dim`.

    >>> import bridgetensor as bt
    >>> bt.index_add(bt.zeros(3), 0, bt.tensor([0, 0]), bt.tensor([1.0, 2.0]))
    tensor([3., 0., 0.])
    """
    key = _index_source(input, dim, index, source, "index_add_")
    value = source if alpha == 1 else ops.multiply(source, alpha)
    return _WRITES["IndexAddBackward0"](input, value, key=key, accumulate=True)


def index_add_(input, dim, index, source, *, alpha=1):
    key = _index_source(input, dim, index, source, "index_add_")
    value = source if alpha == 1 else ops.multiply(source, alpha)
    prim = _WRITES["IndexAddBackward0"]
    return write(input, key, value, accumulate=True, op="index_add_", prim=prim)


def index_copy(input, dim, index, source):
    """A copy of input with `source`'s slices written at `index` along `dim`.

    >>> import bridgetensor as bt
    >>> bt.index_copy(bt.zeros(3), 0, bt.tensor([2]), bt.tensor([5.0]))
    tensor([0., 0., 5.])
    """
    key = _index_source(input, dim, index, source, "index_copy_")
    return _WRITES["IndexCopyBackward0"](input, source, key=key)


def index_copy_(input, dim, index, source):
    key = _index_source(input, dim, index, source, "index_copy_")
    return write(input, key, source, op="index_copy_", prim=_WRITES["IndexCopyBackward0"])


def index_fill(input, dim, index, value):
    """A copy of input with the slices at `index` along `dim` set to `value`.

    >>> import bridgetensor as bt
    >>> bt.index_fill(bt.zeros(3), 0, bt.tensor([1]), 7.0)
    tensor([0., 7., 0.])
    """
    key, _ = _dim_key(input, dim, index, "index_fill")
    return _WRITES["IndexFillBackward0"](input, value, key=key)


def index_fill_(input, dim, index, value):
    key, _ = _dim_key(input, dim, index, "index_fill_")
    return write(input, key, value, op="index_fill_", prim=_WRITES["IndexFillBackward0"])


def _put_key(input, indices):
    return _keys.parse(tuple(indices), tuple(input.shape), input._be)


def index_put(input, indices, values, accumulate=False):
    """A copy of input with ``input[indices] = values`` (``+=`` if `accumulate`).

    >>> import bridgetensor as bt
    >>> bt.index_put(bt.zeros(3), (bt.tensor([0, 0]),), bt.tensor(1.0), accumulate=True)
    tensor([2., 0., 0.])
    """
    key = _put_key(input, indices)
    check_value(input, values, key)
    return ops.setitem(input, values, key=key, accumulate=bool(accumulate))


def index_put_(input, indices, values, accumulate=False):
    key = _put_key(input, indices)
    return write(input, key, values, accumulate=bool(accumulate), op="index_put_")


# ---------------------------------------------------------------- masks and flat positions


def _mask_key(input, mask, op: str):
    if mask._be.kinds[mask._data.dtype] != "b":
        raise RuntimeError(f"{op}: expected BoolTensor for mask")
    shape = ops.manipulation.broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    data = mask._data
    xp = mask._be.xp
    if tuple(data.shape) != shape:
        data = xp.broadcast_to(data, shape)
    positions = xp.nonzero(data) if shape else ()
    count = positions[0].shape[0] if positions else int(bool(data))
    return shape, positions, count


def masked_select(input, mask):
    """The elements of input where `mask` (broadcast) is True, as a 1-D copy.

    >>> import bridgetensor as bt
    >>> bt.masked_select(bt.tensor([1, 2, 3]), bt.tensor([True, False, True]))
    tensor([1, 3])
    """
    shape, positions, _ = _mask_key(input, mask, "masked_select")
    if not shape:
        return _MASKED_SELECT(input, key=(mask._data,))
    inputs = input if tuple(input.shape) == shape else ops.broadcast_to(input, shape=shape)
    return _MASKED_SELECT(inputs, key=positions)


def _masked_scatter_args(input, mask, source, op):
    shape, positions, count = _mask_key(input, mask, op)
    if shape != tuple(input.shape):
        raise RuntimeError(
            f"{op}: expected self and mask to be broadcastable to self's shape; got "
            f"{list(input.shape)} and {list(mask.shape)}"
        )
    if source.numel() < count:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    flat = ops.reshape(source, shape=(source.numel(),))
    value = ops.indexing.GETITEM["SliceBackward0"](flat, key=(slice(0, count), Ellipsis))
    key = _keys.Key(None, tuple(positions) or (mask._data,), (count,))
    return key, value


def masked_scatter(input, mask, source):
    """A copy of input with source's first elements written, in order, where `mask` is True.

    >>> import bridgetensor as bt
    >>> bt.masked_scatter(bt.zeros(3), bt.tensor([True, False, True]), bt.tensor([1.0, 2.0]))
    tensor([1., 0., 2.])
    """
    key, value = _masked_scatter_args(input, mask, source, "masked_scatter")
    return _WRITES["MaskedScatterBackward0"](input, value, key=key)


def masked_scatter_(input, mask, source):
    key, value = _masked_scatter_args(input, mask, source, "masked_scatter_")
    prim = _WRITES["MaskedScatterBackward0"]
    return write(input, key, value, op="masked_scatter_", prim=prim)


def _flat_positions(input, index, op):
    count = input.numel()
    _int_index(index, op)
    data = index._data
    xp = index._be.xp
    if math.prod(data.shape):
        for bad in (int(xp.max(data)), int(xp.min(data))):
            if not -count <= bad < count:
                raise IndexError(
                    f"out of range: tried to access index {bad} on a tensor of {count} elements."
                )
    return data


def take(input, index):
    """Elements of input, read as 1-D, at `index` (the result has index's shape).

    >>> import bridgetensor as bt
    >>> bt.take(bt.tensor([[1, 2], [3, 4]]), bt.tensor([0, 3]))
    tensor([1, 4])
    """
    _flat_positions(input, index, "take")
    return ops.take(input, index, axis=None)


def _put_args(input, index, source, op):
    data = _flat_positions(input, index, op)
    if source.numel() != math.prod(data.shape):
        raise RuntimeError(
            f"{op}(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source.numel()}, index.numel() = {math.prod(data.shape)}"
        )
    xp = index._be.xp
    count = input.numel()
    data = xp.where(data < 0, data + count, data)
    coords = []
    for n in reversed(tuple(input.shape)):
        coords.append(data % n)
        data = data // n
    key = _keys.Key(None, tuple(reversed(coords)) or (data,), tuple(index.shape))
    value = (
        source
        if tuple(source.shape) == tuple(index.shape)
        else ops.reshape(source, shape=tuple(index.shape))
    )
    return key, value


def put(input, index, source, accumulate=False):
    """A copy of input with source written at the 1-D positions `index` (summed if
    `accumulate`).

    >>> import bridgetensor as bt
    >>> bt.put(bt.zeros(2, 2), bt.tensor([3]), bt.tensor([1.0]))
    tensor([[0., 0.],
            [0., 1.]])
    """
    key, value = _put_args(input, index, source, "put")
    return _WRITES["PutBackward0"](input, value, key=key, accumulate=bool(accumulate))


def put_(input, index, source, accumulate=False):
    key, value = _put_args(input, index, source, "put_")
    prim = _WRITES["PutBackward0"]
    return write(input, key, value, accumulate=bool(accumulate), op="put_", prim=prim)
