"""Index keys: parsed once into a basic part (a view) and an advanced part (a gather).

``x[key]`` is done in two steps on every backend: the basic entries (integers, slices,
None) make a view, then the integer arrays (masks become their nonzero() arrays) gather
from it. Applying integers first is torch's rule (``x[0, :, [1, 2]]`` has shape (3, 2) for
x of shape (2, 3, 4), where NumPy gives (2, 3)); with ``torch_rules=False`` integers next
to arrays stay advanced, as NumPy and the array-API standard place them.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .. import _dtypes
from .._index_keys import cover, indexed_shape, is_array
from ..autograd import _primitive

__all__ = ["Key", "as_key", "native_key", "parse", "read", "result_shape", "write"]

FULL = slice(None)
_TENSOR_INDEX_ERROR = "tensors used as indices must be long, int, byte or bool tensors"


class Key:
    """A parsed key: ``basic`` (ints/slices/None, ends in Ellipsis; None: nothing to do),
    ``advanced`` (slice(None)s and integer arrays applied after it; None: no arrays), the
    result ``shape`` and the torch grad_fn name of the basic step."""

    __slots__ = ("advanced", "basic", "grad_name", "shape")

    def __init__(self, basic, advanced=None, shape=None, grad_name="SliceBackward0") -> None:
        self.basic = basic
        self.advanced = advanced
        self.shape = shape
        self.grad_name = grad_name

    def __repr__(self) -> str:
        return f"Key(basic={self.basic!r}, advanced={self.advanced!r})"


class _Bool:
    """A Python bool or 0-d mask: adds an axis of length 1 (True) or 0 (False)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value


def _is_full(k) -> bool:
    return k.start is None and k.stop is None and k.step in (None, 1)


def _as_int(value):
    return None if value is None else operator.index(value)


def _index_error(k):
    kind = "float" if isinstance(k, float) else type(k).__name__
    return IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {kind})"
    )


def _entry(k, backend):
    """One key entry in a normal form: None, Ellipsis, int, slice, _Bool or a backend array."""
    if k is None or k is Ellipsis or type(k) is int:
        return k
    if isinstance(k, (bool, np.bool_)):
        return _Bool(bool(k))
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, slice):
        return slice(_as_int(k.start), _as_int(k.stop), _as_int(k.step))
    if isinstance(k, _primitive.Tensor):
        if k._be is not backend:
            raise RuntimeError(
                f"indices are on the {k._be.name} backend but the indexed tensor is on "
                f"{backend.name}"
            )
        data = k._data
        if data.ndim == 0 and backend.kinds.get(data.dtype) == "i":
            return int(k.item())  # torch indexes with a 0-d integer tensor as with an int
        return _array_entry(data, backend)
    if type(k) is backend.array_type and not backend.is_numpy:  # a raw key (array-API face)
        return _array_entry(k, backend)
    if isinstance(k, (list, range, np.ndarray)):
        host = np.asarray(k)
        if host.dtype == object or (host.size and host.dtype.kind not in "biu"):
            raise IndexError(_TENSOR_INDEX_ERROR)
        if host.size == 0:
            host = host.astype(np.int64)
        return _array_entry(host if backend.is_numpy else backend.xp.asarray(host), backend)
    if isinstance(k, float) or not hasattr(k, "__index__"):
        if isinstance(k, float):
            raise _index_error(k)
        raise TypeError(
            f"index: expected an integer, slice, None, Ellipsis, list or integer/bool tensor; "
            f"got {type(k).__name__}"
        )
    return operator.index(k)


def _array_entry(a, backend):
    kind = backend.kinds.get(a.dtype) or np.dtype(str(a.dtype).rsplit(".", 1)[-1]).kind
    if kind == "b" or (kind == "u" and a.dtype == backend.native.get(_dtypes.uint8)):
        if a.ndim == 0:
            return _Bool(bool(a))
        if kind != "b":
            a = a != 0  # torch's legacy byte masks
        return ("mask", a)
    if kind not in "iu":
        raise IndexError(_TENSOR_INDEX_ERROR)
    return a


