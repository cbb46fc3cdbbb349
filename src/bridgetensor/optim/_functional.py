"""Array-level tools for optimizer steps: they run outside the graph, in place where they can.

An optimizer step reads ``p._data`` and ``p.grad._data`` and updates them with the
backend's own array operators (``a *= b`` writes in place in NumPy, CuPy, PyTorch and
array-api-strict). Libraries whose arrays are immutable (JAX) or lazy (Dask) turn the
same operators into new arrays, so every update is stored back into its tensor
(``t._data = a``; a no-op where the write was in place). Scalars stay Python floats so a
float32 update stays float32 (NumPy 2 treats Python floats as weak scalars, as torch does).
"""

from __future__ import annotations

from .. import _dtypes
from .._backend import get_backend
from ..autograd import _mode, _primitive

__all__ = [
    "as_float",
    "bump_version",
    "check_betas",
    "check_lr",
    "check_nonnegative",
    "check_real",
    "host_scalar",
    "increment",
    "lerp_",
    "maximum_",
    "run_closure",
    "state_zeros",
    "wrap",
]

wrap = _primitive._wrap
bump_version = _primitive.bump_version


def as_float(value) -> float:
    """A hyperparameter (Python number, NumPy scalar or one-element tensor) as a Python float."""
    return value if type(value) is float else float(value)


def check_lr(lr) -> None:
    """torch's checks of a learning rate: a number, or a one-element tensor, at least 0."""
    from .._tensor import Tensor

    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not lr >= 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_nonnegative(**values) -> None:
    """torch's ``Invalid <what> value`` refusal of negative hyperparameters, in order."""
    for name, value in values.items():
        if not value >= 0.0:
            raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas) -> None:
    for i, beta in enumerate(betas[:2]):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_real(p, optimizer: str) -> None:
    """Refuse complex parameters: torch updates them as pairs of reals (view_as_real),
    which these array updates do not do yet; a clear error beats wrong numbers."""
    if p._be.kinds[p._data.dtype] == "c":
        raise NotImplementedError(
            f"{optimizer}: complex parameters are not supported yet (got {p.dtype}); "
            "optimize their real and imaginary parts as separate real parameters"
        )


def state_zeros(p):
    """A state tensor of zeros shaped, typed and placed like parameter `p` (no graph)."""
    return wrap(p._be.xp.zeros_like(p._data), p._be, None)


def host_scalar(p, value: float):
    """A 0-d tensor in the scalar dtype for a step counter or running product.

    Like torch, it lives on the host (a GPU parameter's counter is a NumPy one), so reading
    it never waits for the device. Its dtype is float64 when that is the default dtype,
    float32 otherwise (torch's ``_get_scalar_dtype``).
    """
    be = get_backend("numpy") if p._be.is_gpu else p._be
    dtype = _dtypes.float64 if _dtypes.get_default_dtype() is _dtypes.float64 else _dtypes.float32
    return wrap(be.xp.asarray(value, dtype=be.native[dtype]), be, None)


def increment(step) -> float:
    """Add one to a step-counter tensor in place; its new value as a Python float."""
    data = step._data
    data += 1
    step._data = data
    return float(data)


def lerp_(start, end, weight: float):
    """``start`` moved toward ``end`` by `weight`, written into `start` where possible.

    torch's formula: ``start + w * (end - start)`` for ``|w| < 0.5``, else
    ``end - (end - start) * (1 - w)``; the form taken keeps the rounding error small.
    """
    diff = end - start
    if abs(weight) < 0.5:
        diff *= weight
        start += diff
        return start
    diff *= 1.0 - weight
    return end - diff


def maximum_(target, other, be):
    """The elementwise maximum of two arrays, written into `target` where possible."""
    if be.is_numpy or be.is_gpu:  # NumPy and CuPy ufuncs write through out=
        be.lib.maximum(target, other, out=target)
        return target
    return be.xp.maximum(target, other)


def run_closure(closure):
    """Evaluate a step closure with gradients enabled, as torch's ``step(closure)`` does."""
    if closure is None:
        return None
    with _mode.enable_grad():
        return closure()
