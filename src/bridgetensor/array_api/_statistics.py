"""The standard's statistical and utility functions: reductions with `axis=` and
`keepdims=`, `std`/`var` with ``correction=0`` by default, cumulative sums and products,
`all`, `any` and `diff`.

Sums and products of integers accumulate in 64 bits as the standard says (unsigned ones
in uint64, where torch gives int64).
"""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import normalize_axis
from ._promotion import as_operand

__all__ = [
    "all",
    "any",
    "cumulative_prod",
    "cumulative_sum",
    "diff",
    "max",
    "mean",
    "min",
    "prod",
    "std",
    "sum",
    "var",
]


def accumulation_dtype(x, dtype):
    """The dtype a sum or product of `x` has by the standard (None: x's own)."""
    if dtype is not None:
        return dtype
    d = x.dtype
    if d is _dtypes.bool or (d.category == _dtypes.INTEGER and d.is_signed):
        return _dtypes.int64
    if d.category == _dtypes.INTEGER:
        return _dtypes.uint64
    return d


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _cast(x, dtype):
    return x if x.dtype is dtype else ops.astype(x, dtype=dtype)


def _accumulate(op, x, dtype, **options):
    """`op` on x cast to the standard's accumulation dtype, the result kept in it (NumPy
    widens small integers in its sums; the standard keeps an explicit `dtype`)."""
    target = accumulation_dtype(x, dtype)
    return _cast(op(_cast(x, target), **options), target)


def sum(x, /, *, axis=None, dtype=None, keepdims=False):
    """The sum over `axis` (None: all elements); integers sum in 64 bits.

    >>> import bridgetensor.array_api as xp
    >>> xp.sum(xp.asarray([[1, 2], [3, 4]], dtype=xp.int8), axis=0)
    tensor([4, 6])
    """
    return _accumulate(ops.sum, as_operand(x), dtype, axis=_axis(axis), keepdims=keepdims)


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    """The product over `axis`; integers multiply in 64 bits.

    >>> import bridgetensor.array_api as xp
    >>> xp.prod(xp.asarray([1.0, 2.0, 3.0]))
    tensor(6.)
    """
    return _accumulate(ops.prod, as_operand(x), dtype, axis=_axis(axis), keepdims=keepdims)


def max(x, /, *, axis=None, keepdims=False):
    """The largest value over `axis` (NaN propagates).

    >>> import bridgetensor.array_api as xp
    >>> xp.max(xp.asarray([[1, 5], [3, 2]]), axis=1)
    tensor([5, 3])
    """
    return ops.max(as_operand(x), axis=_axis(axis), keepdims=keepdims)


def min(x, /, *, axis=None, keepdims=False):
    """The smallest value over `axis` (NaN propagates).

    >>> import bridgetensor.array_api as xp
    >>> xp.min(xp.asarray([[1, 5], [3, 2]]), axis=1)
    tensor([1, 2])
    """
    return ops.min(as_operand(x), axis=_axis(axis), keepdims=keepdims)


def mean(x, /, *, axis=None, keepdims=False):
    """The arithmetic mean over `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.mean(xp.asarray([1.0, 2.0, 6.0]))
    tensor(3.)
    """
    return ops.mean(as_operand(x), axis=_axis(axis), keepdims=keepdims)


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    """The variance over `axis`, with `correction` degrees of freedom removed (0 here,
    where torch's default is 1).

    >>> import bridgetensor.array_api as xp
    >>> xp.var(xp.asarray([1.0, 3.0]))
    tensor(1.)
    """
    return ops.var(as_operand(x), axis=_axis(axis), correction=correction, keepdims=keepdims)


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    """The standard deviation over `axis` (``correction=0`` by default).

    >>> import bridgetensor.array_api as xp
    >>> xp.std(xp.asarray([1.0, 3.0]))
    tensor(1.)
    """
    return ops.std(as_operand(x), axis=_axis(axis), correction=correction, keepdims=keepdims)


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """Running sums along `axis` (optional for 1-d input), starting with 0 if
    `include_initial`.

    >>> import bridgetensor.array_api as xp
    >>> xp.cumulative_sum(xp.asarray([1, 2, 3]), include_initial=True)
    tensor([0, 1, 3, 6])
    """
    return _accumulate(
        ops.cumulative_sum, as_operand(x), dtype, axis=axis, include_initial=include_initial
    )


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """Running products along `axis`, starting with 1 if `include_initial`.

    >>> import bridgetensor.array_api as xp
    >>> xp.cumulative_prod(xp.asarray([1.0, 2.0, 3.0]))
    tensor([1., 2., 6.])
    """
    return _accumulate(
        ops.cumulative_prod, as_operand(x), dtype, axis=axis, include_initial=include_initial
    )


def all(x, /, *, axis=None, keepdims=False):
    """Whether every element over `axis` is true (non-zero; NaN counts as true).

    >>> import bridgetensor.array_api as xp
    >>> xp.all(xp.asarray([1, 0]))
    tensor(False)
    """
    return ops.all(as_operand(x), axis=_axis(axis), keepdims=keepdims)


def any(x, /, *, axis=None, keepdims=False):
    """Whether some element over `axis` is true.

    >>> import bridgetensor.array_api as xp
    >>> xp.any(xp.asarray([1, 0]))
    tensor(True)
    """
    return ops.any(as_operand(x), axis=_axis(axis), keepdims=keepdims)


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The `n`-th forward difference along `axis`, after joining `prepend` and `append`.

    >>> import bridgetensor.array_api as xp
    >>> xp.diff(xp.asarray([1, 4, 9]))
    tensor([3, 5])
    """
    x = as_operand(x)
    normalize_axis(axis, x.ndim)
    parts = [p for p in (prepend, append) if p is not None]
    if parts:
        from ._promotion import promote_arrays

        prepend, x, append = (None if p is None else p for p in promote_arrays(prepend, x, append))
    return ops.diff(x, axis=axis, n=n, prepend=prepend, append=append)
