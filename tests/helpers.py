"""Helpers for tests: backend-neutral views of tensors."""

from __future__ import annotations

import numpy as np

import bridgetensor as bt


def to_np(t) -> np.ndarray:
    """A tensor's values as a NumPy array, whatever its backend (a copy where needed)."""
    return np.asarray(bt.to_numpy(t.detach()))
