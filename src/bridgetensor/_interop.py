"""Zero-copy bridges between Tensors and NumPy, DLPack, the buffer protocol and devices.

What shares memory: `from_numpy`, `frombuffer`, `from_dlpack`, `as_tensor`/`asarray` of
an array of the same dtype, `Tensor.numpy()`, `to_numpy` of a host tensor, `np.asarray(t)`,
`np.from_dlpack(t)`, `torch.from_dlpack(t)` and, on Python 3.12+, `memoryview(t)`.
What copies: `tensor(data)` (always, as in torch), a dtype change, moves between devices,
and three deliberate cases, each explained in docs/numpy-bridge.md:

- DLPack export of an array with negative strides (torch's importer would crash on it),
- DLPack export of read-only memory unless the consumer passes ``copy=False``,
- non-native byte order, which `tensor`/`as_tensor` convert (`from_numpy` refuses it).
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import _dtypes
from ._backend import backend_for_device, default_backend, get_backend
from .autograd import _primitive

__all__ = [
    "InteropMethods",
    "from_dlpack",
    "from_numpy",
    "frombuffer",
    "host_array",
    "to_device",
    "to_numpy",
]

_NUMPY_GRAD_ERROR = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)
# DLPack device types (dlpack.h): host memory, CUDA memory, CUDA pinned host memory.
_KDL_CPU, _KDL_CUDA, _KDL_CUDA_HOST = 1, 2, 3


def from_numpy(ndarray: np.ndarray):
    """A Tensor sharing memory with a NumPy array: writes on either side show on the other.

    >>> import numpy as np, bridgetensor as bt
    >>> a = np.zeros(2); t = bt.from_numpy(a); a[0] = 5; t
    tensor([5., 0.], dtype=bridgetensor.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if not ndarray.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported."
        )
    from ._creation_data import check_numpy_dtype

    check_numpy_dtype(ndarray.dtype)
    return _primitive._wrap(ndarray, get_backend("numpy"), None)


def frombuffer(buffer, *, dtype, count: int = -1, offset: int = 0, requires_grad=False):
    """A 1-D tensor over the raw bytes of a buffer-protocol object, without copying.

    Writes through the tensor change the buffer; a read-only buffer (``bytes``) gives a
    tensor that refuses in-place writes.

    >>> import bridgetensor as bt
    >>> data = bytearray(8); t = bt.frombuffer(data, dtype=bt.int32); t[0] = 7; data[0]
    7
    """
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    length = view.nbytes
    size = dtype.itemsize
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
            f"({length} bytes) minus 1"
        )
    if count < 0:
        if (length - offset) % size:
            raise ValueError(
                f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must "
                f"be a multiple of element size ({size})"
            )
        count = (length - offset) // size
    elif offset + count * size > length:
        raise ValueError(
            f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) "
            f"must not be greater than actual buffer length ({length} bytes)"
        )
    array = np.frombuffer(view.cast("B"), dtype=_dtypes.to_numpy_dtype(dtype), count=count,
                          offset=offset)  # fmt: skip
    t = from_numpy(array)
    if requires_grad:
        t.requires_grad_(True)
    return t


# ---------------------------------------------------------------- DLPack in


class _CapsuleProducer:
    """A bare DLPack capsule dressed as a producer, for importers that want the protocol."""

    __slots__ = ("capsule", "device")

    def __init__(self, capsule) -> None:
        self.capsule = capsule
        self.device = _capsule_device(capsule)

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return self.device


def _capsule_device(capsule) -> tuple[int, int]:
    """(device type, device id) read from a capsule's DLTensor, as dlpack.h lays it out."""
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    name = get_name(capsule)
    if name not in (b"dltensor", b"dltensor_versioned"):
        raise BufferError(f"from_dlpack: expected an unused DLPack capsule; got one named {name!r}")
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    address = get_pointer(capsule, name)
    # Versioned: version (2 x uint32), manager_ctx, deleter, flags (uint64), then the DLTensor.
    start = address + (32 if name == b"dltensor_versioned" else 0)
    pair = (ctypes.c_int32 * 2).from_address(start + ctypes.sizeof(ctypes.c_void_p))
    device_type, device_id = pair
    return int(device_type), int(device_id)


def from_dlpack(ext_tensor, *, device=None, copy=None):
    """A Tensor sharing memory with any DLPack producer (NumPy, PyTorch, CuPy, JAX, ...)
    or a DLPack capsule. Host data lands on the default backend (NumPy unless changed),
    CUDA data on CuPy.

    >>> import numpy as np, bridgetensor as bt
    >>> a = np.arange(3.0); t = bt.from_dlpack(a); a[0] = 9; t
    tensor([9., 1., 2.], dtype=bridgetensor.float64)
    """
    if isinstance(ext_tensor, _primitive.Tensor):
        ext_tensor = ext_tensor.detach()
        from ._creation import _tensor_as

        return _tensor_as(ext_tensor, None, device, copy)
    if type(ext_tensor).__name__ == "PyCapsule":
        ext_tensor = _CapsuleProducer(ext_tensor)
    if not hasattr(ext_tensor, "__dlpack_device__"):
        raise TypeError(
            f"from_dlpack: expected an object with __dlpack__ and __dlpack_device__ or a "
            f"DLPack capsule; got {type(ext_tensor).__name__}"
        )
    device_type, _ = ext_tensor.__dlpack_device__()
    if int(device_type) == _KDL_CUDA:
        backend = get_backend("cupy")
    elif int(device_type) in (_KDL_CPU, _KDL_CUDA_HOST):
        backend = default_backend()
        if not backend.host_dlpack:
            backend = get_backend("numpy")  # libraries that cannot wrap foreign host memory
    else:
        raise BufferError(f"from_dlpack: unsupported DLPack device type {int(device_type)}")
    if backend.name == "torch" and _negative_strides(ext_tensor):
        ext_tensor = ext_tensor.copy()  # torch's importer aborts the process on them
    kwargs = {} if copy is None else {"copy": copy}
    array = backend.xp.from_dlpack(ext_tensor, **kwargs)
    t = _primitive._wrap(array, backend, None)
    if device is not None:
        t = to_device(t, device)
    return t


