"""The standard's elementwise functions of two arrays (and clip).

Binary functions cast their array operands to the standard's common dtype first (see
_promotion.py); Python scalars take the array's dtype. Everything else, values and
gradients, is the primitives' own (ops/elementwise*.py).
"""

from __future__ import annotations

import math

from .. import ops
from ._promotion import as_operand, promote_arrays

__all__ = [
    "add",
    "atan2",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "clip",
    "copysign",
    "divide",
    "equal",
    "floor_divide",
    "greater",
    "greater_equal",
    "hypot",
    "less",
    "less_equal",
    "logaddexp",
    "logical_and",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "multiply",
    "nextafter",
    "not_equal",
    "pow",
    "remainder",
    "subtract",
]


def add(x1, x2, /):
    """x1 + x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.add(xp.asarray([1, 2]), 3)
    tensor([4, 5])
    """
    return ops.add(*promote_arrays(x1, x2))


def atan2(x1, x2, /):
    """The angle of the point (x2, x1), in radians: quadrant-aware atan(x1 / x2).

    >>> import bridgetensor.array_api as xp
    >>> xp.atan2(xp.asarray([1.0, -1.0]), -1.0)
    tensor([ 2.3562, -2.3562])
    """
    return ops.atan2(*promote_arrays(x1, x2))


def bitwise_and(x1, x2, /):
    """Bitwise AND of integers or bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_and(xp.asarray([12, 10]), 6)
    tensor([4, 2])
    """
    return ops.bitwise_and(*promote_arrays(x1, x2))


def bitwise_left_shift(x1, x2, /):
    """x1 shifted left by x2 bits.

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_left_shift(xp.asarray([1, 3]), 2)
    tensor([ 4, 12])
    """
    return ops.bitwise_left_shift(*promote_arrays(x1, x2))


def bitwise_or(x1, x2, /):
    """Bitwise OR of integers or bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_or(xp.asarray([12, 10]), 6)
    tensor([14, 14])
    """
    return ops.bitwise_or(*promote_arrays(x1, x2))


def bitwise_right_shift(x1, x2, /):
    """x1 shifted right by x2 bits (arithmetic for signed integers).

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_right_shift(xp.asarray([8, -8]), 2)
    tensor([ 2, -2])
    """
    return ops.bitwise_right_shift(*promote_arrays(x1, x2))


def bitwise_xor(x1, x2, /):
    """Bitwise exclusive OR of integers or bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.bitwise_xor(xp.asarray([12, 10]), 6)
    tensor([10, 12])
    """
    return ops.bitwise_xor(*promote_arrays(x1, x2))


def copysign(x1, x2, /):
    """The magnitude of x1 with the sign of x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.copysign(xp.asarray([1.0, -2.0]), -0.0)
    tensor([-1., -2.])
    """
    return ops.copysign(*promote_arrays(x1, x2))


def divide(x1, x2, /):
    """x1 / x2 (integers give the default floating dtype).

    >>> import bridgetensor.array_api as xp
    >>> xp.divide(xp.asarray([1.0, 3.0]), 2.0)
    tensor([0.5000, 1.5000])
    """
    return ops.divide(*promote_arrays(x1, x2))


def equal(x1, x2, /):
    """x1 == x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.equal(xp.asarray([1, 2]), 2)
    tensor([False,  True])
    """
    return ops.equal(*promote_arrays(x1, x2))


def floor_divide(x1, x2, /):
    """x1 / x2 rounded down (an infinity over a finite number stays infinite, and a
    finite number over an infinity is a signed zero, as the standard says).

    >>> import bridgetensor.array_api as xp
    >>> xp.floor_divide(xp.asarray([7, -7]), 2)
    tensor([ 3, -4])
    """
    x1, x2 = promote_arrays(x1, x2)
    out = ops.floor_divide(x1, x2)
    if not out.dtype.is_floating_point:
        return out
    # NumPy's and torch's kernels give nan and -1 there; the quotient itself is the answer.
    a, b = _detached(x1), _detached(x2)
    if not hasattr(a, "shape"):
        infinite = ops.logical_not(ops.isinf(b)) if math.isinf(a) else ops.isinf(b)
    elif not hasattr(b, "shape"):
        infinite = ops.logical_not(ops.isinf(a)) if math.isinf(b) else ops.isinf(a)
    else:
        infinite = ops.logical_xor(ops.isinf(a), ops.isinf(b))
    return ops.where(infinite, ops.divide(a, b), out)


def greater(x1, x2, /):
    """x1 > x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.greater(xp.asarray([1, 3]), 2)
    tensor([False,  True])
    """
    return ops.greater(*promote_arrays(x1, x2))


