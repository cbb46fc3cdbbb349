"""Reductions, named as in the array-API standard (`axis=`, `keepdims=`)."""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axes

__all__ = [
    "all",
    "any",
    "argmax",
    "argmin",
    "count_nonzero",
    "expand_reduced",
    "max",
    "mean",
    "min",
    "prod",
    "sum",
]


def expand_reduced(g, shape, axis, keepdims):
    """Broadcast a reduction's gradient `g` back over the input's `shape`."""
    from .manipulation import broadcast_to, reshape

    if not keepdims:
        kept = list(shape)
        for a in normalize_axes(axis, len(shape)):
            kept[a] = 1
        g = reshape(g, shape=tuple(kept))
    return broadcast_to(g, shape=tuple(shape))


def _count(shape, axis) -> int:
    count = 1
    for a in normalize_axes(axis, len(shape)):
        count *= shape[a]
    return count


# Where the standard's function is the whole forward, the primitive takes it as it is
# (no wrapper function: one call less per op).
sum = primitive("sum", dtypes=None)

sum.defvjp(
    lambda g, out, x, *, axis=None, keepdims=False, dtype=None: expand_reduced(
        g, x.shape, axis, keepdims
    )
)


mean = primitive("mean", dtypes=None)

mean.defvjp(
    lambda g, out, x, *, axis=None, keepdims=False: (
        expand_reduced(g, x.shape, axis, keepdims) / float(_count(x.shape, axis))
    )
)


prod = primitive("prod", dtypes=None)


def _prod_rule(g, out, x, *, axis=None, keepdims=False, dtype=None):
    from .elementwise import where

    # d prod / d x_i = prod_{j != i} x_j: out / x where x != 0, and recomputed where x == 0.
    full = expand_reduced(g * out, x.shape, axis, keepdims)
    zeros = x == 0
    if not bool(any(zeros)):
        return full / x
    from .. import _dtypes
    from .manipulation import astype, broadcast_to

    others = prod(where(zeros, 1.0, x), axis=axis, keepdims=True)
    zero_count = sum(astype(zeros, dtype=_dtypes.int64), axis=axis, keepdims=True)
    only_zero = broadcast_to(zero_count == 1, shape=x.shape) & zeros
    g_full = expand_reduced(g, x.shape, axis, keepdims)
    return where(
        only_zero, g_full * broadcast_to(others, shape=x.shape), where(zeros, 0.0, full / x)
    )


prod.defvjp(_prod_rule)


def _extreme_rule(g, out, x, *, axis=None, keepdims=False):
    # NOTE: as torch's amax/amin and full max()/min(), ties share the gradient evenly;
    # a NaN result shares it among the NaNs (torch's evenly_distribute_backward).
    from .elementwise import isnan, where
    from .manipulation import astype

    value = expand_reduced(out, x.shape, axis, keepdims)
    hit = (x == value) | (isnan(x) & isnan(value))
    count = sum(astype(hit, dtype=x.dtype), axis=axis, keepdims=True)
    share = expand_reduced(g, x.shape, axis, keepdims) / count
    return where(hit, share, 0.0)


@primitive(dtypes=None, grad_name="AmaxBackward0")
def max(x, /, *, xp, axis=None, keepdims=False):
    if x.dtype == xp.bool:  # the standard's max takes numbers only
        return xp.any(x, axis=axis, keepdims=keepdims)
    return xp.max(x, axis=axis, keepdims=keepdims)


@primitive(dtypes=None, grad_name="AminBackward0")
def min(x, /, *, xp, axis=None, keepdims=False):
    if x.dtype == xp.bool:
        return xp.all(x, axis=axis, keepdims=keepdims)
    return xp.min(x, axis=axis, keepdims=keepdims)


max.defvjp(_extreme_rule)
min.defvjp(_extreme_rule)


@primitive(dtypes=None)
def argmax(x, /, *, xp, axis=None, keepdims=False):
    if x.dtype == xp.bool:
        x = xp.astype(x, xp.uint8)
    return xp.argmax(x, axis=axis, keepdims=keepdims)


@primitive(dtypes=None)
def argmin(x, /, *, xp, axis=None, keepdims=False):
    if x.dtype == xp.bool:
        x = xp.astype(x, xp.uint8)
    return xp.argmin(x, axis=axis, keepdims=keepdims)


any = primitive("any", dtypes=None)


all = primitive("all", dtypes=None)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """The number of non-zero elements (NaN counts) along `axis`, as int64.

    >>> import bridgetensor as bt
    >>> bt.ops.count_nonzero(bt.tensor([[0, 1], [2, 3]]), axis=1)
    tensor([1, 2])
    """
    from .. import _dtypes
    from .elementwise import not_equal
    from .manipulation import astype

    nonzero = x if x.dtype is _dtypes.bool else not_equal(x, 0)
    return sum(astype(nonzero, dtype=_dtypes.int64), axis=axis, keepdims=keepdims)
