"""Indexing primitives: reads (`getitem`, `take`, `take_along_axis`) and writes."""

from __future__ import annotations

from ..autograd._primitive import primitive

__all__ = ["getitem", "index_add_at", "setitem", "take", "take_along_axis"]


@primitive(dtypes=None, view=True, grad_name="IndexBackward0")
def getitem(x, /, *, xp, key):
    """x[key] with a raw-array key (Tensors in the key are unwrapped by the caller)."""
    return x[key]


def _getitem_rule(g, out, x, *, key):
    return index_add_at(g, shape=x.shape, key=key)


getitem.defvjp(_getitem_rule)


@primitive(dtypes=None, grad_name="IndexPutBackward0")
def index_add_at(values, /, *, xp, shape, key):
    """Zeros of `shape` with `values` added at `key` (the transpose of `getitem`)."""
    from .._backend import backend_of_array

    backend = backend_of_array(values)
    zeros = xp.zeros(tuple(shape), dtype=values.dtype)
    return backend.scatter_add(zeros, key, values)


index_add_at.defvjp(lambda g, out, values, *, shape, key: getitem(g, key=key))


@primitive(dtypes=None, grad_name="TakeBackward0")
def take(x, indices, /, *, xp, axis=None):
    return xp.take(x, indices, axis=axis)


def _take_rule(g, out, x, indices, *, axis=None):
    if axis is None:
        flat = index_add_at(g, shape=(x.shape.numel(),), key=(indices._data,))
        from .manipulation import reshape

        return reshape(flat, shape=x.shape)
    key = (slice(None),) * (axis % x.ndim) + (indices._data,)
    return index_add_at(g, shape=x.shape, key=key)


take.defvjp(_take_rule, None)


@primitive(dtypes=None, grad_name="TakeAlongDimBackward0")
def take_along_axis(x, indices, /, *, xp, axis=-1):
    return xp.take_along_axis(x, indices, axis=axis)


def _take_along_rule(g, out, x, indices, *, axis=-1):
    return index_add_at(g, shape=x.shape, key=_along_key(indices, axis, x.ndim))


def _along_key(indices, axis: int, ndim: int) -> tuple:
    """The integer-array key that picks indices[...] along `axis` (for a scatter)."""
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


@primitive(dtypes=None, grad_name="IndexPutBackward0")
def setitem(x, value, /, *, xp, key):
    """A copy of x with x[key] = value (Tensor.__setitem__ writes in place instead)."""
    from .._backend import backend_of_array

    return backend_of_array(x).set_item(xp.asarray(x, copy=True), key, value)


setitem.defvjp(
    lambda g, out, x, value, *, key: setitem(g, 0.0, key=key),
    lambda g, out, x, value, *, key: getitem(g, key=key),
)
