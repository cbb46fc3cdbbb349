"""Only NumPy-backed tensors meet NumPy: other backends get a TypeError saying how to
convert (this module runs on every backend)."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from ..conftest import BACKEND


def _foreign_tensor():
    """A tensor on a backend other than NumPy: the default one, or array-api-strict."""
    if BACKEND != "numpy":
        return bt.tensor([1.0, 2.0])
    strict = pytest.importorskip("array_api_strict")
    return bt.Tensor._wrap_array(strict.asarray([1.0, 2.0]))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda t: np.sin(t), "np.sin"),
        (lambda t: np.add(t, 1), "np.add"),
        (lambda t: np.add(t, 1.0, out=t), "np.add"),
        (lambda t: np.add.reduce(t), "np.add.reduce"),
        (lambda t: np.heaviside(t, 0.5), "np.heaviside"),
        (lambda t: np.sum(t), "np.sum"),
        (lambda t: np.linalg.norm(t), "np.linalg.norm"),
        (lambda t: np.median(t), "np.median"),
    ],
)
def test_other_backends_are_refused(call, name):
    t = _foreign_tensor()
    with pytest.raises(TypeError, match=rf"{name}: NumPy functions take NumPy-backed tensors"):
        call(t)


def test_numpy_backed_tensors_work_beside_the_default_backend():
    t = bt.Tensor._wrap_array(np.array([0.0, 1.0]))
    result = np.sin(t)
    assert isinstance(result, bt.Tensor) and result.backend == "numpy"
    np.testing.assert_allclose(result.numpy(), np.sin([0.0, 1.0]))
