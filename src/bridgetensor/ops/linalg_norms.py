"""Norms and what is built on them: vector_norm, matrix_norm, matrix_rank, cond, matrix_power."""

from __future__ import annotations

import math

from .. import _dtypes
from ..autograd._primitive import primitive
from ._helpers import normalize_axis, wrap, zeros_like
from ._linalg_common import LinAlgError, eye_like
from .elementwise import abs as _abs
from .elementwise import equal, greater, isnan, sign, where
from .indexing import getitem
from .joining import stack
from .linalg import matmul
from .linalg_decompositions import eigvalsh, inv, svdvals
from .manipulation import (
    astype,
    broadcast_to,
    clone,
    expand_dims,
    permute_dims,
    reshape,
    squeeze,
)
from .reduction import expand_reduced
from .reduction import max as _max
from .reduction import min as _min
from .reduction import sum as _sum

__all__ = ["cond", "inv_ex", "matrix_norm", "matrix_power", "matrix_rank", "vector_norm"]


@primitive(dtypes=None, grad_name="LinalgVectorNormBackward0")
def vector_norm(x, /, *, xp, axis=None, keepdims=False, ord=2):
    return xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)


def _vector_norm_rule(g, out, x, *, axis=None, keepdims=False, ord=2):
    # torch's norm_backward. NOTE: as torch, where the norm is 0 the gradient is 0 (a
    # subgradient), and for ord=inf the maxima share the gradient evenly.
    g = expand_reduced(g, x.shape, axis, keepdims)
    norm = expand_reduced(out, x.shape, axis, keepdims)
    if ord == 0:
        return zeros_like(g)
    if ord == 1:
        return g * sign(x)
    if ord == 2:
        return g * x / where(equal(norm, 0.0), 1.0, norm)
    if math.isinf(ord):
        hit = equal(_abs(x), norm) | (isnan(x) & isnan(norm))
        count = _sum(astype(hit, dtype=g.dtype), axis=axis, keepdims=True)
        return sign(x) * where(hit, g / count, 0.0)
    zero_norm = equal(norm, 0.0)
    if ord < 1:
        zero = equal(x, 0.0)
        scaled = sign(x) * where(zero, 0.0, _power(_abs(where(zero, 1.0, x)), ord - 1.0))
        return scaled * (g * _power(norm, 1.0 - ord))
    scaled = sign(x) * _power(_abs(x), ord - 1.0) if ord < 2 else x * _power(_abs(x), ord - 2.0)
    scale = where(zero_norm, 0.0, g / _power(where(zero_norm, 1.0, norm), ord - 1.0))
    return scaled * scale


def _power(x, exponent: float):
    # The exponent as a 0-d tensor of x's dtype (it keeps x's dtype either way): pow's
    # rule compares its exponent with 0, which must then be an array on every backend.
    xp = x._be.xp
    return x ** wrap(xp.asarray(exponent, dtype=x._data.dtype), x._be)


vector_norm.defvjp(_vector_norm_rule)


def _moved_last(x, a1: int, a2: int):
    """x with axes a1, a2 moved to the end (in that order)."""
    if (a1, a2) == (x.ndim - 2, x.ndim - 1):
        return x
    rest = [i for i in range(x.ndim) if i not in (a1, a2)]
    return permute_dims(x, axes=(*rest, a1, a2))


