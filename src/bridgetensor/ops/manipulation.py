"""Shape and layout primitives, named as in the array-API standard.

Those marked ``view=True`` return views where the backend does (NumPy always for
these), so writes through them reach their base, as in torch.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axis

__all__ = [
    "astype",
    "broadcast_to",
    "clone",
    "concat",
    "expand_dims",
    "flip",
    "permute_dims",
    "reshape",
    "squeeze",
    "stack",
]


@primitive(dtypes=None, grad_name="ToCopyBackward0")
def astype(x, /, *, xp, dtype, copy=True):
    """Cast to a bridgetensor dtype; the gradient is cast back by the engine."""
    from .._backend import backend_of_array

    native = backend_of_array(x).native[dtype]
    if not copy and x.dtype == native:
        return x
    return xp.astype(x, native, copy=copy)


astype.defvjp(lambda g, out, x, *, dtype, copy=True: g)


@primitive(dtypes=None, view=True, grad_name="ViewBackward0")
def reshape(x, /, *, xp, shape, copy=None):
    return xp.reshape(x, shape) if copy is None else xp.reshape(x, shape, copy=copy)


reshape.defvjp(lambda g, out, x, *, shape, copy=None: reshape(g, shape=x.shape))


@primitive(dtypes=None, view=True, grad_name="PermuteBackward0")
def permute_dims(x, /, *, xp, axes):
    return xp.permute_dims(x, axes)


def _inverse(axes) -> tuple:
    inverse = [0] * len(axes)
    for i, a in enumerate(axes):
        inverse[a] = i
    return tuple(inverse)


permute_dims.defvjp(lambda g, out, x, *, axes: permute_dims(g, axes=_inverse(axes)))


@primitive(dtypes=None, view=True, grad_name="UnsqueezeBackward0")
def expand_dims(x, /, *, xp, axis=0):
    return xp.expand_dims(x, axis=axis)


expand_dims.defvjp(lambda g, out, x, *, axis=0: squeeze(g, axis=axis))


@primitive(dtypes=None, view=True, grad_name="SqueezeBackward0")
def squeeze(x, /, *, xp, axis):
    return xp.squeeze(x, axis=axis)


squeeze.defvjp(lambda g, out, x, *, axis: reshape(g, shape=x.shape))


@primitive(dtypes=None, view=True, grad_name="ExpandBackward0")
def broadcast_to(x, /, *, xp, shape):
    return xp.broadcast_to(x, shape)


# The engine sums every gradient back to its input's shape, which is this rule.
broadcast_to.defvjp(lambda g, out, x, *, shape: g)


@primitive(dtypes="promote", grad_name="CatBackward0")
def concat(*arrays, xp, axis=0):
    return xp.concat(arrays, axis=axis)


def _concat_rule(g, out, *xs, index, axis=0):
    from .indexing import getitem

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
    key = (slice(None),) * axis + (slice(start, start + xs[index].shape[axis]),)
    return getitem(g, key=key)


concat.defvjp_each(_concat_rule, reads="meta")


@primitive(dtypes="promote", grad_name="StackBackward0")
def stack(*arrays, xp, axis=0):
    return xp.stack(arrays, axis=axis)


def _stack_rule(g, out, *xs, index, axis=0):
    from .indexing import getitem

    axis = normalize_axis(axis, g.ndim)
    return getitem(g, key=(slice(None),) * axis + (index,))


stack.defvjp_each(_stack_rule, reads="meta")


@primitive(dtypes=None, grad_name="FlipBackward0")
def flip(x, /, *, xp, axis=None):
    return xp.flip(x, axis=axis)


flip.defvjp(lambda g, out, x, *, axis=None: flip(g, axis=axis))


@primitive(dtypes=None, grad_name="CloneBackward0")
def clone(x, /, *, xp):
    return xp.asarray(x, copy=True)


clone.defvjp(lambda g, out, x: g)
