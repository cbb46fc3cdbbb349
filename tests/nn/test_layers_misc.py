"""Dropout, embedding, one_hot, distances, interpolation, attention and nn.init."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn

from ..helpers import to_np


def test_dropout_zeroes_and_rescales_in_training_only():
    x = bt.ones(1000)
    bt.manual_seed(0)
    y = F.dropout(x, 0.25)
    values = set(np.unique(to_np(y)).tolist())
    assert values <= {0.0, float(np.float32(1) / np.float32(0.75))}
    assert 0.15 < float((y == 0).float().mean()) < 0.35
    assert F.dropout(x, 0.25, training=False) is x
    assert F.dropout(x, 0.0) is x
    np.testing.assert_array_equal(to_np(F.dropout(x, 1.0)), np.zeros(1000))
    assert type(F.dropout(x.requires_grad_(), 0.5).grad_fn).__name__ == "MulBackward0"


def test_dropout_inplace_writes_into_the_input():
    x = bt.ones(50)
    out = F.dropout(x, 0.5, inplace=True)
    assert out is x
    assert float((x == 0).float().sum()) > 0


def test_feature_dropout_drops_whole_channels():
    bt.manual_seed(1)
    y = F.dropout2d(bt.ones(4, 8, 3, 3), 0.5)
    per_channel = to_np(y).reshape(4, 8, 9)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))


def test_dropout_modules_follow_train_and_eval():
    layer = nn.Dropout(0.5)
    x = bt.ones(20)
    layer.eval()
    assert layer(x) is x
    assert repr(nn.Dropout2d(0.3)) == "Dropout2d(p=0.3, inplace=False)"


def test_embedding_padding_row_is_zero_and_gets_no_gradient():
    table = nn.Embedding(5, 3, padding_idx=1)
    np.testing.assert_array_equal(to_np(table.weight)[1], np.zeros(3))
    out = table(bt.tensor([[1, 2], [1, 1]]))
    assert type(out.grad_fn).__name__ == "EmbeddingBackward0"
    out.sum().backward()
    grad = to_np(table.weight.grad)
    np.testing.assert_array_equal(grad[1], np.zeros(3))
    np.testing.assert_array_equal(grad[2], np.ones(3))
    np.testing.assert_array_equal(grad[[0, 3, 4]], np.zeros((3, 3)))


def test_embedding_scales_gradients_by_frequency():
    weight = bt.zeros(3, 2, requires_grad=True)
    F.embedding(bt.tensor([0, 0, 2]), weight, scale_grad_by_freq=True).sum().backward()
    np.testing.assert_array_equal(to_np(weight.grad), [[1, 1], [0, 0], [1, 1]])


def test_embedding_max_norm_renormalizes_looked_up_rows_in_place():
    weight = bt.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    F.embedding(bt.tensor([0, 1]), weight, max_norm=1.0)
    rows = to_np(weight)
    np.testing.assert_allclose(np.linalg.norm(rows[0]), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(rows[1], np.float32([0.3, 0.4]))
    np.testing.assert_array_equal(rows[2], [6.0, 8.0])


def test_one_hot():
    got = F.one_hot(bt.tensor([[0, 2], [1, 0]]))
    assert got.dtype == bt.int64
    np.testing.assert_array_equal(to_np(got), np.eye(3, dtype=np.int64)[[[0, 2], [1, 0]]])
    assert tuple(F.one_hot(bt.zeros(0, dtype=bt.int64), 4).shape) == (0, 4)


def test_distances():
    a, b = np.array([[3.0, 4.0], [1.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(
        to_np(F.pairwise_distance(bt.tensor(a), bt.tensor(b))),
        np.linalg.norm(a - b + 1e-6, axis=1),
    )
    cos = F.cosine_similarity(bt.tensor(a), bt.tensor(b))
    np.testing.assert_allclose(to_np(cos), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(
        to_np(F.normalize(bt.tensor(a))), a / np.linalg.norm(a, axis=1, keepdims=True)
    )
    # A zero vector keeps eps as its norm: no NaN, in the value or the gradient.
    z = bt.zeros(1, 3, requires_grad=True)
    F.cosine_similarity(z, bt.ones(1, 3)).sum().backward()
    assert not np.isnan(to_np(z.grad)).any()


def test_interpolate_nearest_and_linear_values():
    x = bt.tensor([[[1.0, 2.0, 4.0]]])
    np.testing.assert_array_equal(to_np(F.interpolate(x, scale_factor=2))[0, 0], [1, 1, 2, 2, 4, 4])
    corners = F.interpolate(x, size=5, mode="linear", align_corners=True)
    np.testing.assert_allclose(to_np(corners)[0, 0], [1, 1.5, 2, 3, 4])
    half = F.interpolate(x, size=6, mode="linear")
    np.testing.assert_allclose(to_np(half)[0, 0], [1, 1.25, 1.75, 2.5, 3.5, 4])
    assert tuple(
        F.interpolate(bt.ones(1, 2, 3, 3), scale_factor=(2, 1), mode="bilinear").shape
    ) == (1, 2, 6, 3)


def test_upsample_modules():
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
    up = nn.UpsamplingBilinear2d(scale_factor=2)
    assert tuple(up(bt.ones(1, 1, 2, 2)).shape) == (1, 1, 4, 4)


def test_attention_matches_a_numpy_softmax():
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal(s) for s in [(2, 3, 4), (2, 5, 4), (2, 5, 6)])
    scores = q @ k.transpose(0, 2, 1) / 2.0
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    got = F.scaled_dot_product_attention(bt.tensor(q), bt.tensor(k), bt.tensor(v))
    np.testing.assert_allclose(to_np(got), w @ v, rtol=1e-10)


def test_attention_masks_and_empty_rows():
    q = k = v = bt.ones(1, 3, 2)
    causal = F.scaled_dot_product_attention(q, k, bt.arange(6.0).reshape(1, 3, 2), is_causal=True)
    np.testing.assert_allclose(to_np(causal)[0, 0], [0.0, 1.0])
    mask = bt.tensor([[True, False, False], [False, False, False], [True, True, True]])
    got = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    np.testing.assert_array_equal(to_np(got)[0, 1], [0.0, 0.0])
    additive = F.scaled_dot_product_attention(q, k, v, attn_mask=bt.zeros(3, 3) - math.inf)
    np.testing.assert_array_equal(to_np(additive), np.zeros((1, 3, 2)))


def test_init_functions_fill_in_place_with_the_right_shapes_and_bounds():
    w = bt.empty(30, 20)
    assert nn.init.xavier_uniform_(w) is w
    assert float(w.abs().max()) <= math.sqrt(6 / 50)
    nn.init.uniform_(w, -0.1, 0.2)
    assert -0.1 <= float(w.min()) and float(w.max()) < 0.2
    nn.init.constant_(w, 0.5)
    assert float(w.sum()) == 300.0
    nn.init.zeros_(w)
    nn.init.ones_(w)
    assert float(w.sum()) == 600.0
    np.testing.assert_array_equal(to_np(nn.init.eye_(bt.empty(2, 3))), np.eye(2, 3))
    with pytest.warns(UserWarning, match="zero-element"):
        assert nn.init.kaiming_normal_(bt.empty(0, 3)).shape == (0, 3)
    t = nn.init.trunc_normal_(bt.empty(500), mean=0.0, std=2.0, a=-1.0, b=1.5)
    assert -1.0 <= float(t.min()) and float(t.max()) <= 1.5


def test_dirac_and_orthogonal():
    w = nn.init.dirac_(bt.empty(4, 2, 3, 3), groups=2)
    expected = np.zeros((4, 2, 3, 3))
    for g in range(2):
        for d in range(2):
            expected[g * 2 + d, d, 1, 1] = 1
    np.testing.assert_array_equal(to_np(w), expected)
    q = to_np(nn.init.orthogonal_(bt.empty(3, 5, dtype=bt.float64), gain=2.0))
    np.testing.assert_allclose(q @ q.T, 4 * np.eye(3), atol=1e-12)


@pytest.mark.parametrize(
    "name, param, expected",
    [
        ("linear", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)),
        ("selu", None, 0.75),
        ("leaky_relu", 0.2, math.sqrt(2 / 1.04)),
    ],
)
def test_calculate_gain(name, param, expected):
    assert nn.init.calculate_gain(name, param) == pytest.approx(expected)
