"""torch's CPU sampling kernels on NumPy: the same draws, in the same order, to the same bits.

Every function takes a `Generator` and returns a NumPy array of the values torch's CPU
kernel writes, in the order it writes them (the caller lays them out in memory order).
Notes on torch 2.x's kernels (aten/src/ATen/native/cpu/DistributionTemplates.h and
core/DistributionsHelper.h), each checked against torch by tests/test_random_oracle.py:

- a float32 or float16 uniform is the low 24 bits of one 32-bit draw times 2**-24; a
  float64 uniform the low 53 bits of a 64-bit value made of two draws, the first one high;
  then ``fma(x, to - from, from)`` (the compiler fuses it) in the compute type;
- an integer in [from, to) is ``draw % (to - from) + from``, with a 64-bit draw when the
  range reaches 2**28;
- normal_ of 16 or more contiguous values draws all uniforms first, then turns each block
  of 16 into 16 normals by Box-Muller (first half cos, second half sin); a partial last
  block is recomputed from 16 fresh uniforms over the last 16 values. Fewer values, or a
  non-contiguous tensor, take the scalar double-precision sampler, which keeps the second
  value of each pair in the generator for the next call.
"""

from __future__ import annotations

import math

import numpy as np

from ._random_math import fma32, fma64, libm, log1p, vector_log, vector_sincos

__all__ = [
    "bernoulli_scalar",
    "cast",
    "bernoulli_tensor",
    "cauchy",
    "exponential",
    "geometric",
    "log_normal",
    "multinomial",
    "normal",
    "normal_scalar",
    "poisson",
    "random_bits",
    "random_from_to",
    "randperm",
    "uniform",
]

_f16, _f32, _f64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
_MASK24 = np.uint32(0xFFFFFF)
_MASK53 = np.uint64((1 << 53) - 1)
_TWO_PI = 2.0 * math.pi
_TWO_PI_F32 = np.float32(_TWO_PI)


_PIECE = 1 << 15


