"""The standard's one-argument elementwise functions (exp, sin, round, isnan, ...).

Values and gradients are the primitives' own (ops/elementwise*.py); raw backend
arrays and NumPy scalars are wrapped first.
"""

from __future__ import annotations

from .. import ops
from ._promotion import as_operand

__all__ = [
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "bitwise_invert",
    "ceil",
    "conj",
    "cos",
    "cosh",
    "exp",
    "expm1",
    "floor",
    "imag",
    "isfinite",
    "isinf",
    "isnan",
    "log",
    "log10",
    "log1p",
    "log2",
    "logical_not",
    "negative",
    "positive",
    "real",
    "reciprocal",
    "round",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "sqrt",
    "square",
    "tan",
    "tanh",
    "trunc",
]


def abs(x, /):
    """The absolute value (the magnitude, for complex input).

    >>> import bridgetensor.array_api as xp
    >>> xp.abs(xp.asarray([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return ops.abs(as_operand(x))


def acos(x, /):
    """The inverse cosine, in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.acos(xp.asarray([1.0, 0.0]))
    tensor([0.0000, 1.5708])
    """
    return ops.acos(as_operand(x))


def acosh(x, /):
    """The inverse hyperbolic cosine.

    >>> import bridgetensor.array_api as xp
    >>> xp.acosh(xp.asarray([1.0, 2.0]))
    tensor([0.0000, 1.3170])
    """
    return ops.acosh(as_operand(x))


def asin(x, /):
    """The inverse sine, in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.asin(xp.asarray([0.0, 1.0]))
    tensor([0.0000, 1.5708])
    """
    return ops.asin(as_operand(x))


def asinh(x, /):
    """The inverse hyperbolic sine.

    >>> import bridgetensor.array_api as xp
    >>> xp.asinh(xp.asarray([0.0, 1.0]))
    tensor([0.0000, 0.8814])
    """
    return ops.asinh(as_operand(x))


def atan(x, /):
    """The inverse tangent, in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.atan(xp.asarray([0.0, 1.0]))
    tensor([0.0000, 0.7854])
    """
    return ops.atan(as_operand(x))


def atanh(x, /):
    """The inverse hyperbolic tangent.

    >>> import bridgetensor.array_api as xp
    >>> xp.atanh(xp.asarray([0.0, 0.5]))
    tensor([0.0000, 0.5493])
    """
    return ops.atanh(as_operand(x))


def bitwise_invert(x, /):
    """The bitwise NOT of integers (logical NOT of bools).

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_invert(xp.asarray([0, 5]))
    tensor([-1, -6])
    """
    return ops.bitwise_invert(as_operand(x))


def ceil(x, /):
    """The smallest integer not below each value (integers are kept as they are).

    >>> import bridgetensor.array_api as xp
    >>> xp.ceil(xp.asarray([1.2, -1.2]))
    tensor([ 2., -1.])
    """
    return ops.ceil(as_operand(x))


def conj(x, /):
    """The complex conjugate.

    >>> import bridgetensor.array_api as xp
    >>> xp.conj(xp.asarray([1+2j]))
    tensor([1.-2.j])
    """
    return ops.conj(as_operand(x))


def cos(x, /):
    """The cosine of angles in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.cos(xp.asarray([0.0, 3.14159265]))
    tensor([ 1., -1.])
    """
    return ops.cos(as_operand(x))


def cosh(x, /):
    """The hyperbolic cosine.

    >>> import bridgetensor.array_api as xp
    >>> xp.cosh(xp.asarray([0.0, 1.0]))
    tensor([1.0000, 1.5431])
    """
    return ops.cosh(as_operand(x))


def exp(x, /):
    """e raised to each value.

    >>> import bridgetensor.array_api as xp
    >>> xp.exp(xp.asarray([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return ops.exp(as_operand(x))


def expm1(x, /):
    """exp(x) - 1, accurate near 0.

    >>> import bridgetensor.array_api as xp
    >>> xp.expm1(xp.asarray([0.0, 1e-10]))
    tensor([0.0000e+00, 1.0000e-10])
    """
    return ops.expm1(as_operand(x))


def floor(x, /):
    """The largest integer not above each value.

    >>> import bridgetensor.array_api as xp
    >>> xp.floor(xp.asarray([1.2, -1.2]))
    tensor([ 1., -2.])
    """
    return ops.floor(as_operand(x))


def imag(x, /):
    """The imaginary part (a real array).

    >>> import bridgetensor.array_api as xp
    >>> xp.imag(xp.asarray([1+2j]))
    tensor([2.])
    """
    return ops.imag(as_operand(x))


def isfinite(x, /):
    """Whether each value is finite.

    >>> import bridgetensor.array_api as xp
    >>> xp.isfinite(xp.asarray([1.0, float('inf'), float('nan')]))
    tensor([ True, False, False])
    """
    return ops.isfinite(as_operand(x))


def isinf(x, /):
    """Whether each value is infinite.

    >>> import bridgetensor.array_api as xp
    >>> xp.isinf(xp.asarray([1.0, float('-inf')]))
    tensor([False,  True])
    """
    return ops.isinf(as_operand(x))


def isnan(x, /):
    """Whether each value is NaN.

    >>> import bridgetensor.array_api as xp
    >>> xp.isnan(xp.asarray([1.0, float('nan')]))
    tensor([False,  True])
    """
    return ops.isnan(as_operand(x))


def log(x, /):
    """The natural logarithm.

    >>> import bridgetensor.array_api as xp
    >>> xp.log(xp.asarray([1.0, 2.718281828]))
    tensor([0.0000, 1.0000])
    """
    return ops.log(as_operand(x))


def log1p(x, /):
    """log(1 + x), accurate near 0.

    >>> import bridgetensor.array_api as xp
    >>> xp.log1p(xp.asarray([0.0, 1e-10]))
    tensor([0.0000e+00, 1.0000e-10])
    """
    return ops.log1p(as_operand(x))


def log2(x, /):
    """The base-2 logarithm.

    >>> import bridgetensor.array_api as xp
    >>> xp.log2(xp.asarray([1.0, 8.0]))
    tensor([0., 3.])
    """
    return ops.log2(as_operand(x))


def log10(x, /):
    """The base-10 logarithm.

    >>> import bridgetensor.array_api as xp
    >>> xp.log10(xp.asarray([1.0, 100.0]))
    tensor([0., 2.])
    """
    return ops.log10(as_operand(x))


def logical_not(x, /):
    """The logical NOT of a bool array.

    >>> import bridgetensor.array_api as xp
    >>> xp.logical_not(xp.asarray([True, False]))
    tensor([False,  True])
    """
    return ops.logical_not(as_operand(x))


def negative(x, /):
    """-x.

    >>> import bridgetensor.array_api as xp
    >>> xp.negative(xp.asarray([1, -2]))
    tensor([-1,  2])
    """
    return ops.negative(as_operand(x))


def positive(x, /):
    """+x (the values unchanged).

    >>> import bridgetensor.array_api as xp
    >>> xp.positive(xp.asarray([1, -2]))
    tensor([ 1, -2])
    """
    return ops.positive(as_operand(x))


def real(x, /):
    """The real part.

    >>> import bridgetensor.array_api as xp
    >>> xp.real(xp.asarray([1+2j]))
    tensor([1.])
    """
    return ops.real(as_operand(x))


def reciprocal(x, /):
    """1 / x.

    >>> import bridgetensor.array_api as xp
    >>> xp.reciprocal(xp.asarray([2.0, 4.0]))
    tensor([0.5000, 0.2500])
    """
    return ops.reciprocal(as_operand(x))


def round(x, /):
    """Rounded to the nearest integer, ties to even.

    >>> import bridgetensor.array_api as xp
    >>> xp.round(xp.asarray([0.5, 1.5, -2.5]))
    tensor([ 0.,  2., -2.])
    """
    return ops.round(as_operand(x))


def sign(x, /):
    """-1, 0 or 1 by sign (x / |x| for complex; NaN stays NaN).

    >>> import bridgetensor.array_api as xp
    >>> xp.sign(xp.asarray([-2.0, 0.0, 3.0]))
    tensor([-1.,  0.,  1.])
    """
    return ops.sign(as_operand(x))


def signbit(x, /):
    """Whether the sign bit is set (True for -0.0).

    >>> import bridgetensor.array_api as xp
    >>> xp.signbit(xp.asarray([-0.0, 0.0, -1.0]))
    tensor([ True, False,  True])
    """
    return ops.signbit(as_operand(x))


def sin(x, /):
    """The sine of angles in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.sin(xp.asarray([0.0, 1.5707963]))
    tensor([0., 1.])
    """
    return ops.sin(as_operand(x))


def sinh(x, /):
    """The hyperbolic sine.

    >>> import bridgetensor.array_api as xp
    >>> xp.sinh(xp.asarray([0.0, 1.0]))
    tensor([0.0000, 1.1752])
    """
    return ops.sinh(as_operand(x))


def sqrt(x, /):
    """The square root.

    >>> import bridgetensor.array_api as xp
    >>> xp.sqrt(xp.asarray([4.0, 2.0]))
    tensor([2.0000, 1.4142])
    """
    return ops.sqrt(as_operand(x))


def square(x, /):
    """x * x.

    >>> import bridgetensor.array_api as xp
    >>> xp.square(xp.asarray([3, -2]))
    tensor([9, 4])
    """
    return ops.square(as_operand(x))


def tan(x, /):
    """The tangent of angles in radians.

    >>> import bridgetensor.array_api as xp
    >>> xp.tan(xp.asarray([0.0, 0.7853982]))
    tensor([0., 1.])
    """
    return ops.tan(as_operand(x))


def tanh(x, /):
    """The hyperbolic tangent.

    >>> import bridgetensor.array_api as xp
    >>> xp.tanh(xp.asarray([0.0, 1.0]))
    tensor([0.0000, 0.7616])
    """
    return ops.tanh(as_operand(x))


def trunc(x, /):
    """Rounded toward zero.

    >>> import bridgetensor.array_api as xp
    >>> xp.trunc(xp.asarray([1.7, -1.7]))
    tensor([ 1., -1.])
    """
    return ops.trunc(as_operand(x))
