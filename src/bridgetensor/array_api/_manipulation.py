"""The standard's manipulation and indexing functions (concat, stack, reshape, take, ...).

Arrays to join take the standard's promotion first; views stay views (reshape,
permute_dims, expand_dims, squeeze, broadcast_to, unstack), as in the primitives.
"""

from __future__ import annotations

from .. import ops
from ..ops._helpers import normalize_axis
from ._promotion import as_operand, promote_arrays

__all__ = [
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "concat",
    "expand_dims",
    "flip",
    "moveaxis",
    "permute_dims",
    "repeat",
    "reshape",
    "roll",
    "squeeze",
    "stack",
    "take",
    "take_along_axis",
    "tile",
    "unstack",
]


def broadcast_shapes(*shapes) -> tuple:
    """The shape that `shapes` broadcast to (ValueError when they do not).

    >>> import bridgetensor.array_api as xp
    >>> xp.broadcast_shapes((3, 1), (4,))
    (3, 4)
    """
    from ..ops.manipulation import broadcast_shapes as shapes_of

    try:
        return shapes_of(*(tuple(s) for s in shapes))
    except RuntimeError as error:
        raise ValueError(str(error)) from None


def broadcast_arrays(*arrays):
    """The arrays broadcast against each other (views).

    >>> import bridgetensor.array_api as xp
    >>> [a.shape for a in xp.broadcast_arrays(xp.zeros((3, 1)), xp.zeros(4))]
    [bridgetensor.Size([3, 4]), bridgetensor.Size([3, 4])]
    """
    arrays = [as_operand(a) for a in arrays]
    broadcast_shapes(*(a.shape for a in arrays))
    return ops.broadcast_arrays(*arrays)


def broadcast_to(x, /, shape):
    """`x` broadcast to `shape` (a view).

    >>> import bridgetensor.array_api as xp
    >>> xp.broadcast_to(xp.asarray([1, 2]), (2, 2))
    tensor([[1, 2],
            [1, 2]])
    """
    x = as_operand(x)
    shape = tuple(shape)
    try:
        fits = broadcast_shapes(tuple(x.shape), shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"broadcast_to: cannot broadcast shape {tuple(x.shape)} to {shape}")
    return ops.broadcast_to(x, shape=shape)


def concat(arrays, /, *, axis=0):
    """The arrays joined along an existing `axis` (None: flattened and joined).

    >>> import bridgetensor.array_api as xp
    >>> xp.concat([xp.asarray([1]), xp.asarray([2, 3])])
    tensor([1, 2, 3])
    """
    arrays = promote_arrays(*arrays)
    if axis is None:
        arrays = [ops.reshape(a, shape=(-1,)) for a in arrays]
        axis = 0
    return ops.concat(*arrays, axis=axis)


def stack(arrays, /, *, axis=0):
    """The arrays joined along a new `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.stack([xp.asarray([1, 2]), xp.asarray([3, 4])], axis=1)
    tensor([[1, 3],
            [2, 4]])
    """
    arrays = promote_arrays(*arrays)
    for a in arrays[1:]:
        if a.shape != arrays[0].shape:
            raise ValueError(
                f"stack: arrays must have the same shape; got {tuple(arrays[0].shape)} "
                f"and {tuple(a.shape)}"
            )
    return ops.stack(*arrays, axis=axis)


def expand_dims(x, /, axis=0):
    """`x` with a new axis of length 1 at `axis` (a view).

    >>> import bridgetensor.array_api as xp
    >>> xp.expand_dims(xp.zeros(3), axis=-1).shape
    bridgetensor.Size([3, 1])
    """
    x = as_operand(x)
    if not -x.ndim - 1 <= axis <= x.ndim:
        raise IndexError(f"expand_dims: axis {axis} is out of range for a {x.ndim}-d array")
    return ops.expand_dims(x, axis=axis)


def flip(x, /, *, axis=None):
    """`x` with the order of elements along `axis` (None: every axis) reversed.

    >>> import bridgetensor.array_api as xp
    >>> xp.flip(xp.asarray([1, 2, 3]))
    tensor([3, 2, 1])
    """
    return ops.flip(as_operand(x), axis=axis)


