"""Factorisations and solvers under torch's names (torch.linalg.* and torch.det, svd, ...).

Each checks what torch checks (shape, dtype, arguments) with torch's message, then
calls the primitive; results with several parts are named tuples as torch's.
"""

from __future__ import annotations

from collections import namedtuple

from .. import ops
from ..ops._helpers import wrap
from ..ops._linalg_common import (
    LinAlgError,
    check_float,
    check_matrix,
    check_square_float,
    torch_name,
)
from ..ops.linalg import broadcast_error

__all__ = [
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "inverse",
    "linalg_cholesky",
    "linalg_svd",
    "logdet",
    "matrix_power",
    "matrix_rank",
    "pinv",
    "pinverse",
    "qr",
    "slogdet",
    "slogdet_torch",
    "solve",
    "svd",
    "svdvals",
    "torch_qr",
]

# The named tuples torch returns (torch.return_types.<name>).
linalg_slogdet = namedtuple("linalg_slogdet", ["sign", "logabsdet"])
slogdet_result = namedtuple("slogdet", ["sign", "logabsdet"])
linalg_eigh = namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
linalg_svd_result = namedtuple("linalg_svd", ["U", "S", "Vh"])
svd_result = namedtuple("svd", ["U", "S", "V"])
linalg_qr = namedtuple("linalg_qr", ["Q", "R"])
qr_result = namedtuple("qr", ["Q", "R"])
linalg_inv_ex = namedtuple("linalg_inv_ex", ["inverse", "info"])
linalg_lstsq = namedtuple("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])


def inv(A):
    """The inverse of square matrices; LinAlgError for a singular one.

    >>> import bridgetensor as bt
    >>> bt.linalg.inv(bt.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    check_square_float(A, "linalg.inv")
    return ops.inv(A)


inverse = inv


def det(A):
    """The determinant (its gradient at a singular matrix is zero, as torch).

    >>> import bridgetensor as bt
    >>> bt.linalg.det(bt.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    check_square_float(A, "linalg.det")
    return ops.det(A)


def slogdet(A):
    """(sign, logabsdet) of the determinant, as a named tuple.

    >>> import bridgetensor as bt
    >>> bt.linalg.slogdet(bt.tensor([[-2.0, 0.0], [0.0, 1.0]])).sign
    tensor(-1.)
    """
    check_square_float(A, "linalg.slogdet")
    return linalg_slogdet(*ops.slogdet(A))


def slogdet_torch(input):
    """torch.slogdet: (sign, logabsdet), as linalg.slogdet."""
    return slogdet_result(*slogdet(input))


def logdet(input):
    """log(det): nan for a negative determinant, -inf for zero.

    >>> import bridgetensor as bt
    >>> bt.logdet(bt.eye(2) * 2.0)
    tensor(1.3863)
    """
    check_square_float(input, "linalg.slogdet")
    sign, logabsdet = ops.slogdet(input)
    negative = ops.less(sign, 0.0)
    return ops.where(negative, float("nan"), logabsdet)


def linalg_cholesky(A, *, upper=False):
    """Lower (or upper) Cholesky factor of symmetric positive-definite matrices.

    >>> import bridgetensor as bt
    >>> bt.linalg.cholesky(bt.eye(2) * 4.0)
    tensor([[2., 0.],
            [0., 2.]])
    """
    check_square_float(A, "linalg.cholesky")
    return ops.cholesky(A, upper=upper)


def cholesky(input, upper=False):
    """torch.cholesky (deprecated in torch for linalg.cholesky); the same factor.

    >>> import bridgetensor as bt
    >>> bt.cholesky(bt.eye(2)).shape
    bridgetensor.Size([2, 2])
    """
    check_square_float(input, "cholesky")
    try:
        return ops.cholesky(input, upper=upper)
    except LinAlgError as error:
        raise LinAlgError(str(error).replace("linalg.cholesky", "cholesky", 1)) from None


_QR_MODES = ("reduced", "complete", "r")


def qr(A, mode="reduced"):
    """(Q, R) with A = QR; mode "reduced", "complete" or "r" (Q empty, no gradient).

    >>> import bridgetensor as bt
    >>> bt.linalg.qr(bt.ones(3, 2)).Q.shape
    bridgetensor.Size([3, 2])
    """
    if mode not in _QR_MODES:
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    check_matrix(A, "linalg.qr")
    check_float(A, "linalg.qr")
    return linalg_qr(*ops.qr(A, mode=mode))


def torch_qr(input, some=True):
    """torch.qr: the reduced (some=True) or complete decomposition."""
    return qr_result(*qr(input, "reduced" if some else "complete"))


def _uplo(A, UPLO, name):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    check_square_float(A, name)
    # The upper triangle of A is the lower triangle of its transpose.
    return A if UPLO == "L" else ops.matrix_transpose(A)


def eigh(A, UPLO="L"):
    """(eigenvalues ascending, eigenvectors) of symmetric matrices, reading one triangle.

    >>> import bridgetensor as bt
    >>> bt.linalg.eigh(bt.tensor([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    tensor([1., 2.])
    """
    return linalg_eigh(*ops.eigh(_uplo(A, UPLO, "linalg.eigh")))


def eigvalsh(A, UPLO="L"):
    """Eigenvalues (ascending) of symmetric matrices.

    >>> import bridgetensor as bt
    >>> bt.linalg.eigvalsh(bt.eye(2))
    tensor([1., 1.])
    """
    return ops.eigvalsh(_uplo(A, UPLO, "linalg.eigvalsh"))


def _driver(driver, name):
    if driver is not None:
        raise RuntimeError(
            f"torch.{name}: keyword argument `driver=` is only supported on CUDA inputs with "
            "cuSOLVER backend."
        )


def linalg_svd(A, full_matrices=True, *, driver=None):
    """(U, S, Vh) with A = U diag(S) Vh, S descending.

    >>> import bridgetensor as bt
    >>> bt.linalg.svd(bt.eye(2) * 3.0).S
    tensor([3., 3.])
    """
    _driver(driver, "linalg.svd")
    check_matrix(A, "linalg.svd")
    check_float(A, "linalg.svd")
    return linalg_svd_result(*ops.svd(A, full_matrices=full_matrices))


def svdvals(A, *, driver=None):
    """The singular values, descending.

    >>> import bridgetensor as bt
    >>> bt.linalg.svdvals(bt.eye(2) * 3.0)
    tensor([3., 3.])
    """
    _driver(driver, "linalg.svdvals")
    check_matrix(A, "linalg.svdvals")
    check_float(A, "linalg.svdvals")
    return ops.svdvals(A)


def svd(input, some=True, compute_uv=True):
    """torch.svd: (U, S, V) with V, not Vh; compute_uv=False gives zero U and V.

    >>> import bridgetensor as bt
    >>> bt.svd(bt.ones(3, 2)).V.shape
    bridgetensor.Size([2, 2])
    """
    if not compute_uv:
        s = svdvals(input)
        m, n = input.shape[-2], input.shape[-1]
        xp = input._be.xp
        zeros = [
            wrap(xp.zeros((*input.shape[:-2], k, k), dtype=input._data.dtype), input._be)
            for k in (m, n)
        ]
        return svd_result(zeros[0], s, zeros[1])
    u, s, vh = linalg_svd(input, full_matrices=not some)
    return svd_result(u, s, ops.matrix_transpose(vh))


def pinv(A, *, atol=None, rtol=None, hermitian=False):
    """The Moore-Penrose pseudo-inverse (singular values <= max(atol, rtol * largest) dropped).

    >>> import bridgetensor as bt
    >>> bt.linalg.pinv(bt.tensor([[2.0, 0.0], [0.0, 0.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.0000]])
    """
    if A.ndim < 2 or A.dtype.name not in ("float32", "float64", "complex64", "complex128"):
        raise RuntimeError(
            f"linalg.pinv({torch_name(A.dtype)}{{{list(A.shape)}}}): expected a tensor with 2 or "
            "more dimensions of float, double, cfloat or cdouble types"
        )
    return ops.pinv(A, rtol=_number(rtol), atol=_number(atol), hermitian=hermitian)


def _number(value):
    return None if value is None else float(value)


def pinverse(input, rcond=1e-15, hermitian=False):
    """torch.pinverse: pinv with a relative cutoff `rcond`."""
    return pinv(input, rtol=rcond, hermitian=hermitian)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False):
    """The number of singular values above max(atol, rtol * largest) (int64).

    >>> import bridgetensor as bt
    >>> bt.linalg.matrix_rank(bt.ones(3, 3))
    tensor(1)
    """
    if A.ndim < 2:
        raise RuntimeError(
            "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."
        )
    check_float(A, "linalg.matrix_rank")
    return ops.matrix_rank(A, rtol=_number(rtol), atol=_number(atol), hermitian=hermitian)


def matrix_power(A, n):
    """A @ A @ ... (n times); n == 0 gives the identity, n < 0 powers of the inverse.

    >>> import bridgetensor as bt
    >>> bt.linalg.matrix_power(bt.eye(2) * 2.0, 3)
    tensor([[8., 0.],
            [0., 8.]])
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    check_matrix(A, "linalg.matrix_power", square=True)
    if n < 0:
        check_float(A, "linalg.inv")
    return ops.matrix_power(A, n)


def solve(A, B, *, left=True):
    """X with A X = B (or X A = B when left=False); B a matrix or a (batch of) vectors.

    >>> import bridgetensor as bt
    >>> bt.linalg.solve(bt.eye(2) * 2.0, bt.tensor([2.0, 4.0]))
    tensor([1., 2.])
    """
    check_square_float(A, "linalg.solve")
    if A.dtype is not B.dtype:
        raise RuntimeError(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{torch_name(A.dtype)} and B of type {torch_name(B.dtype)} instead"
        )
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vector and not left:
        raise RuntimeError(
            "linalg.solve: Vector broadcasting of the left hand side is not supported for "
            "left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)"
        )
    if not left:
        A, B = ops.matrix_transpose(A), ops.matrix_transpose(B)
    matrix = ops.expand_dims(B, axis=-1) if vector else B
    n = A.shape[-1]
    if matrix.ndim < 2 or matrix.shape[-2] != n:
        rows = matrix.shape[-2] if matrix.ndim >= 2 else matrix.shape[0]
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {rows}x{matrix.shape[-1]})"
        )
    message = broadcast_error(tuple(A.shape[:-2]), tuple(matrix.shape[:-2]))
    if message is not None:
        raise RuntimeError(message)
    x = ops.solve(A, matrix)
    if vector:
        return ops.squeeze(x, axis=-1)
    return x if left else ops.matrix_transpose(x)
