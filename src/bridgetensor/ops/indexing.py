"""Indexing primitives: reads (`getitem`, `index`, `take`, `take_along_axis`) and writes.

A key is parsed once (`_keys.parse`) into a basic part, which `getitem` applies as a view,
and an advanced part (integer arrays), which `index` gathers. Writes go through `setitem`,
out of place here; the torch face writes in place and records the same primitive.
"""

from __future__ import annotations

from array_api_compat import device as array_device

from .._backend import backend_of_array
from .._index_keys import indexed_shape
from ..autograd._primitive import primitive
from . import _keys
from ._helpers import variant
from ._keys import FULL, as_key, cover_key, native_key

__all__ = [
    "getitem",
    "getitem_scatter",
    "index",
    "index_add_at",
    "read_key",
    "setitem",
    "take",
    "take_along_axis",
]


@primitive(dtypes=None, view=True, grad_name="SliceBackward0")
def getitem(x, /, *, xp, key):
    """x[key] for a basic key (ints, slices, None, Ellipsis): a view of x."""
    return backend_of_array(x).index(x, cover_key(key))


getitem.defvjp(lambda g, out, x, *, key: getitem_scatter(g, shape=x.shape, key=key))


@primitive(dtypes=None, grad_name="SliceBackwardBackward0")
def getitem_scatter(values, /, *, xp, shape, key):
    """Zeros of `shape` with `values` at the basic `key` (the transpose of `getitem`)."""
    zeros = xp.zeros(tuple(shape), dtype=values.dtype, device=array_device(values))
    # None entries made axes of length 1 in the read; a write has no such axes.
    key = cover_key(tuple(k for k in cover_key(key) if k is not None))
    values = xp.reshape(values, indexed_shape(xp, key, tuple(shape)))
    return backend_of_array(values).index_put(zeros, key, values)


getitem_scatter.defvjp(lambda g, out, values, *, shape, key: getitem(g, key=key))

# torch names the node of a basic index by its last step: x[0] is SelectBackward0.
GETITEM = {
    name: variant(getitem, name)
    for name in ("SelectBackward0", "UnsqueezeBackward0", "AliasBackward0", "SliceBackward0")
}


@primitive(dtypes=None, grad_name="IndexBackward0")
def index(x, /, *, xp, key):
    """x[key] for a key of slice(None)s and integer arrays (NumPy placement): a copy."""
    backend = backend_of_array(x)
    return backend.index(x, native_key(key, backend))


index.defvjp(lambda g, out, x, *, key: index_add_at(g, shape=x.shape, key=key))


@primitive(dtypes=None, grad_name="IndexPutBackward0")
def index_add_at(values, /, *, xp, shape, key):
    """Zeros of `shape` with `values` added at `key`, repeated indices summing."""
    backend = backend_of_array(values)
    zeros = xp.zeros(tuple(shape), dtype=values.dtype, device=array_device(values))
    return backend.scatter_add(zeros, native_key(key, backend), values)


index_add_at.defvjp(lambda g, out, values, *, shape, key: index(g, key=key))


def read_key(x, key):
    """x[key] for a parsed `Key` (or a raw key) as Tensor ops: a view, then a gather."""
    key = as_key(key)
    if key.basic is not None:
        x = GETITEM[key.grad_name](x, key=key.basic)
    if key.advanced is not None:
        x = index(x, key=key.advanced)
    return x


@primitive(dtypes=None, grad_name="IndexPutBackward0")
def setitem(x, value, /, *, xp, key, accumulate=False):
    """A copy of x with x[key] = value (``+=`` with repeated indices summing if
    `accumulate`); value is cast to x's dtype. The torch face writes in place instead."""
    backend = backend_of_array(x)
    if not isinstance(value, (int, float, bool, complex)) and value.dtype != x.dtype:
        value = xp.astype(value, x.dtype)
    result = xp.asarray(x, copy=True)
    return _keys.write(backend, result, as_key(key), value, accumulate)


def _setitem_rule_x(g, out, x, value, *, key, accumulate=False):
    return g if accumulate else setitem(g, 0.0, key=key)


def _setitem_rule_value(g, out, x, value, *, key, accumulate=False):
    picked = read_key(g, key)
    if picked.ndim < value.ndim:  # the value had leading axes of length 1, which it lost
        from .manipulation import reshape

        picked = reshape(picked, shape=(1,) * (value.ndim - picked.ndim) + tuple(picked.shape))
    return picked


setitem.defvjp(_setitem_rule_x, _setitem_rule_value)


@primitive(dtypes=None, grad_name="TakeBackward0")
def take(x, indices, /, *, xp, axis=None):
    if axis is None:  # the standard needs an axis for arrays of more than one dimension
        x, axis = xp.reshape(x, (-1,)), 0
    # The standard takes 1-D indices only; the result has the indices' shape at `axis`.
    flat = xp.take(x, xp.reshape(indices, (-1,)), axis=axis)
    axis %= x.ndim
    return xp.reshape(flat, (*x.shape[:axis], *indices.shape, *x.shape[axis + 1 :]))


def _take_rule(g, out, x, indices, *, axis=None):
    if axis is None:
        from .manipulation import reshape

        flat = index_add_at(g, shape=(x.shape.numel(),), key=(indices._data,))
        return reshape(flat, shape=x.shape)
    key = (FULL,) * (axis % x.ndim) + (indices._data,)
    return index_add_at(g, shape=x.shape, key=key)


take.defvjp(_take_rule, None)


@primitive(dtypes=None, grad_name="TakeAlongDimBackward0")
def take_along_axis(x, indices, /, *, xp, axis=-1):
    return xp.take_along_axis(x, indices, axis=axis)


def _take_along_rule(g, out, x, indices, *, axis=-1):
    return index_add_at(g, shape=x.shape, key=along_key(indices, axis, x.ndim))


def along_key(indices, axis: int, ndim: int) -> tuple:
    """The integer-array key that picks ``indices[...]`` along `axis` (gather/scatter)."""
    xp = indices._be.xp
    data = indices._data
    axis %= ndim
    key = []
    for dim in range(ndim):
        if dim == axis:
            key.append(data)
        else:
            shape = [1] * ndim
            shape[dim] = data.shape[dim]
            key.append(xp.reshape(xp.arange(data.shape[dim]), tuple(shape)))
    return tuple(key)


take_along_axis.defvjp(_take_along_rule, None)
