"""The one module that knows backends.

A `Backend` bundles an array library's array-API namespace (`xp`, from
array-api-compat where the library needs wrapping) with the maps between
bridgetensor dtypes and the library's own, and answers the questions the standard
leaves open: which device an array is on, how its values reach NumPy, how to write
into it (JAX arrays cannot be written), how to scatter-add. It is resolved once per
array type and cached on every Tensor, so the per-op path never looks a namespace up.

The base class below answers for an eager, mutable library whose arrays live in host
memory; each library's own module (`_numpy_xp`, `_strict_xp`, `_torch_xp`, `_dask_xp`,
`_jax_xp`, `_cupy_xp`) subclasses it where that library differs, and may replace some
functions of its namespace (each replacement says why).
"""

from __future__ import annotations

import importlib
import os

import numpy as np

from . import _dtypes
from ._dtypes import ALL_DTYPES
from ._index_keys import clipped, cover, expand, has_arrays

__all__ = [
    "Backend",
    "device",
    "backend_of_array",
    "get_backend",
    "default_backend",
    "default_device",
    "set_default_backend",
    "get_default_backend",
    "backend_for_device",
    "persist",
]

# Backend name -> the module that loads it (its `load()` imports the library).
_MODULES = {
    "numpy": "._numpy_xp",
    "array_api_strict": "._strict_xp",
    "torch": "._torch_xp",
    "dask": "._dask_xp",
    "jax": "._jax_xp",
    "cupy": "._cupy_xp",
}
_ALIASES = {"strict": "array_api_strict", "array-api-strict": "array_api_strict", "np": "numpy"}
# The library each backend needs, for the message when it is missing.
_PACKAGES = {"array_api_strict": "array-api-strict", "dask": "dask[array]", "jax": "jax"}


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
    """One array library: its namespace `xp`, its dtype maps, devices and data movement."""

    __slots__ = (
        "array_type",
        "from_native",
        "host_dlpack",
        "is_gpu",
        "is_numpy",
        "kinds",
        "lazy",
        "lib",
        "mutable",
        "name",
        "native",
        "views_alias",
        "xp",
    )

    def __init__(
        self,
        name: str,
        lib,
        xp,
        *,
        numpy_dtypes: bool = True,
        mutable: bool = True,
        lazy: bool = False,
        is_gpu: bool = False,
        host_dlpack: bool = True,
        array_type: type | None = None,
    ) -> None:
        self.name = name
        self.lib = lib
        self.xp = xp
        self.array_type = array_type or type(xp.asarray([0]))
        self.is_numpy = name == "numpy"
        self.is_gpu = is_gpu
        # False: arrays cannot be written (JAX); in-place ops rebind the tensor instead.
        self.mutable = mutable
        # True: arrays are task graphs (Dask); values appear on .item(), printing, .numpy().
        self.lazy = lazy
        # True: a slice shares its source's memory, so a write into it reaches the source
        # (Dask's slices are new graphs, JAX's new arrays).
        self.views_alias = mutable and not lazy
        # True: `from_dlpack` of host memory gives this library's arrays (else NumPy's).
        self.host_dlpack = host_dlpack
        self.native = {}
        self.from_native = {}
        # NumPy's one-letter kind ("b", "i", "u", "f", "c") of each native dtype, for the
        # per-op fast paths, which must not ask the library (strict's dtypes have no .kind).
        self.kinds = {}
        for d in ALL_DTYPES:
            found = getattr(xp, d.name, None)
            if found is None:
                continue
            native = np.dtype(found) if numpy_dtypes else found
            self.native[d] = native
            self.from_native[native] = d
            self.kinds[native] = np.dtype(d.name).kind

    def __repr__(self) -> str:
        return f"<bridgetensor backend {self.name!r}>"

    # ------------------------------------------------------------ dtypes

    def dtype_of(self, array) -> _dtypes.dtype:
        return self.dtype_from_native(array.dtype)

    def dtype_from_native(self, native) -> _dtypes.dtype:
        try:
            return self.from_native[native]
        except (KeyError, TypeError):
            pass
        if isinstance(native, np.dtype):
            return _dtypes.from_numpy_dtype(native)
        raise TypeError(f"{self.name} dtype {native} has no bridgetensor equivalent")

    # ------------------------------------------------------------ devices

    def device_of(self, array) -> device:
        """The bridgetensor device of one of this library's arrays."""
        return CPU

    def native_device(self, dev: device | None):
        """The library's own device object for `dev` (None: the library's default)."""
        return None

    def check_device(self, dev: device) -> None:
        """Refuse a device this library does not have (before anything is created)."""
        if dev.type != "cpu":
            raise RuntimeError(
                f"device '{dev}': the {self.name} backend has only the 'cpu' device; "
                "use 'cpu', or 'cuda' with CuPy installed"
            )

    # ------------------------------------------------------------ data movement

    def to_host(self, array) -> np.ndarray:
        """A NumPy array of `array`'s values: shared where the library allows, else copied."""
        try:
            return np.from_dlpack(array)
        except (TypeError, BufferError, RuntimeError, AttributeError):
            return np.asarray(array)

    def from_host(self, array: np.ndarray, dev: device | None = None, *, copy: bool = False):
        """A NumPy array as one of this library's arrays on `dev` (copied when asked)."""
        native = self.native_device(dev)
        kwargs = {} if native is None else {"device": native}
        if copy:
            return self.xp.asarray(array, copy=True, **kwargs)
        return self.xp.asarray(array, **kwargs)

    def persist(self, arrays: list) -> list:
        """The arrays evaluated (lazy libraries), together; eager arrays as they are."""
        return arrays

    # ------------------------------------------------------------ memory

    def may_share_memory(self, a, b) -> bool:
        """Whether two arrays may overlap in memory (a "view" the library made as a copy
        does not: writes to it do not reach its source). Empty arrays count as sharing,
        as torch's empty slices are views."""
        return self.views_alias

    def writable(self, view, source):
        """`view` made writable where the library hands out read-only views of writable
        memory (NumPy's diagonal); other libraries' views are as writable as their source."""
        return view

    # ------------------------------------------------------------ indexing and writes
    # NumPy's semantics for keys of ints, slices, None, Ellipsis and integer arrays (masks
    # as their nonzero()). The standard covers only part of it, and each library's
    # duplicate-accumulating write has its own name; the differences live in the subclasses.

    def index(self, x, key):
        """``x[key]``: a library that lacks a case gets it from an all-array key."""
        if not has_arrays(key):
            return x[clipped(cover(key), x.shape)]
        # strict takes integer arrays only with integers; others place arrays mixed with
        # integers their own way: one array per axis says what NumPy means.
        arrays, shape = expand(self.xp, key, x.shape, self.native[_dtypes.int64])
        return self.xp.reshape(x[arrays], shape)

    def write_whole(self, data, array) -> None:
        """Replace every value of the mutable array `data` with `array`'s (cast to its dtype),
        in place: views and aliases of `data` see the new values."""
        data[...] = array

    def index_put(self, target, key, values):
        """``target[key] = values`` (the last of repeated indices wins), in place where the
        library writes in place; returns the written array (a new one on JAX)."""
        target[key] = values
        return target

    def scatter_add(self, target, key, values):
        """`target` with `values` added at `key`, repeated indices summing (np.add.at):
        in place where the library writes in place; returns the written array.

        The standard has no scatter: this default goes through NumPy on the host and back
        to the target's device; libraries with their own scatter override it.
        """
        host = np.array(self.to_host(target), copy=True)
        np.add.at(host, host_key(key, self), host_value(values, self))
        return self.from_host(host, self.device_of(target), copy=False)


