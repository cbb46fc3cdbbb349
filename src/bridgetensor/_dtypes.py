"""dtype objects, torch's type-promotion rules and the default dtype.

A `dtype` is backend-neutral: each backend maps it to its own dtype object once
(see `_backend.Backend`). Promotion follows torch, not NumPy: an integer tensor
plus a Python float gives the *default* float dtype, and 0-d tensors and Python
scalars only decide the result when they belong to a higher category
(bool < integer < floating < complex) than the dimensioned tensors.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "dtype",
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "half",
    "float",
    "double",
    "short",
    "int",
    "long",
    "cfloat",
    "cdouble",
    "get_default_dtype",
    "set_default_dtype",
    "promote_types",
    "can_cast",
    "finfo",
    "iinfo",
]

# Categories order the kinds for torch's promotion of scalars and 0-d tensors.
BOOL, INTEGER, FLOATING, COMPLEX = 0, 1, 2, 3
_builtin_bool, _builtin_int, _builtin_float = bool, int, float


class dtype:
    """A tensor element type, e.g. ``bridgetensor.float32``.

    >>> import bridgetensor as bt
    >>> bt.float32.itemsize, bt.float32.is_floating_point
    (4, True)
    """

    __slots__ = ("category", "is_complex", "is_floating_point", "is_signed", "itemsize", "name")

    def __init__(self, name: str) -> None:
        np_dtype = np.dtype(name)
        self.name = name
        self.itemsize = np_dtype.itemsize
        self.is_floating_point = np_dtype.kind == "f"
        self.is_complex = np_dtype.kind == "c"
        self.is_signed = np_dtype.kind in "ifc"
        self.category = {"b": BOOL, "u": INTEGER, "i": INTEGER, "f": FLOATING, "c": COMPLEX}[
            np_dtype.kind
        ]

    def __repr__(self) -> str:
        return f"bridgetensor.{self.name}"

    def __reduce__(self):
        # dtypes are singletons: unpickling and copying return the same object.
        return self.name

    def to_complex(self) -> dtype:
        return {float16: complex64, float32: complex64, float64: complex128}.get(self, self)

    def to_real(self) -> dtype:
        return {complex64: float32, complex128: float64}.get(self, self)


bool = dtype("bool")
uint8 = dtype("uint8")
uint16 = dtype("uint16")
uint32 = dtype("uint32")
uint64 = dtype("uint64")
int8 = dtype("int8")
int16 = dtype("int16")
int32 = dtype("int32")
int64 = dtype("int64")
float16 = dtype("float16")
float32 = dtype("float32")
float64 = dtype("float64")
complex64 = dtype("complex64")
complex128 = dtype("complex128")

# torch's aliases
half = float16
float = float32
double = float64
short = int16
int = int32
long = int64
cfloat = complex64
cdouble = complex128

ALL_DTYPES = (
    bool,
    uint8,
    uint16,
    uint32,
    uint64,
    int8,
    int16,
    int32,
    int64,
    float16,
    float32,
    float64,
    complex64,
    complex128,
)
BY_NAME = {d.name: d for d in ALL_DTYPES}
_NUMPY_OF = {d: np.dtype(d.name) for d in ALL_DTYPES}
_FROM_NUMPY = {np.dtype(d.name): d for d in ALL_DTYPES}


def to_numpy_dtype(d: dtype) -> np.dtype:
    return _NUMPY_OF[d]


def from_numpy_dtype(np_dtype) -> dtype:
    """The bridgetensor dtype of a NumPy dtype (native byte order only)."""
    try:
        return _FROM_NUMPY[np_dtype]
    except (KeyError, TypeError):
        pass
    np_dtype = np.dtype(np_dtype)
    found = _FROM_NUMPY.get(np_dtype.newbyteorder("="))
    if found is None:
        raise TypeError(
            f"can't convert np.ndarray of type {np_dtype}. The only supported types are: "
            + ", ".join(d.name for d in ALL_DTYPES)
        )
    return found


# ---------------------------------------------------------------- promotion

# 64-bit unsigned with signed has no integer result; torch refuses it, NumPy goes to float64.
_NO_PROMOTION = {frozenset((uint64, d)) for d in (int8, int16, int32, int64)}


def _promote_pair(a: dtype, b: dtype) -> dtype | None:
    if a is b:
        return a
    if frozenset((a, b)) in _NO_PROMOTION:
        return None
    if a.category == b.category or (a.category, b.category) in ((2, 3), (3, 2)):
        # Same kind (or float with complex): NumPy's lattice is torch's here.
        return _FROM_NUMPY[np.promote_types(_NUMPY_OF[a], _NUMPY_OF[b])]
    # Across kinds the higher kind wins outright: int64 + float16 is float16 in torch.
    return a if a.category > b.category else b


_PROMOTION = {(a, b): _promote_pair(a, b) for a in ALL_DTYPES for b in ALL_DTYPES}


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both can be cast to, by torch's rules.

    >>> import bridgetensor as bt
    >>> bt.promote_types(bt.int64, bt.float16)
    bridgetensor.float16
    """
    result = _PROMOTION[type1, type2]
    if result is None:
        raise TypeError(f"promotion of {type1} and {type2} is not defined")
    return result


