"""Moving data between backends and devices, differentiably (the gradient moves back)."""

from __future__ import annotations

from ..autograd import _mode
from ..autograd._primitive import _record, _wrap, primitive

__all__ = ["contiguous", "transfer"]

_DLPACK_REFUSALS = (TypeError, BufferError, RuntimeError, ValueError, AttributeError)


def _move(x, backend, device, source, source_device):
    """x's values as an array of `backend` on `device`: shared through DLPack where both
    libraries can see the memory (NumPy <-> torch CPU <-> array-api-strict), else copied."""
    native = backend.native_device(device)
    if native is None or device == source_device:
        try:
            return backend.xp.from_dlpack(x)
        except _DLPACK_REFUSALS:
            pass  # another device, or a library that cannot import it: copy through the host
    from .._interop import host_array

    return backend.from_host(host_array(x, source), device)


# The output lives on another backend than the input, which the generic op path (it
# wraps outputs with the input's backend) cannot express: `transfer` below runs the
# forward itself and records this primitive's node, so its rule gives the gradient.
_transfer = primitive(
    "transfer",
    lambda x, /, *, xp, backend, device, source, source_device: _move(
        x, backend, device, source, source_device
    ),
    dtypes=None,
    grad_name="ToCopyBackward0",
)


def transfer(x, /, *, backend, device, source, source_device):
    """`x` as a tensor of `backend` on `device`; the gradient moves back to `source`."""
    static = {
        "backend": backend,
        "device": device,
        "source": source,
        "source_device": source_device,
    }
    result = _wrap(_move(x._data, **static), backend, None)
    if x._requires_grad and _mode.state.grad_enabled:
        _record(_transfer, (x,), static, (result,))
    return result


_transfer.defvjp(
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
