"""Elementwise transcendental, rounding and complex-part primitives, each with its VJPs.

Array-API names where the standard has one (`acos`, `atan2`, `round`, `real`); torch's
otherwise (`exp2`, `sigmoid`, `xlogy`, `sinc`, `nan_to_num`, `angle`).
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._dtype_kinds import as_array, kind_of
from ._helpers import zeros_like
from .elementwise import cos, isfinite, sin, sqrt, where

__all__ = [
    "acos",
    "acosh",
    "angle",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "ceil",
    "conj",
    "cosh",
    "exp2",
    "floor",
    "imag",
    "logaddexp2",
    "nan_to_num",
    "real",
    "round",
    "sigmoid",
    "sinc",
    "sinh",
    "trunc",
    "xlogy",
]

_LN2 = math.log(2.0)

# ---------------------------------------------------------------- trigonometric, hyperbolic

acos = primitive("acos", dtypes="float")
acos.defvjp(lambda g, out, x: -g / sqrt(1.0 - x * x))

asin = primitive("asin", dtypes="float")
asin.defvjp(lambda g, out, x: g / sqrt(1.0 - x * x))

atan = primitive("atan", dtypes="float")
atan.defvjp(lambda g, out, x: g / (x * x + 1.0))

atan2 = primitive("atan2", dtypes="float")


def _atan2_scale(x, y):
    # NOTE: as torch, the gradient at the origin is 0 (1 / (x^2 + y^2) taken as 0 there).
    squared = x * x + y * y
    return 1.0 / where(squared == 0, math.inf, squared)


atan2.defvjp(
    lambda g, out, x, y: g * y * _atan2_scale(x, y),
    lambda g, out, x, y: -g * x * _atan2_scale(x, y),
)

sinh = primitive("sinh", dtypes="float")
sinh.defvjp(lambda g, out, x: g * cosh(x))

cosh = primitive("cosh", dtypes="float")
cosh.defvjp(lambda g, out, x: g * sinh(x))

asinh = primitive("asinh", dtypes="float")
asinh.defvjp(lambda g, out, x: g / sqrt(x * x + 1.0))

acosh = primitive("acosh", dtypes="float")
acosh.defvjp(lambda g, out, x: g / sqrt(x * x - 1.0))

atanh = primitive("atanh", dtypes="float")
atanh.defvjp(lambda g, out, x: g / (1.0 - x * x))


@primitive(dtypes="float", grad_name="SincBackward0")
def sinc(x, /, *, xp):
    """sin(pi x) / (pi x), and 1 at 0."""
    zero = x == 0
    scaled = xp.where(zero, 1.0, x * math.pi)  # no 0 / 0 computed at x == 0
    return xp.where(zero, 1.0, xp.sin(scaled) / scaled)


def _sinc_rule(g, out, x):
    # NOTE: as torch, the gradient is 0 where pi x^2 is 0 (x == 0, or it underflows).
    scaled = x * math.pi
    denominator = scaled * x
    flat = denominator == 0
    slope = (scaled * cos(scaled) - sin(scaled)) / where(flat, 1.0, denominator)
    return where(flat, 0.0, g * slope)


sinc.defvjp(_sinc_rule)

# ---------------------------------------------------------------- exp / log relatives


@primitive(dtypes="float", grad_name="Exp2Backward0")
def exp2(x, /, *, xp):
    # 2.0 ** x is exact at integers, where exp(x * ln 2) is not.
    return xp.pow(2.0, x)


exp2.defvjp(lambda g, out, x: g * out * _LN2)


@primitive(dtypes="float", grad_name="Logaddexp2Backward0")
def logaddexp2(x, y, /, *, xp):
    """log2(2**x + 2**y) without overflow."""
    x, y = as_array(xp, x, y), as_array(xp, y, x)
    out = xp.maximum(x, y) + xp.log1p(xp.pow(2.0, -xp.abs(x - y))) * (1.0 / _LN2)
    # Equal infinities: the formula's inf - inf would give nan.
    return xp.where(xp.isinf(x) & (x == y), x, out)


logaddexp2.defvjp(lambda g, out, x, y: g * exp2(x - out), lambda g, out, x, y: g * exp2(y - out))


@primitive(dtypes="float", grad_name="XlogyBackward0")
def xlogy(x, y, /, *, xp):
    """x * log(y), and 0 where x == 0 unless y is nan."""
    x, y = as_array(xp, x, y), as_array(xp, y, x)
    out = x * xp.log(xp.where(x == 0, 1.0, y))  # log(1) = 0 where x == 0: no 0 * -inf
    return xp.where(xp.isnan(y), y, out)


# NOTE: as torch, x's gradient is log(y), taken as 0 where x == 0 and y <= 0.
xlogy.defvjp(
    lambda g, out, x, y: where((x == 0) & (y <= 0), 0.0, xlogy(g, y)),
    lambda g, out, x, y: g * x / y,
)


@primitive(dtypes="float", grad_name="SigmoidBackward0")
def sigmoid(x, /, *, xp):
    """1 / (1 + exp(-x)), computed without overflow for either sign of x."""
    if kind_of(xp, x) == "c":
        return 1.0 / (1.0 + xp.exp(-x))
    small = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
    positive = 1.0 / (1.0 + small)
    return xp.where(x >= 0, positive, small * positive)


sigmoid.defvjp(lambda g, out, x: g * out * (1.0 - out))

# ---------------------------------------------------------------- rounding
# NOTE: rounding is piecewise constant: zero gradient everywhere, as torch.

ceil = primitive("ceil")
ceil.defvjp(lambda g, out, x: zeros_like(g))

floor = primitive("floor")
floor.defvjp(lambda g, out, x: zeros_like(g))

trunc = primitive("trunc")
trunc.defvjp(lambda g, out, x: zeros_like(g))


@primitive(grad_name="RoundBackward0")
def round(x, /, *, xp, decimals=0):
    """Round half to even, at `decimals` decimal places (negative: tens, hundreds, ...)."""
    if decimals == 0:
        return xp.round(x)
    # torch scales in the tensor's own dtype, then rounds, then scales back.
    scale = 10.0 ** abs(decimals)
    if decimals > 0:
        return xp.round(x * scale) / scale
    return xp.round(x / scale) * scale


round.defvjp(lambda g, out, x, *, decimals=0: zeros_like(g))


@primitive(dtypes=None, grad_name="NanToNumBackward0")
def nan_to_num(x, /, *, xp, nan=0.0, posinf=None, neginf=None):
    """nan, +inf and -inf replaced (by default with 0 and the dtype's largest values)."""
    if kind_of(xp, x) not in "fc":
        return xp.asarray(x, copy=True)
    if kind_of(xp, x) == "c":
        parts = [
            nan_to_num.forward(p, xp=xp, nan=nan, posinf=posinf, neginf=neginf)
            for p in (xp.real(x), xp.imag(x))
        ]
        return parts[0] + parts[1] * 1j
    info = xp.finfo(x.dtype)
    out = xp.where(xp.isnan(x), nan, x)
    out = xp.where(out == math.inf, info.max if posinf is None else posinf, out)
    return xp.where(out == -math.inf, info.min if neginf is None else neginf, out)


# NOTE: as torch, the gradient passes where x is finite and is 0 where it was replaced.
nan_to_num.defvjp(
    lambda g, out, x, *, nan=0.0, posinf=None, neginf=None: where(isfinite(x), g, 0.0)
)

# ---------------------------------------------------------------- complex parts

real = primitive("real", dtypes=None, view=True, grad_name="RealBackward0")
real.defvjp(lambda g, out, x: g)  # the engine casts it back to x's complex dtype

imag = primitive("imag", dtypes=None, view=True, grad_name="ImagBackward0")
imag.defvjp(lambda g, out, x: g * 1j)

conj = primitive("conj", dtypes=None, grad_name="ConjBackward0")
conj.defvjp(lambda g, out, x: conj(g))


@primitive(dtypes="float", grad_name="AngleBackward0")
def angle(x, /, *, xp):
    """The argument of a complex number; pi for negative reals, 0 otherwise (nan kept)."""
    if kind_of(xp, x) == "c":
        return xp.atan2(xp.imag(x), xp.real(x))
    return xp.where(x < 0, math.pi, xp.where(xp.isnan(x), x, 0.0))


def _angle_rule(g, out, x):
    # NOTE: as torch, zero for real input; g * i * x / |x|^2 for complex, 0 at 0.
    if not x.dtype.is_complex:
        return zeros_like(g)
    magnitude = real(x * conj(x))
    return where(magnitude == 0, 0.0, g * x * 1j / where(magnitude == 0, 1.0, magnitude))


angle.defvjp(_angle_rule)

# These rules write torch's complex convention themselves (the engine leaves them be).
for _prim in (real, imag, conj, angle):
    _prim.conjugate_rules = False
