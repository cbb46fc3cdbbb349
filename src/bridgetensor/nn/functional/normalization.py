"""Normalisation under torch's names: batch_norm, layer_norm, group_norm, instance_norm.

Composites of ops: the mean, the biased variance (two passes, for accuracy), and
(x - mean) * rsqrt(var + eps), then the affine map. batch_norm updates the running
statistics in place, outside the graph, with the unbiased variance, as torch.
"""

from __future__ import annotations

import math

from ... import ops
from ..._torch_api.math_functions import rsqrt
from ...autograd import _mode

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]


def _normalized(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over `axes` (biased variance), with the mean and var."""
    mean = ops.mean(x, axis=axes, keepdims=True)
    centred = x - mean
    var = ops.mean(centred * centred, axis=axes, keepdims=True)
    return centred * rsqrt(var + eps), mean, var


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * ops.reshape(weight, shape=shape)
    if bias is not None:
        y = y + ops.reshape(bias, shape=shape)
    return y


def _check_stat(name: str, stat, channels: int) -> None:
    if stat is not None and stat.numel() != channels:
        raise RuntimeError(f"{name} should contain {channels} elements not {stat.numel()}")


def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Normalise each channel (axis 1) over the batch and spatial axes.

    In training the batch statistics normalise, and the running ones (when given) move
    towards them by `momentum`, the variance unbiased; otherwise the running ones do.

    >>> import bridgetensor as bt
    >>> y = bt.nn.functional.batch_norm(bt.tensor([[1.0], [3.0]]), None, None, training=True)
    >>> y
    tensor([[-1.0000],
            [ 1.0000]])
    """
    if input.ndim < 2:
        raise ValueError(f"expected 2D or more input (got {input.ndim}D input)")
    channels = input.shape[1]
    _check_stat("running_mean", running_mean, channels)
    _check_stat("running_var", running_var, channels)
    _check_stat("weight", weight, channels)
    _check_stat("bias", bias, channels)
    shape = (1, channels) + (1,) * (input.ndim - 2)
    axes = (0, *range(2, input.ndim))
    if training:
        count = input.numel() // max(channels, 1)
        if count == 1:
            raise ValueError(
                "Expected more than 1 value per channel when training, got input size "
                f"{input.shape}"
            )
        y, mean, var = _normalized(input, axes, eps)
        if running_mean is not None or running_var is not None:
            with _mode.no_grad():
                _update(running_mean, running_var, mean, var, momentum, count)
        return _affine(y, weight, bias, shape)
    if running_mean is None or running_var is None:
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    mean = ops.reshape(running_mean, shape=shape)
    var = ops.reshape(running_var, shape=shape)
    y = (input - mean) * rsqrt(var + eps)
    return _affine(y, weight, bias, shape)


def _update(running_mean, running_var, mean, var, momentum, count) -> None:
    """running = (1 - momentum) * running + momentum * batch, in place."""
    if running_mean is not None:
        batch = ops.reshape(mean.detach(), shape=(-1,))
        running_mean.copy_(running_mean * (1.0 - momentum) + batch * momentum)
    if running_var is not None:
        unbiased = ops.reshape(var.detach(), shape=(-1,)) * (count / (count - 1))
        running_var.copy_(running_var * (1.0 - momentum) + unbiased * momentum)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Normalise over the last len(normalized_shape) axes of each sample.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.layer_norm(bt.tensor([[1.0, 3.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    n = len(normalized_shape)
    if n == 0 or input.ndim < n or tuple(input.shape[input.ndim - n :]) != normalized_shape:
        expected = ", ".join(["*", *map(str, normalized_shape)])
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[{expected}], but got input of size{list(input.shape)}"
        )
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != normalized_shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(p.shape)} and normalized_shape = {list(normalized_shape)}"
            )
    y, _, _ = _normalized(input, tuple(range(input.ndim - n, input.ndim)), eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5):
    """Normalise each sample's channels in `num_groups` groups (over the group's channels
    and the spatial axes), then scale and shift per channel.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.group_norm(bt.tensor([[1.0, 3.0]]), 1)
    tensor([[-1.0000,  1.0000]])
    """
    if input.ndim < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.ndim}"
        )
    n, channels = input.shape[:2]
    if channels % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {list(input.shape)} and num_groups={num_groups}"
        )
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and (p.ndim != 1 or p.shape[0] != channels):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {list(p.shape)} and input of shape "
                f"{list(input.shape)}"
            )
    grouped = ops.reshape(input, shape=(n, num_groups, -1))
    y, _, _ = _normalized(grouped, (2,), eps)
    y = ops.reshape(y, shape=tuple(input.shape))
    return _affine(y, weight, bias, (1, channels) + (1,) * (input.ndim - 2))


def instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Normalise each channel of each sample over its spatial axes.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.instance_norm(bt.tensor([[[1.0, 3.0]]]))
    tensor([[[-1.0000,  1.0000]]])
    """
    if input.ndim < 3:
        raise ValueError(f"expected 3D or more input (got {input.ndim}D input)")
    channels = input.shape[1]
    shape = (1, channels) + (1,) * (input.ndim - 2)
    axes = tuple(range(2, input.ndim))
    if use_input_stats:
        count = math.prod(input.shape[2:])
        if count == 1:
            raise ValueError(
                f"Expected more than 1 spatial element when training, got input size {input.shape}"
            )
        y, mean, var = _normalized(input, axes, eps)
        if running_mean is not None or running_var is not None:
            with _mode.no_grad():
                # The batch's statistics per channel: the mean over samples of each one's.
                _update(
                    running_mean,
                    running_var,
                    ops.mean(mean, axis=0),
                    ops.mean(var, axis=0),
                    momentum,
                    count,
                )
        return _affine(y, weight, bias, shape)
    mean = ops.reshape(running_mean, shape=shape)
    var = ops.reshape(running_var, shape=shape)
    return _affine((input - mean) * rsqrt(var + eps), weight, bias, shape)
