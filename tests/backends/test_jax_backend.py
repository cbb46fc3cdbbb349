"""JAX arrays as the backend: immutable arrays, so in-place ops rebind the tensor."""

from __future__ import annotations

import pytest

import bridgetensor as bt
from bridgetensor._backend import get_backend

jnp = pytest.importorskip("jax.numpy", reason="the JAX checks need jax")
np = pytest.importorskip("numpy")
get_backend("jax")  # turns on JAX's 64-bit mode before the tests make arrays


def _wrap(array):
    return bt.Tensor._wrap_array(array)


def test_jax_arrays_wrap_and_64_bit_dtypes_survive():
    t = _wrap(jnp.asarray(np.arange(3.0)))
    assert t.backend == "jax" and t.dtype is bt.float64
    assert _wrap(jnp.asarray(np.arange(3))).dtype is bt.int64
    assert t.device == bt.device("cpu")


def test_in_place_ops_rebind_and_bump_the_version():
    t = _wrap(jnp.zeros(3))
    before = t._data
    t.add_(1.0)
    t[1] = 5.0
    assert t.tolist() == [1.0, 5.0, 1.0] and t._version == 2
    assert before.tolist() == [0.0, 0.0, 0.0]  # the old array is untouched


def test_a_view_does_not_see_writes_to_its_base():
    # The documented difference: JAX has no views, so a slice is a copy.
    base = _wrap(jnp.zeros(3))
    view = base[:2]
    base.add_(1.0)
    assert view.tolist() == [0.0, 0.0]


def test_gradients_and_scatter():
    x = _wrap(jnp.asarray([1.0, 2.0, 3.0])).requires_grad_()
    rows = _wrap(jnp.asarray([0, 0, 2]))
    (x[rows] * x[rows]).sum().backward()
    assert x.grad.tolist() == [4.0, 0.0, 6.0] and x.grad.backend == "jax"


def test_numpy_of_a_jax_tensor_is_a_read_only_copy():
    t = _wrap(jnp.ones(2))
    host = t.numpy()
    assert isinstance(host, np.ndarray) and not host.flags.writeable
