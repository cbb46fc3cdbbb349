"""The NumPy backend reproduces torch's float results where NumPy would round differently:
whole-tensor sums add in torch's order, float32 transcendentals round like torch's."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor._torch_sum import torch_order_sum

from .conftest import numpy_only

SHAPES = [
    (1,),
    (2,),
    (7,),
    (8,),
    (9,),
    (15,),
    (33,),
    (100,),
    (511,),
    (512,),
    (513,),
    (4096,),
    (20000,),
    (32768,),
    (3, 3),
    (64, 10),
    (5, 4, 3),
    (2, 600),
    (1000, 8),
]


def test_empty_and_negative_zero_sums():
    assert torch_order_sum(np.full(5, -0.0, np.float32), None, False).item() == 0.0
    assert torch_order_sum(np.zeros(0, np.float32), None, False) is None


def test_layouts_that_are_not_replayed_fall_back():
    x = np.ones((4, 5), np.float32)
    assert torch_order_sum(x.T, None, False) is None  # not C-contiguous
    assert torch_order_sum(np.ones(40000, np.float32), None, False) is None  # past the grain
    assert torch_order_sum(np.ones((3, 4, 5), np.float32), (0, 2), False) is None


@pytest.mark.oracle
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sums_equal_torch_bit_for_bit(shape, dtype):
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    rng = np.random.default_rng(len(shape) * 1000 + shape[0])
    x = (rng.standard_normal(shape) * 10.0 ** rng.integers(-4, 5, shape)).astype(dtype)
    axes = [None, -1, 0] if len(shape) > 1 else [None]
    for axis in axes:
        ours = torch_order_sum(x, axis, False)
        theirs = torch.from_numpy(x).sum() if axis is None else torch.from_numpy(x).sum(axis)
        np.testing.assert_array_equal(ours, theirs.numpy())


@pytest.mark.oracle
@numpy_only
def test_mean_item_equals_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    for n in (9, 100, 1000):
        x = rng.random(n).astype(np.float32)
        assert bt.from_numpy(x).mean().item() == torch.from_numpy(x).mean().item()


@pytest.mark.oracle
@numpy_only
@pytest.mark.parametrize("name", ["exp", "log", "tanh", "log1p", "expm1"])
def test_float32_transcendentals_round_like_torch(name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.uniform(0.01, 5.0, 100_000).astype(np.float32)
    ours = getattr(bt.ops, name)(bt.from_numpy(x)).numpy()
    theirs = getattr(torch, name)(torch.from_numpy(x)).numpy()
    plain_numpy = getattr(np, name)(x)
    # Measured: NumPy's float32 kernels differ from torch on 11-39% of these; ours on < 2%.
    assert np.mean(ours != theirs) < 0.02
    assert np.mean(ours != theirs) < np.mean(plain_numpy != theirs)
