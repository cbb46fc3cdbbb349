"""Indexing under torch's rules: ``t[key]`` reads, ``t[key] = v`` writes, and in-place writes.

Reads: the basic part of a key is a view (SelectBackward0, SliceBackward0, ...), integer
arrays and masks then gather a copy (IndexBackward0). Writes go into the tensor's memory,
through views to their base, and are recorded for autograd like torch's in-place ops.
"""

from __future__ import annotations

from .. import ops
from ..autograd import _mode, _primitive, _views
from ..autograd._primitive import _record, bump_version, check_inplace_target, write_into
from ..ops import _keys
from ..ops._helpers import variant

__all__ = ["IndexingMethods", "check_broadcast", "parse_key", "write"]

_SCALARS = (int, float, bool, complex)

# torch's grad_fn names for the writes: a basic key writes through a view (CopySlices).
_SET_BASIC = variant(ops.setitem, "CopySlices")


def parse_key(tensor, key) -> _keys.Key:
    """`key` checked against `tensor` with torch's rules and errors, split in two steps."""
    return _keys.parse(key, tensor._data.shape, tensor._be)


def _value_array(target, value, op: str):
    """The value to write as (Tensor or Python scalar, raw array or scalar) in target's dtype."""
    be = target._be
    if isinstance(value, _primitive.Tensor):
        if value._be is not be:
            raise RuntimeError(
                f"{op}: the value is on the {value._be.name} backend but the tensor is on {be.name}"
            )
        array = value._data
        if array.dtype != target._data.dtype:
            array = be.xp.astype(array, target._data.dtype)
        return value, array
    if isinstance(value, _SCALARS):
        if be.kinds[target._data.dtype] in "iu" and isinstance(value, float):
            value = int(value)  # torch truncates a float written into an integer tensor
        return value, value
    from .._creation import tensor

    value = tensor(value, dtype=target.dtype, device=target.device)
    return value, value._data


def check_broadcast(value_shape, shape) -> None:
    """torch's error when a written value does not broadcast to the indexed shape."""
    while len(value_shape) > len(shape) and value_shape[0] == 1:
        value_shape = value_shape[1:]  # torch drops leading axes of length 1
    if len(value_shape) > len(shape):
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(value_shape)})"
        )
    lead = len(shape) - len(value_shape)
    for i, (v, n) in enumerate(zip(value_shape, shape[lead:])):
        if v not in (1, n):
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size ({v}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {list(shape)}.  Tensor "
                f"sizes: {list(value_shape)}"
            )


def write(target, key, value, *, accumulate=False, op="setitem", prim=None):
    """``target[key] = value`` (``+=`` summing repeated indices when `accumulate`), in place.

    Checks everything before touching memory; records the write for autograd (through a
    view it updates the base's history, as torch's CopySlices). Returns `target`.
    """
    check_inplace_target(op, target)
    if not isinstance(key, _keys.Key):
        key = parse_key(target, key)
    value, array = _value_array(target, value, op)
    if not isinstance(array, _SCALARS):
        shape = _keys.result_shape(key, target._data.shape, target._be)
        check_broadcast(tuple(array.shape), tuple(shape))
    needs_graph = _mode.state.grad_enabled and (
        target._requires_grad
        or (isinstance(value, _primitive.Tensor) and value._requires_grad)
        or (target._view is not None and target._base._requires_grad)
    )
    if needs_graph and target._view is not None:
        _views.check_rebase(target)
    be = target._be
    written = _keys.write(be, target._data, key, array, accumulate)
    if written is target._data:
        bump_version(target)
    else:
        write_into(target, written)  # a new array (JAX, Dask), which the tensor takes on
    if needs_graph:
        if prim is None:
            prim = _SET_BASIC if key.advanced is None and not accumulate else ops.setitem
        static = {"key": key, "accumulate": accumulate} if accumulate else {"key": key}
        if target._view is not None:
            _views.rebase_view_write(target, prim, (target, value), static)
        else:
            _record(prim, (target, value), static, (target,))
    return target


class IndexingMethods:
    __slots__ = ()

    def __getitem__(self, key):
        return ops.read_key(self, parse_key(self, key))

    def __setitem__(self, key, value):
        write(self, key, value)

    def gather(self, dim, index, *, sparse_grad=False):
        return scatter.gather(self, dim, index)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return scatter.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        return scatter.scatter_(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return scatter.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim, index, src):
        return scatter.scatter_add_(self, dim, index, src)

    def index_select(self, dim, index):
        return scatter.index_select(self, dim, index)

    def index_add(self, dim, index, source, *, alpha=1):
        return scatter.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(self, dim, index, source, *, alpha=1):
        return scatter.index_add_(self, dim, index, source, alpha=alpha)

    def index_copy(self, dim, index, source):
        return scatter.index_copy(self, dim, index, source)

    def index_copy_(self, dim, index, source):
        return scatter.index_copy_(self, dim, index, source)

    def index_fill(self, dim, index, value):
        return scatter.index_fill(self, dim, index, value)

    def index_fill_(self, dim, index, value):
        return scatter.index_fill_(self, dim, index, value)

    def index_put(self, indices, values, accumulate=False):
        return scatter.index_put(self, indices, values, accumulate)

    def index_put_(self, indices, values, accumulate=False):
        return scatter.index_put_(self, indices, values, accumulate)

    def masked_select(self, mask):
        return scatter.masked_select(self, mask)

    def masked_scatter(self, mask, source):
        return scatter.masked_scatter(self, mask, source)

    def masked_scatter_(self, mask, source):
        return scatter.masked_scatter_(self, mask, source)

    def take(self, index):
        return scatter.take(self, index)

    def take_along_dim(self, indices, dim=None):
        return scatter.take_along_dim(self, indices, dim)

    def put(self, index, source, accumulate=False):
        return scatter.put(self, index, source, accumulate)

    def put_(self, index, source, accumulate=False):
        return scatter.put_(self, index, source, accumulate)


# Last: the gathers and scatters are built on `write` above.
from . import scatter  # noqa: E402
