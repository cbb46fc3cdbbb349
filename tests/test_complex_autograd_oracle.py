"""Gradients of complex (and mixed real/complex) computations against torch's."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from .helpers import to_np

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

RNG = np.random.default_rng(0)
Z = RNG.standard_normal(4) + 1j * RNG.standard_normal(4)
W = RNG.standard_normal(4) + 1j * RNG.standard_normal(4)
R = RNG.standard_normal(4)

CASES = {
    "abs(sin z)": lambda m, z, w, r: m.sin(z).abs().sum(),
    "abs(z / w)": lambda m, z, w, r: (z / w).abs().sum(),
    "imag(z @ w)": lambda m, z, w, r: (z @ w).imag,
    "abs(log z)^2": lambda m, z, w, r: (m.log(z).abs() ** 2).sum(),
    "angle(z * w)": lambda m, z, w, r: m.angle(z * w).sum(),
    "abs(sqrt z + conj w)": lambda m, z, w, r: (m.sqrt(z) + w.conj()).abs().sum(),
    "abs(r * w)": lambda m, z, w, r: (r * w).abs().sum(),
    "abs(z ** 3)": lambda m, z, w, r: (z**3).abs().sum(),
    "abs(tanh z * z)": lambda m, z, w, r: (m.tanh(z) * z).abs().sum(),
    "abs(mean z * w)": lambda m, z, w, r: (z.mean() * w).abs().sum(),
    "abs(1 / z)": lambda m, z, w, r: (1 / z).abs().sum(),
    "abs(r as complex * w)": lambda m, z, w, r: (r.to(m.complex128) * w).abs().sum(),
}


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_torch(name):
    theirs = [torch.tensor(a, requires_grad=True) for a in (Z, W, R)]
    ours = [bt.tensor(a, requires_grad=True) for a in (Z, W, R)]
    CASES[name](torch, *theirs).backward()
    CASES[name](bt, *ours).backward()
    for t, b in zip(theirs, ours):
        if t.grad is None:
            assert b.grad is None
            continue
        np.testing.assert_allclose(
            to_np(b.grad), t.grad.resolve_conj().numpy(), rtol=1e-12, atol=1e-12
        )
