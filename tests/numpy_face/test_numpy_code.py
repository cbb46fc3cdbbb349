"""Realistic NumPy code, run unchanged on ndarrays and on Tensors: the same values, and on
Tensors gradients equal to PyTorch's for the same computation (the oracle part)."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from ..conftest import numpy_only

pytestmark = numpy_only

RNG = np.random.default_rng(7)


# ---------------------------------------------------------------- the NumPy code


def softmax_regression_loss(X, W, b, Y):
    """Mean cross-entropy of a linear softmax classifier (Y one-hot)."""
    logits = X @ W + b
    logits = logits - np.max(logits, axis=1, keepdims=True)
    e = np.exp(logits)
    p = e / np.sum(e, axis=1, keepdims=True)
    return -np.mean(np.sum(Y * np.log(p), axis=1))


def heat_energy(u, dx, dt, steps):
    """Explicit heat-equation steps on a periodic grid, then an energy of the result."""
    for _ in range(steps):
        laplacian = (np.roll(u, -1) - 2 * u + np.roll(u, 1)) / dx**2
        u = u + dt * laplacian
    gradient = np.diff(u) / dx
    padded = np.pad(u, 1, mode="edge")
    second = (padded[2:] - 2 * padded[1:-1] + padded[:-2]) / dx**2
    return np.sum(gradient**2) * dx + np.mean(np.abs(second)) + np.max(u) - np.min(u)


def plate_smoothing(field):
    """Jacobi-style smoothing of a 2-d field's interior, by slicing and padding."""
    inner = (field[:-2, 1:-1] + field[2:, 1:-1] + field[1:-1, :-2] + field[1:-1, 2:]) / 4
    smoothed = np.pad(inner, 1, mode="reflect")
    return np.linalg.norm(smoothed - field) + np.var(smoothed, ddof=1)


def ridge_fit(X, y, lam):
    """Ridge regression by the normal equations; the relative residual of the fit."""
    n_features = X.shape[1]
    A = X.T @ X + lam * np.eye(n_features)
    w = np.linalg.solve(A, X.T @ y)
    residual = X @ w - y
    return w, np.linalg.norm(residual) / np.linalg.norm(y)


def _data():
    X = RNG.normal(size=(8, 3))
    W = RNG.normal(size=(3, 4))
    b = RNG.normal(size=(4,))
    Y = np.eye(4)[RNG.integers(0, 4, size=8)]
    return X, W, b, Y


def _same(got, expected, rtol=1e-12):
    assert isinstance(got, bt.Tensor)
    value = got.detach().numpy()
    assert value.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(value, expected, rtol=rtol, atol=1e-12)


# ---------------------------------------------------------------- values: ndarray vs Tensor


def test_softmax_regression_runs_unchanged():
    X, W, b, Y = _data()
    expected = softmax_regression_loss(X, W, b, Y)
    got = softmax_regression_loss(*(bt.tensor(a) for a in (X, W, b, Y)))
    _same(got, expected)
    # float32 data stays float32, as in NumPy
    got32 = softmax_regression_loss(*(bt.tensor(a, dtype=bt.float32) for a in (X, W, b, Y)))
    _same(got32, softmax_regression_loss(*(a.astype(np.float32) for a in (X, W, b, Y))), 1e-5)


def test_heat_stencil_runs_unchanged():
    u = np.sin(np.linspace(0, 2 * np.pi, 16, endpoint=False)) + RNG.normal(size=16) * 0.1
    expected = heat_energy(u, 0.4, 0.05, steps=3)
    _same(heat_energy(bt.tensor(u), 0.4, 0.05, steps=3), expected)


def test_plate_smoothing_runs_unchanged():
    field = RNG.normal(size=(6, 5))
    _same(plate_smoothing(bt.tensor(field)), plate_smoothing(field))


def test_ridge_fit_runs_unchanged():
    X, y = RNG.normal(size=(10, 3)), RNG.normal(size=10)
    w_expected, r_expected = ridge_fit(X, y, 0.1)
    w, r = ridge_fit(bt.tensor(X), bt.tensor(y), 0.1)
    _same(w, w_expected)
    _same(r, r_expected)


