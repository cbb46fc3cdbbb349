"""Convolutions as primitives: im2col by strided slicing, then one matmul.

Three primitives make a closed family under differentiation, so every gradient (of any
order) is again one of them and never a chain of small ops:

    conv(x, w, b)            y = W @ im2col(x) + b                 (torch's ConvolutionBackward0)
    conv_transpose(x, w, b)  y = col2im(W^T @ x) + b               (the adjoint of conv in x)
    conv_weight(x, g)        dW = sum over batch of g @ im2col(x)^T (conv's gradient in w)

    d conv / dx = conv_transpose(g, w)      d conv / dw = conv_weight(x, g)
    d conv_transpose / dx = conv(g, w)      d conv_transpose / dw = conv_weight(g, x)
    d conv_weight / dx = conv_transpose(g, gw)   d conv_weight / dg = conv(x, gw)

They are primitives, not composites of slicing ops, for speed: measured on the CNN
benchmark step (Conv2d(1->16, 3x3) on 64 8x8 images), the composite built from 9 slices,
a stack and a matmul recorded 12 nodes per convolution and ran the step about 1.6x slower.
`im2col`/`col2im` (torch's F.unfold/F.fold) are the same machinery without the product.

Geometry is static and spatial-rank generic (1-D, 2-D, 3-D): `stride`, `dilation` are
tuples per spatial axis, `padding` a tuple of (before, after) zero-padding pairs.
"""

from __future__ import annotations

import math

from ..autograd._primitive import primitive
from ._windows import (
    channels_last,
    contiguous,
    out_size,
    spread,
    spread_last,
    to_first,
    to_last,
    windows,
    windows_last,
)
from .indexing import getitem
from .reduction import sum as _sum

__all__ = ["col2im", "conv", "conv_transpose", "conv_weight", "im2col"]


# ---------------------------------------------------------------- conv


