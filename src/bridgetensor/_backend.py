"""The one module that knows backends.

A `Backend` bundles an array library's array-API namespace (`xp`, from
array-api-compat where the library needs wrapping) with the maps between
bridgetensor dtypes and the library's own. It is resolved once per array type and
cached on every Tensor, so the per-op path never looks a namespace up.
"""

from __future__ import annotations

import importlib
import os

import numpy as np

from . import _dtypes
from ._dtypes import ALL_DTYPES
from ._index_keys import clipped, cover, expand, has_arrays, positive_steps

__all__ = [
    "Backend",
    "device",
    "backend_of_array",
    "get_backend",
    "default_backend",
    "set_default_backend",
    "get_default_backend",
    "backend_for_device",
]

# Library name -> the module whose arrays it wraps and the array-api-compat wrapper, if any.
_LIBRARIES = {
    "numpy": ("numpy", "array_api_compat.numpy"),
    "array_api_strict": ("array_api_strict", None),
    "torch": ("torch", "array_api_compat.torch"),
    "dask": ("dask.array", "array_api_compat.dask.array"),
    "jax": ("jax.numpy", None),
    "cupy": ("cupy", "array_api_compat.cupy"),
}
_ALIASES = {"strict": "array_api_strict", "array-api-strict": "array_api_strict", "np": "numpy"}


