"""Zero-copy bridges between Tensors and NumPy (and other libraries).

What shares memory: `from_numpy`, `as_tensor`/`asarray` of an array of the same dtype,
`Tensor.numpy()`, `np.asarray(t)`. What copies: `tensor(data)` (always, as in torch),
a dtype change, and moves between devices (`.cpu()`, `.cuda()`).
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import backend_for_device, get_backend
from .autograd import _primitive

__all__ = ["InteropMethods", "from_numpy", "host_array", "to_device", "to_numpy"]


def from_numpy(ndarray: np.ndarray):
    """A Tensor sharing memory with a NumPy array: writes on either side show on the other.

    >>> import numpy as np, bridgetensor as bt
    >>> a = np.zeros(2); t = bt.from_numpy(a); a[0] = 5; t
    tensor([5., 0.], dtype=bridgetensor.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if not ndarray.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported."
        )
    _dtypes.from_numpy_dtype(ndarray.dtype)  # refuses dtypes we have no name for
    return _primitive._wrap(ndarray, get_backend("numpy"), None)


def host_array(array, backend) -> np.ndarray:
    """A NumPy array of `array`'s values: shared where the library allows, else copied."""
    if backend.is_numpy:
        return array
    if backend.is_gpu:
        return backend.lib.asnumpy(array)
    if backend.name == "torch":
        return array.detach().numpy()
    if backend.name == "dask":
        return np.asarray(array.compute())
    try:
        return np.from_dlpack(array)
    except (TypeError, BufferError, RuntimeError, AttributeError):
        return np.asarray(array)


def to_numpy(t, *, force: bool = False) -> np.ndarray:
    """The tensor's values as a NumPy array; shared on the CPU, copied from a GPU.

    >>> import bridgetensor as bt
    >>> bt.to_numpy(bt.ones(2))
    array([1., 1.], dtype=float32)
    """
    if t._requires_grad and not force:
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )
    return host_array(t._data, t._be)


def to_device(t, device):
    """`t` on `device` ("cpu", "cuda", "cuda:1"): itself when already there, else a copy."""
    backend, dev = backend_for_device(device)
    if backend is t._be and (dev is None or t.device == dev):
        return t
    from .ops.transfer import transfer

    return transfer(t, backend=backend, device=dev)


class InteropMethods:
    __slots__ = ()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a NumPy array sharing memory (CPU tensors only)."""
        if self._be.is_gpu:
            raise TypeError(
                f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to "
                "copy the tensor to host memory first."
            )
        return to_numpy(self, force=force)

    def __array__(self, dtype=None, copy=None):
        if self._be.is_gpu:
            raise TypeError(
                "Implicit conversion to a host NumPy array is not allowed for a tensor on "
                f"{self.device}: call .cpu() first (or bridgetensor.to_numpy(t) to copy)."
            )
        array = self.numpy()
        if dtype is not None and array.dtype != np.dtype(dtype):
            if copy is False:
                raise ValueError("converting to a different dtype needs a copy")
            return array.astype(dtype)
        if copy:
            return array.copy()
        return array
