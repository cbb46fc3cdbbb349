"""Parameter initialisation, drawing from torch's random stream in torch's order.

Every function works in place under no_grad and returns its tensor.
"""

from __future__ import annotations

import math
import warnings

from .._backend import persist
from ..autograd import _mode

__all__ = [
    "calculate_gain",
    "constant_",
    "dirac_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
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
    """Fill with zeros.

    >>> import bridgetensor as bt
    >>> bt.nn.init.zeros_(bt.empty(2))
    tensor([0., 0.])
    """
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with ones.

    >>> import bridgetensor as bt
    >>> bt.nn.init.ones_(bt.empty(2))
    tensor([1., 1.])
    """
    return constant_(tensor, 1.0)


def _calculate_correct_fan(tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _empty_no_op(tensor) -> bool:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(
    tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", generator=None
):
    """He initialisation: U(-bound, bound) with bound = gain * sqrt(3 / fan).

    >>> import bridgetensor as bt
    >>> bt.nn.init.kaiming_uniform_(bt.empty(4, 3)).shape
    bridgetensor.Size([4, 3])
    """
    if _empty_no_op(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator=generator)


def kaiming_normal_(
    tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", generator=None
):
    """He initialisation: N(0, std**2) with std = gain / sqrt(fan).

    >>> import bridgetensor as bt
    >>> bt.nn.init.kaiming_normal_(bt.empty(4, 3), nonlinearity="relu").shape
    bridgetensor.Size([4, 3])
    """
    if _empty_no_op(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator=generator)


def normal_(tensor, mean: float = 0.0, std: float = 1.0, generator=None):
    """Fill with N(mean, std**2) draws.

    >>> import bridgetensor as bt
    >>> bt.nn.init.normal_(bt.empty(2, 3)).shape
    bridgetensor.Size([2, 3])
    """
    with _mode.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(
    tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0, generator=None
):
    """Fill with N(mean, std**2) draws truncated to [a, b], with torch's sampler and draws:
    rejection of normal draws when [a, b] holds over 30% of the mass, else of uniform
    draws on [a, b] against the density.

    >>> import bridgetensor as bt
    >>> bool((bt.nn.init.trunc_normal_(bt.empty(100), a=-1.0, b=1.0).abs() <= 1).all())
    True
    """
    from .. import _creation
    from .._torch_api.math_logical import where

    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution "
            "of values may be incorrect.",
            stacklevel=2,
        )

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    with _mode.no_grad():
        if norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std) > 0.3:
            # Bounds rounded to the tensor's dtype, so the test matches its values.
            low = _creation.tensor(a, dtype=tensor.dtype).item()
            high = _creation.tensor(b, dtype=tensor.dtype).item()
            result = tensor.normal_(mean, std, generator=generator)
            while True:
                outside = (result < low) | (result > high)
                if not outside.any():
                    break
                fresh = _creation.empty_like(result).normal_(mean, std, generator=generator)
                result = where(outside, fresh, result)
                persist(result)  # a lazy backend's graph would grow with every round
            if result is not tensor:
                tensor.copy_(result)
            return tensor
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2
        candidates = _creation.empty_like(tensor)
        accept = _creation.empty_like(tensor)

        def log_density_(t):
            return t.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak)

        tensor.uniform_(a, b, generator=generator)
        candidates.copy_(tensor)
        log_density_(candidates)
        pending = accept.uniform_(generator=generator).log_().gt(candidates)
        if pending.any():
            result = tensor
            while True:
                candidates.uniform_(a, b, generator=generator)
                result = where(pending, candidates, result)
                log_density_(candidates)
                retry = accept.uniform_(generator=generator).log_().gt(candidates)
                pending = where(pending, retry, pending)
                persist(result, pending)  # a lazy backend's graph would grow with every round
                if not pending.any():
                    break
            tensor.copy_(result)
        return tensor


def xavier_uniform_(tensor, gain: float = 1.0, generator=None):
    """Glorot initialisation: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    >>> import bridgetensor as bt
    >>> bt.nn.init.xavier_uniform_(bt.empty(4, 3)).shape
    bridgetensor.Size([4, 3])
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator=generator)


def xavier_normal_(tensor, gain: float = 1.0, generator=None):
    """Glorot initialisation: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    >>> import bridgetensor as bt
    >>> bt.nn.init.xavier_normal_(bt.empty(4, 3)).shape
    bridgetensor.Size([4, 3])
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator=generator)


def eye_(tensor):
    """Fill a 2-D tensor with the identity matrix.

    >>> import bridgetensor as bt
    >>> bt.nn.init.eye_(bt.empty(2, 3))
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    from .._creation import eye

    with _mode.no_grad():
        tensor.copy_(eye(*tensor.shape, dtype=tensor.dtype))
    return tensor


def dirac_(tensor, groups: int = 1):
    """Fill a 3-, 4- or 5-D convolution weight with the identity (Dirac delta) kernel,
    per group.

    >>> import bridgetensor as bt
    >>> bt.nn.init.dirac_(bt.empty(2, 2, 3))[0]
    tensor([[0., 1., 0.],
            [0., 0., 0.]])
    """
    sizes = tensor.shape
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    with _mode.no_grad():
        tensor.zero_()
        centre = tuple(n // 2 for n in sizes[2:])
        for g in range(groups):
            for d in range(min(per_group, sizes[1])):
                tensor[(g * per_group + d, d, *centre)] = 1
    return tensor


def orthogonal_(tensor, gain: float = 1.0, generator=None):
    """Fill with a (semi-)orthogonal matrix: the Q of a QR of normal draws, signs fixed
    by R's diagonal, as torch (same draws after manual_seed).

    >>> import bridgetensor as bt
    >>> w = bt.nn.init.orthogonal_(bt.empty(3, 3))
    >>> bool(((w @ w.T) - bt.eye(3)).abs().max() < 1e-5)
    True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    from .. import linalg

    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with _mode.no_grad():
        flat = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)
        if rows < cols:
            flat = flat.T
        q, r = linalg.qr(flat)
        q = q * r.diagonal().sign()
        if rows < cols:
            q = q.T
        tensor.copy_(q.reshape(tensor.shape))
        tensor.mul_(gain)
    return tensor
