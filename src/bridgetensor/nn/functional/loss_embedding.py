"""Ranking and embedding losses: margin ranking, hinge embedding, cosine embedding and
triplet margin (with a p-norm, distance.pairwise_distance, or any distance)."""

from __future__ import annotations

from ... import ops
from ..._torch_api.math_rounding import clamp_min
from ._loss_common import apply_reduction, resolve_reduction
from .distance import pairwise_distance

__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]


def margin_ranking_loss(
    input1,
    input2,
    target,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    """max(0, -target * (input1 - input2) + margin) for targets in {1, -1}.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.margin_ranking_loss(bt.tensor([1.0]), bt.tensor([2.0]), bt.tensor([1.0]))
    tensor(1.)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} "
        )
    return apply_reduction(clamp_min(-target * (input1 - input2) + margin, 0.0), reduction)


def hinge_embedding_loss(
    input, target, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean"
):
    """input where target is 1, max(0, margin - input) where target is -1.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hinge_embedding_loss(bt.tensor([0.3, 2.0]), bt.tensor([-1.0, 1.0]))
    tensor(1.3500)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    # As torch: a target other than 1 and -1 contributes both terms.
    below_margin = ops.where(target != 1, clamp_min(margin - input, 0.0), 0.0)
    as_is = ops.where(target != -1, input, 0.0)
    return apply_reduction(below_margin + as_is, reduction)


_EPSILON = 1e-12  # torch's guard on the squared norms in cosine_embedding_loss


def cosine_embedding_loss(
    input1,
    input2,
    target,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1.

    >>> import bridgetensor as bt
    >>> a = bt.tensor([[1.0, 0.0]])
    >>> bt.nn.functional.cosine_embedding_loss(a, a, bt.tensor([1.0]))
    tensor(0.)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    dim = target.ndim
    if dim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    expected = 2 if dim == 1 else 1
    if input1.ndim != expected or input2.ndim != expected:
        raise RuntimeError(
            f"{dim}D target tensor expects {expected}D input tensors, but found inputs with "
            f"sizes {list(input1.shape)} and {list(input2.shape)}."
        )
    products = ops.sum(input1 * input2, axis=dim)
    squares1 = ops.sum(input1 * input1, axis=dim) + _EPSILON
    squares2 = ops.sum(input2 * input2, axis=dim) + _EPSILON
    cos = products / ops.sqrt(squares1 * squares2)
    similar = ops.where(target == 1, 1.0 - cos, 0.0)
    dissimilar = ops.where(target == -1, clamp_min(cos - margin, 0.0), 0.0)
    return apply_reduction(similar + dissimilar, reduction)


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    """max(0, d(anchor, positive) - d(anchor, negative) + margin) with the p-norm distance;
    `swap` uses min(d(a, n), d(p, n)) as the negative distance.

    >>> import bridgetensor as bt
    >>> a = bt.tensor([[0.0, 0.0]])
    >>> bt.nn.functional.triplet_margin_loss(a, a, a + 3.0, eps=0.0)
    tensor(0.)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)

    def distance(x1, x2):
        return pairwise_distance(x1, x2, p, eps)

    return _triplet(anchor, positive, negative, distance, margin, swap, reduction)


def _check_triplet_dims(anchor, positive, negative):
    if not (anchor.ndim == positive.ndim == negative.ndim):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and "
            f"negative {negative.ndim}D inputs"
        )


def _triplet(anchor, positive, negative, distance, margin, swap, reduction):
    to_positive = distance(anchor, positive)
    to_negative = distance(anchor, negative)
    if swap:
        # NOTE: minimum splits the gradient evenly on ties, as torch.min(a, b).
        to_negative = ops.minimum(to_negative, distance(positive, negative))
    return apply_reduction(clamp_min(margin + to_positive - to_negative, 0.0), reduction)


def triplet_margin_with_distance_loss(
    anchor,
    positive,
    negative,
    *,
    distance_function=None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
):
    """Triplet margin loss with any `distance_function(x1, x2)` (default: pairwise_distance).

    >>> import bridgetensor as bt
    >>> a = bt.tensor([[0.0, 0.0]])
    >>> bt.nn.functional.triplet_margin_with_distance_loss(a, a, a + 3.0)
    tensor(0.)
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    distance = pairwise_distance if distance_function is None else distance_function
    return _triplet(anchor, positive, negative, distance, margin, swap, reduction)
