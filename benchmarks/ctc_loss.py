"""CTC loss: the ctc_loss primitive against the same recursion written as a composite of
bridgetensor ops (autograd through every time step), and against torch when installed.

Prints, for a few (T, N, C, S), the time of forward + backward through log_softmax, and
checks that the three give the same loss and logit gradients. The composite is why CTC
is a primitive: it records ~20 nodes per time step.

Run: python benchmarks/ctc_loss.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import ops

CASES = ((50, 8, 20, 10), (100, 16, 20, 30), (200, 16, 40, 50))
REPEATS = 3


def composite_ctc(log_probs, targets, input_lengths, target_lengths, blank=0):
    """Mean CTC loss as a composite (full-length targets and inputs), for the comparison."""
    steps, n, _ = log_probs.shape
    s = targets.shape[1]
    blanks = ops.astype(targets * 0 + blank, dtype=bt.int64)
    pairs = ops.stack(blanks, targets, axis=2)
    extended = ops.concat(ops.reshape(pairs, shape=(n, 2 * s)), blanks[:, :1], axis=1)
    length = 2 * s + 1
    skip = np.zeros((n, length), dtype=bool)
    t_np = bt.to_numpy(targets)
    skip[:, 3::2] = t_np[:, 1:] != t_np[:, :-1]
    skip = bt.tensor(skip)
    index = ops.broadcast_to(ops.expand_dims(extended, axis=0), shape=(steps, n, length))
    emit = ops.take_along_axis(log_probs, index, axis=2)
    # A large finite stand-in for -inf: logsumexp of all -inf has a NaN gradient.
    neg_inf = bt.full((n, length), -1e30, dtype=log_probs.dtype)
    start = bt.tensor(np.arange(length) < 2)
    alpha = ops.where(start, emit[0], neg_inf)
    for t in range(1, steps):
        one = ops.concat(neg_inf[:, :1], alpha[:, :-1], axis=1)
        two = ops.where(skip, ops.concat(neg_inf[:, :2], alpha[:, :-2], axis=1), neg_inf)
        alpha = ops.logsumexp(ops.stack(alpha, one, two, axis=0), axis=0) + emit[t]
    nll = -ops.logaddexp(alpha[:, -1], alpha[:, -2])
    return ops.mean(nll / float(s))


def timed(fn):
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def run_case(steps, n, c, s, rng, torch) -> str:
    logits = rng.standard_normal((steps, n, c))
    targets = rng.integers(1, c, size=(n, s))
    lengths_in, lengths_t = np.full(n, steps), np.full(n, s)
    results = {}

    def ours(primitive=True):
        z = bt.tensor(logits, requires_grad=True)
        lp = F.log_softmax(z, dim=2)
        tg = bt.tensor(targets)
        if primitive:
            loss = F.ctc_loss(lp, tg, bt.tensor(lengths_in), bt.tensor(lengths_t))
        else:
            loss = composite_ctc(lp, tg, lengths_in, lengths_t)
        loss.backward()
        results["primitive" if primitive else "composite"] = (loss.item(), bt.to_numpy(z.grad))

    def theirs():
        z = torch.tensor(logits, requires_grad=True)
        loss = torch.nn.functional.ctc_loss(
            z.log_softmax(2),
            torch.tensor(targets),
            torch.tensor(lengths_in),
            torch.tensor(lengths_t),
        )
        loss.backward()
        results["torch"] = (loss.item(), z.grad.numpy())

    line = f"T={steps:4d} N={n:3d} C={c:3d} S={s:3d}:"
    line += f" primitive {timed(ours):8.1f} ms"
    line += f"  composite {timed(lambda: ours(False)):8.1f} ms"
    if torch is not None:
        line += f"  torch {timed(theirs):8.1f} ms"
    reference = results["primitive"]
    for name, (value, grad) in results.items():
        assert abs(value - reference[0]) < 1e-9, name
        assert np.allclose(grad, reference[1], atol=1e-10), name
    return line + "  (same loss and gradients)"


def main() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    for case in CASES:
        print(run_case(*case, rng, torch))


if __name__ == "__main__":
    main()
