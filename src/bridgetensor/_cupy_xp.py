"""CuPy arrays as the "cuda" device, through array-api-compat's CuPy namespace.

Tensors on "cuda"/"cuda:N" wrap CuPy arrays on GPU N. Data reaches the host only when
asked (`.cpu()`, `.item()`, printing, `bridgetensor.to_numpy`); the implicit routes
(`np.asarray(t)`, `t.numpy()`, the buffer protocol) refuse, as torch does, rather
than copy silently. DLPack shares memory with other CUDA libraries (PyTorch, JAX).
"""

from __future__ import annotations

import numpy as np

from ._backend import Backend, device


class CupyBackend(Backend):
    __slots__ = ()

    def device_of(self, array) -> device:
        return device("cuda", array.device.id)

    def native_device(self, dev):
        if dev is None:
            return None
        return self.lib.cuda.Device(dev.index or 0)

    def check_device(self, dev) -> None:
        count = self.lib.cuda.runtime.getDeviceCount()
        if dev.type != "cuda" or (dev.index or 0) >= count:
            raise RuntimeError(f"device '{dev}': CuPy sees {count} CUDA device(s)")

    def to_host(self, array) -> np.ndarray:
        return self.lib.asnumpy(array)  # a device-to-host copy (synchronises the stream)

    def from_host(self, array, dev=None, *, copy=False):
        # cupy.asarray copies host data to the current device: make `dev` current.
        if dev is None:
            return self.lib.asarray(array)
        with self.lib.cuda.Device(dev.index or 0):
            return self.lib.asarray(array)

    def may_share_memory(self, a, b) -> bool:
        return bool(self.lib.may_share_memory(a, b))

    def index(self, x, key):
        return x[key]  # CuPy indexes as NumPy does

    def scatter_add(self, target, key, values):
        import cupyx

        with target.device:
            cupyx.scatter_add(target, key, values)
        return target


def load() -> CupyBackend:
    import array_api_compat.cupy as compat
    import cupy

    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CUDARuntimeError without a driver, among others
        raise RuntimeError(f"CuPy is installed but finds no CUDA device: {error}") from None
    if count == 0:
        raise RuntimeError("CuPy is installed but finds no CUDA device")
    return CupyBackend(
        "cupy", cupy, compat, is_gpu=True, host_dlpack=False, array_type=cupy.ndarray
    )
