"""Dask arrays as a backend: every op builds a task graph; nothing runs until asked.

Forward and backward passes stay lazy (a gradient is a graph too); `.item()`, printing,
`.numpy()`, `.tolist()` and `bridgetensor.persist` compute. Dask arrays are chunked
NumPy arrays, so the values are NumPy's; a slice of a Dask array is a new graph, not a
view, and a write makes a new graph that the tensor is rebound to (as on JAX): writes
through a view are not seen by its base (see docs/backends.md).

array-api-compat's Dask namespace lacks some of the standard (take_along_axis, most of
linalg) and Dask's own linalg takes only unbatched, suitably chunked matrices. Those
functions run NumPy's version as one lazy task over the whole array (fine for the
matrix sizes they are used at; the shapes and argument errors come from running it
once on stand-in values of the same shape). Functions whose output shape depends on
the values (unique_*, nonzero) compute their input when called: Dask would give
arrays of unknown (nan) shape, which no torch code can handle.
"""

from __future__ import annotations

import types

import numpy as np

from ._backend import Backend
from ._index_keys import has_arrays, indexed_shape
from ._numpy_xp import _ROUNDED_VIA_FLOAT64
from ._torch_sum import torch_order_sum

# Dask's own version first, NumPy's (lazily) where Dask refuses the arguments or the
# batch dimensions. Dask's QR and SVD work on tall matrices of many chunks.
_FALLBACKS = ("searchsorted",)
_LINALG_FALLBACKS = ("qr", "svd", "svdvals")
# NumPy's, lazily, even where Dask has one: Dask's read another triangle (cholesky) or
# fail on singular and rank-deficient input where LAPACK's answer is torch's.
_LINALG_HOST = ("inv", "cholesky", "solve", "lstsq", "matrix_rank", "pinv")
# Computed when called: the output shape depends on the values.
_EAGER = ("unique_all", "unique_counts", "unique_inverse", "unique_values", "nonzero")


def _stand_in(array) -> np.ndarray:
    """Host values of `array`'s shape and dtype on which every linalg function succeeds."""
    dtype = np.dtype(array.dtype)
    if dtype.kind in "fc" and array.ndim >= 2:
        return np.broadcast_to(np.eye(*array.shape[-2:], dtype=dtype), array.shape)
    return np.zeros(array.shape, dtype)


def _lazy(function):
    """`function` (NumPy's) as one lazy Dask task per call."""

    def run(*args, **kwargs):
        import dask
        import dask.array as da

        sample = function(
            *(_stand_in(a) if isinstance(a, da.Array) else a for a in args),
            **{k: _stand_in(v) if isinstance(v, da.Array) else v for k, v in kwargs.items()},
        )
        if not isinstance(sample, tuple):
            task = dask.delayed(function, pure=True)(*args, **kwargs)
            return da.from_delayed(task, shape=sample.shape, dtype=sample.dtype)
        task = dask.delayed(function, pure=True, nout=len(sample))(*args, **kwargs)
        parts = [
            da.from_delayed(task[i], shape=s.shape, dtype=s.dtype) for i, s in enumerate(sample)
        ]
        return type(sample)(*parts) if hasattr(sample, "_fields") else tuple(parts)

    run.__name__ = getattr(function, "__name__", "lazy")
    return run


def _eager(function):
    """`function` (NumPy's) on the computed input; the results are Dask arrays again."""

    def run(*args, **kwargs):
        import dask
        import dask.array as da

        computed = dask.compute(*args)
        out = function(*computed, **kwargs)
        if not isinstance(out, tuple):
            return da.from_array(np.asarray(out))
        parts = [da.from_array(np.asarray(o)) for o in out]
        return type(out)(*parts) if hasattr(out, "_fields") else tuple(parts)

    return run


def _fallback(own, function):
    lazy = _lazy(function)

    def run(*args, **kwargs):
        try:
            return own(*args, **kwargs)
        except (ValueError, NotImplementedError, TypeError):
            return lazy(*args, **kwargs)

    return run


def _eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    # dask.array.eye builds a broken graph for wide matrices (n_rows < n_cols):
    # a square identity, sliced, is right for every shape.
    import dask.array as da

    n_cols = n_rows if n_cols is None else n_cols
    side = max(n_rows, n_cols, 1)
    return da.eye(side, k=k, dtype=dtype or np.float64)[:n_rows, :n_cols]


def _take(compat_take):
    def take(x, indices, /, *, axis=None):
        # The standard lets a 1-d x leave out the axis; Dask insists on one.
        if axis is None:
            x, axis = x.reshape(-1), 0
        return compat_take(x, indices, axis=axis)

    return take


