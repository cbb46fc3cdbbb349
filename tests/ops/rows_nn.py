"""Op-table rows for the nn primitives: convolutions, pooling, padding, embedding.

The NumPy references loop over kernel offsets on np.pad-ded input (slow and plain).
Primitives whose inputs must agree with each other (a max pool's gradient needs the
pool's own output) run through small wrappers that carry the primitive's name.
"""

from __future__ import annotations

import itertools

import numpy as np

from bridgetensor import ops

from .table import Arg, F, Index, Row

FULL = slice(None)


# ---------------------------------------------------------------- NumPy references


def _sweep(shape, kernel, stride, padding, dilation):
    padded = [n + lo + hi for n, (lo, hi) in zip(shape, padding)]
    out = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(padded, kernel, stride, dilation)]
    keys = {}
    for offsets in itertools.product(*[range(k) for k in kernel]):
        keys[offsets] = tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s)
            for i, d, s, o in zip(offsets, dilation, stride, out)
        )
    return out, keys


def np_windows(x, kernel, stride, padding, dilation, value=0.0):
    """(N, C, *kernel, *out) windows of x."""
    lead = x.ndim - len(kernel)
    padded = np.pad(x, [(0, 0)] * lead + list(padding), constant_values=value)
    out, keys = _sweep(x.shape[lead:], kernel, stride, padding, dilation)
    cols = np.empty(x.shape[:lead] + tuple(kernel) + tuple(out), x.dtype)
    for offsets, key in keys.items():
        cols[(Ellipsis, *offsets) + (FULL,) * len(out)] = padded[(Ellipsis, *key)]
    return cols


def np_conv(x, w, b=None, *, stride, padding, dilation, groups):
    nd = len(stride)
    cols = np_windows(x, w.shape[2:], stride, padding, dilation)
    cg, og = x.shape[1] // groups, w.shape[0] // groups
    parts = []
    for g in range(groups):
        part = np.tensordot(
            cols[:, g * cg : (g + 1) * cg],
            w[g * og : (g + 1) * og],
            axes=(list(range(1, 2 + nd)), list(range(1, 2 + nd))),
        )
        parts.append(np.moveaxis(part, -1, 1))
    y = np.concatenate(parts, axis=1)
    if b is not None:
        y = y + b.reshape((-1,) + (1,) * nd)
    return y


def np_conv_transpose(x, w, b=None, *, stride, padding, dilation, groups, size):
    nd = len(stride)
    n, c = x.shape[:2]
    cg, og = c // groups, w.shape[1]
    padded = [m + lo + hi for m, (lo, hi) in zip(size, padding)]
    y = np.zeros((n, og * groups, *padded), x.dtype)
    out = x.shape[2:]
    for offsets in itertools.product(*[range(k) for k in w.shape[2:]]):
        key = tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s)
            for i, d, s, o in zip(offsets, dilation, stride, out)
        )
        for g in range(groups):
            part = np.tensordot(
                x[:, g * cg : (g + 1) * cg],
                w[(slice(g * cg, (g + 1) * cg), FULL, *offsets)],
                (1, 0),
            )
            y[(FULL, slice(g * og, (g + 1) * og), *key)] += np.moveaxis(part, -1, 1)
    y = y[(FULL, FULL, *(slice(lo, m + lo) for m, (lo, _) in zip(size, padding)))]
    if b is not None:
        y = y + b.reshape((-1,) + (1,) * nd)
    return y


def np_conv_weight(x, g, *, stride, padding, dilation, groups, kernel):
    nd = len(stride)
    cols = np_windows(x, kernel, stride, padding, dilation)
    cols = cols[(Ellipsis, *(slice(0, m) for m in g.shape[2:]))]
    cg, og = x.shape[1] // groups, g.shape[1] // groups
    parts = []
    g_axes = [0, *range(2, 2 + nd)]
    cols_axes = [0, *range(2 + nd, 2 + 2 * nd)]
    for k in range(groups):
        part = np.tensordot(
            g[:, k * og : (k + 1) * og], cols[:, k * cg : (k + 1) * cg], (g_axes, cols_axes)
        )
        parts.append(part)
    return np.concatenate(parts, axis=0)