def moveaxis(x, source, destination, /):
    """`x` with axes moved to new places, the others keeping their order (a view).

    >>> import bridgetensor.array_api as xp
    >>> xp.moveaxis(xp.zeros((2, 3, 4)), 0, -1).shape
    bridgetensor.Size([3, 4, 2])
    """
    return ops.moveaxis(as_operand(x), source, destination)


def permute_dims(x, /, axes):
    """`x` with its axes in the order `axes` (a view).

    >>> import bridgetensor.array_api as xp
    >>> xp.permute_dims(xp.zeros((2, 3)), (1, 0)).shape
    bridgetensor.Size([3, 2])
    """
    x = as_operand(x)
    axes = tuple(normalize_axis(a, x.ndim) for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute_dims: axes {axes} are not a permutation of {x.ndim} axes")
    return ops.permute_dims(x, axes=axes)


def repeat(x, repeats, /, *, axis=None):
    """Each element repeated `repeats` times (an int or one count per element) along
    `axis` (None: of the flattened array).

    >>> import bridgetensor.array_api as xp
    >>> xp.repeat(xp.asarray([1, 2]), 2)
    tensor([1, 1, 2, 2])
    """
    return ops.repeat(as_operand(x), as_operand(repeats), axis=axis)


def reshape(x, /, shape, *, copy=None):
    """`x` with a new shape (a view where possible; ``copy=False`` refuses to copy).

    >>> import bridgetensor.array_api as xp
    >>> xp.reshape(xp.arange(6), (2, -1))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    return ops.reshape(as_operand(x), shape=tuple(shape), copy=copy)


def roll(x, /, shift, *, axis=None):
    """`x` with its elements shifted by `shift` along `axis` (None: flattened), wrapping.

    >>> import bridgetensor.array_api as xp
    >>> xp.roll(xp.asarray([1, 2, 3]), 1)
    tensor([3, 1, 2])
    """
    if isinstance(shift, list):
        shift = tuple(shift)
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.roll(as_operand(x), shift=shift, axis=axis)


def squeeze(x, /, axis):
    """`x` without the given axes of length 1 (ValueError for a longer one).

    >>> import bridgetensor.array_api as xp
    >>> xp.squeeze(xp.zeros((1, 3)), axis=0).shape
    bridgetensor.Size([3])
    """
    x = as_operand(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[normalize_axis(a, x.ndim)] != 1:
            raise ValueError(f"squeeze: axis {a} has length {x.shape[a]}, not 1")
    return ops.squeeze(x, axis=axis)


def tile(x, repetitions, /):
    """`x` repeated `repetitions` times along each axis.

    >>> import bridgetensor.array_api as xp
    >>> xp.tile(xp.asarray([1, 2]), (2,))
    tensor([1, 2, 1, 2])
    """
    return ops.tile(as_operand(x), repetitions=tuple(repetitions))


def unstack(x, /, *, axis=0):
    """The slices of `x` along `axis`, as a tuple of views.

    >>> import bridgetensor.array_api as xp
    >>> xp.unstack(xp.asarray([[1, 2], [3, 4]]))
    (tensor([1, 2]), tensor([3, 4]))
    """
    return tuple(ops.unstack(as_operand(x), axis=axis))


def take(x, indices, /, *, axis=None):
    """The elements of `x` at the 1-d integer `indices` along `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.take(xp.asarray([10, 20, 30]), xp.asarray([2, 0]))
    tensor([30, 10])
    """
    x = as_operand(x)
    if axis is None and x.ndim != 1:
        raise ValueError(f"take: axis is required for a {x.ndim}-d array")
    return ops.take(x, as_operand(indices), axis=axis)


def take_along_axis(x, indices, /, *, axis=-1):
    """The elements of `x` at `indices` (same rank, broadcasting) along `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.take_along_axis(xp.asarray([[1, 2], [3, 4]]), xp.asarray([[1], [0]]), axis=1)
    tensor([[2],
            [3]])
    """
    return ops.take_along_axis(as_operand(x), as_operand(indices), axis=axis)
