"""`__array_namespace_info__()`: what this namespace supports, for generic code to ask."""

from __future__ import annotations

from .. import _dtypes
from .._backend import CPU, default_backend, device
from ._data_types import DTYPES, isdtype

__all__ = ["__array_namespace_info__"]


class Info:
    """The standard's inspection object (capabilities, devices and default dtypes).

    >>> import bridgetensor.array_api as xp
    >>> xp.__array_namespace_info__().default_dtypes()["indexing"]
    bridgetensor.int64
    """

    __module__ = "bridgetensor.array_api"

    def capabilities(self) -> dict:
        """Boolean indexing and data-dependent shapes are supported; up to 64 dimensions."""
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        """Where arrays made without `device=` go: the default backend's host device."""
        return CPU if not default_backend().is_gpu else device("cuda", 0)

    def devices(self) -> list:
        """The devices arrays can be placed on ("cuda" devices need CuPy and a GPU)."""
        found = [CPU]
        try:
            import cupy

            found += [device("cuda", i) for i in range(cupy.cuda.runtime.getDeviceCount())]
        except Exception:  # no CuPy, or no GPU: host only
            pass
        return found

    def default_dtypes(self, *, device=None) -> dict:
        """The dtypes of arrays made from Python numbers and of index arrays."""
        return {
            "real floating": _dtypes.get_default_dtype(),
            "complex floating": _dtypes._default["complex"],
            "integral": _dtypes.int64,
            "indexing": _dtypes.int64,
        }

    def dtypes(self, *, device=None, kind=None) -> dict:
        """The supported dtypes by name, optionally of one `kind` (as in `isdtype`)."""
        if kind is None:
            return dict(DTYPES)
        return {name: d for name, d in DTYPES.items() if isdtype(d, kind)}


def __array_namespace_info__() -> Info:
    """The namespace's inspection object.

    >>> import bridgetensor.array_api as xp
    >>> xp.__array_namespace_info__().capabilities()["boolean indexing"]
    True
    """
    return Info()
