"""Op-table rows for the elementwise primitives beyond the first ops (see rows_core.py)."""

from __future__ import annotations

import math

import numpy as np

from bridgetensor import ops

from .table import Arg, B, F, Index, Pos, Row, binary, unary


def _typed(f):
    """A float64 scalar function as a NumPy reference that keeps the input's dtype."""
    vectorized = np.vectorize(f, otypes=[np.float64])
    return lambda x: vectorized(x).astype(x.dtype)


def _erfinv_scalar(y: float) -> float:
    low, high = -6.0, 6.0
    for _ in range(200):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if math.erf(middle) < y else (low, middle)
    return 0.5 * (low + high)


def _sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x.astype(np.float64)))).astype(x.dtype)


def _angle(x):
    return np.where(x < 0, np.pi, 0.0).astype(x.dtype)


Shift = Index(3, 4, axis_len=6)

ROWS = [
    # arithmetic
    unary(ops.reciprocal, np.reciprocal, Pos()),
    binary(ops.trunc_divide, lambda x, y: np.trunc(x / y), b=Pos(), second_order=False),
    binary(ops.fmod, np.fmod, b=Pos()),
    binary(ops.copysign, np.copysign),
    binary(ops.hypot, np.hypot),
    binary(ops.nextafter, np.nextafter),
    Row(ops.clip, np.clip, (F(), F(low=-2.0, high=-0.5), F(low=0.5, high=2.0))),
    Row(
        ops.masked_fill,
        lambda x, mask, value: np.where(mask, value, x),
        (F(), B(), Arg(())),
    ),
    # trigonometric and hyperbolic
    unary(ops.asin, np.arcsin, F(low=-0.9, high=0.9)),
    unary(ops.acos, np.arccos, F(low=-0.9, high=0.9)),
    unary(ops.atan, np.arctan),
    binary(ops.atan2, np.arctan2),
    unary(ops.sinh, np.sinh),
    unary(ops.cosh, np.cosh),
    unary(ops.asinh, np.arcsinh),
    unary(ops.acosh, np.arccosh, F(low=1.2, high=3.0)),
    unary(ops.atanh, np.arctanh, F(low=-0.9, high=0.9)),
    unary(ops.sinc, np.sinc),
    # exponentials, logarithms, special functions
    unary(ops.exp2, np.exp2),
    binary(ops.logaddexp2, np.logaddexp2),
    binary(ops.xlogy, lambda x, y: x * np.log(y), b=Pos()),
    unary(ops.sigmoid, _sigmoid),
    unary(ops.erf, _typed(math.erf)),
    unary(ops.erfc, _typed(math.erfc)),
    unary(ops.erfinv, _typed(_erfinv_scalar), F(low=-0.95, high=0.95), grad_tol=1e-4),
    # rounding (zero gradient)
    unary(ops.ceil, np.ceil, second_order=False),
    unary(ops.floor, np.floor, second_order=False),
    unary(ops.trunc, np.trunc, second_order=False),
    unary(ops.round, np.round, second_order=False),
    Row(ops.round, np.round, static={"decimals": 2}, name="decimals", second_order=False),
    unary(ops.nan_to_num, np.nan_to_num),
    # complex parts
    Row(ops.real, np.real, dtypes=("complex64", "complex128"), grad=False),
    Row(ops.imag, np.imag, dtypes=("complex64", "complex128"), grad=False),
    unary(ops.conj, np.conj),
    unary(ops.angle, _angle, second_order=False),
    # no gradient
    Row(ops.signbit, np.signbit, grad=False),
    *[
        Row(p, r, (Shift, Shift), grad=False, dtypes=("int64",))
        for p, r in [
            (ops.bitwise_left_shift, np.left_shift),
            (ops.bitwise_right_shift, np.right_shift),
        ]
    ],
]
