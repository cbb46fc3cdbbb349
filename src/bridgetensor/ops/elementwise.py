"""Elementwise primitives, named as in the array-API standard, each with its VJPs.

A rule reads `g` (the output's gradient), `out` and the inputs; whatever a rule
reads is kept for the backward pass, and nothing else. Scalars in rules are Python
floats so they take the tensor's dtype (`math.log(2)`, never `np.log(2)`).
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._helpers import zeros_like

__all__ = [
    "abs",
    "add",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_or",
    "bitwise_xor",
    "cos",
    "divide",
    "equal",
    "exp",
    "expm1",
    "floor_divide",
    "greater",
    "greater_equal",
    "isfinite",
    "isinf",
    "isnan",
    "less",
    "less_equal",
    "log",
    "log1p",
    "log2",
    "log10",
    "logaddexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "not_equal",
    "positive",
    "pow",
    "relu",
    "remainder",
    "sign",
    "sin",
    "sqrt",
    "square",
    "subtract",
    "tan",
    "tanh",
    "where",
]

# ---------------------------------------------------------------- arithmetic

add = primitive("add", grad_name="AddBackward0")
add.defvjp(lambda g, out, x, y: g, lambda g, out, x, y: g)

subtract = primitive("subtract", grad_name="SubBackward0")
subtract.defvjp(lambda g, out, x, y: g, lambda g, out, x, y: -g)

multiply = primitive("multiply", grad_name="MulBackward0")
multiply.defvjp(lambda g, out, x, y: g * y, lambda g, out, x, y: g * x)

divide = primitive("divide", dtypes="float", grad_name="DivBackward0")
divide.defvjp(lambda g, out, x, y: g / y, lambda g, out, x, y: -g * out / y)

negative = primitive("negative", grad_name="NegBackward0")
negative.defvjp(lambda g, out, x: -g)

positive = primitive("positive", grad_name="PositiveBackward0")
positive.defvjp(lambda g, out, x: g)


@primitive(grad_name="PowBackward0")
def pow(x, y, /, *, xp):
    return xp.pow(x, y)


# NOTE: torch's conventions at 0: d(x**y)/dx is 0 where y == 0 (even at x == 0), and
# d(x**y)/dy is 0 where x == 0 and y >= 0 (instead of 0 * log 0 = nan).
pow.defvjp(
    lambda g, out, x, y: where(y == 0, 0.0, g * y * x ** (y - 1)),
    lambda g, out, x, y: where((x == 0) & (y >= 0), 0.0, g * out * log(x)),
)

square = primitive("square", grad_name="PowBackward0")
square.defvjp(lambda g, out, x: g * 2.0 * x)

floor_divide = primitive("floor_divide", grad_name="FloorDivideBackward0")
remainder = primitive("remainder", grad_name="RemainderBackward0")
# NOTE: as torch, remainder's gradient is g for x and -g * floor(x / y) for y.
remainder.defvjp(lambda g, out, x, y: g, lambda g, out, x, y: -g * floor_divide(x, y))

# ---------------------------------------------------------------- exp / log family

exp = primitive("exp", dtypes="float")
exp.defvjp(lambda g, out, x: g * out)

expm1 = primitive("expm1", dtypes="float")
expm1.defvjp(lambda g, out, x: g * (out + 1.0))

log = primitive("log", dtypes="float")
log.defvjp(lambda g, out, x: g / x)

log1p = primitive("log1p", dtypes="float")
log1p.defvjp(lambda g, out, x: g / (x + 1.0))

log2 = primitive("log2", dtypes="float")
log2.defvjp(lambda g, out, x: g / (x * math.log(2.0)))

log10 = primitive("log10", dtypes="float")
log10.defvjp(lambda g, out, x: g / (x * math.log(10.0)))

sqrt = primitive("sqrt", dtypes="float")
sqrt.defvjp(lambda g, out, x: g / (2.0 * out))


@primitive(dtypes="float", grad_name="LogaddexpBackward0")
def logaddexp(x, y, /, *, xp):
    return xp.logaddexp(x, y)


logaddexp.defvjp(lambda g, out, x, y: g * exp(x - out), lambda g, out, x, y: g * exp(y - out))

# ---------------------------------------------------------------- trigonometric

sin = primitive("sin", dtypes="float")
sin.defvjp(lambda g, out, x: g * cos(x))

cos = primitive("cos", dtypes="float")
cos.defvjp(lambda g, out, x: -g * sin(x))

tan = primitive("tan", dtypes="float")
tan.defvjp(lambda g, out, x: g * (1.0 + out * out))

tanh = primitive("tanh", dtypes="float")
tanh.defvjp(lambda g, out, x: g * (1.0 - out * out))

# ---------------------------------------------------------------- sign, abs, min/max

abs = primitive("abs")
# NOTE: torch's abs has gradient sign(x): 0 at x == 0.
abs.defvjp(lambda g, out, x: g * sign(x))

sign = primitive("sign")
sign.defvjp(lambda g, out, x: zeros_like(g))


@primitive(grad_name="ReluBackward0")
def relu(x, /, *, xp):
    """max(x, 0), keeping NaN (a primitive: one node instead of a comparison and a where)."""
    return xp.maximum(x, 0)


# NOTE: torch's relu has gradient 0 at x == 0.
relu.defvjp(lambda g, out, x: where(out > 0, g, 0.0))

maximum = primitive("maximum")
minimum = primitive("minimum")
# NOTE: as torch, where the two inputs tie each receives half the gradient.
maximum.defvjp(
    lambda g, out, x, y: where(x == y, g / 2.0, where(x > y, g, 0.0)),
    lambda g, out, x, y: where(x == y, g / 2.0, where(y > x, g, 0.0)),
)
minimum.defvjp(
    lambda g, out, x, y: where(x == y, g / 2.0, where(x < y, g, 0.0)),
    lambda g, out, x, y: where(x == y, g / 2.0, where(y < x, g, 0.0)),
)

# ---------------------------------------------------------------- selection

# The condition takes no part in promotion: only x and y decide the result's dtype.
where = primitive("where", promote=(1, 2), grad_name="WhereBackward0")
where.defvjp(
    None,
    lambda g, out, c, x, y: where(c, g, 0.0),
    lambda g, out, c, x, y: where(c, 0.0, g),
)


# ---------------------------------------------------------------- comparisons (no gradient)

equal = primitive("equal")
not_equal = primitive("not_equal")
less = primitive("less")
less_equal = primitive("less_equal")
greater = primitive("greater")
greater_equal = primitive("greater_equal")
isnan = primitive("isnan", dtypes=None)
isinf = primitive("isinf", dtypes=None)
isfinite = primitive("isfinite", dtypes=None)

logical_and = primitive("logical_and", dtypes=None)
logical_or = primitive("logical_or", dtypes=None)
logical_xor = primitive("logical_xor", dtypes=None)
logical_not = primitive("logical_not", dtypes=None)

bitwise_and = primitive("bitwise_and")
bitwise_or = primitive("bitwise_or")
bitwise_xor = primitive("bitwise_xor")
bitwise_invert = primitive("bitwise_invert")
