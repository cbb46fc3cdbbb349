"""Constant padding as one primitive (torch's ConstantPadNdBackward0).

A primitive rather than zeros + a slice write: one node, and its gradient is the same op
with the pads negated (a crop), so every order of gradient stays one node.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._windows import FULL, pad_constant

__all__ = ["constant_pad"]


@primitive(dtypes=None, grad_name="ConstantPadNdBackward0")
def constant_pad(x, /, *, xp, pads, value=0):
    """x with (before, after) pads of `value` on its last len(pads) axes; negative pads crop."""
    lead = x.ndim - len(pads)
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        key = (FULL,) * lead + tuple(
            slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(x.shape[lead:], pads)
        )
        x = x[key]
    grown = tuple((max(lo, 0), max(hi, 0)) for lo, hi in pads)
    out = pad_constant(xp, x, grown, value)
    return xp.asarray(out, copy=True) if out is x or not any(map(any, grown)) else out


constant_pad.defvjp(
    lambda g, out, x, *, pads, value=0: constant_pad(g, pads=tuple((-lo, -hi) for lo, hi in pads))
)
