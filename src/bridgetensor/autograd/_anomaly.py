"""What anomaly mode adds to a node: its forward call site, and copies of what it saved.

torch's version counters see every write made through torch. bridgetensor tensors can
also share memory with NumPy arrays (``from_numpy``, ``.numpy()``, ``np.asarray``), and a
write through such an array bumps no counter: backward would then silently use the new
values. Under ``detect_anomaly()`` each node keeps a copy of every array its backward
reads, and backward compares before using them. All of this costs time and memory, and
is done only in anomaly mode (one flag test on the op path, which was already there).
"""

from __future__ import annotations

import os
import traceback
import warnings

__all__ = ["check_unchanged", "record", "release", "warn_forward_trace"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Snapshot:
    """A node's forward call site and copies of the arrays its backward will read.

    Each entry is (what, type name, read, key, copy, xp): ``read(node, key)`` finds the
    array as it is now, so an entry holds no reference back to its node.
    """

    __slots__ = ("entries", "trace")

    def __init__(self) -> None:
        self.trace = _user_stack()
        self.entries = []

    def add_tensor(self, what: str, tensor) -> None:
        array = tensor._data
        xp = tensor._be.xp
        copy = xp.asarray(array, copy=True)
        self.entries.append((what, _describe(tensor), _tensor_data, tensor, copy, xp))

    def add_array(self, what: str, read, key, array, backend) -> None:
        from ._primitive import _wrap

        copy = backend.xp.asarray(array, copy=True)
        described = _describe(_wrap(array, backend, None))
        self.entries.append((what, described, read, key, copy, backend.xp))


def _describe(tensor) -> str:
    return f"[{tensor.type()} {list(tensor.shape)}]"


def _tensor_data(node, tensor):
    return tensor._data


def _output_array(node, nr):
    return node.out.arrays[nr]


def _user_stack() -> list:
    """The current call stack without bridgetensor's own frames."""
    frames = traceback.extract_stack()[:-1]
    return [f for f in frames if not os.path.abspath(f.filename).startswith(_PACKAGE)]


def record(node, saved=(), out=None) -> Snapshot:
    """Remember where `node` was made and what its saved tensors and outputs hold now."""
    snap = Snapshot()
    for position, t in enumerate(saved):
        if hasattr(t, "_data") and hasattr(t._data, "dtype"):
            snap.add_tensor(f"its saved input {position}", t)
    if out is not None:
        for nr, array in enumerate(out.arrays):
            snap.add_array(f"its output {nr}", _output_array, nr, array, out.backend)
    node._hooks()["anomaly"] = snap
    return snap


def release(node) -> None:
    """Drop the copies once the node's saved values are freed (keep the call site)."""
    snap = node.hooks.get("anomaly") if node.hooks else None
    if snap is not None:
        snap.entries = []


def _same(array, copy, xp) -> bool:
    if array.shape != copy.shape or array.dtype != copy.dtype:
        return False
    equal = (array == copy) | ((array != array) & (copy != copy))
    return bool(xp.all(equal))


def check_unchanged(node) -> None:
    """Raise if something `node` saved differs from its copy made at record time."""
    snap = node.hooks.get("anomaly") if node.hooks else None
    if snap is None:
        return
    for what, type_name, read, key, copy, xp in snap.entries:
        if not _same(read(node, key), copy, xp):
            raise RuntimeError(_changed_message(node, what, type_name))


def _changed_message(node, what: str, described: str) -> str:
    return (
        f"detect_anomaly: {what} {described}, needed to compute the gradient of {node.name()}, "
        "was changed after the forward pass by a write that bridgetensor could not see "
        "(for example through a NumPy array sharing its memory, from from_numpy() or "
        ".numpy()); its gradient would be wrong. Copy the data (tensor.clone()) before "
        "writing to it, or write after backward."
    )


def warn_forward_trace(node) -> None:
    """torch's warning naming the forward call behind a node whose backward failed."""
    snap = node.hooks.get("anomaly") if node.hooks else None
    if snap is None:
        return
    stack = "".join(traceback.format_list(snap.trace))
    warnings.warn(
        f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
        f"{stack}",
        UserWarning,
        stacklevel=2,
    )
