"""bridgetensor's own file format: a safetensors file whose metadata holds the nesting.

Layout (docs/serialization.md): an 8-byte little-endian header length N, N bytes of
JSON (padded with spaces to a multiple of 8), then the tensors' bytes back to back. The
JSON maps each tensor's name to its dtype, shape and byte range, as safetensors does, and
its ``__metadata__`` holds the nested Python structure around the tensors as a JSON text
("bridgetensor.structure"). Loading parses JSON and copies bytes: nothing runs.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections import OrderedDict

import numpy as np

from . import _dtypes
from ._backend import device as _device
from ._serial_io import (
    NUMPY_OF,
    FormatError,
    as_bytes,
    from_little_endian,
    host_bytes,
    little_endian,
    read_exact,
    read_into,
    target_device,
    to_tensor,
)
from ._tensor import Size, Tensor
from .nn.parameter import Parameter

__all__ = ["load_safetensors", "prepare_safetensors"]

STRUCTURE_KEY = "bridgetensor.structure"
VERSION_KEY = "bridgetensor.version"
VERSION = "1"
# safetensors refuses headers above 100 MB; so do we, before reading one.
MAX_HEADER = 100_000_000

_CODES = {
    _dtypes.bool: "BOOL",
    _dtypes.uint8: "U8",
    _dtypes.int8: "I8",
    _dtypes.int16: "I16",
    _dtypes.uint16: "U16",
    _dtypes.int32: "I32",
    _dtypes.uint32: "U32",
    _dtypes.int64: "I64",
    _dtypes.uint64: "U64",
    _dtypes.float16: "F16",
    _dtypes.float32: "F32",
    _dtypes.float64: "F64",
    _dtypes.complex64: "C64",
}
_BY_CODE = {code: d for d, code in _CODES.items()}
_FOREIGN = {"BF16": "bfloat16", "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2"}


# ---------------------------------------------------------------- save


class _Encoder:
    """Turns a nested object into JSON-able structure nodes, collecting its tensors."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.nodes: dict[int, dict] = {}  # id(tensor) -> node: stored once, however often met
        self.alive: list = []  # keeps saved objects alive, so ids stay unique
        self.open: set[int] = set()  # containers being encoded, to refuse cycles

    def encode(self, value, path: tuple):
        kind = type(value)
        if value is None or kind is bool or kind is str or kind is int:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if isinstance(value, Tensor):
            return self.tensor(value, path)
        if isinstance(value, np.generic) and not isinstance(value, np.void):
            return self.encode(value.item(), path)  # NumPy scalars come back as Python's
        if kind is complex:
            return {"complex": [self.encode(value.real, path), self.encode(value.imag, path)]}
        if kind is bytes or kind is bytearray:
            return {kind.__name__: base64.b64encode(value).decode("ascii")}
        if kind is _dtypes.dtype:
            return {"dtype": value.name}
        if kind is _device:
            return {"device": str(value)}
        if id(value) in self.open:
            raise ValueError(
                f"save: {_where(path)} contains itself; the format stores trees, not cycles"
            )
        self.open.add(id(value))
        try:
            return self.container(value, kind, path)
        finally:
            self.open.discard(id(value))

    def container(self, value, kind, path: tuple):
        if kind is list:
            return [self.encode(v, (*path, i)) for i, v in enumerate(value)]
        if kind is tuple or kind is Size:
            name = "tuple" if kind is tuple else "size"
            return {name: [self.encode(v, (*path, i)) for i, v in enumerate(value)]}
        if kind is set or kind is frozenset:
            return {kind.__name__: [self.encode(v, path) for v in value]}
        if kind is dict or kind is OrderedDict:
            items = [[self.key(k, path), self.encode(v, (*path, k))] for k, v in value.items()]
            if kind is dict:
                return {"dict": items}
            node = {"ordered_dict": items}
            metadata = getattr(value, "_metadata", None)  # Module.state_dict's versions
            if metadata is not None:
                node["metadata"] = self.encode(metadata, (*path, "_metadata"))
            return node
        raise TypeError(
            f"save: cannot store a {kind.__module__}.{kind.__qualname__} at {_where(path)}; "
            "the format holds tensors, dicts, lists, tuples, sets, str, bytes, int, float, "
            "complex, bool, None, dtypes and devices (save a module's state_dict(), not "
            'the module; format="torch" has the same limits)'
        )

    def key(self, key, path: tuple):
        if isinstance(key, Tensor):
            raise TypeError(f"save: a tensor cannot be a dict key (at {_where(path)})")
        return self.encode(key, path)

    def tensor(self, t: Tensor, path: tuple) -> dict:
        found = self.nodes.get(id(t))
        if found is not None:
            return found
        array = host_bytes(t)
        node: dict = {"tensor": self.unique_name(path)}
        if array.dtype == np.complex128:
            # safetensors has no 128-bit complex: stored as float64 (re, im) pairs.
            array = array.view(little_endian(np.dtype(np.float64))).reshape(*array.shape, 2)
            node["complex128"] = True
        if t.requires_grad:
            node["requires_grad"] = True
        if isinstance(t, Parameter):
            node["parameter"] = True
        self.arrays[node["tensor"]] = array
        self.nodes[id(t)] = node
        self.alive.append(t)
        return node

    def unique_name(self, path: tuple) -> str:
        base = ".".join(str(p) for p in path) or "tensor"
        name, n = base, 1
        while name in self.arrays or name == "__metadata__":
            n += 1
            name = f"{base}#{n}"
        return name


