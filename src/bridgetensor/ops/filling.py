"""Primitives that overwrite a tensor's values: the forwards of copy_ and fill_."""

from __future__ import annotations

from array_api_compat import device as array_device

from ..autograd._primitive import primitive
from ._helpers import zeros_like

__all__ = ["copy", "fill"]


@primitive(dtypes=None, grad_name="CopyBackwards")
def copy(x, src, /, *, xp):
    """src broadcast to x's shape and cast to x's dtype (what ``x.copy_(src)`` writes)."""
    return xp.broadcast_to(xp.astype(src, x.dtype), x.shape)


# x's old values are overwritten: no gradient reaches them; src gets g summed to its shape.
copy.defvjp(lambda g, out, x, src: zeros_like(g), lambda g, out, x, src: g)


@primitive(dtypes=None, grad_name="FillBackward0")
def fill(x, value, /, *, xp):
    """x's shape and dtype filled with `value` (what ``x.fill_(value)`` writes)."""
    return (
        xp.full(x.shape, value, dtype=x.dtype, device=array_device(x))
        if not hasattr(value, "shape")
        else (xp.broadcast_to(xp.astype(value, x.dtype), x.shape))
    )


fill.defvjp(lambda g, out, x, value: zeros_like(g), lambda g, out, x, value: g)
