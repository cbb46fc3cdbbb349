"""In-place writes that are not an op's `_` form: copy_, fill_, zero_."""

from __future__ import annotations

from .. import ops

__all__ = ["InplaceMethods"]


class InplaceMethods:
    __slots__ = ()

    def copy_(self, src, non_blocking: bool = False):
        """Write `src`'s values (broadcast, cast) into this tensor; returns self."""
        if src._be is not self._be:
            from .._interop import to_device

            src = to_device(src, self.device)
        return ops.copy.inplace(self, src)

    def fill_(self, value):
        """Set every element to `value`; returns self."""
        return ops.fill.inplace(self, value)

    def zero_(self):
        """Set every element to zero; returns self."""
        return ops.fill.inplace(self, 0)
