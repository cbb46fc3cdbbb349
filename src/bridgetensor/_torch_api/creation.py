"""Tensor methods that create tensors like this one: new_zeros, new_ones, new_tensor, ..."""

from __future__ import annotations

__all__ = ["CreationMethods"]


def _like(self, dtype, device):
    return {"dtype": dtype or self.dtype, "device": device or self.device}


class CreationMethods:
    __slots__ = ()

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from .._creation import zeros

        return zeros(*size, **_like(self, dtype, device), requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .._creation import ones

        return ones(*size, **_like(self, dtype, device), requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        from .._creation import empty

        return empty(*size, **_like(self, dtype, device), requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        from .._creation import full

        return full(size, fill_value, **_like(self, dtype, device), requires_grad=requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        from .._creation import tensor

        return tensor(data, **_like(self, dtype, device), requires_grad=requires_grad)