def _fresh(function):
    """`function`, made never to return one of its input arrays. Dask hands back a lone
    input of concat (or tile by ones) as it is, and a write into the result would then
    reach the input: in-place writes rebind the Dask array object that tensors share."""

    def run(arrays, /, *args, **kwargs):
        out = function(arrays, *args, **kwargs)
        inputs = arrays if isinstance(arrays, (list, tuple)) else (arrays,)
        return out.copy() if any(out is a for a in inputs) else out

    run.__name__ = function.__name__
    return run


def _repeat(compat_repeat):
    def repeat(x, repeats, /, *, axis=None):
        if isinstance(repeats, int):
            return compat_repeat(x, repeats, axis=axis)
        # Dask repeats by one count only. Counts per element fix the output's length, so
        # they are computed here (as nonzero's input is), and the repeat is a take.
        counts = np.asarray(repeats.compute() if hasattr(repeats, "compute") else repeats)
        if counts.ndim == 0:
            return compat_repeat(x, int(counts), axis=axis)
        if axis is None:
            x, axis = x.reshape(-1), 0
        owners = np.repeat(np.arange(x.shape[axis]), counts)
        return x[(slice(None),) * axis + (owners,)]

    return repeat


def _via_float64(function):
    """`function` evaluated in float64 for float16/float32 input and rounded back, as the
    NumPy backend does (NumPy's float32 kernels round differently from torch's)."""

    def run(*args):
        dtype = next(a.dtype for a in args if hasattr(a, "dtype"))
        if dtype not in (np.float16, np.float32):
            return function(*args)
        wide = [a.astype(np.float64) if hasattr(a, "dtype") else a for a in args]
        return function(*wide).astype(dtype)

    run.__name__ = function.__name__
    return run


def _whole_total(x: np.ndarray, keepdims: bool, mean: bool):
    total = torch_order_sum(np.ascontiguousarray(x), None, keepdims)
    if total is None:
        total = np.add.reduce(x, axis=None, keepdims=keepdims)
    return total / x.size if mean else total


def _in_torch_order(reduce, mean: bool):
    """`reduce` (sum or mean); a whole float array in one chunk is summed in torch's order,
    as on NumPy, so `t.sum().item()` prints torch's digits on Dask too."""

    def run(x, /, *, axis=None, keepdims=False, **dtype):
        if axis is None and not dtype and x.dtype.kind == "f" and x.npartitions == 1:
            import dask
            import dask.array as da

            task = dask.delayed(_whole_total, pure=True)(x, keepdims, mean)
            return da.from_delayed(task, shape=(1,) * x.ndim if keepdims else (), dtype=x.dtype)
        return reduce(x, axis=axis, keepdims=keepdims, **dtype)

    return run


def _reshape(compat_reshape):
    def reshape(x, /, shape, *, copy=None):
        # A Dask array has no memory layout to keep: every reshape is as good as a view
        # (copy=False), and a copy is a new graph anyway.
        try:
            return compat_reshape(x, shape)
        except NotImplementedError:
            # Dask reshapes by merging or splitting whole chunks only; else one chunk.
            return compat_reshape(x.rechunk(-1), shape)

    return reshape


def _broadcast_to(x, /, shape):
    # Dask puts a broadcast axis in one chunk of its full length, which the next op with a
    # chunked operand then splits (and ships whole between workers): a gradient such as
    # mean's, broadcast to a 10 GB input's shape, would be one 300 MB chunk. Broadcast
    # axes get Dask's automatic chunks instead (config "array.chunk-size").
    import dask.array as da

    shape = tuple(shape)
    if tuple(x.shape) == shape:
        return x
    auto = da.core.normalize_chunks("auto", shape, dtype=x.dtype)
    lead = len(shape) - x.ndim
    chunks = tuple(
        x.chunks[i - lead] if i >= lead and x.shape[i - lead] == shape[i] else auto[i]
        for i in range(len(shape))
    )
    return da.broadcast_to(x, shape, chunks=chunks)


def _public(module) -> dict:
    return {
        k: v
        for k, v in vars(module).items()
        if not k.startswith("__") or k in ("__array_api_version__", "__array_namespace_info__")
    }


def dask_namespace(compat) -> types.ModuleType:
    import array_api_compat.numpy as host

    xp = types.ModuleType("bridgetensor._dask_xp.namespace")
    xp.__dict__.update(_public(compat))
    xp.float16 = np.dtype(np.float16)  # Dask holds half floats; the compat layer omits them
    xp.eye = _eye
    xp.broadcast_to = _broadcast_to
    xp.take = _take(compat.take)
    xp.reshape = _reshape(compat.reshape)
    xp.repeat = _repeat(compat.repeat)
    for name in _ROUNDED_VIA_FLOAT64:
        setattr(xp, name, _via_float64(getattr(compat, name)))
    xp.sum = _in_torch_order(compat.sum, mean=False)
    xp.mean = _in_torch_order(compat.mean, mean=True)
    xp.concat = _fresh(compat.concat)
    xp.tile = _fresh(compat.tile)
    xp.take_along_axis = _lazy(host.take_along_axis)
    for name in _FALLBACKS:
        setattr(xp, name, _fallback(getattr(compat, name), getattr(host, name)))
    for name in _EAGER:
        setattr(xp, name, _eager(getattr(host, name)))
    linalg = types.ModuleType("bridgetensor._dask_xp.namespace.linalg")
    linalg.__dict__.update(_public(compat.linalg))
    for name in dir(host.linalg):
        function = getattr(host.linalg, name)
        if not name.startswith("_") and callable(function) and not hasattr(linalg, name):
            setattr(linalg, name, _lazy(function))
    for name in _LINALG_HOST:
        setattr(linalg, name, _lazy(getattr(host.linalg, name)))
    for name in _LINALG_FALLBACKS:
        setattr(linalg, name, _fallback(getattr(compat.linalg, name), getattr(host.linalg, name)))
    xp.linalg = linalg
    xp.fft = _fft_namespace(compat.fft)
    return xp


