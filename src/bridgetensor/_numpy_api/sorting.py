"""NumPy's sort, argsort and unique family."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..autograd import _mode
from ._core import Unsupported, as_tensor, implements

__all__: list = []


def _sortable(a, axis, kind, order, name):
    if order is not None:
        raise Unsupported("order=")
    x = as_tensor(a, name)
    if x._data.dtype.kind == "c":
        raise Unsupported("complex values (NumPy orders them lexicographically)")
    if axis is None:
        return ops.reshape(x, shape=(-1,)), -1
    return x, axis


@implements(np.sort)
def _sort(a, axis=-1, kind=None, order=None, *, stable=None):
    x, axis = _sortable(a, axis, kind, order, "np.sort")
    return ops.sort(x, axis=axis)


@implements(np.argsort)
def _argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    x, axis = _sortable(a, axis, kind, order, "np.argsort")
    # Stable always: one valid order of NumPy's (whose default sort need not be stable).
    return ops.argsort(x, axis=axis, stable=True)


def _distinct(x, name):
    """x, checked: the unique family has no gradient, and NaNs stay distinct in our op."""
    if x._requires_grad and _mode.state.grad_enabled and x._data.dtype.kind in "fc":
        raise Unsupported("unique values have no gradient")
    return x


@implements(np.unique)
def _unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
            equal_nan=True, sorted=True):  # fmt: skip
    x = _distinct(as_tensor(ar, "np.unique"), "np.unique")
    if equal_nan and x._data.dtype.kind in "fc" and bool(np.isnan(x._data).any()):
        raise Unsupported("NaNs, which NumPy collapses into one")
    values, index, inverse, counts = ops.unique_all(x, axis=axis)
    if not (return_index or return_inverse or return_counts):
        return values
    found = [values]
    if return_index:
        found.append(index)
    if return_inverse:
        found.append(inverse)
    if return_counts:
        found.append(counts)
    return tuple(found)


@implements(np.unique_values)
def _unique_values(x):
    x = _distinct(as_tensor(x, "np.unique_values"), "np.unique_values")
    return ops.unique_values(x)


@implements(np.unique_counts)
def _unique_counts(x):
    x = _distinct(as_tensor(x, "np.unique_counts"), "np.unique_counts")
    return ops.unique_counts(x)


@implements(np.unique_inverse)
def _unique_inverse(x):
    x = _distinct(as_tensor(x, "np.unique_inverse"), "np.unique_inverse")
    return ops.unique_inverse(x)


@implements(np.unique_all)
def _unique_all(x):
    x = _distinct(as_tensor(x, "np.unique_all"), "np.unique_all")
    return ops.unique_all(x)
