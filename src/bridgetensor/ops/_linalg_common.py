"""What the linear-algebra ops share: LinAlgError, argument checks, constant matrices.

Backends report a failed factorisation in their own way (NumPy's LinAlgError, torch's,
or none at all); `backend_errors` turns the ones that do into torch's `LinAlgError`
with torch's message, found again from the input in plain Python (only on failure).
"""

from __future__ import annotations

from contextlib import contextmanager

from .. import _dtypes
from ..autograd._primitive import _dtypes_name
from ._helpers import wrap

__all__ = ["LinAlgError"]


class LinAlgError(RuntimeError):
    """A matrix the operation cannot factorise (singular, not positive-definite, ...).

    As ``torch.linalg.LinAlgError`` it is a RuntimeError.

    >>> import bridgetensor as bt
    >>> try:
    ...     bt.linalg.inv(bt.zeros(2, 2))
    ... except bt.linalg.LinAlgError as error:
    ...     print(str(error)[:40])
    linalg.inv: The diagonal element 1 is ze
    """


# ---------------------------------------------------------------- checks


def torch_name(dtype) -> str:
    """torch's short name of a dtype in messages: Float, Double, Long, ..."""
    return _dtypes_name(dtype)


_C_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}


def c_name(dtype) -> str:
    """The C++ name of a dtype, as some of torch's messages print it (``long int``)."""
    return _C_NAMES.get(dtype.name, dtype.name)


def check_float(x, name: str, *, half: bool = False) -> None:
    """torch's refusal of integer (and, unless `half`, 16-bit float) input."""
    if x.dtype.category < _dtypes.FLOATING:
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. "
            f"Got {torch_name(x.dtype)}"
        )
    if not half and x.dtype.itemsize < 4:
        raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {torch_name(x.dtype)}")


def check_matrix(x, name: str, square: bool = False) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are "
            f"{x.shape[-2]} by {x.shape[-1]} matrices"
        )


def check_square_float(x, name: str) -> None:
    check_matrix(x, name, square=True)
    check_float(x, name)


# ---------------------------------------------------------------- constants


def mT(x):
    """The transpose of the last two axes (a view)."""
    from .manipulation import permute_dims

    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return permute_dims(x, axes=tuple(axes))


def eye_like(x, n: int | None = None, m: int | None = None, offset: int = 0):
    """An identity-like (n x m) constant of x's dtype and backend."""
    n = x.shape[-1] if n is None else n
    m = n if m is None else m
    xp = x._be.xp
    return wrap(xp.eye(n, m, k=offset, dtype=x._data.dtype), x._be)


def eye_mask(x, n: int, m: int | None = None, offset: int = 0, lower: bool = False):
    """A boolean constant: the diagonal `offset` (or, with `lower`, all on and below it)."""
    m = n if m is None else m
    xp = x._be.xp
    ones = xp.ones((n, m), dtype=xp.bool)
    mask = xp.tril(ones, k=offset) if lower else xp.eye(n, m, k=offset, dtype=xp.bool)
    return wrap(mask, x._be)


def tril(x, offset: int = 0):
    """The lower triangle (on and below diagonal `offset`) of the last two axes."""
    from .elementwise import where

    return where(eye_mask(x, x.shape[-2], x.shape[-1], offset, lower=True), x, 0.0)


def diag_embed(v):
    """A batch of diagonal matrices from a batch of vectors (last axis)."""
    from .manipulation import expand_dims

    return expand_dims(v, axis=-1) * eye_like(v, v.shape[-1])


# ---------------------------------------------------------------- backend failures


def _is_linalg_error(error) -> bool:
    return any(kind.__name__ in ("LinAlgError", "_LinAlgError") for kind in type(error).__mro__)


@contextmanager
def backend_errors(name: str, x=None, kind: str = ""):
    """Turn a backend's LinAlgError into ours, with torch's message for `kind`.

    kind: "singular" (an LU pivot is zero), "solve", "not_pd" (Cholesky), or "" (the
    backend's own message).
    """
    try:
        yield
    except Exception as error:
        if not _is_linalg_error(error):
            raise
        raise LinAlgError(_message(name, x, kind, error)) from None


def _message(name, x, kind, error) -> str:
    if kind == "solve":
        batch, _ = _first_failure(x, _zero_pivot)
        return f"torch.linalg.solve: {batch}The solver failed because the input matrix is singular."
    if kind == "singular":
        batch, index = _first_failure(x, _zero_pivot)
        if index:
            return (
                f"{name}: {batch}The diagonal element {index} is zero, the inversion could not be "
                "completed because the input matrix is singular."
            )
    if kind == "not_pd":
        batch, order = _first_failure(x, _failed_minor)
        if order:
            return (
                f"{name}: {batch}The factorization could not be completed because the input is "
                f"not positive-definite (the leading minor of order {order} is not "
                "positive-definite)."
            )
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"{name}: {text}"


def _first_failure(x, find) -> tuple[str, int]:
    """("(Batch element k): " or "", what `find` reports) for the first failing matrix."""
    values = wrap(x, _backend_of(x)).tolist()
    batched = len(getattr(x, "shape", ())) > 2
    matrices = list(_matrices(values, len(x.shape) - 2))
    for k, matrix in enumerate(matrices):
        found = find(matrix)
        if found:
            return (f"(Batch element {k}): " if batched else ""), found
    return "", 0


def _backend_of(x):
    from .._backend import backend_of_array

    return backend_of_array(x)


def _matrices(values, depth: int):
    if depth == 0:
        yield values
        return
    for item in values:
        yield from _matrices(item, depth - 1)


def _zero_pivot(a) -> int:
    """1-based index of the first zero pivot of LU with partial pivoting (0: none)."""
    a = [list(map(float, row)) for row in a]
    n = len(a)
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[p][k] == 0.0:
            return k + 1
        a[k], a[p] = a[p], a[k]
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            for j in range(k, n):
                a[i][j] -= f * a[k][j]
    return 0


def _failed_minor(a) -> int:
    """Order of the first leading minor whose Cholesky step fails (0: none)."""
    n = len(a)
    low = [[0.0] * n for _ in range(n)]
    for j in range(n):
        d = float(a[j][j]) - sum(low[j][k] ** 2 for k in range(j))
        if not d > 0.0:
            return j + 1
        low[j][j] = d**0.5
        for i in range(j + 1, n):
            s = float(a[i][j]) - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = s / low[j][j]
    return 0
