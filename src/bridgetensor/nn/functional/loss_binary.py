"""Binary and multi-label losses: binary cross entropy (on probabilities or logits), soft
margin and multi-label soft margin. The logit forms go through log-sigmoid, so logits of
any finite size give finite losses and gradients."""

from __future__ import annotations

from ... import ops
from ._loss_common import (
    apply_reduction,
    refuse_grad,
    resolve_reduction,
    torch_type,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "multilabel_soft_margin_loss",
    "soft_margin_loss",
]


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"
):
    """-(target log(input) + (1 - target) log(1 - input)) for probabilities `input`; each
    log is clamped to >= -100 as torch, so inputs 0 and 1 give finite losses.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.binary_cross_entropy(bt.tensor([0.5, 0.5]), bt.tensor([1.0, 0.0]))
    tensor(0.6931)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if target.dtype is not input.dtype:
        raise RuntimeError(
            f"Found dtype {torch_type(target.dtype)} but expected {torch_type(input.dtype)}"
        )
    if not bool(ops.all((input >= 0) & (input <= 1))):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        refuse_grad("binary_cross_entropy", "weight", weight)
        if weight.dtype is not input.dtype:
            weight = ops.astype(weight, dtype=input.dtype)
        if tuple(weight.shape) != tuple(input.shape):
            weight = ops.broadcast_to(weight, shape=tuple(input.shape))
        return ops.binary_cross_entropy(input, target, weight, reduction=reduction)
    return ops.binary_cross_entropy(input, target, reduction=reduction)


def binary_cross_entropy_with_logits(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight=None,
):
    """Binary cross entropy of sigmoid(input), computed from the logits without overflow;
    `pos_weight` scales the positive term (one value per class, broadcast on the last dim).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.binary_cross_entropy_with_logits(bt.tensor([0.0]), bt.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    if not target.dtype.is_floating_point:
        raise RuntimeError(
            f"result type {torch_type(input.dtype)} can't be cast to the desired output type "
            f"{torch_type(target.dtype)}"
        )
    log_p = ops.log_sigmoid(input)
    if pos_weight is not None:
        log_p = log_p * ((pos_weight - 1.0) * target + 1.0)
    losses = (1.0 - target) * input - log_p
    if weight is not None:
        losses = losses * weight
    return apply_reduction(losses, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean"):
    """log(1 + exp(-target * input)) for targets in {1, -1}, computed without overflow.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.soft_margin_loss(bt.tensor([0.0]), bt.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    refuse_grad("soft_margin_loss", "target", target)
    # NOTE: torch evaluates log1p(exp(-yx)), which overflows to inf for -yx > ~88 in
    # float32; log-sigmoid gives the finite value (and a finite gradient) there.
    return apply_reduction(-ops.log_sigmoid(target * input), reduction)


def multilabel_soft_margin_loss(
    input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"
):
    """Per-class binary cross entropy of sigmoid(input) against 0/1 `target`, averaged over
    the classes (last dimension).

    >>> import bridgetensor as bt
    >>> x, y = bt.tensor([[0.0, 0.0]]), bt.tensor([[1.0, 0.0]])
    >>> bt.nn.functional.multilabel_soft_margin_loss(x, y)
    tensor(0.6931)
    """
    if size_average is not None or reduce is not None:
        from ._loss_common import legacy_reduction

        reduction = legacy_reduction(size_average, reduce)
    losses = -(target * ops.log_sigmoid(input) + (1.0 - target) * ops.log_sigmoid(-input))
    if weight is not None:
        losses = losses * weight
    class_dim = input.ndim - 1
    losses = ops.sum(losses, axis=class_dim) / float(input.shape[class_dim])
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return apply_reduction(losses, reduction)
