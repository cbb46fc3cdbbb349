"""pad: constant, reflect, replicate and circular padding with torch's pad-tuple order."""

from __future__ import annotations

from array_api_compat import device as array_device

from ... import ops
from ...ops._helpers import variant, wrap

__all__ = ["pad"]

_MODES = ("constant", "reflect", "replicate", "circular")
# The last gather of a padded tensor carries torch's node name.
_NAMED = {
    (mode, nd): variant(ops.take, f"{name}Pad{nd}DBackward0")
    for mode, name in (("reflect", "Reflection"), ("replicate", "Replication"))
    for nd in (1, 2, 3)
}


def _pairs(pad, ndim: int) -> tuple:
    """torch's flat pad tuple (last axis first) as (before, after) pairs in axis order."""
    for i, p in enumerate(pad):
        if not isinstance(p, int) or isinstance(p, bool):
            raise TypeError(
                f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element "
                f"of type {type(p).__name__} at pos {i}"
            )
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {ndim}"
        )
    return tuple((pad[2 * i], pad[2 * i + 1]) for i in reversed(range(len(pad) // 2)))


def _positions(mode: str, n: int, lo: int, hi: int) -> list:
    """Source index of each output position along one padded axis."""
    found = []
    for i in range(-lo, n + hi):
        if mode == "reflect":
            j = -i if i < 0 else i
            j = 2 * (n - 1) - j if j >= n else j
        elif mode == "replicate":
            j = min(max(i, 0), n - 1)
        else:
            j = i % n
        found.append(j)
    return found


def pad(input, pad, mode="constant", value=None):
    """Pad the last len(pad) // 2 axes: pad = (last_before, last_after, 2nd_last_before, ...).

    'constant' pads with `value` (0 by default; negative pads crop), 'reflect' mirrors
    without repeating the edge, 'replicate' repeats the edge, 'circular' wraps around.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.pad(bt.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect")
    tensor([[3., 2., 1., 2., 3., 2.]])
    """
    pad = tuple(pad)
    pairs = _pairs(pad, input.ndim)
    if mode == "constant":
        for axis, (lo, hi) in enumerate(pairs, start=input.ndim - len(pairs)):
            n = input.shape[axis]
            if n + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return ops.constant_pad(input, pads=pairs, value=0 if value is None else value)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pairs)
    if nd not in (1, 2, 3) or input.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor."
        )
    lead = input.ndim - nd
    if any(n == 0 for n in input.shape[1:]):
        dims = {1: "2D or 3D", 2: "3D or 4D", 3: "4D or 5D"}[nd]
        raise RuntimeError(
            f"Expected {dims} (batch mode) tensor with possibly 0 batch size and other "
            f"non-zero dimensions for input, but got: {list(input.shape)}"
        )
    for axis, (lo, hi) in enumerate(pairs, start=lead):
        n = input.shape[axis]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({lo}, {hi}) at dimension {axis} of input "
                f"{list(input.shape)}"
            )
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    out = input
    xp = input._be.xp
    axes = [i for i, (lo, hi) in enumerate(pairs) if lo or hi] or [nd - 1]
    for i in axes:
        lo, hi = pairs[i]
        axis = lead + i
        positions = _positions(mode, input.shape[axis], lo, hi)
        positions = xp.asarray(positions, dtype=xp.int64, device=array_device(input._data))
        indices = wrap(positions, input._be)
        take = _NAMED.get((mode, nd), ops.take) if i == axes[-1] else ops.take
        out = take(out, indices, axis=axis)
    return out
