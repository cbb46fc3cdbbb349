"""More of torch.linalg: lstsq, multi_dot, cross, diagonal, vecdot, cond, inv_ex."""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import normalize_axis, wrap
from ..ops._linalg_common import (
    LinAlgError,
    check_float,
    check_matrix,
    check_square_float,
    torch_name,
)
from ..ops.linalg import broadcast_error
from .linalg_solvers import linalg_inv_ex, linalg_lstsq

__all__ = ["cond", "diagonal", "inv_ex", "linalg_cross", "lstsq", "multi_dot", "vecdot"]


def inv_ex(A, *, check_errors=False):
    """(inverse, info): info is the 1-based index of a zero pivot per matrix, or 0.

    >>> import bridgetensor as bt
    >>> bt.linalg.inv_ex(bt.zeros(2, 2)).info
    tensor(1, dtype=bridgetensor.int32)
    """
    check_square_float(A, "linalg.inv_ex")
    inverse, info = ops.inv_ex(A)
    if check_errors and bool(ops.any(ops.greater(info, 0))):
        try:
            ops.inv(A)
        except LinAlgError as error:
            raise LinAlgError(str(error).replace("linalg.inv:", "linalg.inv_ex:", 1)) from None
    return linalg_inv_ex(inverse, info)


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of A X = B (minimum norm), as torch's named tuple.

    Computed through the pseudo-inverse; `rank` is filled as torch's default CPU driver
    (gelsy) fills it, `residuals` and `singular_values` as the driver asked for.

    >>> import bridgetensor as bt
    >>> bt.linalg.lstsq(bt.eye(3), bt.ones(3, 1)).solution.shape
    bridgetensor.Size([3, 1])
    """
    drivers = ("gels", "gelsy", "gelsd", "gelss")
    if driver is not None and driver not in drivers:
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    check_matrix(A, "linalg.lstsq")
    check_float(A, "linalg.lstsq")
    vector = B.ndim == A.ndim - 1
    matrix = ops.expand_dims(B, axis=-1) if vector else B
    if matrix.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2], A.shape[-1]
    if rcond is None:
        rcond = _dtypes.finfo(A.dtype).eps * max(m, n)
    solution = ops.matmul(ops.pinv(A, rtol=float(rcond)), matrix)
    if vector:
        solution = ops.squeeze(solution, axis=-1)
    driver = driver or "gelsy"
    empty = _empty(A)
    rank = ops.matrix_rank(A, rtol=float(rcond)) if driver != "gels" else _empty(A, "int64")
    singular_values = ops.svdvals(A.detach()) if driver in ("gelsd", "gelss") else empty
    residuals = empty
    if driver != "gelsy" and m > n and bool(ops.all(ops.equal(ops.matrix_rank(A), n))):
        residual = ops.subtract(ops.matmul(A, _as_matrix(solution, vector)), matrix)
        residuals = ops.sum(ops.multiply(residual, residual), axis=-2)
        residuals = ops.squeeze(residuals, axis=-1) if vector else residuals
    return linalg_lstsq(solution, residuals, rank, singular_values)


def _as_matrix(x, vector):
    return ops.expand_dims(x, axis=-1) if vector else x


def _empty(A, dtype=None):
    xp = A._be.xp
    native = A._data.dtype if dtype is None else A._be.native[getattr(_dtypes, dtype)]
    return wrap(xp.zeros((0,), dtype=native), A._be)


def multi_dot(tensors):
    """The product of a chain of matrices (the first and last may be vectors).

    >>> import bridgetensor as bt
    >>> bt.linalg.multi_dot([bt.ones(2, 3), bt.ones(3, 4), bt.ones(4)]).shape
    bridgetensor.Size([2])
    """
    from .linalg import matmul

    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        allowed = (1, 2) if i in (0, len(tensors) - 1) else (2,)
        if t.ndim not in allowed:
            where = "first" if i == 0 else "last" if i == len(tensors) - 1 else None
            raise RuntimeError(
                f"multi_dot(): the {where} tensor must be 1D or 2D but got {t.ndim}D"
                if where
                else f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D"
            )
    for i in range(len(tensors) - 1):
        a, b = tensors[i], tensors[i + 1]
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(a.shape)} and "
                f"{list(b.shape)} cannot be multiplied"
            )
    result = tensors[0]
    for t in tensors[1:]:
        result = matmul(result, t)
    return result


def linalg_cross(input, other, *, dim=-1):
    """Cross product of 3-vectors along `dim` (inputs broadcast).

    >>> import bridgetensor as bt
    >>> bt.linalg.cross(bt.tensor([1.0, 0, 0]), bt.tensor([0.0, 1, 0]))
    tensor([0., 0., 1.])
    """
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    axis = normalize_axis(dim, input.ndim)
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. "
            f"Got {input.shape[axis]} and {other.shape[axis]}"
        )
    message = broadcast_error(tuple(input.shape), tuple(other.shape))
    if message is not None:
        raise RuntimeError(message)
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"expected scalar type {torch_name(input.dtype)} but found {torch_name(other.dtype)}"
        )
    return ops.cross(input, other, axis=axis - input.ndim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal `offset` of the matrices on (dim1, dim2), as the last dimension.

    >>> import bridgetensor as bt
    >>> bt.linalg.diagonal(bt.eye(3))
    tensor([1., 1., 1.])
    """
    return ops.linalg_diagonal(A, offset=offset, axis1=dim1, axis2=dim2)


def vecdot(x, y, *, dim=-1):
    """Dot products along `dim` (other dimensions broadcast).

    >>> import bridgetensor as bt
    >>> bt.linalg.vecdot(bt.ones(2, 3), bt.ones(3))
    tensor([3., 3.])
    """
    check_float(x, "linalg.vecdot", half=True)
    if x.dtype is not y.dtype:
        raise RuntimeError(
            "linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{torch_name(x.dtype)} and y of type {torch_name(y.dtype)} instead"
        )
    message = broadcast_error(tuple(x.shape), tuple(y.shape))
    if message is not None:
        raise RuntimeError(message)
    return ops.vecdot(x, y, axis=dim)


def cond(A, p=None):
    """The condition number of A in norm p (None/2/-2 via singular values; singular: inf).

    >>> import bridgetensor as bt
    >>> bt.linalg.cond(bt.tensor([[2.0, 0.0], [0.0, 1.0]]))
    tensor(2.)
    """
    check_matrix(A, "linalg.cond")
    check_float(A, "linalg.cond")
    by_norm = p is not None and (isinstance(p, str) or p not in (2, -2))
    if by_norm and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )
    return ops.cond(A, p=p)