def _split_groups(xp, cols, groups: int):
    """Windows (N, C, K, *out) as (N, groups, C / groups * K, L), one reshape per kind of
    change (Dask's reshape either splits or merges axes, never both at once)."""
    n, c, k = cols.shape[:3]
    cols = xp.reshape(cols, (n, c, k, -1))
    cols = xp.reshape(cols, (n, groups, c // groups, k, cols.shape[-1]))
    return xp.reshape(cols, (n, groups, (c // groups) * k, cols.shape[-1]))


def _grouped(xp, a, groups: int):
    """(A, B, ...) as (groups, A / groups, B * ...): a merge, then a split."""
    merged = xp.reshape(a, (a.shape[0], -1))
    return xp.reshape(merged, (groups, a.shape[0] // groups, merged.shape[1]))


def _add_bias(xp, y, b):
    """y (N, O, L) + b (O,), in the product's own buffer where the backend allows."""
    if b is not None:
        y += xp.reshape(b, (b.shape[0], 1))
    return y


@primitive(dtypes=None, grad_name="ConvolutionBackward0")
def conv(x, w, b=None, /, *, xp, stride, padding, dilation, groups):
    """Cross-correlation of x (N, C, *size) with w (O, C / groups, *kernel), plus b (O,)."""
    n, c = x.shape[:2]
    o = w.shape[0]
    kernel = tuple(w.shape[2:])
    out = out_size(tuple(x.shape[2:]), kernel, stride, padding, dilation)
    if groups == 1 and channels_last(c, out):
        cols = windows_last(xp, x, kernel, stride, padding, dilation, out)  # (N, *out, K, C)
        wh = xp.reshape(to_last(xp, w), (o, -1))  # (O, K * C), as the windows
        y = xp.matmul(xp.reshape(cols, (-1, wh.shape[1])), xp.matrix_transpose(wh))
        if b is not None:
            y += b
        return to_first(xp, xp.reshape(y, (n, *out, o)))
    cols = windows(xp, x, kernel, stride, padding, dilation, out)  # (N, C, K, *out)
    length = math.prod(out)
    if groups == 1:
        y = xp.matmul(xp.reshape(w, (o, -1)), xp.reshape(cols, (n, -1, length)))
    else:
        y = xp.matmul(_grouped(xp, w, groups), _split_groups(xp, cols, groups))
    y = _add_bias(xp, xp.reshape(y, (n, o, length)), b)
    return xp.reshape(y, (n, o, *out))


def _cropped(y, shape):
    """y's leading part of `shape` (an adjoint may reach positions the forward never used)."""
    if tuple(y.shape) == tuple(shape):
        return y
    return getitem(y, key=tuple(slice(0, n) for n in shape))


def _spatial_axes(g):
    return (0, *range(2, g.ndim))


conv.defvjp(
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups: conv_transpose(
        g,
        w,
        None,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        size=tuple(x.shape[2:]),
    ),
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups: conv_weight(
        x,
        g,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        kernel=tuple(w.shape[2:]),
    ),
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups: _sum(
        g, axis=_spatial_axes(g)
    ),
)


# ---------------------------------------------------------------- conv_transpose


@primitive(dtypes=None, grad_name="ConvolutionBackward0")
def conv_transpose(x, w, b=None, /, *, xp, stride, padding, dilation, groups, size):
    """The adjoint of `conv` in its input: x (N, C, *in) and w (C, O / groups, *kernel) give
    (N, O, *size), where `size` is the spatial size of the conv input it transposes."""
    n, c = x.shape[:2]
    kernel = tuple(w.shape[2:])
    k = math.prod(kernel)
    o = w.shape[1] * groups
    if groups == 1 and channels_last(o, tuple(x.shape[2:])):
        xh = xp.reshape(to_last(xp, x), (-1, c))  # (N * L, C)
        wh = xp.reshape(to_last(xp, w), (c, -1))  # (C, K * O)
        cols = xp.reshape(xp.matmul(xh, wh), (n, *x.shape[2:], k, o))
        y = spread_last(xp, cols, size, stride, padding, dilation, kernel)
    else:
        length = math.prod(x.shape[2:])
        if groups == 1:
            wt = xp.matrix_transpose(xp.reshape(w, (c, -1)))
            cols = xp.matmul(wt, xp.reshape(x, (n, c, length)))
        else:
            wt = xp.matrix_transpose(_grouped(xp, w, groups))
            flat = xp.reshape(x, (n, c, length))
            cols = xp.matmul(wt, xp.reshape(flat, (n, groups, c // groups, length)))
            cols = xp.reshape(cols, (n, groups, w.shape[1], k, length))
            cols = xp.reshape(cols, (n, o, k, length))
        cols = xp.reshape(cols, (n, o, k, *x.shape[2:]))
        y = spread(xp, cols, size, stride, padding, dilation, kernel)
    if b is not None:
        y += xp.reshape(b, (o, *(1,) * len(size)))
    return y


conv_transpose.defvjp(
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups, size: _cropped(
        conv(g, w, None, stride=stride, padding=padding, dilation=dilation, groups=groups),
        x.shape,
    ),
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups, size: conv_weight(
        g,
        x,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        kernel=tuple(w.shape[2:]),
    ),
    lambda g, out, x, w, b=None, *, stride, padding, dilation, groups, size: _sum(
        g, axis=_spatial_axes(g)
    ),
)


# ---------------------------------------------------------------- conv_weight


@primitive(dtypes=None, grad_name="ConvolutionBackwardBackward0")
def conv_weight(x, g, /, *, xp, stride, padding, dilation, groups, kernel):
    """The weight gradient of `conv`: sum over the batch of g (N, O, *out) times the
    windows of x (N, C, *size), shaped (O, C / groups, *kernel)."""
    out = tuple(g.shape[2:])
    n, c = x.shape[:2]
    o = g.shape[1]
    if groups == 1 and channels_last(c, out):
        cols = windows_last(xp, x, kernel, stride, padding, dilation, out)  # (N, *out, K, C)
        cols = xp.reshape(cols, (-1, cols.shape[-2] * c))
        gh = xp.reshape(to_last(xp, g), (-1, o))  # (N * L, O)
        dw = xp.matmul(xp.matrix_transpose(gh), cols)  # (O, K * C)
        return to_first(xp, xp.reshape(dw, (o, *kernel, c)))
    cols = windows(xp, x, kernel, stride, padding, dilation, out)  # (N, C, K, *out)
    length = math.prod(out)
    # Per-sample products summed over the batch: cheaper than one product of transposed
    # copies (measured 1.5x on a 32x32x16x16 input).
    if groups == 1:
        gg = xp.reshape(g, (n, o, length))
        cc = xp.reshape(cols, (n, -1, length))
    else:
        gg = xp.reshape(xp.reshape(g, (n, o, length)), (n, groups, o // groups, length))
        cc = _split_groups(xp, cols, groups)
    dw = xp.sum(xp.matmul(gg, xp.matrix_transpose(cc)), axis=0)
    return xp.reshape(xp.reshape(dw, (o, -1)), (o, c // groups, *kernel))


conv_weight.defvjp(
    lambda gw, out, x, g, *, stride, padding, dilation, groups, kernel: conv_transpose(
        g,
        gw,
        None,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        size=tuple(x.shape[2:]),
    ),
    lambda gw, out, x, g, *, stride, padding, dilation, groups, kernel: _cropped(
        conv(x, gw, None, stride=stride, padding=padding, dilation=dilation, groups=groups),
        g.shape,
    ),
)


# ---------------------------------------------------------------- im2col / col2im


@primitive(dtypes=None, grad_name="Im2ColBackward0")
def im2col(x, /, *, xp, kernel, stride, padding, dilation):
    """torch's unfold: x (N, C, *size) -> (N, C * prod(kernel), L) sliding windows."""
    cols = windows(xp, x, kernel, stride, padding, dilation)
    if cols.shape[2] == 1:
        cols = contiguous(xp, xp.asarray(cols, copy=True))  # a single window is a view of x
    n, c = x.shape[:2]
    return xp.reshape(cols, (n, c * math.prod(kernel), math.prod(cols.shape[3:])))


@primitive(dtypes=None, grad_name="Col2ImBackward0")
def col2im(x, /, *, xp, size, kernel, stride, padding, dilation):
    """torch's fold: windows (N, C * prod(kernel), L) summed back into (N, C, *size)."""
    n = x.shape[0]
    k = math.prod(kernel)
    out = out_size(size, kernel, stride, padding, dilation)
    cols = xp.reshape(x, (n, x.shape[1] // k, k, *out))
    return spread(xp, cols, size, stride, padding, dilation, kernel)


im2col.defvjp(
    lambda g, out, x, *, kernel, stride, padding, dilation: col2im(
        g,
        size=tuple(x.shape[2:]),
        kernel=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
)
col2im.defvjp(
    lambda g, out, x, *, size, kernel, stride, padding, dilation: im2col(
        g, kernel=kernel, stride=stride, padding=padding, dilation=dilation
    )
)
