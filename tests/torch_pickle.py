"""Hand-built PyTorch checkpoints, byte by byte, for tests that must not need torch."""

from __future__ import annotations

import io
import struct
import zipfile


def pickle_global(module: str, name: str) -> bytes:
    return f"c{module}\n{name}\n".encode()


def pickle_int(n: int) -> bytes:
    return b"J" + struct.pack("<i", n)


def pickle_str(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def pickle_tuple(items) -> bytes:
    return b"(" + b"".join(items) + b"t"


def tensor_pickle(
    numel, offset=0, size=(), stride=(), *, storage="FloatStorage", location="cpu"
) -> bytes:
    """data.pkl of ``_rebuild_tensor_v2(storage "0", offset, size, stride, False, {})``."""
    pid = pickle_tuple(
        [
            pickle_str("storage"),
            pickle_global("torch", storage),
            pickle_str("0"),
            pickle_str(location),
            pickle_int(numel),
        ]
    )
    args = pickle_tuple(
        [
            pid + b"Q",
            pickle_int(offset),
            pickle_tuple(map(pickle_int, size)),
            pickle_tuple(map(pickle_int, stride)),
            b"\x89",
            pickle_global("collections", "OrderedDict") + b")R",
        ]
    )
    return b"\x80\x02" + pickle_global("torch._utils", "_rebuild_tensor_v2") + args + b"R."


def zip_archive(data_pkl: bytes, storages=None, *, order=b"little", extra=None) -> bytes:
    """A zip laid out as torch.save writes it, around the given pickle and storages."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", data_pkl)
        archive.writestr("archive/byteorder", order)
        for key, payload in (storages or {}).items():
            archive.writestr(f"archive/data/{key}", payload)
        for name, payload in (extra or {}).items():
            archive.writestr(name, payload)
        archive.writestr("archive/version", b"3\n")
    return buffer.getvalue()
