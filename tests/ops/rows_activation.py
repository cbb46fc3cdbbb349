"""Op-table rows for the activation primitives (ops/activation.py)."""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .table import F, Row, unary


def _float64(f):
    """A NumPy reference computed in float64 and returned in the input's dtype."""
    return lambda x, **static: np.asarray(f(x.astype(np.float64), **static)).astype(x.dtype)


def _leaky_relu(x, negative_slope=0.01):
    return np.where(x > 0, x, x * negative_slope)


def _elu(x, alpha=1.0, scale=1.0, input_scale=1.0):
    return np.where(x > 0, scale * x, scale * alpha * np.expm1(np.minimum(x, 0) * input_scale))


def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(x * beta > threshold, x, np.logaddexp(0.0, x * beta) / beta)


def _softshrink(x, lambd=0.5):
    return np.where(np.abs(x) > lambd, x - np.sign(x) * lambd, 0.0)


def _log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


ROWS = [
    unary(ops.leaky_relu, _float64(_leaky_relu)),
    Row(ops.leaky_relu, _float64(_leaky_relu), static={"negative_slope": 0.3}, name="slope"),
    unary(ops.elu, _float64(_elu)),
    Row(
        ops.elu,
        _float64(_elu),
        static={"alpha": 1.5, "scale": 1.05, "input_scale": 0.5},
        name="scaled",
    ),
    unary(ops.hardtanh, _float64(lambda x: np.clip(x, -1.0, 1.0)), F(low=-3.0, high=3.0)),
    Row(
        ops.hardtanh,
        _float64(lambda x, min_val, max_val: np.clip(x, min_val, max_val)),
        static={"min_val": 0.0, "max_val": 1.5},
        name="bounds",
    ),
    unary(ops.softplus, _float64(_softplus)),
    Row(
        ops.softplus,
        _float64(_softplus),
        (F(low=-4.0, high=4.0),),
        static={"beta": 2.0, "threshold": 3.0},
        name="threshold",
    ),
    unary(
        ops.hardsigmoid, _float64(lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0), F(low=-4.0, high=4.0)
    ),
    unary(ops.softshrink, _float64(_softshrink)),
    Row(ops.softshrink, _float64(_softshrink), static={"lambd": 1.0}, name="lambd"),
    unary(ops.log_sigmoid, _float64(_log_sigmoid), F(low=-30.0, high=30.0)),
]
