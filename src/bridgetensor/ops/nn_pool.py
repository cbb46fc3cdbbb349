"""Pooling primitives: max and average over strided windows, with their adjoints.

Windows are strided slices of the padded input (as in nn_conv), reduced elementwise across
the kernel offsets: no window array is materialised. They are primitives for speed: the
composite (one slice node per kernel offset, a stack, a max and a gather) recorded 8 nodes
for a 2x2 max pool and made the CNN benchmark step about 1.4x slower.

    max_pool(x) -> (values, indices)   indices: flat positions in each input plane (torch's)
    max_pool_scatter(g, indices)       the gradient: g put back at those positions
    avg_pool(x, divisor)               window sums / divisor (a number or an array of out's shape)
    avg_pool_spread(g, divisor)        its adjoint: g / divisor added back over each window
"""

from __future__ import annotations

import math

from .._backend import backend_of_array
from ..autograd._primitive import primitive
from ._windows import add_into, crop, out_size, overlapping, pad_constant, put, window_keys
from .manipulation import reshape

__all__ = ["avg_pool", "avg_pool_spread", "max_pool", "max_pool_scatter"]


def _first_valid(xp, out, kernel, stride, padding, dilation, size):
    """Flat input index of each window's first non-padding position (torch's index when
    every value in the window is -inf)."""
    flat = None
    for axis, (o, k, s, (lo, _), d, n) in enumerate(
        zip(out, kernel, stride, padding, dilation, size)
    ):
        starts = []
        for i in range(o):
            begin = i * s - lo
            first = 0 if begin >= 0 else -(begin // d)  # the smallest offset at or past 0
            starts.append(begin + min(first, k - 1) * d)
        shape = [1] * len(out)
        shape[axis] = o
        position = xp.reshape(xp.asarray(starts, dtype=xp.int64), tuple(shape))
        flat = position if flat is None else flat * n + position
    return flat


def _flat_positions(xp, arg, out, kernel, stride, padding, dilation, size):
    """Flat input index of the chosen kernel offset `arg` of each window."""
    steps = [math.prod(size[a + 1 :]) for a in range(len(size))]
    table = []
    for k in range(math.prod(kernel)):
        offset, rest = 0, k
        for a in reversed(range(len(kernel))):
            rest, i = divmod(rest, kernel[a])
            offset += i * dilation[a] * steps[a]
        table.append(offset)
    base = None
    for axis, (o, s, (lo, _)) in enumerate(zip(out, stride, padding)):
        shape = [1] * len(out)
        shape[axis] = o
        starts = xp.reshape(
            xp.asarray([i * s - lo for i in range(o)], dtype=xp.int64), tuple(shape)
        )
        term = starts * steps[axis]
        base = term if base is None else base + term
    if len(table) == 1:
        return arg + (base + table[0])
    chosen = xp.take(xp.asarray(table, dtype=xp.int64), xp.reshape(arg, (-1,)))
    return xp.reshape(chosen, arg.shape) + base


@primitive(dtypes=None, outputs=2, grad_name="MaxPool2DWithIndicesBackward0")
def max_pool(x, /, *, xp, kernel, stride, padding, dilation):
    """Window maxima of x (*lead, *size) and their flat indices in each input plane
    (the spatial axes are the last len(kernel)).

    NOTE: as torch, the first maximum in row-major window order wins ties, and a NaN
    counts as a maximum (the last NaN of a window is chosen).
    """
    lead = x.ndim - len(kernel)
    size = tuple(x.shape[lead:])
    out = out_size(size, kernel, stride, padding, dilation)
    floating = xp.isdtype(x.dtype, "real floating")
    lowest = -math.inf if floating else xp.iinfo(x.dtype).min
    padded = pad_constant(xp, x, padding, lowest)
    keys = window_keys(tuple(kernel), tuple(stride), tuple(dilation), out, lead)
    best = padded[keys[0]]
    arg = xp.zeros(best.shape, dtype=xp.int64)
    for k in range(1, len(keys)):
        value = padded[keys[k]]
        better = (value > best) | xp.isnan(value) if floating else value > best
        best = xp.where(better, value, best)
        arg = xp.where(better, k, arg)
    if len(keys) == 1:
        best = xp.asarray(best, copy=True)
    indices = _flat_positions(xp, arg, out, kernel, stride, padding, dilation, size)
    if floating and any(lo or hi for lo, hi in padding):
        # A window whose values are all -inf keeps offset 0, which may be padding: torch
        # reports its first position inside the input instead.
        lost = best == -math.inf
        if bool(xp.any(lost)):
            first = _first_valid(xp, out, kernel, stride, padding, dilation, size)
            indices = xp.where(lost, first, indices)
    return best, indices


max_pool.defvjp(
    lambda g, out, x, *, kernel, stride, padding, dilation: max_pool_scatter(
        g[0],
        out[1],
        size=tuple(x.shape[x.ndim - len(kernel) :]),
        overlap=overlapping(kernel, stride, dilation),
    )
)


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def max_pool_scatter(g, indices, /, *, xp, size, overlap=True):
    """Zeros of (*lead, *size) with g (*lead, *out) added at `indices`, flat positions in
    each plane of `size`."""
    lead = g.shape[: g.ndim - len(size)]
    planes = math.prod(lead)
    be = backend_of_array(g)
    target = xp.zeros((planes, math.prod(size)), dtype=g.dtype)
    if planes and target.shape[1]:
        rows = xp.reshape(xp.arange(planes, dtype=xp.int64), (planes, 1))
        key = (rows, xp.reshape(indices, (planes, -1)))
        values = xp.reshape(g, (planes, -1))
        # Windows that cannot overlap pick each position at most once: a plain write.
        if overlap:
            target = be.scatter_add(target, key, values)
        else:
            target = be.index_put(target, key, values)
    return xp.reshape(target, (*lead, *size))


def _gather_planes(gg, indices, size):
    """gg (*lead, *size) read at `indices` (*lead, *out) of each plane: the adjoint of
    `max_pool_scatter`."""
    from .indexing import take_along_axis

    planes = math.prod(indices.shape[: indices.ndim - len(size)])
    flat = reshape(gg, shape=(planes, -1))
    picked = take_along_axis(flat, reshape(indices, shape=(planes, -1)), axis=-1)
    return reshape(picked, shape=tuple(indices.shape))


max_pool_scatter.defvjp(
    lambda gg, out, g, indices, *, size, overlap=True: _gather_planes(gg, indices, size), None
)


# ---------------------------------------------------------------- average


@primitive(dtypes=None, grad_name="AvgPool2DBackward0")
def avg_pool(x, divisor, /, *, xp, kernel, stride, padding):
    """Sums over zero-padded windows of x (*lead, *size), divided by `divisor`."""
    lead = x.ndim - len(kernel)
    ones = (1,) * len(kernel)
    out = out_size(tuple(x.shape[lead:]), kernel, stride, padding, ones)
    padded = pad_constant(xp, x, padding)
    keys = window_keys(tuple(kernel), tuple(stride), ones, out, lead)
    if len(keys) == 1:
        total = xp.asarray(padded[keys[0]], copy=True)
    else:
        # In row-major window order, as torch adds them.
        total = padded[keys[0]] + padded[keys[1]]
        for key in keys[2:]:
            total += padded[key]
    if not xp.isdtype(x.dtype, ("real floating", "complex floating")):
        # NOTE: integer means truncate toward zero, as torch's integer division.
        return xp.astype(xp.trunc(xp.astype(total, xp.float64) / divisor), x.dtype)
    total /= divisor
    return total


avg_pool.defvjp(
    lambda g, out, x, divisor, *, kernel, stride, padding: avg_pool_spread(
        g,
        divisor,
        size=tuple(x.shape[x.ndim - len(kernel) :]),
        kernel=kernel,
        stride=stride,
        padding=padding,
    ),
    None,
)


@primitive(dtypes=None, grad_name="AvgPool2DBackwardBackward0")
def avg_pool_spread(g, divisor, /, *, xp, size, kernel, stride, padding):
    """The adjoint of `avg_pool`: each window of the input receives g / divisor."""
    share = g / divisor
    lead = g.ndim - len(kernel)
    ones = (1,) * len(kernel)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(size, padding))
    y = xp.zeros((*g.shape[:lead], *padded), dtype=g.dtype)
    keys = window_keys(tuple(kernel), tuple(stride), ones, tuple(g.shape[lead:]), lead)
    write = add_into if overlapping(kernel, stride, ones) else put
    for key in keys:
        y = write(y, key, share)
    return crop(xp, y, padding)


avg_pool_spread.defvjp(
    lambda gg, out, g, divisor, *, size, kernel, stride, padding: avg_pool(
        gg, divisor, kernel=kernel, stride=stride, padding=padding
    ),
    None,
)
