"""JAX arrays as a backend: jax.numpy is an array-API namespace of its own.

JAX arrays are immutable, so in-place ops (``add_``, ``t[i] = v``, optimizer steps)
compute the new value and rebind the tensor to it: the tensor changes, but a view
taken earlier, or a NumPy array obtained from it, keeps the old values. Loading this
backend turns on JAX's 64-bit mode, since torch has float64 and int64 tensors (int64
is its default integer type); without it JAX would silently make them 32-bit.
"""

from __future__ import annotations

import numpy as np

from ._backend import CPU, Backend, device


class JaxBackend(Backend):
    __slots__ = ()

    def device_of(self, array) -> device:
        native = array.device
        platform = getattr(native, "platform", "cpu")
        if platform == "cpu":
            return CPU
        return device("cuda" if platform == "gpu" else platform, native.id)

    def to_host(self, array) -> np.ndarray:
        return np.asarray(array)  # read-only: JAX owns the buffer

    def index(self, x, key):
        return x[key]

    def index_put(self, target, key, values):
        return target.at[key].set(values)

    def scatter_add(self, target, key, values):
        return target.at[key].add(values)


def load() -> JaxBackend:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    return JaxBackend("jax", jax, jnp, mutable=False)
