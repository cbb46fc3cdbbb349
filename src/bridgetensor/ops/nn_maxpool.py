"""Max pooling as primitives, with torch's gradient routing.

    max_pool(x)                      window maxima (a maximum over one strided slice per
                                     kernel offset; no window array is built)
    max_pool_backward(g, x, out)     g sent to each window's first maximum (its VJP)
    max_pool_pick(gg, x, out)        gg read at each window's first maximum (the adjoint)
    max_pool_indices(x)              torch's flat indices of the maxima (return_indices)

The values and the gradient are separate from the indices: the gradient finds the maxima
again by comparing the input with the output (one comparison per offset, or one for the
whole input when windows tile it), which measured cheaper than building torch's flat
indices in the forward and scattering through them (2x2 pooling of 64x16x6x6: about
1.8x faster forward and backward). The composite of slices, a stack, a max and a gather
recorded 8 nodes and made the CNN benchmark step about 1.4x slower.

NOTE: as torch, the first maximum in row-major window order takes the gradient at ties,
and a NaN is a maximum (the last NaN of a window takes it).
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._windows import FULL, add_into, crop, out_size, overlapping, pad_constant, put, window_keys

__all__ = ["max_pool", "max_pool_backward", "max_pool_indices", "max_pool_pick"]


def _floating(xp, x) -> bool:
    return xp.isdtype(x.dtype, "real floating")


def _lowest(xp, x):
    return -math.inf if _floating(xp, x) else xp.iinfo(x.dtype).min


class _Sweep:
    """The geometry of one pooling call on an input of `shape`."""

    __slots__ = ("dilation", "kernel", "keys", "lead", "out", "padding", "size", "stride")

    def __init__(self, shape, kernel, stride, padding, dilation) -> None:
        self.kernel, self.stride, self.padding, self.dilation = kernel, stride, padding, dilation
        self.lead = len(shape) - len(kernel)
        self.size = tuple(shape[self.lead :])
        self.out = out_size(self.size, kernel, stride, padding, dilation)
        self.keys = window_keys(tuple(kernel), tuple(stride), tuple(dilation), self.out, self.lead)

    def tiles(self) -> bool:
        """Whether the windows tile the input's leading corner: no padding, no dilation,
        stride == kernel (then a reshape shows every window as a pair of axes)."""
        return all(
            s == k and d == 1 and lo == 0 and hi == 0
            for k, s, d, (lo, hi) in zip(self.kernel, self.stride, self.dilation, self.padding)
        )

    def tiled(self, xp, x):
        """x (*lead, *size) as (*lead, o1, k1, o2, k2, ...) (the part the windows cover)."""
        covered = tuple(o * k for o, k in zip(self.out, self.kernel))
        if covered != self.size:
            x = x[(FULL,) * self.lead + tuple(slice(0, n) for n in covered)]
        shape = tuple(x.shape[: self.lead]) + tuple(
            n for o, k in zip(self.out, self.kernel) for n in (o, k)
        )
        return xp.reshape(x, shape)

    def spread_shape(self, values_shape) -> tuple:
        """The shape that puts a window axis of length 1 after each output axis."""
        return tuple(values_shape[: self.lead]) + tuple(n for o in self.out for n in (o, 1))

    def window_axes(self) -> tuple:
        return tuple(self.lead + 2 * a + 1 for a in range(len(self.kernel)))


def _exact_offsets(xp, padded, sweep):
    """The chosen kernel offset of each window by torch's scan: a later value wins if it
    is greater or NaN."""
    floating = _floating(xp, padded)
    best = padded[sweep.keys[0]]
    arg = xp.zeros(best.shape, dtype=xp.int64)
    for k in range(1, len(sweep.keys)):
        value = padded[sweep.keys[k]]
        better = (value > best) | xp.isnan(value) if floating else value > best
        best = xp.where(better, value, best)
        arg = xp.where(better, k, arg)
    return arg


def _first_valid_offsets(xp, sweep):
    """Each window's first kernel offset inside the unpadded input (torch's choice when
    the window holds only -inf)."""
    found = None
    for axis, (o, k, s, (lo, _), d) in enumerate(
        zip(sweep.out, sweep.kernel, sweep.stride, sweep.padding, sweep.dilation)
    ):
        offsets = []
        for i in range(o):
            begin = i * s - lo
            offsets.append(min(0 if begin >= 0 else -(begin // d), k - 1))
        shape = [1] * len(sweep.out)
        shape[axis] = o
        column = xp.reshape(xp.asarray(offsets, dtype=xp.int64), tuple(shape))
        found = column if found is None else found * k + column
    return found


def _offsets(xp, x, values, sweep):
    """torch's chosen kernel offset of every window (the exact, slower path)."""
    padded = pad_constant(xp, x, sweep.padding, _lowest(xp, x))
    arg = _exact_offsets(xp, padded, sweep)
    if _floating(xp, x) and any(lo or hi for lo, hi in sweep.padding):
        empty = values == -math.inf
        if bool(xp.any(empty)):
            arg = xp.where(empty, _first_valid_offsets(xp, sweep), arg)
    return arg


