"""save and load: tensors and nested containers of them, without running code on load.

Two formats (docs/serialization.md describes both byte for byte):

- ``"safetensors"`` (the default): a valid safetensors file, whose metadata also holds
  the nesting (dicts, lists, tuples, numbers, ...) as JSON text;
- ``"torch"``: PyTorch's zip checkpoint, which ``torch.load(f, weights_only=True)`` reads.

`load` tells them apart by their first bytes and reads both, plus plain safetensors files
and checkpoints written by ``torch.save``, with a restricted unpickler that refuses any
global other than tensors, storages, OrderedDict and plain Python values.
"""

from __future__ import annotations

import io
import os
from contextlib import contextmanager

from ._serial_io import FormatError, target_device
from ._serial_safetensors import load_safetensors, prepare_safetensors
from ._serial_torch_load import load_torch_zip
from ._serial_torch_save import prepare_torch_zip

__all__ = ["FormatError", "load", "save"]

_WRITERS = {"safetensors": prepare_safetensors, "torch": prepare_torch_zip}
# torch.save's first format (before 1.6): a pickle stream opening with this magic number.
_LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"


def save(obj, f, *, format: str = "safetensors") -> None:
    """Write `obj` (a tensor, or dicts/lists/tuples of tensors and Python values, such as
    a state_dict or an optimizer's state) to a path or binary file object.

    ``format="torch"`` writes PyTorch's zip checkpoint, which
    ``torch.load(f, weights_only=True)`` reads.

    >>> import io, bridgetensor as bt
    >>> buffer = io.BytesIO()
    >>> bt.save({"w": bt.ones(2), "step": 3}, buffer)
    >>> _ = buffer.seek(0); bt.load(buffer)
    {'w': tensor([1., 1.]), 'step': 3}
    """
    writer = _WRITERS.get(format)
    if writer is None:
        raise ValueError(f"save: format must be 'safetensors' or 'torch'; got {format!r}")
    write = writer(obj)  # refuses what cannot be stored before the file is touched
    with _opened(f, "wb") as stream:
        write(stream)


def load(f, map_location=None, *, weights_only: bool | None = None, mmap: bool | None = None):
    """Read what `save` or ``torch.save`` wrote (or a plain safetensors file) from a path or
    binary file object.

    Loading never executes code from the file: the safetensors format is JSON and raw
    bytes, and PyTorch checkpoints are read with an unpickler that accepts only tensors,
    storages, OrderedDict and plain Python values (``weights_only`` is therefore always
    in force; the argument is accepted for PyTorch compatibility). `map_location` moves
    tensors: a device, a device string, or a dict from saved to wanted device names.
    ``mmap`` is accepted and ignored: the data is read into memory.

    >>> import io, bridgetensor as bt
    >>> buffer = io.BytesIO(); bt.save([bt.tensor([1, 2])], buffer, format="torch")
    >>> _ = buffer.seek(0); bt.load(buffer)
    [tensor([1, 2])]
    """
    target_device("cpu", map_location)  # refuses a bad map_location before reading
    with _opened(f, "rb") as stream:
        stream = _seekable_from_start(stream)
        head = stream.read(_HEAD)
        stream.seek(0)
        if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            return load_torch_zip(stream, map_location)
        if len(head) > 8 and head[8:9] == b"{":
            return load_safetensors(stream, map_location)
        raise FormatError(_unknown_format(head))


_HEAD = 512


def _unknown_format(head: bytes) -> str:
    if head.startswith(_LEGACY_MAGIC) or head[257:262] == b"ustar":
        return (
            "load: this is a legacy PyTorch file (torch.save before 1.6, or "
            "_use_new_zipfile_serialization=False), which bridgetensor does not read. "
            "Re-save it in the zip format with PyTorch: torch.save(torch.load(path), path)"
        )
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return (
            "load: this is a plain pickle file; bridgetensor reads only safetensors files "
            "and PyTorch zip checkpoints, and never unpickles arbitrary objects"
        )
    if len(head) < 9:
        return f"load: the file is empty or truncated ({len(head)} bytes)"
    return (
        "load: unrecognised file format: neither a safetensors file (what bridgetensor.save "
        "writes) nor a PyTorch zip checkpoint"
    )


@contextmanager
def _opened(f, mode: str):
    if isinstance(f, (str, os.PathLike)):
        with open(f, mode) as stream:
            yield stream
        return
    needed = "write" if "w" in mode else "read"
    if not hasattr(f, needed):
        raise TypeError(
            f"{'save' if needed == 'write' else 'load'}: f must be a path or a binary file "
            f"object with .{needed}(); got {type(f).__name__}"
        )
    if isinstance(f, io.TextIOBase):
        raise TypeError("serialization needs a binary file object; open the file in binary mode")
    yield f


def _seekable_from_start(stream):
    """`stream` itself when it can seek and is at its start, else its bytes in memory."""
    seekable = getattr(stream, "seekable", None)
    if seekable is not None and seekable() and stream.tell() == 0:
        return stream
    return io.BytesIO(stream.read())
