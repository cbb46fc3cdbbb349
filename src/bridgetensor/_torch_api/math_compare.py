"""Comparisons and tests under torch's names: eq/lt/..., isnan/isinf/..., isclose, maximum."""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._helpers import is_tensor
from ._elementwise import (
    constant_mask,
    inplace,
    tensor_operand,
    torch_name,
)

__all__ = [
    "CompareMethods",
    "allclose",
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
    "lt",
    "maximum",
    "minimum",
    "ne",
    "not_equal",
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
