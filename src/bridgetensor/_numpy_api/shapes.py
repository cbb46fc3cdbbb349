"""NumPy's shape functions: reshape, transpose, joins and splits, take, tile, roll, ...

Views stay views (reshape, ravel, transpose, squeeze, expand_dims, broadcast_to,
split), so writes through them reach the tensor as in NumPy.
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import ops
from ..autograd import _primitive as _prim
from ._core import (
    NOVALUE,
    Unsupported,
    as_tensor,
    cast,
    common,
    finish,
    implements,
)

__all__: list = []


def _shape(shape) -> tuple:
    return (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)


def _normalize(axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim


@implements(np.reshape)
def _reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise Unsupported(f"order={order!r}")
    shape = newshape if shape is None else shape
    x = as_tensor(a, "np.reshape")
    return ops.reshape(x, shape=_shape(shape), copy=copy)


@implements(np.ravel)
def _ravel(a, order="C"):
    if order not in ("C", "K", "A"):
        raise Unsupported(f"order={order!r}")
    return ops.reshape(as_tensor(a, "np.ravel"), shape=(-1,))


@implements(np.transpose, np.permute_dims)
def _transpose(a, axes=None):
    x = as_tensor(a, "np.transpose")
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(axes)
    if len(axes) != x.ndim:
        raise ValueError("axes don't match array")
    return ops.permute_dims(x, axes=tuple(_normalize(i, x.ndim) for i in axes))


@implements(np.matrix_transpose)
def _matrix_transpose(x, /):
    x = as_tensor(x, "np.matrix_transpose")
    if x.ndim < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, but it is {x.ndim}")
    return _swapaxes(x, -1, -2)


@implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    x = as_tensor(a, "np.swapaxes")
    order = list(range(x.ndim))
    i, j = _normalize(axis1, x.ndim), _normalize(axis2, x.ndim)
    order[i], order[j] = order[j], order[i]
    return ops.permute_dims(x, axes=tuple(order))


@implements(np.moveaxis)
def _moveaxis(a, source, destination):
    x = as_tensor(a, "np.moveaxis")
    source = [_normalize(s, x.ndim) for s in ([source] if isinstance(source, int) else source)]
    destination = [
        _normalize(d, x.ndim)
        for d in ([destination] if isinstance(destination, int) else destination)
    ]
    if len(source) != len(destination):
        raise ValueError(
            "`source` and `destination` arguments must have the same number of elements"
        )
    order = [n for n in range(x.ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return ops.permute_dims(x, axes=tuple(order))


@implements(np.squeeze)
def _squeeze(a, axis=None):
    x = as_tensor(a, "np.squeeze")
    shape = tuple(x.shape)
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = tuple(_normalize(i, x.ndim) for i in ((axis,) if isinstance(axis, int) else axis))
        if any(shape[i] != 1 for i in axes):
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    return ops.squeeze(x, axis=axes) if axes else ops.reshape(x, shape=shape)


@implements(np.expand_dims)
def _expand_dims(a, axis):
    x = as_tensor(a, "np.expand_dims")
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(axes)
    places = {_normalize(i, ndim) for i in axes}
    if len(places) != len(axes):
        raise ValueError("repeated axis")
    sizes = iter(x.shape)
    return ops.reshape(x, shape=tuple(1 if i in places else next(sizes) for i in range(ndim)))


@implements(np.broadcast_to)
def _broadcast_to(array, shape, subok=False):
    return ops.broadcast_to(as_tensor(array, "np.broadcast_to"), shape=_shape(shape))


@implements(np.broadcast_arrays)
def _broadcast_arrays(*args, subok=False):
    tensors = [as_tensor(a, "np.broadcast_arrays") for a in args]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    return tuple(t if tuple(t.shape) == shape else ops.broadcast_to(t, shape=shape)
                 for t in tensors)  # fmt: skip


@implements(np.flip)
def _flip(m, axis=None):
    x = as_tensor(m, "np.flip")
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.flip(x, axis=axis)


@implements(np.fliplr)
def _fliplr(m):
    x = as_tensor(m, "np.fliplr")
    if x.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return ops.flip(x, axis=1)


@implements(np.flipud)
def _flipud(m):
    x = as_tensor(m, "np.flipud")
    if x.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return ops.flip(x, axis=0)


@implements(np.roll)
def _roll(a, shift, axis=None):
    x = as_tensor(a, "np.roll")
    if isinstance(shift, list):
        shift = tuple(shift)
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.roll(x, shift=shift, axis=axis)


@implements(np.tile)
def _tile(A, reps):
    return ops.tile(as_tensor(A, "np.tile"), repetitions=_shape(reps))


@implements(np.repeat)
def _repeat(a, repeats, axis=None):
    x = as_tensor(a, "np.repeat")
    if not isinstance(repeats, int):
        repeats = as_tensor(repeats, "np.repeat", np.dtype(np.int64))
    return ops.repeat(x, repeats, axis=axis)


@implements(np.tril)
def _tril(m, k=0):
    return ops.tril(as_tensor(m, "np.tril"), k=k)


@implements(np.triu)
def _triu(m, k=0):
    return ops.triu(as_tensor(m, "np.triu"), k=k)


@implements(np.diagonal)
def _diagonal(a, offset=0, axis1=0, axis2=1):
    x = as_tensor(a, "np.diagonal")
    return ops.linalg_diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


@implements(np.diag)
def _diag(v, k=0):
    x = as_tensor(v, "np.diag")
    if x.ndim == 2:
        return ops.linalg_diagonal(x, offset=k, axis1=0, axis2=1)
    if x.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    # v along the k-th diagonal: v (zero-extended) scaled into the rows (k >= 0) or the
    # columns (k < 0) of the matching identity mask.
    n = x.shape[0] + abs(k)
    line = ops.concat(x, _prim.Tensor._wrap_array(np.zeros(abs(k), x._data.dtype)))
    mask = _prim.Tensor._wrap_array(np.eye(n, k=k, dtype=x._data.dtype))
    if k >= 0:
        return ops.multiply(ops.reshape(line, shape=(n, 1)), mask)
    return ops.multiply(ops.reshape(line, shape=(1, n)), mask)


@implements(np.meshgrid)
def _meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    if sparse:
        raise Unsupported("sparse=True")
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    vectors = [ops.reshape(as_tensor(x, "np.meshgrid"), shape=(-1,)) for x in xi]
    grids = ops.meshgrid(*vectors, indexing=indexing)
    return tuple(ops.clone(g) if copy else g for g in grids)


# ---------------------------------------------------------------- joins and splits


def _at_least(x, ndim):
    shape = tuple(x.shape)
    if len(shape) >= ndim:
        return x
    if ndim == 1:
        return ops.reshape(x, shape=(1,))
    if ndim == 2:
        return ops.reshape(x, shape=(1,) * (2 - len(shape)) + shape)
    # atleast_3d: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)
    if len(shape) == 0:
        return ops.reshape(x, shape=(1, 1, 1))
    if len(shape) == 1:
        return ops.reshape(x, shape=(1, shape[0], 1))
    return ops.reshape(x, shape=(*shape, 1))


def _atleast(ndim, name):
    def atleast(*arys):
        found = tuple(_at_least(as_tensor(a, name), ndim) for a in arys)
        return found[0] if len(found) == 1 else found

    return atleast


implements(np.atleast_1d)(_atleast(1, "np.atleast_1d"))
implements(np.atleast_2d)(_atleast(2, "np.atleast_2d"))
implements(np.atleast_3d)(_atleast(3, "np.atleast_3d"))


def _joinable(arrays, dtype, name):
    arrays = list(arrays)
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    tensors = common(arrays, name)
    if dtype is not None:
        tensors = [cast(t, np.dtype(dtype)) for t in tensors]
    return tensors


@implements(np.concatenate, np.concat)
def _concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    tensors = _joinable(arrays, dtype, "np.concatenate")
    if axis is None:
        tensors = [ops.reshape(t, shape=(-1,)) for t in tensors]
        axis = 0
    if any(t.ndim == 0 for t in tensors):
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return finish(ops.concat(*tensors, axis=axis), out, "np.concatenate")


@implements(np.stack)
def _stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    tensors = _joinable(arrays, dtype, "np.stack")
    if len({tuple(t.shape) for t in tensors}) != 1:
        raise ValueError("all input arrays must have the same shape")
    return finish(ops.stack(*tensors, axis=axis), out, "np.stack")


@implements(np.vstack)
def _vstack(tup, *, dtype=None, casting="same_kind"):
    tensors = [_at_least(t, 2) for t in _joinable(tup, dtype, "np.vstack")]
    return ops.concat(*tensors, axis=0)


@implements(np.hstack)
def _hstack(tup, *, dtype=None, casting="same_kind"):
    tensors = [_at_least(t, 1) for t in _joinable(tup, dtype, "np.hstack")]
    return ops.concat(*tensors, axis=0 if tensors[0].ndim == 1 else 1)


@implements(np.dstack)
def _dstack(tup):
    tensors = [_at_least(t, 3) for t in _joinable(tup, None, "np.dstack")]
    return ops.concat(*tensors, axis=2)


@implements(np.column_stack)
def _column_stack(tup):
    tensors = _joinable(tup, None, "np.column_stack")
    columns = [ops.reshape(t, shape=(-1, 1)) if t.ndim < 2 else t for t in tensors]
    return ops.concat(*columns, axis=1)


def _pieces(x, bounds, axis):
    lead = (slice(None),) * axis
    return [x[(*lead, slice(start, stop))] for start, stop in bounds]


def _split(ary, indices_or_sections, axis, name, even):
    x = as_tensor(ary, name)
    axis = _normalize(axis, x.ndim)
    length = x.shape[axis]
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if even and length % sections:
            raise ValueError("array split does not result in an equal division")
        size, extra = divmod(length, sections)
        cuts = [0]
        for i in range(sections):
            cuts.append(cuts[-1] + size + (1 if i < extra else 0))
    else:
        cuts = [0, *(int(i) for i in indices_or_sections), length]
    bounds = []
    for start, stop in itertools.pairwise(cuts):
        start, stop, _ = slice(start, stop).indices(length)  # Python's slicing, as NumPy's
        bounds.append((start, max(start, stop)))
    return _pieces(x, bounds, axis)


@implements(np.split)
def _split_even(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, "np.split", True)


@implements(np.array_split)
def _array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, "np.array_split", False)


@implements(np.hsplit)
def _hsplit(ary, indices_or_sections):
    x = as_tensor(ary, "np.hsplit")
    if x.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return _split(x, indices_or_sections, 1 if x.ndim > 1 else 0, "np.hsplit", True)


@implements(np.vsplit)
def _vsplit(ary, indices_or_sections):
    x = as_tensor(ary, "np.vsplit")
    if x.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return _split(x, indices_or_sections, 0, "np.vsplit", True)


# ---------------------------------------------------------------- gathers


@implements(np.take)
def _take(a, indices, axis=None, out=None, mode="raise"):
    if mode != "raise":
        raise Unsupported(f"mode={mode!r}")
    x = as_tensor(a, "np.take")
    index = as_tensor(indices, "np.take")
    if index._data.dtype.kind not in "iu":
        raise TypeError("np.take: indices must be integers")
    if axis is None:
        x = ops.reshape(x, shape=(-1,))
        axis = 0
    flat = ops.reshape(index, shape=(-1,))
    taken = ops.take(x, flat, axis=axis)
    axis = _normalize(axis, x.ndim)
    shape = tuple(x.shape[:axis]) + tuple(index.shape) + tuple(x.shape[axis + 1 :])
    return finish(ops.reshape(taken, shape=shape), out, "np.take")


@implements(np.take_along_axis)
def _take_along_axis(arr, indices, axis=-1):
    x = as_tensor(arr, "np.take_along_axis")
    index = as_tensor(indices, "np.take_along_axis")
    if axis is None:
        x = ops.reshape(x, shape=(-1,))
        axis = 0
    return ops.take_along_axis(x, index, axis=axis)


@implements(np.diff)
def _diff(a, n=1, axis=-1, prepend=NOVALUE, append=NOVALUE):
    x = as_tensor(a, "np.diff")
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    if n == 0:
        return x
    axis = _normalize(axis, x.ndim)
    edges = {}
    for key, value in (("prepend", prepend), ("append", append)):
        if value is not NOVALUE:
            edge = as_tensor(value, "np.diff")
            if edge.ndim == 0:
                shape = list(x.shape)
                shape[axis] = 1
                edge = ops.broadcast_to(edge, shape=tuple(shape))
            edges[key] = edge
    if edges:
        found = [t for t in (edges.get("prepend"), x, edges.get("append")) if t is not None]
        parts = common(found, "np.diff")
        x = ops.concat(*parts, axis=axis)
    return ops.diff(x, axis=axis, n=n)