def np_im2col(x, *, kernel, stride, padding, dilation):
    cols = np_windows(x, kernel, stride, padding, dilation)
    return cols.reshape(x.shape[0], -1, int(np.prod(cols.shape[2 + len(kernel) :])))


def np_col2im(x, *, size, kernel, stride, padding, dilation):
    out, keys = _sweep(size, kernel, stride, padding, dilation)
    n = x.shape[0]
    cols = x.reshape(n, -1, *kernel, *out)
    y = np.zeros((n, cols.shape[1], *(m + lo + hi for m, (lo, hi) in zip(size, padding))), x.dtype)
    for offsets, key in keys.items():
        y[(FULL, FULL, *key)] += cols[(FULL, FULL, *offsets)]
    return y[(FULL, FULL, *(slice(lo, m + lo) for m, (lo, _) in zip(size, padding)))]


def _window_axes(x, kernel):
    lead = x.ndim - len(kernel)
    return tuple(range(lead, lead + len(kernel)))


def np_max_pool(x, *, kernel, stride, padding, dilation):
    cols = np_windows(x, kernel, stride, padding, dilation, value=-np.inf)
    return cols.max(axis=_window_axes(x, kernel))


def _first_max(x, kernel, stride, padding, dilation):
    """Window offsets (flat) of the first maximum, and the windows' sweep."""
    cols = np_windows(x, kernel, stride, padding, dilation, value=-np.inf)
    lead = x.ndim - len(kernel)
    flat = cols.reshape((*cols.shape[:lead], -1, *cols.shape[lead + len(kernel) :]))
    return flat.argmax(axis=lead)


def np_max_pool_backward(g, x, *, kernel, stride, padding, dilation):
    arg = _first_max(x, kernel, stride, padding, dilation)
    lead = x.ndim - len(kernel)
    _, keys = _sweep(x.shape[lead:], kernel, stride, padding, dilation)
    padded = np.zeros(
        x.shape[:lead] + tuple(m + lo + hi for m, (lo, hi) in zip(x.shape[lead:], padding)), g.dtype
    )
    for k, key in enumerate(keys.values()):
        padded[(Ellipsis, *key)] += np.where(arg == k, g, 0)
    return padded[(Ellipsis, *(slice(lo, m + lo) for m, (lo, _) in zip(x.shape[lead:], padding)))]


def np_max_pool_pick(gg, x, *, kernel, stride, padding, dilation):
    arg = _first_max(x, kernel, stride, padding, dilation)
    cols = np_windows(gg, kernel, stride, padding, dilation)
    lead = x.ndim - len(kernel)
    flat = cols.reshape((*cols.shape[:lead], -1, *cols.shape[lead + len(kernel) :]))
    picked = np.take_along_axis(flat, np.expand_dims(arg, lead), axis=lead)
    return np.squeeze(picked, lead)


def np_max_pool_indices(x, *, kernel, stride, padding, dilation):
    arg = _first_max(x, kernel, stride, padding, dilation)
    lead = x.ndim - len(kernel)
    out, _ = _sweep(x.shape[lead:], kernel, stride, padding, dilation)
    offsets = np.unravel_index(arg, kernel)
    flat = np.zeros(arg.shape, np.int64)
    for a, (o, s, (lo, _), d, n) in enumerate(zip(out, stride, padding, dilation, x.shape[lead:])):
        shape = [1] * len(out)
        shape[a] = o
        position = np.arange(o).reshape(shape) * s - lo + offsets[a] * d
        flat = flat * n + position
    return flat


def np_avg_pool(x, divisor, *, kernel, stride, padding):
    ones = (1,) * len(kernel)
    cols = np_windows(x, kernel, stride, padding, ones)
    return (cols.sum(axis=_window_axes(x, kernel)) / divisor).astype(x.dtype)


def np_avg_pool_spread(g, divisor, *, size, kernel, stride, padding):
    lead = g.ndim - len(kernel)
    ones = (1,) * len(kernel)
    _, keys = _sweep(size, kernel, stride, padding, ones)
    share = g / divisor
    y = np.zeros(g.shape[:lead] + tuple(m + lo + hi for m, (lo, hi) in zip(size, padding)), g.dtype)
    for key in keys.values():
        y[(Ellipsis, *key)] += share
    return y[(Ellipsis, *(slice(lo, m + lo) for m, (lo, _) in zip(size, padding)))]


