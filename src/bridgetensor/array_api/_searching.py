"""The standard's searching, sorting and set functions.

The set functions return the standard's named tuples; their values are sorted (the
standard leaves the order open) and NaNs stay distinct.
"""

from __future__ import annotations

from collections import namedtuple

from .. import ops
from ._promotion import as_operand, promote_arrays

__all__ = [
    "argmax",
    "argmin",
    "argsort",
    "count_nonzero",
    "nonzero",
    "searchsorted",
    "sort",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
    "where",
]

UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def argmax(x, /, *, axis=None, keepdims=False):
    """The index of the first largest value over `axis` (None: of the flattened array).

    >>> import bridgetensor.array_api as xp
    >>> xp.argmax(xp.asarray([1, 5, 5]))
    tensor(1)
    """
    return ops.argmax(as_operand(x), axis=axis, keepdims=keepdims)


def argmin(x, /, *, axis=None, keepdims=False):
    """The index of the first smallest value over `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.argmin(xp.asarray([3, 1, 1]))
    tensor(1)
    """
    return ops.argmin(as_operand(x), axis=axis, keepdims=keepdims)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """The number of non-zero elements over `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.count_nonzero(xp.asarray([[0, 1], [2, 3]]), axis=1)
    tensor([1, 2])
    """
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.count_nonzero(as_operand(x), axis=axis, keepdims=keepdims)


def nonzero(x, /):
    """One index array per axis locating the non-zero elements, in row-major order.

    >>> import bridgetensor.array_api as xp
    >>> xp.nonzero(xp.asarray([0, 3, 0, 4]))
    (tensor([1, 3]),)
    """
    return ops.nonzero(as_operand(x))


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Where to insert `x2` into the 1-d sorted `x1` to keep it sorted.

    >>> import bridgetensor.array_api as xp
    >>> xp.searchsorted(xp.asarray([1, 3, 5]), xp.asarray([3, 6]))
    tensor([1, 3])
    """
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right'; got {side!r}")
    x1, x2 = promote_arrays(x1, x2)
    if sorter is None:
        return ops.searchsorted(x1, x2, side=side)
    return ops.searchsorted(x1, x2, as_operand(sorter), side=side)


def where(condition, x1, x2, /):
    """`x1` where `condition` is true, `x2` elsewhere (broadcasting all three).

    >>> import bridgetensor.array_api as xp
    >>> xp.where(xp.asarray([True, False]), xp.asarray([1, 2]), 0)
    tensor([1, 0])
    """
    x1, x2 = promote_arrays(x1, x2)
    return ops.where(as_operand(condition), x1, x2)


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """The indices that sort `x` along `axis` (stable: ties keep their order).

    >>> import bridgetensor.array_api as xp
    >>> xp.argsort(xp.asarray([3, 1, 2]), descending=True)
    tensor([0, 2, 1])
    """
    return ops.argsort(as_operand(x), axis=axis, descending=descending, stable=stable)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """`x` sorted along `axis` (differentiable: values are gathered from `x`).

    >>> import bridgetensor.array_api as xp
    >>> xp.sort(xp.asarray([3, 1, 2]))
    tensor([1, 2, 3])
    """
    return ops.sort(as_operand(x), axis=axis, descending=descending, stable=stable)


def unique_all(x, /):
    """(values, indices, inverse_indices, counts) of the distinct elements of `x`.

    >>> import bridgetensor.array_api as xp
    >>> xp.unique_all(xp.asarray([3, 1, 3])).counts
    tensor([1, 2])
    """
    return UniqueAllResult(*ops.unique_all(as_operand(x)))


def unique_counts(x, /):
    """(values, counts) of the distinct elements of `x`.

    >>> import bridgetensor.array_api as xp
    >>> xp.unique_counts(xp.asarray([3, 1, 3])).values
    tensor([1, 3])
    """
    values, _, _, counts = ops.unique_all(as_operand(x))
    return UniqueCountsResult(values, counts)


def unique_inverse(x, /):
    """(values, inverse_indices), where ``values[inverse_indices]`` rebuilds `x`.

    >>> import bridgetensor.array_api as xp
    >>> xp.unique_inverse(xp.asarray([3, 1, 3])).inverse_indices
    tensor([1, 0, 1])
    """
    values, _, inverse, _ = ops.unique_all(as_operand(x))
    return UniqueInverseResult(values, inverse)


def unique_values(x, /):
    """The distinct elements of `x`, sorted, as a 1-d array.

    >>> import bridgetensor.array_api as xp
    >>> xp.unique_values(xp.asarray([3, 1, 3]))
    tensor([1, 3])
    """
    return ops.unique_all(as_operand(x))[0]
