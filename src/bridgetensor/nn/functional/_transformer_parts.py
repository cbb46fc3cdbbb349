"""Minimal private dropout and layer_norm for the recurrent and attention layers.

The dropout/normalization family (nn/functional/dropout.py, normalization.py) is written
elsewhere; these stand in until it is merged, and then give way to it. They follow
torch's CPU kernels: dropout draws `bernoulli_(1 - p)` over a tensor shaped like the
input (so `manual_seed` gives torch's masks), layer_norm normalises by the biased
variance of the last dimensions.
"""

from __future__ import annotations

from ... import ops
from ...ops._helpers import wrap

__all__ = ["dropout", "layer_norm"]


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p).

    >>> import bridgetensor as bt
    >>> from bridgetensor.nn.functional._transformer_parts import dropout
    >>> dropout(bt.ones(3), 0.5, training=False)
    tensor([1., 1., 1.])
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        scale = 0.0
    else:
        # Shaped and laid out like the input (torch's empty_like keeps strides): the
        # mask is drawn in memory order, so a transposed input gets torch's mask.
        noise = wrap(input._be.xp.empty_like(input._data), input._be).bernoulli_(1.0 - p)
        scale = noise / (1.0 - p)
    if inplace:
        from .activation import apply_inplace

        return apply_inplace(lambda source: source * scale, input)
    return input * scale


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """(input - mean) / sqrt(var + eps) over the last len(normalized_shape) dimensions,
    then scaled by weight and shifted by bias.

    >>> import bridgetensor as bt
    >>> from bridgetensor.nn.functional._transformer_parts import layer_norm
    >>> layer_norm(bt.tensor([[1.0, 3.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    shape = tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape) :]) != shape:
        raise RuntimeError(
            f"layer_norm: Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(n) for n in shape)}], but got input of size "
            f"{list(input.shape)}"
        )
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    centered = input - ops.mean(input, axis=axes, keepdims=True)
    variance = ops.mean(centered * centered, axis=axes, keepdims=True)
    out = centered * ops.reciprocal(ops.sqrt(variance + eps))
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out