def can_cast(from_: dtype, to: dtype) -> _builtin_bool:
    """Whether torch allows casting `from_` to `to` in a type-promoting op (no lower kind)."""
    return from_.category <= to.category


# ---------------------------------------------------------------- default dtype

_default = {"float": float32, "complex": complex64}


def get_default_dtype() -> dtype:
    """The dtype of floating tensors created without one (float32 at start).

    >>> import bridgetensor as bt
    >>> bt.get_default_dtype()
    bridgetensor.float32
    """
    return _default["float"]


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype; the default complex dtype follows it.

    >>> import bridgetensor as bt
    >>> bt.set_default_dtype(bt.float64); bt.set_default_dtype(bt.float32)
    """
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type; got {d}")
    _default["float"] = d
    _default["complex"] = d.to_complex()


def scalar_dtype(value) -> dtype:
    """The dtype torch gives a Python scalar when it takes part in promotion."""
    kind = type(value)
    if kind is _builtin_float:
        return _default["float"]
    if kind is _builtin_int:
        return int64
    if kind is _builtin_bool:
        return bool
    if kind is complex:
        return _default["complex"]
    return scalar_dtype(value.item()) if isinstance(value, np.generic) else None


def scalar_as(value, d: dtype):
    """A Python number converted as torch's Scalar::to<T> converts it into `d` (integers
    truncate)."""
    if d.is_complex:
        return complex(value)
    if d.is_floating_point:
        return _builtin_float(value)
    if d is bool:
        return _builtin_bool(value)
    return _builtin_int(value)


def category_of_scalar(value) -> _builtin_int:
    kind = type(value)
    if kind is _builtin_float:
        return FLOATING
    if kind is _builtin_int:
        return INTEGER
    if kind is _builtin_bool:
        return BOOL
    return COMPLEX


def _combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # torch's rule for merging a higher-priority group's dtype with a lower one's.
    if higher is None or lower is None:
        return lower if higher is None else higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def _promote_group(dtypes) -> dtype | None:
    result = None
    for d in dtypes:
        result = d if result is None else promote_types(result, d)
    return result


def result_type(dims, zero_dims, scalars) -> dtype:
    """torch's promotion over dimensioned tensors' dtypes, 0-d tensors' dtypes and scalars.

    Each group is promoted within itself; a lower-priority group only matters when it
    is of a higher category than the groups above it (`int64[2] + 1.5` is float32).
    """
    scalar_result = _promote_group(scalar_dtype(s) for s in scalars)
    zero_result = _combine_categories(_promote_group(zero_dims), scalar_result)
    return _combine_categories(_promote_group(dims), zero_result)


# ---------------------------------------------------------------- finfo / iinfo


class finfo:
    """Machine limits of a floating dtype, with torch's attribute names.

    >>> import bridgetensor as bt
    >>> bt.finfo(bt.float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type: dtype | None = None) -> None:
        type = type or get_default_dtype()
        if not (type.is_floating_point or type.is_complex):
            raise TypeError(f"finfo: expected a floating-point dtype; got {type}")
        info = np.finfo(_NUMPY_OF[type])
        self.dtype = type.to_real().name
        self.bits = info.bits
        self.eps = _builtin_float(info.eps)
        self.max = _builtin_float(info.max)
        self.min = _builtin_float(info.min)
        self.tiny = self.smallest_normal = _builtin_float(info.tiny)
        self.resolution = _builtin_float(info.resolution)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """Limits of an integer dtype.

    >>> import bridgetensor as bt
    >>> bt.iinfo(bt.int8).max
    127
    """

    def __init__(self, type: dtype) -> None:
        if type.category > INTEGER:
            raise TypeError(f"iinfo: expected an integer dtype; got {type}")
        info = np.iinfo(_NUMPY_OF[type]) if type is not bool else None
        self.dtype = type.name
        self.bits = type.itemsize * 8
        self.min = _builtin_int(info.min) if info else 0
        self.max = _builtin_int(info.max) if info else 1

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
