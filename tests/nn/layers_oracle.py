"""Shared harness of the layer oracle tests: run a function of torch.nn.functional and
ours on the same inputs, compare values, dtypes and the gradients of every float input."""

from __future__ import annotations

import numpy as np

import bridgetensor as bt

from ..helpers import to_np

TOLERANCE = {"float32": {"rtol": 2e-4, "atol": 2e-5}, "float64": {"rtol": 1e-9, "atol": 1e-11}}


class Spec:
    """How to draw one input: floats (differentiated), integers, booleans, or a constant."""

    def __init__(self, shape=(), kind="float", high=None, grad=True, value=None) -> None:
        self.shape, self.kind, self.high, self.grad, self.value = shape, kind, high, grad, value

    def draw(self, rng, dtype):
        if self.kind == "value":
            return self.value
        if self.kind == "int":
            return rng.integers(0, self.high, size=self.shape).astype(np.int64)
        if self.kind == "bool":
            return rng.random(self.shape) > 0.3
        if self.kind == "positive":
            return rng.uniform(0.5, 2.0, size=self.shape).astype(dtype)
        return rng.standard_normal(self.shape).astype(dtype)


def Fl(*shape, grad=True):
    return Spec(shape, grad=grad)


def Int(*shape, high):
    return Spec(shape, "int", high)


def Bool(*shape):
    return Spec(shape, "bool")


def Const(value):
    return Spec(kind="value", value=value)


def _tensors(lib, arrays, specs):
    found = []
    for a, spec in zip(arrays, specs):
        if spec.kind == "value":
            found.append(a)
        elif spec.kind == "float" or spec.kind == "positive":
            t = lib.tensor(a)
            found.append(t.requires_grad_() if spec.grad else t)
        else:
            found.append(lib.tensor(a))
    return found


def _outputs(result):
    return result if isinstance(result, tuple) else (result,)


def compare(torch, name, specs, kwargs, dtype="float64", seed=0, grad=True, exact=False):
    """Run F.<name> in torch and here; compare outputs and input gradients."""
    rng = np.random.default_rng(seed)
    arrays = [s.draw(rng, dtype) for s in specs]
    ours_in = _tensors(bt, arrays, specs)
    theirs_in = _tensors(torch, arrays, specs)
    torch.manual_seed(seed)
    bt.manual_seed(seed)
    theirs = _outputs(getattr(torch.nn.functional, name)(*theirs_in, **kwargs))
    ours = _outputs(getattr(bt.nn.functional, name)(*ours_in, **kwargs))
    tol = {"rtol": 0, "atol": 0} if exact else TOLERANCE[dtype]
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert tuple(o.shape) == tuple(t.shape), (o.shape, t.shape)
        assert o.dtype.name == str(t.dtype).split(".")[-1]
        np.testing.assert_allclose(to_np(o), t.detach().numpy(), **tol)
    if not grad:
        return ours
    floats = [
        (o, t)
        for o, t, s in zip(ours_in, theirs_in, specs)
        if s.kind in ("float", "positive") and s.grad
    ]
    if not floats or not theirs[0].requires_grad:
        return ours
    cotangent = rng.standard_normal(tuple(theirs[0].shape)).astype(dtype)
    theirs[0].backward(torch.tensor(cotangent))
    ours[0].backward(bt.tensor(cotangent))
    for o, t in floats:
        if t.grad is None:
            assert o.grad is None or not np.any(to_np(o.grad))
            continue
        np.testing.assert_allclose(to_np(o.grad), t.grad.numpy(), **tol)
    return ours


def same_error(torch_call, our_call, match_message: bool = True):
    """Both raise; the same exception type (and message, with torch's names mapped)."""
    try:
        torch_call()
    except Exception as e:
        expected = e
    else:
        raise AssertionError("torch raised nothing")
    try:
        our_call()
    except Exception as e:
        got = e
    else:
        raise AssertionError(f"we raised nothing; torch raised {expected!r}")
    assert type(got) is type(expected), (got, expected)
    if match_message:
        theirs = str(expected).split("\n")[0].replace("torch.", "bridgetensor.")
        assert str(got).split("\n")[0] == theirs
