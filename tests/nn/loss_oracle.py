"""Running one loss in bridgetensor and in torch on the same data, for the oracle tests.

torch is imported lazily: the test modules skip themselves first when it is missing.
"""

from __future__ import annotations

import warnings

import numpy as np

import bridgetensor as bt

from ..helpers import to_np


def _torch():
    import torch

    return torch


def _make(lib, value, grad: bool):
    if isinstance(value, np.ndarray):
        t = lib.tensor(value)
        if grad:
            t.requires_grad_()
        return t
    return value


def _run(lib, name, args, kwargs, grad):
    functional = lib.nn.functional
    made = [_make(lib, a, i in grad) for i, a in enumerate(args)]
    made_kwargs = {k: _make(lib, v, False) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = getattr(functional, name)(*made, **made_kwargs)
    return made, out


def _tolerances(dtype: str, rtol, atol):
    single = dtype == "float32"
    return rtol or (2e-4 if single else 1e-7), atol or (2e-5 if single else 1e-10)


def floating_positions(args) -> list:
    return [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype.kind == "f"]


def compare(name, args, kwargs=None, grad=None, rtol=None, atol=None, seed=0):
    """F.<name>(*args, **kwargs) in both libraries: the same value, dtype and shape, and the
    same gradients of sum(out * cotangent) for the args at positions `grad` (default:
    every floating array). Returns our output."""
    torch = _torch()
    kwargs = kwargs or {}
    grad = floating_positions(args) if grad is None else list(grad)
    ours_in, ours = _run(bt, name, args, kwargs, grad)
    theirs_in, theirs = _run(torch, name, args, kwargs, grad)
    dtype = str(theirs.dtype).removeprefix("torch.")
    assert ours.dtype.name == dtype, f"{name}: dtype {ours.dtype.name} != {dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{name}: {ours.shape} != {theirs.shape}"
    rtol, atol = _tolerances(dtype, rtol, atol)
    expected = theirs.detach().numpy()
    np.testing.assert_allclose(to_np(ours), expected, rtol, atol, equal_nan=True, err_msg=name)
    if not grad:
        return ours
    cotangent = np.random.default_rng(seed).standard_normal(expected.shape).astype(expected.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (ours * bt.tensor(cotangent)).sum().backward()
        (theirs * torch.tensor(cotangent)).sum().backward()
    for i in grad:
        mine, their = ours_in[i].grad, theirs_in[i].grad
        assert (mine is None) == (their is None), f"{name}: grad {i} defined differently"
        if their is not None:
            np.testing.assert_allclose(
                to_np(mine),
                their.numpy(),
                rtol,
                atol,
                equal_nan=True,
                err_msg=f"{name}: grad of argument {i}",
            )
    return ours


def same_error(name, args, kwargs=None, same_message=True):
    """Both libraries refuse F.<name>(*args, **kwargs) with the same exception type (and,
    where `same_message`, the same message). Returns our exception."""
    torch = _torch()
    kwargs = kwargs or {}
    errors = []
    for lib in (bt, torch):
        try:
            _run(lib, name, args, kwargs, [])
        except Exception as error:  # the type is what is compared
            errors.append(error)
        else:
            errors.append(None)
    ours, theirs = errors
    assert theirs is not None, f"{name}: torch accepted it"
    assert ours is not None, f"{name}: we accepted what torch refuses ({theirs!r})"
    assert type(ours) is type(theirs), f"{name}: {ours!r} != {theirs!r}"
    if same_message:
        assert str(ours) == str(theirs), f"{name}: {ours} != {theirs}"
    return ours