def _where(path: tuple) -> str:
    return "obj" + "".join(f"[{p!r}]" for p in path)


def prepare_safetensors(obj):
    """Encode `obj` (every refusal happens here) and return the function that writes it."""
    encoder = _Encoder()
    structure = encoder.encode(obj, ())
    # Widest items first: with the data start 8-aligned, every tensor is naturally aligned.
    names = sorted(encoder.arrays, key=lambda n: -encoder.arrays[n].dtype.itemsize)
    header: dict = {
        "__metadata__": {
            "format": "pt",
            VERSION_KEY: VERSION,
            STRUCTURE_KEY: json.dumps(structure, allow_nan=False, separators=(",", ":")),
        }
    }
    offset = 0
    for name in names:
        array = encoder.arrays[name]
        code = "F64" if array.dtype == np.float64 else _CODES[_dtypes.from_numpy_dtype(array.dtype)]
        header[name] = {
            "dtype": code,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + array.nbytes],
        }
        offset += array.nbytes
    text = json.dumps(header, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    raw = text.encode("utf-8")
    raw += b" " * (-len(raw) % 8)

    def write(stream) -> None:
        stream.write(struct.pack("<Q", len(raw)))
        stream.write(raw)
        for name in names:
            if encoder.arrays[name].nbytes:
                stream.write(as_bytes(encoder.arrays[name]))

    return write


# ---------------------------------------------------------------- load


def load_safetensors(stream, map_location=None):
    (length,) = struct.unpack("<Q", read_exact(stream, 8, "the header length"))
    if length > MAX_HEADER:
        raise FormatError(
            f"load: the header length {length} exceeds {MAX_HEADER} bytes; the file is "
            "corrupted or not a safetensors file"
        )
    raw = read_exact(stream, length, "the JSON header")
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FormatError(f"load: the JSON header is corrupted: {error}") from None
    if not isinstance(header, dict):
        raise FormatError("load: the JSON header is not an object")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not isinstance(metadata, dict):
        raise FormatError("load: __metadata__ in the header is not an object")
    entries = [(name, *_entry(name, info)) for name, info in header.items()]
    start = 8 + length
    device = target_device(None, map_location)
    tensors = {}
    for name, np_dtype, shape, begin, _ in sorted(entries, key=lambda e: e[3]):
        array = np.empty(shape, dtype=little_endian(np_dtype))
        if array.nbytes:
            stream.seek(start + begin)
            read_into(stream, array, f"tensor {name!r}")
        tensors[name] = from_little_endian(array)
    text = None if metadata is None else metadata.get(STRUCTURE_KEY)
    if text is None:  # a plain safetensors file: its tensors by name, in header order
        return {name: to_tensor(tensors[name], device) for name, *_ in entries}
    try:
        structure = json.loads(text)
    except (TypeError, ValueError, RecursionError) as error:
        raise FormatError(f"load: the stored structure is corrupted: {error}") from None
    try:
        return _Decoder(tensors, device).decode(structure)
    except RecursionError:
        raise FormatError("load: the stored structure is nested too deeply") from None


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _entry(name: str, info) -> tuple:
    """(NumPy dtype, shape, begin, end) of one header entry, checked."""
    if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
        raise FormatError(f"load: header entry {name!r} must have dtype, shape and data_offsets")
    code, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    if code in _FOREIGN:
        raise FormatError(
            f"load: tensor {name!r} has dtype {_FOREIGN[code]}, which bridgetensor does not "
            "support (convert it to float32 before saving)"
        )
    if code not in _BY_CODE:
        raise FormatError(f"load: tensor {name!r} has an unknown dtype code {code!r}")
    if not isinstance(shape, list) or not all(_is_count(n) for n in shape):
        raise FormatError(f"load: tensor {name!r} has an invalid shape {shape!r}")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))):
        raise FormatError(f"load: tensor {name!r} has invalid data_offsets {offsets!r}")
    np_dtype = NUMPY_OF[_BY_CODE[code]]
    begin, end = offsets
    expected = math.prod(shape) * np_dtype.itemsize
    if end - begin != expected:
        raise FormatError(
            f"load: tensor {name!r} of shape {shape} and dtype {code} needs {expected} bytes, "
            f"but its data_offsets {offsets} span {end - begin}"
        )
    return np_dtype, tuple(shape), begin, end


