"""Dropout layers: active in training mode, the identity in eval mode."""

from __future__ import annotations

from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]


class _DropoutNd(Module):
    _function = None

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return type(self)._function(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zero elements with probability p in training (scaling the rest by 1 / (1 - p)).

    >>> import bridgetensor as bt
    >>> bt.nn.Dropout(0.2)
    Dropout(p=0.2, inplace=False)
    """

    _function = staticmethod(F.dropout)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) input with probability p in training.

    >>> import bridgetensor as bt
    >>> bt.nn.Dropout1d()
    Dropout1d(p=0.5, inplace=False)
    """

    _function = staticmethod(F.dropout1d)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) input with probability p in training.

    >>> import bridgetensor as bt
    >>> bt.nn.Dropout2d(0.3)
    Dropout2d(p=0.3, inplace=False)
    """

    _function = staticmethod(F.dropout2d)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) input with probability p in training.

    >>> import bridgetensor as bt
    >>> bt.nn.Dropout3d()
    Dropout3d(p=0.5, inplace=False)
    """

    _function = staticmethod(F.dropout3d)
