"""Rounding, clamping, signs and complex parts under torch's names."""

from __future__ import annotations

from .. import _dtypes, ops
from ..autograd._primitive import TENSOR_TYPES
from ..ops._helpers import is_tensor
from ._elementwise import constant_mask, floating_only, inplace, inplace_composite, no_bool

__all__ = [
    "RoundingMethods",
    "abs",
    "absolute",
    "angle",
    "ceil",
    "clamp",
    "clamp_max",
    "clamp_min",
    "clip",
    "conj",
    "fix",
    "floor",
    "frac",
    "imag",
    "nan_to_num",
    "real",
    "round",
    "sgn",
    "sign",
    "signbit",
    "trunc",
]


def ceil(input):
    """The smallest integer >= x (integer tensors are returned as they are).

    >>> import bridgetensor as bt
    >>> bt.ceil(bt.tensor([-1.5, 1.2]))
    tensor([-1.,  2.])
    """
    no_bool("ceil", input)
    return ops.ceil(input)


def floor(input):
    """The largest integer <= x.

    >>> import bridgetensor as bt
    >>> bt.floor(bt.tensor([-1.5, 1.2]))
    tensor([-2.,  1.])
    """
    no_bool("floor", input)
    return ops.floor(input)


def trunc(input):
    """x rounded toward zero.

    >>> import bridgetensor as bt
    >>> bt.trunc(bt.tensor([-1.5, 1.7]))
    tensor([-1.,  1.])
    """
    no_bool("trunc", input)
    return ops.trunc(input)


fix = trunc


def round(input, *, decimals=0):
    """Round half to even, at `decimals` decimal places (negative: tens, hundreds, ...).

    >>> import bridgetensor as bt
    >>> bt.round(bt.tensor([0.5, 1.5, 1.25]), decimals=0)
    tensor([0., 2., 1.])
    """
    no_bool("round", input)
    if decimals:
        floating_only("round", input)
        return ops.round(input, decimals=decimals)
    return ops.round(input)


def frac(input):
    """The fractional part, x - trunc(x) (it keeps x's sign).

    >>> import bridgetensor as bt
    >>> bt.frac(bt.tensor([-1.5, 2.25]))
    tensor([-0.5000,  0.2500])
    """
    floating_only("frac", input)
    return ops.subtract(input, ops.trunc(input))


def clamp(input, min=None, max=None):
    """Limit to [min, max]; either bound may be a tensor, a number or None.

    Where min > max the result is max. The gradient passes where min <= x <= max.

    >>> import bridgetensor as bt
    >>> bt.clamp(bt.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
    tensor([0.0000, 0.5000, 1.0000])
    """
    _check_bounds(min, max)
    return ops.clip(input, min, max)


def _check_bounds(min, max):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if min is not None and max is not None and is_tensor(min) != is_tensor(max):
        raise TypeError(
            "clamp(): min and max must both be tensors or both be numbers; got "
            f"{type(min).__name__} and {type(max).__name__}"
        )


clip = clamp


def clamp_min(input, min):
    """max(input, min), with clamp's gradient.

    >>> import bridgetensor as bt
    >>> bt.clamp_min(bt.tensor([-1.0, 2.0]), 0.0)
    tensor([0., 2.])
    """
    return ops.clip(input, min, None)


def clamp_max(input, max):
    """min(input, max), with clamp's gradient.

    >>> import bridgetensor as bt
    >>> bt.clamp_max(bt.tensor([-1.0, 2.0]), 0.0)
    tensor([-1.,  0.])
    """
    return ops.clip(input, None, max)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """nan, +inf and -inf replaced; the infinities by the dtype's extremes by default.

    >>> import bridgetensor as bt
    >>> bt.nan_to_num(bt.tensor([float("nan"), 1.0]))
    tensor([0., 1.])
    """
    return ops.nan_to_num(
        input,
        nan=float(nan),
        posinf=None if posinf is None else float(posinf),
        neginf=None if neginf is None else float(neginf),
    )


def abs(input):
    """|x|.

    >>> import bridgetensor as bt
    >>> bt.abs(bt.tensor([-1, 2]))
    tensor([1, 2])
    """
    if type(input) in TENSOR_TYPES and input._be.kinds[input._data.dtype] == "b":
        no_bool("abs", input)  # raises torch's error (inlined test: abs is hot)
    return ops.abs(input)


