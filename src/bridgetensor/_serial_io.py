"""What both file formats of `serialization` share: host bytes of tensors, tensors from
host arrays, devices for `map_location`, and exact reads from a file."""

from __future__ import annotations

import sys

import numpy as np

from . import _dtypes
from ._backend import device as _device
from ._interop import host_array

__all__ = [
    "FormatError",
    "host_bytes",
    "little_endian",
    "read_exact",
    "read_into",
    "target_device",
    "to_tensor",
]


class FormatError(RuntimeError):
    """A file that is truncated, corrupted or not in a format `load` reads."""


def little_endian(np_dtype: np.dtype) -> np.dtype:
    return np_dtype.newbyteorder("<") if np_dtype.itemsize > 1 else np_dtype


def host_bytes(t) -> np.ndarray:
    """The tensor's values as a C-contiguous little-endian NumPy array (a copy only where
    the data lives elsewhere, is strided, or is big-endian)."""
    array = np.asarray(host_array(t.detach()._data, t._be))
    if not array.flags.c_contiguous:
        array = array.copy(order="C")  # not np.ascontiguousarray, which makes 0-d arrays 1-d
    if sys.byteorder != "little":
        array = array.astype(little_endian(array.dtype))
    return array


def as_bytes(array: np.ndarray) -> memoryview:
    """A flat byte view of a C-contiguous array, for writing it out without a copy."""
    return memoryview(array.reshape(-1).view(np.uint8))


def from_little_endian(array: np.ndarray) -> np.ndarray:
    """A native-order array of the little-endian values in `array` (itself on such hosts)."""
    if sys.byteorder == "little" or array.dtype.itemsize == 1:
        return array
    return array.view(array.dtype.newbyteorder("<")).astype(array.dtype)


def target_device(location: str | None, map_location):
    """The device a tensor saved at `location` goes to, by torch's `map_location` rules
    (None: where it was saved; a device or string: there; a dict: remapped names)."""
    if map_location is None:
        found = location
    elif isinstance(map_location, (str, _device)):
        found = map_location
    elif isinstance(map_location, dict):
        found = map_location.get(location, location)
    elif callable(map_location):
        raise TypeError(
            "load: map_location as a function is not supported; pass a device, a device "
            "string or a dict of device names"
        )
    else:
        raise TypeError(
            "load: map_location must be a device, a string or a dict; got "
            f"{type(map_location).__name__}"
        )
    return found


def to_tensor(array: np.ndarray, device, requires_grad: bool = False):
    """A tensor of the default backend (or `device`) over a host array: shared with it on
    NumPy, converted elsewhere."""
    from ._backend import default_backend
    from ._creation import asarray

    if device is not None and str(device) == "cpu" and not default_backend().is_gpu:
        device = None  # the default backend's own host arrays (shared on NumPy)
    try:
        t = asarray(array, device=device)
    except RuntimeError as error:
        if "CuPy" not in str(error):
            raise
        raise RuntimeError(
            f"load: the file holds tensors saved on '{device}', which needs CuPy and a CUDA "
            "GPU here. On a CPU-only machine pass map_location='cpu' to load them there. "
            f"({error})"
        ) from None
    if requires_grad:
        t.requires_grad_(True)
    return t


def read_exact(stream, count: int, what: str) -> bytes:
    """`count` bytes from `stream`, or a FormatError saying the file ends too early."""
    data = stream.read(count)
    if len(data) != count:
        raise FormatError(
            f"load: the file is truncated: expected {count} bytes of {what}, found {len(data)}"
        )
    return data


def read_into(stream, array: np.ndarray, what: str) -> np.ndarray:
    """Fill a fresh C-contiguous array from `stream` without an intermediate copy."""
    view = as_bytes(array)
    readinto = getattr(stream, "readinto", None)
    got = 0
    if readinto is not None:
        while got < len(view):
            n = readinto(view[got:])
            if not n:
                break
            got += n
    else:
        data = stream.read(len(view))
        got = len(data)
        view[:got] = data
    if got != len(view):
        raise FormatError(
            f"load: the file is truncated: expected {len(view)} bytes of {what}, found {got}"
        )
    return array


NUMPY_OF = {d: _dtypes.to_numpy_dtype(d) for d in _dtypes.ALL_DTYPES}
