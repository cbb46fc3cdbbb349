"""Attention and the transformer encoder: values against a NumPy reference of the
definitions, masks, shapes, parameter names and initialisation, dropout, gradients and
errors (torch comparisons are in test_attention_oracle.py)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F

from ..helpers import to_np

E, HEADS, L, S, N = 8, 2, 4, 5, 3


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _reference(mha, q, k, v, additive=None):
    """Multi-head attention from its definition, in NumPy, on (L, N, E) inputs."""
    w, b = to_np(mha.in_proj_weight), to_np(mha.in_proj_bias)
    wq, wk, wv = np.split(w, 3)
    bq, bk, bv = np.split(b, 3)
    d = E // HEADS

    def heads(x):  # (length, N, E) -> (N, heads, length, d)
        return x.reshape(x.shape[0], N, HEADS, d).transpose(1, 2, 0, 3)

    qh, kh, vh = heads(q @ wq.T + bq), heads(k @ wk.T + bk), heads(v @ wv.T + bv)
    scores = qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(d)
    if additive is not None:
        scores = scores + additive
    weights = _softmax(scores)
    out = (weights @ vh).transpose(2, 0, 1, 3).reshape(q.shape[0], N, E)
    return out @ to_np(mha.out_proj.weight).T + to_np(mha.out_proj.bias), weights


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((L, N, E)), rng.standard_normal((S, N, E))


def test_multihead_attention_matches_its_definition():
    mha = bt.nn.MultiheadAttention(E, HEADS).double()
    with bt.no_grad():
        mha.in_proj_bias.uniform_(-1.0, 1.0)
    q, k = _inputs()
    out, weights = mha(bt.tensor(q), bt.tensor(k), bt.tensor(k), average_attn_weights=False)
    expected, expected_weights = _reference(mha, q, k, k)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(to_np(weights), expected_weights, rtol=1e-10, atol=1e-12)
    out, averaged = mha(bt.tensor(q), bt.tensor(k), bt.tensor(k))
    np.testing.assert_allclose(to_np(averaged), expected_weights.mean(axis=1), rtol=1e-10)
    out2, none = mha(bt.tensor(q), bt.tensor(k), bt.tensor(k), need_weights=False)
    assert none is None
    np.testing.assert_allclose(to_np(out2), expected, rtol=1e-10, atol=1e-12)


def test_masks_remove_keys():
    mha = bt.nn.MultiheadAttention(E, HEADS).double()
    q, k = _inputs(1)
    padding = np.zeros((N, S), bool)
    padding[0, 3:] = True
    blocked = np.zeros((L, S), bool)
    blocked[:, 1] = True
    additive = np.where(padding[:, None, None, :] | blocked, -np.inf, 0.0)
    expected, expected_weights = _reference(mha, q, k, k, additive)
    for need_weights in (True, False):
        out, weights = mha(bt.tensor(q), bt.tensor(k), bt.tensor(k),
                           key_padding_mask=bt.tensor(padding), attn_mask=bt.tensor(blocked),
                           need_weights=need_weights)  # fmt: skip
        np.testing.assert_allclose(to_np(out), expected, rtol=1e-10, atol=1e-12)
        if need_weights:
            averaged = expected_weights.mean(axis=1)
            np.testing.assert_allclose(to_np(weights), averaged, rtol=1e-10, atol=1e-12)
            assert (to_np(weights)[0, :, 3:] == 0.0).all() and (to_np(weights)[:, :, 1] == 0).all()
    # A float mask is added to the scores.
    bias = np.random.default_rng(2).standard_normal((L, S))
    out, _ = mha(bt.tensor(q), bt.tensor(k), bt.tensor(k), attn_mask=bt.tensor(bias))
    np.testing.assert_allclose(to_np(out), _reference(mha, q, k, k, bias)[0], rtol=1e-10)


def test_shapes_batch_first_unbatched_and_projections():
    mha = bt.nn.MultiheadAttention(E, HEADS, batch_first=True, kdim=6, vdim=7)
    out, weights = mha(bt.zeros(N, L, E), bt.zeros(N, S, 6), bt.zeros(N, S, 7),
                       average_attn_weights=False)  # fmt: skip
    assert tuple(out.shape) == (N, L, E)
    assert tuple(weights.shape) == (N, HEADS, L, S)
    out, weights = mha(bt.zeros(L, E), bt.zeros(S, 6), bt.zeros(S, 7))
    assert tuple(out.shape) == (L, E)
    assert tuple(weights.shape) == (L, S)
    assert [name for name, _ in mha.named_parameters()] == [
        "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight",
        "out_proj.bias",
    ]  # fmt: skip
    assert mha.in_proj_weight is None


def test_default_initialisation():
    mha = bt.nn.MultiheadAttention(E, HEADS, add_bias_kv=True)
    assert list(mha.state_dict()) == ["in_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                                      "out_proj.weight", "out_proj.bias"]  # fmt: skip
    bound = math.sqrt(6.0 / (E + 3 * E))  # xavier_uniform_ of (3E, E)
    assert float(mha.in_proj_weight.abs().max()) <= bound
    assert float(mha.in_proj_bias.abs().max()) == 0.0
    assert float(mha.out_proj.bias.abs().max()) == 0.0
    assert tuple(mha.bias_k.shape) == (1, 1, E)
    assert bt.nn.MultiheadAttention(E, HEADS, bias=False).in_proj_bias is None


def test_add_bias_kv_and_zero_attention_add_one_key_each():
    mha = bt.nn.MultiheadAttention(E, HEADS, add_bias_kv=True, add_zero_attn=True)
    q, k = _inputs(3)
    _, weights = mha(bt.tensor(q, dtype=bt.float32), bt.tensor(k, dtype=bt.float32),
                     bt.tensor(k, dtype=bt.float32))  # fmt: skip
    assert tuple(weights.shape) == (N, L, S + 2)


def test_scaled_dot_product_attention_matches_its_definition():
    rng = np.random.default_rng(4)
    q, k, v = (rng.standard_normal((N, HEADS, n, E)) for n in (L, S, S))
    out = F.scaled_dot_product_attention(bt.tensor(q), bt.tensor(k), bt.tensor(v))
    expected = _softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(E)) @ v
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-10)
    causal = np.tril(np.ones((L, S), bool))
    out = F.scaled_dot_product_attention(bt.tensor(q), bt.tensor(k), bt.tensor(v), is_causal=True)
    scores = np.where(causal, q @ k.transpose(0, 1, 3, 2) * 0.5, -np.inf)
    out = F.scaled_dot_product_attention(bt.tensor(q), bt.tensor(k), bt.tensor(v),
                                         is_causal=True, scale=0.5)  # fmt: skip
    np.testing.assert_allclose(to_np(out), _softmax(scores) @ v, rtol=1e-10)


def test_scaled_dot_product_attention_gives_zero_for_rows_without_keys():
    q = bt.ones(1, 2, 4, dtype=bt.float64, requires_grad=True)
    k = bt.ones(1, 3, 4, dtype=bt.float64, requires_grad=True)
    mask = bt.tensor([[True, True, False], [False, False, False]])
    out = F.scaled_dot_product_attention(q, k, k, attn_mask=mask)
    np.testing.assert_array_equal(to_np(out)[0, 1], np.zeros(4))
    out.sum().backward()
    assert np.isfinite(to_np(q.grad)).all() and np.isfinite(to_np(k.grad)).all()


def test_gradients_match_finite_differences():
    mha = bt.nn.MultiheadAttention(4, 2, add_bias_kv=True).double()
    rng = np.random.default_rng(5)
    q = bt.tensor(rng.standard_normal((3, 2, 4)), requires_grad=True)
    k = bt.tensor(rng.standard_normal((2, 2, 4)), requires_grad=True)
    assert bt.autograd.gradcheck(lambda q, k: mha(q, k, k)[0], (q, k))
    layer = bt.nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, activation="gelu").double()
    assert bt.autograd.gradcheck(layer, (q,))


def test_dropout_in_training_only():
    mha = bt.nn.MultiheadAttention(E, HEADS, dropout=0.5)
    x = bt.tensor(_inputs(6)[0], dtype=bt.float32)
    mha.eval()
    first, second = mha(x, x, x)[1], mha(x, x, x)[1]
    np.testing.assert_array_equal(to_np(first), to_np(second))
    mha.train()
    _, weights = mha(x, x, x, average_attn_weights=False)
    values = to_np(weights)
    assert ((values == 0.0) | (values > 0.0)).all() and (values == 0.0).any()


def test_encoder_layer_and_encoder():
    layer = bt.nn.TransformerEncoderLayer(E, HEADS, 16, norm_first=True, batch_first=True)
    assert tuple(layer(bt.zeros(N, L, E)).shape) == (N, L, E)
    assert tuple(layer(bt.zeros(L, E)).shape) == (L, E)
    with pytest.warns(UserWarning, match="norm_first was True"):
        encoder = bt.nn.TransformerEncoder(layer, 3)
    assert len(encoder.layers) == 3
    assert encoder.layers[0] is not encoder.layers[1]
    w0, w1 = encoder.layers[0].linear1.weight, encoder.layers[1].linear1.weight
    np.testing.assert_array_equal(to_np(w0), to_np(w1))  # deep copies of one layer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bt.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
    assert tuple(encoder(bt.zeros(N, L, E)).shape) == (N, L, E)


def test_encoder_inference_leaves_zeros_at_padded_positions_as_torch():
    layer = bt.nn.TransformerEncoderLayer(E, HEADS, 16, batch_first=True)
    encoder = bt.nn.TransformerEncoder(layer, 2).eval()
    padding = bt.tensor([[False, False, True, True]] * N)
    x = bt.tensor(np.random.default_rng(7).standard_normal((N, L, E)), dtype=bt.float32)
    with bt.no_grad():
        out = to_np(encoder(x, src_key_padding_mask=padding))
    assert (out[:, 2:] == 0.0).all() and (out[:, :2] != 0.0).all()
    out = to_np(encoder(x, src_key_padding_mask=padding))  # with gradients: torch's own path
    assert (out[:, 2:] != 0.0).all()


def test_mismatched_mask_types_warn():
    mha = bt.nn.MultiheadAttention(E, HEADS)
    x = bt.zeros(L, N, E)
    with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
        mha(x, x, x, key_padding_mask=bt.zeros(N, L, dtype=bt.bool), attn_mask=bt.zeros(L, L))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bt.nn.MultiheadAttention(0, 2), ValueError,
         "embed_dim and num_heads must be greater than 0"),
        (lambda: bt.nn.MultiheadAttention(8, 3), AssertionError,
         "embed_dim must be divisible by num_heads"),
        (lambda: bt.nn.MultiheadAttention(8, 2)(bt.zeros(4, 3, 8), bt.zeros(4, 8),
                                                bt.zeros(4, 3, 8)),
         AssertionError, "expected `key` and `value` to be 3-D but found 2-D and 3-D"),
        (lambda: bt.nn.MultiheadAttention(8, 2)(bt.zeros(4, 3, 8), bt.zeros(4, 3, 8),
                                                bt.zeros(4, 3, 8), attn_mask=bt.zeros(4, 5)),
         RuntimeError, r"The shape of the 2D attn_mask is .*, but should be \(4, 4\)"),
        (lambda: bt.nn.MultiheadAttention(8, 2)(bt.zeros(4, 3, 8), bt.zeros(4, 3, 8),
                                                bt.zeros(4, 3, 8),
                                                attn_mask=bt.zeros(4, 4, dtype=bt.int64)),
         AssertionError, "only bool and floating types of attn_mask are supported"),
        (lambda: bt.nn.MultiheadAttention(8, 2)(bt.zeros(4, 3, 8), bt.zeros(4, 3, 8),
                                                bt.zeros(4, 3, 8), is_causal=True),
         RuntimeError, "Need attn_mask if specifying the is_causal hint"),
        (lambda: bt.nn.TransformerEncoderLayer(8, 2, activation="tanh"), RuntimeError,
         "activation should be relu/gelu, not tanh"),
        (lambda: F.scaled_dot_product_attention(bt.zeros(1, 2, 4), bt.zeros(1, 3, 4),
                                                bt.zeros(1, 3, 4), dropout_p=1.5),
         RuntimeError, "dropout probability has to be between 0 and 1"),
        (lambda: F.scaled_dot_product_attention(bt.zeros(1, 2, 4, dtype=bt.float64),
                                                bt.zeros(1, 3, 4), bt.zeros(1, 3, 4)),
         RuntimeError, "Expected query, key, and value to have the same dtype"),
    ],
)  # fmt: skip
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
