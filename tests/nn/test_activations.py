"""Activation layers and functions: kink conventions, stability, NaN, in-place forms,
reprs and errors (torch comparisons are in test_activations_oracle.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F

from ..helpers import to_np


def _grad(f, values, dtype=bt.float64):
    x = bt.tensor(values, dtype=dtype, requires_grad=True)
    y = f(x)
    y.sum().backward()
    return to_np(y), to_np(x.grad)


def test_kink_gradients_follow_torch_conventions():
    # Values at the kinks are torch's documented conventions, not our outputs.
    assert _grad(lambda x: F.leaky_relu(x, 0.2), [0.0])[1].tolist() == [0.2]
    assert _grad(F.hardtanh, [-1.0, 1.0, 0.0])[1].tolist() == [0.0, 0.0, 1.0]
    assert _grad(F.relu6, [0.0, 6.0, 3.0])[1].tolist() == [0.0, 0.0, 1.0]
    assert _grad(F.hardsigmoid, [-3.0, 3.0])[1].tolist() == [0.0, 0.0]
    assert _grad(F.hardswish, [-3.0, 3.0, 0.0])[1].tolist() == [0.0, 1.0, 0.5]
    assert _grad(lambda x: F.threshold(x, 0.5, 2.0), [0.5])[1].tolist() == [0.0]
    assert _grad(F.softshrink, [-0.5, 0.5])[1].tolist() == [0.0, 0.0]
    assert _grad(F.hardshrink, [-0.5, 0.5])[1].tolist() == [0.0, 0.0]
    # elu's negative side at 0: alpha * scale * input_scale.
    assert _grad(lambda x: F.elu(x, 2.0), [0.0])[1].tolist() == [2.0]
    assert _grad(lambda x: F.celu(x, 2.0), [0.0])[1].tolist() == [1.0]
    np.testing.assert_allclose(_grad(F.selu, [0.0])[1], [1.0507009873554805 * 1.6732632423543772])


def test_hardsigmoid_gradient_is_torchs_float32_sixth_in_float64():
    _, grad = _grad(F.hardsigmoid, [0.0, 1.0])
    assert grad.tolist() == [float(np.float32(1 / 6))] * 2


@pytest.mark.parametrize("dtype", [bt.float32, bt.float64])
def test_softplus_and_logsigmoid_are_finite_for_large_inputs(dtype):
    values = [-1e4, -100.0, 0.0, 100.0, 1e4]
    for f in [F.softplus, F.logsigmoid, F.mish, F.silu, F.elu, F.selu, F.gelu]:
        y, g = _grad(f, values, dtype)
        assert np.isfinite(y).all(), f.__name__
        assert np.isfinite(g).all(), f.__name__
    y, _ = _grad(F.softplus, values, dtype)
    # exp(-100) is subnormal in float32: only its order of magnitude is exact there.
    tiny = 1e-45 if dtype == bt.float32 else 0.0
    expected = [0.0, math.exp(-100.0), math.log(2.0), 100.0, 1e4]
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=tiny)
    y, _ = _grad(F.logsigmoid, values, dtype)
    expected = [-1e4, -100.0, -math.log(2.0), -math.exp(-100.0), 0.0]
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=tiny)


def test_softplus_beta_and_threshold():
    y, g = _grad(lambda x: F.softplus(x, beta=2.0, threshold=3.0), [1.0, 2.0])
    np.testing.assert_allclose(y, [math.log1p(math.exp(2.0)) / 2.0, 2.0])
    np.testing.assert_allclose(g, [1.0 / (1.0 + math.exp(-2.0)), 1.0])


def test_nan_propagates():
    nan = [math.nan]
    for f in [F.relu, F.leaky_relu, F.hardtanh, F.elu, F.softplus, F.logsigmoid, F.softshrink,
              F.hardshrink, F.gelu, F.silu, F.mish, F.hardsigmoid, F.softsign]:  # fmt: skip
        assert math.isnan(to_np(f(bt.tensor(nan)))[0]), f.__name__
    assert math.isnan(to_np(F.threshold(bt.tensor(nan), 0.5, 2.0))[0])


def test_gelu_matches_its_definitions():
    values = np.linspace(-4.0, 4.0, 17)
    exact = values * 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in values]))
    np.testing.assert_allclose(to_np(F.gelu(bt.tensor(values))), exact, rtol=1e-12, atol=1e-15)
    inner = math.sqrt(2.0 / math.pi) * (values + 0.044715 * values**3)
    approx = 0.5 * values * (1.0 + np.tanh(inner))
    got = to_np(F.gelu(bt.tensor(values), approximate="tanh"))
    np.testing.assert_allclose(got, approx, rtol=1e-12, atol=1e-15)


def test_second_order_gradient_of_smooth_activations():
    for f in [F.elu, F.softplus, F.logsigmoid, F.silu, F.mish, F.gelu, F.selu]:
        x = bt.tensor([-1.5, 0.7], dtype=bt.float64, requires_grad=True)
        (g,) = bt.autograd.grad(f(x).sum(), x, create_graph=True)
        (h,) = bt.autograd.grad(g.sum(), x)
        eps = 1e-6
        xp_, xm = x.detach() + eps, x.detach() - eps
        for xs in (xp_, xm):
            xs.requires_grad_()
        gp = bt.autograd.grad(f(xp_).sum(), xp_)[0]
        gm = bt.autograd.grad(f(xm).sum(), xm)[0]
        np.testing.assert_allclose(to_np(h), to_np((gp - gm) / (2 * eps)), rtol=1e-5)


def test_inplace_writes_and_returns_the_input():
    for f in [F.relu, F.leaky_relu, F.elu, F.selu, F.celu, F.silu, F.mish, F.hardtanh,
              F.relu6, F.hardsigmoid, F.hardswish]:  # fmt: skip
        x = bt.tensor([-1.0, 2.0])
        expected = to_np(f(bt.tensor([-1.0, 2.0])))
        assert f(x, inplace=True) is x
        np.testing.assert_array_equal(to_np(x), expected)
    x = bt.tensor([0.1, 2.0])
    assert F.threshold_(x, 0.5, -1.0) is x
    assert to_np(x).tolist() == [-1.0, 2.0]


def test_inplace_gradient_through_a_non_leaf():
    x = bt.tensor([-1.0, 2.0], requires_grad=True)
    y = x * 2.0
    F.elu_(y)
    y.sum().backward()
    np.testing.assert_allclose(to_np(x.grad), [2.0 * math.exp(-2.0), 2.0], rtol=1e-6)


def test_inplace_on_a_leaf_that_requires_grad_is_refused_and_leaves_it_unchanged():
    x = bt.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F.silu(x, inplace=True)
    assert to_np(x).tolist() == [-1.0, 2.0]


def test_glu_halves_along_dim():
    x = bt.tensor([[1.0, 2.0, 0.0, 100.0]])
    np.testing.assert_allclose(to_np(F.glu(x)), [[0.5, 2.0]], rtol=1e-6)
    y = F.glu(bt.tensor([[1.0], [0.0]]), dim=0)
    np.testing.assert_allclose(to_np(y), [[0.5]])


def test_prelu_default_weight_and_channels():
    layer = bt.nn.PReLU(3, init=0.1)
    assert list(layer.state_dict()) == ["weight"]
    np.testing.assert_allclose(to_np(layer.weight), [0.1] * 3, rtol=1e-7)
    x = -bt.ones(2, 3, 2)
    np.testing.assert_allclose(to_np(layer(x)), np.full((2, 3, 2), -0.1), rtol=1e-6)
    layer(x).sum().backward()
    np.testing.assert_allclose(to_np(layer.weight.grad), [-4.0] * 3)


@pytest.mark.parametrize(
    "module, text",
    [
        (bt.nn.ReLU(), "ReLU()"),
        (bt.nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (bt.nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
        (bt.nn.LeakyReLU(0.2, True), "LeakyReLU(negative_slope=0.2, inplace=True)"),
        (bt.nn.ELU(), "ELU(alpha=1.0)"),
        (bt.nn.CELU(2.0, True), "CELU(alpha=2.0, inplace=True)"),
        (bt.nn.SELU(), "SELU()"),
        (bt.nn.GELU("tanh"), "GELU(approximate='tanh')"),
        (bt.nn.SiLU(), "SiLU()"),
        (bt.nn.Mish(True), "Mish(inplace=True)"),
        (bt.nn.Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
        (bt.nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"),
        (bt.nn.ReLU6(), "ReLU6()"),
        (bt.nn.Hardsigmoid(), "Hardsigmoid()"),
        (bt.nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"),
        (bt.nn.Softshrink(), "Softshrink(0.5)"),
        (bt.nn.Hardshrink(), "Hardshrink(0.5)"),
        (bt.nn.PReLU(), "PReLU(num_parameters=1)"),
        (bt.nn.GLU(), "GLU(dim=-1)"),
        (bt.nn.Softmax(), "Softmax(dim=None)"),
        (bt.nn.LogSoftmax(1), "LogSoftmax(dim=1)"),
        (bt.nn.Softmin(0), "Softmin(dim=0)"),
        (bt.nn.Softmax2d(), "Softmax2d()"),
        (bt.nn.LogSigmoid(), "LogSigmoid()"),
    ],
)
def test_repr_is_torchs(module, text):
    assert repr(module) == text


def test_softmax_family():
    x = bt.tensor([[0.0, math.log(3.0)]])
    np.testing.assert_allclose(to_np(bt.nn.Softmax(1)(x)), [[0.25, 0.75]], rtol=1e-6)
    np.testing.assert_allclose(to_np(bt.nn.Softmin(1)(x)), [[0.75, 0.25]], rtol=1e-6)
    np.testing.assert_allclose(to_np(bt.nn.LogSoftmax(1)(x)), np.log([[0.25, 0.75]]), rtol=1e-6)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        np.testing.assert_allclose(to_np(F.softmax(x)), [[0.25, 0.75]], rtol=1e-6)
    y = bt.nn.Softmax2d()(bt.zeros(2, 4, 1, 1))
    np.testing.assert_allclose(to_np(y), np.full((2, 4, 1, 1), 0.25))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: F.leaky_relu(bt.tensor([1, 2])), NotImplementedError, "leaky_relu: expected a "
         "floating-point tensor; got int64"),
        (lambda: F.gelu(bt.tensor([1, 2])), NotImplementedError, "gelu: expected a floating"),
        (lambda: F.gelu(bt.zeros(2), approximate="erf"), RuntimeError,
         "approximate argument must be either none or tanh; got 'erf'"),
        (lambda: F.hardtanh(bt.zeros(2), 2.0, 1.0), ValueError,
         "min_val cannot be greater than max_val"),
        (lambda: F.hardtanh(bt.tensor([True])), RuntimeError,
         "Bool inputs not supported for hardtanh"),
        (lambda: bt.nn.Hardtanh(1.0, 1.0), AssertionError,
         r"max_val \(1.0\) must be greater than min_val \(1.0\)"),
        (lambda: F.threshold(bt.tensor([True]), 0.5, 0), NotImplementedError,
         "threshold: expected a real, non-bool tensor; got bool"),
        (lambda: F.softshrink(bt.zeros(2), -1.0), RuntimeError,
         r"softshrink: lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, "
         "but found -1"),
        (lambda: F.celu(bt.zeros(2), 0.0), RuntimeError, "alpha cannot be 0 for CELU"),
        (lambda: F.glu(bt.tensor(1.0)), RuntimeError, "glu does not support scalars"),
        (lambda: F.glu(bt.zeros(2, 5)), RuntimeError,
         "Halving dimension must be even, but dimension 1 is size 5"),
        (lambda: F.glu(bt.zeros(2, 4), 2), IndexError, "Dimension out of range"),
        (lambda: F.prelu(bt.zeros(2, 3), bt.zeros(3, 1)), RuntimeError,
         "Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2"),
        (lambda: F.prelu(bt.zeros(2, 3), bt.zeros(4)), RuntimeError,
         "Found parameter numbers = 4 and channel size = 3"),
        (lambda: F.prelu(bt.tensor(1.0), bt.zeros(3)), RuntimeError,
         "Not allow zero-dim input tensor"),
        (lambda: F.prelu(bt.zeros(2, dtype=bt.float64), bt.zeros(1)), RuntimeError,
         "Type promoting not supported. Got Double and Float"),
        (lambda: F.softsign(bt.tensor([True])), NotImplementedError, "softsign: expected a "
         "numeric tensor; got bool"),
        (lambda: bt.nn.Softmax2d()(bt.zeros(2, 3)), ValueError,
         "Softmax2d: expected input to be 3D or 4D, got 2D instead"),
    ],
)  # fmt: skip
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