def np_constant_pad(x, *, pads, value=0):
    lead = x.ndim - len(pads)
    key = (FULL,) * lead + tuple(
        slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(x.shape[lead:], pads)
    )
    grown = [(0, 0)] * lead + [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    return np.pad(x[key], grown, constant_values=value)


# ---------------------------------------------------------------- wrappers


class Named:
    """A callable standing for primitive `prim` in the table (the guard counts its name)."""

    def __init__(self, prim, call) -> None:
        self.prim = prim
        self.name = prim.name
        self.call = call

    def __call__(self, *args, **static):
        return self.call(*args, **static)


def _no_bias(prim):
    return Named(prim, lambda x, w, **static: prim(x, w, None, **static))


def _pool_backward(g, x, **geometry):
    return ops.max_pool_backward(g, x, ops.max_pool(x, **geometry), **geometry)


def _pool_pick(gg, x, **geometry):
    return ops.max_pool_pick(gg, x, ops.max_pool(x, **geometry), **geometry)


def _pool_indices(x, **geometry):
    return ops.max_pool_indices(x, ops.max_pool(x, **geometry), **geometry)


def _avg_uniform(prim):
    return Named(prim, lambda x, **static: prim(x, 4.0, **static))


def X(*shape):
    """Input that is not differentiated (it only places the maxima)."""
    return Arg(shape, -2.0, 2.0, differentiable=False)


def _geometry(nd, stride=1, pad=0, dilation=1):
    return {
        "kernel": (2,) * nd,
        "stride": (stride,) * nd,
        "padding": ((pad, pad),) * nd,
        "dilation": (dilation,) * nd,
    }


_CONV = {"stride": (2, 1), "padding": ((1, 0), (1, 1)), "dilation": (1, 2), "groups": 1}
_CONV_GROUPS = {"stride": (1, 1), "padding": ((1, 1), (0, 0)), "dilation": (1, 1), "groups": 2}
_close = {"rtol": 1e-4, "atol": 1e-5}
_POOL = {"kernel": (2, 3), "stride": (2, 1), "padding": ((1, 1), (1, 1)), "dilation": (1, 1)}
_AVG = {"kernel": (2, 3), "stride": (2, 1), "padding": ((1, 1), (1, 1))}

ROWS = [
    Row(ops.conv, np_conv, (F(2, 3, 5, 5), F(4, 3, 3, 2), F(4)), static=_CONV, **_close),
    Row(
        _no_bias(ops.conv),
        np_conv,
        (F(2, 4, 5, 4), F(6, 2, 3, 3)),
        static=_CONV_GROUPS,
        name="groups",
        **_close,
    ),
    Row(
        _no_bias(ops.conv),
        np_conv,
        (F(2, 6, 4, 3), F(4, 6, 3, 3)),
        static={"stride": (1, 1), "padding": ((1, 1), (1, 1)), "dilation": (1, 1), "groups": 1},
        name="channels_last",
        **_close,
    ),
    Row(
        ops.conv,
        np_conv,
        (F(2, 2, 7), F(3, 2, 3), F(3)),
        static={"stride": (2,), "padding": ((2, 1),), "dilation": (2,), "groups": 1},
        name="1d",
        **_close,
    ),
    Row(
        ops.conv_transpose,
        np_conv_transpose,
        (F(2, 3, 2, 4), F(3, 2, 3, 2), F(2)),
        static={**_CONV, "size": (5, 4)},
        **_close,
    ),
    Row(
        _no_bias(ops.conv_transpose),
        np_conv_transpose,
        (F(2, 4, 2, 2), F(4, 8, 3, 3)),
        static={
            "stride": (2, 2),
            "padding": ((1, 1), (1, 1)),
            "dilation": (1, 1),
            "groups": 1,
            "size": (4, 4),
        },
        name="channels_last",
        **_close,
    ),
    Row(
        _no_bias(ops.conv_transpose),
        np_conv_transpose,
        (F(2, 4, 4, 3), F(4, 1, 2, 2)),
        static={**_CONV_GROUPS, "size": (3, 4)},
        name="groups",
        **_close,
    ),
    Row(
        ops.conv_weight,
        np_conv_weight,
        (F(2, 3, 5, 5), F(2, 4, 2, 5)),
        static={**_CONV, "kernel": (3, 2)},
        **_close,
    ),
    Row(
        ops.conv_weight,
        np_conv_weight,
        (F(2, 6, 4, 3), F(2, 4, 4, 3)),
        static={
            "stride": (1, 1),
            "padding": ((1, 1), (1, 1)),
            "dilation": (1, 1),
            "groups": 1,
            "kernel": (3, 3),
        },
        name="channels_last",
        **_close,
    ),
    Row(
        ops.conv_weight,
        np_conv_weight,
        (F(2, 4, 5, 4), F(2, 6, 5, 2)),
        static={**_CONV_GROUPS, "kernel": (3, 3)},
        name="groups",
        **_close,
    ),
    Row(
        ops.im2col,
        np_im2col,
        (F(2, 3, 5, 4),),
        static={
            "kernel": (2, 3),
            "stride": (2, 1),
            "padding": ((1, 1), (0, 0)),
            "dilation": (1, 1),
        },
    ),
    Row(
        ops.col2im,
        np_col2im,
        (F(2, 12, 9),),
        static={
            "size": (4, 4),
            "kernel": (2, 2),
            "stride": (2, 1),
            "padding": ((1, 1), (0, 0)),
            "dilation": (1, 1),
        },
    ),
    Row(ops.max_pool, np_max_pool, (F(2, 3, 5, 6),), static=_POOL),
    Row(ops.max_pool, np_max_pool, (F(2, 3, 6, 4),), static=_geometry(2, stride=2), name="tiled"),
    Row(
        ops.max_pool,
        np_max_pool,
        (F(3, 7),),
        static=_geometry(1, stride=1, pad=1, dilation=2),
        name="1d",
    ),
    Row(
        Named(ops.max_pool_backward, _pool_backward),
        np_max_pool_backward,
        (F(2, 3, 3, 6), X(2, 3, 5, 6)),
        static=_POOL,
    ),
    Row(
        Named(ops.max_pool_backward, _pool_backward),
        np_max_pool_backward,
        (F(2, 3, 3, 2), X(2, 3, 7, 5)),
        static=_geometry(2, stride=2),
        name="tiled",
    ),
    Row(
        Named(ops.max_pool_pick, _pool_pick),
        np_max_pool_pick,
        (F(2, 3, 5, 6), X(2, 3, 5, 6)),
        static=_POOL,
    ),
    Row(
        Named(ops.max_pool_indices, _pool_indices),
        np_max_pool_indices,
        (X(2, 3, 5, 6),),
        static=_POOL,
        grad=False,
    ),
    Row(
        _avg_uniform(ops.avg_pool),
        lambda x, **s: np_avg_pool(x, 4.0, **s),
        (F(2, 3, 5, 6),),
        static=_AVG,
    ),
    Row(
        _avg_uniform(ops.avg_pool_spread),
        lambda g, **s: np_avg_pool_spread(g, 4.0, **s),
        (F(2, 3, 3, 6),),
        static={**_AVG, "size": (5, 6)},
    ),
    Row(
        ops.constant_pad,
        np_constant_pad,
        (F(2, 3, 4),),
        static={"pads": ((1, -1), (-2, 3)), "value": 0.5},
    ),
    Row(ops.embedding, lambda w, i: w[i], (F(5, 3), Index(2, 4, axis_len=5))),
    # NOTE: as torch, these gradients are not the derivative (the padding row gets none;
    # rows are divided by their counts): tests/nn/test_layers_sparse.py checks them.
    Row(
        ops.embedding,
        lambda w, i, **s: w[i],
        (F(5, 3), Index(2, 4, axis_len=5)),
        static={"padding_idx": 1},
        name="padding_idx",
        grad=False,
    ),
    Row(
        ops.embedding,
        lambda w, i, **s: w[i],
        (F(5, 3), Index(6, axis_len=5)),
        static={"scale_grad_by_freq": True},
        name="freq",
        grad=False,
    ),
]
