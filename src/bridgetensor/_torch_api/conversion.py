"""Casts and moves: `to`, `float()`, `type()`, `clone`, `contiguous`, `cpu`, `cuda`."""

from __future__ import annotations

from .. import _dtypes, ops
from .._backend import device as _device
from ..ops.transfer import contiguous as _contiguous

__all__ = ["ConversionMethods", "clone"]

_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "uint16": "UInt16Tensor",
    "uint32": "UInt32Tensor",
    "uint64": "UInt64Tensor",
    "bool": "BoolTensor",
    "complex64": "ComplexFloatTensor",
    "complex128": "ComplexDoubleTensor",
}
_BY_TYPE_NAME = {name: _dtypes.BY_NAME[d] for d, name in _TYPE_NAMES.items()}
_TO_SIGNATURES = (
    "\n * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)"
    "\n * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)"
    "\n * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
)


def clone(input, *, memory_format=None):
    """A copy with its own memory; gradients flow back to `input`.

    >>> import bridgetensor as bt
    >>> bt.clone(bt.tensor([1, 2]))
    tensor([1, 2])
    """
    return ops.clone(input)


def _cast(t, dtype, copy=False):
    if dtype is t.dtype and not copy:
        return t
    return ops.astype(t, dtype=dtype)


def _is_tensor(value) -> bool:
    return hasattr(value, "_data") and hasattr(value, "_be")


def _is_device(value) -> bool:
    return isinstance(value, (str, _device)) or (type(value) is int and value >= 0)


def _to_error(args, kwargs) -> TypeError:
    got = [_arg_name(a) for a in args] + [f"{k}={_arg_name(v)}" for k, v in kwargs.items()]
    return TypeError(
        f"to() received an invalid combination of arguments - got ({', '.join(got)}, ), "
        f"but expected one of:{_TO_SIGNATURES}"
    )


def _arg_name(value) -> str:
    if isinstance(value, _dtypes.dtype):
        return "torch.dtype"
    if _is_tensor(value):
        return "Tensor"
    return type(value).__name__


def _parse_to(args, kwargs):
    """torch's three to() overloads: (device, dtype, ...), (dtype, ...), (tensor, ...)."""
    unknown = set(kwargs) - {"device", "dtype", "non_blocking", "copy", "memory_format"}
    if unknown:
        raise _to_error(args, kwargs)
    device, dtype = kwargs.get("device"), kwargs.get("dtype")
    flags = []
    rest = list(args)
    if rest and isinstance(rest[0], _dtypes.dtype):
        dtype = rest.pop(0)
    elif rest and _is_tensor(rest[0]):
        other = rest.pop(0)
        dtype, device = other.dtype, other.device
    elif rest and (rest[0] is None or _is_device(rest[0])):
        device = rest.pop(0)
        if rest and isinstance(rest[0], _dtypes.dtype):
            dtype = rest.pop(0)
    flags = rest
    if len(flags) > 2 or not all(isinstance(f, bool) for f in flags):
        raise _to_error(args, kwargs)
    copy = flags[1] if len(flags) > 1 else kwargs.get("copy", False)
    if dtype is not None and not isinstance(dtype, _dtypes.dtype):
        raise _to_error(args, kwargs)
    if type(device) is int:
        device = f"cuda:{device}"
    return device, dtype, bool(copy)


class ConversionMethods:
    __slots__ = ()

    def to(self, *args, **kwargs):
        """Cast and/or move: ``t.to(bt.float64)``, ``t.to("cuda")``, ``t.to(other)``.

        Returns `self` when nothing changes, unless ``copy=True``.

        >>> import bridgetensor as bt
        >>> bt.ones(2).to("cpu", bt.float64).dtype
        bridgetensor.float64
        """
        device, dtype, copy = _parse_to(args, kwargs)
        result = self
        if device is not None:
            from .._interop import to_device

            result = to_device(result, device)
            copy = copy and result is self
        if dtype is not None:
            result = _cast(result, dtype, copy)
        elif copy:
            result = ops.clone(result)
        return result

    def type(self, dtype=None, non_blocking=False):
        """The type name (``"bridgetensor.FloatTensor"``), or a cast to `dtype` or a name."""
        if dtype is None:
            prefix = "bridgetensor.cuda." if self._be.is_gpu else "bridgetensor."
            return prefix + _TYPE_NAMES.get(self.dtype.name, self.dtype.name)
        if isinstance(dtype, str):
            parts = dtype.split(".")
            found = _BY_TYPE_NAME.get(parts[-1])
            if found is None or parts[0] not in ("torch", "bridgetensor") or len(parts) > 3:
                raise ValueError(f"invalid type: '{dtype}'")
            on_gpu = len(parts) == 3
            if len(parts) == 3 and parts[1] != "cuda":
                raise ValueError(f"invalid type: '{dtype}'")
            moved = self.to("cuda" if on_gpu else "cpu") if on_gpu != self._be.is_gpu else self
            return _cast(moved, found)
        return _cast(self, dtype)

    def type_as(self, other):
        return _cast(self, other.dtype)

    def float(self):
        return _cast(self, _dtypes.float32)

    def double(self):
        return _cast(self, _dtypes.float64)

    def half(self):
        return _cast(self, _dtypes.float16)

    def int(self):
        return _cast(self, _dtypes.int32)

    def long(self):
        return _cast(self, _dtypes.int64)

    def short(self):
        return _cast(self, _dtypes.int16)

    def char(self):
        return _cast(self, _dtypes.int8)

    def byte(self):
        return _cast(self, _dtypes.uint8)

    def bool(self):
        return _cast(self, _dtypes.bool)

    def cfloat(self):
        return _cast(self, _dtypes.complex64)

    def cdouble(self):
        return _cast(self, _dtypes.complex128)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def is_complex(self):
        return self.dtype.is_complex

    def clone(self, *, memory_format=None):
        return ops.clone(self)

    def is_contiguous(self, memory_format=None):
        data = self._data
        flags = getattr(data, "flags", None)
        if flags is not None and hasattr(flags, "c_contiguous"):
            return bool(flags.c_contiguous)
        check = getattr(data, "is_contiguous", None)
        return bool(check()) if check is not None else True

    def contiguous(self, memory_format=None):
        """Itself when C-contiguous, else a C-contiguous copy (gradients flow back)."""
        return self if self.is_contiguous() else _contiguous(self)

    def cpu(self, memory_format=None):
        """Itself when on the host, else a copy there (the gradient moves back)."""
        from .._interop import to_device

        return to_device(self, "cpu")

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        """A copy on a CUDA GPU through CuPy (itself when already there)."""
        from .._interop import to_device

        if isinstance(device, _device):
            device = str(device) if device.type == "cuda" else None
        elif isinstance(device, str):
            device = device if device.startswith("cuda") else None
        elif device is not None:
            device = f"cuda:{int(device)}"
        return to_device(self, device or "cuda")