absolute = abs


def sign(input):
    """-1, 0 or 1 by the sign of x (0 for nan, as torch; bool stays bool).

    >>> import bridgetensor as bt
    >>> bt.sign(bt.tensor([-2.0, 0.0, 3.0]))
    tensor([-1.,  0.,  1.])
    """
    if input.dtype is _dtypes.bool:
        return ops.clone(input)
    result = ops.sign(input)
    if input.dtype.category == _dtypes.FLOATING:
        result = ops.where(ops.isnan(result), 0.0, result)  # torch: sign(nan) is 0
    return result


def sgn(input):
    """sign for real tensors; x / |x| (0 at 0) for complex ones.

    >>> import bridgetensor as bt
    >>> bt.sgn(bt.tensor([-2.0, 3.0]))
    tensor([-1.,  1.])
    """
    if not input.dtype.is_complex:
        return sign(input)
    magnitude = ops.abs(input)
    zero = ops.equal(magnitude, 0)
    return ops.where(zero, 0.0, ops.divide(input, ops.where(zero, 1.0, magnitude)))


def signbit(input):
    """True where the sign bit is set (-0.0 included).

    >>> import bridgetensor as bt
    >>> bt.signbit(bt.tensor([-0.0, 1.0]))
    tensor([ True, False])
    """
    category = input.dtype.category
    if category == _dtypes.BOOL:
        return constant_mask(input, False)
    if category == _dtypes.INTEGER:
        return ops.less(input, 0)
    return ops.signbit(input)


def real(input):
    """The real part: a view for complex tensors, the tensor itself otherwise.

    >>> import bridgetensor as bt
    >>> bt.real(bt.tensor([1 + 2j]))
    tensor([1.])
    """
    return ops.real(input) if input.dtype.is_complex else input


def imag(input):
    """The imaginary part of a complex tensor (a view).

    >>> import bridgetensor as bt
    >>> bt.imag(bt.tensor([1 + 2j]))
    tensor([2.])
    """
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return ops.imag(input)


def conj(input):
    """The complex conjugate (a copy); real tensors are returned as they are.

    >>> import bridgetensor as bt
    >>> bt.conj(bt.tensor([1 + 2j]))
    tensor([1.-2.j])
    """
    return ops.conj(input) if input.dtype.is_complex else input


def angle(input):
    """The argument of complex numbers; pi for negative reals and 0 for others.

    >>> import bridgetensor as bt
    >>> bt.angle(bt.tensor([-1.0, 2.0]))
    tensor([3.1416, 0.0000])
    """
    return ops.angle(input)


class RoundingMethods:
    __slots__ = ()

    ceil = ceil
    ceil_ = inplace(ops.ceil, refuse_bool=True)
    floor = floor
    floor_ = inplace(ops.floor, refuse_bool=True)
    trunc = trunc
    trunc_ = inplace(ops.trunc, refuse_bool=True)
    fix = fix
    fix_ = inplace(ops.trunc, "fix", refuse_bool=True)
    round = round
    frac = frac
    frac_ = inplace_composite(frac)
    clamp = clamp
    clip = clip
    clamp_min = clamp_min
    clamp_max = clamp_max
    nan_to_num = nan_to_num
    abs = abs
    abs_ = inplace(ops.abs, refuse_bool=True)
    absolute = absolute
    absolute_ = inplace(ops.abs, "absolute", refuse_bool=True)
    sign = sign
    sign_ = inplace_composite(sign)
    sgn = sgn
    sgn_ = inplace_composite(sgn)
    signbit = signbit
    conj = conj
    angle = angle

    def round_(self, *, decimals=0):
        no_bool("round_", self)
        return ops.round.inplace(self, decimals=decimals)

    def clamp_(self, min=None, max=None):
        _check_bounds(min, max)
        return ops.clip.inplace(self, min, max)

    clip_ = clamp_

    def clamp_min_(self, min):
        return ops.clip.inplace(self, min, None)

    def clamp_max_(self, max):
        return ops.clip.inplace(self, None, max)

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        return ops.nan_to_num.inplace(
            self,
            nan=float(nan),
            posinf=None if posinf is None else float(posinf),
            neginf=None if neginf is None else float(neginf),
        )

    @property
    def real(self):
        return real(self)

    @property
    def imag(self):
        return imag(self)
