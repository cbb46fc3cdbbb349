"""Activation layers and functions against torch.nn: values, dtypes, input gradients
(kinks included), in-place forms, reprs, PReLU's parameters and the exception types."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

# Kinks and thresholds of every activation here, then ordinary values.
KINKS = [-20.0, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0, 25.0]
TOL = {"float32": {"rtol": 2e-6, "atol": 1e-7}, "float64": {"rtol": 1e-12, "atol": 1e-14}}

MODULES = [
    ("ReLU", {}),
    ("ReLU", {"inplace": True}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2, "inplace": True}),
    ("ELU", {}),
    ("ELU", {"alpha": 2.0, "inplace": True}),
    ("SELU", {}),
    ("SELU", {"inplace": True}),
    ("CELU", {"alpha": 2.0}),
    ("CELU", {"alpha": 0.5, "inplace": True}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("SiLU", {}),
    ("SiLU", {"inplace": True}),
    ("Mish", {}),
    ("Mish", {"inplace": True}),
    ("Sigmoid", {}),
    ("Tanh", {}),
    ("Softplus", {}),
    ("Softplus", {"beta": 2.0, "threshold": 5.0}),
    ("Softsign", {}),
    ("Hardtanh", {}),
    ("Hardtanh", {"min_val": -3.0, "max_val": 6.0, "inplace": True}),
    ("ReLU6", {}),
    ("ReLU6", {"inplace": True}),
    ("Hardsigmoid", {}),
    ("Hardsigmoid", {"inplace": True}),
    ("Hardswish", {}),
    ("Hardswish", {"inplace": True}),
    ("Threshold", {"threshold": 0.5, "value": -2.0}),
    ("Threshold", {"threshold": 1.0, "value": 7.0, "inplace": True}),
    ("LogSigmoid", {}),
    ("Tanhshrink", {}),
    ("Softshrink", {}),
    ("Softshrink", {"lambd": 1.0}),
    ("Hardshrink", {}),
    ("Hardshrink", {"lambd": 3.0}),
    ("PReLU", {}),
    ("GLU", {}),
    ("GLU", {"dim": 0}),
    ("Softmax", {"dim": 1}),
    ("Softmax", {"dim": -1}),
    ("LogSoftmax", {"dim": 0}),
    ("Softmin", {"dim": 1}),
]


def _input(dtype, seed=0):
    rng = np.random.default_rng(seed)
    values = np.concatenate([KINKS, rng.standard_normal(12) * 4]).astype(dtype)
    return values.reshape(4, 6)


def _tolerance(name, dtype):
    if name == "GELU" and dtype == "float32":
        # torch's float32 GELU kernel uses a polynomial erf (absolute error up to 1.5e-7,
        # large relatively where 1 + erf cancels); ours is the exact function.
        return {"rtol": 2e-6, "atol": 1e-6}
    return TOL[dtype]


def _case_id(case):
    name, kwargs = case
    return name + "".join(f"-{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", MODULES, ids=_case_id)
def test_module_matches_torch(case, dtype):
    name, kwargs = case
    ours = getattr(bt.nn, name)(**kwargs)
    theirs = getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    if dtype == "float64":  # PReLU's weight must have the input's dtype
        ours.double()
        theirs.double()
    values = _input(dtype)
    x = bt.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    # In-place layers write into their input: give them a non-leaf copy.
    y = ours(x * 1.0)
    ty = theirs(tx * 1.0)
    assert str(y.dtype) == str(ty.dtype).replace("torch", "bridgetensor")
    tol = _tolerance(name, dtype)
    np.testing.assert_allclose(to_np(y), ty.detach().numpy(), **tol)
    cotangent = np.random.default_rng(1).standard_normal(tuple(ty.shape)).astype(dtype)
    (y * bt.tensor(cotangent)).sum().backward()
    (ty * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(to_np(x.grad), tx.grad.numpy(), **tol)
    for (key, p), (tkey, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert key == tkey
        np.testing.assert_allclose(to_np(p.grad), tp.grad.numpy(), **tol)


@pytest.mark.parametrize("inplace", [False, True])
def test_inplace_writes_into_the_input_as_torch(inplace):
    for name in ["relu", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "hardtanh"]:
        values = _input("float32")
        x, tx = bt.tensor(values), torch.tensor(values)
        y = getattr(bt.nn.functional, name)(x, inplace=inplace)
        ty = getattr(torch.nn.functional, name)(tx, inplace=inplace)
        assert (y is x) == (ty is tx), name
        np.testing.assert_allclose(to_np(x), tx.numpy(), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize(
    "name",
    ["relu_", "leaky_relu_", "elu_", "selu_", "celu_", "hardtanh_", "threshold_"],
)
def test_underscore_functions_match_torch(name):
    args = (0.5, -1.0) if name == "threshold_" else ()
    values = _input("float64")
    x, tx = bt.tensor(values), torch.tensor(values)
    assert getattr(bt.nn.functional, name)(x, *args) is x
    getattr(torch.nn.functional, name)(tx, *args)
    np.testing.assert_allclose(to_np(x), tx.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "name", ["softplus", "logsigmoid", "mish", "silu", "elu", "selu", "celu", "gelu", "tanh"]
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_large_inputs_stay_finite_as_in_torch(name, dtype):
    values = np.array([1e4, -1e4, 100.0, -100.0, 700.0, -700.0], dtype=dtype)
    x = bt.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    y = getattr(bt.nn.functional, name)(x)
    ty = getattr(torch.nn.functional, name)(tx)
    y.sum().backward()
    ty.sum().backward()
    # Results below float32's normal range (1e-38) may differ: torch overflows exp(100)
    # in silu's x / (1 + exp(-x)) where a stable sigmoid gives a subnormal, for example.
    np.testing.assert_allclose(to_np(y), ty.detach().numpy(), rtol=1e-6, atol=1e-38)
    np.testing.assert_allclose(to_np(x.grad), tx.grad.numpy(), rtol=1e-6, atol=1e-38)


@pytest.mark.parametrize(
    "name",
    ["leaky_relu", "hardtanh", "hardsigmoid", "threshold", "elu", "softplus", "softshrink",
     "hardshrink", "logsigmoid", "relu6", "prelu"],
)  # fmt: skip
def test_nan_and_infinities_as_torch(name):
    values = np.array([np.nan, np.inf, -np.inf, 0.0], dtype="float32")
    x = bt.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    args = {"threshold": (0.5, -1.0), "prelu": None}.get(name, ())
    if name == "prelu":
        y = bt.nn.functional.prelu(x, bt.tensor([0.25]))
        ty = torch.nn.functional.prelu(tx, torch.tensor([0.25]))
    else:
        y = getattr(bt.nn.functional, name)(x, *args)
        ty = getattr(torch.nn.functional, name)(tx, *args)
    np.testing.assert_array_equal(to_np(y), ty.detach().numpy())
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_array_equal(to_np(x.grad), tx.grad.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prelu_per_channel_matches_torch(dtype):
    bt.manual_seed(0)
    ours, theirs = bt.nn.PReLU(3, init=0.1), torch.nn.PReLU(3, init=0.1)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    np.testing.assert_array_equal(to_np(ours.weight), theirs.weight.detach().numpy())
    ours.to(getattr(bt, dtype))
    theirs.to(getattr(torch, dtype))
    values = np.random.default_rng(0).standard_normal((2, 3, 4, 2)).astype(dtype)
    x, tx = bt.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    ours(x).square().sum().backward()
    theirs(tx).square().sum().backward()
    np.testing.assert_allclose(to_np(x.grad), tx.grad.numpy(), **TOL[dtype])
    np.testing.assert_allclose(to_np(ours.weight.grad), theirs.weight.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("ndim", [0, 1, 2, 3, 4])
def test_implicit_softmax_dim_warns_and_matches_torch(ndim):
    values = np.random.default_rng(ndim).standard_normal((2, 3, 4, 5)[:ndim])
    for name in ["softmax", "log_softmax", "softmin"]:
        with pytest.warns(UserWarning, match="Implicit dimension choice") as ours:
            y = getattr(bt.nn.functional, name)(bt.tensor(values))
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            ty = getattr(torch.nn.functional, name)(torch.tensor(values))
        assert str(ours[0].message) == str(theirs[0].message)
        np.testing.assert_allclose(to_np(y), ty.numpy(), rtol=1e-12)


def test_softmax_dtype_argument_matches_torch():
    values = np.arange(6).reshape(2, 3)
    y = bt.nn.functional.softmax(bt.tensor(values), 1, dtype=bt.float64)
    ty = torch.nn.functional.softmax(torch.tensor(values), 1, dtype=torch.float64)
    assert y.dtype == bt.float64
    np.testing.assert_allclose(to_np(y), ty.numpy(), rtol=1e-12)


def test_integer_inputs_match_torch():
    values = np.array([-2, -1, 0, 1, 2, 3, 7])
    x, tx = bt.tensor(values), torch.tensor(values)
    F, TF = bt.nn.functional, torch.nn.functional
    for ours, theirs in [
        (F.relu(x), TF.relu(tx)),
        (F.hardtanh(x, -1.5, 2.5), TF.hardtanh(tx, -1.5, 2.5)),
        (F.relu6(x), TF.relu6(tx)),
        (F.threshold(x, -0.5, 9.7), TF.threshold(tx, -0.5, 9.7)),
        (F.softsign(x), TF.softsign(tx)),
        (F.tanhshrink(x), TF.tanhshrink(tx)),
        (F.sigmoid(x), TF.sigmoid(tx)),
    ]:
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_allclose(to_np(ours), theirs.numpy(), rtol=1e-6)


def _bad_calls(lib):
    F = lib.nn.functional
    ints = lib.tensor([-2, 0, 3])
    bools = lib.tensor([True, False])
    return {
        "leaky_relu int": lambda: F.leaky_relu(ints),
        "elu int": lambda: F.elu(ints),
        "selu int": lambda: F.selu(ints),
        "gelu int": lambda: F.gelu(ints),
        "silu int": lambda: F.silu(ints),
        "mish int": lambda: F.mish(ints),
        "softplus int": lambda: F.softplus(ints),
        "logsigmoid int": lambda: F.logsigmoid(ints),
        "hardsigmoid int": lambda: F.hardsigmoid(ints),
        "hardswish int": lambda: F.hardswish(ints),
        "hardshrink int": lambda: F.hardshrink(ints),
        "softshrink int": lambda: F.softshrink(ints),
        "softmax int": lambda: F.softmax(ints, 0),
        "glu int": lambda: F.glu(lib.zeros(2, 4, dtype=lib.int64)),
        "prelu int": lambda: F.prelu(ints, lib.tensor([1])),
        "hardtanh bool": lambda: F.hardtanh(bools),
        "threshold bool": lambda: F.threshold(bools, 0.5, 0),
        "softsign bool": lambda: F.softsign(bools),
        "glu scalar": lambda: F.glu(lib.tensor(1.0)),
        "glu odd": lambda: F.glu(lib.zeros(2, 5)),
        "glu dim": lambda: F.glu(lib.zeros(2, 4), 2),
        "gelu approximate": lambda: F.gelu(lib.zeros(2), approximate="erf"),
        "hardtanh bounds": lambda: F.hardtanh(lib.zeros(2), 2.0, 1.0),
        "Hardtanh bounds": lambda: lib.nn.Hardtanh(1.0, 1.0),
        "softshrink lambda": lambda: F.softshrink(lib.zeros(2), -1.0),
        "celu alpha": lambda: F.celu(lib.zeros(2), 0.0),
        "prelu 2-D weight": lambda: F.prelu(lib.zeros(2, 3), lib.zeros(3, 1)),
        "prelu channels": lambda: F.prelu(lib.zeros(2, 3), lib.zeros(4)),
        "prelu 1-D input": lambda: F.prelu(lib.zeros(3), lib.zeros(3)),
        "prelu 0-D input": lambda: F.prelu(lib.tensor(1.0), lib.zeros(3)),
        "prelu dtypes": lambda: F.prelu(lib.zeros(2, 3, dtype=lib.float64), lib.zeros(3)),
        "Softmax2d": lambda: lib.nn.Softmax2d()(lib.zeros(2, 3)),
        "inplace leaf": lambda: F.hardswish(lib.zeros(2, requires_grad=True), inplace=True),
    }


@pytest.mark.parametrize("case", list(_bad_calls(bt)))
def test_errors_have_torch_types(case):
    with pytest.raises(Exception) as theirs:
        _bad_calls(torch)[case]()
    with pytest.raises(theirs.type):
        _bad_calls(bt)[case]()
