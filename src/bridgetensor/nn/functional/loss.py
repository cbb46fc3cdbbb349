"""Regression and likelihood losses: L1, MSE, smooth L1, Huber, KL divergence, Poisson and
Gaussian negative log likelihood, with torch's `reduction` semantics."""

from __future__ import annotations

import math

from ... import ops
from ...autograd import no_grad
from ...ops._helpers import ones_like
from ._loss_common import (
    apply_reduction,
    broadcast_pair,
    check_reduction,
    legacy_reduction,
    resolve_reduction,
    warn_size_mismatch,
    xlogy_self,
)

__all__ = [
    "gaussian_nll_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "poisson_nll_loss",
    "smooth_l1_loss",
]


def _weighted(errors, weight, input, reduction: str, mean_by_weight: bool = True):
    """torch's `weight=` path of l1/mse/huber: per-element weights of input's shape."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = errors * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return ops.sum(weighted)
    if reduction == "mean":
        return ops.sum(weighted) / ops.sum(weight) if mean_by_weight else ops.mean(weighted)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None):
    """Mean (or sum) absolute difference; with `weight`, the weighted mean.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.l1_loss(bt.tensor([1.0, -3.0]), bt.tensor([0.0, 0.0]))
    tensor(2.)
    """
    warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    input, target = broadcast_pair(input, target)
    # NOTE: abs has gradient 0 where input == target, as torch's l1_loss.
    errors = ops.abs(input - target)
    if weight is not None:
        return _weighted(errors, weight, input, reduction)
    return _reduce(errors, reduction)


def _reduce(loss, reduction: str):
    return apply_reduction(loss, check_reduction(reduction))


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None):
    """Mean (or sum) of squared differences; with `weight`, the weighted mean.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.mse_loss(bt.tensor([1.0, 3.0]), bt.tensor([0.0, 0.0]))
    tensor(5.)
    """
    warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    input, target = broadcast_pair(input, target)
    if weight is not None:
        return _weighted(ops.square(input - target), weight, input, reduction)
    return ops.mse_loss(input, target, reduction=check_reduction(reduction))


def _smooth_l1(input, target, beta: float):
    difference = input - target
    size = ops.abs(difference)
    # NOTE: at |d| == beta both pieces have gradient sign(d); torch takes the linear one.
    return ops.where(size < beta, 0.5 * difference * difference / beta, size - 0.5 * beta)


def smooth_l1_loss(
    input, target, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
):
    """Squared error below `beta` (scaled by 1/beta), absolute error above it.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.smooth_l1_loss(bt.tensor([0.5, 3.0]), bt.tensor([0.0, 0.0]))
    tensor(1.3125)
    """
    warn_size_mismatch(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    input, target = broadcast_pair(input, target)
    if beta == 0.0:
        return apply_reduction(ops.abs(input - target), reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return apply_reduction(_smooth_l1(input, target, beta), reduction)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0, weight=None):
    """Squared error (halved) below `delta`, delta-scaled absolute error above it.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.huber_loss(bt.tensor([0.5, 3.0]), bt.tensor([0.0, 0.0]))
    tensor(1.3125)
    """
    warn_size_mismatch(input, target)
    input, target = broadcast_pair(input, target)
    if weight is None:
        reduction = check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    difference = input - target
    size = ops.abs(difference)
    losses = ops.where(size < delta, 0.5 * difference * difference, delta * (size - 0.5 * delta))
    if weight is not None:
        return _weighted(losses, weight, input, reduction, mean_by_weight=False)
    return apply_reduction(losses, reduction)


def kl_div(
    input,
    target,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    log_target: bool = False,
):
    """Kullback-Leibler divergence of `target` from log-probabilities `input`.

    `reduction="batchmean"` divides the sum by the batch size (the mathematical KL);
    `"mean"` divides by the number of elements, as torch (with its warning).

    >>> import bridgetensor as bt
    >>> p = bt.tensor([0.5, 0.5])
    >>> bt.nn.functional.kl_div(p.log(), p, reduction="batchmean")
    tensor(0.)
    """
    if size_average is not None or reduce is not None:
        chosen = legacy_reduction(size_average, reduce)
    else:
        if reduction == "mean":
            import warnings

            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support "
                "size.'batchmean' divides only by the batch size, and aligns with the KL div "
                "math definition.'mean' will be changed to behave the same as 'batchmean' in "
                "the next major release.",
                stacklevel=2,
            )
        chosen = "sum" if reduction == "batchmean" else check_reduction(reduction)
    for t in (input, target):
        if t.dtype.is_complex:
            raise RuntimeError("kl_div: Complex inputs not supported.")
        if not t.dtype.is_floating_point:
            raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        losses = ops.exp(target) * (target - input)
    else:
        # NOTE: 0 * log(0) is 0 (torch's xlogy); the target's gradient there is 0 here,
        # where torch's is NaN.
        losses = xlogy_self(target) - target * input
    reduced = apply_reduction(losses, chosen)
    if reduction == "batchmean" and input.ndim != 0:
        reduced = reduced / input.shape[0]
    return reduced


def poisson_nll_loss(
    input,
    target,
    log_input: bool = True,
    full: bool = False,
    size_average=None,
    eps: float = 1e-8,
    reduce=None,
    reduction: str = "mean",
):
    """Negative log likelihood of `target` under Poisson(rate), the rate given by `input`
    (its log when `log_input`); `full` adds Stirling's term for target > 1.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.poisson_nll_loss(bt.tensor([0.0]), bt.tensor([1.0]))
    tensor(1.)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if log_input:
        losses = ops.exp(input) - target * input
    else:
        losses = input - target * ops.log(input + eps)
    if full:
        small = target <= 1
        # Stirling's term is evaluated at a harmless stand-in where it is masked out, so
        # no log(0) is taken (torch's target gradient is NaN at 0; it is 0 here).
        safe = ops.where(small, 2.0, target)
        stirling = safe * ops.log(safe) - safe + 0.5 * ops.log(2.0 * math.pi * safe)
        losses = losses + ops.where(small, 0.0, stirling)
    return apply_reduction(losses, reduction)


def gaussian_nll_loss(
    input, target, var, full: bool = False, eps: float = 1e-6, reduction: str = "mean"
):
    """Negative log likelihood of `target` under Normal(input, var); `var` is one variance
    per element, per row (one dimension fewer or of size 1) or a float.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.gaussian_nll_loss(bt.tensor([1.0]), bt.tensor([1.0]), 1.0)
    tensor(0.)
    """
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif not hasattr(var, "shape"):
        raise TypeError(
            f"gaussian_nll_loss: var must be a Tensor or a float; got {type(var).__name__}"
        )
    elif bool(ops.any(var < 0)):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = ops.expand_dims(var, axis=-1)
        elif input.ndim == var.ndim and (
            sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1
        ):
            pass  # one differing dimension, of size 1 in var: it broadcasts
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    # As torch: the clamp is applied in place on a copy without recording it, so the
    # gradient reaches var unchanged even where eps replaced its value.
    var = ops.clone(var)
    with no_grad():
        ops.maximum.inplace(var, eps)
    losses = 0.5 * (ops.log(var) + ops.square(input - target) / var)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return apply_reduction(losses, reduction)
