"""Utilities with torch's names: ``bridgetensor.utils.data`` (datasets, samplers, DataLoader)."""

from . import data

__all__ = ["data"]
