"""Indexing under torch's rules: Tensor keys, ``t[key]`` reads and ``t[key] = v`` writes."""

from __future__ import annotations

from .. import ops
from ..autograd import _mode
from ..autograd._primitive import _record, bump_version, check_inplace_target

__all__ = ["IndexingMethods", "unwrap_key"]


def _is_tensor(value) -> bool:
    from ..autograd import _primitive

    return isinstance(value, _primitive.Tensor)


def unwrap_key(key, backend):
    """An index key with Tensors and lists replaced by the backend's arrays."""
    if isinstance(key, tuple):
        return tuple(_unwrap_one(k, backend) for k in key)
    return _unwrap_one(key, backend)


def _unwrap_one(k, backend):
    if _is_tensor(k):
        if k._be is not backend:
            raise RuntimeError(
                f"indices are on the {k._be.name} backend but the indexed tensor on {backend.name}"
            )
        return k._data
    if isinstance(k, (list, range)):
        return backend.xp.asarray(list(k))
    return k


class IndexingMethods:
    __slots__ = ()

    def __getitem__(self, key):
        return ops.getitem(self, key=unwrap_key(key, self._be))

    def __setitem__(self, key, value):
        check_inplace_target("setitem", self)
        be = self._be
        key = unwrap_key(key, be)
        if _is_tensor(value):
            if value._be is not be:
                raise RuntimeError(
                    f"setitem: value is on the {value._be.name} backend but the tensor on {be.name}"
                )
            array = value._data
            if array.dtype != self._data.dtype:
                array = be.xp.astype(array, self._data.dtype)
        elif isinstance(value, (int, float, bool, complex)):
            array = value
        else:
            value = self._from_value(value)
            array = value._data
        needs_graph = _mode.state.grad_enabled and (
            self._requires_grad or (_is_tensor(value) and value._requires_grad)
        )
        self._data = be.set_item(self._data, key, array)
        bump_version(self)
        if needs_graph:
            if self._base is not None and self._base._requires_grad:
                from ..autograd._views import rebase_view_write

                rebase_view_write(self, key, value)
            else:
                _record(ops.setitem, (self, value), {"key": key}, (self,))

    def _from_value(self, value):
        from .._creation import tensor

        return tensor(value, dtype=self.dtype, device=self.device)
