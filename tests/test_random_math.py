"""The arithmetic the samplers emulate: fused multiply-adds, glibc's functions, torch's
AVX float32 log and sincos."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from bridgetensor import _random_math as rmath


def _exact_fma(a, b, c):
    return Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))


def _nearest_float32(exact: Fraction) -> np.float32:
    """The float32 nearest `exact`, ties to even (Fraction -> float32 without double rounding)."""
    guess = np.float32(float(exact))
    candidates = [
        np.nextafter(guess, np.float32(-np.inf)),
        guess,
        np.nextafter(guess, np.float32(np.inf)),
    ]

    def key(v):
        return abs(Fraction(float(v)) - exact), int(np.array(v).view(np.int32)) & 1

    return min(candidates, key=key)


def test_fma32_rounds_once():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(3000).astype(np.float32)
    b = rng.standard_normal(3000).astype(np.float32)
    c = (rng.standard_normal(3000) * 1e-3).astype(np.float32)
    # Cases where the double sum lands exactly halfway between two floats.
    a[:3] = np.float32(1 + 2**-12)
    b[:3] = np.float32(1 + 2**-12)
    c[:3] = np.float32(2**-60), np.float32(-(2**-60)), np.float32(2**-24)
    got = rmath.fma32(a, b, c)
    expected = [_nearest_float32(_exact_fma(x, y, z)) for x, y, z in zip(a, b, c)]
    assert np.array_equal(got, np.array(expected, dtype=np.float32))


def test_fma32_rounds_once_in_the_subnormal_range():
    rng = np.random.default_rng(4)
    a = (rng.integers(0, 2**24, 2000) * 2.0**-24).astype(np.float32)
    b = np.float32(3e-39)
    c = np.float32(-1e-39)
    got = rmath.fma32(a, b, c)
    expected = [_nearest_float32(_exact_fma(x, b, c)) for x in a]
    assert np.array_equal(got, np.array(expected, dtype=np.float32))


def test_fma64_rounds_once():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(3000)
    b = rng.standard_normal(3000)
    c = rng.standard_normal(3000) * 1e-3
    got = rmath.fma64(a, b, c)
    assert all(float(_exact_fma(x, y, z)) == g for x, y, z, g in zip(a, b, c, got))


def test_log1p_matches_the_c_library():
    rng = np.random.default_rng(2)
    x = np.concatenate([-rng.random(4000), rng.random(2000) * 10, [0.0, -0.0, 1e-30, -1e-17]])
    assert np.array_equal(rmath.log1p(x), np.array([math.log1p(v) for v in x]))


@pytest.mark.parametrize("name", ["log", "exp", "sin", "cos", "tan"])
def test_libm_matches_the_c_library(name):
    rng = np.random.default_rng(3)
    x = rng.uniform(0.001, 1.5, 4000)
    assert np.array_equal(rmath.libm(name, x), np.array([getattr(math, name)(v) for v in x]))


def test_vector_kernels_are_accurate_float32_functions():
    x = np.linspace(2**-24, 1, 5001, dtype=np.float32)
    np.testing.assert_allclose(
        rmath.vector_log(x), np.log(x.astype(np.float64)), rtol=3e-7, atol=1e-7
    )
    theta = np.linspace(0, 2 * np.pi, 5001, dtype=np.float32)
    sin, cos = rmath.vector_sincos(theta)
    np.testing.assert_allclose(sin, np.sin(theta.astype(np.float64)), atol=3e-7)
    np.testing.assert_allclose(cos, np.cos(theta.astype(np.float64)), atol=3e-7)