def _negative_strides(array) -> bool:
    return isinstance(array, np.ndarray) and any(s < 0 for s in array.strides)


# ---------------------------------------------------------------- out to NumPy


def host_array(array, backend) -> np.ndarray:
    """A NumPy array of `array`'s values: shared where the library allows, else copied."""
    return backend.to_host(array)


def to_numpy(t, *, force: bool = False) -> np.ndarray:
    """The tensor's values as a NumPy array: shared for host tensors, copied from a GPU.

    Like ``Tensor.numpy()`` it refuses a tensor that requires grad unless ``force=True``.

    >>> import bridgetensor as bt
    >>> bt.to_numpy(bt.ones(2))
    array([1., 1.], dtype=float32)
    """
    if t._requires_grad and not force:
        raise RuntimeError(_NUMPY_GRAD_ERROR)
    return host_array(t._data, t._be)


def to_device(t, dev):
    """`t` on `dev` ("cpu", "cuda", "cuda:1"): itself when already there, else moved
    differentiably through DLPack (shared when both libraries see the memory)."""
    backend, target = backend_for_device(dev)
    if backend is t._be and (target is None or t.device == target):
        return t
    from .ops.transfer import transfer

    return transfer(t, backend=backend, device=target, source=t._be, source_device=t.device)


def _gpu_refusal(t, what: str) -> TypeError:
    return TypeError(
        f"can't convert {t.device} device type tensor to {what}. Use Tensor.cpu() to copy the "
        "tensor to host memory first."
    )


class InteropMethods:
    __slots__ = ()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a NumPy array sharing memory (host tensors; ``force=True`` also
        detaches and copies GPU data to the host, as in torch)."""
        if self._be.is_gpu and not force:
            raise _gpu_refusal(self, "numpy")
        return to_numpy(self, force=force)

    def __array__(self, dtype=None, copy=None):
        # NumPy 2's protocol: copy=False must share or raise, copy=True must copy.
        if self._be.is_gpu:
            raise _gpu_refusal(self, "numpy")
        if self._requires_grad:
            raise RuntimeError(_NUMPY_GRAD_ERROR)
        array = host_array(self._data, self._be)
        if copy is False and self._be.lazy:
            raise ValueError(
                "__array__: a dask-backed tensor is computed into new memory; copy=False "
                "cannot be honoured"
            )
        if dtype is not None and array.dtype != np.dtype(dtype):
            if copy is False:
                raise ValueError(
                    f"__array__: converting {array.dtype} to {np.dtype(dtype)} needs a copy, "
                    "but copy=False"
                )
            return array.astype(dtype)
        return array.copy() if copy else array

    @property
    def __array_interface__(self) -> dict:
        # NumPy-backed tensors only; others fall through to __array__ (AttributeError).
        if not self._be.is_numpy:
            raise AttributeError("__array_interface__ is offered by NumPy-backed tensors only")
        if self._requires_grad:
            raise RuntimeError(_NUMPY_GRAD_ERROR)
        return self._data.__array_interface__

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """Export through DLPack (``np.from_dlpack(t)``, ``torch.from_dlpack(t)``)."""
        if self._requires_grad:
            raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
        data = self._data
        if isinstance(data, np.ndarray):
            data, copy = _exportable(data, copy)
        kwargs = {"stream": stream}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        if copy is not None:
            kwargs["copy"] = copy
        try:
            return data.__dlpack__(**kwargs)
        except TypeError:
            if set(kwargs) == {"stream"}:
                raise
            # A producer older than DLPack 1.0 takes only `stream`.
            if copy:
                data = self._be.xp.asarray(data, copy=True)
            return data.__dlpack__(stream=stream)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def __buffer__(self, flags: int, /) -> memoryview:
        # PEP 688 (Python 3.12+): memoryview(t), bytes(t), and NumPy's buffer path.
        if self._be.is_gpu:
            raise BufferError(
                f"memory on {self.device} cannot be exported through the buffer protocol; "
                "call .cpu() first"
            )
        if self._requires_grad:
            raise RuntimeError(_NUMPY_GRAD_ERROR)
        if self._be.lazy:
            raise BufferError("a dask-backed tensor has no memory to export; call .numpy()")
        host = host_array(self._data, self._be)
        if flags & 1 and not host.flags.writeable:  # inspect.BufferFlags.WRITABLE
            raise BufferError("the tensor's memory is read-only; a writable buffer was asked for")
        return memoryview(host)

    def __release_buffer__(self, view: memoryview, /) -> None:
        view.release()


def _exportable(array: np.ndarray, copy):
    """The array to hand a DLPack consumer and the copy flag to pass, by our rules."""
    if any(s < 0 for s in array.strides):
        if copy is False:
            raise BufferError(
                "__dlpack__: this tensor has negative strides (a flipped view); DLPack "
                "consumers such as torch cannot import them safely, and copy=False forbids "
                "the positive-stride copy. Call .contiguous() first."
            )
        return array, True  # NumPy's copy has positive strides and sets DLPack's copy flag
    if not array.dtype.isnative:
        if copy is False:
            raise BufferError("__dlpack__: DLPack needs native byte order; copy=False forbids it")
        return array.astype(array.dtype.newbyteorder("=")), True
    if not array.flags.writeable and copy is None:
        # Importers such as torch ignore DLPack's read-only flag and would write into it.
        return array, True
    return array, copy
