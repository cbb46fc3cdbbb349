"""PyTorch tensors as a backend, through array-api-compat's torch namespace.

The arrays are torch tensors (CPU ones are what the suite runs on); bridgetensor keeps
its own autograd graph over them, so they never require grad themselves.
"""

from __future__ import annotations

import numpy as np

from ._backend import Backend, device


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

    def scatter_add(self, target, key, values):
        # index_put_ accumulates only with an all-tensor key, so any key (slices, ints,
        # masks, index tensors) becomes the flat positions it selects, and index_add_
        # sums the values there, repeated positions included.
        torch = self.lib
        positions = torch.arange(target.numel(), device=target.device).reshape(target.shape)
        positions = positions[key]
        values = torch.broadcast_to(torch.as_tensor(values, dtype=target.dtype), positions.shape)
        flat = target.reshape(-1)
        flat.index_add_(0, positions.reshape(-1), values.reshape(-1))
        if not target.is_contiguous():  # reshape copied: write the sums back
            target.copy_(flat.reshape(target.shape))
        return target


def load() -> TorchBackend:
    import array_api_compat.torch as compat
    import torch

    return TorchBackend("torch", torch, compat, numpy_dtypes=False)
