"""Classification losses over class scores: nll_loss and cross_entropy (class indices with
weight, ignore_index and label smoothing, or class probabilities; K-dimensional and
unbatched inputs), multi_margin_loss and multilabel_margin_loss."""

from __future__ import annotations

from array_api_compat import device as array_device

from ... import _dtypes, ops
from ...ops._helpers import wrap
from ._loss_common import apply_reduction, resolve_reduction, torch_type
from .softmax import log_softmax

__all__ = ["cross_entropy", "multi_margin_loss", "multilabel_margin_loss", "nll_loss"]


def _arange(like, n: int):
    """0, 1, ..., n - 1 as an int64 tensor on `like`'s backend and device."""
    xp = like._be.xp
    native = like._be.native[_dtypes.int64]
    return wrap(xp.arange(n, dtype=native, device=array_device(like._data)), like._be)


def _as_long(target):
    return target if target.dtype is _dtypes.int64 else ops.astype(target, dtype=_dtypes.int64)


def _first_where(values, mask):
    """The first (in C order) entry of `values` where `mask` holds, as a Python number."""
    return ops.getitem(values, key=mask._data).tolist()[0]


def _check_weight(weight, input, n_classes: int, name: str = ""):
    if weight is None:
        return None
    if weight.ndim != 1 or weight.numel() != n_classes:
        raise RuntimeError(
            f"{name}weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}"
        )
    if weight.dtype is not input.dtype:
        raise RuntimeError(
            f"expected scalar type {torch_type(input.dtype)} but found {torch_type(weight.dtype)}"
        )
    return weight


def _class_layout(input, target):
    """torch's shape checks of nll_loss; returns (input (N, C, ...), target (N, ...))."""
    ndim = input.ndim
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    target_batch = target.shape[0] if target.ndim else 0
    if ndim != 1 and input.shape[0] != target_batch:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target_batch})."
        )
    if ndim <= 2:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}"
            )
    elif ndim == 4:
        if target.ndim != 3:
            raise RuntimeError(
                "only batches of spatial targets supported (3D tensors) but got targets of "
                f"dimension: {target.ndim}"
            )
        if tuple(target.shape[1:]) != tuple(input.shape[2:]):
            raise RuntimeError(
                f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}"
            )
    elif tuple(target.shape[1:]) != tuple(input.shape[2:]):
        expected = [input.shape[0], *input.shape[2:]]
        raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    if target.dtype not in (_dtypes.int64, _dtypes.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {torch_type(target.dtype)}"
        )
    target = _as_long(target)
    if ndim == 1:
        return ops.expand_dims(input, axis=0), ops.reshape(target, shape=(1,))
    return input, target


def _picked(logp, target, weight, ignore_index: int):
    """Per-target losses -weight[t] * logp[t] and weights weight[t], both 0 where ignored."""
    n_classes = logp.shape[1]
    valid = target != ignore_index
    bad = valid & ((target < 0) | (target >= n_classes))
    if bool(ops.any(bad)):
        raise IndexError(f"Target {_first_where(target, bad)} is out of bounds.")
    # Ignored targets read class 0 (always valid) and are masked out after.
    index = ops.where(valid, target, 0)
    picked = ops.take_along_axis(logp, ops.expand_dims(index, axis=1), axis=1)
    picked = ops.squeeze(picked, axis=1)
    if weight is None:
        weights = ops.astype(valid, dtype=logp.dtype)
        losses = ops.where(valid, -picked, 0.0)
    else:
        flat = ops.take(weight, ops.reshape(index, shape=(-1,)), axis=0)
        weights = ops.where(valid, ops.reshape(flat, shape=index.shape), 0.0)
        losses = ops.where(valid, -(picked * weights), 0.0)
    return losses, weights, valid


