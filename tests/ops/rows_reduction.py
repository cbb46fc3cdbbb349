"""Op-table rows for scans and statistics (ops/cumulative.py, ops/statistics.py).

Composites get rows too (through `Fn`), so the generic gradient and second-order
checks cover var, softmax, median, quantile and the rest, not only the primitives.
"""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .table import F, I, Row


class Fn:
    """A callable with a name, for rows that check a composite or one output of an op."""

    def __init__(self, name, fn):
        self.name = name
        self.fn = fn

    def __call__(self, *args, **static):
        return self.fn(*args, **static)


def first(prim, index=0):
    """The `index`-th output of a multi-output op, under the op's own name."""
    return Fn(
        prim.name if hasattr(prim, "name") else prim.__name__, lambda *a, **k: prim(*a, **k)[index]
    )


def np_cumsum(x, axis=None, dtype=None, include_initial=False):
    out = np.cumsum(x, axis=axis)
    if include_initial:
        shape = list(out.shape)
        shape[axis] = 1
        out = np.concatenate([np.zeros(shape, out.dtype), out], axis=axis)
    return out


def np_cumprod(x, axis=None, dtype=None, include_initial=False):
    out = np.cumprod(x, axis=axis)
    if include_initial:
        shape = list(out.shape)
        shape[axis] = 1
        out = np.concatenate([np.ones(shape, out.dtype), out], axis=axis)
    return out


def np_running_arg(x, axis=-1, largest=True):
    """Index of the running max (min), later ties winning: a plain loop as reference."""
    moved = np.moveaxis(x, axis, -1)
    out = np.zeros(moved.shape, dtype=np.int64)
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx]
        best = 0
        for i in range(row.shape[0]):
            if (row[i] >= row[best]) if largest else (row[i] <= row[best]):
                best = i
            out[(*idx, i)] = best
    return np.moveaxis(out, -1, axis)


def np_running(x, axis=-1, largest=True):
    return np.take_along_axis(x, np_running_arg(x, axis, largest), axis=axis)


def np_logcumsumexp(x, axis=-1):
    return np.log(np.cumsum(np.exp(x), axis=axis))


def np_lower_median(x, axis=-1):
    n = x.shape[axis]
    return np.take(np.sort(x, axis=axis), (n - 1) // 2, axis=axis)


def np_lower_median_index(x, axis=-1):
    n = x.shape[axis]
    return np.take(np.argsort(x, axis=axis, kind="stable"), (n - 1) // 2, axis=axis)


def np_mode_index(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    out = np.zeros((*moved.shape[:-1], 1), dtype=np.int64)
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx]
        values, counts = np.unique(row, return_counts=True)
        winner = values[np.argmax(counts)]
        out[(*idx, 0)] = np.flatnonzero(row == winner)[-1]
    return np.moveaxis(out, -1, axis)


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _q(x, q, **static):
    from bridgetensor import tensor

    return ops.quantile(x, tensor(np.asarray(q, dtype=x.dtype.name)), **static)


ROWS = [
    # scans
    Row(ops.cumulative_sum, np_cumsum, static={"axis": 1}),
    Row(
        ops.cumulative_sum,
        np_cumsum,
        static={"axis": 0, "include_initial": True},
        name="include_initial",
    ),
    Row(ops.cumulative_prod, np_cumprod, static={"axis": 1}, rtol=1e-4),
    Row(
        ops.cumulative_prod,
        np_cumprod,
        static={"axis": 0, "include_initial": True},
        name="include_initial",
        rtol=1e-4,
    ),
    Row(ops.cumulative_argmax, np_running_arg, static={"axis": 1}, grad=False),
    Row(
        ops.cumulative_argmin,
        lambda x, axis: np_running_arg(x, axis, largest=False),
        (I(3, 6, low=0, high=3),),
        static={"axis": 1},
        grad=False,
        dtypes=("int64",),
    ),
    Row(first(ops.cumulative_max), np_running, static={"axis": 1}),
    Row(first(ops.cumulative_min), lambda x, axis: np_running(x, axis, False), static={"axis": 0}),
    Row(Fn("logcumsumexp", ops.logcumsumexp), np_logcumsumexp, static={"axis": 1}),
    Row(
        Fn("diff", ops.diff),
        lambda x, axis, n: np.diff(x, n=n, axis=axis),
        static={"axis": 0, "n": 2},
    ),
    # statistics
    Row(
        Fn("var", ops.var),
        lambda x, axis, correction: np.var(x, axis=axis, ddof=correction),
        static={"axis": 1, "correction": 1},
    ),
    Row(
        Fn("std", ops.std),
        lambda x, axis, correction: np.std(x, axis=axis, ddof=correction),
        static={"axis": 0, "correction": 0},
    ),
    Row(
        Fn("logsumexp", ops.logsumexp),
        lambda x, axis: np.log(np.exp(x).sum(axis=axis)),
        static={"axis": 1},
    ),
    Row(Fn("softmax", ops.softmax), np_softmax, static={"axis": 1}),
    Row(
        Fn("log_softmax", ops.log_softmax),
        lambda x, axis: np.log(np_softmax(x, axis)),
        static={"axis": 0},
    ),
    Row(Fn("nansum", ops.nansum), np.nansum, static={"axis": 1}),
    Row(Fn("nanmean", ops.nanmean), np.nanmean, static={"axis": 0}),
    Row(
        Fn("count_nonzero", ops.count_nonzero),
        lambda x, axis: np.count_nonzero(x, axis=axis).astype(np.int64),
        (I(low=-1, high=1),),
        static={"axis": 1},
        grad=False,
        dtypes=("int64",),
    ),
    Row(first(ops.median), np_lower_median, static={"axis": 1}),
    Row(
        first(ops.median, 1),
        np_lower_median_index,
        static={"axis": 0},
        name="indices",
        grad=False,
    ),
    Row(Fn("median_all", ops.median_all), lambda x: np_lower_median(x.reshape(-1), 0)),
    Row(
        Fn("quantile", _q),
        lambda x, q, axis: np.quantile(x, q, axis=axis).astype(x.dtype),
        (F(3, 5),),
        static={"q": [0.2, 0.5, 0.9], "axis": 1},
        rtol=1e-4,
    ),
    Row(
        ops.argmode,
        np_mode_index,
        (I(3, 7, low=0, high=3),),
        static={"axis": 1},
        grad=False,
        dtypes=("int64",),
    ),
    Row(
        first(ops.mode),
        lambda x, axis: np.squeeze(np.take_along_axis(x, np_mode_index(x, axis), axis), axis),
        static={"axis": 1},
    ),
]
