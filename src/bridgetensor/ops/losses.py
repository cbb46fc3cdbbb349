"""Loss primitives: losses whose fused form is measurably faster than their composite.

mse_loss is one node instead of three (subtract, square, mean) and keeps one
difference array instead of two intermediates; it also gives torch's grad_fn name.
nll_loss (the common case of nll_loss and cross_entropy) is one node instead of a dozen.
"""

from __future__ import annotations

from array_api_compat import device as array_device

from ..autograd._primitive import primitive
from ._helpers import wrap

__all__ = ["binary_cross_entropy", "mse_loss", "nll_loss"]


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


# ---------------------------------------------------------------- binary cross entropy
# A primitive for stability: through a composite, log(0) clamped to -100 still has the
# gradient 0 * inf = NaN at inputs 0 and 1, where torch's rule gives a finite value.


def _clamped_log(v, xp):
    """log(v), at least -100 (torch's BCE clamp), with no log(0) evaluated."""
    positive = v > 0
    floor = xp.asarray(-100.0, dtype=v.dtype, device=array_device(v))
    logs = xp.log(xp.where(positive, v, xp.ones_like(v)))
    return xp.where(positive, xp.maximum(logs, floor), floor)


@primitive(dtypes=None, grad_name="BinaryCrossEntropyBackward0")
def binary_cross_entropy(x, y, weight=None, /, *, xp, reduction="mean"):
    losses = -(y * _clamped_log(x, xp) + (1 - y) * _clamped_log(1 - x, xp))
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction, xp)


def _bce_scale(g, x, weight, reduction):
    scale = g / float(x.shape.numel()) if reduction == "mean" else g
    return scale if weight is None else scale * weight


def _bce_x(g, out, x, y, weight=None, *, reduction="mean"):
    from .elementwise import maximum

    # torch's rule: (x - y) / max(x (1 - x), 1e-12), finite at x = 0 and x = 1.
    return _bce_scale(g, x, weight, reduction) * (x - y) / maximum((1.0 - x) * x, 1e-12)


def _bce_y(g, out, x, y, weight=None, *, reduction="mean"):
    from .elementwise import log, log1p

    # torch's rule: -logit(x), unclamped (infinite at x = 0 and x = 1).
    return _bce_scale(g, x, weight, reduction) * (log1p(-x) - log(x))


binary_cross_entropy.defvjp(_bce_x, _bce_y, None)


# ---------------------------------------------------------------- negative log likelihood
# Class indices into (N, C) log-probabilities without class weights: one node, torch's
# NllLossBackward0, where the composite took a dozen (masks, gather, where, two sums and a
# division) and was a third of a small MLP's training step.


@primitive(dtypes=None, grad_name="NllLossBackward0")
def nll_loss(logp, target, /, *, xp, ignore_index=-100, reduction="mean"):
    """-logp[i, target[i]] per row (0 where target[i] == ignore_index): per row ("none"),
    summed, or averaged over the rows not ignored ("mean"). Targets must be in range."""
    valid = target != ignore_index
    index = xp.where(valid, target, xp.zeros_like(target))
    picked = xp.take_along_axis(logp, index[:, None], axis=1)[:, 0]
    losses = xp.where(valid, -picked, xp.zeros_like(picked))
    if reduction == "none":
        return losses
    total = xp.sum(losses)
    if reduction == "sum":
        return total
    return total / xp.sum(xp.astype(valid, logp.dtype))


def _nll_rule(g, out, logp, target, *, ignore_index=-100, reduction="mean"):
    from .manipulation import expand_dims

    xp, t = target._be.xp, target._data
    valid = t != ignore_index
    classes = xp.arange(logp.shape[1], dtype=t.dtype, device=array_device(t))
    hits = (classes[None, :] == t[:, None]) & valid[:, None]
    minus_hits = wrap(-xp.astype(hits, logp._be.native[logp.dtype]), logp._be)
    if reduction == "none":
        return expand_dims(g, axis=1) * minus_hits
    count = int(xp.sum(xp.astype(valid, xp.int64)))
    if reduction == "mean" and count:  # torch divides g by the count (no rows: no hits)
        g = g / float(count)
    return g * minus_hits


nll_loss.defvjp(_nll_rule, None)
