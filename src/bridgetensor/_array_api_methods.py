"""The Tensor methods the array-API standard adds: `__array_namespace__` and `to_device`.

Kept apart from the namespace itself (bridgetensor.array_api imports the ops, which
need the Tensor class), so the Tensor can inherit them at import time.
"""

from __future__ import annotations

__all__ = ["ArrayApiMethods"]


class ArrayApiMethods:
    __slots__ = ()

    def __array_namespace__(self, /, *, api_version=None):
        """The array-API namespace for this tensor: `bridgetensor.array_api` (2024.12), or
        its 2023.12 view.

        >>> import bridgetensor as bt
        >>> bt.zeros(2).__array_namespace__().__name__
        'bridgetensor.array_api'
        """
        from .array_api._versions import namespace

        return namespace(api_version)

    def to_device(self, device, /, *, stream=None):
        """This tensor on `device` (itself when already there), differentiably.

        >>> import bridgetensor as bt
        >>> t = bt.zeros(2); t.to_device(t.device) is t
        True
        """
        if stream is not None:
            raise ValueError("to_device: streams are not supported (stream must be None)")
        from ._interop import to_device

        return to_device(self, device)
