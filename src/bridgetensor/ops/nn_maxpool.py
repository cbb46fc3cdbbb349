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

from array_api_compat import device as array_device

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


def _exact_offsets(xp, padded, sweep):
    """The chosen kernel offset of each window by torch's scan: a later value wins if it
    is greater or NaN."""
    floating = _floating(xp, padded)
    best = padded[sweep.keys[0]]
    arg = xp.zeros(best.shape, dtype=xp.int64, device=array_device(best))
    for k in range(1, len(sweep.keys)):
        value = padded[sweep.keys[k]]
        better = (value > best) | xp.isnan(value) if floating else value > best
        best = xp.where(better, value, best)
        arg = xp.where(better, k, arg)
    return arg


def _first_valid_offsets(xp, sweep, where):
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
        column = xp.asarray(offsets, dtype=xp.int64, device=where)
        column = xp.reshape(column, tuple(shape))
        found = column if found is None else found * k + column
    return found


def _offsets(xp, x, values, sweep):
    """torch's chosen kernel offset of every window (the exact, slower path)."""
    padded = pad_constant(xp, x, sweep.padding, _lowest(xp, x))
    arg = _exact_offsets(xp, padded, sweep)
    if _floating(xp, x) and any(lo or hi for lo, hi in sweep.padding):
        empty = values == -math.inf
        if bool(xp.any(empty)):
            arg = xp.where(empty, _first_valid_offsets(xp, sweep, array_device(x)), arg)
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


def _expand(xp, a, sweep):
    """(*lead, *out) -> (*lead, *covered): each value repeated over its window's positions."""
    for axis, k in enumerate(sweep.kernel):
        if k > 1:
            a = xp.repeat(a, k, axis=sweep.lead + axis)
    return a


def _covered(sweep) -> tuple:
    return tuple(o * k for o, k in zip(sweep.out, sweep.kernel))


def _tiled_mask(xp, x, values, sweep):
    """Boolean (*lead, *covered): whether each input position is its window's chosen one.

    Compares x with the maxima repeated to full size: operations on contiguous arrays,
    measured 2.4x faster than on a 6-D view with the windows as short axes.
    """
    covered = _covered(sweep)
    if covered != sweep.size:
        x = x[(FULL,) * sweep.lead + tuple(slice(0, n) for n in covered)]
    if _simple(xp, values, sweep):
        equal = x == _expand(xp, values, sweep)
        if int(xp.count_nonzero(equal)) == math.prod(values.shape):
            return equal  # exactly one maximum per window: no tie to break
        # Ties (zeros after a ReLU are common): score the equal positions by priority
        # (K for a window's first offset down to 1 for its last) and keep each window's
        # best: 2x faster than clearing later ties offset by offset (measured).
        priority = len(sweep.keys) - _window_offsets(xp, sweep, array_device(x))
        score = xp.astype(equal, xp.int16) * xp.astype(priority, xp.int16)
        keys = window_keys(
            sweep.kernel, sweep.kernel, (1,) * len(sweep.kernel), sweep.out, sweep.lead
        )
        best = score[keys[0]]
        for key in keys[1:]:
            best = xp.maximum(best, score[key])
        return score == _expand(xp, best, sweep)
    return _expand(xp, _offsets(xp, x, values, sweep), sweep) == _window_offsets(
        xp, sweep, array_device(x)
    )


def _window_offsets(xp, sweep, where):
    """The row-major kernel offset of each position of the covered input, in its window."""
    offset = None
    covered = _covered(sweep)
    for axis, (n, k) in enumerate(zip(covered, sweep.kernel)):
        shape = [1] * len(covered)
        shape[axis] = n
        column = xp.reshape(xp.arange(n, dtype=xp.int64, device=where) % k, tuple(shape))
        offset = column if offset is None else offset * k + column
    return offset


def _masked(xp, mask, values):
    """values where mask, else 0 (a product when the values are finite: cheaper)."""
    if bool(xp.all(xp.isfinite(values))):
        return xp.astype(mask, values.dtype) * values
    return xp.where(mask, values, xp.zeros((), dtype=values.dtype, device=array_device(values)))


def _hits(xp, x, values, sweep):
    """Boolean (K, *out): whether each kernel offset is its window's chosen position."""
    padded = pad_constant(xp, x, sweep.padding, _lowest(xp, x))
    k = len(sweep.keys)
    if _simple(xp, values, sweep):
        stacked = xp.stack([padded[key] for key in sweep.keys], axis=0)
        equal = stacked == values
        if int(xp.count_nonzero(equal)) == math.prod(values.shape):
            return equal
        # Ties: the first equal offset of each window.
        arg = xp.argmax(xp.astype(equal, xp.int8), axis=0)
    else:
        arg = _offsets(xp, x, values, sweep)
    grid = xp.arange(k, dtype=xp.int64, device=array_device(arg))
    grid = xp.reshape(grid, (k, *(1,) * arg.ndim))
    return arg == grid


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
        grad = _masked(xp, mask, _expand(xp, g, sweep))
        covered = _covered(sweep)
        if covered == sweep.size:
            return grad
        return pad_constant(xp, grad, tuple((0, n - c) for n, c in zip(sweep.size, covered)))
    shares = _masked(xp, _hits(xp, x, values, sweep), g)  # (K, *out)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(sweep.size, padding))
    result = xp.zeros((*x.shape[: sweep.lead], *padded), dtype=g.dtype, device=array_device(g))
    write = add_into if overlapping(kernel, stride, dilation) else put
    for k, key in enumerate(sweep.keys):
        result = write(result, key, shares[k, ...])
    return crop(xp, result, padding)


@primitive(dtypes=None, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def max_pool_pick(gg, x, values, /, *, xp, kernel, stride, padding, dilation):
    """gg (in x's shape) read at each window's chosen maximum (the output's shape)."""
    sweep = _Sweep(x.shape, kernel, stride, padding, dilation)
    hits = _hits(xp, x, values, sweep)
    source = pad_constant(xp, gg, padding)
    total = None
    for k, key in enumerate(sweep.keys):
        term = _masked(xp, hits[k, ...], source[key])
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
    base, where = None, array_device(x)
    for axis, (o, s, (lo, _)) in enumerate(zip(sweep.out, stride, padding)):
        shape = [1] * len(sweep.out)
        shape[axis] = o
        starts = xp.asarray([i * s - lo for i in range(o)], dtype=xp.int64, device=where)
        term = xp.reshape(starts, tuple(shape)) * steps[axis]
        base = term if base is None else base + term
    chosen = xp.take(xp.asarray(table, dtype=xp.int64, device=where), xp.reshape(arg, (-1,)))
    return xp.reshape(chosen, arg.shape) + base
