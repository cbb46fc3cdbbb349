"""Reshapes and reorderings under torch's names: `view`, `flatten`, `permute`, `transpose`, ...

Everything here returns a view of its input where torch does (writes reach the base),
with torch's grad_fn names and errors; `ShapeMethods` gives Tensor the methods of this
family (views.py, splitting.py and joining.py hold the rest of it).
"""

from __future__ import annotations

import math

from .. import ops
from ..ops._helpers import normalize_axis, variant
from . import joining, splitting
from .views import _shape_arg, broadcast_to, diagonal, expand, narrow, select

__all__ = [
    "ShapeMethods",
    "flatten",
    "movedim",
    "moveaxis",
    "permute",
    "ravel",
    "reshape",
    "squeeze",
    "swapaxes",
    "swapdims",
    "t",
    "transpose",
    "unflatten",
    "unsqueeze",
]

FULL = slice(None)
_TRANSPOSE = variant(ops.permute_dims, "TransposeBackward0")
_T = variant(ops.permute_dims, "TBackward0")
_SQUEEZE_DIM = variant(ops.squeeze, "SqueezeBackward1")
_SQUEEZE_DIMS = variant(ops.squeeze, "SqueezeBackward2")


def _infer(shape, numel: int) -> tuple:
    """`shape` with its -1 filled in, checked against `numel` as torch does."""
    unknown = None
    known = 1
    for i, n in enumerate(shape):
        if n == -1:
            if unknown is not None:
                raise RuntimeError("only one dimension can be inferred")
            unknown = i
        elif n < 0:
            raise RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(shape)}")
        else:
            known *= n
    if unknown is not None and known != 0 and numel % known == 0:
        return (*shape[:unknown], numel // known, *shape[unknown + 1 :])
    if unknown is None and known == numel:
        return tuple(shape)
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def reshape(input, shape):
    """The same data in a new shape: a view when the layout allows, else a copy.

    >>> import bridgetensor as bt
    >>> bt.reshape(bt.arange(6), (2, 3)).shape
    bridgetensor.Size([2, 3])
    """
    return ops.reshape(input, shape=_infer(tuple(shape), input.numel()))


def view(input, *shape):
    """A view with another shape (torch's error if the layout does not allow one), or, given
    a dtype, the same bytes read as that dtype."""
    from .. import _dtypes

    if len(shape) == 1 and isinstance(shape[0], _dtypes.dtype):
        return _view_dtype(input, shape[0])
    shape = _infer(_shape_arg(shape), input.numel())
    try:
        return ops.reshape(input, shape=shape, copy=False)
    except (ValueError, NotImplementedError, AttributeError):  # strict raises AttributeError
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        ) from None


