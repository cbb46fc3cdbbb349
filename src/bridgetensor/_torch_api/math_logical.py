"""Logical and bitwise ops, and selection (`where`, `masked_fill`), under torch's names."""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import is_tensor, wrap
from ._elementwise import inplace, inplace_composite, tensor_operand

__all__ = [
    "LogicalMethods",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "masked_fill",
    "where",
]


def _truth(x):
    """torch's logical ops read any nonzero value as True."""
    if is_tensor(x) and x.dtype is not _dtypes.bool:
        return ops.not_equal(x, 0)
    return x


def _truths(x, y):
    """Both operands as bools, read in their common dtype as torch does (a float64
    1e-300 against a float32 tensor is 0 in float32, so False)."""
    if is_tensor(x) and is_tensor(y) and x.dtype is not y.dtype:
        dims = [t.dtype for t in (x, y) if t.ndim]
        zero_dims = [t.dtype for t in (x, y) if not t.ndim]
        common = _dtypes.result_type(dims, zero_dims, [])
        x, y = (t if t.dtype is common else ops.astype(t, dtype=common) for t in (x, y))
    return _truth(x), _truth(y)


def logical_and(input, other):
    """input and other, elementwise; nonzero counts as True (bool result).

    >>> import bridgetensor as bt
    >>> bt.logical_and(bt.tensor([1, 0, 2]), bt.tensor([True, True, False]))
    tensor([ True, False, False])
    """
    tensor_operand("logical_and", other)
    return ops.logical_and(*_truths(input, other))


def logical_or(input, other):
    """input or other, elementwise; nonzero counts as True (bool result).

    >>> import bridgetensor as bt
    >>> bt.logical_or(bt.tensor([1, 0]), bt.tensor([0, 0]))
    tensor([ True, False])
    """
    tensor_operand("logical_or", other)
    return ops.logical_or(*_truths(input, other))


def logical_xor(input, other):
    """Exactly one of input and other, elementwise; nonzero counts as True.

    >>> import bridgetensor as bt
    >>> bt.logical_xor(bt.tensor([1, 0, 1]), bt.tensor([1, 1, 0]))
    tensor([False,  True,  True])
    """
    tensor_operand("logical_xor", other)
    return ops.logical_xor(*_truths(input, other))


def logical_not(input):
    """not x, elementwise; nonzero counts as True (bool result).

    >>> import bridgetensor as bt
    >>> bt.logical_not(bt.tensor([0.0, 2.0]))
    tensor([ True, False])
    """
    return ops.logical_not(_truth(input))


def bitwise_and(input, other):
    """input & other for integer and bool tensors.

    >>> import bridgetensor as bt
    >>> bt.bitwise_and(bt.tensor([12]), 10)
    tensor([8])
    """
    return ops.bitwise_and(input, other)


def bitwise_or(input, other):
    """input | other for integer and bool tensors.

    >>> import bridgetensor as bt
    >>> bt.bitwise_or(bt.tensor([12]), 10)
    tensor([14])
    """
    return ops.bitwise_or(input, other)


def bitwise_xor(input, other):
    """input ^ other for integer and bool tensors.

    >>> import bridgetensor as bt
    >>> bt.bitwise_xor(bt.tensor([12]), 10)
    tensor([6])
    """
    return ops.bitwise_xor(input, other)


def bitwise_not(input):
    """~x: bits flipped for integers, logical not for bool.

    >>> import bridgetensor as bt
    >>> bt.bitwise_not(bt.tensor([0, 5]))
    tensor([-1, -6])
    """
    return ops.bitwise_invert(input)


def bitwise_left_shift(input, other):
    """input << other (shifting out every bit gives 0).

    >>> import bridgetensor as bt
    >>> bt.bitwise_left_shift(bt.tensor([1, 3]), 2)
    tensor([ 4, 12])
    """
    return ops.bitwise_left_shift(input, other)


def bitwise_right_shift(input, other):
    """input >> other, arithmetic (the sign is kept).

    >>> import bridgetensor as bt
    >>> bt.bitwise_right_shift(bt.tensor([16, -16]), 2)
    tensor([ 4, -4])
    """
    return ops.bitwise_right_shift(input, other)


