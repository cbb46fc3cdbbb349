"""Gradients through plain NumPy code: hand a Tensor to a function written with np.* calls.

bridgetensor's Tensors implement NumPy's protocols (__array_ufunc__, __array_function__):
`np.sin(t)`, `np.sum(t, axis=1)`, `x @ t` on a Tensor give back a Tensor and record the
operation, so `.backward()` differentiates NumPy code that was never written for autograd.

1. The derivative of a NumPy function, checked against the one derived by hand.
2. A softmax regression whose loss is written in NumPy, fitted with bridgetensor's SGD.

    python examples/numpy_gradients.py [--quick]

Needs only NumPy. The tensors are made with `from_numpy`, so they are NumPy-backed whatever
the default backend is: NumPy's functions take NumPy-backed tensors only.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import bridgetensor as torch

# --- NumPy code, as found in the wild: nothing here knows about bridgetensor ------------------


def wave_packet(x):
    """A Gaussian wave packet, summed: sum(sin(3x) * exp(-x^2 / 2))."""
    return np.sum(np.sin(3 * x) * np.exp(-(x**2) / 2))


def wave_packet_derivative(x):
    """Its derivative, by hand: (3 cos(3x) - x sin(3x)) * exp(-x^2 / 2)."""
    return (3 * np.cos(3 * x) - x * np.sin(3 * x)) * np.exp(-(x**2) / 2)


def softmax_cross_entropy(weights, bias, features, onehot):
    """Mean cross-entropy of a linear classifier, with the usual max shift for stability."""
    logits = features @ weights + bias
    logits = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.mean(np.sum(onehot * log_probs, axis=1))


def blobs(n_per_class: int, seed: int = 0):
    """Three Gaussian clouds in 2-D and their one-hot labels."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    features = np.concatenate([c + rng.normal(size=(n_per_class, 2)) for c in centres])
    labels = np.repeat(np.arange(3), n_per_class)
    return features, np.eye(3)[labels], labels


# --- the same code, differentiated by bridgetensor ----------------------------------------------


def derivative_check() -> float:
    points = np.linspace(-2, 4, 61)
    x = torch.from_numpy(points).requires_grad_()  # shares the array's memory
    y = wave_packet(x)  # np.sum, np.sin, np.exp on a Tensor: a Tensor with a graph
    y.backward()
    error = np.max(np.abs(x.grad.numpy() - wave_packet_derivative(points)))
    on_arrays = wave_packet(points)
    print(f"wave packet: value {y.item():.6f} (NumPy on ndarrays: {on_arrays:.6f})")
    print(f"  autograd vs hand-derived derivative, max |difference|: {error:.1e}")
    return float(error)


def fit_softmax_regression(steps: int) -> dict:
    features, onehot, labels = blobs(100)
    weights = torch.from_numpy(np.zeros((2, 3))).requires_grad_()
    bias = torch.from_numpy(np.zeros(3)).requires_grad_()
    optimizer = torch.optim.SGD([weights, bias], lr=0.5)
    # ndarrays and Tensors mix freely: `features @ weights` is NumPy's matmul, on a Tensor.
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = softmax_cross_entropy(weights, bias, features, onehot)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        loss = softmax_cross_entropy(weights, bias, features, onehot).item()
        predictions = np.argmax(features @ weights + bias, axis=1)
    accuracy = float(np.mean(np.asarray(predictions) == labels))
    # The same function on plain arrays gives the same number: the Tensor run is NumPy's math.
    on_arrays = softmax_cross_entropy(
        weights.detach().numpy(), bias.detach().numpy(), features, onehot
    )
    print(f"softmax regression: loss {losses[0]:.4f} -> {loss:.4f} in {steps} SGD steps")
    print(f"  the same function on ndarrays: {on_arrays:.4f}; accuracy {100 * accuracy:.1f}%")
    return {"losses": losses, "loss": loss, "loss_on_arrays": on_arrays, "accuracy": accuracy}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer SGD steps")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BRIDGETENSOR_EXAMPLES_QUICK") == "1"
    if not isinstance(np.sin(torch.from_numpy(np.zeros(1))), torch.Tensor):
        print("this bridgetensor has no NumPy protocols yet: np.sin(tensor) is not a Tensor")
        return {}
    error = derivative_check()
    return {"derivative_error": error, **fit_softmax_regression(steps=30 if quick else 200)}


if __name__ == "__main__":
    main()
