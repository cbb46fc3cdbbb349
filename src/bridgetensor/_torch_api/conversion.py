"""Casts and moves: `to`, `float()`, `type()`, `clone`, `contiguous`, `cpu`, `cuda`."""

from __future__ import annotations

from .. import _dtypes, ops

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
    "bool": "BoolTensor",
    "complex64": "ComplexFloatTensor",
    "complex128": "ComplexDoubleTensor",
}
_BY_TYPE_NAME = {name: _dtypes.BY_NAME[d] for d, name in _TYPE_NAMES.items()}


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


def _parse_to(args, kwargs):
    """torch's to() overloads: to(dtype), to(device, dtype), to(tensor), keywords."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    for arg in args:
        if isinstance(arg, _dtypes.dtype):
            dtype = arg
        elif hasattr(arg, "_data") and hasattr(arg, "_be"):
            dtype, device = arg.dtype, arg.device
        elif arg is not None:
            device = arg
    return device, dtype, bool(kwargs.pop("copy", False))


class ConversionMethods:
    __slots__ = ()

    def to(self, *args, **kwargs):
        """Cast and/or move: ``t.to(bt.float64)``, ``t.to("cuda")``, ``t.to(other)``."""
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
        if dtype is None:
            return "bridgetensor." + _TYPE_NAMES.get(self.dtype.name, self.dtype.name)
        if isinstance(dtype, str):
            dtype = _BY_TYPE_NAME[dtype.rsplit(".", 1)[-1]]
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
        return self if self.is_contiguous() else ops.clone(self)

    def cpu(self):
        from .._interop import to_device

        return to_device(self, "cpu")

    def cuda(self, device=None, non_blocking=False):
        from .._interop import to_device

        index = device.index if hasattr(device, "index") else device
        return to_device(self, "cuda" if index is None else f"cuda:{index}")
