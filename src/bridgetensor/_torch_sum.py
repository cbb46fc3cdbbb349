"""Floating-point sums in the order torch's CPU kernel adds, so results match to the bit.

Rounding depends on the order of additions, and `.item()` shows every bit: torch's
`a.mean()` of the seed notebook's 3x3 float32 tensor is 0.6923689246177673, NumPy's
pairwise sum gives 0.6923688054084778. torch's kernel (ATen's SumKernel, "cascade
sum", used for floating types with AVX2 vectors of 32 bytes) accumulates in the input's
dtype: 4 interleaved accumulators ("ilp") of vector lanes, each a 4-level cascade of
sequential sums over blocks of `step` rows, then the lanes one after another.

This module replays that order with NumPy array operations (sequential sums become
`np.add.accumulate` along an axis), for the two layouts torch vectorises: reducing the
trailing axes of a C-contiguous array ("inner") and reducing the leading ones ("outer").
Other layouts, and arrays past torch's one-thread grain size (32768 elements, where
torch's result depends on its thread count anyway), use NumPy's pairwise sum.
"""

from __future__ import annotations

import numpy as np

__all__ = ["torch_order_sum"]

_VECTOR_BYTES = 32  # AVX2: torch's sum kernel is not built for AVX-512
_ILP = 4
_LEVELS = 4
_GRAIN = 32768
_add = np.add


def _ceil_log2(n: int) -> int:
    return 1 if n <= 2 else (n - 1).bit_length()


def _sequential(values: np.ndarray, axis: int) -> np.ndarray:
    """Left-to-right sum along `axis` (0 when empty).

    NumPy reduces a non-last axis of a C-ordered array row by row (sequentially) as long
    as the trailing axes hold two or more elements; callers keep such a trailing axis.
    (torch's accumulators start at +0, so its sums are never -0: the caller adds +0 once
    at the end, which changes nothing else.)
    """
    return _add.reduce(values, axis=axis)


def _last_axis_sequential(values: np.ndarray) -> np.ndarray:
    """Left-to-right sum along the last axis (accumulate is always sequential)."""
    return _add.accumulate(values, axis=-1)[..., -1]


