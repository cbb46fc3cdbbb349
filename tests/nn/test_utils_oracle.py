"""nn.utils against torch.nn.utils: clipped gradients and returned norms."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _pair(seed, dtype=np.float32):
    rng = np.random.default_rng(seed)
    grads = [rng.standard_normal(s).astype(dtype) for s in [(3, 4), (5,), ()]]
    ours, theirs = [], []
    for g in grads:
        p, q = bt.nn.Parameter(bt.tensor(g * 0)), torch.nn.Parameter(torch.tensor(g * 0))
        p.grad, q.grad = bt.tensor(g), torch.tensor(g)
        ours.append(p)
        theirs.append(q)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1, math.inf, -math.inf, 0, 3.5, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair(0)
    if norm_type == 0:  # a zero gradient entry makes the 0-"norm" count matter
        ours[0].grad[0, 0] = 0.0
        theirs[0].grad[0, 0] = 0.0
    total_ours = bt.nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert str(total_ours.dtype).split(".")[-1] == str(total_theirs.dtype).split(".")[-1]
    np.testing.assert_allclose(total_ours.item(), total_theirs.item(), rtol=1e-6)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(to_np(p.grad), q.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_clip_grad_value_matches_torch():
    ours, theirs = _pair(1, np.float64)
    bt.nn.utils.clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(to_np(p.grad), q.grad.numpy())


def test_non_finite_error_matches_torch():
    ours, theirs = _pair(2)
    ours[1].grad[2] = math.inf
    theirs[1].grad[2] = math.inf
    with pytest.raises(RuntimeError) as expected:
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as got:
        bt.nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert str(got.value) == str(expected.value)
