"""Sorting, searching and set ops under torch's names (sort, topk, unique, ...)."""

from __future__ import annotations

__all__ = ["SortingMethods"]


class SortingMethods:
    __slots__ = ()
