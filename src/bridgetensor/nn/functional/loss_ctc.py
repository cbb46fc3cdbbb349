"""Connectionist Temporal Classification loss (torch's ctc_loss)."""

from __future__ import annotations

from ... import _dtypes, ops
from ...ops._helpers import is_tensor, wrap
from ._loss_common import check_reduction, clamp_min

__all__ = ["ctc_loss"]


def _lengths(values, like, name: str):
    """Lengths as an int64 tensor on `like`'s backend (from a tensor, a sequence or an int)."""
    be = like._be
    if is_tensor(values):
        if values.dtype.is_floating_point or values.dtype.is_complex:
            raise RuntimeError(f"ctc_loss: {name} must be integers; got {values.dtype.name}")
        data = values._data
        if values._be is not be:
            raise RuntimeError(f"ctc_loss: {name} must be on the backend of log_probs")
        return wrap(be.xp.astype(data, be.native[_dtypes.int64]), be)
    if isinstance(values, int):
        values = [values]
    return wrap(be.xp.asarray(list(values), dtype=be.native[_dtypes.int64]), be)


def _padded(targets, target_lengths, batch: int):
    """Targets as (N, S): as given when 2-D, else cut from their concatenation."""
    lengths = target_lengths.tolist()
    if targets.ndim == 2:
        longest = max(lengths, default=0)
        if longest > targets.shape[1]:
            raise RuntimeError(
                f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                f"{targets.shape[1]} for argument #2 'targets' (while checking arguments for "
                "ctc_loss_cpu)"
            )
        return targets
    be = targets._be
    xp = be.xp
    longest = max(lengths, default=0)
    if sum(lengths) > targets.shape[0]:
        raise RuntimeError(
            f"ctc_loss: the target lengths sum to {sum(lengths)} but the concatenated targets "
            f"hold {targets.shape[0]}"
        )
    if targets.shape[0] == 0 or longest == 0:
        return wrap(xp.zeros((batch, longest), dtype=targets._data.dtype), be)
    starts, offset = [], 0
    for n in lengths:
        starts.append(offset)
        offset += n
    index = xp.asarray(starts)[:, None] + xp.arange(longest)[None, :]
    index = xp.where(index < targets.shape[0], index, xp.zeros_like(index))
    flat = xp.take(targets._data, xp.reshape(index, (-1,)), axis=0)
    return wrap(xp.reshape(flat, (batch, longest)), be)


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
):
    """Negative log likelihood of each target sequence under all alignments of the
    per-frame log-probabilities `log_probs` (T, N, C) or (T, C), blank class `blank`.

    `targets` are (N, S) padded or the concatenation of all targets; 'mean' divides each
    sample's loss by its target length, then averages over the batch.

    >>> import bridgetensor as bt
    >>> log_probs = bt.zeros(2, 1, 2).log_softmax(2)
    >>> bt.nn.functional.ctc_loss(log_probs, bt.tensor([[1]]), [2], [1], reduction="sum")
    tensor(0.2877)
    """
    reduction = check_reduction(reduction)
    unbatched = log_probs.ndim == 2
    if unbatched:
        log_probs = ops.expand_dims(log_probs, axis=1)
        if targets.ndim == 1:
            targets = ops.expand_dims(targets, axis=0)
    if log_probs.ndim != 3:
        raise RuntimeError(
            "ctc_loss: expected log_probs of shape (T, N, C) or (T, C); got "
            f"{list(log_probs.shape)}"
        )
    steps, batch, classes = log_probs.shape
    input_lengths = _lengths(input_lengths, log_probs, "input_lengths")
    target_lengths = _lengths(target_lengths, log_probs, "target_lengths")
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    for name, lengths in (("input_lengths", input_lengths), ("target_lengths", target_lengths)):
        if lengths.numel() != batch:
            raise RuntimeError(f"{name} must be of size batch_size")
    longest_input = max(input_lengths.tolist(), default=0)
    if longest_input > steps:
        raise RuntimeError(
            f"Expected input_lengths to have value at most {steps}, but got value "
            f"{longest_input} (while checking arguments for ctc_loss_cpu)"
        )
    if targets.dtype.is_floating_point:
        raise RuntimeError(f"ctc_loss: expected integer targets; got {targets.dtype.name}")
    padded = _padded(targets, target_lengths, batch)
    padded = wrap(padded._be.xp.astype(padded._data, padded._be.native[_dtypes.int64]), padded._be)
    nll, _ = ops.ctc_loss(
        log_probs,
        padded,
        input_lengths,
        target_lengths,
        blank=blank,
        zero_infinity=zero_infinity,
    )
    if reduction == "mean":
        per_label = clamp_min(ops.astype(target_lengths, dtype=nll.dtype), 1.0)
        return ops.mean(nll / per_label)
    if reduction == "sum":
        return ops.sum(nll)
    return ops.reshape(nll, shape=()) if unbatched else nll
