"""The comparison harness of the elementwise oracle tests: draw inputs, run bridgetensor
and PyTorch on the same call, compare values, dtypes, gradients and exception types.

Imported only by test modules that have already skipped themselves without torch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bridgetensor as bt

from .helpers import to_np

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Value domains, for floating and for integer inputs.
FLOAT_DOMAINS = {
    "real": (-4.0, 4.0),
    "pos": (0.125, 4.0),  # bounds exact in float32, as hypothesis requires
    "unit": (-0.9375, 0.9375),
    "unit01": (0.0625, 0.9375),
    "ge1": (1.0625, 4.0),
    "nonzero": (0.25, 4.0),  # with a random sign
    "small": (-2.0, 2.0),
}
INT_DOMAINS = {
    "real": (-5, 5),
    "pos": (1, 5),
    "unit": (-1, 1),
    "unit01": (0, 1),
    "ge1": (1, 5),
    "nonzero": (1, 5),
    "small": (-3, 3),
}
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, math.inf, -math.inf, math.nan]

FLOATS = ("float32", "float64")
NUMERIC = ("float32", "float64", "int64")
ALL = ("float32", "float64", "int64", "bool")
# array-api-strict refuses arithmetic and ordering on bool arrays, and Python bools
# beside integer arrays (both need the backend layer); its oracle runs leave bool out.
STRICT = bt.get_default_backend() == "array_api_strict"
if STRICT:
    ALL = NUMERIC


def elements(dtype, domain, special):
    if dtype == "bool":
        return st.booleans()
    if dtype == "int64":
        low, high = INT_DOMAINS[domain]
        values = st.integers(low, high)
        return values.map(lambda v: v if v else 1) if domain == "nonzero" else values
    low, high = FLOAT_DOMAINS[domain]
    width = 32 if dtype == "float32" else 64
    # Tiny magnitudes become 0: across float32 and float64 they only test underflow
    # quirks of torch's backward formulas (copysign's 0/0 after a float32 cast).
    values = st.floats(low, high, width=width).map(lambda v: 0.0 if abs(v) < 1e-6 else v)
    if domain == "nonzero":
        values = st.tuples(values, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    if special:
        values = st.one_of(values, st.sampled_from(SPECIAL))
    return values


def array(draw, dtype, shape, domain, special):
    return draw(hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, domain, special)))


def scalar(draw, dtype, domain):
    value = draw(elements(dtype, domain, special=False))
    return {"float32": float, "float64": float, "int64": int, "bool": bool}[dtype](value)


# ------------------------------------------------------------------ running both libraries


def _both(args, grad):
    """(our arguments, torch's arguments, the positions that require grad)."""
    ours, theirs, wants = [], [], []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray):
            floating = a.dtype.kind == "f"
            ours.append(bt.tensor(a, requires_grad=grad and floating))
            theirs.append(torch.tensor(a, requires_grad=grad and floating))
            if grad and floating:
                wants.append(i)
        else:
            ours.append(a)
            theirs.append(a)
    return ours, theirs, wants


def run(fn, args, kwargs):
    try:
        return fn(*args, **kwargs), None
    except Exception as error:  # compared below
        return None, error


def _tolerance(dtype_name):
    return (2e-5, 1e-6) if dtype_name in ("float32", "complex64") else (1e-10, 1e-12)


def compare(name, ours_fn, torch_fn, args, kwargs=None, grad=True, rtol=None):
    kwargs = kwargs or {}
    ours_args, torch_args, wants = _both(args, grad)
    expected, torch_error = run(torch_fn, torch_args, kwargs)
    got, our_error = run(ours_fn, ours_args, kwargs)
    if torch_error is not None:
        assert our_error is not None, f"{name}: torch raised {torch_error!r}; we returned {got}"
        assert isinstance(our_error, type(torch_error)), (
            f"{name}: torch raised {type(torch_error).__name__}: {torch_error}; "
            f"we raised {type(our_error).__name__}: {our_error}"
        )
        return
    if our_error is not None:
        raise AssertionError(f"{name}: we raised {our_error!r}; torch returned {expected}")
    if not isinstance(expected, torch.Tensor):
        assert type(got) is type(expected) and got == expected, f"{name}: {got} != {expected}"
        return
    dtype_name = str(expected.dtype).replace("torch.", "")
    assert got.dtype.name == dtype_name, f"{name}: dtype {got.dtype.name} != {dtype_name}"
    assert tuple(got.shape) == tuple(expected.shape), f"{name}: shape"
    default_rtol, atol = _tolerance(dtype_name)
    np.testing.assert_allclose(
        to_np(got),
        expected.detach().numpy(force=True),
        rtol=rtol or default_rtol,
        atol=atol,
        equal_nan=True,
        err_msg=f"{name} values",
    )
    if not (wants and expected.requires_grad):
        return
    cotangent = np.cos(np.arange(expected.numel())).reshape(tuple(expected.shape)) + 1.5
    try:
        torch_grads = torch.autograd.grad(
            expected,
            [torch_args[i] for i in wants],
            torch.tensor(cotangent, dtype=expected.dtype),
            allow_unused=True,
        )
    except RuntimeError as error:
        # torch's `//` refuses to differentiate (ours gives div(rounding_mode="floor")'s
        # zero gradient), and addcdiv's backward fails on an integer tensor2.
        assert "floor_divide" in str(error) or "can't be cast" in str(error), error
        return
    our_grads = bt.autograd.grad(
        got, [ours_args[i] for i in wants], bt.tensor(cotangent, dtype=got.dtype), allow_unused=True
    )
    for i, ours_g, torch_g in zip(wants, our_grads, torch_grads):
        if torch_g is None:
            assert ours_g is None or not np.any(to_np(ours_g)), f"{name}: gradient {i}"
            continue
        assert ours_g is not None, f"{name}: no gradient for input {i}"
        # A float64 input of a float32 op gets a gradient computed in float32.
        # Gradients may be computed in the lowest precision among the operands.
        precisions = [dtype_name] + [a.dtype.name for a in args if isinstance(a, np.ndarray)]
        g_rtol, g_atol = max(_tolerance(d) for d in precisions)
        np.testing.assert_allclose(
            to_np(ours_g),
            torch_g.numpy(force=True),  # sgn's gradient is a ZeroTensor
            rtol=max(g_rtol * 10, rtol or 0),
            atol=g_atol * 10,
            equal_nan=True,
            err_msg=f"{name} gradient of input {i}",
        )


def functions(name):
    """Our function and torch's for a dotted name: "exp", or "Tensor.exp_" for methods."""
    if name.startswith("Tensor."):
        method = name.split(".", 1)[1]
        return (lambda *a, **k: getattr(a[0], method)(*a[1:], **k)), (
            lambda *a, **k: getattr(a[0], method)(*a[1:], **k)
        )
    return getattr(bt, name), getattr(torch, name)
