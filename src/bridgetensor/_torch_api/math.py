"""Elementwise arithmetic under torch's names (add, div, pow, addcmul, lerp, ...).

The other elementwise families live beside this file (math_functions, math_binary,
math_rounding, math_compare, math_logical, math_operators); `MathMethods` gathers all
of their Tensor methods.
"""

from __future__ import annotations

import builtins

from .. import _dtypes, ops
from ..ops._helpers import is_tensor
from ._elementwise import floating_only, inplace, inplace_composite, no_bool
from .math_binary import BinaryFunctionMethods
from .math_compare import CompareMethods
from .math_functions import FunctionMethods
from .math_logical import LogicalMethods
from .math_operators import (
    OperatorMethods,
    refuse_bool_negation,
    refuse_bool_positive,
    refuse_bool_subtraction,
)
from .math_rounding import RoundingMethods

__all__ = [
    "MathMethods",
    "add",
    "addcdiv",
    "addcmul",
    "div",
    "divide",
    "float_power",
    "floor_divide",
    "fmod",
    "lerp",
    "mul",
    "multiply",
    "neg",
    "negative",
    "positive",
    "pow",
    "remainder",
    "square",
    "sub",
    "subtract",
    "true_divide",
]


def add(input, other, *, alpha=1):
    """input + alpha * other.

    >>> import bridgetensor as bt
    >>> bt.add(bt.tensor([1.0, 2.0]), 1.0, alpha=2)
    tensor([3., 4.])
    """
    return ops.add(input, _scaled(other, alpha))


def _scaled(other, alpha):
    """alpha * other; Python numbers are scaled in Python (no tensor to carry them)."""
    if alpha == 1:
        return other
    return ops.multiply(other, alpha) if is_tensor(other) else other * alpha


def sub(input, other, *, alpha=1):
    """input - alpha * other.

    >>> import bridgetensor as bt
    >>> bt.sub(bt.tensor([1.0, 2.0]), 1.0)
    tensor([0., 1.])
    """
    refuse_bool_subtraction(input, other)
    return ops.subtract(input, _scaled(other, alpha))


subtract = sub


def mul(input, other):
    """input * other, broadcasting.

    >>> import bridgetensor as bt
    >>> bt.mul(bt.tensor([1.0, 2.0]), 3)
    tensor([3., 6.])
    """
    return ops.multiply(input, other)


multiply = mul


def div(input, other, *, rounding_mode=None):
    """input / other (integers give floats); "trunc" or "floor" round the quotient.

    >>> import bridgetensor as bt
    >>> bt.div(bt.tensor([7, -7]), 2, rounding_mode="floor")
    tensor([ 3, -4])
    """
    if rounding_mode is None:
        return ops.divide(input, other)
    if rounding_mode == "floor":
        no_bool("div", input, other)
        return ops.floor_divide(input, other)
    if rounding_mode == "trunc":
        no_bool("div", input, other)
        return ops.trunc_divide(input, other)
    raise ValueError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


divide = div


def true_divide(input, other):
    """input / other, always a true (floating) division.

    >>> import bridgetensor as bt
    >>> bt.true_divide(bt.tensor([1, 2]), 4)
    tensor([0.2500, 0.5000])
    """
    return ops.divide(input, other)


def floor_divide(input, other):
    """input / other rounded toward -inf (integer tensors stay integer).

    >>> import bridgetensor as bt
    >>> bt.floor_divide(bt.tensor([7, -7]), 2)
    tensor([ 3, -4])
    """
    no_bool("floor_divide", input, other)
    return ops.floor_divide(input, other)


def remainder(input, other):
    """The remainder of floor division: it has the sign of `other` (Python's %).

    >>> import bridgetensor as bt
    >>> bt.remainder(bt.tensor([5, -5]), 3)
    tensor([2, 1])
    """
    return ops.remainder(input, other)


def fmod(input, other):
    """The remainder of truncated division: it has the sign of `input` (C's fmod).

    >>> import bridgetensor as bt
    >>> bt.fmod(bt.tensor([5, -5]), 3)
    tensor([ 2, -2])
    """
    return ops.fmod(input, other)


