"""Reductions under torch's names: `dim=`/`keepdim=`, named (values, indices) results."""

from __future__ import annotations

from collections import namedtuple

from .. import _dtypes, ops

__all__ = [
    "ReductionMethods",
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "max",
    "mean",
    "min",
    "prod",
    "sum",
]

values_indices = namedtuple("values_indices", ["values", "indices"])


def _axis(dim):
    """torch's dim (int, tuple, list or None) as the standard's axis."""
    if isinstance(dim, list):
        return tuple(dim)
    if isinstance(dim, tuple) and len(dim) == 0:
        return None
    return dim


def _sum_dtype(input, dtype):
    # torch sums integers and bools in int64.
    if dtype is None and input.dtype.category < _dtypes.FLOATING:
        return _dtypes.int64
    return dtype


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over `dim` (all dimensions by default).

    >>> import bridgetensor as bt
    >>> bt.sum(bt.tensor([[1, 2], [3, 4]]), dim=0)
    tensor([4, 6])
    """
    dtype = _sum_dtype(input, dtype)
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    return ops.sum(input, axis=_axis(dim), keepdims=keepdim)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean over `dim`; integer input needs a floating `dtype`, as in torch.

    >>> import bridgetensor as bt
    >>> bt.mean(bt.tensor([1.0, 2.0]))
    tensor(1.5000)
    """
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    elif input.dtype.category < _dtypes.FLOATING:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_torch_name(input.dtype)}"
        )
    return ops.mean(input, axis=_axis(dim), keepdims=keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product over one dimension (or all).

    >>> import bridgetensor as bt
    >>> bt.prod(bt.tensor([2.0, 3.0]))
    tensor(6.)
    """
    dtype = _sum_dtype(input, dtype)
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    return ops.prod(input, axis=dim, keepdims=keepdim)


def amax(input, dim=(), keepdim=False):
    """Maximum over `dim`; ties share the gradient evenly.

    >>> import bridgetensor as bt
    >>> bt.amax(bt.tensor([[1, 5], [3, 2]]), dim=1)
    tensor([5, 3])
    """
    return ops.max(input, axis=_axis(dim), keepdims=keepdim)


def amin(input, dim=(), keepdim=False):
    """Minimum over `dim`.

    >>> import bridgetensor as bt
    >>> bt.amin(bt.tensor([[1, 5], [3, 2]]), dim=1)
    tensor([1, 2])
    """
    return ops.min(input, axis=_axis(dim), keepdims=keepdim)


def _extreme(input, dim, keepdim, pick, reduce, name):
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return reduce(input)
    if not isinstance(dim, int):
        return ops.maximum(input, dim) if name == "max" else ops.minimum(input, dim)
    indices = pick(input, axis=dim, keepdims=True)
    values = ops.take_along_axis(input, indices, axis=dim)
    if not keepdim:
        values = ops.squeeze(values, axis=dim)
        indices = ops.squeeze(indices, axis=dim)
    return values_indices(values, indices)


def max(input, dim=None, keepdim=False):
    """The maximum; with `dim`, the named tuple (values, indices) along it.

    >>> import bridgetensor as bt
    >>> bt.max(bt.tensor([[1, 5], [3, 2]]), dim=1).indices
    tensor([1, 0])
    """
    return _extreme(input, dim, keepdim, ops.argmax, ops.max, "max")


def min(input, dim=None, keepdim=False):
    """The minimum; with `dim`, the named tuple (values, indices) along it.

    >>> import bridgetensor as bt
    >>> bt.min(bt.tensor([[1, 5], [3, 2]]), dim=1).values
    tensor([1, 2])
    """
    return _extreme(input, dim, keepdim, ops.argmin, ops.min, "min")


def argmax(input, dim=None, keepdim=False):
    """Index of the maximum (of the flattened input when `dim` is None).

    >>> import bridgetensor as bt
    >>> bt.argmax(bt.tensor([1, 5, 3]))
    tensor(1)
    """
    return ops.argmax(input, axis=dim, keepdims=keepdim and dim is not None)


def argmin(input, dim=None, keepdim=False):
    """Index of the minimum.

    >>> import bridgetensor as bt
    >>> bt.argmin(bt.tensor([4, 1, 3]))
    tensor(1)
    """
    return ops.argmin(input, axis=dim, keepdims=keepdim and dim is not None)


def all(input, dim=None, keepdim=False):
    """Whether every element (along `dim`) is true.

    >>> import bridgetensor as bt
    >>> bt.all(bt.tensor([True, False]))
    tensor(False)
    """
    return ops.all(input, axis=_axis(dim), keepdims=keepdim)


def any(input, dim=None, keepdim=False):
    """Whether any element (along `dim`) is true.

    >>> import bridgetensor as bt
    >>> bt.any(bt.tensor([True, False]))
    tensor(True)
    """
    return ops.any(input, axis=_axis(dim), keepdims=keepdim)


def _torch_name(d) -> str:
    from ..autograd._primitive import _dtypes_name

    return _dtypes_name(d)


class ReductionMethods:
    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim=None, keepdim=False):
        return max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return min(self, dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        return amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        return amin(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return argmin(self, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return any(self, dim, keepdim)
