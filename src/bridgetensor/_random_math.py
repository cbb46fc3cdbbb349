"""The floating-point arithmetic of torch's CPU samplers, reproduced on NumPy arrays.

torch's CPU kernels are compiled with floating-point contraction, so `x * (to - from) + from`
is one fused multiply-add; its AVX2/AVX512 kernels compute float32 Box-Muller with a
Cephes-style vector log and sincos; its scalar kernels call glibc's `log1p`, `log`, `sin`,
`cos`, `tan` and `exp`. To give the same bits, this module supplies:

- `fma32` / `fma64`: exactly rounded fused multiply-add (NumPy has none);
- `vector_log` / `vector_sincos`: the float32 vector kernels, operation for operation;
- `log1p`: glibc's log1p algorithm (fdlibm's reduction and polynomial);
- `libm`: glibc's correctly-rounded-almost-always functions, computed in extended
  precision and handed to the C library (through `math`) only where the exact result lies
  too close to a rounding boundary to know which way glibc rounds it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["fma32", "fma64", "libm", "log1p", "vector_log", "vector_sincos"]

_f32 = np.float32
_f64 = np.float64
_SMALL = 32  # up to this many values, calling the C library per value is faster


# ---------------------------------------------------------------- fused multiply-add


_LOW29 = np.uint64(0x1FFFFFFF)
_HALF29 = np.uint64(0x10000000)


def fma32(a, b, c) -> np.ndarray:
    """float32 ``a * b + c`` with one rounding, as the FMA instruction computes it.

    The product of two floats is exact in double, so the double sum is off by less than
    half a double ulp; rounding it to float32 then gives the fused result unless the double
    landed exactly halfway between two floats, which is checked for and repaired. (A sum in
    float32's subnormal range is a multiple of 2**-173 below 2**-126, so the double holds
    it exactly and one rounding remains.)
    """
    total = np.multiply(a, b, dtype=_f64)
    total += c
    suspect = (total.view(np.uint64) & _LOW29) == _HALF29
    if suspect.any():
        where = np.nonzero(suspect)
        product = np.multiply(_pick(a, where, total), _pick(b, where, total), dtype=_f64)
        addend = _pick(c, where, total).astype(_f64)
        rounded = total[where]
        total[where] = _round_to_odd(rounded, _two_sum_error(product, addend, rounded))
    return total.astype(_f32)


def _pick(value, where, like):
    value = np.asarray(value)
    return value if value.ndim == 0 else np.broadcast_to(value, like.shape)[where]


def _two_sum_error(a, b, s):
    """The exact rounding error of ``s = a + b`` (Knuth's TwoSum)."""
    b_virtual = s - a
    return (a - (s - b_virtual)) + (b - b_virtual)


def _round_to_odd(value, error):
    """`value` (the rounded sum) moved to its odd neighbour toward the exact sum when the
    sum was inexact and `value` is even: rounding to odd, done on the bits."""
    bits = np.asarray(value).view(np.int64)
    fix = (error != 0) & ((bits & 1) == 0)
    if not fix.any():
        return value
    # Even bits: `| 1` is the neighbour away from zero, `- 1` the one toward zero.
    away = (value > 0) == (error > 0)
    return np.where(fix, np.where(away, bits | 1, bits - 1), bits).view(_f64)


_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two 26-bit halves


def _split(a):
    t = _SPLITTER * a
    high = t - (t - a)
    return high, a - high


def fma64(a, b, c) -> np.ndarray:
    """float64 ``a * b + c`` with one rounding (Boldo and Melquiond's emulation).

    The product is split exactly into two doubles (Dekker), the sum likewise (Knuth),
    and the low parts are added with rounding to odd, so the final addition rounds once.
    Valid away from overflow and underflow, which the samplers never reach.
    """
    a = np.asarray(a, _f64)
    b = np.asarray(b, _f64)
    c = np.asarray(c, _f64)
    product = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    product_low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    high = c + product
    high_low = _two_sum_error(c, product, high)
    low = high_low + product_low
    low_error = _two_sum_error(high_low, product_low, low)
    result = high + _round_to_odd(np.asarray(low), low_error)
    if not np.isfinite(result).all():
        with np.errstate(invalid="ignore", over="ignore"):
            result = np.where(np.isfinite(result), result, a * b + c)
    return result


# ---------------------------------------------------------------- float32 vector kernels
# Constants of the Cephes-derived AVX routines torch uses for float32 Box-Muller
# (ATen/native/cpu/avx_mathfun.h), rounded to float32 as the C initialisers are.

_LOG_POLY = tuple(
    _f32(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
)
_LOG_Q1 = _f32(-2.12194440e-4)
_LOG_Q2 = _f32(0.693359375)
_SQRT_HALF = _f32(0.707106781186547524)
_MIN_NORMAL = _f32(1.17549435e-38)


def vector_log(x: np.ndarray) -> np.ndarray:
    """torch's AVX float32 log for x > 0, with the multiply-adds its compiler fuses."""
    x = np.maximum(x, _MIN_NORMAL)
    bits = x.view(np.int32)
    exponent = ((bits >> 23) - 0x7F).astype(_f32) + _f32(1)
    # The mantissa scaled into [0.5, 1).
    x = ((bits & np.int32(~0x7F800000)) | np.int32(0x3F000000)).view(_f32)
    below = x < _SQRT_HALF
    exponent = exponent - below.astype(_f32)
    x = (x - _f32(1)) + np.where(below, x, _f32(0))
    z = x * x
    y = np.full_like(x, _LOG_POLY[0])
    for coefficient in _LOG_POLY[1:]:
        y = fma32(y, x, coefficient)
    y = y * x
    y = fma32(y, z, exponent * _LOG_Q1)
    y = y - z * _f32(0.5)  # exact product: fused or not, the same
    return fma32(exponent, _LOG_Q2, x + y)


_DP1 = _f32(-0.78515625)
_DP2 = _f32(-2.4187564849853515625e-4)
_DP3 = _f32(-3.77489497744594108e-8)
_SIN_POLY = (_f32(-1.9515295891e-4), _f32(8.3321608736e-3), _f32(-1.6666654611e-1))
_COS_POLY = (_f32(2.443315711809948e-5), _f32(-1.388731625493765e-3), _f32(4.166664568298827e-2))
_FOUR_OVER_PI = _f32(1.27323954473516)


def vector_sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch's AVX float32 (sin, cos): octant reduction, then two short polynomials."""
    sin_negative = np.signbit(x)
    x = np.abs(x)
    octant = (x * _FOUR_OVER_PI).astype(np.int32)  # truncation, as cvttps
    octant = (octant + 1) & ~1
    y = octant.astype(_f32)
    sin_negative ^= (octant & 4) != 0
    cos_negative = (~(octant - 2) & 4) != 0
    first_poly = (octant & 2) == 0
    # Extended-precision reduction x - y * pi/4 in three parts.
    x = fma32(y, _DP1, x)
    x = fma32(y, _DP2, x)
    x = fma32(y, _DP3, x)
    z = x * x
    cos_part = fma32(fma32(np.full_like(z, _COS_POLY[0]), z, _COS_POLY[1]), z, _COS_POLY[2])
    cos_part = fma32(cos_part * z, z, -(z * _f32(0.5))) + _f32(1)
    sin_part = fma32(fma32(np.full_like(z, _SIN_POLY[0]), z, _SIN_POLY[1]), z, _SIN_POLY[2])
    sin_part = fma32(sin_part * z, x, x)
    sin = np.where(first_poly, sin_part, cos_part)
    cos = np.where(first_poly, cos_part, sin_part)
    return np.where(sin_negative, -sin, sin), np.where(cos_negative, -cos, cos)


# ---------------------------------------------------------------- glibc's log1p
# fdlibm's method (Sun Microsystems, freely redistributable): 1 + x = 2**k * (1 + f) with
# sqrt(2)/2 < 1 + f < sqrt(2), then log(1 + f) = f - (f*f/2 - s * (f*f/2 + R(s*s))) with
# s = f / (2 + f) and a degree-14 minimax polynomial R. glibc builds it twice on x86-64,
# with and without FMA, and picks one by CPU; `_LOG1P_FUSED` is found by asking the C
# library itself (see `_choose_log1p`).

_LN2_HIGH = 6.93147180369123816490e-01
_LN2_LOW = 1.90821492927058770002e-10
_LP = (
    6.666666666666735130e-01,
    3.999999999940941908e-01,
    2.857142874366239149e-01,
    2.222219843214978396e-01,
    1.818357216161805012e-01,
    1.531383769920937332e-01,
    1.479819860511658591e-01,
)


def _high_word(x):
    return (x.view(np.int64) >> 32).astype(np.int32)


def _log1p_fdlibm(x: np.ndarray, fused: bool) -> np.ndarray:
    mul_add = fma64 if fused else (lambda a, b, c: a * b + c)
    high = _high_word(x)
    magnitude = high & 0x7FFFFFFF
    # -0.2929 < x < 0.41422: f = x exactly, no reduction.
    direct = (high < 0x3FDA827A) & ((high > 0) | (high <= np.int32(-0x402D413D)))
    with np.errstate(all="ignore"):
        u = 1.0 + x
        u_high = _high_word(u)
        k = (u_high >> 20) - 1023
        correction = np.where(k > 0, 1.0 - (u - x), x - (u - 1.0)) / u
        mantissa = u_high & 0x000FFFFF
        halve = mantissa >= 0x6A09E
        k = k + halve
        new_high = np.where(halve, mantissa | 0x3FE00000, mantissa | 0x3FF00000).astype(np.int64)
        normalized = ((u.view(np.int64) & 0xFFFFFFFF) | (new_high << 32)).view(_f64)
        mantissa = np.where(halve, (0x00100000 - mantissa) >> 2, mantissa)
        f = np.where(direct, x, normalized - 1.0)
        k = np.where(direct, 0, k).astype(_f64)
        correction = np.where(direct, 0.0, correction)
        mantissa = np.where(direct, 1, mantissa)
        half_square = 0.5 * f * f
        s = f / (2.0 + f)
        z = s * s
        z2 = z * z
        z4 = z2 * z2
        z6 = z4 * z2
        r = mul_add(z, _LP[0], z2 * mul_add(z, _LP[2], _LP[1]))
        r = mul_add(z4, mul_add(z, _LP[4], _LP[3]), r)
        r = mul_add(z6, mul_add(z, _LP[6], _LP[5]), r)
        tail = s * (half_square + r)
        out = np.where(
            k == 0,
            f - (half_square - tail),
            k * _LN2_HIGH - ((half_square - (tail + mul_add(k, _LN2_LOW, correction))) - f),
        )
        tiny_f = mantissa == 0  # |f| < 2**-20: a shorter series
        if tiny_f.any():
            r = half_square * mul_add(-f, 0.66666666666666666, 1.0)
            short = np.where(
                k == 0, f - r, k * _LN2_HIGH - ((r - mul_add(k, _LN2_LOW, correction)) - f)
            )
            exact = np.where(k == 0, 0.0, k * _LN2_HIGH + mul_add(k, _LN2_LOW, correction))
            out = np.where(tiny_f, np.where(f == 0, exact, short), out)
        tiny_x = magnitude < 0x3E200000
        out = np.where(tiny_x, np.where(magnitude < 0x3C900000, x, x - x * x * 0.5), out)
        out = np.where(x == -1.0, -np.inf, np.where(x < -1.0, np.nan, out))
        return np.where(high >= 0x7FF00000, x + x, out)


_LOG1P_PROBES = np.array(
    [-0.22591016124709584, -0.04223143030229748, -0.3060520678005715, -0.34547097656139125]
    + [-(k * 2.0**-20) for k in range(1, 2**20, 9973)]
    + [0.1 * k for k in range(1, 40)]
)
_found: dict = {}  # what the self-checks found, computed on first use


def _log1p_variant() -> bool | None:
    """Whether the C library's log1p is glibc's fused build, its plain one, or neither."""
    if "log1p" not in _found:
        expected = np.array([math.log1p(v) for v in _LOG1P_PROBES])
        _found["log1p"] = next(
            (
                fused
                for fused in (True, False)
                if np.array_equal(_log1p_fdlibm(_LOG1P_PROBES, fused), expected)
            ),
            None,
        )
    return _found["log1p"]


def log1p(x: np.ndarray) -> np.ndarray:
    """The C library's log1p of every element, bit for bit (per element through `math`
    when the library is not one of glibc's builds)."""
    x = np.asarray(x, _f64)
    if x.size <= _SMALL:
        return _elementwise(math.log1p, x)
    fused = _log1p_variant()
    if fused is None:
        return _elementwise(math.log1p, x)
    return _log1p_fdlibm(x, fused)


# ---------------------------------------------------------------- glibc's other functions

# How far from a rounding midpoint (in ulps) glibc may round the other way: its log and
# exp are within 0.52 ulp, sin and cos within 0.55, tan within 0.6 (glibc's manual).
_BANDS = {"log": 0.03, "exp": 0.03, "sin": 0.06, "cos": 0.06, "tan": 0.12}
_EXTENDED = np.finfo(np.longdouble).nmant >= 63


def _elementwise(function, x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape, _f64)
    flat = out.reshape(-1)
    for i, value in enumerate(x.reshape(-1).tolist()):
        try:
            flat[i] = function(value)
        except (ValueError, OverflowError):
            with np.errstate(all="ignore"):
                flat[i] = getattr(np, function.__name__)(value)
    return out


# Where NumPy's own float64 function gives glibc's results it is used as it is (NumPy calls
# the C library for some functions and has its own SIMD code for others, by build and CPU).
_PROBE_DOMAINS = {
    "log": (0.0, 2.0),
    "exp": (-40.0, 40.0),
    "sin": (-7.0, 7.0),
    "cos": (-7.0, 7.0),
    "tan": (-1.6, 1.6),
}


def _numpy_agrees(name: str) -> bool:
    if name not in _found:
        low, high = _PROBE_DOMAINS[name]
        probes = np.random.Generator(np.random.PCG64(12345)).uniform(low, high, 1 << 14)
        expected = _elementwise(getattr(math, name), probes)
        _found[name] = bool(np.array_equal(getattr(np, name)(probes), expected))
    return _found[name]


def libm(name: str, x: np.ndarray) -> np.ndarray:
    """glibc's `name` (log, exp, sin, cos or tan) of every element, bit for bit.

    Extended precision decides every element whose exact value is far enough from a
    midpoint between doubles that any result within glibc's error bound rounds the same
    way; the few others are computed by the C library itself, through `math`.
    """
    x = np.asarray(x, _f64)
    function = getattr(math, name)
    if x.size <= _SMALL:
        return _elementwise(function, x)
    if _numpy_agrees(name):
        return getattr(np, name)(x)
    if not _EXTENDED:
        return _elementwise(function, x)
    with np.errstate(all="ignore"):
        precise = getattr(np, name)(x.astype(np.longdouble))
        result = precise.astype(_f64)
        # The smaller of the two spacings around the result (they differ at powers of 2).
        ulp = np.spacing(np.nextafter(np.abs(result), 0)).astype(np.longdouble)
        offset = ((precise - result) / ulp).astype(_f64)
    unsure = np.isfinite(result) & (np.abs(offset) > 0.5 - _BANDS[name])
    if unsure.any():
        result[unsure] = _elementwise(function, x[unsure])
    return result
