"""Moving data between backends and devices, differentiably (the gradient moves back)."""

from __future__ import annotations

from ..autograd._primitive import primitive

__all__ = ["contiguous", "transfer"]

_DLPACK_REFUSALS = (TypeError, BufferError, RuntimeError, ValueError, AttributeError)


@primitive(dtypes=None, grad_name="ToCopyBackward0")
def transfer(x, /, *, xp, backend, device, source, source_device):
    """x's values as an array of `backend` on `device`: shared through DLPack where both
    libraries can see the memory (NumPy <-> torch CPU <-> array-api-strict), else copied."""
    native = backend.native_device(device)
    if native is None or device == source_device:
        try:
            return backend.xp.from_dlpack(x)
        except _DLPACK_REFUSALS:
            pass  # another device, or a library that cannot import it: copy through the host
    from .._interop import host_array

    host = host_array(x, source)
    if backend.is_numpy:
        return host
    kwargs = {} if native is None else {"device": native}
    return backend.xp.asarray(host, **kwargs)


transfer.defvjp(
    lambda g, out, x, *, backend, device, source, source_device: transfer(
        g, backend=source, device=source_device, source=backend, source_device=device
    )
)


@primitive(dtypes=None, grad_name="CloneBackward0")
def contiguous(x, /, *, xp):
    """A C-contiguous copy of x (the array API has no memory order: each library's own)."""
    own = getattr(x, "contiguous", None)  # torch
    if own is not None:
        return own()
    if hasattr(x, "flags"):  # NumPy and CuPy: .copy() is C order, unlike asarray(copy=True)
        return x.copy()
    return xp.asarray(x, copy=True)


contiguous.defvjp(lambda g, out, x: g)
