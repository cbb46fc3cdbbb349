"""PyTorch tensors as a backend, through array-api-compat's torch namespace.

The arrays are torch tensors (CPU ones are what the suite runs on); bridgetensor keeps
its own autograd graph over them, so they never require grad themselves.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import Backend, device
from ._index_keys import cover, expand, has_arrays, positive_steps


class TorchBackend(Backend):
    __slots__ = ()

    def device_of(self, array) -> device:
        native = array.device
        return device(native.type, native.index)

    def native_device(self, dev):
        return None if dev is None else self.lib.device(str(dev))

    def check_device(self, dev) -> None:
        try:
            self.lib.device(str(dev))
        except RuntimeError as error:
            raise RuntimeError(f"device '{dev}': not a torch device ({error})") from None

    def to_host(self, array) -> np.ndarray:
        # Shares memory for CPU tensors; conjugate/negative views are resolved first.
        return array.detach().resolve_conj().resolve_neg().cpu().numpy()

    def may_share_memory(self, a, b) -> bool:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()

    def index(self, x, key):
        if has_arrays(key):
            return super().index(x, key)
        key, flips = positive_steps(cover(key), x.shape)  # torch has no negative steps
        x = x[key]
        return self.lib.flip(x, flips) if flips else x

    def index_put(self, target, key, values):
        if has_arrays(key):
            return self._put(target, key, values, accumulate=False)
        key, flips = positive_steps(cover(key), target.shape)
        if flips and not isinstance(values, (int, float, bool, complex)):
            values = self.lib.flip(self.lib.as_tensor(values), flips)
        target[key] = values
        return target

    def scatter_add(self, target, key, values):
        return self._put(target, key, values, accumulate=True)

    def _put(self, target, key, values, accumulate):
        """torch's index_put_ takes index tensors only: one per axis from `expand`."""
        torch = self.lib
        arrays, shape = expand(self.xp, key, target.shape, self.native[_dtypes.int64])
        arrays = torch.broadcast_tensors(*arrays)
        values = torch.as_tensor(values, dtype=target.dtype, device=target.device)
        # The result shape has the None axes; index_put_ wants the values without them.
        values = torch.broadcast_to(values, shape).reshape(arrays[0].shape)
        return target.index_put_(arrays, values, accumulate=accumulate)


def load() -> TorchBackend:
    import array_api_compat.torch as compat
    import torch

    return TorchBackend("torch", torch, compat, numpy_dtypes=False)