def _width(k) -> int:
    if k is None or k is Ellipsis or isinstance(k, _Bool):
        return 0
    if isinstance(k, tuple):
        return k[1].ndim
    return 1


def _check_int(i: int, dim: int, size: int) -> None:
    if not -size <= i < size:
        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")


def _check_array(xp, a, dim: int, size: int) -> None:
    if math.prod(a.shape) == 0:
        return
    # The array's own methods where it has them: NumPy's skip the np.max wrapper (~3 us).
    high = int(a.max() if hasattr(a, "max") else xp.max(a))
    if high >= size:
        raise IndexError(f"index {high} is out of bounds for dimension {dim} with size {size}")
    low = int(a.min() if hasattr(a, "min") else xp.min(a))
    if low < -size:
        raise IndexError(f"index {low} is out of bounds for dimension {dim} with size {size}")


def _check_mask(mask, dim: int, shape) -> None:
    for i, n in enumerate(mask.shape):
        if dim + i < len(shape) and shape[dim + i] != n:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {i} does not match the "
                f"shape of the indexed tensor {list(shape)} at index {dim + i}"
            )


_SIMPLE = (int, slice)


def _parse_simple(key, shape, torch_rules):
    """The common keys (ints and slices only, no more than the dimensions): no arrays."""
    grad_name = "AliasBackward0"
    for dim, k in enumerate(key):
        if type(k) is int:
            size = shape[dim]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
            grad_name = "SelectBackward0"
        else:
            step = k.step
            if step is not None and (step <= 0 if torch_rules else step == 0):
                raise ValueError(
                    "step must be greater than zero" if step < 0 else "slice step cannot be zero"
                )
            if k.start is not None or k.stop is not None or step not in (None, 1):
                grad_name = "SliceBackward0"
    return Key((*key, Ellipsis), None, None, grad_name)


def parse(key, shape, backend, *, torch_rules: bool = True) -> Key:
    """Check `key` against `shape` (torch's errors) and split it; see the module docstring."""
    kind = type(key)
    if kind in _SIMPLE:
        if len(shape):
            return _parse_simple((key,), shape, torch_rules)
    elif (
        kind is tuple
        and len(key) <= len(shape)
        and all(type(k) in _SIMPLE and (type(k) is int or _plain(k)) for k in key)
    ):
        return _parse_simple(key, shape, torch_rules)
    elif kind in _primitive.TENSOR_TYPES and key._be is backend and len(shape):
        data = key._data
        if data.ndim and backend.kinds[data.dtype] == "i":  # t[index_tensor]: the usual gather
            _check_array(backend.xp, data, 0, shape[0])
            return Key(None, (data,), None, "IndexBackward0")
    xp = backend.xp
    items = [_entry(k, backend) for k in (key if isinstance(key, tuple) else (key,))]
    ndim = len(shape)
    used = sum(_width(k) for k in items)
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    arrays = any(is_array(k) or isinstance(k, (tuple, _Bool)) for k in items)
    index_dtype = backend.native[_dtypes.int64]
    basic, advanced = [], []
    grad_name = "AliasBackward0"
    dim = 0
    seen_ellipsis = False
    for k in items:
        if k is Ellipsis:
            if seen_ellipsis:
                # torch expands every ellipsis, into axes the tensor may not have: refuse.
                raise IndexError("an index can only have a single ellipsis ('...')")
            seen_ellipsis = True
            count = ndim - used
            basic += [FULL] * count
            advanced += [FULL] * count
            dim += count
        elif k is None:
            basic.append(None)
            advanced.append(FULL)
            grad_name = "UnsqueezeBackward0"
        elif isinstance(k, int):
            _check_int(k, dim, shape[dim])
            if arrays and not torch_rules:
                basic.append(FULL)
                advanced.append(k)
            else:
                basic.append(k)
                grad_name = "SelectBackward0"
            dim += 1
        elif isinstance(k, slice):
            if torch_rules and k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            if k.step == 0:
                raise ValueError("slice step cannot be zero")
            basic.append(k)
            advanced.append(FULL)
            if not _is_full(k):
                grad_name = "SliceBackward0"
            dim += 1
        elif isinstance(k, _Bool):
            basic.append(None)
            advanced.append(xp.zeros((1 if k.value else 0,), dtype=index_dtype))
        elif isinstance(k, tuple):  # a mask
            mask = k[1]
            _check_mask(mask, dim, shape)
            basic += [FULL] * mask.ndim
            advanced += list(xp.nonzero(mask))
            dim += mask.ndim
        else:
            # torch numbers an index tensor's dimension among the indexed ones
            _check_array(xp, k, sum(1 for a in advanced if a is not FULL), shape[dim])
            basic.append(FULL)
            advanced.append(k)
            dim += 1
    basic_key = None if arrays and all(b is FULL for b in basic) else (*basic, Ellipsis)
    return Key(basic_key, tuple(advanced) if arrays else None, None, grad_name)


