"""Linear-algebra products: matmul, addmm, tensordot, vecdot, outer, cross, kron, trace.

Factorisations and solvers live in linalg_decompositions.py, norms in linalg_norms.py,
einsum in einsum.py.
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._helpers import normalize_axis, zeros_like
from ._linalg_common import eye_mask, mT
from .elementwise import multiply, where
from .manipulation import expand_dims, permute_dims, reshape, squeeze
from .reduction import sum as _sum

__all__ = [
    "addmm",
    "cross",
    "kron",
    "linalg_diagonal",
    "matmul",
    "matrix_transpose",
    "outer",
    "tensordot",
    "trace",
    "vecdot",
]


def matrix_transpose(x, /):
    """Swap the last two axes (a view)."""
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: expected at least 2 dimensions; got {x.ndim}")
    return mT(x)


# ---------------------------------------------------------------- matmul


@primitive(grad_name="MmBackward0")
def matmul(x, y, /, *, xp):
    try:
        return xp.matmul(x, y)
    except Exception:
        message = matmul_shape_error(tuple(getattr(x, "shape", ())), tuple(getattr(y, "shape", ())))
        if message is None:
            raise
        raise RuntimeError(message) from None


def _matmul_x(g, out, x, y):
    if y.ndim == 1:
        return expand_dims(g, axis=-1) * y if x.ndim > 1 else g * y
    if x.ndim == 1:
        return squeeze(matmul(expand_dims(g, axis=0), mT(y)), axis=-2)
    return matmul(g, mT(y))


def _matmul_y(g, out, x, y):
    if x.ndim == 1:
        if y.ndim == 1:
            return g * x
        return expand_dims(x, axis=-1) * expand_dims(g, axis=-2)
    if y.ndim == 1:
        return squeeze(matmul(mT(x), expand_dims(g, axis=-1)), axis=-1)
    return matmul(mT(x), g)


matmul.defvjp(_matmul_x, _matmul_y)


def broadcast_error(a: tuple, b: tuple, offset: int = 0) -> str | None:
    """torch's message for shapes that do not broadcast (None when they do)."""
    n = max(len(a), len(b))
    for i in range(1, n + 1):
        p = a[-i] if i <= len(a) else 1
        q = b[-i] if i <= len(b) else 1
        if p != q and p != 1 and q != 1:
            return (
                f"The size of tensor a ({p}) must match the size of tensor b ({q}) at "
                f"non-singleton dimension {n - i + offset}"
            )
    return None


def matmul_shape_error(a: tuple, b: tuple) -> str | None:
    """torch's message for matmul operands of these shapes (None when they fit)."""
    if not a or not b:
        return (
            f"both arguments to matmul need to be at least 1D, but they are {len(a)}D and {len(b)}D"
        )
    if len(a) == 1 and len(b) == 1:
        if a[0] == b[0]:
            return None
        return (
            f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] to have the "
            f"same number of elements, but got {a[0]} and {b[0]} elements respectively"
        )
    k, r = a[-1], b[-2] if len(b) > 1 else b[0]
    rows = math.prod(a[:-1])
    if len(b) == 1:
        return None if k == r else f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec ({r})"
    if len(b) == 2:
        if k == r:
            return None
        return f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {r}x{b[-1]})"
    batch_a, batch_b = a[:-2], b[:-2]
    message = broadcast_error(batch_a, batch_b)
    if message is not None or k == r:
        return message
    n = max(len(batch_a), len(batch_b))
    batch = math.prod(
        max(batch_a[-i] if i <= len(batch_a) else 1, batch_b[-i] if i <= len(batch_b) else 1)
        for i in range(1, n + 1)
    )
    return (
        f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k}] "
        f"but got: [{batch}, {r}]."
    )


# ---------------------------------------------------------------- addmm


