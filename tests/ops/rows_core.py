"""Op-table rows for the primitives of the first ops (arithmetic, reductions, shapes)."""

from __future__ import annotations

import numpy as np

import bridgetensor as bt
from bridgetensor import ops

from .table import B, F, Index, Pos, Row, binary, unary

ROWS = [
    binary(ops.add, np.add),
    binary(ops.subtract, np.subtract),
    binary(ops.multiply, np.multiply),
    binary(ops.divide, np.divide, b=Pos()),
    binary(ops.maximum, np.maximum),
    binary(ops.minimum, np.minimum),
    binary(ops.pow, np.power, a=Pos(), scalar=2.0),
    binary(ops.logaddexp, np.logaddexp),
    binary(ops.remainder, np.remainder, b=Pos(), second_order=False),
    binary(ops.floor_divide, np.floor_divide, b=Pos(), grad=False),
    unary(ops.negative, np.negative),
    unary(ops.positive, np.positive),
    unary(ops.square, np.square),
    unary(ops.exp, np.exp),
    unary(ops.expm1, np.expm1),
    unary(ops.log, np.log, Pos()),
    unary(ops.log1p, np.log1p, Pos()),
    unary(ops.log2, np.log2, Pos()),
    unary(ops.log10, np.log10, Pos()),
    unary(ops.sqrt, np.sqrt, Pos()),
    unary(ops.sin, np.sin),
    unary(ops.cos, np.cos),
    unary(ops.tan, np.tan, F(low=-1.2, high=1.2)),
    unary(ops.tanh, np.tanh),
    unary(ops.abs, np.abs),
    unary(ops.sign, np.sign, second_order=False),
    unary(ops.relu, lambda x: np.maximum(x, 0)),
    Row(ops.where, np.where, (B(3, 4), F(), F())),
    *[
        Row(p, r, (F(), F()), grad=False)
        for p, r in [
            (ops.equal, np.equal),
            (ops.not_equal, np.not_equal),
            (ops.less, np.less),
            (ops.less_equal, np.less_equal),
            (ops.greater, np.greater),
            (ops.greater_equal, np.greater_equal),
        ]
    ],
    *[
        Row(p, r, (F(),), grad=False)
        for p, r in [(ops.isnan, np.isnan), (ops.isinf, np.isinf), (ops.isfinite, np.isfinite)]
    ],
    *[
        Row(p, r, (B(), B()), grad=False, dtypes=("bool",))
        for p, r in [
            (ops.logical_and, np.logical_and),
            (ops.logical_or, np.logical_or),
            (ops.logical_xor, np.logical_xor),
        ]
    ],
    Row(ops.logical_not, np.logical_not, (B(),), grad=False, dtypes=("bool",)),
    *[
        Row(p, r, (Index(3, 4, axis_len=9), Index(3, 4, axis_len=9)), grad=False, dtypes=("int64",))
        for p, r in [
            (ops.bitwise_and, np.bitwise_and),
            (ops.bitwise_or, np.bitwise_or),
            (ops.bitwise_xor, np.bitwise_xor),
        ]
    ],
    Row(ops.bitwise_invert, np.invert, (Index(3, 4, axis_len=9),), grad=False, dtypes=("int64",)),
    # reductions
    Row(ops.sum, np.sum, static={"axis": 1}),
    Row(ops.sum, np.sum, name="all", static={}),
    Row(ops.mean, np.mean, static={"axis": 0, "keepdims": True}),
    Row(ops.prod, np.prod, static={"axis": 1}),
    Row(ops.max, np.max, static={"axis": 1}),
    Row(ops.min, np.min, static={"axis": 0}),
    Row(ops.argmax, np.argmax, static={"axis": 1}, grad=False),
    Row(ops.argmin, np.argmin, static={"axis": 1}, grad=False),
    Row(ops.any, np.any, (B(),), static={"axis": 1}, grad=False, dtypes=("bool",)),
    Row(ops.all, np.all, (B(),), static={"axis": 0}, grad=False, dtypes=("bool",)),
    # shapes
    Row(ops.reshape, np.reshape, static={"shape": (4, 3)}),
    Row(ops.permute_dims, np.transpose, static={"axes": (1, 0)}),
    Row(ops.expand_dims, np.expand_dims, static={"axis": 1}),
    Row(ops.squeeze, np.squeeze, (F(3, 1, 4),), static={"axis": 1}),
    Row(ops.broadcast_to, np.broadcast_to, (F(3, 1),), static={"shape": (2, 3, 4)}),
    Row(ops.flip, np.flip, static={"axis": 0}),
    Row(
        ops.concat,
        lambda *a, axis: np.concatenate(a, axis=axis),
        (F(2, 3), F(4, 3)),
        static={"axis": 0},
    ),
    Row(ops.stack, lambda *a, axis: np.stack(a, axis=axis), (F(2, 3), F(2, 3)), static={"axis": 1}),
    Row(ops.clone, np.copy),
    Row(
        ops.astype,
        lambda x, dtype: x.astype(np.float64),
        static={"dtype": bt.float64},
        name="to_float64",
    ),
    # indexing
    Row(ops.getitem, lambda x, key: x[key], static={"key": (slice(1, 3), 0)}),
    Row(
        ops.take,
        lambda x, i, axis: np.take(x, i, axis=axis),
        (F(), Index(5, axis_len=4)),
        static={"axis": 1},
    ),
    Row(
        ops.take_along_axis,
        lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
        (F(), Index(3, 2, axis_len=4)),
        static={"axis": 1},
    ),
    Row(
        ops.index_add_at,
        lambda v, shape, key: _scatter(v, shape, key),
        (
            F(
                3,
            ),
        ),
        static={"shape": (5,), "key": (np.array([0, 2, 2]),)},
    ),
    Row(ops.setitem, lambda x, v, key: _set(x, v, key), (F(), F(4)), static={"key": (1,)}),
    # linear algebra
    Row(ops.matmul, np.matmul, (F(3, 4), F(4, 2))),
    Row(
        ops.matmul,
        np.matmul,
        (
            F(2, 3, 4),
            F(
                4,
            ),
        ),
        name="batched_vector",
    ),
    Row(
        ops.matmul,
        np.matmul,
        (
            F(
                4,
            ),
            F(4, 2),
        ),
        name="vector_matrix",
    ),
]


def _scatter(values, shape, key):
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, key, values)
    return out


def _set(x, v, key):
    out = x.copy()
    out[key] = v
    return out
