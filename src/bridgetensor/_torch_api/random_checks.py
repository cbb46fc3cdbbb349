"""torch's argument checks for the samplers: random_ bounds per dtype (with its float
adjustments and warnings) and uniform_'s range, with torch's messages."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _dtypes

__all__ = [
    "C_NAMES",
    "check_uniform",
    "format_g",
    "not_implemented",
    "random_args",
    "random_range",
    "torch_type_name",
]

# C++ names torch prints in "from is out of bounds for float".
C_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "uint16": "unsigned short",
    "uint32": "unsigned int",
    "uint64": "unsigned long",
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
}
# torch's names of dtypes in "not implemented for 'Long'" messages.
_TYPE_NAMES = {
    "bool": "Bool",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "uint16": "UInt16",
    "uint32": "UInt32",
    "uint64": "UInt64",
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}


def torch_type_name(dtype) -> str:
    return _TYPE_NAMES[dtype.name]


def not_implemented(kernel: str, dtype) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{torch_type_name(dtype)}'")


_INT64_MIN = -(2**63)


def format_g(value) -> str:
    """A number as C++'s ostream prints it in torch's messages (%g)."""
    return f"{value:g}"


# ---------------------------------------------------------------- random_ bounds


def _digits(dtype) -> int:
    return np.finfo(_dtypes.to_numpy_dtype(dtype)).nmant + 1


def _limits(dtype):
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if dtype is _dtypes.bool:
        return 0, 1
    info = np.finfo(np_dtype) if dtype.is_floating_point else np.iinfo(np_dtype)
    return info.min, info.max


def _check_in_range(dtype, low: int, high_inclusive: int) -> None:
    if dtype.is_complex:
        raise RuntimeError(
            "check_random_bounds handles only integral, floating-point and boolean types"
        )
    smallest, largest = _limits(dtype)
    for name, value in (("from", low), ("to - 1", high_inclusive)):
        if not smallest <= value <= largest:
            raise RuntimeError(f"{name} is out of bounds for {C_NAMES[dtype.name]}")
    if dtype.is_floating_point:
        digits = _digits(dtype)
        for name, value in (("from", low), ("to - 1", high_inclusive)):
            if not -(2**digits) <= value <= 2**digits:
                warnings.warn(
                    f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                    f"limitations {C_NAMES[dtype.name]} can support discrete uniform "
                    "distribution only within this range. This warning will become an error "
                    "in version 1.7 release, please fix the code in advance",
                    UserWarning,
                    stacklevel=4,
                )


def _cast_int(value: int, dtype) -> int:
    return int(np.array(value, np.int64).astype(_dtypes.to_numpy_dtype(dtype)).astype(np.int64))


def _update_from(low: int, dtype) -> int:
    """torch moves a float dtype's lower bound up to the next representable integer."""
    rounded = _cast_int(low + 1, dtype)
    if rounded < low:
        n = abs(low + 1).bit_length() - 1
        low = rounded + (1 << (n - _digits(dtype) + 1))
    return low


def _update_to(high: int, dtype) -> int:
    rounded = _cast_int(high - 1, dtype)
    if rounded >= high:
        n = abs(high - 1).bit_length() - 1
        high = rounded - (1 << (n - _digits(dtype) + 1))
    return high


def random_range(dtype, low: int, high: int | None) -> tuple[int, int]:
    """(span, base) of random_(low, high) for `dtype`, with torch's checks and warnings."""
    if high is not None:
        if low >= high:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )
        if dtype.is_floating_point:
            low, high = _update_from(low, dtype), _update_to(high, dtype)
            if low >= high:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than 'to' casted to "
                    f"dtype, but got from={low} >= to={high}"
                )
        _check_in_range(dtype, low, high - 1)
        return (high - low) % 2**64, low
    if low == _INT64_MIN:
        if dtype not in (_dtypes.int64, _dtypes.float32, _dtypes.float64):
            raise RuntimeError(
                "random_full_64_bits_range_kernel_cpu handles only int64, double, float and "
                "bfloat16"
            )
        return 2**64, 0
    if dtype.is_floating_point:
        high_inclusive = min(2 ** _digits(dtype), 2**63 - 1)
        low = _update_from(low, dtype)
        if low >= high_inclusive:
            raise RuntimeError(
                "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                f"casted to dtype, but got from={low} > to_inc={high_inclusive}"
            )
    elif dtype.is_complex:
        raise RuntimeError(
            "random_from_to_impl handles only integral, floating-point and boolean types"
        )
    else:
        high_inclusive = int(_limits(dtype)[1])
    _check_in_range(dtype, low, high_inclusive)
    return (high_inclusive - low + 1) % 2**64, low


def check_uniform(dtype, low: float, high: float) -> None:
    if dtype.is_complex:
        dtype = dtype.to_real()
    if not dtype.is_floating_point:
        raise not_implemented("check_uniform_bounds", dtype)
    smallest, largest = _limits(dtype)
    for name, value in (("from", low), ("to", high)):
        if not smallest <= value <= largest:
            raise RuntimeError(f"{name} is out of bounds for {C_NAMES[dtype.name]}")
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={format_g(low)} > "
            f"to={format_g(high)}"
        )
    if not high - low <= largest:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{_TORCH_NAMES[dtype.name]}>::max(),"
            f" but found to={format_g(high)} and from={format_g(low)} which result in to-from "
            "to exceed the limit"
        )


_TORCH_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double"}


def random_args(args, kwargs):
    """(from, to) of random_(), random_(to) or random_(from, to); None when not given."""
    unknown = set(kwargs) - {"from", "to"}
    if unknown:
        raise TypeError(f"random_() got an unexpected keyword argument '{unknown.pop()}'")
    if len(args) > 2:
        raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
    if len(args) == 2:
        low, high = args
    elif len(args) == 1 and "to" not in kwargs and "from" not in kwargs:
        low, high = 0, args[0]
    else:
        low = args[0] if args else kwargs.get("from", None)
        high = kwargs.get("to", None)
        if low is None:
            low = 0 if high is not None else None
    for value in (low, high):
        if value is not None and not isinstance(value, numbers.Integral):
            raise TypeError(f"random_(): bounds must be integers; got {type(value).__name__}")
    return (None if low is None else int(low)), (None if high is None else int(high))
