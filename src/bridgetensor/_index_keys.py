"""Index keys any array-API library accepts, built from NumPy-style ones (pure `xp`).

The standard leaves out much of what NumPy's indexing does: array-api-strict refuses a
multi-axis key that does not cover every axis (without an Ellipsis), and integer arrays
mixed with slices or None. `cover` fixes the first; `expand` turns any NumPy-semantics key
into one integer array per axis that picks the same elements in the same layout, which
every library's indexing, ``index_put_`` and scatter accept.
"""

from __future__ import annotations

import operator

import numpy as np

__all__ = [
    "clipped",
    "cover",
    "expand",
    "has_arrays",
    "indexed_shape",
    "is_array",
    "positive_steps",
]

_FULL = slice(None)


def is_array(k) -> bool:
    """Whether an index entry is an array (NumPy integer scalars count as integers)."""
    return hasattr(k, "shape") and hasattr(k, "dtype") and not isinstance(k, np.generic)


def has_arrays(key) -> bool:
    if isinstance(key, tuple):
        return any(is_array(k) for k in key)
    return is_array(key)


def cover(key):
    """`key` as a tuple that names every axis (a trailing Ellipsis when it has none)."""
    key = key if isinstance(key, tuple) else (key,)
    if any(k is Ellipsis for k in key):
        return key
    return (*key, Ellipsis)


def _is_bool_array(xp, k) -> bool:
    return is_array(k) and k.dtype == xp.bool


def _entries(xp, key, ndim):
    """The key's entries with masks as their nonzero() arrays and the Ellipsis expanded."""
    key = key if isinstance(key, tuple) else (key,)
    flat = []
    for k in key:
        if _is_bool_array(xp, k):
            flat.extend(xp.nonzero(k) if k.ndim else ())
        else:
            flat.append(k)
    used = sum(1 for k in flat if k is not None and k is not Ellipsis)
    entries = []
    for k in flat:
        if k is Ellipsis:
            entries.extend([_FULL] * (ndim - used))
            used = ndim
        else:
            entries.append(k)
    entries.extend([_FULL] * (ndim - used))
    return entries


def _broadcast_shapes(shapes) -> tuple:
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s):
            j = ndim - len(s) + i
            if n != 1:
                if out[j] not in (1, n):
                    raise IndexError(
                        "shape mismatch: indexing tensors could not be broadcast together with "
                        f"shapes {', '.join(str(list(t)) for t in shapes)}"
                    )
                out[j] = n
    return tuple(out)


def _layout(entries, shape):
    """The result's axes of indexing with `entries`, and the advanced indices' shape.

    Each axis is ("dim", axis, slice), ("new",) for None, or ("index",) standing for all
    the broadcast index axes, which go where the advanced entries are when those are next
    to each other, else first (NumPy's rule; torch's too once integers are applied).
    """
    advanced = [i for i, k in enumerate(entries) if is_array(k) or _is_int(k)]
    if not any(is_array(entries[i]) for i in advanced):
        advanced = []  # integers alone are basic indices: they only drop their axis
    index_shape = _broadcast_shapes([_shape_of(entries[i]) for i in advanced])
    adjacent = bool(advanced) and advanced == list(range(advanced[0], advanced[-1] + 1))
    layout = [("index",)] if advanced and not adjacent else []
    dim = 0
    for i, k in enumerate(entries):
        if k is None:
            layout.append(("new",))
            continue
        if advanced and i == advanced[0] and adjacent:
            layout.append(("index",))
        if isinstance(k, slice):
            layout.append(("dim", dim, k))
        dim += 1
    return layout, index_shape


def _shape_of_layout(layout, index_shape, shape) -> tuple:
    result = []
    for item in layout:
        if item[0] == "index":
            result.extend(index_shape)
        elif item[0] == "new":
            result.append(1)
        else:
            result.append(len(range(*item[2].indices(shape[item[1]]))))
    return tuple(result)


def indexed_shape(xp, key, shape) -> tuple:
    """The shape of ``x[key]`` for an `x` of `shape` (NumPy semantics), without indexing."""
    entries = _entries(xp, key, len(shape))
    return _shape_of_layout(*_layout(entries, shape), shape)


def expand(xp, key, shape, index_dtype):
    """(arrays, result shape) for a NumPy-semantics `key` into an array of `shape`.

    ``x[arrays]`` has the elements of ``x[key]`` in the same order; reshaped to the result
    shape (which also has the axes of None entries) it equals ``x[key]``.
    """
    entries = _entries(xp, key, len(shape))
    layout, index_shape = _layout(entries, shape)
    result_shape = _shape_of_layout(layout, index_shape, shape)
    rank = len(result_shape)
    position = 0
    placed = {}
    index_at = 0
    for item in layout:
        if item[0] == "index":
            index_at = position
            position += len(index_shape)
        elif item[0] == "new":
            position += 1
        else:
            start, stop, step = item[2].indices(shape[item[1]])
            line = xp.arange(start, stop, step, dtype=index_dtype)
            placed[item[1]] = xp.reshape(line, _placed(line.shape[0], position, rank))
            position += 1
    arrays = []
    dim = 0
    for k in entries:
        if k is None:
            continue
        if dim not in placed:  # an advanced entry
            a = xp.asarray(k, dtype=index_dtype) if _is_int(k) else k
            padded = (1,) * (len(index_shape) - a.ndim) + tuple(a.shape)
            a = xp.reshape(a, (1,) * index_at + padded + (1,) * (rank - index_at - len(padded)))
            placed[dim] = a
        arrays.append(placed[dim])
        dim += 1
    return tuple(arrays), result_shape


def _is_int(k) -> bool:
    if isinstance(k, bool) or is_array(k) or isinstance(k, slice) or k is None:
        return False
    try:
        operator.index(k)
    except TypeError:
        return False
    return True


def _shape_of(k) -> tuple:
    return tuple(k.shape) if is_array(k) else ()


def _placed(length: int, position: int, rank: int) -> tuple:
    shape = [1] * rank
    shape[position] = length
    return tuple(shape)


def clipped(key, shape):
    """A basic key with every slice's bounds inside its axis (strict refuses others)."""
    ndim = len(shape)
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    entries = []
    dim = 0
    for k in key:
        if k is Ellipsis:
            dim += ndim - used
        elif isinstance(k, slice):
            start, stop, step = k.indices(shape[dim])
            if step < 0 and stop < 0:
                stop = None  # through the first element
            k = slice(start, stop, step)
            dim += 1
        elif k is not None:
            dim += 1
        entries.append(k)
    return tuple(entries)


def positive_steps(key, shape):
    """(key, axes): a basic key with every negative-step slice made positive, and the
    result axes to flip afterwards (for libraries without negative steps, as torch)."""
    entries = []
    flips = []
    position = 0
    dim = 0
    ndim = len(shape)
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    for k in key:
        if k is Ellipsis:
            position += ndim - used
            dim += ndim - used
        elif k is None:
            position += 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0:
                picked = range(*k.indices(shape[dim]))
                if len(picked):
                    k = slice(picked[-1], picked[0] + 1, -k.step)
                    flips.append(position)
                else:
                    k = slice(0, 0)
            position += 1
            dim += 1
        else:
            dim += 1
        entries.append(k)
    return tuple(entries), tuple(flips)
