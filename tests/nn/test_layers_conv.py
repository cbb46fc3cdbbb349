"""Convolution and linear layers: values against plain NumPy, node names, layouts, views."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn

from ..conftest import numpy_only
from ..helpers import to_np


def _np_conv2d(x, w, b=None, stride=1, padding=0):
    x = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = x[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y if b is None else y + b[None, :, None, None]


@pytest.mark.parametrize("channels", [1, 8])  # 8 >= the output width: channels-last path
@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 1)])
def test_conv2d_matches_numpy_loops(channels, stride, padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, channels, 5, 5))
    w = rng.standard_normal((3, channels, 3, 3))
    b = rng.standard_normal(3)
    got = F.conv2d(bt.tensor(x), bt.tensor(w), bt.tensor(b), stride=stride, padding=padding)
    np.testing.assert_allclose(to_np(got), _np_conv2d(x, w, b, stride, padding), rtol=1e-12)


def test_conv_gradients_are_one_node_each_and_double_backward_works():
    x = bt.randn(2, 3, 6, 6, dtype=bt.float64, requires_grad=True)
    w = bt.randn(4, 3, 3, 3, dtype=bt.float64, requires_grad=True)
    y = F.conv2d(x, w, padding=1)
    assert type(y.grad_fn).__name__ == "ConvolutionBackward0"
    (gx,) = bt.autograd.grad(y.pow(2).sum(), x, create_graph=True)
    assert type(gx.grad_fn).__name__ == "ConvolutionBackward0"  # a transposed convolution
    (gw,) = bt.autograd.grad(gx.sum(), w)
    assert tuple(gw.shape) == (4, 3, 3, 3)
    assert bt.autograd.gradcheck(
        lambda a, b: F.conv2d(a, b, stride=2, padding=1),
        (x.detach()[:1, :, :4, :4].requires_grad_(), w),
    )


def test_conv1x1_output_does_not_alias_its_input():
    x = bt.ones(1, 2, 3, 3)
    cols = F.unfold(x, 1)
    cols += 1.0
    assert float(x.sum()) == 18.0


def test_integer_convolution():
    x = bt.arange(16).reshape(1, 1, 4, 4)
    w = bt.ones(1, 1, 2, 2, dtype=bt.int64)
    got = F.conv2d(x, w)
    assert got.dtype == bt.int64
    expected = _np_conv2d(np.arange(16).reshape(1, 1, 4, 4), np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(to_np(got), expected)


def test_unfold_fold_round_trip_counts_overlaps():
    x = bt.ones(1, 2, 4, 4)
    counts = F.fold(F.unfold(x, 2), (4, 4), 2)
    expected = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]], float)
    np.testing.assert_array_equal(to_np(counts)[0, 0], expected)


def test_conv_transpose_is_the_adjoint_of_conv():
    rng = np.random.default_rng(1)
    x = bt.tensor(rng.standard_normal((2, 3, 7, 6)))
    w = bt.tensor(rng.standard_normal((4, 3, 3, 3)))
    y = bt.tensor(rng.standard_normal((2, 4, 4, 3)))
    conv = F.conv2d(x, w, stride=2, padding=1)
    back = F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=(0, 1))
    assert back.shape == x.shape
    assert float((conv * y).sum()) == pytest.approx(float((x * back).sum()), rel=1e-12)


def test_padding_modes_pad_before_the_convolution():
    x = bt.arange(9.0).reshape(1, 1, 3, 3)
    conv = nn.Conv2d(1, 1, 3, padding=1, padding_mode="replicate", bias=False)
    nn.init.ones_(conv.weight)
    padded = np.pad(np.arange(9.0).reshape(3, 3), 1, mode="edge")
    expected = np.array([[padded[i : i + 3, j : j + 3].sum() for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(to_np(conv(x))[0, 0], expected)


def test_conv_module_parameters_and_default_init_bounds():
    conv = nn.Conv2d(4, 6, (3, 2), groups=2)
    assert tuple(conv.weight.shape) == (6, 2, 3, 2)
    bound = 1 / math.sqrt(2 * 3 * 2)
    assert float(conv.weight.abs().max()) <= bound
    assert float(conv.bias.abs().max()) <= bound
    transposed = nn.ConvTranspose2d(4, 6, 3, groups=2)
    assert tuple(transposed.weight.shape) == (4, 3, 3, 3)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]


@pytest.mark.parametrize(
    "shape, bias, name",
    [
        ((2, 3), True, "AddmmBackward0"),
        ((2, 3), False, "MmBackward0"),
        ((3,), True, "ViewBackward0"),
        ((3,), False, "SqueezeBackward4"),
        ((2, 2, 3), True, "ViewBackward0"),
        ((2, 2, 3), False, "UnsafeViewBackward0"),
    ],
)
def test_linear_node_names_follow_torch(shape, bias, name):
    layer = nn.Linear(3, 4, bias=bias)
    out = layer(bt.ones(*shape))
    assert type(out.grad_fn).__name__ == name
    assert tuple(out.shape) == (*shape[:-1], 4)


def test_linear_2d_is_one_addmm_node_over_the_weights_transpose():
    layer = nn.Linear(3, 4)
    out = layer(bt.ones(2, 3))
    names = [type(f).__name__ if f is not None else None for f, _ in out.grad_fn.next_functions]
    assert names == ["AccumulateGrad", None, "TBackward0"]
    out.sum().backward()
    np.testing.assert_array_equal(to_np(layer.bias.grad), np.full(4, 2.0))
    np.testing.assert_array_equal(to_np(layer.weight.grad), np.full((4, 3), 2.0))


def test_bilinear_matches_einsum():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    w, bias = rng.standard_normal((5, 3, 2)), rng.standard_normal(5)
    got = F.bilinear(bt.tensor(a), bt.tensor(b), bt.tensor(w), bt.tensor(bias))
    np.testing.assert_allclose(to_np(got), np.einsum("ni,oij,nj->no", a, w, b) + bias, rtol=1e-12)


@numpy_only
def test_flatten_and_unflatten_are_views():
    x = bt.zeros(2, 3, 4)
    flat = nn.Flatten()(x)
    assert tuple(flat.shape) == (2, 12)
    flat[0, 0] = 5.0
    assert float(x[0, 0, 0]) == 5.0
    assert tuple(nn.Unflatten(1, (3, 4))(flat).shape) == (2, 3, 4)