class device:
    """Where a tensor's data lives: ``device("cpu")``, ``device("cuda", 0)``, ``device("cuda:1")``.

    >>> import bridgetensor as bt
    >>> bt.device("cuda:1")
    device(type='cuda', index=1)
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device, index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index
        elif not isinstance(type, str):
            raise TypeError(f"device: expected a string or device; got {type!r}")
        elif ":" in type:
            if index is not None:
                raise ValueError(f"device: type {type!r} already names an index")
            type, _, number = type.partition(":")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{number}'")
            index = int(number)
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


class Backend:
    """One array library: its namespace `xp` and its dtype maps."""

    __slots__ = (
        "array_type",
        "from_native",
        "is_gpu",
        "is_numpy",
        "kinds",
        "lazy",
        "lib",
        "mutable",
        "name",
        "native",
        "xp",
    )

    def __init__(self, name: str, lib, xp, array_type: type) -> None:
        self.name = name
        self.lib = lib
        self.xp = xp
        self.array_type = array_type
        self.is_numpy = name == "numpy"
        self.is_gpu = name == "cupy"
        # JAX arrays cannot be written in place; in-place ops rebind instead.
        self.mutable = name != "jax"
        self.lazy = name == "dask"
        self.native = {}
        self.from_native = {}
        # NumPy's one-letter kind ("b", "i", "u", "f", "c") of each native dtype, for the
        # per-op fast paths, which must not ask the library (strict's dtypes have no .kind).
        self.kinds = {}
        for d in ALL_DTYPES:
            found = getattr(xp, d.name, None)
            if found is None:
                continue
            native = np.dtype(found) if name in ("numpy", "dask", "cupy") else found
            self.native[d] = native
            self.from_native[native] = d
            self.kinds[native] = np.dtype(d.name).kind

    def __repr__(self) -> str:
        return f"<bridgetensor backend {self.name!r}>"

    def dtype_of(self, array) -> _dtypes.dtype:
        return self.dtype_from_native(array.dtype)

    def dtype_from_native(self, native) -> _dtypes.dtype:
        try:
            return self.from_native[native]
        except (KeyError, TypeError):
            if self.name in ("numpy", "dask", "cupy"):
                return _dtypes.from_numpy_dtype(native)
            raise TypeError(f"{self.name} dtype {native} has no bridgetensor equivalent") from None

    def device_of(self, array) -> device:
        if self.name in ("numpy", "dask"):
            return CPU
        if self.name == "cupy":
            return device("cuda", array.device.id)
        native = array.device
        if self.name == "torch":
            return device(native.type, native.index)
        if self.name == "jax":
            return device(native.platform if hasattr(native, "platform") else "cpu")
        # array-api-strict: its devices are named; CPU_DEVICE is the host.
        name = getattr(native, "_device", str(native))
        return CPU if name == "CPU_DEVICE" else device(name)

    def may_share_memory(self, a, b) -> bool:
        """Whether two arrays may overlap in memory (a "view" the library made as a copy
        does not: writes to it do not reach its source). Empty arrays count as sharing,
        as torch's empty slices are views."""
        if self.is_numpy:
            return a.size == 0 or np.may_share_memory(a, b)
        if self.name == "array_api_strict":
            return a._array.size == 0 or np.may_share_memory(a._array, b._array)
        if self.name == "torch":
            return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
        if self.name == "cupy":
            return self.lib.may_share_memory(a, b)
        return self.mutable and not self.lazy

    def writable(self, view, source):
        """`view` made writable where the library hands out read-only views of writable
        memory (NumPy's diagonal; torch's diagonal may be written)."""
        if self.name in ("numpy", "array_api_strict"):
            host = view if self.is_numpy else view._array
            origin = source if self.is_numpy else source._array
            if not host.flags.writeable and origin.flags.writeable:
                host.flags.writeable = True
        return view

    # Indexing with NumPy's semantics for keys of ints, slices, None, Ellipsis and integer
    # arrays (masks as their nonzero()). The standard covers only part of it, and each
    # library's duplicate-accumulating write has its own name; the differences live here.

    def index(self, x, key):
        """``x[key]``: every library that lacks a case gets it from an all-array key."""
        if self.name in ("numpy", "cupy", "jax"):
            return x[key]
        if not has_arrays(key):
            key = cover(key)
            if self.name != "torch":
                return x[clipped(key, x.shape)]
            key, flips = positive_steps(key, x.shape)  # torch has no negative steps
            x = x[key]
            return self.lib.flip(x, flips) if flips else x
        if self.lazy:
            return self.xp.asarray(np.asarray(x)[_host_key(key)])
        # strict takes integer arrays only with integers; torch places arrays mixed with
        # integers its own way: both get one array per axis.
        arrays, shape = expand(self.xp, key, x.shape, self.native[_dtypes.int64])
        return self.xp.reshape(x[arrays], shape)

    def index_put(self, target, key, values):
        """``target[key] = values`` (the last of repeated indices wins), in place where the
        library writes in place; returns the written array (a new one on JAX)."""
        if self.name == "jax":
            return target.at[key].set(values)
        if self.name == "array_api_strict":
            if not has_arrays(key):
                target[clipped(cover(key), target.shape)] = values
                return target
            # strict has no fancy __setitem__; its arrays hold NumPy arrays we may write.
            target._array[_host_key(key)] = _host(values)
            return target
        if self.name == "torch":
            if has_arrays(key):
                return self._torch_put(target, key, values, accumulate=False)
            key, flips = positive_steps(cover(key), target.shape)  # torch has no negative steps
            if flips and not isinstance(values, (int, float, bool, complex)):
                values = self.lib.flip(self.lib.as_tensor(values), flips)
        if self.lazy and has_arrays(key):
            host = np.array(target)
            host[_host_key(key)] = _host(values)
            return self.xp.asarray(host)
        target[key] = values
        return target

    def scatter_add(self, target, key, values):
        """`target` with `values` added at `key`, repeated indices summing (np.add.at):
        in place where the library writes in place; returns the written array."""
        if self.is_numpy:
            np.add.at(target, key, values)
            return target
        if self.name == "jax":
            return target.at[key].add(values)
        if self.name == "cupy":
            import cupyx

            cupyx.scatter_add(target, key, values)
            return target
        if self.name == "array_api_strict":
            np.add.at(target._array, _host_key(key), _host(values))
            return target
        if self.name == "torch":
            return self._torch_put(target, key, values, accumulate=True)
        # Dask: no duplicate-accumulating write; through NumPy, chunk-wise is future work.
        host = np.array(target)
        np.add.at(host, _host_key(key), _host(values))
        return self.xp.asarray(host)

    def _torch_put(self, target, key, values, accumulate):
        """torch's index_put_ takes index tensors only: one per axis from `expand`."""
        torch = self.lib
        arrays, shape = expand(self.xp, key, target.shape, self.native[_dtypes.int64])
        arrays = torch.broadcast_tensors(*arrays)
        values = torch.as_tensor(values, dtype=target.dtype, device=target.device)
        # The result shape has the None axes; index_put_ wants the values without them.
        values = torch.broadcast_to(values, shape).reshape(arrays[0].shape)
        return target.index_put_(arrays, values, accumulate=accumulate)

    def native_device(self, dev: device | None):
        """The library's own device object for `dev` (None: the library's default)."""
        if dev is None:
            return None
        if self.name == "cupy":
            return self.lib.cuda.Device(dev.index or 0)
        if self.name == "torch":
            return self.lib.device(str(dev))
        if self.name == "array_api_strict":
            return self.lib.Device("CPU_DEVICE" if dev.type == "cpu" else dev.type)
        if self.name == "jax":
            return None
        return "cpu"


