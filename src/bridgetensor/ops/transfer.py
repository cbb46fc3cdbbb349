"""Moving data between backends and devices, differentiably."""

from __future__ import annotations

from ..autograd._primitive import primitive

__all__ = ["transfer"]


@primitive(dtypes=None, grad_name="ToCopyBackward0")
def transfer(x, /, *, xp, backend, device):
    """x's values as an array of `backend` on `device` (a copy unless DLPack can share)."""
    from .._backend import backend_of_array
    from .._interop import host_array

    source = backend_of_array(x)
    native = backend.native_device(device)
    try:
        return backend.xp.from_dlpack(x) if native is None else backend.xp.asarray(x, device=native)
    except (TypeError, BufferError, RuntimeError, ValueError, AttributeError):
        host = host_array(x, source)
        kwargs = {} if native is None else {"device": native}
        return backend.xp.asarray(host, **kwargs)


def _back(g, out, x, *, backend, device):
    return transfer(g, backend=_source_backend(x), device=x.device)


def _source_backend(x):
    return x._be if hasattr(x, "_be") else None


transfer.defvjp(_back)