def _in_pieces(function, x: np.ndarray) -> np.ndarray:
    """`function` of `x`, applied to consecutive pieces along the first axis.

    The emulated arithmetic makes dozens of temporaries per value; in pieces of 32K values
    they stay in cache and are reused (measured: several times faster than whole arrays).
    """
    rows = max(1, _PIECE // max(1, x[0].size if x.ndim > 1 else 1))
    if len(x) <= rows:
        return function(x)
    return np.concatenate([function(x[i : i + rows]) for i in range(0, len(x), rows)])


def cast(values: np.ndarray, dtype) -> np.ndarray:
    """`values` as C++'s static_cast gives them: to float16 through float32 (c10::Half is
    built from a float, so a double is rounded twice)."""
    dtype = np.dtype(dtype)
    if dtype == _f16 and values.dtype != _f32:
        values = values.astype(_f32)
    return values.astype(dtype, copy=False)


def unit_float(raw32: np.ndarray) -> np.ndarray:
    return (raw32 & _MASK24).astype(_f32) * np.float32(2.0**-24)


def unit_double(raw64: np.ndarray) -> np.ndarray:
    return (raw64 & _MASK53).astype(_f64) * 2.0**-53


# ---------------------------------------------------------------- uniform and integers


def uniform(gen, n: int, dtype: np.dtype, low: float, high: float) -> np.ndarray:
    """uniform_(low, high) of `n` values of a floating `dtype` (float16/32/64)."""
    if dtype == _f64:
        x = unit_double(gen._raw64(n))
        if low == 0.0 and high == 1.0:
            return x
        value = fma64(x, high - low, low)
        return np.where(value == high, low, value)
    x = unit_float(gen._raw32(n))
    low32, high32 = np.float32(low), np.float32(high)
    value = x if (low32 == 0 and high32 == 1) else fma32(x, high32 - low32, low32)
    value = value.astype(dtype, copy=False)
    # A value rounded up onto the excluded bound becomes the lower bound.
    top = dtype.type(high)
    return np.where(value == top, dtype.type(low), value) if (value == top).any() else value


def random_from_to(gen, n: int, span: int, base: int) -> np.ndarray:
    """int64 values ``draw % span + base`` (span 2**64: the raw 64-bit draws)."""
    if span >= 1 << 64:
        return gen._raw64(n).view(np.int64)
    draws = gen._raw64(n) if span >= 1 << 28 else gen._raw32(n)
    shifted = (draws % np.uint64(span)) + np.uint64(base & 0xFFFFFFFFFFFFFFFF)
    return shifted.view(np.int64)


def random_bits(gen, n: int, dtype: np.dtype) -> np.ndarray:
    """random_() without bounds: [0, 2**mantissa] for floats, [0, max] for integers."""
    if dtype == np.bool_:
        return (gen._raw32(n) & np.uint32(1)).astype(np.bool_)
    if dtype == np.int64:
        return (gen._raw64(n) % np.uint64(1 << 63)).astype(np.int64)
    if dtype == _f64:
        return (gen._raw64(n) % np.uint64((1 << 53) + 1)).astype(_f64)
    if dtype.kind == "f":
        digits = np.finfo(dtype).nmant + 1
        return (gen._raw32(n) % np.uint64((1 << digits) + 1)).astype(dtype)
    span = int(np.iinfo(dtype).max) + 1
    return (gen._raw32(n) % np.uint64(span)).astype(dtype)


# ---------------------------------------------------------------- normal


def normal(gen, n: int, dtype: np.dtype, mean: float, std: float, contiguous: bool = True):
    """normal_(mean, std) of `n` floating values, by the kernel torch picks for them."""
    if n >= 16 and contiguous:
        if dtype == _f64:
            return _normal_blocks_double(gen, n, mean, std)
        return _normal_blocks_float(gen, n, dtype, mean, std)
    return cast(normal_scalar(gen, n, mean, std), dtype)


def _box_muller_float(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Rows of 16 float32 uniforms to 16 normals, as torch's AVX kernel computes them."""
    radius = np.sqrt(np.float32(-2) * vector_log(np.float32(1) - u[:, :8]))
    sin, cos = vector_sincos(_TWO_PI_F32 * u[:, 8:])
    out = np.empty_like(u)
    out[:, :8] = radius * cos
    out[:, 8:] = radius * sin
    if mean != 0.0 or std != 1.0:
        out = fma32(out, np.float32(std), np.float32(mean))
    return out


def _normal_blocks_float(gen, n, dtype, mean, std):
    blocks, partial = divmod(n, 16)
    out = np.empty(n, dtype)
    if dtype == _f32:
        # The uniforms fill the output first; the partial block's are then left unused.
        u = unit_float(gen._raw32(n))[: blocks * 16].reshape(blocks, 16)
        fill = _in_pieces(lambda rows: _box_muller_float(rows, mean, std), u)
        out[: blocks * 16] = fill.reshape(-1)
        if partial:
            tail = unit_float(gen._raw32(16)).reshape(1, 16)
            out[n - 16 :] = _box_muller_float(tail, mean, std).reshape(-1)
        return out
    # float16 computes block by block in float32, drawing only what each block needs.
    u = unit_float(gen._raw32(16 * (blocks + (partial > 0)))).reshape(-1, 16)
    filled = _in_pieces(lambda rows: _box_muller_float(rows, mean, std), u).astype(dtype)
    out[: blocks * 16] = filled[:blocks].reshape(-1)
    if partial:
        out[n - 16 :] = filled[blocks]
    return out


def _box_muller_double(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    radius = np.sqrt(-2.0 * libm("log", 1.0 - u[:, :8]))
    theta = _TWO_PI * u[:, 8:]
    out = np.empty_like(u)
    out[:, :8] = fma64(radius * libm("cos", theta), std, mean)
    out[:, 8:] = fma64(radius * libm("sin", theta), std, mean)
    return out


def _normal_blocks_double(gen, n, mean, std):
    blocks, partial = divmod(n, 16)
    out = np.empty(n, _f64)
    u = unit_double(gen._raw64(n))[: blocks * 16].reshape(blocks, 16)
    fill = _in_pieces(lambda rows: _box_muller_double(rows, mean, std), u)
    out[: blocks * 16] = fill.reshape(-1)
    if partial:
        out[n - 16 :] = _box_muller_double(unit_double(gen._raw64(16)).reshape(1, 16), mean, std)
    return out


def _standard_normal_pairs(gen, n: int) -> np.ndarray:
    """`n` float64 N(0, 1) values of the scalar sampler, using and refilling the cache."""
    out = np.empty(n, _f64)
    start = 0
    if n and gen._normal_cache is not None:
        out[0] = gen._normal_cache
        gen._normal_cache = None
        start = 1
    rest = n - start
    pairs = (rest + 1) // 2
    if pairs:
        both = _in_pieces(_box_muller_pairs, unit_double(gen._raw64(2 * pairs)).reshape(-1, 2))
        both = both.reshape(-1)
        out[start:] = both[:rest]
        if rest % 2:
            gen._normal_cache = float(both[-1])
    return out


def _box_muller_pairs(u: np.ndarray) -> np.ndarray:
    """Rows of two double uniforms (u1, u2) to (r cos, r sin), torch's scalar sampler."""
    radius = np.sqrt(-2.0 * log1p(-u[:, 1]))
    theta = _TWO_PI * u[:, 0]
    out = np.empty_like(u)
    out[:, 0] = radius * libm("cos", theta)
    out[:, 1] = radius * libm("sin", theta)
    return out


def normal_scalar(gen, n: int, mean: float, std: float) -> np.ndarray:
    """torch's scalar double-precision normal sampler: ``fma(z, std, mean)`` per value."""
    z = _standard_normal_pairs(gen, n)
    if mean == 0.0 and std == 1.0:
        return z
    return fma64(z, std, mean)


def log_normal(gen, n: int, mean: float, std: float) -> np.ndarray:
    return _in_pieces(lambda z: libm("exp", z), normal_scalar(gen, n, mean, std))


# ---------------------------------------------------------------- other distributions


def bernoulli_scalar(gen, n: int, p: float) -> np.ndarray:
    return unit_double(gen._raw64(n)) < p


def bernoulli_tensor(gen, p: np.ndarray) -> np.ndarray:
    """One draw per probability, in `p`'s order: float64 p compares with a double uniform."""
    flat = p.reshape(-1)
    if flat.dtype == _f64:
        return (unit_double(gen._raw64(flat.size)) < flat).reshape(p.shape)
    return (unit_float(gen._raw32(flat.size)) < flat.astype(_f32)).reshape(p.shape)


def exponential(gen, n: int, rate: float) -> np.ndarray:
    scale = -1.0 / rate
    return _in_pieces(lambda u: scale * log1p(-u), unit_double(gen._raw64(n)))


def geometric(gen, n: int, p: float) -> np.ndarray:
    denominator = math.log1p(-p)
    with np.errstate(divide="ignore"):
        return _in_pieces(
            lambda u: np.ceil(libm("log", u) / denominator), unit_double(gen._raw64(n))
        )


def cauchy(gen, n: int, median: float, sigma: float) -> np.ndarray:
    return _in_pieces(
        lambda u: fma64(sigma, libm("tan", math.pi * (u - 0.5)), median),
        unit_double(gen._raw64(n)),
    )


def randperm(gen, n: int) -> np.ndarray:
    """torch's CPU randperm: Fisher-Yates swaps with ``draw % (n - i)``."""
    if n < (2**32 - 1) // 20:
        offsets = (gen._raw32(max(n - 1, 0)) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        perm = list(range(n))
        # Each swap depends on the ones before it: no vector form exists.
        for i, offset in enumerate(offsets):
            j = i + offset
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64)
    # Past 2**32 / 20 torch switches to the "inside-out" variant with 64-bit draws.
    perm = np.empty(n, np.int64)
    draws = gen._raw64(n) % np.arange(1, n + 1, dtype=np.uint64)
    for i, z in enumerate(draws.tolist()):
        perm[i] = perm[z]
        perm[z] = i
    return perm


def multinomial(gen, probs: np.ndarray, samples: int, replacement: bool) -> np.ndarray:
    """Category indices, int64 (rows, samples), from rows of non-negative weights."""
    if not replacement or samples == 1:
        # torch samples without replacement as the top-k of p / q with q ~ Exp(1).
        q = exponential(gen, probs.size, 1.0).astype(probs.dtype).reshape(probs.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = probs / q
        order = np.argsort(-keys, axis=-1, kind="stable")
        return order[:, :samples].astype(np.int64)
    out = np.empty((probs.shape[0], samples), np.int64)
    for row, weights in enumerate(probs):
        cumulative = np.cumsum(weights)  # sequential, in the input's precision, as torch
        cumulative = cumulative / cumulative[-1]
        cumulative[-1] = 1
        u = unit_double(gen._raw64(samples))
        out[row] = np.searchsorted(cumulative.astype(_f64), u, side="left")
    return out


def poisson(gen, rates: np.ndarray) -> np.ndarray:
    """torch's CPU Poisson sampler: products of uniforms below 10, Hörmann's PTRS above."""
    out = np.empty(rates.size, _f64)
    for i, rate in enumerate(rates.reshape(-1).tolist()):
        out[i] = _poisson_one(gen, rate)
    return out.reshape(rates.shape)


def _uniform_one(gen) -> float:
    return float(unit_double(gen._raw64(1))[0])


def _poisson_one(gen, rate: float) -> float:
    if rate >= 10:
        # Transformed rejection with squeeze (Hörmann 1993), in plain double arithmetic.
        slam = math.sqrt(rate)
        loglam = math.log(rate)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = _uniform_one(gen) - 0.5
            v = _uniform_one(gen)
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + rate + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)) <= (
                -rate + k * loglam - math.lgamma(k + 1.0)
            ):
                return k
    if rate == 0:
        return 0
    limit = math.exp(-rate)
    count = 0
    product = 1.0
    while True:
        product *= _uniform_one(gen)
        if product > limit:
            count += 1
        else:
            return count
