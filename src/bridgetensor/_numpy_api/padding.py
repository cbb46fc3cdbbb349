"""np.pad on Tensors: the constant, edge, reflect, symmetric and wrap modes.

No pad op exists yet, so this is a composite of slices, flips, broadcasts and joins (all
differentiable): each axis is extended in turn, in chunks no longer than one period of
the mode's repetition, so that pads longer than the axis repeat as NumPy's do.
"""

from __future__ import annotations

import numpy as np

from .. import ops
from ..autograd import _primitive as _prim
from ._core import Unsupported, as_tensor, implements

__all__: list = []

_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _pairs(value, ndim, name, as_int=True):
    """NumPy's per-axis (before, after) pairs of a scalar, a pair, or one pair per axis."""
    array = np.asarray(value)
    if as_int:
        if array.dtype.kind not in "iu":
            raise TypeError("`pad_width` must be of integral type.")
        if (array < 0).any():
            raise ValueError("index can't contain negative values")
    try:
        return np.broadcast_to(array, (ndim, 2)).tolist()
    except ValueError:
        raise ValueError(
            f"{name}: could not broadcast {array.shape} to ({ndim}, 2) (one (before, after) "
            "pair per axis)"
        ) from None


def _slice(x, axis, start, stop):
    return x[(slice(None),) * axis + (slice(start, stop),)]


def _constant(x, axis, size, value):
    shape = list(x.shape)
    shape[axis] = size
    return _prim.Tensor._wrap_array(np.full(shape, value, dtype=x._data.dtype))


def _extend(x, axis, before, after, mode, n):
    """x with `before`/`after` elements added on `axis` (n: the axis's original length)."""
    if mode == "edge" or (mode == "reflect" and n == 1):
        shape = list(x.shape)
        parts = []
        if before:
            shape[axis] = before
            parts.append(ops.broadcast_to(_slice(x, axis, 0, 1), shape=tuple(shape)))
        parts.append(x)
        if after:
            shape[axis] = after
            parts.append(ops.broadcast_to(_slice(x, axis, -1, None), shape=tuple(shape)))
        return ops.concat(*parts, axis=axis)
    period = {"reflect": n - 1, "symmetric": n, "wrap": n}[mode]
    while before or after:
        length = x.shape[axis]
        parts = []
        if before:
            k = min(before, period)
            if mode == "reflect":
                piece = ops.flip(_slice(x, axis, 1, k + 1), axis=axis)
            elif mode == "symmetric":
                piece = ops.flip(_slice(x, axis, 0, k), axis=axis)
            else:
                piece = _slice(x, axis, n - k, n)
            parts.append(piece)
            before -= k
        parts.append(x)
        if after:
            k = min(after, period)
            if mode == "reflect":
                piece = ops.flip(_slice(x, axis, length - k - 1, length - 1), axis=axis)
            elif mode == "symmetric":
                piece = ops.flip(_slice(x, axis, length - k, length), axis=axis)
            else:
                piece = _slice(x, axis, length - n, length - n + k)
            parts.append(piece)
            after -= k
        x = ops.concat(*parts, axis=axis)
    return x


@implements(np.pad)
def _pad(array, pad_width, mode="constant", **kwargs):
    if mode not in _MODES:
        raise Unsupported(f"mode={mode!r}")
    values = kwargs.pop("constant_values", 0)
    if kwargs.pop("reflect_type", "even") != "even" or kwargs:
        raise Unsupported("reflect_type='odd' or another option")
    x = as_tensor(array, "np.pad")
    widths = _pairs(pad_width, x.ndim, "np.pad")
    if mode == "constant":
        if isinstance(values, _prim.Tensor):
            raise Unsupported("constant_values given as a Tensor")
        fills = _pairs(values, x.ndim, "np.pad", as_int=False)
    for axis, (before, after) in enumerate(widths):
        if not (before or after):
            continue
        n = x.shape[axis]
        if mode == "constant":
            low, high = fills[axis]
            parts = [_constant(x, axis, before, low), x, _constant(x, axis, after, high)]
            x = ops.concat(*parts, axis=axis)
        elif n == 0:
            raise ValueError(
                f"can't extend empty axis {axis} using modes other than 'constant' or 'empty'"
            )
        else:
            x = _extend(x, axis, before, after, mode, n)
    return x
