"""Scans under torch's names: cumsum, cumprod, cummax, cummin, logcumsumexp, diff."""

from __future__ import annotations

from .. import _dtypes, ops
from ._dims import dim_axis, result_type, torch_name

__all__ = [
    "CumulativeMethods",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "diff",
    "logcumsumexp",
]

_cummax_result = result_type("cummax", ["values", "indices"])
_cummin_result = result_type("cummin", ["values", "indices"])


def _scan(prim, input, dim, dtype):
    axis = dim_axis(input, dim)
    # torch accumulates integers and bools in int64.
    if dtype is None and input.dtype.category < _dtypes.FLOATING:
        dtype = _dtypes.int64
    if dtype is not None and dtype is not input.dtype:
        input = ops.astype(input, dtype=dtype)
    if input.ndim == 0:
        return ops.reshape(prim(ops.reshape(input, shape=(1,)), axis=0), shape=())
    return prim(input, axis=axis)


def cumsum(input, dim, *, dtype=None):
    """Running sums along `dim`; integers and bools accumulate in int64.

    >>> import bridgetensor as bt
    >>> bt.cumsum(bt.tensor([1, 2, 3]), 0)
    tensor([1, 3, 6])
    """
    return _scan(ops.cumulative_sum, input, dim, dtype)


def cumprod(input, dim, *, dtype=None):
    """Running products along `dim`; the gradient is exact at zeros, as torch's.

    >>> import bridgetensor as bt
    >>> bt.cumprod(bt.tensor([1, 2, 3]), 0)
    tensor([1, 2, 6])
    """
    return _scan(ops.cumulative_prod, input, dim, dtype)


def _running(input, dim, find, result):
    axis = dim_axis(input, dim)
    if input.ndim == 0:
        flat = ops.reshape(input, shape=(1,))
        values, indices = find(flat, axis=0)
        return result(ops.reshape(values, shape=()), ops.reshape(indices, shape=()))
    return result(*find(input, axis=axis))


def cummax(input, dim):
    """The named tuple (values, indices) of the running maximum along `dim`.

    Ties take the latest index and NaN propagates; the gradient goes to the index.

    >>> import bridgetensor as bt
    >>> bt.cummax(bt.tensor([1, 3, 2]), 0).indices
    tensor([0, 1, 1])
    """
    return _running(input, dim, ops.cumulative_max, _cummax_result)


def cummin(input, dim):
    """The named tuple (values, indices) of the running minimum along `dim`.

    >>> import bridgetensor as bt
    >>> bt.cummin(bt.tensor([3, 1, 2]), 0).values
    tensor([3, 1, 1])
    """
    return _running(input, dim, ops.cumulative_min, _cummin_result)


def logcumsumexp(input, dim):
    """log(cumsum(exp(input))) along `dim`, without overflow.

    >>> import bridgetensor as bt
    >>> bt.logcumsumexp(bt.tensor([0.0, 0.0]), 0)
    tensor([0.0000, 0.6931])
    """
    axis = dim_axis(input, dim)
    if input.dtype.category < _dtypes.FLOATING:
        raise NotImplementedError(
            f"\"logcumsumexp\" not implemented for '{torch_name(input.dtype)}'"
        )
    if input.ndim == 0:
        return ops.positive(input)
    return ops.logcumsumexp(input, axis=axis)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along `dim` (for bool: whether neighbours differ).

    >>> import bridgetensor as bt
    >>> bt.diff(bt.tensor([1, 3, 6, 10]))
    tensor([2, 3, 4])
    """
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for extra in (prepend, append):
        if extra is not None and extra.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    return ops.diff(input, axis=dim_axis(input, dim), n=n, prepend=prepend, append=append)


class CumulativeMethods:
    __slots__ = ()

    def cumsum(self, dim, *, dtype=None):
        return cumsum(self, dim, dtype=dtype)

    def cumsum_(self, dim, *, dtype=None):
        return ops.cumulative_sum.inplace(self, axis=dim_axis(self, dim), dtype=dtype)

    def cumprod(self, dim, *, dtype=None):
        return cumprod(self, dim, dtype=dtype)

    def cumprod_(self, dim, *, dtype=None):
        return ops.cumulative_prod.inplace(self, axis=dim_axis(self, dim), dtype=dtype)

    def cummax(self, dim):
        return cummax(self, dim)

    def cummin(self, dim):
        return cummin(self, dim)

    def logcumsumexp(self, dim):
        return logcumsumexp(self, dim)

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        return diff(self, n, dim, prepend, append)
