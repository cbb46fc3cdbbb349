"""Matrix products and `bridgetensor.linalg` under torch's names."""

from __future__ import annotations

from .. import ops

__all__ = ["LinalgMethods", "matmul", "mm"]


def matmul(input, other):
    """Matrix product with NumPy/torch broadcasting of batch dimensions.

    >>> import bridgetensor as bt
    >>> bt.matmul(bt.ones(2, 3), bt.ones(3)).tolist()
    [3.0, 3.0]
    """
    return ops.matmul(input, other)


def mm(input, mat2):
    """Product of two matrices (2-D only).

    >>> import bridgetensor as bt
    >>> bt.mm(bt.ones(2, 3), bt.ones(3, 1)).shape
    bridgetensor.Size([2, 1])
    """
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"{'self' if input.ndim != 2 else 'mat2'} must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x{input.shape[1]} and "
            f"{mat2.shape[0]}x{mat2.shape[1]})"
        )
    return ops.matmul(input, mat2)


class LinalgMethods:
    __slots__ = ()

    def mm(self, mat2):
        return mm(self, mat2)