def matrix_norm(x, /, *, keepdims=False, ord="fro", axis=(-2, -1)):
    """Matrix norms: "fro", "nuc", inf, -inf, 1, -1, 2, -2 over the two `axis`.

    Composites, as torch: "fro" is a vector norm, 1/inf are sums and extremes of |x|,
    and "nuc"/2/-2 reduce the singular values (their gradient needs no distinct values).
    """
    name = "linalg.matrix_norm"
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if len(axis) != 2:
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {' '.join(map(str, axis))}")
    a1, a2 = normalize_axis(axis[0], x.ndim), normalize_axis(axis[1], x.ndim)
    if a1 == a2:
        raise RuntimeError(f"{name}: dims must be different. Got ({axis[0]}, {axis[1]})")
    if isinstance(ord, str) and ord == "fro":
        return vector_norm(x, axis=(a1, a2), keepdims=keepdims, ord=2)
    if (isinstance(ord, str) and ord == "nuc") or ord in (2, -2):
        s = svdvals(_moved_last(x, a1, a2))
        if ord == "nuc":
            result = _sum(s, axis=-1)
        else:
            result = (_max if ord == 2 else _min)(s, axis=-1)
        if keepdims:
            for a in sorted((a1, a2)):
                result = expand_dims(result, axis=a)
        return result
    if ord in (1, -1, math.inf, -math.inf) and not isinstance(ord, (str, bool)):
        summed, other = (a1, a2) if abs(ord) == 1 else (a2, a1)
        sums = _sum(_abs(x), axis=summed, keepdims=True)
        result = (_max if ord > 0 else _min)(sums, axis=other, keepdims=True)
        return result if keepdims else squeeze(result, axis=(a1, a2))
    raise RuntimeError(f"{name}: Order {ord} not supported.")


def matrix_rank(x, /, *, rtol=None, atol=None, hermitian=False):
    """How many singular values exceed max(atol, rtol * largest); int64, no gradient.

    By default rtol is eps * max(m, n) (0 when only a positive atol is given), as torch.
    """
    x = x.detach()
    m, n = x.shape[-2], x.shape[-1]
    if min(m, n) == 0:
        return astype(zeros_like(_sum(_sum(x, axis=-1), axis=-1)), dtype=_dtypes.int64)
    s = _abs(eigvalsh(x)) if hermitian else svdvals(x)
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else _dtypes.finfo(x.dtype).eps * max(m, n)
    tol = _max(s, axis=-1, keepdims=True) * rtol
    if atol is not None:
        tol = where(greater(tol, atol), tol, float(atol))
    return _sum(astype(greater(s, tol), dtype=_dtypes.int64), axis=-1)


def matrix_power(x, /, n: int):
    """x multiplied by itself n times (n == 0: identity, n < 0: powers of the inverse)."""
    if n == 0:
        return clone(broadcast_to(eye_like(x), shape=tuple(x.shape)))
    if n < 0:
        x, n = inv(x), -n
    if n == 1:
        return clone(x)
    if n == 3:
        return matmul(matmul(x, x), x)
    # Binary powering: square z each step, multiply it in where n's bit is set.
    result, z = None, None
    while n:
        bit, n = n % 2, n // 2
        z = x if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


def inv_ex(x, /):
    """(inverse, info) without raising: info is the 1-based index of a zero pivot, or 0.

    The inverses of singular matrices in a batch are nan (torch leaves garbage there).
    """
    from ._linalg_common import _first_failure, _zero_pivot

    batch = tuple(x.shape[:-2])
    try:
        return inv(x), _info(x, [0] * math.prod(batch))
    except LinAlgError:
        pass
    n = x.shape[-1]
    flat = reshape(x, shape=(math.prod(batch), n, n))
    inverses, infos = [], []
    for k in range(flat.shape[0]):
        one = getitem(flat, key=(k, Ellipsis))
        info = _first_failure(one._data, _zero_pivot)[1]
        infos.append(info)
        inverses.append(one * math.nan if info else inv(one))
    return reshape(stack(*inverses, axis=0), shape=(*batch, n, n)), _info(x, infos)


def _info(x, infos):
    xp = x._be.xp
    info = xp.reshape(xp.asarray(infos, dtype=xp.int32), tuple(x.shape[:-2]))
    return wrap(info, x._be)


def cond(x, /, p=None):
    """The condition number in norm p (None, 2, -2: singular values; others: norm * norm of inv).

    Singular matrices give inf for the norm-based p, as torch.
    """
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svdvals(x)
        ratio = _max(s, axis=-1) / _min(s, axis=-1)
        return ratio if p != -2 else 1.0 / ratio
    inverse, info = inv_ex(x)
    singular = greater(info, 0)
    # The nan inverses of singular matrices would stop an SVD: their result is inf anyway.
    inverse = where(expand_dims(expand_dims(singular, axis=-1), axis=-1), 0.0, inverse)
    result = matrix_norm(x, ord=p) * matrix_norm(inverse, ord=p)
    return where(singular, math.inf, result)
