"""The standard's `linalg` extension over bridgetensor's differentiable primitives.

Results with several parts are the standard's named tuples (``eigh(x).eigenvalues``).
"""

from __future__ import annotations

from collections import namedtuple

from .. import ops
from ._linear_algebra import matmul, matrix_transpose, tensordot, vecdot
from ._promotion import as_operand, promote_arrays
from ._statistics import accumulation_dtype

__all__ = [
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eigh",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vecdot",
    "vector_norm",
]

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def cholesky(x, /, *, upper=False):
    """The Cholesky factor of symmetric (Hermitian) positive-definite matrices.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.cholesky(xp.asarray([[4.0, 2.0], [2.0, 2.0]]))
    tensor([[2., 0.],
            [1., 1.]])
    """
    return ops.cholesky(as_operand(x), upper=upper)


def cross(x1, x2, /, *, axis=-1):
    """The cross product of 3-vectors along `axis`.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.cross(xp.asarray([1.0, 0.0, 0.0]), xp.asarray([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])
    """
    x1, x2 = promote_arrays(x1, x2)
    return ops.cross(x1, x2, axis=axis)


def det(x, /):
    """The determinants of the matrices on the last two axes.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.det(xp.asarray([[2.0, 0.0], [0.0, 3.0]]))
    tensor(6.)
    """
    return ops.det(as_operand(x))


def diagonal(x, /, *, offset=0):
    """The `offset` diagonal of the matrices on the last two axes.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.diagonal(xp.asarray([[1, 2], [3, 4]]))
    tensor([1, 4])
    """
    x = as_operand(x)
    if x.ndim < 2:
        raise ValueError(f"diagonal: expected at least 2 dimensions; got {x.ndim}")
    return ops.diagonal(x, offset=offset, axis1=-2, axis2=-1)


def eigh(x, /):
    """(eigenvalues, eigenvectors) of symmetric (Hermitian) matrices, values ascending.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.eigh(xp.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    tensor([1., 2.])
    """
    return EighResult(*ops.eigh(as_operand(x)))


def eigvalsh(x, /):
    """The eigenvalues of symmetric (Hermitian) matrices, ascending.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.eigvalsh(xp.asarray([[2.0, 0.0], [0.0, 1.0]]))
    tensor([1., 2.])
    """
    return ops.eigvalsh(as_operand(x))


def inv(x, /):
    """The inverses of square matrices.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.inv(xp.asarray([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    return ops.inv(as_operand(x))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """Matrix norms of the matrices on the last two axes ("fro", "nuc", 1, 2, inf, ...).

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.matrix_norm(xp.asarray([[3.0, 0.0], [0.0, 4.0]]))
    tensor(5.)
    """
    return ops.matrix_norm(as_operand(x), keepdims=keepdims, ord=ord)


def matrix_power(x, n, /):
    """Square matrices raised to the integer power `n` (negative: of the inverse).

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.matrix_power(xp.asarray([[1, 1], [0, 1]]), 3)
    tensor([[1, 3],
            [0, 1]])
    """
    return ops.matrix_power(as_operand(x), n)


def matrix_rank(x, /, *, rtol=None):
    """The ranks of the matrices: singular values above `rtol` times the largest.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.matrix_rank(xp.asarray([[1.0, 2.0], [2.0, 4.0]]))
    tensor(1)
    """
    if rtol is not None and not isinstance(rtol, (int, float)):
        rtol = ops.expand_dims(as_operand(rtol), axis=-1)  # one per matrix: against each S
    return ops.matrix_rank(as_operand(x), rtol=rtol)


def outer(x1, x2, /):
    """The outer product of two vectors.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.outer(xp.asarray([1, 2]), xp.asarray([1, 10]))
    tensor([[ 1, 10],
            [ 2, 20]])
    """
    x1, x2 = promote_arrays(x1, x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"outer: expected two 1-d arrays; got {x1.ndim}-d and {x2.ndim}-d")
    return ops.outer(x1, x2)


def pinv(x, /, *, rtol=None):
    """The Moore-Penrose pseudo-inverses, cutting singular values below `rtol` x largest.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.pinv(xp.asarray([[2.0, 0.0], [0.0, 0.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.0000]])
    """
    x = as_operand(x)
    if 0 in x.shape:
        # An empty stack's pseudo-inverses are the empty transposed stack.
        return ops.clone(ops.matrix_transpose(x))
    if rtol is None or isinstance(rtol, (int, float)):
        return ops.pinv(x, rtol=rtol)
    # One tolerance per matrix of the stack: the SVD composite, cutting each row of S.
    u, s, vh = ops.svd(x, full_matrices=False)
    cutoff = ops.expand_dims(as_operand(rtol), axis=-1) * ops.max(s, axis=-1, keepdims=True)
    keep = ops.greater(s, cutoff)
    inverse = ops.where(keep, ops.reciprocal(ops.where(keep, s, 1.0)), 0.0)
    v = ops.matrix_transpose(ops.conj(vh))
    return ops.matmul(v * ops.expand_dims(inverse, axis=-2), ops.matrix_transpose(ops.conj(u)))


def qr(x, /, *, mode="reduced"):
    """(Q, R) with orthonormal Q and upper-triangular R (mode "reduced" or "complete").

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.qr(xp.eye(2)).R.shape
    bridgetensor.Size([2, 2])
    """
    return QRResult(*ops.qr(as_operand(x), mode=mode))


def slogdet(x, /):
    """(sign, logabsdet) of the determinants, without overflow.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.slogdet(xp.asarray([[-2.0, 0.0], [0.0, 1.0]])).sign
    tensor(-1.)
    """
    return SlogdetResult(*ops.slogdet(as_operand(x)))


def solve(x1, x2, /):
    """X with x1 @ X = x2, for square x1 (a 1-d x2 is one vector).

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.solve(xp.asarray([[2.0, 0.0], [0.0, 4.0]]), xp.asarray([2.0, 2.0]))
    tensor([1.0000, 0.5000])
    """
    x1, x2 = promote_arrays(x1, x2)
    return ops.solve(x1, x2)


def svd(x, /, *, full_matrices=True):
    """(U, S, Vh) with x = U @ diag(S) @ Vh, S descending.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.svd(xp.asarray([[3.0, 0.0], [0.0, 4.0]])).S
    tensor([4., 3.])
    """
    return SVDResult(*ops.svd(as_operand(x), full_matrices=full_matrices))


def svdvals(x, /):
    """The singular values, descending.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.svdvals(xp.asarray([[3.0, 0.0], [0.0, 4.0]]))
    tensor([4., 3.])
    """
    return ops.svdvals(as_operand(x))


def trace(x, /, *, offset=0, dtype=None):
    """The sums of the `offset` diagonals; integers sum in 64 bits, as `sum`.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.trace(xp.asarray([[1, 2], [3, 4]]))
    tensor(5)
    """
    x = as_operand(x)
    target = accumulation_dtype(x, dtype)
    if target is not x.dtype:
        x = ops.astype(x, dtype=target)
    out = ops.trace(x, offset=offset)
    return out if out.dtype is target else ops.astype(out, dtype=target)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """Vector p-norms over `axis` (None: all elements), `ord` any real or +-inf.

    >>> import bridgetensor.array_api as xp
    >>> xp.linalg.vector_norm(xp.asarray([3.0, 4.0]))
    tensor(5.)
    """
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.vector_norm(as_operand(x), axis=axis, keepdims=keepdims, ord=ord)
