"""Dropout under torch's names, drawing the same masks as torch after manual_seed: a
Bernoulli(1 - p) tensor (one draw per element, or per channel for dropout1d/2d/3d)
divided by 1 - p, multiplied in (grad_fn MulBackward0)."""

from __future__ import annotations

import warnings

from ... import _creation
from ...ops._helpers import wrap

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d"]


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply(input, p: float, inplace: bool, noise_shape):
    if p == 1.0:
        zero = _creation.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input * zero
    if noise_shape == tuple(input.shape):
        # Laid out like the input (torch's empty_like keeps strides): bernoulli_ draws in
        # memory order, so a transposed input gets torch's mask.
        noise = wrap(input._be.xp.empty_like(input._data), input._be)
    else:
        noise = _creation.empty(*noise_shape, dtype=input.dtype, device=input.device)
    noise.bernoulli_(1.0 - p)
    noise.div_(1.0 - p)
    return input.mul_(noise) if inplace else input * noise


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training
    only; otherwise the input itself).

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0)
    >>> bt.nn.functional.dropout(bt.ones(4), 0.5)
    tensor([0., 0., 2., 0.])
    """
    _check_p(p)
    if p == 0.0 or not training or input.numel() == 0:
        return input
    return _apply(input, p, inplace, tuple(input.shape))


def _feature_dropout(input, p, training, inplace):
    """torch's feature dropout: one draw per (axis 0, axis 1) pair."""
    if p == 0.0 or not training or input.numel() == 0:
        return input
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    return _apply(input, p, inplace, shape)


def _unbatched(input, p, training, inplace, function):
    """Run `function` with a batch axis added (an unbatched input)."""
    if not (p == 0.0 or not training or input.numel() == 0) and inplace:
        function(input.unsqueeze(0), p, training, True)  # writes through the view
        return input
    return function(input.unsqueeze(0), p, training, inplace).squeeze(0)


def _deprecated_rank(name: str, ndim: int, nd: int) -> None:
    warnings.warn(
        f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result "
        "in an error in a future release. To retain the behavior and silence this warning, "
        f"please use dropout instead. Note that {name} exists to provide channel-wise "
        f"dropout on inputs with {nd} spatial dimensions, a channel dimension, and an "
        f"optional batch dimension (i.e. {nd + 1}D or {nd + 2}D inputs).",
        stacklevel=3,
    )


def dropout1d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.dropout1d(bt.ones(2, 3, 4), training=False).shape
    bridgetensor.Size([2, 3, 4])
    """
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note "
            "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    if input.ndim == 2:
        return _unbatched(input, p, training, inplace, _feature_dropout)
    return _feature_dropout(input, p, training, inplace)


def dropout2d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, H, W) or (C, H, W) input with probability p.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.dropout2d(bt.ones(2, 3, 4, 4), training=False).shape
    bridgetensor.Size([2, 3, 4, 4])
    """
    _check_p(p)
    if input.ndim not in (3, 4):
        _deprecated_rank("dropout2d", input.ndim, 2)
    if input.ndim == 3:
        # As torch (for now): a 3-D input is read as (N, C, L), not as unbatched.
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret "
            "the input as one without a batch dimension, i.e. shape (C, H, W). To maintain "
            "the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.dropout3d(bt.ones(1, 2, 2, 2, 2), training=False).shape
    bridgetensor.Size([1, 2, 2, 2, 2])
    """
    _check_p(p)
    if input.ndim not in (4, 5):
        _deprecated_rank("dropout3d", input.ndim, 3)
    if input.ndim == 4:
        return _unbatched(input, p, training, inplace, _feature_dropout)
    return _feature_dropout(input, p, training, inplace)
