"""Connectionist Temporal Classification loss (torch's ctc_loss)."""

from __future__ import annotations

from array_api_compat import device as array_device

from ... import _dtypes, ops
from ..._torch_api.math_rounding import clamp_min
from ...ops._helpers import is_tensor, wrap
from ._loss_common import check_reduction

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
        return wrap(be.xp.reshape(be.xp.astype(data, be.native[_dtypes.int64]), (-1,)), be)
    if isinstance(values, int):
        values = [values]
    native = be.native[_dtypes.int64]
    return wrap(be.xp.asarray(list(values), dtype=native, device=array_device(like._data)), be)


_WHERE = "(while checking arguments for ctc_loss_allocate_outputs)"


def _padded(targets, lengths: list, batch: int, classes: int):
    """Targets as (N, S) int64: as given when 2-D, else cut from their concatenation."""
    be = targets._be
    xp = be.xp
    data = xp.astype(targets._data, be.native[_dtypes.int64])
    longest = max(lengths, default=0)
    if targets.ndim == 2:
        if longest > targets.shape[1]:
            raise RuntimeError(
                f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                f"{targets.shape[1]} for argument #2 'targets' {_WHERE}"
            )
    else:
        if targets.shape[0] != sum(lengths):
            raise RuntimeError(
                f"Expected tensor to have size {sum(lengths)} at dimension 0, but got size "
                f"{targets.shape[0]} for argument #2 'targets' {_WHERE}"
            )
        starts = [sum(lengths[:n]) for n in range(batch)]
        where = array_device(data)
        index = (
            xp.asarray(starts, device=where)[:, None] + xp.arange(longest, device=where)[None, :]
        )
        index = xp.where(index < targets.shape[0], index, xp.zeros_like(index))
        if targets.shape[0] == 0:
            data = xp.zeros((batch, longest), dtype=data.dtype, device=where)
        else:
            data = xp.reshape(xp.take(data, xp.reshape(index, (-1,)), axis=0), (batch, longest))
    padded = wrap(data, be)
    where = array_device(data)
    positions = xp.arange(data.shape[1], device=where)[None, :]
    inside = wrap(positions < xp.asarray(lengths, device=where)[:, None], be)
    # torch reads out of bounds here (undefined values); we refuse.
    if bool(ops.any(inside & ((padded < 0) | (padded >= classes)))):
        raise RuntimeError(f"ctc_loss: target classes must be in [0, {classes})")
    return padded


def _check_lengths(name: str, values: list, batch: int, most: int | None):
    if len(values) != batch:
        raise RuntimeError(f"{name} must be of size batch_size")
    for value in values:
        if value < 0:
            raise RuntimeError(
                f"Expected {name} to have value at least 0, but got value {value} {_WHERE}"
            )
        if most is not None and value > most:
            raise RuntimeError(
                f"Expected {name} to have value at most {most}, but got value {value} {_WHERE}"
            )


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
        # One sample: 1-D targets are its (concatenated) labels, 2-D ones padded (1, S).
        log_probs = ops.expand_dims(log_probs, axis=1)
    if log_probs.ndim != 3:
        raise RuntimeError(
            f"Expected 3-dimensional tensor, but got {log_probs.ndim}-dimensional tensor for "
            f"argument #1 'log_probs' {_WHERE}"
        )
    steps, batch, classes = log_probs.shape
    if log_probs.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    input_lengths = _lengths(input_lengths, log_probs, "input_lengths")
    target_lengths = _lengths(target_lengths, log_probs, "target_lengths")
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    _check_lengths("input_lengths", input_lengths.tolist(), batch, steps)
    lengths = target_lengths.tolist()
    _check_lengths("target_lengths", lengths, batch, None)
    padded = _padded(targets, lengths, batch, classes)
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
