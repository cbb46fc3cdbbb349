"""Sorting and searching under torch's names: sort, argsort, topk, kthvalue, searchsorted,
bucketize, nonzero."""

from __future__ import annotations

from .. import _dtypes, ops
from ._dims import dim_axis, result_type
from .sets import SetMethods

__all__ = [
    "SortingMethods",
    "argsort",
    "argwhere",
    "bucketize",
    "kthvalue",
    "msort",
    "nonzero",
    "searchsorted",
    "sort",
    "topk",
]

_sort_result = result_type("sort", ["values", "indices"])
_topk_result = result_type("topk", ["values", "indices"])
_kthvalue_result = result_type("kthvalue", ["values", "indices"])


def _scalar_result(input, result):
    """What torch gives for a 0-d input: the value itself, at index 0."""
    return result(ops.positive(input), ops.argmax(input))


def sort(input, dim=-1, descending=False, stable=False):
    """The named tuple (values, indices) of `input` sorted along `dim`.

    Always stable (equal values keep their order); NaN sorts as the largest value. The
    gradient goes back to each value's original place.

    >>> import bridgetensor as bt
    >>> bt.sort(bt.tensor([3, 1, 2])).indices
    tensor([1, 2, 0])
    """
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        return _scalar_result(input, _sort_result)
    indices = ops.argsort(input, axis=axis, descending=descending, stable=True)
    return _sort_result(ops.take_along_axis(input, indices, axis=axis), indices)


def argsort(input, dim=-1, descending=False, stable=False):
    """Indices that sort `input` along `dim` (stable).

    >>> import bridgetensor as bt
    >>> bt.argsort(bt.tensor([3, 1, 2]))
    tensor([1, 2, 0])
    """
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        return ops.argmax(input)
    return ops.argsort(input, axis=axis, descending=descending, stable=True)


def msort(input):
    """`input` sorted along its first dimension.

    >>> import bridgetensor as bt
    >>> bt.msort(bt.tensor([[3, 1], [1, 2]]))
    tensor([[1, 1],
            [3, 2]])
    """
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The named tuple (values, indices) of the `k` largest (smallest) values along `dim`.

    Returned in order (largest first) whatever `sorted` says; equal values keep their
    order; NaN counts as the largest value.

    >>> import bridgetensor as bt
    >>> bt.topk(bt.tensor([3, 1, 5]), 2).values
    tensor([5, 3])
    """
    axis = dim_axis(input, dim)
    if input.dtype is _dtypes.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    size = 1 if input.ndim == 0 else input.shape[axis]
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if input.ndim == 0:
        return _scalar_result(input, _topk_result)
    return _topk_result(*ops.topk(input, k, axis=axis, largest=largest))


def kthvalue(input, k, dim=-1, keepdim=False):
    """The named tuple (values, indices) of the k-th smallest value along `dim` (k from 1).

    >>> import bridgetensor as bt
    >>> bt.kthvalue(bt.tensor([3.0, 1.0, 2.0]), 2).values
    tensor(2.)
    """
    axis = dim_axis(input, dim)
    size = 1 if input.ndim == 0 else input.shape[axis]
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    if input.ndim == 0:
        return _scalar_result(input, _kthvalue_result)
    return _kthvalue_result(*ops.kthvalue(input, k, axis=axis, keepdims=keepdim))


def _as_tensor_like(value, like):
    if hasattr(value, "_data"):
        return value
    from .._creation import tensor

    return tensor(value, device=like.device)


def _search_side(name, right, side):
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise RuntimeError(f"{name}(): side can only be 'left' or 'right' but got {side}")
    if right and side == "left":
        raise RuntimeError(
            f"{name}(): side and right can't be set to opposites, got side of left while "
            "right was True"
        )
    return side


def _index_result(found, out_int32):
    return ops.astype(found, dtype=_dtypes.int32) if out_int32 else found


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    """Indices where `input`'s values would be inserted into `sorted_sequence` (sorted along
    its last dimension) to keep it sorted; `right` or side="right" goes after equal values.

    >>> import bridgetensor as bt
    >>> bt.searchsorted(bt.tensor([1, 3, 5]), bt.tensor([3, 6]))
    tensor([1, 3])
    """
    name = "torch.searchsorted"
    side = _search_side(name, right, side)
    boundaries = sorted_sequence
    if boundaries.ndim == 0:
        raise RuntimeError(
            f"{name}(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    values = _as_tensor_like(input, boundaries)
    if boundaries.ndim > 1 and (
        values.ndim != boundaries.ndim or values.shape[:-1] != boundaries.shape[:-1]
    ):
        raise RuntimeError(
            f"{name}(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
            "boundaries tensor and input value tensor must match, but we got boundaries tensor "
            f"{list(boundaries.shape)} and input value tensor {list(values.shape)}"
        )
    if sorter is not None and sorter.shape != boundaries.shape:
        raise RuntimeError(
            f"{name}(): boundary and sorter must have the same size, but got boundary tensor "
            f"{list(boundaries.shape)}and got sorter tensor {list(sorter.shape)}"
        )
    if values.ndim == 0:
        found = ops.searchsorted(boundaries, ops.reshape(values, shape=(1,)), sorter, side=side)
        found = ops.reshape(found, shape=())
    else:
        found = ops.searchsorted(boundaries, values, sorter, side=side)
    return _index_result(found, out_int32)


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The index of the bucket of each value: boundaries[i-1] < x <= boundaries[i]
    (with `right`, boundaries[i-1] <= x < boundaries[i]).

    >>> import bridgetensor as bt
    >>> bt.bucketize(bt.tensor([0.5, 2.0, 9.0]), bt.tensor([1.0, 2.0, 3.0]))
    tensor([0, 1, 3])
    """
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per
    dimension with `as_tuple` (a 0-d input counts as 1-d).

    >>> import bridgetensor as bt
    >>> bt.nonzero(bt.tensor([[0, 1], [2, 0]]))
    tensor([[0, 1],
            [1, 0]])
    """
    if not as_tuple:
        return ops.argwhere(input)
    if input.ndim == 0:
        return ops.nonzero(ops.reshape(input, shape=(1,)))
    return ops.nonzero(input)


def argwhere(input):
    """The (n, ndim) int64 indices of the non-zero elements.

    >>> import bridgetensor as bt
    >>> bt.argwhere(bt.tensor([0, 3, 5]))
    tensor([[1],
            [2]])
    """
    return ops.argwhere(input)


class SortingMethods(SetMethods):
    __slots__ = ()

    def sort(self, dim=-1, descending=False, stable=False):
        return sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return argsort(self, dim, descending, stable)

    def msort(self):
        return msort(self)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return topk(self, k, dim, largest, sorted)

    def kthvalue(self, k, dim=-1, keepdim=False):
        return kthvalue(self, k, dim, keepdim)

    def nonzero(self, *, as_tuple=False):
        return nonzero(self, as_tuple=as_tuple)

    def argwhere(self):
        return argwhere(self)
