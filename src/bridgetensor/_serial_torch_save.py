"""Writing PyTorch's zip checkpoint format, readable by ``torch.load(f, weights_only=True)``.

The pickle inside is written opcode by opcode (protocol 2, as torch.save writes it), so
no torch module has to exist here: globals are emitted by name. Only the globals torch's
weights-only loader accepts are used. Tensors viewing one NumPy buffer share one storage
record, as torch's views do, so sharing survives the round trip.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import zipfile
from collections import OrderedDict

import numpy as np

from . import _dtypes
from ._backend import device as _device
from ._serial_io import as_bytes, host_bytes
from ._tensor import Size, Tensor
from .nn.parameter import Parameter

__all__ = ["prepare_torch_zip"]

_STORAGE_NAMES = {
    _dtypes.float32: "FloatStorage",
    _dtypes.float64: "DoubleStorage",
    _dtypes.float16: "HalfStorage",
    _dtypes.int64: "LongStorage",
    _dtypes.int32: "IntStorage",
    _dtypes.int16: "ShortStorage",
    _dtypes.int8: "CharStorage",
    _dtypes.uint8: "ByteStorage",
    _dtypes.bool: "BoolStorage",
    _dtypes.complex64: "ComplexFloatStorage",
    _dtypes.complex128: "ComplexDoubleStorage",
}
_ALIGNMENT = 64  # torch aligns every record's data to 64 bytes (for mmap loading)
_FB_PADDING = 0x4246  # the zip extra-field id torch's writer pads with ("FB")


class _Pickler:
    """Emits protocol-2 opcodes for the data model torch's weights-only loader reads."""

    def __init__(self) -> None:
        self.out = bytearray(b"\x80\x02")
        self.memo: dict = {}  # id(object) or a global's name -> memo slot
        self.alive: list = []
        self.records: list[np.ndarray] = []  # storage key i -> bytes
        self.roots: dict[int, tuple] = {}  # id(root buffer) -> (key, dtype)

    # ---------------------------------------------------------- opcodes

    def put(self, key) -> None:
        slot = len(self.memo)
        self.memo[key] = slot
        self.out += b"q" + bytes([slot]) if slot < 256 else b"r" + struct.pack("<I", slot)

    def get(self, key) -> bool:
        slot = self.memo.get(key)
        if slot is None:
            return False
        self.out += b"h" + bytes([slot]) if slot < 256 else b"j" + struct.pack("<I", slot)
        return True

    def global_(self, module: str, name: str) -> None:
        key = f"{module}\n{name}\n"
        if not self.get(key):
            self.out += b"c" + key.encode("ascii")
            self.put(key)

    def call(self, module: str, name: str, *args) -> None:
        self.global_(module, name)
        self.tuple_(args)
        self.out += b"R"

    def tuple_(self, items) -> None:
        if not items:
            self.out += b")"
            return
        if len(items) > 3:
            self.out += b"("
        for item in items:
            self.save(item)
        self.out += b"t" if len(items) > 3 else b"\x85\x86\x87"[len(items) - 1 : len(items)]

    # ---------------------------------------------------------- values

    def save(self, value) -> None:
        kind = type(value)
        if value is None:
            self.out += b"N"
        elif kind is bool:
            self.out += b"\x88" if value else b"\x89"
        elif kind is int:
            self.int_(value)
        elif kind is float:
            self.out += b"G" + struct.pack(">d", value)
        elif kind is str:
            data = value.encode("utf-8", "surrogatepass")
            self.out += b"X" + struct.pack("<I", len(data)) + data
        elif isinstance(value, np.generic) and not isinstance(value, np.void):
            self.save(value.item())
        elif self.get(id(value)):
            return  # the same object again: one object after loading too
        else:
            self.compound(value, kind)

    def int_(self, value: int) -> None:
        if 0 <= value < 256:
            self.out += b"K" + bytes([value])
        elif 0 <= value < 65536:
            self.out += b"M" + struct.pack("<H", value)
        elif -(2**31) <= value < 2**31:
            self.out += b"J" + struct.pack("<i", value)
        else:
            data = value.to_bytes(value.bit_length() // 8 + 1, "little", signed=True)
            if len(data) > 255:
                raise OverflowError(f"save: the integer {value} is too large to store")
            self.out += b"\x8a" + bytes([len(data)]) + data

    def compound(self, value, kind) -> None:
        if isinstance(value, Tensor):
            self.tensor(value)
        elif kind is list:
            self.out += b"]"
            self.remember(value)
            if value:
                self.out += b"("
                for item in value:
                    self.save(item)
                self.out += b"e"
        elif kind is dict or kind is OrderedDict:
            if kind is dict:
                self.out += b"}"
            else:
                self.call("collections", "OrderedDict")
            self.remember(value)
            self.items(value)
            metadata = getattr(value, "_metadata", None) if kind is OrderedDict else None
            if metadata is not None:  # Module.state_dict's versions, restored by BUILD
                self.out += b"}"
                self.items({"_metadata": metadata})
                self.out += b"b"
        elif kind is tuple:
            self.tuple_(value)
        elif kind is bytes:
            self.call("_codecs", "encode", value.decode("latin1"), "latin1")
        elif kind is bytearray:
            self.call("__builtin__", "bytearray", bytes(value))
        elif kind is complex:
            self.call("__builtin__", "complex", value.real, value.imag)
        elif kind is set:
            self.call("__builtin__", "set", list(value))
        elif kind is Size:
            self.call("torch", "Size", tuple(value))
        elif kind is _dtypes.dtype:
            self.global_("torch", value.name)
        elif kind is _device:
            self.call("torch", "device", str(value))
        else:
            raise TypeError(
                f"save: cannot store a {kind.__module__}.{kind.__qualname__} in the torch "
                "format; it holds tensors, dicts, lists, tuples, sets, str, bytes, int, "
                "float, complex, bool, None, dtypes, devices and Size (save a module's "
                "state_dict(), not the module)"
            )

    def remember(self, value) -> None:
        self.alive.append(value)
        self.put(id(value))

    def items(self, mapping) -> None:
        if not mapping:
            return
        self.out += b"("
        for key, item in mapping.items():
            if isinstance(key, Tensor):
                raise TypeError("save: a tensor cannot be a dict key")
            self.save(key)
            self.save(item)
        self.out += b"u"

    # ---------------------------------------------------------- tensors

    def tensor(self, t: Tensor) -> None:
        parameter = isinstance(t, Parameter)
        if parameter:
            self.global_("torch._utils", "_rebuild_parameter")
            self.out += b"("
        key, offset, stride, numel = self.storage(t)
        dtype = t.dtype
        # torch's legacy typed storages stop at uint8; wider unsigned types go untyped (v3).
        typed = dtype in _STORAGE_NAMES
        self.global_("torch._utils", "_rebuild_tensor_v2" if typed else "_rebuild_tensor_v3")
        self.out += b"(("
        self.save("storage")
        if typed:
            self.global_("torch", _STORAGE_NAMES[dtype])
        else:
            self.global_("torch.storage", "UntypedStorage")
            numel *= dtype.itemsize
        self.save(str(key))
        self.save(str(t.device) if t.device.type == "cuda" else "cpu")
        self.save(numel)
        self.out += b"tQ"
        self.save(offset)
        self.tuple_(tuple(t.shape))
        self.tuple_(stride)
        self.save(bool(t.requires_grad) and not parameter)
        self.call("collections", "OrderedDict")
        if not typed:
            self.global_("torch", dtype.name)
        self.out += b"tR"
        if parameter:
            self.save(bool(t.requires_grad))
            self.call("collections", "OrderedDict")
            self.out += b"tR"
        self.remember(t)

    def storage(self, t: Tensor) -> tuple:
        """(storage key, element offset, element strides, storage length) for `t`,
        sharing one record among tensors that view one NumPy buffer."""
        shared = _shared_view(t)
        if shared is not None:
            root, byte_offset, strides = shared
            itemsize = t.dtype.itemsize
            found = self.roots.get(id(root))
            if found is None and root.nbytes % itemsize == 0:
                found = self.roots[id(root)] = (len(self.records), t.dtype)
                self.records.append(_flat_bytes(root))
                self.alive.append(root)
            if found is not None and found[1] is t.dtype and byte_offset % itemsize == 0:
                key = found[0]
                return key, byte_offset // itemsize, strides, root.nbytes // itemsize
        array = host_bytes(t)
        self.records.append(array)
        return len(self.records) - 1, 0, _contiguous_strides(array.shape), array.size


def _shared_view(t: Tensor):
    """(root buffer, byte offset, element strides) of a NumPy-backed tensor whose memory
    lies in one contiguous NumPy buffer, else None (the tensor is then copied)."""
    array = t._data
    if not isinstance(array, np.ndarray) or sys.byteorder != "little" or array.size == 0:
        return None
    itemsize = array.dtype.itemsize
    if any(s < 0 or s % itemsize for s in array.strides):
        return None
    root = array
    while isinstance(root.base, np.ndarray):
        root = root.base
    if not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    start = array.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return root, start, tuple(s // itemsize for s in array.strides)


def _flat_bytes(root: np.ndarray) -> np.ndarray:
    return root.reshape(-1, order="A").view(np.uint8)


def _contiguous_strides(shape) -> tuple:
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def prepare_torch_zip(obj):
    """Pickle `obj` (every refusal happens here) and return the function that writes it."""
    pickler = _Pickler()
    pickler.save(obj)
    pickler.out += b"."
    data = bytes(pickler.out)
    # torch writes a random id; a digest of the content keeps our files reproducible.
    digest = str(int(hashlib.sha1(data).hexdigest(), 16))[:40]
    records = [
        ("data.pkl", data),
        (".format_version", b"1"),
        (".storage_alignment", str(_ALIGNMENT).encode()),
        ("byteorder", b"little"),
    ]
    records += [(f"data/{key}", as_bytes(a)) for key, a in enumerate(pickler.records)]
    records += [("version", b"3\n"), (".data/serialization_id", digest.encode())]

    def write(stream) -> None:
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, payload in records:
                _write_aligned(archive, "archive/" + name, payload)

    return write


def _write_aligned(archive: zipfile.ZipFile, name: str, payload) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    try:
        offset = archive.fp.tell()
    except (AttributeError, OSError):
        offset = None  # an unseekable stream: alignment only speeds up mmap, skip it
    if offset is not None:
        # Local header: 30 bytes, the name, then this padding field (4 bytes + padding).
        pad = -(offset + 30 + len(name.encode()) + 4) % _ALIGNMENT
        info.extra = struct.pack("<HH", _FB_PADDING, pad) + b"Z" * pad
    archive.writestr(info, payload)
