"""Parameter initialisation, drawing from torch's random stream in torch's order.

Every function works in place under no_grad and returns its tensor.
"""

from __future__ import annotations

import math

from ..autograd import _mode

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_uniform_",
    "ones_",
    "uniform_",
    "zeros_",
]


def calculate_gain(nonlinearity: str, param=None) -> float:
    """The recommended gain for a nonlinearity (torch's table).

    >>> import bridgetensor as bt
    >>> round(bt.nn.init.calculate_gain("relu"), 4)
    1.4142
    """
    linear = (
        "linear",
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
        "sigmoid",
    )
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = 1
    for n in tensor.shape[2:]:
        receptive *= n
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a: float = 0.0, b: float = 1.0, generator=None):
    """Fill with U(a, b) draws.

    >>> import bridgetensor as bt
    >>> bool((bt.nn.init.uniform_(bt.empty(3), -1, 1).abs() <= 1).all())
    True
    """
    with _mode.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def constant_(tensor, val: float):
    """Fill with `val`.

    >>> import bridgetensor as bt
    >>> bt.nn.init.constant_(bt.empty(2), 0.5)
    tensor([0.5000, 0.5000])
    """
    with _mode.no_grad():
        return tensor.fill_(val)


def zeros_(tensor):
    """Fill with zeros."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with ones."""
    return constant_(tensor, 1.0)


def kaiming_uniform_(
    tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", generator=None
):
    """He initialisation: U(-bound, bound) with bound = gain * sqrt(3 / fan).

    >>> import bridgetensor as bt
    >>> bt.nn.init.kaiming_uniform_(bt.empty(4, 3)).shape
    bridgetensor.Size([4, 3])
    """
    if 0 in tensor.shape:
        return tensor
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan = fan_in if mode == "fan_in" else fan_out
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator=generator)
