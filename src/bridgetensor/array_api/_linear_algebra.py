"""The standard's linear-algebra functions of the main namespace: matmul,
matrix_transpose, tensordot and vecdot (the `linalg` extension is in linalg.py)."""

from __future__ import annotations

from .. import ops
from ._promotion import as_operand, promote_arrays

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def matmul(x1, x2, /):
    """The matrix product, with NumPy's rules for 1-d operands and batch broadcasting.

    >>> import bridgetensor.array_api as xp
    >>> xp.matmul(xp.asarray([[1, 2], [3, 4]]), xp.asarray([1, 1]))
    tensor([3, 7])
    """
    x1, x2 = promote_arrays(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError("matmul: expected arrays of at least one dimension; got a 0-d array")
    return ops.matmul(x1, x2)


def matrix_transpose(x, /):
    """The matrices on the last two axes transposed (a view).

    >>> import bridgetensor.array_api as xp
    >>> xp.matrix_transpose(xp.zeros((4, 2, 3))).shape
    bridgetensor.Size([4, 3, 2])
    """
    return ops.matrix_transpose(as_operand(x))


def tensordot(x1, x2, /, *, axes=2):
    """Sums of products over `axes` (an int n: x1's last n axes with x2's first n).

    >>> import bridgetensor.array_api as xp
    >>> xp.tensordot(xp.ones((2, 3)), xp.ones((3, 4)), axes=1).shape
    bridgetensor.Size([2, 4])
    """
    x1, x2 = promote_arrays(x1, x2)
    return ops.tensordot(x1, x2, axes=axes)


def vecdot(x1, x2, /, *, axis=-1):
    """Dot products of vectors along `axis`; complex x1 is conjugated, as the standard says.

    >>> import bridgetensor.array_api as xp
    >>> xp.vecdot(xp.asarray([[1.0, 2.0], [3.0, 4.0]]), xp.asarray([1.0, 1.0]))
    tensor([3., 7.])
    """
    x1, x2 = promote_arrays(x1, x2)
    if x1.dtype.is_complex:
        x1 = ops.conj(x1)
    ndim = max(x1.ndim, x2.ndim)
    if not -ndim <= axis < ndim:
        raise ValueError(f"vecdot: axis {axis} is out of range for {ndim}-d operands")
    axis = axis - ndim if axis >= 0 else axis  # counted from the end, as broadcasting aligns
    if x1.ndim < -axis or x2.ndim < -axis or x1.shape[axis] != x2.shape[axis]:
        raise ValueError(
            f"vecdot: the arrays must have the same size along axis {axis}; got shapes "
            f"{tuple(x1.shape)} and {tuple(x2.shape)}"
        )
    out = ops.vecdot(x1, x2, axis=axis)
    # The sum inside accumulates integers in 64 bits; the standard keeps the operands' dtype.
    return out if out.dtype is x1.dtype else ops.astype(out, dtype=x1.dtype)