# A primitive, not matmul + add, as torch's AddmmBackward0: nn.Linear's x @ W.T + b is one
# node, and the bias is added into the product's buffer (one (n, m) array, not two).
# Measured here on a loaded 2-core machine: forward+backward within noise of matmul + add
# (about 5% faster at 64x128x64); benchmarks/ holds the real measurement.
@primitive(grad_name="AddmmBackward0")
def addmm(c, a, b, /, *, xp, beta=1, alpha=1):
    """beta * c + alpha * (a @ b); with beta == 0, c's values (even nan) are ignored."""
    product = matmul.forward(a, b, xp=xp)
    # The product is a fresh array: scale it and add c into it in place (an immutable
    # backend's `+=` falls back to a new array).
    if alpha != 1:
        product *= alpha
    if beta == 0:
        return product
    term = c if beta == 1 else c * beta
    if getattr(term, "ndim", 0) <= product.ndim:
        product += term
        return product
    return product + term


addmm.defvjp(
    lambda g, out, c, a, b, *, beta=1, alpha=1: (
        g if beta == 1 else zeros_like(g) if beta == 0 else g * beta
    ),
    lambda g, out, c, a, b, *, beta=1, alpha=1: _scaled(matmul(g, mT(b)), alpha),
    lambda g, out, c, a, b, *, beta=1, alpha=1: _scaled(_mat2_grad(g, a, b), alpha),
)


def _mat2_grad(g, a, b):
    """a.T @ g, laid out as b: as torch's mm_mat2_backward, a transposed b (nn.Linear's
    W.T) gets (g.T @ a).T, so that the weight's own gradient is contiguous (the optimizer's
    updates then run over matching layouts: 5x faster at 1024x1024, measured)."""
    flags = getattr(b._data, "flags", None)
    if flags is not None and b.ndim == 2 and flags.f_contiguous and not flags.c_contiguous:
        return mT(matmul(mT(g), a))
    return matmul(mT(a), g)


def _scaled(x, factor):
    return x if factor == 1 else x * factor


# ---------------------------------------------------------------- other products


def _as_axes(axes, ndim: int, name: str) -> list:
    axes = [axes] if isinstance(axes, int) else list(axes)
    found = [normalize_axis(int(a), ndim) for a in axes]
    for a in found:
        if found.count(a) > 1:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return found


def tensordot(x1, x2, /, *, axes=2):
    """Sum of products over `axes` of x1 and x2 (an int n: x1's last n with x2's first n)."""
    if isinstance(axes, int):
        if axes < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={axes}")
        if axes > x1.ndim or axes > x2.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={axes}")
        shown_a, shown_b = list(range(-axes, 0)), list(range(axes))
        axes_a, axes_b = list(range(x1.ndim - axes, x1.ndim)), list(range(axes))
    else:
        shown_a, shown_b = axes
        shown_a = [shown_a] if isinstance(shown_a, int) else list(shown_a)
        shown_b = [shown_b] if isinstance(shown_b, int) else list(shown_b)
        if len(shown_a) != len(shown_b):
            raise RuntimeError("both dimension lists should have same length")
        axes_a, axes_b = _as_axes(shown_a, x1.ndim, "a"), _as_axes(shown_b, x2.ndim, "b")
    for i, j, si, sj in zip(axes_a, axes_b, shown_a, shown_b):
        p, q = x1.shape[i], x2.shape[j]
        if p != q and p != 1 and q != 1:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {p} in dim {si} and "
                f"second has size {q} in dim {sj}"
            )
        # NOTE: as torch, a contracted axis of size 1 broadcasts: sum the other side first.
        if p == 1 and q != 1:
            x2 = _sum(x2, axis=j, keepdims=True)
        elif q == 1 and p != 1:
            x1 = _sum(x1, axis=i, keepdims=True)
    free_a = [i for i in range(x1.ndim) if i not in axes_a]
    free_b = [j for j in range(x2.ndim) if j not in axes_b]
    k = math.prod(x1.shape[i] for i in axes_a)
    a = _reordered(x1, free_a + axes_a, (math.prod(x1.shape[i] for i in free_a), k))
    b = _reordered(x2, axes_b + free_b, (k, math.prod(x2.shape[j] for j in free_b)))
    shape = tuple(x1.shape[i] for i in free_a) + tuple(x2.shape[j] for j in free_b)
    return reshape(matmul(a, b), shape=shape)


