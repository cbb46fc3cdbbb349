"""Elementwise primitives, named as in the array-API standard, each with its VJPs.

A rule reads `g` (the output's gradient), `out` and the inputs; whatever a rule
reads is kept for the backward pass, and nothing else. Scalars in rules are Python
floats so they take the tensor's dtype (`math.log(2)`, never `np.log(2)`).
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._dtype_kinds import as_array, check_integer_divisor, integer_only, kind_of
from ._helpers import is_tensor, zeros_like

__all__ = [
    "abs",
    "add",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "clip",
    "copysign",
    "cos",
    "divide",
    "equal",
    "exp",
    "expm1",
    "floor_divide",
    "fmod",
    "greater",
    "greater_equal",
    "hypot",
    "isfinite",
    "isinf",
    "isnan",
    "less",
    "less_equal",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "masked_fill",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "nextafter",
    "not_equal",
    "positive",
    "pow",
    "reciprocal",
    "relu",
    "remainder",
    "sign",
    "signbit",
    "sin",
    "sqrt",
    "square",
    "subtract",
    "tan",
    "tanh",
    "trunc_divide",
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

reciprocal = primitive("reciprocal", dtypes="float")
reciprocal.defvjp(lambda g, out, x: -g * out * out)

negative = primitive("negative", grad_name="NegBackward0")
negative.defvjp(lambda g, out, x: -g)

positive = primitive("positive", grad_name="PositiveBackward0")
positive.defvjp(lambda g, out, x: g)


@primitive(grad_name="PowBackward0")
def pow(x, y, /, *, xp):
    if type(y) is float:
        return xp.pow(x, y)
    if type(y) is bool and kind_of(xp, x) == "b":
        return x if y else xp.ones_like(x)  # torch keeps bool here
    if type(y) is int:
        if y < 0 and kind_of(xp, x) in "biu":
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return xp.pow(x, y)
    kind = kind_of(xp, y)
    if kind in "iu":
        return _integer_pow(xp, as_array(xp, x, y), y)
    if kind == "b" and kind_of(xp, x) == "b":
        raise NotImplementedError("pow: expected numeric operands; got two bools")
    return xp.pow(x, y)


def _integer_pow(xp, x, y):
    # NOTE: as torch, an integer to a negative integer power truncates toward zero:
    # 1 for 1, +-1 for -1 (by parity), 0 otherwise. NumPy refuses these instead.
    negative = y < 0
    out = xp.pow(x, xp.where(negative, 0, y))
    one = xp.ones_like(out)
    sign = xp.where(xp.remainder(y, 2) == 1, -one, one)
    inverse = xp.where(x == 1, one, xp.where(x == -1, sign, 0))
    return xp.where(negative, inverse, out)


def _pow_x_rule(g, out, x, y):
    # NOTE: torch's convention: d(x**y)/dx is 0 where y == 0, even at x == 0.
    if not is_tensor(y):
        return zeros_like(g) if y == 0 else g * (y * (x if y == 2 else x ** (y - 1)))
    return where(y == 0, 0.0, g * y * x ** (y - 1))


def _pow_y_rule(g, out, x, y):
    # NOTE: torch's convention: d(x**y)/dy is 0 where x == 0 and y >= 0 (not 0 * log 0).
    if not is_tensor(x):
        if x == 0:
            return where(y >= 0, 0.0, g * out * -math.inf)
        return g * out * (math.log(x) if x > 0 else math.nan)
    return where((x == 0) & (y >= 0), 0.0, g * out * log(x))


pow.defvjp(_pow_x_rule, _pow_y_rule)

square = primitive("square", grad_name="PowBackward0")
square.defvjp(lambda g, out, x: g * 2.0 * x)


@primitive(grad_name="FloorDivideBackward0")
def floor_divide(x, y, /, *, xp):
    check_integer_divisor(xp, "floor_divide", x, y)
    return xp.floor_divide(x, y)


# NOTE: a rounded quotient is piecewise constant: zero gradient, as torch's
# div(rounding_mode=...) (torch's `//` refuses to differentiate; we give zeros).
floor_divide.defvjp(lambda g, out, x, y: zeros_like(g), lambda g, out, x, y: zeros_like(g))


@primitive(grad_name="DivBackward2")
def trunc_divide(x, y, /, *, xp):
    """x / y rounded toward zero (torch's ``div(rounding_mode="trunc")``)."""
    if kind_of(xp, x) in "iu" and kind_of(xp, y) in "iu":
        check_integer_divisor(xp, "div", x, y)
        x, y = as_array(xp, x, y), as_array(xp, y, x)
        floor = xp.floor_divide(x, y)
        # floor is one below the truncated quotient where the signs differ and it is inexact
        inexact = (xp.remainder(x, y) != 0) & ((x < 0) != (y < 0))
        return xp.where(inexact, floor + 1, floor)
    return xp.trunc(xp.divide(x, y))


trunc_divide.defvjp(lambda g, out, x, y: zeros_like(g), lambda g, out, x, y: zeros_like(g))


@primitive(grad_name="RemainderBackward0")
def remainder(x, y, /, *, xp):
    check_integer_divisor(xp, "remainder", x, y)
    return xp.remainder(x, y)


# NOTE: as torch, remainder's gradient is g for x and -g * floor(x / y) for y.
remainder.defvjp(lambda g, out, x, y: g, lambda g, out, x, y: -g * floor_divide(x, y))


@primitive(grad_name="FmodBackward0")
def fmod(x, y, /, *, xp):
    """C's fmod: the remainder of x / y truncated toward zero (it takes x's sign)."""
    check_integer_divisor(xp, "fmod", x, y)
    if kind_of(xp, x) in "fc" or kind_of(xp, y) in "fc":
        # remainder of magnitudes is exact (x - n*y in one rounding); then x's sign.
        x = as_array(xp, x, y)
        size, step = xp.abs(x), xp.abs(as_array(xp, y, x))
        left = xp.remainder(size, step)
        # fmod(x, inf) is x; CUDA's remainder gives nan there.
        left = xp.where(xp.isinf(step) & xp.isfinite(size), size, left)
        return xp.copysign(left, x)
    x, y = as_array(xp, x, y), as_array(xp, y, x)
    r = xp.remainder(x, y)
    return xp.where((r != 0) & ((r < 0) != (x < 0)), r - y, r)


# NOTE: as torch, fmod's gradient is g for x and -g * trunc(x / y) for y.
fmod.defvjp(lambda g, out, x, y: g, lambda g, out, x, y: -g * trunc_divide(x, y))

copysign = primitive("copysign", dtypes="float")
# NOTE: as torch, the gradient is 0 where x == 0 (sign(0) is 0 here); none for y.
copysign.defvjp(lambda g, out, x, y: g * (sign(x) * sign(out)), lambda g, out, x, y: zeros_like(g))

hypot = primitive("hypot", dtypes="float")
hypot.defvjp(lambda g, out, x, y: g * x / out, lambda g, out, x, y: g * y / out)

nextafter = primitive("nextafter")
# NOTE: as torch, the step to the next float counts as the identity in x (constant where
# x == y, where the result is y itself), and as constant in y.
nextafter.defvjp(lambda g, out, x, y: where(x == y, 0.0, g), lambda g, out, x, y: zeros_like(g))


@primitive(grad_name="ClampBackward1")
def clip(x, low, high, /, *, xp):
    """x limited to [low, high]; either bound may be None. Where low > high, high wins."""
    if low is not None:
        x = xp.maximum(x, low)
    if high is not None:
        x = xp.minimum(x, high)
    return x


# NOTE: torch's convention: x's gradient passes where low <= x <= high, bounds included;
# a bound's gradient flows where it clips (where low > high, high takes it all).
def _clip_x_rule(g, out, x, low, high):
    if low is None and high is None:
        return g
    if low is None:
        inside = x <= high
    elif high is None:
        inside = x >= low
    else:
        inside = (x >= low) & (x <= high)
    return where(inside, g, 0.0)


def _clip_low_rule(g, out, x, low, high):
    below = x < low if high is None else (x < low) & (low < high)
    return where(below, g, 0.0)


def _clip_high_rule(g, out, x, low, high):
    above = x > high if low is None else (x > high) | (high < low)
    return where(above, g, 0.0)


clip.defvjp(_clip_x_rule, _clip_low_rule, _clip_high_rule)

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
abs.conjugate_rules = False  # g * sgn(z) is torch's complex convention already

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


@primitive(dtypes=None, grad_name="MaskedFillBackward0")
def masked_fill(x, mask, value, /, *, xp):
    """x with `value` where `mask` is True; `value` must already have x's dtype (or kind)."""
    return xp.where(mask, value, x)


masked_fill.defvjp(
    lambda g, out, x, mask, value: where(mask, 0.0, g),
    None,
    lambda g, out, x, mask, value: where(mask, g, 0.0),
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
signbit = primitive("signbit", dtypes=None)

logical_and = primitive("logical_and", dtypes=None)
logical_or = primitive("logical_or", dtypes=None)
logical_xor = primitive("logical_xor", dtypes=None)
logical_not = primitive("logical_not", dtypes=None)


@primitive
def bitwise_and(x, y, /, *, xp):
    integer_only("bitwise_and", xp, x, y)
    return xp.bitwise_and(x, y)


@primitive
def bitwise_or(x, y, /, *, xp):
    integer_only("bitwise_or", xp, x, y)
    return xp.bitwise_or(x, y)


@primitive
def bitwise_xor(x, y, /, *, xp):
    integer_only("bitwise_xor", xp, x, y)
    return xp.bitwise_xor(x, y)


@primitive
def bitwise_invert(x, /, *, xp):
    integer_only("bitwise_not", xp, x)
    return xp.bitwise_invert(x)


@primitive
def bitwise_left_shift(x, y, /, *, xp):
    integer_only("bitwise_left_shift", xp, x, y)
    return xp.bitwise_left_shift(x, y)


@primitive
def bitwise_right_shift(x, y, /, *, xp):
    integer_only("bitwise_right_shift", xp, x, y)
    return xp.bitwise_right_shift(x, y)
