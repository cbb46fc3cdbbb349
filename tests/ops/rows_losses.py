"""Op-table rows for the loss primitives of ops/losses.py and ops/losses_ctc.py (mse_loss's
rows are in rows_filling.py)."""

from __future__ import annotations

import numpy as np

import bridgetensor as bt
from bridgetensor import ops

from .rows_reduction import Fn
from .table import Arg, F, Row


def Prob(*shape):
    """Probabilities away from 0 and 1, where BCE's log clamp is inactive."""
    return Arg(shape or (3, 4), 0.05, 0.95)


def np_bce(x, y, w=None, reduction="mean"):
    losses = -(y * np.log(x) + (1 - y) * np.log1p(-x))
    if w is not None:
        losses = losses * w
    return {"mean": np.mean, "sum": np.sum}.get(reduction, lambda v: v)(losses)


# A fixed CTC problem: T=5 frames, N=2 samples, C=4 classes (blank 0), padded targets.
CTC_TARGETS = np.array([[1, 1], [2, 3]])
CTC_INPUT_LENGTHS = np.array([5, 4])
CTC_TARGET_LENGTHS = np.array([2, 1])


def np_log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def np_ctc(log_probs, targets, input_lengths, target_lengths, blank=0):
    """-log p(target) per sample by the textbook alpha recursion, one sample at a time."""
    result = []
    for n in range(log_probs.shape[1]):
        label = [blank]
        for k in targets[n, : target_lengths[n]]:
            label += [int(k), blank]
        alpha = np.full(len(label), -np.inf)
        alpha[0] = log_probs[0, n, label[0]]
        if len(label) > 1:
            alpha[1] = log_probs[0, n, label[1]]
        for t in range(1, input_lengths[n]):
            new = np.full_like(alpha, -np.inf)
            for s in range(len(label)):
                total = alpha[s]
                if s >= 1:
                    total = np.logaddexp(total, alpha[s - 1])
                if s >= 2 and label[s] != blank and label[s] != label[s - 2]:
                    total = np.logaddexp(total, alpha[s - 2])
                new[s] = total + log_probs[t, n, label[s]]
            alpha = new
        ends = alpha[-1] if len(label) == 1 else np.logaddexp(alpha[-1], alpha[-2])
        result.append(-ends)
    return np.asarray(result)


def _ctc_args(logits):
    like = logits
    return (
        bt.nn.functional.log_softmax(logits, dim=2),
        bt.tensor(CTC_TARGETS, device=like.device),
        bt.tensor(CTC_INPUT_LENGTHS, device=like.device),
        bt.tensor(CTC_TARGET_LENGTHS, device=like.device),
    )


def ctc_of_logits(logits):
    """ctc_loss after log_softmax: there torch's gradient convention is the derivative."""
    return ops.ctc_loss(*_ctc_args(logits))[0]


def ctc_backward_of_logits(logits):
    args = _ctc_args(logits)
    _, log_alpha = ops.ctc_loss(*args)
    ones = bt.ones(logits.shape[1], dtype=logits.dtype)
    return ops.ctc_loss_backward(ones, *args, log_alpha)


def np_ctc_of_logits(z):
    value = np_ctc(
        np_log_softmax(z.astype(np.float64)), CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS
    )
    return value.astype(z.dtype)


def np_ctc_backward_of_logits(z):
    """exp(log_probs) + d(sum of losses)/d(log_probs), by central differences."""
    lp = np_log_softmax(z.astype(np.float64))
    grad = np.zeros_like(lp)
    eps = 1e-6
    for index in np.ndindex(*lp.shape):
        moved = [lp.copy(), lp.copy()]
        moved[0][index] += eps
        moved[1][index] -= eps
        values = [
            np_ctc(m, CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS).sum() for m in moved
        ]
        grad[index] = (values[0] - values[1]) / (2 * eps)
    frames = np.arange(lp.shape[0])[:, None] < CTC_INPUT_LENGTHS[None, :]
    return np.where(frames[:, :, None], np.exp(lp) + grad, 0.0).astype(z.dtype)


NLL_TARGETS = np.array([0, 3, -100, 2])


def nll_of(reduction):
    """nll_loss of (4, 5) log-probabilities at fixed targets, one of them ignored."""
    return Fn(
        "nll_loss",
        lambda lp: ops.nll_loss(lp, bt.tensor(NLL_TARGETS), ignore_index=-100, reduction=reduction),
    )


def np_nll_of(reduction):
    def reference(lp):
        valid = NLL_TARGETS != -100
        picked = lp[np.arange(len(NLL_TARGETS)), np.where(valid, NLL_TARGETS, 0)]
        losses = np.where(valid, -picked, 0.0).astype(lp.dtype)
        if reduction == "none":
            return losses
        total = losses.sum(dtype=lp.dtype)
        return total if reduction == "sum" else (total / valid.sum()).astype(lp.dtype)

    return reference


ROWS = [
    *[
        Row(nll_of(reduction), np_nll_of(reduction), (F(4, 5),), name=reduction)
        for reduction in ("mean", "sum", "none")
    ],
    *[
        Row(
            ops.binary_cross_entropy,
            np_bce,
            (Prob(), Prob()),
            static={"reduction": reduction},
            name="" if reduction == "mean" else reduction,
        )
        for reduction in ("mean", "sum", "none")
    ],
    Row(
        ops.binary_cross_entropy,
        np_bce,
        (Prob(), Prob(), Arg((3, 4), 0.5, 2.0, differentiable=False)),
        static={"reduction": "mean"},
        name="weight",
    ),
    Row(
        Fn("ctc_loss", ctc_of_logits),
        np_ctc_of_logits,
        (F(5, 2, 4),),
        second_order=False,
        rtol=1e-4,
        atol=1e-5,
    ),
    Row(
        Fn("ctc_loss_backward", ctc_backward_of_logits),
        np_ctc_backward_of_logits,
        (F(5, 2, 4),),
        grad=False,
        rtol=1e-4,
        atol=1e-5,
    ),
]