def host_value(value, backend):
    """A NumPy array (or the Python scalar) for a value written into host memory."""
    if isinstance(value, (bool, int, float, complex)):
        return value
    return backend.to_host(value)


def host_key(key, backend):
    """An index key with every array in it turned into a NumPy array."""
    if isinstance(key, tuple):
        return tuple(host_key(k, backend) for k in key)
    if isinstance(key, (slice, int, type(None), type(Ellipsis), np.generic)):
        return key
    return backend.to_host(key)


_BY_NAME: dict[str, Backend] = {}
_BY_TYPE: dict[type, Backend] = {}


def get_backend(name: str) -> Backend:
    """The backend called `name` ("numpy", "array_api_strict", "torch", "dask", "jax", "cupy")."""
    name = _ALIASES.get(name, name)
    found = _BY_NAME.get(name)
    if found is not None:
        return found
    if name not in _MODULES:
        raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(_MODULES)}")
    module = importlib.import_module(_MODULES[name], __package__)
    try:
        backend = module.load()
    except ImportError as error:
        package = _PACKAGES.get(name, name)
        raise ImportError(
            f"backend {name!r} needs the {package!r} package (pip install {package}): {error}"
        ) from None
    _BY_NAME[name] = backend
    _BY_TYPE[backend.array_type] = backend
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


_default: dict = {"backend": None, "device": None, "device_read": False}


def default_backend() -> Backend:
    """The backend for tensors created without a device: $BRIDGETENSOR_BACKEND, else NumPy."""
    found = _default["backend"]
    if found is None:
        found = _default["backend"] = get_backend(os.environ.get("BRIDGETENSOR_BACKEND", "numpy"))
    return found


def default_device() -> device | None:
    """The device for tensors created without one: $BRIDGETENSOR_DEVICE, else the library's
    default (None). It lets the suite run on array-api-strict's fake "device1"."""
    if not _default["device_read"]:
        name = os.environ.get("BRIDGETENSOR_DEVICE")
        _default["device"] = device(name) if name else None
        _default["device_read"] = True
    return _default["device"]


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
        return default_backend(), default_device()
    dev = dev if isinstance(dev, device) else device(dev)
    if dev.type == "cuda":
        backend = _cupy_backend()
        if dev.index is None:  # torch's "cuda" is the current GPU: a tensor there stays put
            dev = device("cuda", backend.lib.cuda.runtime.getDevice())
        return backend, dev
    backend = default_backend()
    if dev.type == "cpu":
        return (get_backend("numpy"), None) if backend.is_gpu else (backend, dev)
    backend.check_device(dev)
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


def persist(*tensors):
    """Evaluate lazy tensors (Dask) together and keep their values in memory.

    One pass computes every tensor given, sharing the work on common inputs (a loss and
    the gradients of one backward pass read the data once). On a Dask cluster the values
    stay in the workers' memory. Each tensor keeps its identity and its place in the
    graph; tensors of eager backends are left as they are. Returns the tensors.

    >>> import bridgetensor as bt
    >>> loss = bt.ones(3).sum()
    >>> bt.persist(loss)[0].item()
    3.0
    """
    groups: dict = {}
    for t in tensors:
        if t is not None and t._be.lazy:
            groups.setdefault(t._be, []).append(t)
    for backend, group in groups.items():
        for t, array in zip(group, backend.persist([t._data for t in group])):
            if backend.mutable:
                backend.write_whole(t._data, array)  # aliases of t (.data, detach) follow
            else:
                t._data = array
    return tensors