def greater_equal(x1, x2, /):
    """x1 >= x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.greater_equal(xp.asarray([1, 2]), 2)
    tensor([False,  True])
    """
    return ops.greater_equal(*promote_arrays(x1, x2))


def hypot(x1, x2, /):
    """sqrt(x1**2 + x2**2) without overflow.

    >>> import bridgetensor.array_api as xp
    >>> xp.hypot(xp.asarray([3.0, 5.0]), 4.0)
    tensor([5.0000, 6.4031])
    """
    return ops.hypot(*promote_arrays(x1, x2))


def less(x1, x2, /):
    """x1 < x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.less(xp.asarray([1, 3]), 2)
    tensor([ True, False])
    """
    return ops.less(*promote_arrays(x1, x2))


def less_equal(x1, x2, /):
    """x1 <= x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.less_equal(xp.asarray([1, 2]), 2)
    tensor([True, True])
    """
    return ops.less_equal(*promote_arrays(x1, x2))


def logaddexp(x1, x2, /):
    """log(exp(x1) + exp(x2)) without overflow.

    >>> import bridgetensor.array_api as xp
    >>> xp.logaddexp(xp.asarray([0.0, 1000.0]), 0.0)
    tensor([6.9315e-01, 1.0000e+03])
    """
    return ops.logaddexp(*promote_arrays(x1, x2))


def logical_and(x1, x2, /):
    """The logical AND of bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.logical_and(xp.asarray([True, False]), True)
    tensor([ True, False])
    """
    return ops.logical_and(*promote_arrays(x1, x2))


def logical_or(x1, x2, /):
    """The logical OR of bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.logical_or(xp.asarray([True, False]), False)
    tensor([ True, False])
    """
    return ops.logical_or(*promote_arrays(x1, x2))


def logical_xor(x1, x2, /):
    """The logical exclusive OR of bools.

    >>> import bridgetensor.array_api as xp
    >>> xp.logical_xor(xp.asarray([True, False]), True)
    tensor([False,  True])
    """
    return ops.logical_xor(*promote_arrays(x1, x2))


def maximum(x1, x2, /):
    """The larger of x1 and x2 (NaN propagates).

    >>> import bridgetensor.array_api as xp
    >>> xp.maximum(xp.asarray([1.0, 5.0]), 3.0)
    tensor([3., 5.])
    """
    return ops.maximum(*promote_arrays(x1, x2))


def minimum(x1, x2, /):
    """The smaller of x1 and x2 (NaN propagates).

    >>> import bridgetensor.array_api as xp
    >>> xp.minimum(xp.asarray([1.0, 5.0]), 3.0)
    tensor([1., 3.])
    """
    return ops.minimum(*promote_arrays(x1, x2))


def multiply(x1, x2, /):
    """x1 * x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.multiply(xp.asarray([1, 2]), 3)
    tensor([3, 6])
    """
    return ops.multiply(*promote_arrays(x1, x2))


def nextafter(x1, x2, /):
    """The next representable value after x1 toward x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.nextafter(xp.asarray([1.0, 2.0]), 0.0)
    tensor([1.0000, 2.0000])
    """
    return ops.nextafter(*promote_arrays(x1, x2))


def not_equal(x1, x2, /):
    """x1 != x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.not_equal(xp.asarray([1, 2]), 2)
    tensor([ True, False])
    """
    return ops.not_equal(*promote_arrays(x1, x2))


def pow(x1, x2, /):
    """x1 raised to x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.pow(xp.asarray([2, 3]), 2)
    tensor([4, 9])
    """
    return ops.pow(*promote_arrays(x1, x2))


def remainder(x1, x2, /):
    """The remainder of floor division (it takes x2's sign).

    >>> import bridgetensor.array_api as xp
    >>> xp.remainder(xp.asarray([7, -7]), 3)
    tensor([1, 2])
    """
    return ops.remainder(*promote_arrays(x1, x2))


def subtract(x1, x2, /):
    """x1 - x2.

    >>> import bridgetensor.array_api as xp
    >>> xp.subtract(xp.asarray([1, 2]), 3)
    tensor([-2, -1])
    """
    return ops.subtract(*promote_arrays(x1, x2))


def clip(x, /, min=None, max=None):
    """`x` limited to [min, max] (either bound may be None); the result keeps x's dtype.

    >>> import bridgetensor.array_api as xp
    >>> xp.clip(xp.asarray([1, 5, 9]), 2, 6)
    tensor([2, 5, 6])
    """
    x = as_operand(x)
    low = None if min is None else as_operand(min)
    high = None if max is None else as_operand(max)
    out = ops.clip(x, low, high)
    return out if out.dtype is x.dtype else ops.astype(out, dtype=x.dtype)


def _detached(x):
    return x.detach() if hasattr(x, "detach") else x