def _plain(k: slice) -> bool:
    """A slice of Python ints (torch also takes tensors for its bounds)."""
    return all(type(v) is int or v is None for v in (k.start, k.stop, k.step))


def result_shape(key: Key, shape, backend) -> tuple:
    """The shape ``x[key]`` has for an x of `shape` (found without indexing)."""
    if key.shape is not None:
        return key.shape
    xp = backend.xp
    after = tuple(shape) if key.basic is None else indexed_shape(xp, key.basic, tuple(shape))
    if key.advanced is not None:
        after = indexed_shape(xp, key.advanced, after)
    key.shape = after
    return after


def as_key(key) -> Key:
    """A Key for a raw NumPy-style key given to a primitive (basic or all-advanced)."""
    if isinstance(key, Key):
        return key
    if any(is_array(k) or isinstance(k, (list, np.ndarray)) for k in _entries_of(key)):
        return Key(None, key)
    return Key(cover_key(key))


def _entries_of(key) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def native_key(key, backend):
    """`key` with lists and other libraries' arrays (NumPy's, in op-table rows) converted."""
    if backend.is_numpy and not any(isinstance(k, list) for k in _entries_of(key)):
        return key
    converted = []
    for k in _entries_of(key):
        if isinstance(k, list) or (is_array(k) and type(k) is not backend.array_type):
            k = backend.xp.asarray(np.asarray(k) if isinstance(k, list) else k)
        converted.append(k)
    return tuple(converted)


# ---------------------------------------------------------------- on raw arrays


def read(backend, data, key: Key):
    """``data[key]`` on raw arrays."""
    if key.basic is not None:
        data = backend.index(data, key.basic)
    if key.advanced is not None:
        data = backend.index(data, native_key(key.advanced, backend))
    return data


def write(backend, data, key: Key, value, accumulate: bool = False):
    """``data[key] = value`` (or ``+=`` with repeated indices summing) on raw arrays.

    In place where the backend's slices alias their source (returns `data`); elsewhere
    (JAX, Dask) a new array.
    """
    if math.prod(data.shape) == 0:
        return data  # nothing to write (torch checks no indices then)
    basic = key.basic
    region = data if basic is None else backend.index(data, basic)
    advanced = (Ellipsis,) if key.advanced is None else native_key(key.advanced, backend)
    if getattr(value, "ndim", 0) and value.shape[0] == 1:
        rank = len(result_shape(key, data.shape, backend))
        if value.ndim > rank:  # leading axes of length 1, which torch drops
            value = backend.xp.reshape(value, tuple(value.shape[value.ndim - rank :]))
    if accumulate:
        if key.advanced is None:
            region = backend.index_put(region, advanced, region + value)
        else:
            region = backend.scatter_add(region, advanced, value)
    else:
        region = backend.index_put(region, advanced, value)
    if backend.views_alias:
        return data  # written through `region`
    return region if basic is None else backend.index_put(data, basic, region)


def cover_key(key):
    """A basic key that names every axis (array-api-strict refuses others)."""
    if type(key) is tuple and key and key[-1] is Ellipsis:
        return key
    return cover(key)
