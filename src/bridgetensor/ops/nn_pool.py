"""Average pooling primitives over strided windows (see _windows.py).

    avg_pool(x, divisor)          window sums / divisor (a number, or an array of the
                                  output's spatial shape)
    avg_pool_spread(g, divisor)   its adjoint: g / divisor added back over each window

Primitives rather than composites of one slice node per kernel offset: one node per call.
"""

from __future__ import annotations

from array_api_compat import device as array_device

from ..autograd._primitive import primitive
from ._windows import add_into, crop, out_size, overlapping, pad_constant, put, window_keys

__all__ = ["avg_pool", "avg_pool_spread"]


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
    y = xp.zeros((*g.shape[:lead], *padded), dtype=g.dtype, device=array_device(g))
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
