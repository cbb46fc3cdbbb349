"""Flatten and Unflatten: reshapes as layers."""

from __future__ import annotations

from ..._torch_api.shape import flatten, unflatten
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Flatten dimensions start_dim..end_dim into one (a view where possible).

    >>> import bridgetensor as bt
    >>> bt.nn.Flatten()(bt.ones(2, 3, 4)).shape
    bridgetensor.Size([2, 12])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension `dim` into `unflattened_size`.

    >>> import bridgetensor as bt
    >>> bt.nn.Unflatten(1, (2, 3))(bt.ones(4, 6)).shape
    bridgetensor.Size([4, 2, 3])
    """

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        if isinstance(unflattened_size, (tuple, list)):
            for i, n in enumerate(unflattened_size):
                if not isinstance(n, int):
                    raise TypeError(
                        "unflattened_size must be tuple of ints, but found element of type "
                        f"{type(n).__name__} at pos {i}"
                    )
        else:
            raise TypeError(
                "unflattened_size must be a tuple of ints, but found type "
                f"{type(unflattened_size).__name__}"
            )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
