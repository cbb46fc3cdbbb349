"""Reading PyTorch's zip checkpoints (``torch.save`` since 1.6) without PyTorch.

The archive holds ``<prefix>/data.pkl``, a pickle of the saved object whose tensors
point, through pickle's persistent ids, at raw storages in ``<prefix>/data/<key>``.
The pickle is read by a restricted unpickler: every global it names is looked up in a
fixed table of harmless stand-ins (tensor rebuilders, OrderedDict, set, complex, ...)
and anything else is refused before it is imported, so loading never runs code from
the file. Storages are bounds-checked before any tensor views them.
"""

from __future__ import annotations

import io
import pickle
import struct
import zipfile
from collections import OrderedDict
from contextlib import contextmanager

import numpy as np

from . import _dtypes
from ._backend import device as _device
from ._serial_io import (
    NUMPY_OF,
    FormatError,
    read_into,
    target_device,
    to_tensor,
)
from ._tensor import Size, Tensor
from .nn.parameter import Parameter

__all__ = ["load_torch_zip"]


class _StorageType:
    """What the unpickler hands back for ``torch.FloatStorage`` and friends."""

    __slots__ = ("dtype", "name")

    def __init__(self, name: str, dtype) -> None:
        self.name = name
        self.dtype = dtype  # None: untyped bytes, the tensor names its dtype

    def __repr__(self) -> str:
        return f"torch.{self.name}"


class _TypeMarker:
    """``torch.Tensor`` / ``torch.nn.Parameter`` as named by _rebuild_from_type_v2."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Storage:
    __slots__ = ("array", "dtype", "location")

    def __init__(self, array: np.ndarray, dtype, location: str) -> None:
        self.array = array  # the record's bytes, uint8
        self.dtype = dtype
        self.location = location


_STORAGES = {
    "FloatStorage": _dtypes.float32,
    "DoubleStorage": _dtypes.float64,
    "HalfStorage": _dtypes.float16,
    "LongStorage": _dtypes.int64,
    "IntStorage": _dtypes.int32,
    "ShortStorage": _dtypes.int16,
    "CharStorage": _dtypes.int8,
    "ByteStorage": _dtypes.uint8,
    "BoolStorage": _dtypes.bool,
    "ComplexFloatStorage": _dtypes.complex64,
    "ComplexDoubleStorage": _dtypes.complex128,
}
# torch names bridgetensor knows but cannot represent: a clear "unsupported", not "refused".
_UNSUPPORTED = {
    **{f"torch.{n}Storage": n for n in ("BFloat16", "QInt8", "QUInt8", "QInt32", "QUInt4x2")},
    **{
        f"torch.{n}": n
        for n in ("bfloat16", "complex32", "chalf", "qint8", "quint8", "qint32", "quint4x2")
    },
    **{f"torch.float8_{n}": f"float8_{n}" for n in ("e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz")},
    **{
        f"torch._utils.{n}": n.removeprefix("_rebuild_").replace("_", " ") + " tensors"
        for n in (
            "_rebuild_qtensor",
            "_rebuild_sparse_tensor",
            "_rebuild_nested_tensor",
            "_rebuild_wrapper_subclass",
            "_rebuild_meta_tensor_no_storage",
            "_rebuild_device_tensor_from_numpy",
            "_rebuild_xla_tensor",
            "_rebuild_mtia_tensor",
            "_rebuild_device_tensor_from_cpu_tensor",
        )
    },
}


def _encode(obj, encoding="utf-8"):
    # Protocol 2 pickles bytes as _codecs.encode(text, "latin1").
    if type(obj) is not str or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(
            "load: _codecs.encode is allowed only as protocol 2's bytes (a str and 'latin1')"
        )
    return obj.encode("latin1")


def _torch_device(*args):
    try:
        return _device(*args)
    except (TypeError, ValueError, RuntimeError) as error:
        raise pickle.UnpicklingError(f"load: invalid device {_brief(args)}: {error}") from None


def _bytearray(source=b""):
    if not isinstance(source, (bytes, bytearray)):
        raise pickle.UnpicklingError("load: bytearray is allowed only from bytes")
    return bytearray(source)


class _Unpickler(pickle._Unpickler):
    """A pure-Python unpickler (only the small structure pickle goes through it) whose
    globals come from a fixed table and whose BUILD is limited to OrderedDict metadata."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, data: bytes, loader: _ZipLoader) -> None:
        super().__init__(io.BytesIO(data))
        self.loader = loader
        self.globals = _allowed_globals(loader)

    def find_class(self, module: str, name: str):
        if module == "__builtin__":  # protocol 2 names Python 3's builtins this way
            module = "builtins"
        qualified = f"{module}.{name}"
        found = self.globals.get(qualified)
        if found is not None:
            return found
        if qualified in _UNSUPPORTED:
            raise FormatError(
                f"load: the file holds {_UNSUPPORTED[qualified]} data ({qualified}), which "
                "bridgetensor does not support"
            )
        raise pickle.UnpicklingError(
            f"load: refusing the global '{qualified}': bridgetensor loads only tensors, "
            "storages, OrderedDict and plain Python values, and never imports or runs code "
            "named by a file (it may be malicious, or hold objects other than a state_dict)"
        )

    def persistent_load(self, pid):
        return self.loader.storage(pid)

    def load_build(self):
        state = self.stack.pop()
        target = self.stack[-1]
        if type(target) is not OrderedDict or type(state) is not dict or set(state) - {"_metadata"}:
            raise pickle.UnpicklingError(
                f"load: refusing to set state {_brief(state)} on a {type(target).__name__}: "
                "only an OrderedDict's _metadata (from Module.state_dict) may be restored"
            )
        target._metadata = state["_metadata"]

    dispatch[pickle.BUILD[0]] = load_build