def _cascade(rows: np.ndarray) -> np.ndarray:
    """torch's multi_row_sum: rows (batch, size, ...) summed over `size` as its 4 levels do.

    Level 0 sums blocks of `step` rows in order and hands each block's sum to level 1;
    levels 1 and 2 hand their sums on every `step` entries; level 3 keeps everything.
    The four levels are added at the end.
    """
    size = rows.shape[1]
    power = max(4, _ceil_log2(size) // _LEVELS)
    step = 1 << power
    if size < step:  # no full block: the whole sum stays in level 0
        return _sequential(rows, 1)
    batch, rest = rows.shape[0], rows.shape[2:]
    blocks = size // step
    carried = _sequential(rows[:, : blocks * step].reshape(batch, blocks, step, *rest), 2)
    total = _sequential(rows[:, blocks * step :], 1)
    for _ in range(_LEVELS - 2):
        groups = carried.shape[1] // step
        total = total + _sequential(carried[:, groups * step :], 1)
        carried = _sequential(carried[:, : groups * step].reshape(batch, groups, step, *rest), 2)
    return total + _sequential(carried, 1)


def _row_sum(x: np.ndarray) -> np.ndarray:
    """torch's row_sum over axis 1 of x (batch, size, ...): 4 interleaved cascades."""
    size = x.shape[1]
    groups = size // _ILP
    interleaved = x[:, : groups * _ILP].reshape(x.shape[0], groups, _ILP, *x.shape[2:])
    partial = _cascade(interleaved)  # (batch, ILP, ...)
    first = partial[:, 0]
    for i in range(groups * _ILP, size):
        first = first + x[:, i]
    for k in range(1, _ILP):
        first = first + partial[:, k]
    return first


def _small_total(x: np.ndarray, lanes: int) -> np.ndarray:
    """The whole sum of a short 1-D array (no full cascade block), in as few calls as can be.

    The same order as `_inner` for one row: per-lane interleaved sums, the leftover
    vectors added to the first accumulator, the accumulators combined, then the leftover
    elements and the lanes one after another. Two-dimensional reductions only: NumPy sets
    up 3-D ones markedly slower.
    """
    n = x.shape[0]
    if n < lanes:  # torch's scalar path: 4 interleaved accumulators over single elements
        groups = n // _ILP
        partial = _add.reduce(x[: groups * _ILP].reshape(groups, _ILP), axis=0)
        return _add.accumulate(np.concatenate((partial[:1], x[groups * _ILP :], partial[1:])))[-1]
    vectors = n // lanes
    width = _ILP * lanes
    groups = vectors // _ILP
    partial = _add.reduce(x[: groups * width].reshape(groups, width), axis=0)
    accumulators = np.concatenate(
        (partial[:lanes], x[groups * width : vectors * lanes], partial[lanes:])
    ).reshape(-1, lanes)
    lane_sums = _add.reduce(accumulators, axis=0)
    return _add.accumulate(np.concatenate((x[vectors * lanes :], lane_sums)))[-1]


def _inner(x: np.ndarray) -> np.ndarray:
    """Sums of the rows of a C-contiguous (rows, n) array, as vectorized_inner_sum."""
    rows, n = x.shape
    lanes = _VECTOR_BYTES // x.itemsize
    if rows == 1 and n < lanes * _ILP * 16:
        return _small_total(x[0], lanes).reshape(1)
    if n < lanes:
        return _row_sum(x)
    vectors = n // lanes
    lane_sums = _row_sum(x[:, : vectors * lanes].reshape(rows, vectors, lanes))
    # The leftover elements are summed first, then the vector's lanes one by one.
    tail = x[:, vectors * lanes :]
    return _last_axis_sequential(np.concatenate((tail, lane_sums), axis=1))


def _outer(x: np.ndarray) -> np.ndarray:
    """Sums over axis 0 of a C-contiguous (size, columns) array, as torch's outer sums."""
    size, columns = x.shape
    lanes = _VECTOR_BYTES // x.itemsize
    # Groups of 4 vectors (4 columns on the scalar path, used below one vector's width)
    # each get one cascade per column; the other columns the interleaved row_sum.
    wide = _ILP * lanes if columns >= lanes else _ILP
    j = columns - columns % wide
    out = np.empty(columns, dtype=x.dtype)
    if j:
        block = x[:, :j].reshape(size, j // wide, wide).transpose(1, 0, 2)
        out[:j] = _cascade(np.ascontiguousarray(block)).reshape(j)
    if j < columns:
        out[j:] = _row_sum(np.ascontiguousarray(x[:, j:].T))
    return out


_SMALL = {"f": 8 * _ILP * 16, "d": 4 * _ILP * 16}  # below these no full cascade block forms
_LANES = {"f": 8, "d": 4}


def torch_order_sum(x: np.ndarray, axis, keepdims: bool) -> np.ndarray | None:
    """x summed over `axis` in torch's order, or None when torch's order is not replayed."""
    char = x.dtype.char
    if axis is None and char in _SMALL and 0 < x.size < _SMALL[char] and x.flags.c_contiguous:
        # The common case, kept short: a whole small tensor, as in `x.sum().item()`.
        total = _small_total(x.reshape(-1), _LANES[char]) + 0.0
        return total.reshape((1,) * x.ndim) if keepdims else total
    return _general(x, axis, keepdims)


def _general(x: np.ndarray, axis, keepdims: bool) -> np.ndarray | None:
    if x.dtype.kind != "f" or x.itemsize < 4 or x.size > _GRAIN or x.size == 0:
        return None
    if not x.flags.c_contiguous:
        return None
    ndim = x.ndim
    axes = (
        tuple(range(ndim))
        if axis is None
        else (tuple(sorted(a % ndim for a in axis)) if isinstance(axis, tuple) else (axis % ndim,))
    )
    if not axes:
        return None
    kept = [n for i, n in enumerate(x.shape) if i not in axes]
    reduced = 1
    for a in axes:
        reduced *= x.shape[a]
    if axes == tuple(range(ndim - len(axes), ndim)):
        result = _inner(x.reshape(-1, reduced)).reshape(kept)
    elif axes == tuple(range(len(axes))) and reduced > 1:
        result = _outer(x.reshape(reduced, -1)).reshape(kept)
    else:
        return None
    result = result + 0.0  # torch's sums start at +0, so they are never -0
    if keepdims:
        result = result.reshape([1 if i in axes else n for i, n in enumerate(x.shape)])
    return result
