"""Fourier transforms (ops/fft.py, the standard's `fft` extension): values against
NumPy, gradients against central differences, edge cases and errors. The op table
checks the three primitives; these check the composites around them."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.array_api as xp
from bridgetensor import autograd

from .helpers import to_np

REAL_IN = ["fft", "ifft", "rfft", "ihfft", "fftn", "ifftn", "rfftn"]
COMPLEX_IN = ["fft", "ifft", "irfft", "hfft", "fftn", "ifftn", "irfftn"]
NORMS = ["backward", "ortho", "forward"]


def _sizes(name, n):
    if n is None:
        return {}
    return {"s": (2, n), "axes": (0, 1)} if name.endswith("n") else {"n": n}


def _real_loss(out, rng):
    """A real number from any output (weights on its real and imaginary parts)."""
    w1 = bt.tensor(rng.standard_normal(tuple(out.shape)))
    if not out.dtype.is_complex:
        return (out * w1).sum()
    w2 = bt.tensor(rng.standard_normal(tuple(out.shape)))
    return (xp.real(out) * w1).sum() + (xp.imag(out) * w2).sum()


def _check_gradient(f, x_np):
    """Directional central difference of a real loss of f, in the real coordinates."""
    rng = np.random.default_rng(5)
    x = bt.tensor(x_np, requires_grad=True)
    (grad,) = autograd.grad(_real_loss(f(x), np.random.default_rng(6)), [x])
    direction = rng.standard_normal(x_np.shape)
    if np.iscomplexobj(x_np):
        direction = direction + 1j * rng.standard_normal(x_np.shape)
    eps = 1e-6

    def value(a):
        return float(_real_loss(f(bt.tensor(a)), np.random.default_rng(6)).item())

    numeric = (value(x_np + eps * direction) - value(x_np - eps * direction)) / (2 * eps)
    # The gradient is dL/d(re) + i dL/d(im) (torch's convention): pair it with the direction.
    analytic = float(np.real(np.sum(np.conj(to_np(grad)) * direction)))
    assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", REAL_IN)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 3, 8])
def test_real_input_values_and_gradients(name, norm, n):
    a = np.random.default_rng(0).standard_normal((2, 5))
    f = getattr(xp.fft, name)
    kwargs = {"norm": norm, **_sizes(name, n)}
    expected = getattr(np.fft, name)(a, **kwargs)
    np.testing.assert_allclose(to_np(f(bt.tensor(a), **kwargs)), expected, atol=1e-12)
    _check_gradient(lambda t: f(t, **kwargs), a)


@pytest.mark.parametrize("name", COMPLEX_IN)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 4, 7])
def test_complex_input_values_and_gradients(name, norm, n):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 5)) + 1j * rng.standard_normal((2, 5))
    f = getattr(xp.fft, name)
    kwargs = {"norm": norm, **_sizes(name, n)}
    expected = getattr(np.fft, name)(a, **kwargs)
    np.testing.assert_allclose(to_np(f(bt.tensor(a), **kwargs)), expected, atol=1e-12)
    _check_gradient(lambda t: f(t, **kwargs), a)


def test_dtypes_are_kept():
    x32 = xp.asarray([1.0, 2.0, 3.0], dtype=xp.float32)
    assert xp.fft.fft(x32).dtype is xp.complex64
    assert xp.fft.rfft(x32).dtype is xp.complex64
    assert xp.fft.irfft(xp.fft.rfft(x32)).dtype is xp.float32
    assert xp.fft.fftfreq(4, dtype=xp.float64).dtype is xp.float64


def test_frequencies_and_shifts():
    np.testing.assert_allclose(to_np(xp.fft.fftfreq(5, d=0.5)), np.fft.fftfreq(5, d=0.5))
    np.testing.assert_allclose(to_np(xp.fft.rfftfreq(6)), np.fft.rfftfreq(6))
    a = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(to_np(xp.fft.fftshift(bt.tensor(a))), np.fft.fftshift(a))
    np.testing.assert_array_equal(
        to_np(xp.fft.ifftshift(bt.tensor(a), axes=1)), np.fft.ifftshift(a, axes=1)
    )
    _check_gradient(lambda t: xp.fft.fftshift(t, axes=(0,)), np.random.rand(3, 4))


def test_grad_fn_names_are_torchs():
    x = bt.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    assert type(xp.fft.rfft(x).grad_fn).__name__ == "FftR2CBackward0"
    assert type(xp.fft.irfft(xp.fft.rfft(x)).grad_fn).__name__ == "FftC2RBackward0"
    assert type(xp.fft.fft(xp.fft.rfft(x)).grad_fn).__name__ == "FftC2CBackward0"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: xp.fft.fft(bt.zeros(4), norm="none"), ValueError, "fft: norm must be one of"),
        (lambda: xp.fft.fft(bt.zeros(4), n=0), ValueError, "fft: n must be positive; got 0"),
        (lambda: xp.fft.rfft(bt.zeros(4, dtype=bt.complex64)), TypeError, "rfft: expected a"),
        (lambda: xp.fft.fft(bt.tensor([1, 2])), TypeError, "fft: expected a floating-point"),
        (lambda: xp.fft.irfft(bt.zeros(1)), ValueError, "irfft: the output length"),
        (lambda: xp.fft.fftn(bt.zeros((2, 2)), s=(2,), axes=(0, 1)), ValueError, "same length"),
        (lambda: xp.fft.fftn(bt.zeros((2, 2)), axes=(0, 0)), ValueError, "axes must be unique"),
        (lambda: xp.fft.fftfreq(0), ValueError, "fftfreq: n must be positive; got 0"),
        (lambda: xp.fft.rfftfreq(-1), ValueError, "rfftfreq: n must be positive; got -1"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fftn", "rfftn"])
def test_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    complex_input = name in ("irfft", "hfft")
    a = rng.standard_normal((3, 6)) + (1j * rng.standard_normal((3, 6)) if complex_input else 0)
    ours, theirs = getattr(xp.fft, name), getattr(torch.fft, name)
    x = bt.tensor(a, requires_grad=True)
    t = torch.tensor(a, requires_grad=True)
    out, expected = ours(x, norm="ortho"), theirs(t, norm="ortho")
    np.testing.assert_allclose(to_np(out), expected.detach().resolve_conj().numpy(), atol=1e-12)
    w = rng.standard_normal(tuple(out.shape))
    if out.dtype.is_complex:
        (xp.real(out) * bt.tensor(w) + xp.imag(out) * bt.tensor(2 * w)).sum().backward()
        (expected.real * torch.tensor(w) + expected.imag * torch.tensor(2 * w)).sum().backward()
    else:
        (out * bt.tensor(w)).sum().backward()
        (expected * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(to_np(x.grad), t.grad.resolve_conj().numpy(), atol=1e-12)
