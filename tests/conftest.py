"""Shared fixtures. The whole suite runs once per backend: tox sets BRIDGETENSOR_BACKEND.

Tests build tensors through bridgetensor's own API, so they exercise whichever backend is
the default; `backend` tells a test which one that is, and `numpy_only` / `needs` mark the
few that depend on a backend's features (memory sharing with NumPy, mutability).
"""

from __future__ import annotations

import os

import pytest

import bridgetensor as bt

BACKEND = bt.get_default_backend()


@pytest.fixture
def backend() -> str:
    """The name of the backend this run tests ("numpy", "array_api_strict", "torch", ...)."""
    return BACKEND


numpy_only = pytest.mark.skipif(
    BACKEND != "numpy", reason="checks memory shared with NumPy arrays (NumPy backend only)"
)


def pytest_report_header(config):
    chosen = os.environ.get("BRIDGETENSOR_BACKEND")
    return f"bridgetensor backend: {BACKEND} (BRIDGETENSOR_BACKEND={chosen})"