def _view_dtype(input, dtype):
    from ..ops._helpers import wrap

    data = input._data
    if dtype is input.dtype:
        return ops.reshape(input, shape=tuple(input.shape))
    mine, theirs = input.dtype.itemsize, dtype.itemsize
    if mine < theirs and (input.ndim == 0 or input.shape[-1] % (theirs // mine)):
        raise RuntimeError(
            f"self.size(-1) must be divisible by {theirs // mine} to view "
            f"{_type_name(input.dtype)} as {_type_name(dtype)} (different element sizes), but "
            f"got {input.shape[-1] if input.ndim else 0}"
        )
    if not hasattr(data, "view"):
        raise NotImplementedError(f"view(dtype): the {input._be.name} backend cannot reinterpret")
    result = wrap(data.view(input._be.native[dtype]), input._be)
    result._base = input._base if input._base is not None else input
    return result


def _type_name(d) -> str:
    from ..autograd._primitive import _dtypes_name

    return _dtypes_name(d)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions start_dim..end_dim into one (a view of contiguous input).

    >>> import bridgetensor as bt
    >>> bt.flatten(bt.zeros(2, 3, 4), 1).shape
    bridgetensor.Size([2, 12])
    """
    shape = tuple(input.shape)
    if input.ndim == 0:
        return ops.reshape(input, shape=(1,))
    start = normalize_axis(start_dim, input.ndim)
    end = normalize_axis(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    merged = math.prod(shape[start : end + 1])
    return ops.reshape(input, shape=(*shape[:start], merged, *shape[end + 1 :]))


def unflatten(input, dim, sizes):
    """Split dimension `dim` into `sizes` (one may be -1).

    >>> import bridgetensor as bt
    >>> bt.unflatten(bt.zeros(2, 6), 1, (2, 3)).shape
    bridgetensor.Size([2, 2, 3])
    """
    dim = normalize_axis(dim, input.ndim)
    sizes = tuple(int(n) for n in sizes)
    length = input.shape[dim]
    try:
        filled = _infer(sizes, length)
    except RuntimeError:
        filled = None
    if filled is None or math.prod(filled) != length:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
            f"({length}) in the input tensor"
        )
    shape = tuple(input.shape)
    return ops.reshape(input, shape=(*shape[:dim], *filled, *shape[dim + 1 :]))


def ravel(input):
    """The elements as one dimension (a view of contiguous input).

    >>> import bridgetensor as bt
    >>> bt.ravel(bt.zeros(2, 3)).shape
    bridgetensor.Size([6])
    """
    return ops.reshape(input, shape=(input.numel(),))


def permute(input, dims):
    """Reorder the dimensions (a view).

    >>> import bridgetensor as bt
    >>> bt.permute(bt.zeros(2, 3, 4), (2, 0, 1)).shape
    bridgetensor.Size([4, 2, 3])
    """
    dims = tuple(normalize_axis(d, input.ndim) for d in dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return ops.permute_dims(input, axes=dims)


def _swap(input, dim0, dim1, prim=_TRANSPOSE):
    ndim = input.ndim
    axes = list(range(ndim))
    d0, d1 = normalize_axis(dim0, ndim), normalize_axis(dim1, ndim)
    if ndim == 0:
        return prim(input, axes=())
    axes[d0], axes[d1] = axes[d1], axes[d0]
    return prim(input, axes=tuple(axes))


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view).

    >>> import bridgetensor as bt
    >>> bt.transpose(bt.zeros(2, 3), 0, 1).shape
    bridgetensor.Size([3, 2])
    """
    return _swap(input, dim0, dim1)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a matrix; vectors and scalars come back as views of themselves.

    >>> import bridgetensor as bt
    >>> bt.t(bt.zeros(2, 3)).shape
    bridgetensor.Size([3, 2])
    """
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return _T(input, axes=tuple(range(input.ndim))[::-1])


def movedim(input, source, destination):
    """Move dimensions to new places, keeping the others' order (a view).

    >>> import bridgetensor as bt
    >>> bt.movedim(bt.zeros(2, 3, 4), 0, -1).shape
    bridgetensor.Size([3, 4, 2])
    """
    return ops.moveaxis(input, source, destination)


moveaxis = movedim


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at `dim` (a view).

    >>> import bridgetensor as bt
    >>> bt.unsqueeze(bt.zeros(3), 0).shape
    bridgetensor.Size([1, 3])
    """
    return ops.expand_dims(input, axis=normalize_axis(dim, input.ndim + 1))


def squeeze(input, dim=None):
    """Drop dimensions of size 1 (only those in `dim` when given); a view.

    >>> import bridgetensor as bt
    >>> bt.squeeze(bt.zeros(1, 3, 1)).shape
    bridgetensor.Size([3])
    """
    shape = input.shape
    if dim is None:
        return ops.squeeze(input, axis=tuple(i for i, n in enumerate(shape) if n == 1))
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    normalized = [normalize_axis(d, input.ndim) for d in dims]
    for i, a in enumerate(normalized):
        if a in normalized[:i]:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    axes = tuple(a for a in normalized if input.ndim and shape[a] == 1)
    return (_SQUEEZE_DIMS if isinstance(dim, (tuple, list)) else _SQUEEZE_DIM)(input, axis=axes)


def _matrix_transpose(input, name: str):
    if name == "H" and input.ndim != 2:
        raise RuntimeError(
            f"tensor.H is only supported on matrices (2-D tensors). Got {input.ndim}-D tensor."
            + (" For batches of matrices, consider using tensor.mH" if input.ndim > 2 else "")
        )
    if input.ndim < 2:
        raise RuntimeError(
            f"tensor.{name} is only supported on matrices or batches of matrices. Got "
            f"{input.ndim}-D tensor."
        )
    out = _swap(input, -2, -1)
    if name in ("H", "mH") and input.dtype.is_complex:
        out = ops.conj(out)
    return out


class ShapeMethods:
    __slots__ = ()

    def reshape(self, *shape):
        return reshape(self, _shape_arg(shape))

    def view(self, *shape):
        return view(self, *shape)

    def view_as(self, other):
        return view(self, *other.shape)

    def reshape_as(self, other):
        return reshape(self, tuple(other.shape))

    def flatten(self, start_dim=0, end_dim=-1):
        return flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return unflatten(self, dim, sizes)

    def ravel(self):
        return ravel(self)

    def permute(self, *dims):
        return permute(self, _shape_arg(dims))

    def transpose(self, dim0, dim1):
        return transpose(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def t(self):
        return t(self)

    @property
    def T(self):
        return ops.permute_dims(self, axes=tuple(range(self.ndim))[::-1])

    @property
    def mT(self):
        return _matrix_transpose(self, "mT")

    @property
    def H(self):
        return _matrix_transpose(self, "H")

    @property
    def mH(self):
        return _matrix_transpose(self, "mH")

    def movedim(self, source, destination):
        return movedim(self, source, destination)

    moveaxis = movedim

    def unsqueeze(self, dim):
        return unsqueeze(self, dim)

    def squeeze(self, dim=None):
        return squeeze(self, dim)

    def expand(self, *sizes):
        return expand(self, *sizes)

    def expand_as(self, other):
        return expand(self, *other.shape)

    def broadcast_to(self, *size):
        return broadcast_to(self, _shape_arg(size))

    def narrow(self, dim, start, length):
        return narrow(self, dim, start, length)

    def select(self, dim, index):
        return select(self, dim, index)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return diagonal(self, offset, dim1, dim2)

    # Joining, splitting, repeating (joining.py)

    def split(self, split_size, dim=0):
        return splitting.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return splitting.chunk(self, chunks, dim)

    def tensor_split(self, indices_or_sections, dim=0):
        return splitting.tensor_split(self, indices_or_sections, dim)

    def unbind(self, dim=0):
        return splitting.unbind(self, dim)

    def hsplit(self, sections):
        return splitting.hsplit(self, sections)

    def vsplit(self, sections):
        return splitting.vsplit(self, sections)

    def dsplit(self, sections):
        return splitting.dsplit(self, sections)

    def repeat(self, *sizes):
        return joining.repeat(self, *sizes)

    def tile(self, *dims):
        return joining.tile(self, _shape_arg(dims))

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        return joining.repeat_interleave(self, repeats, dim, output_size=output_size)

    def flip(self, *dims):
        return joining.flip(self, _shape_arg(dims))

    def fliplr(self):
        return joining.fliplr(self)

    def flipud(self):
        return joining.flipud(self)

    def roll(self, shifts, dims=None):
        return joining.roll(self, shifts, dims)

    def tril(self, diagonal=0):
        return joining.tril(self, diagonal)

    def triu(self, diagonal=0):
        return joining.triu(self, diagonal)

    def tril_(self, diagonal=0):
        joining.check_triangle("tril", self)
        return ops.tril.inplace(self, k=int(diagonal))

    def triu_(self, diagonal=0):
        joining.check_triangle("triu", self)
        return ops.triu.inplace(self, k=int(diagonal))

    def diag(self, diagonal=0):
        return joining.diag(self, diagonal)

    def diag_embed(self, offset=0, dim1=-2, dim2=-1):
        return joining.diag_embed(self, offset, dim1, dim2)
