"""Loss primitives: losses whose fused form is measurably faster than their composite.

mse_loss is one node instead of three (subtract, square, mean) and keeps one
difference array instead of two intermediates; it also gives torch's grad_fn name.
"""

from __future__ import annotations

from ..autograd._primitive import primitive

__all__ = ["mse_loss"]


def _reduce(values, reduction: str, xp):
    if reduction == "mean":
        return xp.mean(values)
    if reduction == "sum":
        return xp.sum(values)
    return values


@primitive(grad_name="MseLossBackward0")
def mse_loss(x, y, /, *, xp, reduction="mean"):
    difference = x - y
    return _reduce(difference * difference, reduction, xp)


def _mse_x(g, out, x, y, *, reduction="mean"):
    scale = 2.0 / float(x.shape.numel()) if reduction == "mean" else 2.0
    return g * scale * (x - y)


mse_loss.defvjp(
    _mse_x, lambda g, out, x, y, *, reduction="mean": -_mse_x(g, out, x, y, reduction=reduction)
)
