"""Op-table rows for sorting, searching and set ops (ops/sorting.py, ops/sets.py)."""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .rows_reduction import Fn, first
from .table import F, I, Index, Row


def np_unique(x, output, axis=None):
    values, index, inverse, counts = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis
    )
    if axis is None:
        inverse = inverse.reshape(x.shape)
    return (values, index.astype(np.int64), inverse.astype(np.int64), counts.astype(np.int64))[
        output
    ]


def np_consecutive_values(x):
    flat = x.reshape(-1)
    keep = np.concatenate([[True], flat[1:] != flat[:-1]])
    return flat[keep]


def unique_output(index, **fixed):
    return Fn("unique_all", lambda x, **static: ops.unique_all(x, **fixed, **static)[index])


def _bincount(x, w):
    return ops.bincount(x, w, minlength=6)


ROWS = [
    Row(
        ops.argsort,
        lambda x, axis, descending=False: np.argsort(
            -x if descending else x, axis=axis, kind="stable"
        ),
        static={"axis": 1},
        grad=False,
    ),
    Row(
        ops.argsort,
        lambda x, axis, descending: np.argsort(-x, axis=axis, kind="stable"),
        static={"axis": 0, "descending": True},
        name="descending",
        grad=False,
    ),
    Row(Fn("sort", ops.sort), lambda x, axis: np.sort(x, axis=axis), static={"axis": 1}),
    Row(
        first(ops.topk),
        lambda x, k, axis: -np.sort(-x, axis=axis)[:, :k],
        static={"k": 2, "axis": 1},
    ),
    Row(
        first(ops.kthvalue),
        lambda x, k, axis: np.sort(x, axis=axis)[k - 1],
        static={"k": 2, "axis": 0},
    ),
    Row(
        Fn("searchsorted", lambda a, v, **k: ops.searchsorted(ops.sort(a), v, **k)),
        lambda a, v, side="left": np.searchsorted(np.sort(a), v, side=side),
        (F(6), F(3, 4)),
        grad=False,
    ),
    Row(
        Fn("searchsorted", lambda a, v, **k: ops.searchsorted(ops.sort(a), v, **k)),
        lambda a, v, side: np.stack(
            [np.searchsorted(r, w, side=side) for r, w in zip(np.sort(a), v)]
        ),
        (F(3, 5), F(3, 2)),
        static={"side": "right"},
        name="batched",
        grad=False,
    ),
    Row(
        ops.argwhere,
        lambda x: np.argwhere(x).astype(np.int64),
        (I(3, 4, low=-1, high=1),),
        grad=False,
        dtypes=("int64",),
    ),
    Row(
        unique_output(0),
        lambda x: np_unique(x, 0),
        (I(3, 4, low=0, high=3),),
        grad=False,
        dtypes=("int64",),
    ),
    *[
        Row(
            unique_output(i),
            lambda x, i=i: np_unique(x, i),
            (I(3, 4, low=0, high=3),),
            name=name,
            grad=False,
            dtypes=("int64",),
        )
        for i, name in ((1, "indices"), (2, "inverse"), (3, "counts"))
    ],
    Row(
        unique_output(0, axis=0),
        lambda x: np_unique(x, 0, axis=0),
        (I(6, 2, low=0, high=1),),
        name="rows",
        grad=False,
        dtypes=("int64",),
    ),
    Row(
        unique_output(0, consecutive=True),
        np_consecutive_values,
        (I(12, low=0, high=1),),
        name="consecutive",
        grad=False,
        dtypes=("int64",),
    ),
    Row(
        Fn("bincount", _bincount),
        lambda x, w: np.bincount(x, w, minlength=6).astype(w.dtype),
        (Index(8, axis_len=5), F(8)),
    ),
    Row(
        Fn("histc", ops.histc),
        lambda x, bins, min, max: np.histogram(x, bins=bins, range=(min, max))[0].astype(x.dtype),
        static={"bins": 5, "min": -1.0, "max": 1.5},
        grad=False,
    ),
]