def test_gradient_descent_loop_on_numpy_code():
    X, W, b, Y = _data()
    weights = bt.tensor(W, requires_grad=True)
    losses = []
    for _ in range(5):
        loss = softmax_regression_loss(bt.tensor(X), weights, bt.tensor(b), bt.tensor(Y))
        loss.backward()
        with bt.no_grad():
            weights -= 0.5 * weights.grad
        weights.grad = None
        losses.append(loss.item())
    assert losses == sorted(losses, reverse=True)


# ---------------------------------------------------------------- gradients: PyTorch's


def _torch_tensors(torch, *arrays):
    return [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]


def _ours(*arrays):
    return [bt.tensor(a, requires_grad=True) for a in arrays]


def _grads_equal(ours, theirs, rtol=1e-10):
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=rtol,
                                   atol=1e-12)  # fmt: skip


@pytest.mark.oracle
def test_softmax_regression_gradients_match_torch():
    torch = pytest.importorskip("torch")
    X, W, b, Y = _data()
    ours = _ours(X, W, b)
    softmax_regression_loss(*ours, bt.tensor(Y)).backward()
    tx, tw, tb = _torch_tensors(torch, X, W, b)
    logits = tx @ tw + tb
    logits = logits - logits.max(dim=1, keepdim=True).values
    p = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
    (-(torch.tensor(Y) * p.log()).sum(dim=1).mean()).backward()
    _grads_equal(ours, (tx, tw, tb))


@pytest.mark.oracle
def test_heat_stencil_gradients_match_torch():
    torch = pytest.importorskip("torch")
    u0 = np.sin(np.linspace(0, 2 * np.pi, 16, endpoint=False)) + RNG.normal(size=16) * 0.1
    (u,) = _ours(u0)
    heat_energy(u, 0.4, 0.05, steps=3).backward()
    (tu,) = _torch_tensors(torch, u0)
    v = tu
    for _ in range(3):
        v = v + 0.05 * (torch.roll(v, -1) - 2 * v + torch.roll(v, 1)) / 0.4**2
    gradient = torch.diff(v) / 0.4
    padded = torch.nn.functional.pad(v[None], (1, 1), mode="replicate")[0]
    second = (padded[2:] - 2 * padded[1:-1] + padded[:-2]) / 0.4**2
    energy = (gradient**2).sum() * 0.4 + second.abs().mean() + v.max() - v.min()
    energy.backward()
    _grads_equal([u], [tu])


@pytest.mark.oracle
def test_plate_smoothing_gradients_match_torch():
    torch = pytest.importorskip("torch")
    field0 = RNG.normal(size=(6, 5))
    (field,) = _ours(field0)
    plate_smoothing(field).backward()
    (tf,) = _torch_tensors(torch, field0)
    inner = (tf[:-2, 1:-1] + tf[2:, 1:-1] + tf[1:-1, :-2] + tf[1:-1, 2:]) / 4
    smoothed = torch.nn.functional.pad(inner[None], (1, 1, 1, 1), mode="reflect")[0]
    (torch.linalg.norm(smoothed - tf) + smoothed.var()).backward()
    _grads_equal([field], [tf])


@pytest.mark.oracle
def test_ridge_fit_gradients_match_torch():
    torch = pytest.importorskip("torch")
    X0, y0 = RNG.normal(size=(10, 3)), RNG.normal(size=10)
    X, y = _ours(X0, y0)
    w, r = ridge_fit(X, y, 0.1)
    (w.sum() + r).backward()
    tx, ty = _torch_tensors(torch, X0, y0)
    A = tx.T @ tx + 0.1 * torch.eye(3, dtype=torch.float64)
    tw = torch.linalg.solve(A, tx.T @ ty)
    (tw.sum() + torch.linalg.norm(tx @ tw - ty) / torch.linalg.norm(ty)).backward()
    _grads_equal([X, y], [tx, ty], rtol=1e-9)