def _reordered(x, order: list, shape: tuple):
    if order != list(range(x.ndim)):
        x = permute_dims(x, axes=tuple(order))
    return reshape(x, shape=shape)


def vecdot(x1, x2, /, *, axis=-1):
    """Dot products of vectors along `axis` (other axes broadcast)."""
    ndim = max(x1.ndim, x2.ndim)
    normalize_axis(axis, ndim)
    if axis >= 0:
        axis -= ndim
    return _sum(multiply(x1, x2), axis=axis)


def outer(x1, x2, /):
    """The outer product of two vectors: out[i, j] = x1[i] * x2[j]."""
    return multiply(expand_dims(x1, axis=-1), x2)


@primitive(grad_name="LinalgCrossBackward0")
def cross(x1, x2, /, *, xp, axis=-1):
    ndim = max(x1.ndim, x2.ndim)
    # The standard (and array-api-strict) take only a negative axis.
    return xp.linalg.cross(x1, x2, axis=normalize_axis(axis, ndim) - ndim)


# d(x1 x x2) . g = dx1 . (x2 x g) = dx2 . (g x x1)
cross.defvjp(
    lambda g, out, x1, x2, *, axis=-1: cross(x2, g, axis=axis),
    lambda g, out, x1, x2, *, axis=-1: cross(g, x1, axis=axis),
)


def kron(x1, x2, /):
    """The Kronecker product: blocks x1[i, j] * x2 (inputs padded to the same rank)."""
    ndim = max(x1.ndim, x2.ndim)
    a = reshape(x1, shape=(1,) * (ndim - x1.ndim) + tuple(x1.shape))
    b = reshape(x2, shape=(1,) * (ndim - x2.ndim) + tuple(x2.shape))
    # a gets a new axis after each of its axes, b before each: the product interleaves them.
    a = reshape(a, shape=tuple(n for size in a.shape for n in (size, 1)))
    b = reshape(b, shape=tuple(n for size in b.shape for n in (1, size)))
    return reshape(multiply(a, b), shape=tuple(p * q for p, q in zip(a.shape[::2], b.shape[1::2])))


# ---------------------------------------------------------------- diagonal and trace


def linalg_diagonal(x, /, *, offset=0, axis1=-2, axis2=-1):
    """The diagonal `offset` of the matrices on axes (axis1, axis2), as a last axis.

    The standard's ``linalg.diagonal`` (axis1=-2, axis2=-1) and torch's
    ``linalg.diagonal(A, offset=, dim1=, dim2=)``.
    """
    if x.ndim < 2:
        raise RuntimeError(
            f"diagonal dimensions requires ndim larger than 1, but got ndim = {x.ndim}"
        )
    a1, a2 = normalize_axis(axis1, x.ndim), normalize_axis(axis2, x.ndim)
    if a1 == a2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {axis1}, {axis2}")
    if (a1, a2) != (x.ndim - 2, x.ndim - 1):
        rest = [i for i in range(x.ndim) if i not in (a1, a2)]
        x = permute_dims(x, axes=(*rest, a1, a2))
    n, m = x.shape[-2], x.shape[-1]
    # A mask and a sum (not a gather): it works on every backend, and `where` keeps
    # infinities off the diagonal out of the result.
    picked = where(eye_mask(x, n, m, offset), x, 0)
    if offset >= 0:
        length = max(0, min(n, m - offset))
        rows = _sum(picked, axis=-1)
        return _first(rows, length, n)
    length = max(0, min(m, n + offset))
    return _first(_sum(picked, axis=-2), length, m)


def _first(x, length: int, size: int):
    from .indexing import getitem

    return x if length == size else getitem(x, key=(Ellipsis, slice(0, length)))


def trace(x, /, *, offset=0, dtype=None):
    """Sum of the diagonal `offset` of the matrices on the last two axes."""
    return _sum(linalg_diagonal(x, offset=offset), axis=-1, dtype=dtype)
