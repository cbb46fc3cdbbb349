"""Helpers for tests: backend- and device-neutral views of tensors and of what they print."""

from __future__ import annotations

import re

import numpy as np

import bridgetensor as bt


def to_np(t) -> np.ndarray:
    """A tensor's values as a NumPy array, whatever its backend (a copy where needed)."""
    return np.asarray(bt.to_numpy(t.detach()))


def default_device() -> bt.device:
    """The device new tensors land on in this run: 'cpu', 'cuda:0' on CuPy, or the
    $BRIDGETENSOR_DEVICE of a device run (array-api-strict's 'device1')."""
    return bt.zeros(()).device


def type_name(name: str) -> str:
    """`Tensor.type()` of a tensor on the default device: "bridgetensor.FloatTensor", or
    "bridgetensor.cuda.FloatTensor" on a CUDA GPU (as torch names its types)."""
    prefix = "bridgetensor.cuda." if default_device().type == "cuda" else "bridgetensor."
    return prefix + name


# torch's repr puts the device first among the suffixes, wrapped onto its own line when
# the last line is full: ", device='cuda:0'" or ",\n       device='cuda:0'".
_DEVICE_SUFFIX = re.compile(r",\s*device='([^']*)'")


def without_device(text: str, device=None, *, count: int = 1) -> str:
    """`text` (a repr, or a message quoting `count` reprs) without the device suffixes,
    after checking that each names `device` (the default one unless given) and that there
    are `count` of them off the host and none on it. Expected texts then hold for every
    device: ``assert without_device(repr(t)) == "tensor([1., 2.])"``.
    """
    device = default_device() if device is None else bt.device(device)
    found = _DEVICE_SUFFIX.findall(text)
    expected = [] if device.type == "cpu" else [str(device)] * count
    assert found == expected, f"device suffixes {found}, expected {expected}, in {text!r}"
    return _DEVICE_SUFFIX.sub("", text)
