"""Minimal private Dropout and LayerNorm for the attention and transformer layers.

The dropout/normalization family (nn/modules/dropout.py, normalization.py) is written
elsewhere; these stand in until it is merged, with torch's names, arguments, reprs and
state_dict keys, and then give way to it.
"""

from __future__ import annotations

import numbers

from ... import _creation
from ..functional._transformer_parts import dropout, layer_norm
from ..parameter import Parameter
from .module import Module

__all__ = ["Dropout", "LayerNorm"]


class Dropout(Module):
    """Zeroes each element with probability p in training, scaling the rest by 1 / (1 - p).

    >>> import bridgetensor as bt
    >>> from bridgetensor.nn.modules._transformer_parts import Dropout
    >>> Dropout(0.1)
    Dropout(p=0.1, inplace=False)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class LayerNorm(Module):
    """Normalises over the last dimensions, then applies a learned scale and shift.

    >>> import bridgetensor as bt
    >>> from bridgetensor.nn.modules._transformer_parts import LayerNorm
    >>> LayerNorm(4)
    LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
    """

    def __init__(
        self,
        normalized_shape,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            shape = self.normalized_shape
            self.weight = Parameter(_creation.ones(*shape, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(_creation.zeros(*shape, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input):
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
