"""Functions of one tensor under torch's names: exponentials, logarithms, trigonometric
and hyperbolic functions, sigmoid, logit, erf and friends."""

from __future__ import annotations

import math

from .. import ops
from ._elementwise import inplace, inplace_composite

__all__ = [
    "FunctionMethods",
    "acos",
    "acosh",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctanh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cos",
    "cosh",
    "deg2rad",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "logit",
    "rad2deg",
    "reciprocal",
    "relu",
    "rsqrt",
    "sigmoid",
    "sin",
    "sinc",
    "sinh",
    "sqrt",
    "tan",
    "tanh",
]


def exp(input):
    """e raised to each element.

    >>> import bridgetensor as bt
    >>> bt.exp(bt.tensor([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return ops.exp(input)


def exp2(input):
    """2 raised to each element.

    >>> import bridgetensor as bt
    >>> bt.exp2(bt.tensor([0, 3]))
    tensor([1., 8.])
    """
    return ops.exp2(input)


def expm1(input):
    """exp(x) - 1, accurate near 0.

    >>> import bridgetensor as bt
    >>> bt.expm1(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.expm1(input)


def log(input):
    """The natural logarithm.

    >>> import bridgetensor as bt
    >>> bt.log(bt.tensor([1.0]))
    tensor([0.])
    """
    return ops.log(input)


def log1p(input):
    """log(1 + x), accurate near 0.

    >>> import bridgetensor as bt
    >>> bt.log1p(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.log1p(input)


def log2(input):
    """The base-2 logarithm.

    >>> import bridgetensor as bt
    >>> bt.log2(bt.tensor([8.0]))
    tensor([3.])
    """
    return ops.log2(input)


def log10(input):
    """The base-10 logarithm.

    >>> import bridgetensor as bt
    >>> bt.log10(bt.tensor([1.0, 10.0]))
    tensor([0., 1.])
    """
    return ops.log10(input)


def sqrt(input):
    """The square root (nan for negative input).

    >>> import bridgetensor as bt
    >>> bt.sqrt(bt.tensor([4.0]))
    tensor([2.])
    """
    return ops.sqrt(input)


def sin(input):
    """The sine (radians).

    >>> import bridgetensor as bt
    >>> bt.sin(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.sin(input)


def cos(input):
    """The cosine (radians).

    >>> import bridgetensor as bt
    >>> bt.cos(bt.tensor([0.0]))
    tensor([1.])
    """
    return ops.cos(input)


def tan(input):
    """The tangent (radians).

    >>> import bridgetensor as bt
    >>> bt.tan(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.tan(input)


def asin(input):
    """The inverse sine, in [-pi/2, pi/2].

    >>> import bridgetensor as bt
    >>> bt.asin(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.asin(input)


def acos(input):
    """The inverse cosine, in [0, pi].

    >>> import bridgetensor as bt
    >>> bt.acos(bt.tensor([1.0]))
    tensor([0.])
    """
    return ops.acos(input)


def atan(input):
    """The inverse tangent, in (-pi/2, pi/2).

    >>> import bridgetensor as bt
    >>> bt.atan(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.atan(input)


def sinh(input):
    """The hyperbolic sine.

    >>> import bridgetensor as bt
    >>> bt.sinh(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.sinh(input)


def cosh(input):
    """The hyperbolic cosine.

    >>> import bridgetensor as bt
    >>> bt.cosh(bt.tensor([0.0]))
    tensor([1.])
    """
    return ops.cosh(input)


def tanh(input):
    """The hyperbolic tangent.

    >>> import bridgetensor as bt
    >>> bt.tanh(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.tanh(input)


def asinh(input):
    """The inverse hyperbolic sine.

    >>> import bridgetensor as bt
    >>> bt.asinh(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.asinh(input)


def acosh(input):
    """The inverse hyperbolic cosine (x >= 1).

    >>> import bridgetensor as bt
    >>> bt.acosh(bt.tensor([1.0]))
    tensor([0.])
    """
    return ops.acosh(input)


def atanh(input):
    """The inverse hyperbolic tangent (|x| < 1).

    >>> import bridgetensor as bt
    >>> bt.atanh(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.atanh(input)


def sigmoid(input):
    """1 / (1 + exp(-x)), without overflow.

    >>> import bridgetensor as bt
    >>> bt.sigmoid(bt.tensor([0.0]))
    tensor([0.5000])
    """
    return ops.sigmoid(input)


def erf(input):
    """The error function.

    >>> import bridgetensor as bt
    >>> bt.erf(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.erf(input)


def erfc(input):
    """The complementary error function 1 - erf(x), accurate in the tail.

    >>> import bridgetensor as bt
    >>> bt.erfc(bt.tensor([0.0]))
    tensor([1.])
    """
    return ops.erfc(input)


def erfinv(input):
    """The inverse error function on [-1, 1].

    >>> import bridgetensor as bt
    >>> bt.erfinv(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.erfinv(input)


def relu(input):
    """max(x, 0), keeping nan.

    >>> import bridgetensor as bt
    >>> bt.relu(bt.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return ops.relu(input)


def sinc(input):
    """The normalized sinc, sin(pi x) / (pi x), and 1 at 0.

    >>> import bridgetensor as bt
    >>> bt.sinc(bt.tensor([0.0]))
    tensor([1.])
    """
    return ops.sinc(input)


def reciprocal(input):
    """1 / x; integers give the default float dtype.

    >>> import bridgetensor as bt
    >>> bt.reciprocal(bt.tensor([2, 4]))
    tensor([0.5000, 0.2500])
    """
    return ops.reciprocal(input)


def rsqrt(input):
    """1 / sqrt(x).

    >>> import bridgetensor as bt
    >>> bt.rsqrt(bt.tensor([4.0]))
    tensor([0.5000])
    """
    return ops.reciprocal(ops.sqrt(input))


def logit(input, eps=None):
    """log(p / (1 - p)); with `eps`, p is first clamped to [eps, 1 - eps].

    >>> import bridgetensor as bt
    >>> bt.logit(bt.tensor([0.5]))
    tensor([0.])
    """
    if eps is not None:
        input = ops.clip(input, eps, 1.0 - eps)
    return ops.log(ops.divide(input, ops.subtract(1.0, input)))


def deg2rad(input):
    """Degrees to radians.

    >>> import bridgetensor as bt
    >>> bt.deg2rad(bt.tensor([180.0]))
    tensor([3.1416])
    """
    return ops.multiply(input, math.pi / 180.0)


def rad2deg(input):
    """Radians to degrees.

    >>> import bridgetensor as bt
    >>> bt.rad2deg(bt.tensor([3.141592653589793]))
    tensor([180.])
    """
    return ops.multiply(input, 180.0 / math.pi)


arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


class FunctionMethods:
    __slots__ = ()

    exp = exp
    exp_ = inplace(ops.exp)
    exp2 = exp2
    exp2_ = inplace(ops.exp2)
    expm1 = expm1
    expm1_ = inplace(ops.expm1)
    log = log
    log_ = inplace(ops.log)
    log1p = log1p
    log1p_ = inplace(ops.log1p)
    log2 = log2
    log2_ = inplace(ops.log2)
    log10 = log10
    log10_ = inplace(ops.log10)
    sqrt = sqrt
    sqrt_ = inplace(ops.sqrt)
    sin = sin
    sin_ = inplace(ops.sin)
    cos = cos
    cos_ = inplace(ops.cos)
    tan = tan
    tan_ = inplace(ops.tan)
    asin = asin
    asin_ = inplace(ops.asin)
    acos = acos
    acos_ = inplace(ops.acos)
    atan = atan
    atan_ = inplace(ops.atan)
    sinh = sinh
    sinh_ = inplace(ops.sinh)
    cosh = cosh
    cosh_ = inplace(ops.cosh)
    tanh = tanh
    tanh_ = inplace(ops.tanh)
    asinh = asinh
    asinh_ = inplace(ops.asinh)
    acosh = acosh
    acosh_ = inplace(ops.acosh)
    atanh = atanh
    atanh_ = inplace(ops.atanh)
    sigmoid = sigmoid
    sigmoid_ = inplace(ops.sigmoid)
    erf = erf
    erf_ = inplace(ops.erf)
    erfc = erfc
    erfc_ = inplace(ops.erfc)
    erfinv = erfinv
    erfinv_ = inplace(ops.erfinv)
    relu = relu
    relu_ = inplace(ops.relu)
    sinc = sinc
    sinc_ = inplace(ops.sinc)
    reciprocal = reciprocal
    reciprocal_ = inplace(ops.reciprocal)
    rsqrt = rsqrt
    rsqrt_ = inplace_composite(rsqrt)
    logit = logit
    logit_ = inplace_composite(logit)
    deg2rad = deg2rad
    deg2rad_ = inplace_composite(deg2rad)
    rad2deg = rad2deg
    rad2deg_ = inplace_composite(rad2deg)
    arcsin = asin
    arcsin_ = inplace(ops.asin, "arcsin")
    arccos = acos
    arccos_ = inplace(ops.acos, "arccos")
    arctan = atan
    arctan_ = inplace(ops.atan, "arctan")
    arcsinh = asinh
    arcsinh_ = inplace(ops.asinh, "arcsinh")
    arccosh = acosh
    arccosh_ = inplace(ops.acosh, "arccosh")
    arctanh = atanh
    arctanh_ = inplace(ops.atanh, "arctanh")
