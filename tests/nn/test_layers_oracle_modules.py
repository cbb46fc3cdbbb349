"""The layer modules against torch.nn: default initialisation after manual_seed (the same
draws), state_dict keys, shapes and dtypes, repr, forward and backward, train/eval."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np
from .layers_oracle import TOLERANCE, same_error

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

# (constructor name, args, kwargs, input shapes (None: no forward check))
MODULES = [
    ("Identity", (3,), {"unused": 1}, [(2, 3)]),
    ("Linear", (5, 3), {}, [(4, 5)]),
    ("Linear", (4, 2), {"bias": False}, [(3, 2, 4)]),
    ("Bilinear", (3, 4, 5), {}, [(2, 3), (2, 4)]),
    ("Bilinear", (3, 4, 5), {"bias": False}, [(3,), (4,)]),
    ("Flatten", (), {}, [(2, 3, 4)]),
    ("Flatten", (0, 1), {}, [(2, 3, 4)]),
    ("Unflatten", (1, (2, 3)), {}, [(4, 6)]),
    ("Conv1d", (3, 4, 3), {}, [(2, 3, 7)]),
    ("Conv1d", (2, 4, 3), {"padding": "same", "padding_mode": "circular"}, [(2, 2, 6)]),
    (
        "Conv2d",
        (3, 4, (3, 2)),
        {"stride": 2, "padding": 1, "dilation": 2, "bias": False, "padding_mode": "reflect"},
        [(2, 3, 8, 7)],
    ),
    ("Conv2d", (4, 6, 3), {"groups": 2, "padding": "same"}, [(2, 4, 5, 5)]),
    ("Conv2d", (3, 2, 3), {"padding": (1, 2), "padding_mode": "replicate"}, [(3, 5, 4)]),
    ("Conv2d", (1, 16, 3), {}, [(4, 1, 8, 8)]),
    ("Conv3d", (2, 3, 2), {"stride": (1, 2, 1)}, [(1, 2, 3, 4, 3)]),
    ("ConvTranspose1d", (3, 2, 3), {"stride": 2}, [(2, 3, 4)]),
    (
        "ConvTranspose2d",
        (4, 6, 3),
        {"stride": 2, "output_padding": 1, "groups": 2, "padding": 1},
        [(2, 4, 3, 3)],
    ),
    ("ConvTranspose2d", (3, 2, (2, 3)), {"bias": False, "dilation": 2}, [(3, 3, 2)]),
    ("ConvTranspose3d", (2, 1, 2), {}, [(1, 2, 2, 2, 2)]),
    ("MaxPool1d", (3,), {"stride": 2, "padding": 1}, [(2, 3, 8)]),
    ("MaxPool2d", (2,), {}, [(2, 3, 6, 6)]),
    (
        "MaxPool2d",
        ((2, 3),),
        {"stride": 1, "padding": 1, "dilation": 2, "ceil_mode": True},
        [(2, 3, 7, 8)],
    ),
    ("MaxPool3d", (2,), {}, [(1, 2, 4, 4, 4)]),
    ("AvgPool1d", (2,), {}, [(2, 3, 8)]),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False}, [(2, 3, 7, 7)]),
    ("AvgPool2d", ((2, 3),), {"ceil_mode": True, "divisor_override": 4}, [(2, 3, 7, 7)]),
    ("AvgPool3d", (2,), {}, [(1, 2, 4, 4, 4)]),
    ("AdaptiveAvgPool1d", (3,), {}, [(2, 3, 8)]),
    ("AdaptiveAvgPool2d", ((2, None),), {}, [(2, 3, 5, 4)]),
    ("AdaptiveAvgPool2d", (3,), {}, [(2, 3, 7, 8)]),
    ("AdaptiveAvgPool3d", (1,), {}, [(1, 2, 3, 3, 3)]),
    ("BatchNorm1d", (3,), {}, [(4, 3)]),
    ("BatchNorm1d", (3,), {"affine": False, "momentum": None}, [(4, 3, 5)]),
    ("BatchNorm2d", (3,), {"eps": 1e-3, "track_running_stats": False}, [(2, 3, 4, 4)]),
    ("BatchNorm2d", (3,), {"bias": False}, [(2, 3, 4, 4)]),
    ("BatchNorm3d", (2,), {}, [(2, 2, 2, 2, 2)]),
    ("LayerNorm", ((3, 4),), {}, [(2, 3, 4)]),
    ("LayerNorm", (4,), {"bias": False, "eps": 1e-6}, [(5, 4)]),
    ("LayerNorm", (4,), {"elementwise_affine": False}, [(5, 4)]),
    ("GroupNorm", (2, 4), {}, [(2, 4, 3)]),
    ("GroupNorm", (3, 6), {"affine": False, "eps": 1e-3}, [(2, 6, 2, 2)]),
    ("Dropout", (), {}, None),
    ("Dropout", (0.2,), {"inplace": True}, None),
    ("Dropout2d", (0.3,), {}, None),
    ("Embedding", (10, 3), {}, None),
    ("Embedding", (10, 3), {"padding_idx": -2, "scale_grad_by_freq": True}, None),
    ("Embedding", (10, 3), {"max_norm": 1.0, "norm_type": 1.0}, None),
    ("CosineSimilarity", (), {"dim": 0}, [(3, 4), (3, 4)]),
    ("PairwiseDistance", (), {"p": 1.0, "keepdim": True}, [(3, 4), (3, 4)]),
    ("Upsample", (), {"scale_factor": 2}, [(2, 3, 4)]),
    ("Upsample", (), {"size": (3, 5), "mode": "bilinear", "align_corners": True}, [(1, 2, 4, 4)]),
    ("UpsamplingNearest2d", (), {"scale_factor": 2}, [(1, 2, 3, 3)]),
    ("UpsamplingBilinear2d", (), {"size": 5}, [(1, 2, 3, 3)]),
    ("Fold", ((4, 4), 2), {}, [(2, 8, 9)]),
    ("Unfold", (2,), {"padding": 1}, [(2, 3, 4, 4)]),
    ("ZeroPad2d", ((1, 2, 0, 1),), {}, [(2, 3, 3)]),
    ("ConstantPad1d", (2, 3.5), {}, [(2, 3)]),
    ("ConstantPad3d", (1, -1.0), {}, [(1, 2, 2, 2)]),
    ("ReflectionPad1d", ((2, 1),), {}, [(2, 4)]),
    ("ReflectionPad2d", (1,), {}, [(1, 2, 3, 3)]),
    ("ReplicationPad2d", ((1, 0, 2, 1),), {}, [(1, 2, 3, 3)]),
    ("ReplicationPad3d", (1,), {}, [(1, 2, 2, 2, 2)]),
    ("CircularPad1d", (2,), {}, [(2, 3, 4)]),
    ("CircularPad2d", (1,), {}, [(1, 2, 3, 3)]),
]


def _id(case) -> str:
    name, args, kwargs, _ = case
    return f"{name}{args}{kwargs}"


def _build(name, args, kwargs, dtype, seed=0):
    torch.manual_seed(seed)
    bt.manual_seed(seed)
    extra = {} if name in _NO_DTYPE else {"dtype": getattr(torch, dtype)}
    theirs = getattr(torch.nn, name)(*args, **kwargs, **extra)
    extra = {} if name in _NO_DTYPE else {"dtype": getattr(bt, dtype)}
    ours = getattr(bt.nn, name)(*args, **kwargs, **extra)
    return ours, theirs


_NO_DTYPE = {
    "Identity",
    "Flatten",
    "Unflatten",
    "Dropout",
    "Dropout2d",
    "CosineSimilarity",
    "PairwiseDistance",
    "Upsample",
    "UpsamplingNearest2d",
    "UpsamplingBilinear2d",
    "Fold",
    "Unfold",
}
_NO_DTYPE |= {n for n, *_ in MODULES if "Pool" in n or "Pad" in n}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", MODULES, ids=[_id(c) for c in MODULES])
def test_module_matches_torch(case, dtype):
    name, args, kwargs, inputs = case
    ours, theirs = _build(name, args, kwargs, dtype)
    assert repr(ours) == repr(theirs)
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(theirs_state)
    for key, value in theirs_state.items():
        mine = ours_state[key]
        assert tuple(mine.shape) == tuple(value.shape)
        assert mine.dtype.name == str(value.dtype).split(".")[-1]
        # The same draws: uniforms bit for bit, normals within rounding.
        np.testing.assert_allclose(to_np(mine), value.numpy(), rtol=3e-7, atol=0)
    if inputs is None:
        return
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s).astype(dtype) for s in inputs]
    x_ours = [bt.tensor(a, requires_grad=True) for a in arrays]
    x_theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_ours, out_theirs = ours(*x_ours), theirs(*x_theirs)
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(to_np(out_ours), out_theirs.detach().numpy(), **tol)
    cotangent = rng.standard_normal(tuple(out_theirs.shape)).astype(dtype)
    out_ours.backward(bt.tensor(cotangent))
    out_theirs.backward(torch.tensor(cotangent))
    for a, b in zip(x_ours, x_theirs):
        np.testing.assert_allclose(to_np(a.grad), b.grad.numpy(), **tol)
    theirs_params = dict(theirs.named_parameters())
    for key, p in ours.named_parameters():
        np.testing.assert_allclose(to_np(p.grad), theirs_params[key].grad.numpy(), **tol)
    for key, b in theirs.named_buffers():
        np.testing.assert_allclose(to_np(dict(ours.named_buffers())[key]), b.numpy(), **tol)


@pytest.mark.parametrize("momentum", [0.1, None, 0.5])
def test_batchnorm_running_statistics_and_eval(momentum):
    ours, theirs = _build("BatchNorm2d", (3,), {"momentum": momentum}, "float32")
    rng = np.random.default_rng(2)
    for _ in range(3):
        x = rng.standard_normal((4, 3, 2, 2)).astype(np.float32) * 3 + 1
        ours(bt.tensor(x))
        theirs(torch.tensor(x))
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(to_np(ours.state_dict()[key]), value.numpy(), rtol=1e-6)
    assert int(ours.num_batches_tracked) == 3
    ours.eval()
    theirs.eval()
    x = rng.standard_normal((2, 3, 2, 2)).astype(np.float32)
    np.testing.assert_allclose(
        to_np(ours(bt.tensor(x))), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )
    assert int(ours.num_batches_tracked) == 3


def test_batchnorm_without_running_stats_uses_batch_in_eval():
    ours, theirs = _build("BatchNorm1d", (3,), {"track_running_stats": False}, "float64")
    ours.eval()
    theirs.eval()
    x = np.random.default_rng(3).standard_normal((5, 3))
    np.testing.assert_allclose(
        to_np(ours(bt.tensor(x))), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10
    )


def test_dropout_module_train_and_eval():
    ours, theirs = _build("Dropout", (0.4,), {}, "float32", seed=5)
    x = np.ones((6, 5), np.float32)
    np.testing.assert_array_equal(to_np(ours(bt.tensor(x))), theirs(torch.tensor(x)).numpy())
    ours.eval()
    t = bt.tensor(x)
    assert ours(t) is t


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True}, {"max_norm": 0.5}],
)
def test_embedding_module(kwargs):
    ours, theirs = _build("Embedding", (6, 3), kwargs, "float32")
    idx = np.array([[1, 2, 1], [4, 1, 5]])
    a, b = ours(bt.tensor(idx)), theirs(torch.tensor(idx))
    np.testing.assert_allclose(to_np(a), b.detach().numpy(), rtol=1e-6)
    g = np.random.default_rng(4).standard_normal(b.shape).astype(np.float32)
    a.backward(bt.tensor(g))
    b.backward(torch.tensor(g))
    np.testing.assert_allclose(to_np(ours.weight.grad), theirs.weight.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(to_np(ours.weight), theirs.weight.detach().numpy(), rtol=1e-6)


def test_embedding_from_pretrained():
    w = np.arange(12.0).reshape(4, 3)
    ours = bt.nn.Embedding.from_pretrained(bt.tensor(w), padding_idx=0)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), padding_idx=0)
    assert repr(ours) == repr(theirs)
    assert ours.weight.requires_grad == theirs.weight.requires_grad
    thawed = bt.nn.Embedding.from_pretrained(bt.tensor(w), freeze=False)
    assert thawed.weight.requires_grad


def test_conv_transpose_output_size():
    ours, theirs = _build("ConvTranspose2d", (2, 3, 3), {"stride": 2, "padding": 1}, "float64")
    x = np.random.default_rng(5).standard_normal((1, 2, 3, 3))
    for size in ([5, 5], [6, 6], [1, 3, 6, 5]):
        a = ours(bt.tensor(x), output_size=size)
        b = theirs(torch.tensor(x), output_size=size)
        np.testing.assert_allclose(to_np(a), b.detach().numpy(), rtol=1e-10)
    same_error(
        lambda: theirs(torch.tensor(x), output_size=[8, 8]),
        lambda: ours(bt.tensor(x), output_size=[8, 8]),
        match_message=False,
    )


ERRORS = [
    ("Conv2d", (3, 4, 3), {"padding": "same", "stride": 2}),
    ("Conv2d", (3, 4, 3), {"groups": 2}),
    ("Conv2d", (4, 3, 3), {"groups": 2}),
    ("Conv2d", (4, 4, 3), {"groups": 0}),
    ("Conv2d", (4, 4, 3), {"padding_mode": "foo"}),
    ("Conv2d", (4, 4, 3), {"padding": "foo"}),
    ("ConvTranspose2d", (4, 4, 3), {"padding_mode": "reflect"}),
    ("GroupNorm", (3, 4), {}),
    ("Dropout", (1.5,), {}),
    ("Embedding", (10, 3), {"padding_idx": 10}),
    ("Embedding", (10, 3), {"padding_idx": -11}),
    ("Unflatten", (1, ((2, 3),)), {}),
    ("Unflatten", (1, 6), {}),
]


@pytest.mark.parametrize("case", ERRORS, ids=[f"{c[0]}{c[2]}" for c in ERRORS])
def test_constructor_errors_match_torch(case):
    name, args, kwargs = case
    same_error(
        lambda: getattr(torch.nn, name)(*args, **kwargs),
        lambda: getattr(bt.nn, name)(*args, **kwargs),
    )


FORWARD_ERRORS = [
    ("BatchNorm1d", (3,), [(1, 3)]),
    ("BatchNorm1d", (3,), [(2, 3, 4, 5)]),
    ("BatchNorm2d", (3,), [(2, 3, 4)]),
    ("BatchNorm1d", (3,), [(2, 4)]),
    ("LayerNorm", (4,), [(2, 3)]),
    ("GroupNorm", (2, 4), [(2, 6, 3)]),
    ("Conv2d", (3, 4, 3), [(2, 5, 8, 8)]),
    ("Conv2d", (3, 4, 3), [(2, 3)]),
    ("Conv2d", (3, 4, 3), [(2, 3, 2, 2)]),
    ("Linear", (3, 4), [(2, 5)]),
    ("MaxPool2d", (3,), [(2, 3, 1, 1)]),
    ("AvgPool1d", (2,), [(2, 3, 4, 5)]),
    ("Bilinear", (3, 4, 5), [(2, 3), (2, 5)]),
]


@pytest.mark.parametrize("case", FORWARD_ERRORS, ids=[f"{c[0]}{c[2]}" for c in FORWARD_ERRORS])
def test_forward_errors_match_torch(case):
    name, args, shapes = case
    ours, theirs = _build(name, args, {}, "float32")
    arrays = [np.zeros(s, np.float32) for s in shapes]
    same_error(
        lambda: theirs(*[torch.tensor(a) for a in arrays]),
        lambda: ours(*[bt.tensor(a) for a in arrays]),
    )