def neg(input):
    """-input.

    >>> import bridgetensor as bt
    >>> bt.neg(bt.tensor([1, -2]))
    tensor([-1,  2])
    """
    if input.dtype is _dtypes.bool:
        refuse_bool_negation()
    return ops.negative(input)


negative = neg


def positive(input):
    """input itself (torch returns the same tensor).

    >>> import bridgetensor as bt
    >>> x = bt.tensor([1.0]); bt.positive(x) is x
    True
    """
    if input.dtype is _dtypes.bool:
        refuse_bool_positive()
    return input


def pow(input, exponent):
    """input ** exponent (either may be a Python number).

    Integer tensors to negative integer exponents round toward zero, as in torch.

    >>> import bridgetensor as bt
    >>> bt.pow(bt.tensor([2.0, 3.0]), 2)
    tensor([4., 9.])
    """
    return ops.pow(input, exponent)


def float_power(input, exponent):
    """input ** exponent computed in float64 (complex128 if either is complex).

    >>> import bridgetensor as bt
    >>> bt.float_power(bt.tensor([2]), 0.5).dtype
    bridgetensor.float64
    """
    complex_ = builtins.any(
        (a.dtype.is_complex if is_tensor(a) else isinstance(a, complex)) for a in (input, exponent)
    )
    target = _dtypes.complex128 if complex_ else _dtypes.float64
    return ops.pow(_as_dtype(input, target), _as_dtype(exponent, target))


def _as_dtype(value, dtype):
    if is_tensor(value):
        return value if value.dtype is dtype else ops.astype(value, dtype=dtype)
    return complex(value) if dtype.is_complex else float(value)


def square(input):
    """input * input (bool gives int64, as in torch).

    >>> import bridgetensor as bt
    >>> bt.square(bt.tensor([-2, 3]))
    tensor([4, 9])
    """
    if input.dtype is _dtypes.bool:
        input = ops.astype(input, dtype=_dtypes.int64)
    return ops.square(input)


def _in_common_dtype(value, tensors):
    """torch's addcmul/addcdiv compute in the operands' result dtype; the value is cast
    to it too (so integral results truncate a float value)."""
    dims = [t.dtype for t in tensors if is_tensor(t) and t.ndim]
    zero_dims = [t.dtype for t in tensors if is_tensor(t) and not t.ndim]
    dtype = _dtypes.result_type(dims, zero_dims, [])
    tensors = [_as_dtype(t, dtype) for t in tensors]
    if dtype.category < _dtypes.FLOATING and isinstance(value, float):
        value = int(value)
    return value, tensors


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2.

    >>> import bridgetensor as bt
    >>> bt.addcmul(bt.tensor([1.0]), bt.tensor([2.0]), bt.tensor([3.0]), value=0.5)
    tensor([4.])
    """
    value, (input, tensor1, tensor2) = _in_common_dtype(value, (input, tensor1, tensor2))
    scaled = tensor1 if value == 1 else ops.multiply(tensor1, value)
    return ops.add(input, ops.multiply(scaled, tensor2))


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2 (tensor1 and tensor2 must not both be integer).

    >>> import bridgetensor as bt
    >>> bt.addcdiv(bt.tensor([1.0]), bt.tensor([2.0]), bt.tensor([4.0]), value=2)
    tensor([2.])
    """
    if builtins.all(
        is_tensor(t) and t.dtype.category < _dtypes.FLOATING for t in (tensor1, tensor2)
    ):
        raise RuntimeError(
            "addcdiv: integer division is not supported (tensor1 and tensor2 are both "
            "integer); use (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
            "for the historic behaviour, or (input + value * tensor1 / tensor2)"
        )
    value, (input, tensor1, tensor2) = _in_common_dtype(value, (input, tensor1, tensor2))
    scaled = tensor1 if value == 1 else ops.multiply(tensor1, value)
    return ops.add(input, ops.divide(scaled, tensor2))