def where(condition, input=None, other=None):
    """input where condition holds, other elsewhere (either may be a number).

    >>> import bridgetensor as bt
    >>> bt.where(bt.tensor([True, False]), bt.tensor([1.0, 2.0]), 0.0)
    tensor([1., 0.])
    """
    if input is None and other is None:
        nonzero = getattr(condition, "nonzero", None)
        if nonzero is None:
            raise NotImplementedError("where(condition) needs Tensor.nonzero, not available yet")
        return nonzero(as_tuple=True)
    if not is_tensor(condition) or condition.dtype is not _dtypes.bool:
        got = condition.dtype.name if is_tensor(condition) else type(condition).__name__
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {got}"
        )
    if not is_tensor(input) and not is_tensor(other):
        # Two numbers: torch's result type of the pair (1.0 and 0 give the default float).
        dtype = _dtypes.result_type([], [], [input, other])
        be = condition._be
        input = wrap(be.xp.asarray(input, dtype=be.native[dtype]), be)
    return ops.where(condition, input, other)


def masked_fill(input, mask, value):
    """input with `value` (a number or 0-d tensor, cast to input's dtype) where mask is True.

    >>> import bridgetensor as bt
    >>> bt.masked_fill(bt.tensor([1, 2, 3]), bt.tensor([True, False, True]), 0)
    tensor([0, 2, 0])
    """
    value = _masked_fill_value(input, mask, value)
    return ops.masked_fill(input, mask, value)


_PYTHON_TYPE = {
    _dtypes.BOOL: bool,
    _dtypes.INTEGER: int,
    _dtypes.FLOATING: float,
    _dtypes.COMPLEX: complex,
}


def _masked_fill_value(input, mask, value):
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype.name}"
        )
    if is_tensor(value):
        if value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        return value if value.dtype is input.dtype else ops.astype(value, dtype=input.dtype)
    # A number is converted as torch does, toward zero for integer tensors.
    return _PYTHON_TYPE[input.dtype.category](value)


def _broadcast_shape(a: tuple, b: tuple) -> tuple:
    padded_a = (1,) * (len(b) - len(a)) + tuple(a)
    padded_b = (1,) * (len(a) - len(b)) + tuple(b)
    return tuple(m if n == 1 else n for n, m in zip(padded_a, padded_b))


def _masked_fill_(self, mask, value):
    value = _masked_fill_value(self, mask, value)
    shape = _broadcast_shape(tuple(self.shape), tuple(mask.shape))
    if shape != tuple(self.shape):
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}"
        )
    return ops.masked_fill.inplace(self, mask, value)


class LogicalMethods:
    __slots__ = ()

    logical_and = logical_and
    logical_and_ = inplace_composite(logical_and)
    logical_or = logical_or
    logical_or_ = inplace_composite(logical_or)
    logical_xor = logical_xor
    logical_xor_ = inplace_composite(logical_xor)
    logical_not = logical_not
    logical_not_ = inplace_composite(logical_not)
    bitwise_and = bitwise_and
    bitwise_and_ = inplace(ops.bitwise_and, "bitwise_and")
    bitwise_or = bitwise_or
    bitwise_or_ = inplace(ops.bitwise_or, "bitwise_or")
    bitwise_xor = bitwise_xor
    bitwise_xor_ = inplace(ops.bitwise_xor, "bitwise_xor")
    bitwise_not = bitwise_not
    bitwise_not_ = inplace(ops.bitwise_invert, "bitwise_not")
    bitwise_left_shift = bitwise_left_shift
    bitwise_left_shift_ = inplace(ops.bitwise_left_shift, "bitwise_left_shift")
    bitwise_right_shift = bitwise_right_shift
    bitwise_right_shift_ = inplace(ops.bitwise_right_shift, "bitwise_right_shift")
    masked_fill = masked_fill
    masked_fill_ = _masked_fill_

    def where(self, condition, other):
        return where(condition, self, other)
