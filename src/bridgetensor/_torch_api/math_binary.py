"""Functions of two tensors under torch's names: atan2, hypot, copysign, nextafter,
xlogy, logaddexp, logaddexp2."""

from __future__ import annotations

from .. import ops
from ._elementwise import floating_only, inplace, tensor_operand

__all__ = [
    "BinaryFunctionMethods",
    "arctan2",
    "atan2",
    "copysign",
    "hypot",
    "logaddexp",
    "logaddexp2",
    "nextafter",
    "xlogy",
]


def atan2(input, other):
    """The angle of the point (other, input), in (-pi, pi]: atan(input / other), by quadrant.

    >>> import bridgetensor as bt
    >>> bt.atan2(bt.tensor([1.0]), bt.tensor([0.0]))
    tensor([1.5708])
    """
    tensor_operand("atan2", other)
    return ops.atan2(input, other)


def hypot(input, other):
    """sqrt(input**2 + other**2) without overflow or underflow.

    >>> import bridgetensor as bt
    >>> bt.hypot(bt.tensor([3.0]), bt.tensor([4.0]))
    tensor([5.])
    """
    tensor_operand("hypot", other)
    floating_only("hypot", input, other)
    return ops.hypot(input, other)


def copysign(input, other):
    """|input| with the sign of other (which may be -0.0); integers give floats.

    >>> import bridgetensor as bt
    >>> bt.copysign(bt.tensor([1.0, 2.0]), -1.0)
    tensor([-1., -2.])
    """
    return ops.copysign(input, other)


def nextafter(input, other):
    """The next representable float after input, toward other.

    >>> import bridgetensor as bt
    >>> bt.nextafter(bt.tensor([1.0]), bt.tensor([2.0])) > 1.0
    tensor([True])
    """
    tensor_operand("nextafter", other)
    floating_only("nextafter", input, other)
    return ops.nextafter(input, other)


def xlogy(input, other):
    """input * log(other), and 0 where input == 0 (unless other is nan).

    >>> import bridgetensor as bt
    >>> bt.xlogy(bt.tensor([0.0, 2.0]), bt.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """
    return ops.xlogy(input, other)


def logaddexp(input, other):
    """log(exp(input) + exp(other)) without overflow.

    >>> import bridgetensor as bt
    >>> bt.logaddexp(bt.tensor([0.0]), bt.tensor([0.0]))
    tensor([0.6931])
    """
    tensor_operand("logaddexp", other)
    floating_only("logaddexp", input, other)
    return ops.logaddexp(input, other)


def logaddexp2(input, other):
    """log2(2**input + 2**other) without overflow.

    >>> import bridgetensor as bt
    >>> bt.logaddexp2(bt.tensor([1.0]), bt.tensor([1.0]))
    tensor([2.])
    """
    tensor_operand("logaddexp2", other)
    floating_only("logaddexp2", input, other)
    return ops.logaddexp2(input, other)


arctan2 = atan2


class BinaryFunctionMethods:
    __slots__ = ()

    atan2 = atan2
    atan2_ = inplace(ops.atan2)
    hypot = hypot
    hypot_ = inplace(ops.hypot)
    copysign = copysign
    copysign_ = inplace(ops.copysign)
    nextafter = nextafter
    nextafter_ = inplace(ops.nextafter)
    xlogy = xlogy
    xlogy_ = inplace(ops.xlogy)
    arctan2 = atan2
    arctan2_ = inplace(ops.atan2, "arctan2")
    logaddexp = logaddexp
    logaddexp2 = logaddexp2