def _simple(xp, values, sweep) -> bool:
    """Whether comparing with the maxima finds torch's choice: no NaN maximum, and no
    all -inf window that padding could claim."""
    if not _floating(xp, values):
        return True
    if bool(xp.any(xp.isnan(values))):
        return False
    if any(lo or hi for lo, hi in sweep.padding):
        return not bool(xp.any(values == -math.inf))
    return True


def _tiled_mask(xp, x, values, sweep):
    """Boolean (*lead, o1, k1, o2, k2, ...) of each window's chosen position."""
    spread = xp.reshape(values, sweep.spread_shape(values.shape))
    tiled = sweep.tiled(xp, x)
    if _simple(xp, values, sweep):
        equal = tiled == spread
        if int(xp.count_nonzero(equal)) == math.prod(values.shape):
            return equal  # exactly one maximum per window: no tie to break
    arg = xp.reshape(_offsets(xp, x, values, sweep), spread.shape)
    # The row-major offset of each position within its window, on the window axes.
    shape = (1,) * sweep.lead + tuple(n for k in sweep.kernel for n in (1, k))
    grid = xp.reshape(xp.arange(math.prod(sweep.kernel), dtype=xp.int64), shape)
    return arg == grid


def _hits(xp, x, values, sweep):
    """One boolean array per kernel offset (of the output's shape): whether that offset is
    its window's chosen position."""
    padded = pad_constant(xp, x, sweep.padding, _lowest(xp, x))
    if _simple(xp, values, sweep):
        hits, taken = [], None
        for key in sweep.keys:
            equal = padded[key] == values
            hits.append(equal if taken is None else equal & ~taken)
            taken = equal if taken is None else taken | equal
        return hits
    arg = _offsets(xp, x, values, sweep)
    return [arg == k for k in range(len(sweep.keys))]


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackward0")
def max_pool(x, /, *, xp, kernel, stride, padding, dilation):
    """Window maxima of x (*lead, *size); the spatial axes are the last len(kernel)."""
    sweep = _Sweep(x.shape, kernel, stride, padding, dilation)
    padded = pad_constant(xp, x, padding, _lowest(xp, x))
    keys = sweep.keys
    if len(keys) == 1:
        return xp.asarray(padded[keys[0]], copy=True)
    best = xp.maximum(padded[keys[0]], padded[keys[1]])
    for key in keys[2:]:
        best = xp.maximum(best, padded[key])
    return best


