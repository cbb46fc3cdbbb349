"""Data types and the standard's data-type functions: astype, can_cast, finfo, iinfo,
isdtype (result_type lives in _promotion.py).

The dtypes are bridgetensor's own objects (``xp.float32 is bridgetensor.float32``).
`finfo` and `iinfo` follow the standard, whose ``dtype`` attribute is a dtype object
(torch's is a string, so the top-level ones differ).
"""

from __future__ import annotations

import builtins

import numpy as np

from .. import _dtypes, ops
from .._dtypes import (
    bool,
    complex64,
    complex128,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._promotion import as_operand

__all__ = [
    "astype",
    "bool",
    "can_cast",
    "complex64",
    "complex128",
    "finfo",
    "float32",
    "float64",
    "iinfo",
    "int8",
    "int16",
    "int32",
    "int64",
    "isdtype",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
]

# The standard's dtypes (float16 is bridgetensor's extra and stays out of this face).
DTYPES = {
    d.name: d
    for d in (
        bool,
        int8,
        int16,
        int32,
        int64,
        uint8,
        uint16,
        uint32,
        uint64,
        float32,
        float64,
        complex64,
        complex128,
    )
}

_KINDS = {
    "bool": lambda d: d is bool,
    "signed integer": lambda d: d.category == _dtypes.INTEGER and d.is_signed,
    "unsigned integer": lambda d: d.category == _dtypes.INTEGER and not d.is_signed,
    "integral": lambda d: d.category == _dtypes.INTEGER,
    "real floating": lambda d: d.is_floating_point,
    "complex floating": lambda d: d.is_complex,
    "numeric": lambda d: d is not bool,
}


def _as_dtype(value, name: str) -> _dtypes.dtype:
    if isinstance(value, _dtypes.dtype):
        return value
    value = as_operand(value)
    if isinstance(value, _dtypes.dtype) or hasattr(value, "dtype"):
        return value.dtype
    raise TypeError(f"{name}: expected a dtype or an array; got {type(value).__name__}")


def isdtype(dtype, kind) -> builtins.bool:
    """Whether `dtype` is of `kind`: a dtype, a kind name ("integral", "real floating",
    ...), or a tuple of them.

    >>> import bridgetensor.array_api as xp
    >>> xp.isdtype(xp.int8, ("integral", "real floating"))
    True
    """
    if not isinstance(dtype, _dtypes.dtype):
        raise TypeError(f"isdtype: expected a dtype; got {type(dtype).__name__}")
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, _dtypes.dtype):
        return dtype is kind
    if isinstance(kind, str):
        test = _KINDS.get(kind)
        if test is None:
            raise ValueError(f"isdtype: unknown kind {kind!r}; choose one of {sorted(_KINDS)}")
        return test(dtype)
    raise TypeError(f"isdtype: kind must be a dtype, a string or a tuple; got {kind!r}")


def astype(x, dtype, /, *, copy=True, device=None):
    """`x` cast to `dtype` (differentiable); ``copy=False`` returns `x` when it already
    has that dtype (and device).

    >>> import bridgetensor.array_api as xp
    >>> xp.astype(xp.asarray([1.7, -1.7]), xp.int32)
    tensor([ 1, -1], dtype=bridgetensor.int32)
    """
    x = as_operand(x)
    if not isinstance(dtype, _dtypes.dtype):
        raise TypeError(f"astype: expected a dtype; got {type(dtype).__name__}")
    if device is not None:
        from .._interop import to_device

        moved = to_device(x, device)
        if moved is not x:
            return ops.astype(moved, dtype=dtype) if moved.dtype is not dtype else moved
    if x.dtype is dtype:
        return ops.clone(x) if copy else x
    return ops.astype(x, dtype=dtype)


def can_cast(from_, to, /) -> builtins.bool:
    """Whether the standard's promotion lattice casts `from_` (a dtype or array) to `to`.

    >>> import bridgetensor.array_api as xp
    >>> xp.can_cast(xp.int8, xp.int16), xp.can_cast(xp.int16, xp.int8)
    (True, False)
    """
    source = _as_dtype(from_, "can_cast")
    if not isinstance(to, _dtypes.dtype):
        raise TypeError(f"can_cast: expected a dtype to cast to; got {type(to).__name__}")
    same_kind = source.category == to.category or (source.is_floating_point and to.is_complex)
    if not same_kind:
        return False  # the lattice has no edges between kinds
    try:
        return _dtypes.promote_types(source, to) is to
    except TypeError:
        return False


class finfo:
    """Limits of a floating dtype, per the standard (``dtype`` is the real dtype object).

    >>> import bridgetensor.array_api as xp
    >>> xp.finfo(xp.float32).bits, xp.finfo(xp.complex128).dtype
    (32, bridgetensor.float64)
    """

    __slots__ = ("bits", "dtype", "eps", "max", "min", "smallest_normal")

    def __init__(self, type, /) -> None:
        d = _as_dtype(type, "finfo")
        if not (d.is_floating_point or d.is_complex):
            raise ValueError(f"finfo: expected a floating-point dtype; got {d.name}")
        real = d.to_real()
        info = np.finfo(_dtypes.to_numpy_dtype(real))
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.smallest_normal = float(info.smallest_normal)
        self.dtype = real

    def __repr__(self) -> str:
        return (
            f"finfo(bits={self.bits}, eps={self.eps}, max={self.max}, min={self.min}, "
            f"smallest_normal={self.smallest_normal}, dtype={self.dtype.name})"
        )


class iinfo:
    """Limits of an integer dtype, per the standard.

    >>> import bridgetensor.array_api as xp
    >>> xp.iinfo(xp.uint8).max
    255
    """

    __slots__ = ("bits", "dtype", "max", "min")

    def __init__(self, type, /) -> None:
        d = _as_dtype(type, "iinfo")
        if d.category != _dtypes.INTEGER:
            raise ValueError(f"iinfo: expected an integer dtype; got {d.name}")
        info = np.iinfo(_dtypes.to_numpy_dtype(d))
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = d

    def __repr__(self) -> str:
        return f"iinfo(bits={self.bits}, max={self.max}, min={self.min}, dtype={self.dtype.name})"
