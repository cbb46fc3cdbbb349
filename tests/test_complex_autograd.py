"""Gradients of complex inputs follow torch's convention: for a real loss L of z, the
gradient is dL/dRe(z) + i dL/dIm(z), i.e. g * conj(f'(z)) through a holomorphic f.

Hand-derived cases here; tests/test_complex_autograd_oracle.py compares with torch."""

from __future__ import annotations

import numpy as np

import bridgetensor as bt

from .helpers import to_np

Z = np.array([1.0 + 2.0j, -0.5 + 0.3j, 0.25 - 1.5j])


def _grad(loss_of):
    z = bt.tensor(Z, requires_grad=True)
    loss_of(z).backward()
    return to_np(z.grad)


def test_squared_magnitude_gives_twice_z():
    # |z|^2 = x^2 + y^2: dL/dx + i dL/dy = 2x + 2iy = 2z
    np.testing.assert_allclose(_grad(lambda z: (z * z.conj()).real.sum()), 2 * Z)


def test_real_part_of_a_holomorphic_function_gives_its_conjugate_derivative():
    # Re(exp z) = e^x cos y: e^x cos y - i e^x sin y = conj(exp z)
    np.testing.assert_allclose(_grad(lambda z: bt.exp(z).real.sum()), np.conj(np.exp(Z)))


def test_magnitude_of_a_product_chains_through_the_conjugate():
    # |z^2| = |z|^2 again, reached through mul and abs: 2z
    np.testing.assert_allclose(_grad(lambda z: (z * z).abs().sum()), 2 * Z)


def test_imaginary_part_of_a_scaled_input():
    # Im(c z) with c = a + ib: a y + b x, so the gradient is b + i a = i conj(c)
    c = 0.5 - 2.0j
    np.testing.assert_allclose(_grad(lambda z: (z * c).imag.sum()), 1j * np.conj(c))


def test_a_real_input_gets_the_real_part():
    # L = |r w|^2 for real r: dL/dr = 2 r |w|^2 (real), no warning about a discarded part
    w = np.array([1.0 + 1.0j, 2.0 - 0.5j])
    r = bt.tensor([0.5, -1.5], dtype=bt.float64, requires_grad=True)
    loss = (r * bt.tensor(w)).abs().pow(2).sum()
    loss.backward()
    np.testing.assert_allclose(to_np(r.grad), 2 * np.array([0.5, -1.5]) * np.abs(w) ** 2)
    assert r.grad.dtype == bt.float64