def lerp(input, end, weight):
    """input + weight * (end - input), computed from the nearer end for accuracy.

    >>> import bridgetensor as bt
    >>> bt.lerp(bt.tensor([0.0]), bt.tensor([10.0]), 0.25)
    tensor([2.5000])
    """
    floating_only("lerp", input)
    # torch wants end in input's dtype, and weight too unless it is 0-d.
    for name, other in (("end", end), ("weight", weight)):
        if is_tensor(other) and other.dtype is not input.dtype and (name == "end" or other.ndim):
            raise RuntimeError(
                f"lerp: expected dtype {input.dtype.name} for `{name}` but got dtype "
                f"{other.dtype.name}"
            )
    difference = ops.subtract(end, input)
    # NOTE: torch's formula: from `input` for |weight| < 0.5, from `end` otherwise.
    if not is_tensor(weight):
        if builtins.abs(weight) < 0.5:
            return ops.add(input, ops.multiply(difference, weight))
        return ops.subtract(end, ops.multiply(difference, 1.0 - weight))
    near_start = ops.less(ops.abs(weight), 0.5)
    return ops.where(
        near_start,
        ops.add(input, ops.multiply(weight, difference)),
        ops.subtract(end, ops.multiply(difference, ops.subtract(1.0, weight))),
    )


class MathMethods(
    FunctionMethods,
    BinaryFunctionMethods,
    RoundingMethods,
    CompareMethods,
    LogicalMethods,
    OperatorMethods,
):
    """Every elementwise Tensor method: this file's and its sibling families'."""

    __slots__ = ()

    add = add
    sub = sub
    subtract = sub
    mul = mul
    multiply = mul
    div = div
    divide = div
    true_divide = true_divide
    true_divide_ = inplace(ops.divide, "true_divide")
    floor_divide = floor_divide
    floor_divide_ = inplace(ops.floor_divide)
    remainder = remainder
    remainder_ = inplace(ops.remainder)
    fmod = fmod
    fmod_ = inplace(ops.fmod)
    neg = neg
    negative = neg
    positive = positive
    pow = pow
    pow_ = inplace(ops.pow)
    float_power = float_power
    square = square

    def square_(self):
        if self.dtype is _dtypes.bool:
            return inplace_composite(square)(self)  # refused: int64 can't go into bool
        return ops.square.inplace(self)

    addcmul = addcmul
    addcmul_ = inplace_composite(addcmul)
    addcdiv = addcdiv
    addcdiv_ = inplace_composite(addcdiv)
    lerp = lerp
    lerp_ = inplace_composite(lerp)

    def add_(self, other, *, alpha=1):
        return ops.add.inplace(self, _scaled(other, alpha))

    def sub_(self, other, *, alpha=1):
        refuse_bool_subtraction(self, other)
        return ops.subtract.inplace(self, _scaled(other, alpha))

    subtract_ = sub_

    def mul_(self, other):
        return ops.multiply.inplace(self, other)

    multiply_ = mul_

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is None:
            return ops.divide.inplace(self, other)
        if rounding_mode == "floor":
            return ops.floor_divide.inplace(self, other)
        if rounding_mode == "trunc":
            return ops.trunc_divide.inplace(self, other)
        return div(self, other, rounding_mode=rounding_mode)  # raises torch's ValueError

    divide_ = div_

    def neg_(self):
        if self.dtype is _dtypes.bool:
            refuse_bool_negation()
        return ops.negative.inplace(self)

    negative_ = neg_

    def float_power_(self, exponent):
        wanted = _dtypes.complex128 if self.dtype.is_complex else _dtypes.float64
        if self.dtype is not wanted:
            raise RuntimeError(
                f"the base given to float_power_ has dtype {self.dtype.name} but the "
                f"operation's result requires dtype {wanted.name}"
            )
        return ops.pow.inplace(self, _as_dtype(exponent, wanted))

    def matmul(self, other):
        return ops.matmul(self, other)