def _is_count(n) -> bool:
    return type(n) is int and n >= 0


class _Decoder:
    def __init__(self, arrays: dict, device) -> None:
        self.arrays = arrays
        self.device = device
        self.made: dict[str, Tensor] = {}

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict) or not node:
            raise FormatError(f"load: invalid structure node {node!r}")
        tags = [key for key in node if key in _EXTRA_KEYS]
        if len(tags) != 1 or not set(node) <= _EXTRA_KEYS[tags[0]]:
            raise FormatError(f"load: unknown structure node with keys {sorted(node)}")
        tag = tags[0]
        value = node[tag]
        if tag == "tensor":
            return self.tensor(node)
        if tag == "float":
            if value not in ("nan", "inf", "-inf"):
                raise FormatError(f"load: invalid float {value!r} in the structure")
            return float(value)
        if tag in ("bytes", "bytearray"):
            try:
                data = base64.b64decode(value, validate=True)
            except (TypeError, ValueError) as error:
                raise FormatError(f"load: invalid base64 bytes in the structure: {error}") from None
            return data if tag == "bytes" else bytearray(data)
        if tag == "dtype":
            if value not in _dtypes.BY_NAME:
                raise FormatError(f"load: unknown dtype {value!r} in the structure")
            return _dtypes.BY_NAME[value]
        if tag == "device":
            return _device(_checked(value, str, tag))
        items = [self.decode(v) for v in _checked(value, list, tag)]
        if tag == "complex":
            if len(items) != 2 or not all(isinstance(v, (int, float)) for v in items):
                raise FormatError("load: a complex number needs two real parts")
            return complex(*items)
        if tag in ("dict", "ordered_dict"):
            if not all(isinstance(p, list) and len(p) == 2 for p in items):
                raise FormatError(f"load: {tag} entries must be [key, value] pairs")
            try:
                result = (dict if tag == "dict" else OrderedDict)(items)
            except TypeError as error:
                raise FormatError(f"load: invalid dict key in the structure: {error}") from None
            if "metadata" in node:
                result._metadata = self.decode(node["metadata"])
            return result
        try:
            return _CONTAINERS[tag](items)
        except TypeError as error:
            raise FormatError(f"load: invalid {tag} in the structure: {error}") from None

    def tensor(self, node: dict) -> Tensor:
        name = _checked(node["tensor"], str, "tensor")
        if name in self.made:
            return self.made[name]
        array = self.arrays.get(name)
        if array is None:
            raise FormatError(f"load: the structure names a tensor {name!r} the file lacks")
        if node.get("complex128"):
            if array.dtype != np.float64 or array.ndim == 0 or array.shape[-1] != 2:
                raise FormatError(f"load: tensor {name!r} is not stored as complex128 pairs")
            array = array.view(np.complex128).reshape(array.shape[:-1])
        t = to_tensor(array, self.device, requires_grad=bool(node.get("requires_grad")))
        if node.get("parameter"):
            t = Parameter(t, t.requires_grad)
        self.made[name] = t
        return t


_EXTRA_KEYS = {
    "tensor": {"tensor", "requires_grad", "parameter", "complex128"},
    "ordered_dict": {"ordered_dict", "metadata"},
    **{
        tag: {tag}
        for tag in (
            "float",
            "complex",
            "bytes",
            "bytearray",
            "tuple",
            "size",
            "set",
            "frozenset",
            "dict",
            "dtype",
            "device",
        )
    },
}
_CONTAINERS = {"tuple": tuple, "size": Size, "set": set, "frozenset": frozenset}


def _checked(value, kind: type, tag: str):
    if not isinstance(value, kind):
        raise FormatError(f"load: invalid {tag} node in the structure: {value!r}")
    return value
