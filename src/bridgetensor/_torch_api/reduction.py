"""Reductions under torch's names: `dim=`/`keepdim=`, named (values, indices) results."""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import wrap
from ._dims import dim_axis, dims_axes, nonempty, result_type, torch_name
from .cumulative import CumulativeMethods
from .statistics import StatisticsMethods

__all__ = [
    "ReductionMethods",
    "all",
    "amax",
    "amin",
    "aminmax",
    "any",
    "argmax",
    "argmin",
    "count_nonzero",
    "max",
    "mean",
    "min",
    "nanmean",
    "nansum",
    "prod",
    "sum",
]

_max_result = result_type("max", ["values", "indices"])
_min_result = result_type("min", ["values", "indices"])
_aminmax_result = result_type("aminmax", ["min", "max"])


def _integer_to_long(input, dtype):
    """The dtype to reduce in: the one asked for, else int64 for integers and bools, as torch."""
    if dtype is None and input.dtype.category < _dtypes.FLOATING:
        dtype = _dtypes.int64
    if dtype is not None and dtype is not input.dtype:
        input = ops.astype(input, dtype=dtype)
    return input


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over `dim` (all dimensions by default); integers and bools sum in int64.

    >>> import bridgetensor as bt
    >>> bt.sum(bt.tensor([[1, 2], [3, 4]]), dim=0)
    tensor([4, 6])
    """
    axis = dims_axes(input, dim)
    return ops.sum(_integer_to_long(input, dtype), axis=axis, keepdims=keepdim)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over `dim` treating NaN as zero.

    >>> import bridgetensor as bt
    >>> bt.nansum(bt.tensor([1.0, float("nan"), 2.0]))
    tensor(3.)
    """
    axis = dims_axes(input, dim)
    return ops.nansum(_integer_to_long(input, dtype), axis=axis, keepdims=keepdim)


