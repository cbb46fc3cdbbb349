"""MultiheadAttention, scaled_dot_product_attention and the transformer encoder against
torch: default weights after manual_seed (bit for bit), state_dict keys, reprs, outputs,
attention weights, gradients of inputs and parameters, masks, dropout masks in training,
warnings and exception types."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor.nn.modules._transformer_parts import LayerNorm

from ..helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

TOL = {"float32": {"rtol": 1e-4, "atol": 2e-6}, "float64": {"rtol": 1e-9, "atol": 1e-11}}
E, HEADS, L, S, N, FF = 8, 2, 4, 5, 3, 16


def _pair(ours_cls, theirs_cls, *args, **kwargs):
    bt.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = ours_cls(*args, **kwargs), theirs_cls(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (key, p), q in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_array_equal(to_np(p), q.numpy(), err_msg=key)
    return ours, theirs


def _both(values):
    return bt.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)


def _check(ours, theirs, args, targs, kwargs=None, tkwargs=None, dtype="float64", train=False):
    ours.train(train)
    theirs.train(train)
    bt.manual_seed(3)
    torch.manual_seed(3)
    got = ours(*args, **(kwargs or {}))
    expected = theirs(*targs, **(tkwargs or kwargs or {}))
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    loss, tloss = 0.0, 0.0
    for i, (a, b) in enumerate(zip(got, expected)):
        if b is None:
            assert a is None
            continue
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(to_np(a), b.detach().numpy(), **TOL[dtype])
        weight = np.random.default_rng(i).standard_normal(tuple(b.shape)).astype(dtype)
        loss = loss + (a * bt.tensor(weight)).sum()
        tloss = tloss + (b * torch.tensor(weight)).sum()
    loss.backward()
    tloss.backward()
    for a, b in zip(args, targs):
        if b.grad is not None:
            np.testing.assert_allclose(to_np(a.grad), b.grad.numpy(), **TOL[dtype])
    for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(to_np(p.grad), q.grad.numpy(), **TOL[dtype], err_msg=key)


def _mha(**options):
    ours, theirs = _pair(bt.nn.MultiheadAttention, torch.nn.MultiheadAttention, E, HEADS, **options)
    return ours.double(), theirs.double()


MHA_OPTIONS = [
    {},
    {"bias": False},
    {"add_bias_kv": True},
    {"add_zero_attn": True, "batch_first": True},
    {"kdim": 6, "vdim": 7},
    {"kdim": 6, "vdim": 6, "add_bias_kv": True, "add_zero_attn": True, "batch_first": True},
]


@pytest.mark.parametrize("options", MHA_OPTIONS, ids=str)
@pytest.mark.parametrize("need_weights, average", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("batched", [True, False])
def test_multihead_attention_matches_torch(options, need_weights, average, batched):
    ours, theirs = _mha(**options)
    rng = np.random.default_rng(1)

    def shape(length, dim):
        if not batched:
            return (length, dim)
        return (N, length, dim) if options.get("batch_first") else (length, N, dim)

    q, tq = _both(rng.standard_normal(shape(L, E)))
    k, tk = _both(rng.standard_normal(shape(S, options.get("kdim", E))))
    v, tv = _both(rng.standard_normal(shape(S, options.get("vdim", E))))
    kwargs = {"need_weights": need_weights, "average_attn_weights": average}
    _check(ours, theirs, (q, k, v), (tq, tk, tv), kwargs)


@pytest.mark.parametrize("batch_first", [False, True])
def test_self_attention_uses_the_packed_projection_as_torch(batch_first):
    ours, theirs = _mha(batch_first=batch_first)
    x, tx = _both(np.random.default_rng(2).standard_normal((N, L, E)))
    for need_weights in (True, False):
        _check(ours, theirs, (x, x, x), (tx, tx, tx), {"need_weights": need_weights})


def _mask(kind, shape, rng):
    masked = rng.random(shape) < 0.3
    masked[..., 0] = False  # every row keeps a key
    if kind == "float":
        return np.where(masked, -1e9, rng.standard_normal(shape))
    return masked


@pytest.mark.parametrize(
    "attn, padding, three_d",
    [(a, p, t) for a, p, t in itertools.product(["bool", "float", None], ["bool", "float", None],
                                                 [False, True]) if a or not t],
)  # fmt: skip
@pytest.mark.parametrize("need_weights", [True, False])
def test_masks_match_torch(attn, padding, three_d, need_weights):
    ours, theirs = _mha()
    rng = np.random.default_rng(3)
    q, tq = _both(rng.standard_normal((L, N, E)))
    k, tk = _both(rng.standard_normal((S, N, E)))
    kwargs, tkwargs = {"need_weights": need_weights}, {"need_weights": need_weights}
    if attn:
        mask = _mask(attn, (N * HEADS, L, S) if three_d else (L, S), rng)
        kwargs["attn_mask"], tkwargs["attn_mask"] = bt.tensor(mask), torch.tensor(mask)
    if padding:
        mask = _mask(padding, (N, S), rng)
        kwargs["key_padding_mask"] = bt.tensor(mask)
        tkwargs["key_padding_mask"] = torch.tensor(mask)
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        _check(ours, theirs, (q, k, k), (tq, tk, tk), kwargs, tkwargs)
    mismatched = attn and padding and attn != padding
    assert any("mismatched" in str(w.message) for w in ours_warned) == bool(mismatched)


@pytest.mark.parametrize("need_weights", [True, False])
def test_causal_hint_and_fully_masked_rows_match_torch(need_weights):
    ours, theirs = _mha()
    x, tx = _both(np.random.default_rng(4).standard_normal((L, N, E)))
    causal = np.triu(np.full((L, L), -np.inf), 1)
    kwargs = {"need_weights": need_weights, "is_causal": True}
    _check(ours, theirs, (x, x, x), (tx, tx, tx), {**kwargs, "attn_mask": bt.tensor(causal)},
           {**kwargs, "attn_mask": torch.tensor(causal)})  # fmt: skip
    padding = np.zeros((N, L), bool)
    padding[1] = True  # every key of the second sequence is masked
    got = ours(x, x, x, key_padding_mask=bt.tensor(padding), need_weights=need_weights)
    expected = theirs(tx, tx, tx, key_padding_mask=torch.tensor(padding), need_weights=need_weights)
    # torch gives NaN with weights, and the output bias (zeros attended) without.
    np.testing.assert_allclose(to_np(got[0]), expected[0].detach().numpy(), rtol=1e-9)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_attention_dropout_draws_torchs_masks(need_weights, dtype):
    ours, theirs = _pair(bt.nn.MultiheadAttention, torch.nn.MultiheadAttention, E, HEADS,
                         dropout=0.3, batch_first=True)  # fmt: skip
    if dtype == "float64":
        ours.double()
        theirs.double()
    x, tx = _both(np.random.default_rng(5).standard_normal((N, L, E)).astype(dtype))
    _check(ours, theirs, (x, x, x), (tx, tx, tx), {"need_weights": need_weights}, dtype=dtype,
           train=True)  # fmt: skip


@pytest.mark.parametrize("causal, mask", [(False, None), (True, None), (False, "bool"),
                                           (False, "float")])  # fmt: skip
def test_scaled_dot_product_attention_matches_torch(causal, mask):
    rng = np.random.default_rng(6)
    q, tq = _both(rng.standard_normal((N, HEADS, L, E)))
    k, tk = _both(rng.standard_normal((N, HEADS, S, E)))
    v, tv = _both(rng.standard_normal((N, HEADS, S, 3)))
    kwargs, tkwargs = {"is_causal": causal, "scale": 0.3}, {"is_causal": causal, "scale": 0.3}
    if mask:
        values = rng.random((L, S)) < 0.7 if mask == "bool" else rng.standard_normal((L, S))
        if mask == "bool":
            values[1] = False  # a row with no key: 0 in torch's math path
        kwargs["attn_mask"], tkwargs["attn_mask"] = bt.tensor(values), torch.tensor(values)
    got = bt.nn.functional.scaled_dot_product_attention(q, k, v, **kwargs)
    expected = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, **tkwargs)
    np.testing.assert_allclose(to_np(got), expected.detach().numpy(), rtol=1e-9, atol=1e-12)
    got.square().sum().backward()
    expected.square().sum().backward()
    for a, b in [(q, tq), (k, tk), (v, tv)]:
        np.testing.assert_allclose(to_np(a.grad), b.grad.numpy(), rtol=1e-9, atol=1e-12)


LAYER_OPTIONS = [
    {},
    {"activation": "gelu", "norm_first": True},
    {"batch_first": True, "bias": False},
    {"batch_first": True, "norm_first": True, "layer_norm_eps": 1e-3},
]


@pytest.mark.parametrize("options", LAYER_OPTIONS, ids=str)
@pytest.mark.parametrize("train", [False, True])
@pytest.mark.parametrize("batched", [True, False])
def test_encoder_layer_matches_torch(options, train, batched):
    ours, theirs = _pair(bt.nn.TransformerEncoderLayer, torch.nn.TransformerEncoderLayer, E,
                         HEADS, FF, **options)  # fmt: skip
    ours.double()
    theirs.double()
    shape = (N, L, E) if options.get("batch_first") else (L, N, E)
    x, tx = _both(np.random.default_rng(7).standard_normal(shape if batched else (L, E)))
    _check(ours, theirs, (x,), (tx,), train=train)


def _encoders(batch_first, enable_nested_tensor=True):
    bt.manual_seed(0)
    torch.manual_seed(0)
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        layer = bt.nn.TransformerEncoderLayer(E, HEADS, FF, batch_first=batch_first)
        ours = bt.nn.TransformerEncoder(layer, 2, LayerNorm(E), enable_nested_tensor)
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        layer = torch.nn.TransformerEncoderLayer(E, HEADS, FF, batch_first=batch_first)
        theirs = torch.nn.TransformerEncoder(layer, 2, torch.nn.LayerNorm(E), enable_nested_tensor)
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (key, p), q in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_array_equal(to_np(p), q.numpy(), err_msg=key)
    return ours.double(), theirs.double()


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding", [False, True])
def test_encoder_matches_torch(batch_first, padding):
    ours, theirs = _encoders(batch_first)
    x, tx = _both(np.random.default_rng(8).standard_normal((N, L, E) if batch_first else (L, N, E)))
    kwargs, tkwargs = {}, {}
    if padding:
        mask = np.zeros((N, L), bool)
        mask[0, 2:] = True
        mask[2, 3] = True
        kwargs = {"src_key_padding_mask": bt.tensor(mask)}
        tkwargs = {"src_key_padding_mask": torch.tensor(mask)}
    _check(ours, theirs, (x,), (tx,), kwargs, tkwargs, train=True)
    causal = np.triu(np.full((L, L), -np.inf), 1)
    _check(ours, theirs, (x,), (tx,), {**kwargs, "mask": bt.tensor(causal)},
           {**tkwargs, "mask": torch.tensor(causal)})  # fmt: skip
    # Inference without gradients: torch's nested tensors leave 0 at padded positions.
    ours.eval()
    theirs.eval()
    with bt.no_grad(), torch.no_grad():
        got, expected = ours(x.detach(), **kwargs), theirs(tx.detach(), **tkwargs)
    np.testing.assert_allclose(to_np(got), expected.numpy(), rtol=1e-9, atol=1e-11)


def _bad_calls(lib):
    nn, F = lib.nn, lib.nn.functional
    mha = nn.MultiheadAttention(8, 2)
    x = lib.zeros(4, 3, 8)
    return {
        "embed_dim 0": lambda: nn.MultiheadAttention(0, 2),
        "heads do not divide": lambda: nn.MultiheadAttention(8, 3),
        "4-D query": lambda: mha(lib.zeros(1, 4, 3, 8), x, x),
        "key dims": lambda: mha(x, lib.zeros(4, 8), x),
        "padding mask dims": lambda: mha(x, x, x, key_padding_mask=lib.zeros(3, 4, 1)),
        "attn_mask 2-D shape": lambda: mha(x, x, x, attn_mask=lib.zeros(4, 5)),
        "attn_mask 3-D shape": lambda: mha(x, x, x, attn_mask=lib.zeros(2, 4, 4)),
        "attn_mask dims": lambda: mha(x, x, x, attn_mask=lib.zeros(1, 1, 4, 4)),
        "integer mask": lambda: mha(x, x, x, attn_mask=lib.zeros(4, 4, dtype=lib.int64)),
        "embed dim": lambda: mha(lib.zeros(4, 3, 6), lib.zeros(4, 3, 6), lib.zeros(4, 3, 6)),
        "key and value": lambda: mha(x, x, lib.zeros(5, 3, 8)),
        "causal without mask": lambda: mha(x, x, x, is_causal=True),
        "activation": lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"),
        "sdpa dtypes": lambda: F.scaled_dot_product_attention(
            lib.zeros(1, 2, 4, dtype=lib.float64), lib.zeros(1, 3, 4), lib.zeros(1, 3, 4)
        ),
        "sdpa causal and mask": lambda: F.scaled_dot_product_attention(
            lib.zeros(1, 2, 4, requires_grad=True),
            lib.zeros(1, 3, 4),
            lib.zeros(1, 3, 4),
            attn_mask=lib.ones(2, 3, dtype=lib.bool),
            is_causal=True,
        ),
        "sdpa dropout": lambda: F.scaled_dot_product_attention(
            lib.zeros(1, 2, 4), lib.zeros(1, 3, 4), lib.zeros(1, 3, 4), dropout_p=2.0
        ),
    }


@pytest.mark.parametrize("case", list(_bad_calls(bt)))
def test_errors_have_torch_types(case):
    with pytest.raises(Exception) as theirs:
        _bad_calls(torch)[case]()
    with pytest.raises(theirs.type):
        _bad_calls(bt)[case]()