def _brief(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _allowed_globals(loader: _ZipLoader) -> dict:
    table = {
        "collections.OrderedDict": OrderedDict,
        "builtins.set": set,
        "builtins.frozenset": frozenset,
        "builtins.complex": complex,
        "builtins.bytearray": _bytearray,
        "_codecs.encode": _encode,
        "torch.Size": lambda sizes=(): Size(int(n) for n in sizes),
        "torch.device": _torch_device,
        "torch.Tensor": _TypeMarker("Tensor"),
        "torch.nn.parameter.Parameter": _TypeMarker("Parameter"),
        "torch.storage.UntypedStorage": _StorageType("UntypedStorage", None),
        "torch.UntypedStorage": _StorageType("UntypedStorage", None),
        **{f"torch._utils.{name}": f for name, f in loader.rebuilders.items()},
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter,
        "torch._tensor._rebuild_from_type_v2": loader.rebuild_from_type_v2,
    }
    for name, d in _STORAGES.items():
        table[f"torch.{name}"] = _StorageType(name, d)
    for d in _dtypes.ALL_DTYPES:
        table[f"torch.{d.name}"] = d
    return table


def _rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    if not isinstance(data, Tensor) or type(requires_grad) is not bool:
        raise pickle.UnpicklingError("load: a Parameter must be rebuilt from a tensor and a bool")
    return Parameter(data, requires_grad)


class _ZipLoader:
    """Reads storages out of the archive on demand and rebuilds tensors over them."""

    def __init__(self, archive: zipfile.ZipFile, prefix: str, size: int, map_location) -> None:
        self.archive = archive
        self.prefix = prefix
        self.size = size
        self.map_location = map_location
        self.big_endian = False
        self.records: dict[str, np.ndarray] = {}
        # Bound once, so the table's entries can be recognised by identity.
        self.rebuilders = {
            "_rebuild_tensor": self.rebuild_tensor,
            "_rebuild_tensor_v2": self.rebuild_tensor_v2,
            "_rebuild_tensor_v3": self.rebuild_tensor_v3,
        }

    def storage(self, pid) -> _Storage:
        if not (type(pid) is tuple and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"load: unsupported persistent id {_brief(pid)}")
        _, kind, key, location, numel = pid
        if not isinstance(kind, _StorageType) or type(key) is not str:
            raise pickle.UnpicklingError(f"load: invalid storage reference {_brief(pid)}")
        if type(location) is not str or type(numel) is not int or numel < 0:
            raise pickle.UnpicklingError(f"load: invalid storage reference {_brief(pid)}")
        itemsize = 1 if kind.dtype is None else kind.dtype.itemsize
        array = self.records.get(key)
        if array is None:
            array = self.records[key] = self.read_record(key, numel * itemsize)
        elif array.nbytes != numel * itemsize:
            raise FormatError(f"load: storage {key!r} is referenced with two different sizes")
        return _Storage(array, kind.dtype, location)

    def read_record(self, key: str, nbytes: int) -> np.ndarray:
        name = f"{self.prefix}data/{key}"
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise FormatError(f"load: the archive lacks the storage record {name!r}") from None
        if info.file_size != nbytes:
            raise FormatError(
                f"load: storage record {name!r} holds {info.file_size} bytes, but its "
                f"tensors need {nbytes}; the file is corrupted"
            )
        if info.compress_type == zipfile.ZIP_STORED and nbytes > self.size:
            raise FormatError(f"load: storage record {name!r} is larger than the file")
        array = np.empty(nbytes, dtype=np.uint8)
        if nbytes:
            with _zip_errors(), self.archive.open(info) as stream:
                read_into(stream, array, f"storage {name!r}")
        return array

    def rebuild_tensor(self, storage, storage_offset, size, stride):
        return self.tensor(storage, storage_offset, size, stride, False, None, None)

    def rebuild_tensor_v2(
        self, storage, storage_offset, size, stride, requires_grad, hooks, metadata=None
    ):
        return self.tensor(storage, storage_offset, size, stride, requires_grad, metadata, None)

    def rebuild_tensor_v3(
        self, storage, storage_offset, size, stride, requires_grad, hooks, dtype, metadata=None
    ):
        if not isinstance(dtype, _dtypes.dtype):
            raise pickle.UnpicklingError(f"load: invalid tensor dtype {_brief(dtype)}")
        return self.tensor(storage, storage_offset, size, stride, requires_grad, metadata, dtype)

    def tensor(self, storage, offset, size, stride, requires_grad, metadata, dtype) -> Tensor:
        if not isinstance(storage, _Storage):
            raise pickle.UnpicklingError("load: a tensor must be rebuilt over a storage")
        if type(requires_grad) is not bool:
            raise pickle.UnpicklingError("load: a tensor's requires_grad must be a bool")
        dtype = storage.dtype if dtype is None else dtype
        if dtype is None:
            raise pickle.UnpicklingError("load: a tensor over untyped storage needs a dtype")
        array = _strided(storage.array, dtype, self.big_endian, offset, size, stride)
        if metadata:
            if type(metadata) is not dict or not set(metadata) <= {"conj", "neg"}:
                raise pickle.UnpicklingError(
                    f"load: unsupported tensor metadata {_brief(metadata)}"
                )
            # torch keeps conj() and neg() as lazy bits over unchanged memory: apply them.
            if metadata.get("conj"):
                array = np.conj(array)
            if metadata.get("neg"):
                array = np.negative(array)
        device = target_device(storage.location, self.map_location)
        return to_tensor(array, device, requires_grad=requires_grad)

    def rebuild_from_type_v2(self, func, new_type, args, state):
        # Tensors with Python attributes or of subclasses; the attributes (`state`) are
        # dropped: bridgetensor tensors have no per-object dictionary.
        known = func is _rebuild_parameter or any(func is f for f in self.rebuilders.values())
        if not known or not isinstance(new_type, _TypeMarker):
            raise pickle.UnpicklingError("load: _rebuild_from_type_v2 only rebuilds torch tensors")
        if not isinstance(args, tuple):
            raise pickle.UnpicklingError("load: _rebuild_from_type_v2 needs a tuple of arguments")
        result = func(*args)
        if new_type.name == "Parameter" and not isinstance(result, Parameter):
            result = _rebuild_parameter(result, result.requires_grad, None)
        return result


def _strided(raw: np.ndarray, dtype, big_endian: bool, offset, size, stride) -> np.ndarray:
    """A view of `raw` (a storage's bytes) as torch's (offset, size, stride) describe it,
    refused unless every element it reaches lies inside the storage."""
    np_dtype = NUMPY_OF[dtype]
    if big_endian:
        np_dtype = np_dtype.newbyteorder(">")
    size, stride = _ints(size, "size"), _ints(stride, "stride")
    if type(offset) is not int or offset < 0 or len(size) != len(stride):
        raise pickle.UnpicklingError(
            f"load: invalid tensor geometry offset={_brief(offset)}, size={size}, stride={stride}"
        )
    if raw.nbytes % np_dtype.itemsize:
        raise FormatError(
            f"load: a storage of {raw.nbytes} bytes cannot hold {dtype.name} elements"
        )
    elements = raw.view(np_dtype)
    if 0 in size:
        array = np.empty(size, dtype=np_dtype)
    else:
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        if last >= elements.size:
            raise FormatError(
                f"load: a tensor of size {list(size)}, stride {list(stride)} and offset "
                f"{offset} reaches element {last} of a storage of {elements.size}; the file "
                "is corrupted"
            )
        array = np.lib.stride_tricks.as_strided(
            elements[offset:],
            shape=size,
            strides=[s * np_dtype.itemsize for s in stride],
            writeable=not _overlaps(size, stride),
        )
    return array.astype(np_dtype.newbyteorder("=")) if big_endian else array


def _ints(values, what: str) -> tuple:
    if not isinstance(values, (tuple, list)) or not all(type(n) is int and n >= 0 for n in values):
        raise pickle.UnpicklingError(f"load: invalid tensor {what} {_brief(values)}")
    return tuple(values)


def _overlaps(size: tuple, stride: tuple) -> bool:
    """Whether two indices may reach one element (expanded tensors): kept read-only."""
    reach = 0
    for n, s in sorted((p for p in zip(size, stride) if p[0] > 1), key=lambda p: p[1]):
        if s <= reach:
            return True
        reach += (n - 1) * s
    return False


@contextmanager
def _zip_errors():
    """zipfile's many ways of failing on a damaged archive, as one FormatError."""
    try:
        yield
    except FormatError:
        raise
    except Exception as error:  # only zipfile code runs here: BadZipFile, zlib, lzma, ...
        raise FormatError(
            f"load: the zip archive is truncated or corrupted: {type(error).__name__}: {error}"
        ) from None


def load_torch_zip(stream, map_location=None):
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    with _zip_errors():
        archive = zipfile.ZipFile(stream)
        names = archive.namelist()
    pickles = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(pickles) != 1:
        if any(n.endswith("/constants.pkl") for n in names):
            raise FormatError(
                "load: this is a TorchScript archive (torch.jit.save), which holds code; "
                "bridgetensor reads only torch.save checkpoints"
            )
        raise FormatError(
            "load: the zip archive is not a PyTorch checkpoint (it has no <name>/data.pkl)"
        )
    prefix = pickles[0][: -len("data.pkl")]
    loader = _ZipLoader(archive, prefix, size, map_location)
    with _zip_errors():
        order = archive.read(prefix + "byteorder") if prefix + "byteorder" in names else b"little"
        data = archive.read(pickles[0])
    if order not in (b"little", b"big"):
        raise FormatError(f"load: unknown byte order {order!r} in the archive")
    loader.big_endian = order == b"big"
    unpickler = _Unpickler(data, loader)
    try:
        return unpickler.load()
    except (pickle.UnpicklingError, FormatError):
        raise
    except (
        TypeError,
        ValueError,
        IndexError,
        KeyError,
        AttributeError,
        EOFError,
        RecursionError,
        struct.error,
    ) as error:
        raise pickle.UnpicklingError(
            f"load: data.pkl is corrupted or malformed: {type(error).__name__}: {error}"
        ) from None