def _floating_for_mean(name, input, dtype):
    if dtype is not None:
        return ops.astype(input, dtype=dtype)
    if input.dtype.category < _dtypes.FLOATING:
        if name == "nanmean":
            raise RuntimeError(
                "nanmean(): expected input to have floating point or complex dtype but got "
                f"{torch_name(input.dtype)}"
            )
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {torch_name(input.dtype)}"
        )
    return input


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean over `dim`; integer input needs a floating `dtype`, as in torch.

    >>> import bridgetensor as bt
    >>> bt.mean(bt.tensor([1.0, 2.0]))
    tensor(1.5000)
    """
    axis = dims_axes(input, dim)
    return ops.mean(_floating_for_mean("mean", input, dtype), axis=axis, keepdims=keepdim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean of the non-NaN elements over `dim`.

    >>> import bridgetensor as bt
    >>> bt.nanmean(bt.tensor([1.0, float("nan"), 2.0]))
    tensor(1.5000)
    """
    axis = dims_axes(input, dim)
    return ops.nanmean(_floating_for_mean("nanmean", input, dtype), axis=axis, keepdims=keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product over one dimension (or all); integers and bools multiply in int64.

    >>> import bridgetensor as bt
    >>> bt.prod(bt.tensor([2.0, 3.0]))
    tensor(6.)
    """
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
    axis = dims_axes(input, dim)
    return ops.prod(_integer_to_long(input, dtype), axis=axis, keepdims=keepdim)


def amax(input, dim=(), keepdim=False):
    """Maximum over `dim` (all by default); ties share the gradient evenly.

    >>> import bridgetensor as bt
    >>> bt.amax(bt.tensor([[1, 5], [3, 2]]), dim=1)
    tensor([5, 3])
    """
    axis = dims_axes(input, dim)
    nonempty("amax", input, axis)
    return ops.max(input, axis=axis, keepdims=keepdim)


def amin(input, dim=(), keepdim=False):
    """Minimum over `dim` (all by default); ties share the gradient evenly.

    >>> import bridgetensor as bt
    >>> bt.amin(bt.tensor([[1, 5], [3, 2]]), dim=1)
    tensor([1, 2])
    """
    axis = dims_axes(input, dim)
    nonempty("amin", input, axis)
    return ops.min(input, axis=axis, keepdims=keepdim)


def aminmax(input, *, dim=None, keepdim=False):
    """The named tuple (min, max) over `dim` (all by default).

    >>> import bridgetensor as bt
    >>> bt.aminmax(bt.tensor([[1, 3], [0, 2]]), dim=1).max
    tensor([3, 2])
    """
    axis = dims_axes(input, dim)
    if input.numel() == 0 and (axis is None or input.shape[axis] == 0):
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has "
            "no identity."
        )
    low = ops.min(input, axis=axis, keepdims=keepdim)
    high = ops.max(input, axis=axis, keepdims=keepdim)
    return _aminmax_result(low, high)


def _extreme(input, dim, keepdim, name):
    pick, reduce, binary = (
        (ops.argmax, ops.max, ops.maximum) if name == "max" else (ops.argmin, ops.min, ops.minimum)
    )
    if dim is None:
        nonempty(name, input, None)
        return reduce(input)
    if not isinstance(dim, int):
        if isinstance(dim, (tuple, list)):
            raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
        # max(input, other): the elementwise maximum (for bools, or / and).
        if input.dtype is _dtypes.bool and getattr(dim, "dtype", None) is _dtypes.bool:
            return ops.logical_or(input, dim) if name == "max" else ops.logical_and(input, dim)
        return binary(input, dim)
    axis = dim_axis(input, dim)
    result = _max_result if name == "max" else _min_result
    if input.ndim == 0:
        return result(reduce(input), _zero_index(input))
    nonempty(name, input, axis)
    indices = pick(input, axis=axis, keepdims=True)
    # NOTE: as torch, the gradient goes to the returned index only (ties included).
    values = ops.take_along_axis(input, indices, axis=axis)
    if not keepdim:
        values = ops.squeeze(values, axis=axis)
        indices = ops.squeeze(indices, axis=axis)
    return result(values, indices)


def _zero_index(input):
    be = input._be
    return wrap(be.xp.zeros((), dtype=be.native[_dtypes.int64]), be)


def max(input, dim=None, keepdim=False):
    """The maximum; with `dim`, the named tuple (values, indices) along it; with a tensor,
    the elementwise maximum.

    >>> import bridgetensor as bt
    >>> bt.max(bt.tensor([[1, 5], [3, 2]]), dim=1).indices
    tensor([1, 0])
    """
    return _extreme(input, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    """The minimum; with `dim`, the named tuple (values, indices) along it; with a tensor,
    the elementwise minimum.

    >>> import bridgetensor as bt
    >>> bt.min(bt.tensor([[1, 5], [3, 2]]), dim=1).values
    tensor([1, 2])
    """
    return _extreme(input, dim, keepdim, "min")


def _arg_extreme(input, dim, keepdim, pick, name):
    if input.dtype is _dtypes.bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        nonempty(name, input, None)
        found = pick(input)
        return ops.reshape(found, shape=(1,) * input.ndim) if keepdim else found
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        return _zero_index(input)
    nonempty(name, input, axis)
    return pick(input, axis=axis, keepdims=keepdim)


def argmax(input, dim=None, keepdim=False):
    """Index of the maximum (of the flattened input when `dim` is None; the first of ties).

    >>> import bridgetensor as bt
    >>> bt.argmax(bt.tensor([1, 5, 3]))
    tensor(1)
    """
    return _arg_extreme(input, dim, keepdim, ops.argmax, "argmax")


def argmin(input, dim=None, keepdim=False):
    """Index of the minimum (the first of ties).

    >>> import bridgetensor as bt
    >>> bt.argmin(bt.tensor([4, 1, 3]))
    tensor(1)
    """
    return _arg_extreme(input, dim, keepdim, ops.argmin, "argmin")


def _logical(reduce, input, dim, keepdim):
    out = reduce(input, axis=dims_axes(input, dim), keepdims=keepdim)
    # torch keeps uint8 for uint8 input; every other dtype gives bool.
    return ops.astype(out, dtype=_dtypes.uint8) if input.dtype is _dtypes.uint8 else out


def all(input, dim=None, keepdim=False):
    """Whether every element (along `dim`) is true.

    >>> import bridgetensor as bt
    >>> bt.all(bt.tensor([True, False]))
    tensor(False)
    """
    return _logical(ops.all, input, dim, keepdim)


def any(input, dim=None, keepdim=False):
    """Whether any element (along `dim`) is true.

    >>> import bridgetensor as bt
    >>> bt.any(bt.tensor([True, False]))
    tensor(True)
    """
    return _logical(ops.any, input, dim, keepdim)


def count_nonzero(input, dim=None):
    """The number of non-zero elements (along `dim`), as int64.

    >>> import bridgetensor as bt
    >>> bt.count_nonzero(bt.tensor([[0, 1], [2, 3]]), dim=1)
    tensor([1, 2])
    """
    return ops.count_nonzero(input, axis=dims_axes(input, dim))


class ReductionMethods(StatisticsMethods, CumulativeMethods):
    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return sum(self, dim, keepdim, dtype=dtype)

    def nansum(self, dim=None, keepdim=False, *, dtype=None):
        return nansum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return mean(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim=None, keepdim=False, *, dtype=None):
        return nanmean(self, dim, keepdim, dtype=dtype)

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

    def aminmax(self, *, dim=None, keepdim=False):
        return aminmax(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim=None, keepdim=False):
        return argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return argmin(self, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return any(self, dim, keepdim)

    def count_nonzero(self, dim=None):
        return count_nonzero(self, dim)
