"""Elementwise arithmetic under torch's names, and Python's operators on Tensors.

The other elementwise families live beside this file (math_functions, math_rounding,
math_compare); `MathMethods` gathers all of their Tensor methods.
"""

from __future__ import annotations

import builtins

from .. import _dtypes, ops
from ..autograd._primitive import TENSOR_TYPES, OperandTypeError, apply2
from ..ops._helpers import is_tensor
from ._elementwise import floating_only, inplace, inplace_composite, no_bool
from .math_compare import CompareMethods
from .math_functions import FunctionMethods
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
    _refuse_bool_subtraction(input, other)
    return ops.subtract(input, _scaled(other, alpha))


def _is_bool_tensor(x) -> bool:
    if type(x) in TENSOR_TYPES:
        return x._be.kinds[x._data.dtype] == "b"
    return type(x) is bool


def _refuse_bool_subtraction(x, y) -> None:
    # NumPy refuses bool - bool only, with a TypeError; torch refuses any bool tensor.
    if _is_bool_tensor(x) or _is_bool_tensor(y):
        both = _is_bool_tensor(x) and _is_bool_tensor(y)
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
            "`^` or `logical_xor()` operator instead."
            if both
            else "Subtraction, the `-` operator, with a bool tensor is not supported. If you "
            "are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


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
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return ops.negative(input)


negative = neg


def positive(input):
    """input itself (torch returns the same tensor).

    >>> import bridgetensor as bt
    >>> x = bt.tensor([1.0]); bt.positive(x) is x
    True
    """
    if input.dtype is _dtypes.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
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


# ---------------------------------------------------------------- Python operators


def _binary(op, swap=False):
    """A Python operator over `op`: unknown operand types give NotImplemented."""

    if swap:

        def method(self, other):
            try:
                return apply2(op, other, self)
            except OperandTypeError:
                return NotImplemented

    else:

        def method(self, other):
            try:
                return apply2(op, self, other)
            except OperandTypeError:
                return NotImplemented

    method.__name__ = op.name
    return method


def _comparison(op):
    """==, != and friends; comparing with None is Python's identity test (False), as torch."""

    def method(self, other):
        if other is None:
            return NotImplemented
        try:
            return apply2(op, self, other)
        except OperandTypeError:
            return NotImplemented

    method.__name__ = op.name
    return method


def _inplace_operator(op):
    def method(self, other):
        return op.inplace(self, other)

    method.__name__ = op.name + "_"
    return method


class MathMethods(FunctionMethods, RoundingMethods, CompareMethods):
    __slots__ = ()

    __add__ = _binary(ops.add)
    __radd__ = _binary(ops.add, swap=True)
    __iadd__ = _inplace_operator(ops.add)

    def __sub__(self, other):
        _refuse_bool_subtraction(self, other)
        try:
            return apply2(ops.subtract, self, other)
        except OperandTypeError:
            return NotImplemented

    def __rsub__(self, other):
        _refuse_bool_subtraction(other, self)
        try:
            return apply2(ops.subtract, other, self)
        except OperandTypeError:
            return NotImplemented

    def __isub__(self, other):
        _refuse_bool_subtraction(self, other)
        return ops.subtract.inplace(self, other)

    __mul__ = _binary(ops.multiply)
    __rmul__ = _binary(ops.multiply, swap=True)
    __imul__ = _inplace_operator(ops.multiply)
    __truediv__ = _binary(ops.divide)
    __rtruediv__ = _binary(ops.divide, swap=True)
    __itruediv__ = _inplace_operator(ops.divide)
    __floordiv__ = _binary(ops.floor_divide)
    __rfloordiv__ = _binary(ops.floor_divide, swap=True)
    __ifloordiv__ = _inplace_operator(ops.floor_divide)
    __mod__ = _binary(ops.remainder)
    __rmod__ = _binary(ops.remainder, swap=True)
    __imod__ = _inplace_operator(ops.remainder)
    __pow__ = _binary(ops.pow)
    __rpow__ = _binary(ops.pow, swap=True)
    __ipow__ = _inplace_operator(ops.pow)
    __matmul__ = _binary(ops.matmul)
    __rmatmul__ = _binary(ops.matmul, swap=True)
    # No __imatmul__: as in torch, `a @= b` rebinds `a` to a new tensor.
    __and__ = _binary(ops.bitwise_and)
    __rand__ = _binary(ops.bitwise_and, swap=True)
    __iand__ = _inplace_operator(ops.bitwise_and)
    __or__ = _binary(ops.bitwise_or)
    __ror__ = _binary(ops.bitwise_or, swap=True)
    __ior__ = _inplace_operator(ops.bitwise_or)
    __xor__ = _binary(ops.bitwise_xor)
    __rxor__ = _binary(ops.bitwise_xor, swap=True)
    __ixor__ = _inplace_operator(ops.bitwise_xor)
    __lshift__ = _binary(ops.bitwise_left_shift)
    __rlshift__ = _binary(ops.bitwise_left_shift, swap=True)
    __ilshift__ = _inplace_operator(ops.bitwise_left_shift)
    __rshift__ = _binary(ops.bitwise_right_shift)
    __rrshift__ = _binary(ops.bitwise_right_shift, swap=True)
    __irshift__ = _inplace_operator(ops.bitwise_right_shift)
    __eq__ = _comparison(ops.equal)
    __ne__ = _comparison(ops.not_equal)
    __lt__ = _binary(ops.less)
    __le__ = _binary(ops.less_equal)
    __gt__ = _binary(ops.greater)
    __ge__ = _binary(ops.greater_equal)

    def __neg__(self):
        if self._be.kinds[self._data.dtype] == "b":
            neg(self)  # raises torch's error
        return ops.negative(self)

    def __pos__(self):
        if self._be.kinds[self._data.dtype] == "b":
            positive(self)  # raises torch's error
        return self

    def __abs__(self):
        return ops.abs(self)

    def __invert__(self):
        kind = self._be.kinds[self._data.dtype]
        if kind == "b":
            return ops.logical_not(self)
        if kind not in "iu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return ops.bitwise_invert(self)

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
        _refuse_bool_subtraction(self, other)
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
            neg(self)  # raises torch's error for bool
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
