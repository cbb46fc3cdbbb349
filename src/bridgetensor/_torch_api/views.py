"""Views that pick or repeat elements: `expand`, `broadcast_to`, `narrow`, `select`, `diagonal`."""

from __future__ import annotations

from .. import ops
from ..ops._helpers import normalize_axis

__all__ = [
    "broadcast_shapes",
    "broadcast_tensors",
    "broadcast_to",
    "diagonal",
    "expand",
    "narrow",
    "select",
]

FULL = slice(None)
_SELECT = ops.indexing.GETITEM["SelectBackward0"]
_SLICE = ops.indexing.GETITEM["SliceBackward0"]


def _shape_arg(shape) -> tuple:
    """torch accepts expand(2, 3), expand((2, 3)) and expand([2, 3])."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def expand(input, *sizes):
    """A view with size-1 dimensions repeated to `sizes` (-1 keeps a size); no copy."""
    sizes = _shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand({input.type()}{{{list(input.shape)}}}, size={list(sizes)}): the number of "
            f"sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
            f"in the tensor ({input.ndim})"
        )
    shape = []
    for i, n in enumerate(sizes):
        if i < lead:
            if n < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            shape.append(n)
            continue
        have = input.shape[i - lead]
        if n == -1:
            n = have
        elif have != 1 and n != have:
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size ({have}) "
                f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                f"{list(input.shape)}"
            )
        shape.append(n)
    return ops.broadcast_to(input, shape=tuple(shape))


def broadcast_to(input, size):
    """`input` expanded to `size` (a view).

    >>> import bridgetensor as bt
    >>> bt.broadcast_to(bt.tensor([1, 2]), (2, 2))
    tensor([[1, 2],
            [1, 2]])
    """
    return expand(input, *tuple(size))


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views).

    >>> import bridgetensor as bt
    >>> [t.shape for t in bt.broadcast_tensors(bt.zeros(3, 1), bt.zeros(4))]
    [bridgetensor.Size([3, 4]), bridgetensor.Size([3, 4])]
    """
    return tuple(ops.broadcast_arrays(*tensors))


def broadcast_shapes(*shapes):
    """The shape that tensors of `shapes` broadcast to.

    >>> import bridgetensor as bt
    >>> bt.broadcast_shapes((3, 1), (4,))
    bridgetensor.Size([3, 4])
    """
    from .._tensor import Size

    return Size(
        ops.manipulation.broadcast_shapes(*((s,) if isinstance(s, int) else s for s in shapes))
    )


def narrow(input, dim, start, length):
    """The `length` elements from `start` along `dim` (a view).

    >>> import bridgetensor as bt
    >>> bt.narrow(bt.arange(5), 0, 1, 2)
    tensor([1, 2])
    """
    dim = normalize_axis(dim, input.ndim)
    size = input.shape[dim]
    start, length = int(start), int(length)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _SLICE(input, key=(*(FULL,) * dim, slice(start, start + length), Ellipsis))


def select(input, dim, index):
    """The slice at `index` along `dim`, without that dimension (a view).

    >>> import bridgetensor as bt
    >>> bt.select(bt.tensor([[1, 2], [3, 4]]), 1, 0)
    tensor([1, 3])
    """
    dim = normalize_axis(dim, input.ndim)
    size = input.shape[dim]
    index = int(index)
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {dim}"
        )
    return _SELECT(input, key=(*(FULL,) * dim, index, Ellipsis))


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal over dims (dim1, dim2), as a last dimension (a view).

    >>> import bridgetensor as bt
    >>> bt.diagonal(bt.tensor([[1, 2], [3, 4]]))
    tensor([1, 4])
    """
    ndim = input.ndim
    d1, d2 = normalize_axis(dim1, ndim), normalize_axis(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return ops.diagonal(input, offset=int(offset), axis1=d1, axis2=d2)