max_pool.defvjp(
    lambda g, out, x, *, kernel, stride, padding, dilation: max_pool_backward(
        g, x, out, kernel=kernel, stride=stride, padding=padding, dilation=dilation
    )
)


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def max_pool_backward(g, x, values, /, *, xp, kernel, stride, padding, dilation):
    """g (the output's gradient) sent to each window's chosen maximum in x's shape."""
    sweep = _Sweep(x.shape, kernel, stride, padding, dilation)
    if sweep.tiles():
        mask = _tiled_mask(xp, x, values, sweep)
        spread = xp.reshape(g, sweep.spread_shape(g.shape))
        grad = xp.where(mask, spread, xp.zeros((), dtype=g.dtype))
        covered = tuple(o * k for o, k in zip(sweep.out, sweep.kernel))
        grad = xp.reshape(grad, (*g.shape[: sweep.lead], *covered))
        if covered == sweep.size:
            return grad
        return pad_constant(xp, grad, tuple((0, n - c) for n, c in zip(sweep.size, covered)))
    hits = _hits(xp, x, values, sweep)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(sweep.size, padding))
    result = xp.zeros((*x.shape[: sweep.lead], *padded), dtype=g.dtype)
    write = add_into if overlapping(kernel, stride, dilation) else put
    zero = xp.zeros((), dtype=g.dtype)
    for key, hit in zip(sweep.keys, hits):
        result = write(result, key, xp.where(hit, g, zero))
    return crop(xp, result, padding)


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def max_pool_pick(gg, x, values, /, *, xp, kernel, stride, padding, dilation):
    """gg (in x's shape) read at each window's chosen maximum (the output's shape)."""
    sweep = _Sweep(x.shape, kernel, stride, padding, dilation)
    zero = xp.zeros((), dtype=gg.dtype)
    if sweep.tiles():
        mask = _tiled_mask(xp, x, values, sweep)
        picked = xp.where(mask, sweep.tiled(xp, gg), zero)
        return xp.sum(picked, axis=sweep.window_axes())
    hits = _hits(xp, x, values, sweep)
    source = pad_constant(xp, gg, padding)
    total = None
    for key, hit in zip(sweep.keys, hits):
        term = xp.where(hit, source[key], zero)
        total = term if total is None else total + term
    return total


# Both are linear in their first input and constant in the others (piecewise), as torch.
max_pool_backward.defvjp(
    lambda gg, out, g, x, values, *, kernel, stride, padding, dilation: max_pool_pick(
        gg, x, values, kernel=kernel, stride=stride, padding=padding, dilation=dilation
    ),
    None,
    None,
)
max_pool_pick.defvjp(
    lambda g, out, gg, x, values, *, kernel, stride, padding, dilation: max_pool_backward(
        g, x, values, kernel=kernel, stride=stride, padding=padding, dilation=dilation
    ),
    None,
    None,
)


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackward0")
def max_pool_indices(x, values, /, *, xp, kernel, stride, padding, dilation):
    """torch's indices of the maxima: flat positions in each plane of the unpadded input."""
    sweep = _Sweep(x.shape, kernel, stride, padding, dilation)
    arg = _offsets(xp, x, values, sweep)
    steps = [math.prod(sweep.size[a + 1 :]) for a in range(len(sweep.size))]
    table = []
    for k in range(math.prod(kernel)):
        offset, rest = 0, k
        for a in reversed(range(len(kernel))):
            rest, i = divmod(rest, kernel[a])
            offset += i * dilation[a] * steps[a]
        table.append(offset)
    base = None
    for axis, (o, s, (lo, _)) in enumerate(zip(sweep.out, stride, padding)):
        shape = [1] * len(sweep.out)
        shape[axis] = o
        starts = xp.asarray([i * s - lo for i in range(o)], dtype=xp.int64)
        term = xp.reshape(starts, tuple(shape)) * steps[axis]
        base = term if base is None else base + term
    chosen = xp.take(xp.asarray(table, dtype=xp.int64), xp.reshape(arg, (-1,)))
    return xp.reshape(chosen, arg.shape) + base
