"""Elementwise math under torch's names, and Python's operators on Tensors."""

from __future__ import annotations

from .. import ops
from ..autograd._primitive import OperandTypeError, apply2

__all__ = [
    "MathMethods",
    "abs",
    "add",
    "cos",
    "div",
    "divide",
    "exp",
    "log",
    "mul",
    "multiply",
    "neg",
    "negative",
    "pow",
    "relu",
    "sin",
    "sqrt",
    "sub",
    "subtract",
    "tanh",
    "true_divide",
]


def add(input, other, *, alpha=1):
    """input + alpha * other.

    >>> import bridgetensor as bt
    >>> bt.add(bt.tensor([1.0, 2.0]), 1.0, alpha=2)
    tensor([3., 4.])
    """
    return ops.add(input, other if alpha == 1 else ops.multiply(other, alpha))


def sub(input, other, *, alpha=1):
    """input - alpha * other.

    >>> import bridgetensor as bt
    >>> bt.sub(bt.tensor([1.0, 2.0]), 1.0)
    tensor([0., 1.])
    """
    return ops.subtract(input, other if alpha == 1 else ops.multiply(other, alpha))


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
    """input / other; ``rounding_mode`` "trunc" or "floor" rounds the quotient.

    >>> import bridgetensor as bt
    >>> bt.div(bt.tensor([7, -7]), 2, rounding_mode="floor")
    tensor([ 3, -4])
    """
    if rounding_mode is None:
        return ops.divide(input, other)
    if rounding_mode == "floor":
        return ops.floor_divide(input, other)
    if rounding_mode == "trunc":
        return ops.trunc_divide(input, other)
    raise ValueError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


divide = div
true_divide = ops.divide


def neg(input):
    """-input.

    >>> import bridgetensor as bt
    >>> bt.neg(bt.tensor([1, -2]))
    tensor([-1,  2])
    """
    return ops.negative(input)


negative = neg


def pow(input, exponent):
    """input ** exponent (either may be a Python number).

    >>> import bridgetensor as bt
    >>> bt.pow(bt.tensor([2.0, 3.0]), 2)
    tensor([4., 9.])
    """
    return ops.pow(input, exponent)


abs = ops.abs
exp = ops.exp
log = ops.log
sin = ops.sin
cos = ops.cos
tanh = ops.tanh
sqrt = ops.sqrt
relu = ops.relu


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


def _inplace(op):
    def method(self, other):
        return op.inplace(self, other)

    method.__name__ = op.name + "_"
    return method


class MathMethods:
    __slots__ = ()

    __add__ = _binary(ops.add)
    __radd__ = _binary(ops.add, swap=True)
    __iadd__ = _inplace(ops.add)
    __sub__ = _binary(ops.subtract)
    __rsub__ = _binary(ops.subtract, swap=True)
    __isub__ = _inplace(ops.subtract)
    __mul__ = _binary(ops.multiply)
    __rmul__ = _binary(ops.multiply, swap=True)
    __imul__ = _inplace(ops.multiply)
    __truediv__ = _binary(ops.divide)
    __rtruediv__ = _binary(ops.divide, swap=True)
    __itruediv__ = _inplace(ops.divide)
    __floordiv__ = _binary(ops.floor_divide)
    __rfloordiv__ = _binary(ops.floor_divide, swap=True)
    __ifloordiv__ = _inplace(ops.floor_divide)
    __mod__ = _binary(ops.remainder)
    __rmod__ = _binary(ops.remainder, swap=True)
    __imod__ = _inplace(ops.remainder)
    __pow__ = _binary(ops.pow)
    __rpow__ = _binary(ops.pow, swap=True)
    __ipow__ = _inplace(ops.pow)
    __matmul__ = _binary(ops.matmul)
    __rmatmul__ = _binary(ops.matmul, swap=True)
    __imatmul__ = _inplace(ops.matmul)
    __and__ = _binary(ops.bitwise_and)
    __rand__ = _binary(ops.bitwise_and, swap=True)
    __iand__ = _inplace(ops.bitwise_and)
    __or__ = _binary(ops.bitwise_or)
    __ror__ = _binary(ops.bitwise_or, swap=True)
    __ior__ = _inplace(ops.bitwise_or)
    __xor__ = _binary(ops.bitwise_xor)
    __rxor__ = _binary(ops.bitwise_xor, swap=True)
    __ixor__ = _inplace(ops.bitwise_xor)
    __eq__ = _binary(ops.equal)
    __ne__ = _binary(ops.not_equal)
    __lt__ = _binary(ops.less)
    __le__ = _binary(ops.less_equal)
    __gt__ = _binary(ops.greater)
    __ge__ = _binary(ops.greater_equal)

    def __neg__(self):
        return ops.negative(self)

    def __pos__(self):
        return ops.positive(self)

    def __abs__(self):
        return ops.abs(self)

    def __invert__(self):
        return (
            ops.bitwise_invert(self)
            if self._be.kinds[self._data.dtype] != "b"
            else ops.logical_not(self)
        )

    def add(self, other, *, alpha=1):
        return add(self, other, alpha=alpha)

    def add_(self, other, *, alpha=1):
        return ops.add.inplace(self, other if alpha == 1 else ops.multiply(other, alpha))

    def sub(self, other, *, alpha=1):
        return sub(self, other, alpha=alpha)

    def sub_(self, other, *, alpha=1):
        return ops.subtract.inplace(self, other if alpha == 1 else ops.multiply(other, alpha))

    def mul(self, other):
        return ops.multiply(self, other)

    def mul_(self, other):
        return ops.multiply.inplace(self, other)

    def div(self, other, *, rounding_mode=None):
        return div(self, other, rounding_mode=rounding_mode)

    def div_(self, other):
        return ops.divide.inplace(self, other)

    def neg(self):
        return ops.negative(self)

    def pow(self, exponent):
        return ops.pow(self, exponent)

    def abs(self):
        return ops.abs(self)

    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def sin(self):
        return ops.sin(self)

    def cos(self):
        return ops.cos(self)

    def tanh(self):
        return ops.tanh(self)

    def sqrt(self):
        return ops.sqrt(self)

    def relu(self):
        return ops.relu(self)

    def matmul(self, other):
        return ops.matmul(self, other)
