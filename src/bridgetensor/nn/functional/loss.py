"""Loss functions with torch's semantics for `reduction`."""

from __future__ import annotations

from ... import ops
from .softmax import log_softmax

__all__ = ["cross_entropy", "mse_loss"]

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean"):
    """Mean (or sum) of squared differences.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.mse_loss(bt.tensor([1.0, 3.0]), bt.tensor([0.0, 0.0]))
    tensor(5.)
    """
    _check_reduction(reduction)
    if tuple(input.shape) != tuple(target.shape):
        input, target = ops.broadcast_arrays(input, target)
    return ops.mse_loss(input, target, reduction=reduction)


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
):
    """Cross entropy of logits `input` (N, C, ...) or (C,) against class indices or
    class probabilities (`target` of input's shape).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.cross_entropy(bt.tensor([0.0, 0.0]), bt.tensor([1.0, 0.0]))
    tensor(0.6931)
    """
    _check_reduction(reduction)
    class_dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim=class_dim)
    if target.dtype.is_floating_point:
        losses = -ops.sum(logp * target, axis=class_dim)
        if reduction == "none":
            return losses
        return ops.sum(losses) if reduction == "sum" else ops.mean(losses)
    raise NotImplementedError("cross_entropy with class-index targets: see nn issue")
