"""Comparisons, tests, logical and bitwise ops, and selection under torch's names."""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import is_tensor, wrap
from ._elementwise import (
    constant_mask,
    inplace,
    inplace_composite,
    tensor_operand,
    torch_name,
)

__all__ = [
    "CompareMethods",
    "allclose",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "eq",
    "equal",
    "fmax",
    "fmin",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "le",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "masked_fill",
    "maximum",
    "minimum",
    "ne",
    "not_equal",
    "where",
]


def eq(input, other):
    """input == other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.eq(bt.tensor([1, 2]), 2)
    tensor([False,  True])
    """
    return ops.equal(input, other)


def ne(input, other):
    """input != other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.ne(bt.tensor([1, 2]), 2)
    tensor([ True, False])
    """
    return ops.not_equal(input, other)


def lt(input, other):
    """input < other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.lt(bt.tensor([1, 2]), 2)
    tensor([ True, False])
    """
    return ops.less(input, other)


def le(input, other):
    """input <= other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.le(bt.tensor([1, 3]), 2)
    tensor([ True, False])
    """
    return ops.less_equal(input, other)


def gt(input, other):
    """input > other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.gt(bt.tensor([1, 3]), 2)
    tensor([False,  True])
    """
    return ops.greater(input, other)


def ge(input, other):
    """input >= other, elementwise (bool).

    >>> import bridgetensor as bt
    >>> bt.ge(bt.tensor([1, 2]), 2)
    tensor([False,  True])
    """
    return ops.greater_equal(input, other)


not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge


def isnan(input):
    """True where x is nan.

    >>> import bridgetensor as bt
    >>> bt.isnan(bt.tensor([1.0, float("nan")]))
    tensor([False,  True])
    """
    if input.dtype.category < _dtypes.FLOATING:
        return constant_mask(input, False)
    return ops.isnan(input)


def isinf(input):
    """True where x is +inf or -inf.

    >>> import bridgetensor as bt
    >>> bt.isinf(bt.tensor([1.0, float("-inf")]))
    tensor([False,  True])
    """
    if input.dtype.category < _dtypes.FLOATING:
        return constant_mask(input, False)
    return ops.isinf(input)


def isfinite(input):
    """True where x is neither nan nor infinite.

    >>> import bridgetensor as bt
    >>> bt.isfinite(bt.tensor([1.0, float("inf")]))
    tensor([ True, False])
    """
    if input.dtype.category < _dtypes.FLOATING:
        return constant_mask(input, True)
    return ops.isfinite(input)


def isposinf(input):
    """True where x is +inf.

    >>> import bridgetensor as bt
    >>> bt.isposinf(bt.tensor([float("inf"), float("-inf")]))
    tensor([ True, False])
    """
    if input.dtype.category != _dtypes.FLOATING:
        if input.dtype.is_complex:
            raise ValueError("isposinf does not support complex inputs.")
        return constant_mask(input, False)
    return ops.equal(input, float("inf"))


def isneginf(input):
    """True where x is -inf.

    >>> import bridgetensor as bt
    >>> bt.isneginf(bt.tensor([float("inf"), float("-inf")]))
    tensor([False,  True])
    """
    if input.dtype.category != _dtypes.FLOATING:
        if input.dtype.is_complex:
            raise ValueError("isneginf does not support complex inputs.")
        return constant_mask(input, False)
    return ops.equal(input, float("-inf"))


