"""Shape and layout ops under torch's names (`view`, `permute`, `unsqueeze`, `cat`, ...)."""

from __future__ import annotations

from .. import ops
from ..ops._helpers import normalize_axis

__all__ = [
    "ShapeMethods",
    "cat",
    "concat",
    "concatenate",
    "flatten",
    "permute",
    "reshape",
    "squeeze",
    "stack",
    "t",
    "transpose",
    "unsqueeze",
]


def _shape_arg(shape) -> tuple:
    """torch accepts view(2, 3), view((2, 3)) and view([2, 3])."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def reshape(input, shape):
    """The same data in a new shape: a view when the layout allows, else a copy.

    >>> import bridgetensor as bt
    >>> bt.reshape(bt.arange(6), (2, 3)).shape
    bridgetensor.Size([2, 3])
    """
    return ops.reshape(input, shape=tuple(shape))


def view(input, *shape):
    shape = _shape_arg(shape)
    try:
        return ops.reshape(input, shape=shape, copy=False)
    except ValueError:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        ) from None


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions start_dim..end_dim into one.

    >>> import bridgetensor as bt
    >>> bt.flatten(bt.zeros(2, 3, 4), 1).shape
    bridgetensor.Size([2, 12])
    """
    shape = input.shape
    if input.ndim == 0:
        return ops.reshape(input, shape=(1,))
    start = normalize_axis(start_dim, input.ndim)
    end = normalize_axis(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    merged = 1
    for n in shape[start : end + 1]:
        merged *= n
    return ops.reshape(input, shape=(*shape[:start], merged, *shape[end + 1 :]))


def permute(input, dims):
    """Reorder the dimensions (a view).

    >>> import bridgetensor as bt
    >>> bt.permute(bt.zeros(2, 3, 4), (2, 0, 1)).shape
    bridgetensor.Size([4, 2, 3])
    """
    dims = tuple(normalize_axis(d, input.ndim) for d in dims)
    if sorted(dims) != list(range(input.ndim)):
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}"
            if len(dims) != input.ndim
            else "permute(): duplicate dims are not allowed."
        )
    return ops.permute_dims(input, axes=dims)


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view).

    >>> import bridgetensor as bt
    >>> bt.transpose(bt.zeros(2, 3), 0, 1).shape
    bridgetensor.Size([3, 2])
    """
    ndim = input.ndim
    if ndim == 0:
        return input
    axes = list(range(ndim))
    d0, d1 = normalize_axis(dim0, ndim), normalize_axis(dim1, ndim)
    axes[d0], axes[d1] = axes[d1], axes[d0]
    return ops.permute_dims(input, axes=tuple(axes))


def t(input):
    """Transpose a matrix; vectors and scalars come back unchanged.

    >>> import bridgetensor as bt
    >>> bt.t(bt.zeros(2, 3)).shape
    bridgetensor.Size([3, 2])
    """
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at `dim` (a view).

    >>> import bridgetensor as bt
    >>> bt.unsqueeze(bt.zeros(3), 0).shape
    bridgetensor.Size([1, 3])
    """
    return ops.expand_dims(input, axis=normalize_axis(dim, input.ndim + 1))


def squeeze(input, dim=None):
    """Drop dimensions of size 1 (only those in `dim` when given).

    >>> import bridgetensor as bt
    >>> bt.squeeze(bt.zeros(1, 3, 1)).shape
    bridgetensor.Size([3])
    """
    shape = input.shape
    if dim is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = tuple(
            a for a in (normalize_axis(d, input.ndim) for d in dims) if input.ndim and shape[a] == 1
        )
    return ops.squeeze(input, axis=axes) if axes else ops.reshape(input, shape=tuple(shape))


def cat(tensors, dim=0):
    """Join tensors along an existing dimension.

    >>> import bridgetensor as bt
    >>> bt.cat([bt.zeros(2), bt.ones(1)])
    tensor([0., 0., 1.])
    """
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    return ops.concat(*tensors, axis=dim)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Join tensors along a new dimension.

    >>> import bridgetensor as bt
    >>> bt.stack([bt.zeros(2), bt.ones(2)]).shape
    bridgetensor.Size([2, 2])
    """
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    return ops.stack(*tensors, axis=dim)


def expand(input, *sizes):
    sizes = _shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({input.ndim})"
        )
    shape = tuple(
        input.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes)
    )
    return ops.broadcast_to(input, shape=shape)


class ShapeMethods:
    __slots__ = ()

    def reshape(self, *shape):
        return ops.reshape(self, shape=_shape_arg(shape))

    def view(self, *shape):
        return view(self, *shape)

    def view_as(self, other):
        return view(self, *other.shape)

    def reshape_as(self, other):
        return ops.reshape(self, shape=tuple(other.shape))

    def flatten(self, start_dim=0, end_dim=-1):
        return flatten(self, start_dim, end_dim)

    def permute(self, *dims):
        return permute(self, _shape_arg(dims))

    def transpose(self, dim0, dim1):
        return transpose(self, dim0, dim1)

    def t(self):
        return t(self)

    @property
    def T(self):
        return ops.permute_dims(self, axes=tuple(range(self.ndim))[::-1])

    @property
    def mT(self):
        if self.ndim < 2:
            raise RuntimeError(
                "tensor.mT is only supported on matrices or batches of matrices. "
                f"Got {self.ndim}-D tensor."
            )
        return transpose(self, -2, -1)

    def unsqueeze(self, dim):
        return unsqueeze(self, dim)

    def squeeze(self, dim=None):
        return squeeze(self, dim)

    def expand(self, *sizes):
        return expand(self, *sizes)

    def expand_as(self, other):
        return expand(self, *other.shape)