def _host(value):
    """A NumPy array (or the Python scalar) for a value written into host memory."""
    if isinstance(value, (int, float, bool, complex)):
        return value
    return np.asarray(value._array if hasattr(value, "_array") else value)


def _host_key(key):
    """An index key with every array in it turned into a NumPy array."""
    if isinstance(key, tuple):
        return tuple(_host_key(k) for k in key)
    if isinstance(key, (slice, int, type(None), type(Ellipsis), np.generic)):
        return key
    return _host(key)


_BY_NAME: dict[str, Backend] = {}
_BY_TYPE: dict[type, Backend] = {}


def get_backend(name: str) -> Backend:
    """The backend called `name` ("numpy", "array_api_strict", "torch", "dask", "jax", "cupy")."""
    name = _ALIASES.get(name, name)
    found = _BY_NAME.get(name)
    if found is not None:
        return found
    if name not in _LIBRARIES:
        raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(_LIBRARIES)}")
    lib_name, compat_name = _LIBRARIES[name]
    try:
        lib = importlib.import_module(lib_name)
        xp = importlib.import_module(compat_name) if compat_name else lib
    except ImportError as error:
        raise ImportError(f"backend {name!r} needs the {lib_name!r} package: {error}") from None
    if name == "numpy":
        from ._numpy_xp import numpy_namespace

        xp = numpy_namespace(xp)
    array_type = type(xp.asarray([0]))
    backend = Backend(name, lib, xp, array_type)
    _BY_NAME[name] = backend
    _BY_TYPE[array_type] = backend
    return backend


def backend_of_array(array) -> Backend:
    """The backend of a raw array, cached by its type."""
    found = _BY_TYPE.get(type(array))
    if found is not None:
        return found
    if isinstance(array, (np.ndarray, np.generic)):
        found = get_backend("numpy")
    else:
        import array_api_compat

        namespace = _namespace(array)  # None for torch tensors, which have no such method
        if namespace is not None and array_api_compat.is_array_api_strict_namespace(namespace):
            found = get_backend("array_api_strict")
        elif array_api_compat.is_torch_array(array):
            found = get_backend("torch")
        elif array_api_compat.is_dask_array(array):
            found = get_backend("dask")
        elif array_api_compat.is_jax_array(array):
            found = get_backend("jax")
        elif array_api_compat.is_cupy_array(array):
            found = get_backend("cupy")
        else:
            raise TypeError(f"no bridgetensor backend for arrays of type {type(array).__name__}")
    _BY_TYPE[type(array)] = found
    return found


def _namespace(array):
    get = getattr(array, "__array_namespace__", None)
    return get() if get is not None else None


_default: dict[str, Backend | None] = {"backend": None}


def default_backend() -> Backend:
    """The backend for tensors created without a device: $BRIDGETENSOR_BACKEND, else NumPy."""
    found = _default["backend"]
    if found is None:
        found = _default["backend"] = get_backend(os.environ.get("BRIDGETENSOR_BACKEND", "numpy"))
    return found


def set_default_backend(name: str) -> None:
    """Make `name` the backend for new tensors that name no device.

    >>> import bridgetensor as bt
    >>> bt.set_default_backend("numpy")
    """
    _default["backend"] = get_backend(name)


def get_default_backend() -> str:
    """The name of the default backend.

    >>> import bridgetensor as bt
    >>> bt.get_default_backend()
    'numpy'
    """
    return default_backend().name


def backend_for_device(dev) -> tuple[Backend, device | None]:
    """The backend and device a ``device=`` argument asks for.

    "cpu" is the default backend when that one lives on the host, else NumPy;
    "cuda" is CuPy; other names are the default backend's own devices.
    """
    if dev is None:
        return default_backend(), None
    dev = dev if isinstance(dev, device) else device(dev)
    if dev.type == "cuda":
        return _cupy_backend(), dev
    backend = default_backend()
    if dev.type == "cpu":
        return (get_backend("numpy"), None) if backend.is_gpu else (backend, dev)
    if backend.name in ("numpy", "dask"):
        raise RuntimeError(
            f"device '{dev}': the {backend.name} backend has only the 'cpu' device; "
            "use 'cpu', or 'cuda' with CuPy installed"
        )
    return backend, dev


def _cupy_backend() -> Backend:
    """CuPy, or a RuntimeError saying how to get CUDA tensors (torch raises on no CUDA)."""
    try:
        return get_backend("cupy")
    except ImportError as error:
        raise RuntimeError(
            "CUDA tensors need CuPy, which is not installed (pip install "
            f"'bridgetensor[cuda]' on a machine with an NVIDIA GPU): {error}"
        ) from None