def isreal(input):
    """True where the imaginary part is 0 (everywhere for real dtypes).

    >>> import bridgetensor as bt
    >>> bt.isreal(bt.tensor([1 + 0j, 1j]))
    tensor([ True, False])
    """
    if not input.dtype.is_complex:
        return constant_mask(input, True)
    return ops.equal(ops.imag(input), 0)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol * |other|, elementwise; equal infinities are close.

    >>> import bridgetensor as bt
    >>> bt.isclose(bt.tensor([1.0, 1.1]), bt.tensor([1.0, 1.0]))
    tensor([ True, False])
    """
    tensor_operand("isclose", other)
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"isclose: expected both tensors to have the same dtype; got "
            f"{input.dtype.name} and {other.dtype.name} "
            f"({torch_name(input.dtype)} did not match {torch_name(other.dtype)})"
        )
    for name, value in (("rtol", rtol), ("atol", atol)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {value}")
    close = ops.equal(input, other)
    inexact = input.dtype.category >= _dtypes.FLOATING
    if equal_nan and inexact:
        close = ops.logical_or(close, ops.logical_and(ops.isnan(input), ops.isnan(other)))
    if rtol == 0 and atol == 0:
        return close
    if input.dtype is _dtypes.bool:
        default = _dtypes.get_default_dtype()
        input, other = ops.astype(input, dtype=default), ops.astype(other, dtype=default)
    allowed = ops.add(ops.abs(ops.multiply(other, float(rtol))), float(atol))
    actual = ops.abs(ops.subtract(input, other))
    within = ops.less_equal(actual, allowed)
    if inexact:
        within = ops.logical_and(ops.isfinite(actual), within)
    return ops.logical_or(close, within)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """Whether every element is close (see isclose), as a Python bool.

    >>> import bridgetensor as bt
    >>> bt.allclose(bt.tensor([1.0]), bt.tensor([1.0 + 1e-9]))
    True
    """
    return bool(ops.all(isclose(input, other, rtol, atol, equal_nan)).item())


def equal(input, other) -> bool:
    """Whether the two tensors have the same shape and the same values (a Python bool).

    >>> import bridgetensor as bt
    >>> bt.equal(bt.tensor([1, 2]), bt.tensor([1.0, 2.0]))
    True
    """
    tensor_operand("equal", other)
    if tuple(input.shape) != tuple(other.shape):
        return False
    return bool(ops.all(ops.equal(input, other)).item())


def maximum(input, other):
    """The larger of the two, elementwise (nan wins); ties share the gradient.

    >>> import bridgetensor as bt
    >>> bt.maximum(bt.tensor([1, 5]), bt.tensor([3, 2]))
    tensor([3, 5])
    """
    tensor_operand("maximum", other)
    return ops.maximum(input, other)


def minimum(input, other):
    """The smaller of the two, elementwise (nan wins); ties share the gradient.

    >>> import bridgetensor as bt
    >>> bt.minimum(bt.tensor([1, 5]), bt.tensor([3, 2]))
    tensor([1, 2])
    """
    tensor_operand("minimum", other)
    return ops.minimum(input, other)


def fmax(input, other):
    """The larger of the two, ignoring a nan against a number; ties give input the gradient.

    >>> import bridgetensor as bt
    >>> bt.fmax(bt.tensor([1.0, float("nan")]), bt.tensor([3.0, 2.0]))
    tensor([3., 2.])
    """
    tensor_operand("fmax", other)
    pick_input = ops.logical_or(ops.greater_equal(input, other), _isnan(other))
    return ops.where(pick_input, input, other)


def fmin(input, other):
    """The smaller of the two, ignoring a nan against a number; ties give input the gradient.

    >>> import bridgetensor as bt
    >>> bt.fmin(bt.tensor([1.0, float("nan")]), bt.tensor([3.0, 2.0]))
    tensor([1., 2.])
    """
    tensor_operand("fmin", other)
    pick_input = ops.logical_or(ops.less_equal(input, other), _isnan(other))
    return ops.where(pick_input, input, other)


def _isnan(x):
    return isnan(x) if is_tensor(x) else x != x


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


class CompareMethods:
    __slots__ = ()
    eq = eq
    eq_ = inplace(ops.equal, "eq")
    ne = ne
    ne_ = inplace(ops.not_equal, "ne")
    lt = lt
    lt_ = inplace(ops.less, "lt")
    le = le
    le_ = inplace(ops.less_equal, "le")
    gt = gt
    gt_ = inplace(ops.greater, "gt")
    ge = ge
    ge_ = inplace(ops.greater_equal, "ge")
    not_equal = ne
    not_equal_ = ne_
    less = lt
    less_ = lt_
    less_equal = le
    less_equal_ = le_
    greater = gt
    greater_ = gt_
    greater_equal = ge
    greater_equal_ = ge_
    isnan = isnan
    isinf = isinf
    isfinite = isfinite
    isposinf = isposinf
    isneginf = isneginf
    isreal = isreal
    isclose = isclose
    allclose = allclose
    equal = equal
    maximum = maximum
    minimum = minimum
    fmax = fmax
    fmin = fmin
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