def _fused(logp, target, weight, ignore_index: int, reduction: str, unbatched: bool):
    """The common case as one node (ops.nll_loss, torch's NllLossBackward0): (N, C)
    log-probabilities, no class weights, targets in range; None otherwise."""
    if weight is not None or logp.ndim != 2 or unbatched or logp._be.lazy:
        return None
    xp, t = target._be.xp, target._data
    if bool(xp.any((t != ignore_index) & ((t < 0) | (t >= logp.shape[1])))):
        return None  # _picked raises torch's error
    return ops.nll_loss(logp, target, ignore_index=ignore_index, reduction=reduction)


def _finish(losses, weights, reduction: str, unbatched: bool):
    if reduction == "none":
        return ops.reshape(losses, shape=()) if unbatched else losses
    if reduction == "sum":
        return ops.sum(losses)
    # NOTE: as torch, 'mean' divides by the summed weights of the non-ignored targets
    # (NaN when every target is ignored).
    return ops.sum(losses) / ops.sum(weights)


def nll_loss(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
):
    """Negative log likelihood of class indices `target` under log-probabilities `input`
    of shape (N, C), (N, C, d1, ..., dK) or (C,).

    >>> import bridgetensor as bt
    >>> logp = bt.tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> bt.nn.functional.nll_loss(logp, bt.tensor([0, 1]))
    tensor(0.3000)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    unbatched = input.ndim == 1
    input, target = _class_layout(input, target)
    weight = _check_weight(weight, input, input.shape[1])
    fused = _fused(input, target, weight, ignore_index, reduction, unbatched)
    if fused is not None:
        return fused
    losses, weights, _ = _picked(input, target, weight, ignore_index)
    return _finish(losses, weights, reduction, unbatched)


def _check_floating(input):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"log_softmax\" not implemented for '{torch_type(input.dtype)}'"
        )


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
    """Cross entropy of logits `input` ((N, C), (N, C, d1, ..., dK) or (C,)) against class
    indices, or against class probabilities (a floating `target` of input's shape).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.cross_entropy(bt.tensor([[0.0, 0.0]]), bt.tensor([1]))
    tensor(0.6931)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    _check_floating(input)
    class_dim = 0 if input.ndim == 1 else 1
    if tuple(input.shape) == tuple(target.shape):
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{torch_type(target.dtype)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _probability_targets(input, target, weight, reduction, label_smoothing)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    unbatched = input.ndim == 1
    logp = log_softmax(input, dim=class_dim)
    logp, target = _class_layout(logp, target)
    n_classes = logp.shape[1]
    weight = _check_weight(weight, logp, n_classes)
    if label_smoothing == 0.0:
        fused = _fused(logp, target, weight, ignore_index, reduction, unbatched)
        if fused is not None:
            return fused
    losses, weights, valid = _picked(logp, target, weight, ignore_index)
    if label_smoothing > 0.0:
        # Smoothing puts mass label_smoothing / C on every class: its loss is the
        # (weighted) sum of -logp over classes, 0 for ignored targets.
        spread = logp if weight is None else logp * _along_classes(weight, logp.ndim, 1)
        smooth = ops.where(valid, -ops.sum(spread, axis=1), 0.0)
        losses = (1.0 - label_smoothing) * losses + (label_smoothing / n_classes) * smooth
    return _finish(losses, weights, reduction, unbatched)


def _along_classes(weight, ndim: int, class_dim: int):
    """The class weights shaped to broadcast along `class_dim` of an ndim-tensor."""
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return ops.reshape(weight, shape=tuple(shape))


def _probability_targets(input, target, weight, reduction: str, label_smoothing: float):
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    weight = _check_weight(weight, input, n_classes, "cross_entropy: ")
    logp = log_softmax(input, dim=class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(
                f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}"
            )
        target = target * (1.0 - label_smoothing) + label_smoothing / n_classes
    terms = logp * target
    if weight is not None:
        terms = terms * _along_classes(weight, input.ndim, class_dim)
    if reduction == "none":
        return -ops.sum(terms, axis=class_dim)
    total = -ops.sum(terms)
    if reduction == "sum":
        return total
    # 'mean' averages over the samples (every element but the class dimension).
    return total / float(input.numel() // n_classes) if input.numel() else total * float("nan")


def _margin_layout(input):
    """(input as (N, C), target as (N, ...), N, C) under torch's checks for margin losses."""
    ndim = input.ndim
    if not (
        (ndim == 2 and input.shape[1] != 0) or (ndim == 1 and input.shape[0] != 0) or ndim == 0
    ):
        raise RuntimeError(
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(input.shape)}"
        )
    frames = 1 if ndim <= 1 else input.shape[0]
    classes = 1 if ndim == 0 else input.shape[-1]
    return ops.reshape(input, shape=(frames, classes)), frames, classes


def multi_margin_loss(
    input,
    target,
    p: int = 1,
    margin: float = 1.0,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    """Multi-class hinge loss: for each sample, the mean over other classes j of
    max(0, margin - x[y] + x[j]) ** p (times weight[y]).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.multi_margin_loss(bt.tensor([[0.1, 0.2, 0.4, 0.8]]), bt.tensor([3]))
    tensor(0.3250)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    scores, frames, classes = _margin_layout(input)
    if target.ndim > 1 or target.numel() != frames:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{frames}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}."
        )
    if weight is not None and weight.numel() != classes:
        raise RuntimeError(
            f"inconsistent weight size, expected {classes} but got {list(weight.shape)}"
        )
    target = ops.reshape(_as_long(target), shape=(frames,))
    if bool(ops.any((target < 0) | (target >= classes))):
        raise RuntimeError("target out of range")
    column = ops.expand_dims(target, axis=1)
    own = ops.take_along_axis(scores, column, axis=1)
    # NOTE: relu has gradient 0 at 0, as torch counts only margins z > 0.
    hinge = ops.relu(margin - own + scores)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * ops.expand_dims(ops.take(weight, target, axis=0), axis=1)
    others = column != ops.expand_dims(_arange(target, classes), axis=0)
    losses = ops.sum(ops.where(others, hinge, 0.0), axis=1) / float(classes)
    if input.ndim <= 1 and reduction == "none":
        return ops.reshape(losses, shape=())
    return apply_reduction(losses, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean"):
    """Multi-label hinge loss: `target` lists each sample's classes, ended by -1; the loss
    is the sum of max(0, 1 - (x[target] - x[other])) over target and non-target classes,
    divided by the number of classes.

    >>> import bridgetensor as bt
    >>> x = bt.tensor([[0.1, 0.2, 0.4, 0.8]])
    >>> bt.nn.functional.multilabel_margin_loss(x, bt.tensor([[3, 0, -1, 1]]))
    tensor(0.8500)
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    scores, frames, classes = _margin_layout(input)
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(
            f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}"
        )
    target = ops.reshape(_as_long(target), shape=(frames, classes))
    # A sample's targets are the entries before its first -1.
    ended = ops.cumulative_sum(ops.astype(target == -1, dtype=_dtypes.int64), axis=1)
    listed = ended == 0
    if bool(ops.any(listed & ((target < 0) | (target >= classes)))):
        raise RuntimeError("argument #2 'target' is out of range")
    index = ops.where(listed, target, 0)
    rows = ops.expand_dims(_arange(target, frames), axis=1)
    hits = ops.index_add_at(
        ops.astype(listed, dtype=scores.dtype),
        shape=(frames, classes),
        key=(rows._data, index._data),
    )
    is_target = hits > 0
    own = ops.take_along_axis(scores, index, axis=1)
    # (sample, listed target k, class j): max(0, 1 - x[target_k] + x[j]) over non-targets j.
    # NOTE: relu has gradient 0 at 0, as torch counts only margins z > 0.
    hinge = ops.relu(1.0 - ops.expand_dims(own, axis=2) + ops.expand_dims(scores, axis=1))
    counted = ops.expand_dims(listed, axis=2) & ops.expand_dims(~is_target, axis=1)
    losses = ops.sum(ops.where(counted, hinge, 0.0), axis=(1, 2)) / float(classes)
    if input.ndim <= 1 and reduction == "none":
        return ops.reshape(losses, shape=())
    return apply_reduction(losses, reduction)
