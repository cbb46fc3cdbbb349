"""Piecewise-linear activation layers (smooth ones are in activation_smooth.py)."""

from __future__ import annotations

import warnings

from ... import _creation
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = [
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "ReLU6",
    "Softshrink",
    "Threshold",
]


def _inplace_repr(inplace: bool, prefix: str = "") -> str:
    """torch's spelling: ", inplace=True" after other options, nothing when False."""
    if not inplace:
        return ""
    return ", inplace=True" if prefix else "inplace=True"


class ReLU(Module):
    """max(x, 0) elementwise.

    >>> import bridgetensor as bt
    >>> bt.nn.ReLU()(bt.tensor([-1.0, 1.0]))
    tensor([0., 1.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class LeakyReLU(Module):
    """x where positive, else negative_slope * x.

    >>> import bridgetensor as bt
    >>> bt.nn.LeakyReLU(0.1)(bt.tensor([-1.0, 1.0]))
    tensor([-0.1000,  1.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        prefix = f"negative_slope={self.negative_slope}"
        return prefix + _inplace_repr(self.inplace, prefix)


class Hardtanh(Module):
    """x clipped to [min_val, max_val].

    >>> import bridgetensor as bt
    >>> bt.nn.Hardtanh(-2.0, 2.0)(bt.tensor([-3.0, 1.0, 3.0]))
    tensor([-2.,  1.,  2.])
    """

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn(
                "keyword argument `min_value` is deprecated and renamed to `min_val`",
                FutureWarning,
                stacklevel=2,
            )
            min_val = min_value
        if max_value is not None:
            warnings.warn(
                "keyword argument `max_value` is deprecated and renamed to `max_val`",
                FutureWarning,
                stacklevel=2,
            )
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            # torch raises AssertionError here.
            raise AssertionError(
                f"Hardtanh: max_val ({self.max_val}) must be greater than min_val ({self.min_val})"
            )

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        prefix = f"min_val={self.min_val}, max_val={self.max_val}"
        return prefix + _inplace_repr(self.inplace, prefix)


class ReLU6(Hardtanh):
    """min(max(x, 0), 6).

    >>> import bridgetensor as bt
    >>> bt.nn.ReLU6()(bt.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class Threshold(Module):
    """x where x > threshold, else value.

    >>> import bridgetensor as bt
    >>> bt.nn.Threshold(0.5, -1.0)(bt.tensor([0.1, 2.0]))
    tensor([-1.,  2.])
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        prefix = f"threshold={self.threshold}, value={self.value}"
        return prefix + _inplace_repr(self.inplace, prefix)


class Hardsigmoid(Module):
    """relu6(x + 3) / 6.

    >>> import bridgetensor as bt
    >>> bt.nn.Hardsigmoid()(bt.tensor([0.0, 4.0]))
    tensor([0.5000, 1.0000])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.hardsigmoid(input, self.inplace)


class Hardswish(Module):
    """x * relu6(x + 3) / 6.

    >>> import bridgetensor as bt
    >>> bt.nn.Hardswish()(bt.tensor([0.0, 4.0]))
    tensor([0., 4.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.hardswish(input, self.inplace)


class Hardshrink(Module):
    """x where |x| > lambd, else 0.

    >>> import bridgetensor as bt
    >>> bt.nn.Hardshrink()(bt.tensor([0.3, 1.0]))
    tensor([0., 1.])
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Module):
    """x shrunk towards 0 by lambd (0 within [-lambd, lambd]).

    >>> import bridgetensor as bt
    >>> bt.nn.Softshrink()(bt.tensor([0.3, 1.0]))
    tensor([0.0000, 0.5000])
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class PReLU(Module):
    """x where positive, else a learned slope times x: one slope, or one per channel.

    >>> import bridgetensor as bt
    >>> bt.nn.PReLU()(bt.tensor([-1.0, 1.0]))
    tensor([-0.2500,  1.0000], grad_fn=<WhereBackward0>)
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None
    ) -> None:
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(_creation.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
