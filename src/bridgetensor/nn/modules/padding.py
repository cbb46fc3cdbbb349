"""Padding layers: Zero, Constant, Reflection, Replication and Circular, 1-D to 3-D."""

from __future__ import annotations

from .. import functional as F
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


def _pads(padding, nd: int) -> tuple:
    if isinstance(padding, int):
        return (padding,) * (2 * nd)
    return tuple(padding)


class _PadNd(Module):
    _nd = 1
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _pads(padding, self._nd)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last axis with a constant.

    >>> import bridgetensor as bt
    >>> bt.nn.ConstantPad1d(1, 3.5)(bt.zeros(1, 2))
    tensor([[3.5000, 0.0000, 0.0000, 3.5000]])
    """

    _nd = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two axes with a constant.

    >>> import bridgetensor as bt
    >>> bt.nn.ConstantPad2d(1, 0.5)
    ConstantPad2d(padding=(1, 1, 1, 1), value=0.5)
    """

    _nd = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three axes with a constant.

    >>> import bridgetensor as bt
    >>> bt.nn.ConstantPad3d(1, 0.0)
    ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0.0)
    """

    _nd = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last axis with zeros.

    >>> import bridgetensor as bt
    >>> bt.nn.ZeroPad1d((1, 2))
    ZeroPad1d((1, 2))
    """

    _nd = 1


class ZeroPad2d(_ZeroPadNd):
    """Pad the last two axes with zeros.

    >>> import bridgetensor as bt
    >>> bt.nn.ZeroPad2d(2)
    ZeroPad2d((2, 2, 2, 2))
    """

    _nd = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last three axes with zeros.

    >>> import bridgetensor as bt
    >>> bt.nn.ZeroPad3d(1)
    ZeroPad3d((1, 1, 1, 1, 1, 1))
    """

    _nd = 3


class ReflectionPad1d(_PadNd):
    """Pad the last axis with its reflection (edge not repeated).

    >>> import bridgetensor as bt
    >>> bt.nn.ReflectionPad1d(2)(bt.tensor([[1.0, 2.0, 3.0]]))
    tensor([[3., 2., 1., 2., 3., 2., 1.]])
    """

    _nd = 1
    _mode = "reflect"


class ReflectionPad2d(_PadNd):
    """Pad the last two axes with their reflection.

    >>> import bridgetensor as bt
    >>> bt.nn.ReflectionPad2d(1)
    ReflectionPad2d((1, 1, 1, 1))
    """

    _nd = 2
    _mode = "reflect"


class ReflectionPad3d(_PadNd):
    """Pad the last three axes with their reflection.

    >>> import bridgetensor as bt
    >>> bt.nn.ReflectionPad3d(1)
    ReflectionPad3d((1, 1, 1, 1, 1, 1))
    """

    _nd = 3
    _mode = "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last axis by repeating its edge values.

    >>> import bridgetensor as bt
    >>> bt.nn.ReplicationPad1d((1, 2))(bt.tensor([[1.0, 2.0]]))
    tensor([[1., 1., 2., 2., 2.]])
    """

    _nd = 1
    _mode = "replicate"


class ReplicationPad2d(_PadNd):
    """Pad the last two axes by repeating their edges.

    >>> import bridgetensor as bt
    >>> bt.nn.ReplicationPad2d(1)
    ReplicationPad2d((1, 1, 1, 1))
    """

    _nd = 2
    _mode = "replicate"


class ReplicationPad3d(_PadNd):
    """Pad the last three axes by repeating their edges.

    >>> import bridgetensor as bt
    >>> bt.nn.ReplicationPad3d(1)
    ReplicationPad3d((1, 1, 1, 1, 1, 1))
    """

    _nd = 3
    _mode = "replicate"


class CircularPad1d(_PadNd):
    """Pad the last axis by wrapping around.

    >>> import bridgetensor as bt
    >>> bt.nn.CircularPad1d(1)(bt.tensor([[1.0, 2.0, 3.0]]))
    tensor([[3., 1., 2., 3., 1.]])
    """

    _nd = 1
    _mode = "circular"


class CircularPad2d(_PadNd):
    """Pad the last two axes by wrapping around.

    >>> import bridgetensor as bt
    >>> bt.nn.CircularPad2d(1)
    CircularPad2d((1, 1, 1, 1))
    """

    _nd = 2
    _mode = "circular"


class CircularPad3d(_PadNd):
    """Pad the last three axes by wrapping around.

    >>> import bridgetensor as bt
    >>> bt.nn.CircularPad3d(1)
    CircularPad3d((1, 1, 1, 1, 1, 1))
    """

    _nd = 3
    _mode = "circular"
