"""Normalisation layers: statistics, running averages, train/eval, affine parameters."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn

from ..helpers import to_np


def _np_normalize(x, axes, eps=1e-5):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def test_batch_norm_training_normalizes_each_channel():
    x = np.random.default_rng(0).standard_normal((5, 3, 2, 2)) * 4 + 2
    got = F.batch_norm(bt.tensor(x), None, None, training=True)
    np.testing.assert_allclose(to_np(got), _np_normalize(x, (0, 2, 3)), rtol=1e-10)


def test_running_statistics_use_the_unbiased_variance():
    bn = nn.BatchNorm1d(2, momentum=0.25, dtype=bt.float64)
    x = np.random.default_rng(1).standard_normal((6, 2))
    bn(bt.tensor(x))
    np.testing.assert_allclose(to_np(bn.running_mean), 0.25 * x.mean(0), rtol=1e-12)
    np.testing.assert_allclose(to_np(bn.running_var), 0.75 + 0.25 * x.var(0, ddof=1), rtol=1e-12)
    assert int(bn.num_batches_tracked) == 1
    assert bn.num_batches_tracked.dtype == bt.int64


def test_momentum_none_is_a_cumulative_average():
    bn = nn.BatchNorm1d(1, momentum=None, dtype=bt.float64)
    batches = [np.array([[1.0], [3.0]]), np.array([[5.0], [9.0]]), np.array([[0.0], [4.0]])]
    for b in batches:
        bn(bt.tensor(b))
    np.testing.assert_allclose(to_np(bn.running_mean), [np.mean([b.mean() for b in batches])])
    np.testing.assert_allclose(
        to_np(bn.running_var), [np.mean([b.var(ddof=1) for b in batches])], rtol=1e-12
    )


def test_eval_mode_uses_running_statistics_and_leaves_them():
    bn = nn.BatchNorm1d(2, dtype=bt.float64)
    with bt.no_grad():
        bn.running_mean.copy_(bt.tensor([1.0, -1.0], dtype=bt.float64))
        bn.running_var.copy_(bt.tensor([4.0, 0.25], dtype=bt.float64))
    bn.eval()
    x = np.array([[3.0, 0.0]])
    got = bn(bt.tensor(x))
    np.testing.assert_allclose(to_np(got), [[2 / np.sqrt(4 + 1e-5), 1 / np.sqrt(0.25 + 1e-5)]])
    assert int(bn.num_batches_tracked) == 0


def test_batch_norm_state_dict_and_gradients_of_affine_parameters():
    bn = nn.BatchNorm2d(3)
    assert list(bn.state_dict()) == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert list(nn.BatchNorm2d(3, affine=False, track_running_stats=False).state_dict()) == []
    x = bt.randn(4, 3, 2, 2)
    bn(x).sum().backward()
    np.testing.assert_allclose(to_np(bn.bias.grad), np.full(3, 16.0))
    np.testing.assert_allclose(to_np(bn.weight.grad), np.zeros(3), atol=1e-5)


def test_layer_norm_over_trailing_axes_with_affine():
    x = np.random.default_rng(2).standard_normal((2, 3, 4))
    ln = nn.LayerNorm((3, 4), dtype=bt.float64)
    with bt.no_grad():
        ln.weight.fill_(2.0)
        ln.bias.fill_(0.5)
    got = ln(bt.tensor(x))
    np.testing.assert_allclose(to_np(got), 2 * _np_normalize(x, (1, 2)) + 0.5, rtol=1e-10)
    assert [n for n, _ in nn.LayerNorm(4, bias=False).named_parameters()] == ["weight"]
    assert list(nn.LayerNorm(4, elementwise_affine=False).parameters()) == []


def test_group_norm_normalizes_groups_of_channels():
    x = np.random.default_rng(3).standard_normal((2, 4, 3))
    got = F.group_norm(bt.tensor(x), 2)
    expected = _np_normalize(x.reshape(2, 2, 6), (2,)).reshape(2, 4, 3)
    np.testing.assert_allclose(to_np(got), expected, rtol=1e-10)


def test_instance_norm_normalizes_each_sample_and_channel():
    x = np.random.default_rng(4).standard_normal((2, 3, 5))
    np.testing.assert_allclose(to_np(F.instance_norm(bt.tensor(x))), _np_normalize(x, (2,)))


@pytest.mark.parametrize("dtype", [bt.float32, bt.float64])
def test_norm_layers_keep_the_dtype(dtype):
    x = bt.randn(4, 6, 3, dtype=dtype)
    for layer in (
        nn.BatchNorm1d(6, dtype=dtype),
        nn.GroupNorm(3, 6, dtype=dtype),
        nn.LayerNorm(3, dtype=dtype),
    ):
        assert layer(x).dtype == dtype
