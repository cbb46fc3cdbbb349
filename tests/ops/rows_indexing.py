"""Op-table rows for the indexing primitives (keys with NumPy arrays work on every backend)."""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .table import F, Index, Row

FULL = slice(None)


def _scatter(values, shape, key):
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, key, values)
    return out


def _set(x, v, key, accumulate=False):
    out = x.copy()
    if accumulate:
        np.add.at(out, key, v)
    else:
        out[key] = v
    return out


def _put(values, shape, key):
    out = np.zeros(shape, dtype=values.dtype)
    out[key] = values
    return out


ROWS = [
    Row(
        ops.getitem,
        lambda x, key: x[key],
        (F(3, 4, 5),),
        static={"key": (1, None, Ellipsis, slice(1, 5, 2))},
        name="mixed",
    ),
    Row(
        ops.getitem,
        lambda x, key: x[key],
        (F(4, 5),),
        static={"key": (slice(None, None, -2),)},
        name="reversed",
    ),
    Row(ops.getitem, lambda x, key: x[key], (F(4, 5),), static={"key": (2, -1)}, name="scalar"),
    Row(
        ops.getitem_scatter,
        _put,
        (F(2, 5),),
        static={"shape": (4, 5), "key": (slice(1, 4, 2), Ellipsis)},
    ),
    Row(
        ops.index,
        lambda x, key: x[key],
        (F(3, 4, 5),),
        static={"key": (FULL, np.array([[0, 3], [3, 1]]))},
    ),
    Row(
        ops.index,
        lambda x, key: x[key],
        (F(3, 4, 5),),
        static={"key": (np.array([0, 2, 2]), FULL, np.array([1, 0, 4]))},
        name="apart",
    ),
    Row(
        ops.index_add_at,
        _scatter,
        (F(3, 2),),
        static={"shape": (4, 2), "key": (np.array([0, 3, 0]), FULL)},
        name="repeated",
    ),
    Row(
        ops.setitem,
        _set,
        (F(3, 4), F(2, 1)),
        static={"key": (slice(0, 2), slice(1, 3))},
        name="basic",
    ),
    Row(
        ops.setitem,
        _set,
        (F(3, 4), F(3)),
        static={"key": (np.array([2, 0, 1]), np.array([1, 1, 3]))},
        name="arrays",
    ),
    Row(
        ops.setitem,
        lambda x, v, key, accumulate: _set(x, v, key, accumulate),
        (F(3, 4), F(3, 4)),
        static={"key": (np.array([2, 0, 2]), FULL), "accumulate": True},
        name="accumulate",
    ),
    Row(
        ops.take,
        lambda x, i, axis: np.take(x, i, axis=axis),
        (F(3, 4), Index(2, 3, axis_len=12)),
        static={"axis": None},
        name="flat",
    ),
    Row(
        ops.take_along_axis,
        lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
        (F(3, 4), Index(5, 4, axis_len=3)),
        static={"axis": 0},
        name="first",
    ),
]
