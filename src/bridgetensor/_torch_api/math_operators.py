"""Python's operators on Tensors (+, -, @, <<, ==, ~, their reflected and in-place forms).

Each goes straight to its primitive's two-operand fast path; an operand of a type no
op accepts gives NotImplemented, so Python can try the other side.
"""

from __future__ import annotations

from .. import ops
from ..autograd._primitive import TENSOR_TYPES, OperandTypeError, apply2

__all__ = [
    "OperatorMethods",
    "refuse_bool_negation",
    "refuse_bool_positive",
    "refuse_bool_subtraction",
]


def _is_bool_tensor(x) -> bool:
    if type(x) in TENSOR_TYPES:
        return x._be.kinds[x._data.dtype] == "b"
    return type(x) is bool


def refuse_bool_subtraction(x, y) -> None:
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


def refuse_bool_negation():
    raise RuntimeError(
        "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead."
    )


def refuse_bool_positive():
    raise RuntimeError("The `+` operator, on a bool tensor is not supported.")


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


class OperatorMethods:
    __slots__ = ()

    __add__ = _binary(ops.add)
    __radd__ = _binary(ops.add, swap=True)
    __iadd__ = _inplace_operator(ops.add)

    def __sub__(self, other):
        refuse_bool_subtraction(self, other)
        try:
            return apply2(ops.subtract, self, other)
        except OperandTypeError:
            return NotImplemented

    def __rsub__(self, other):
        refuse_bool_subtraction(other, self)
        try:
            return apply2(ops.subtract, other, self)
        except OperandTypeError:
            return NotImplemented

    def __isub__(self, other):
        refuse_bool_subtraction(self, other)
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
            refuse_bool_negation()
        return ops.negative(self)

    def __pos__(self):
        if self._be.kinds[self._data.dtype] == "b":
            refuse_bool_positive()
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