_FFT_TRANSFORMS = (
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
)  # fmt: skip


def _fft_namespace(fft) -> types.ModuleType:
    """Dask's FFTs take an axis only when it is one chunk: each transform gets its input
    as one chunk (FFT inputs are seldom larger than memory; the rest of the graph keeps
    its chunks)."""
    found = types.ModuleType("bridgetensor._dask_xp.namespace.fft")
    found.__dict__.update(_public(fft))
    for name in _FFT_TRANSFORMS:
        if hasattr(fft, name):
            setattr(found, name, _one_chunk(getattr(fft, name)))
    return found


def _one_chunk(transform):
    def run(x, *args, **kwargs):
        return transform(x.rechunk(-1), *args, **kwargs)

    run.__name__ = transform.__name__
    return run


def _is_basic(key) -> bool:
    """Whether `key` selects each position at most once (no index arrays or masks)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(k, (int, slice, type(Ellipsis))) for k in parts)


def _add_at(target, key, values):
    out = np.array(target, copy=True)
    np.add.at(out, key, values)
    return out


def _put(target, key, values):
    out = np.array(target, copy=True)
    out[key] = values
    return out


def _read(x, key):
    return x[key]


class DaskBackend(Backend):
    __slots__ = ()

    def to_host(self, array) -> np.ndarray:
        return np.asarray(array.compute())

    def persist(self, arrays: list) -> list:
        import dask

        return list(dask.persist(*arrays))

    def write_whole(self, data, array) -> None:
        # `data[...] = array` would keep `data`'s old graph as a dependency of the new one, so
        # a tensor refilled in a loop (uniform_, copy_, zero_) would carry every earlier fill.
        # The new value is `array`'s graph alone: `data` is rebound to it, the way Dask's own
        # __setitem__ rebinds an array, so tensors sharing this array object see the write.
        da = self.lib
        new = da.broadcast_to(da.asarray(array), data.shape).astype(data.dtype, copy=False)
        data._meta, data.dask, data._name, data._chunks = new._meta, new.dask, new.name, new.chunks

    # Keys with index arrays: Dask takes one integer array on one axis at most; NumPy's
    # indexing runs as one lazy task instead (the result's shape is known from the key's).

    def index(self, x, key):
        if not has_arrays(key):
            return super().index(x, key)
        import dask

        shape = indexed_shape(self.xp, key, x.shape)
        task = dask.delayed(_read, pure=True)(x, key)
        return self.lib.from_delayed(task, shape=shape, dtype=x.dtype)

    def index_put(self, target, key, values):
        if not has_arrays(key):
            out = target.copy()  # a new graph node: Dask's write would rebind `target` itself
            parts = key if isinstance(key, tuple) else (key,)
            if any(k is None for k in parts) and getattr(values, "ndim", 0):
                # Dask's setitem refuses None in a key, which NumPy's ignores: write the
                # value, without its inserted axes, at the key without them.
                kept = tuple(k for k in parts if k is not None)
                values = self.lib.broadcast_to(values, out[key].shape).reshape(out[kept].shape)
                key = kept
            out[key] = values
            return out
        import dask

        task = dask.delayed(_put, pure=True)(target, key, values)
        return self.lib.from_delayed(task, shape=target.shape, dtype=target.dtype)

    def scatter_add(self, target, key, values):
        if _is_basic(key):
            # Each position once: a lazy read-add-write of the selected block.
            out = target.copy()  # a new graph node: the write rebinds `out` alone
            out[key] = out[key] + values
            return out
        # Index arrays may repeat positions: one lazy task sums them with np.add.at.
        import dask

        task = dask.delayed(_add_at, pure=True)(target, key, values)
        return self.lib.from_delayed(task, shape=target.shape, dtype=target.dtype)


def load() -> DaskBackend:
    import array_api_compat.dask.array as compat
    import dask.array

    return DaskBackend("dask", dask.array, dask_namespace(compat), lazy=True, host_dlpack=False)
