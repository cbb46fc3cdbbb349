"""Gradient clipping by total norm or by value, in place on the gradients' arrays."""

from __future__ import annotations

import math
import types
import warnings

from ..._tensor import Tensor
from ...autograd import _primitive

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "get_total_norm",
]


def _as_list(tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _vector_norm(xp, array, norm_type: float):
    """The `norm_type`-norm of all of `array`'s elements, in its own dtype (0-d)."""
    if norm_type == 2.0:
        return xp.sqrt(xp.sum(array * array))
    magnitude = xp.abs(array)
    if norm_type == math.inf:
        return xp.max(magnitude)
    if norm_type == -math.inf:
        return xp.min(magnitude)
    if norm_type == 0.0:
        return xp.sum(xp.astype(array != 0, magnitude.dtype))
    if norm_type == 1.0:
        return xp.sum(magnitude)
    return xp.sum(magnitude**norm_type) ** (1.0 / norm_type)


def get_total_norm(tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach=None):
    """The norm of the norms of `tensors` (that is, of all their elements together).

    >>> import bridgetensor as bt
    >>> bt.nn.utils.get_total_norm([bt.tensor([3.0]), bt.tensor([4.0])])
    tensor(5.)
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        from ..._creation import tensor

        return tensor(0.0)
    be = tensors[0]._be
    xp = be.xp
    norms = [_vector_norm(xp, t._data, norm_type) for t in tensors]
    dtype = xp.result_type(*norms) if len(norms) > 1 else norms[0].dtype
    stacked = xp.stack([xp.astype(xp.asarray(n), dtype) for n in norms])
    total = xp.asarray(_vector_norm(xp, stacked, norm_type))
    if error_if_nonfinite and not bool(xp.all(xp.isfinite(total))):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return _primitive._wrap(total, be, None)


def clip_grads_with_norm_(parameters, max_norm: float, total_norm, foreach=None) -> None:
    """Scale the gradients by ``min(1, max_norm / (total_norm + 1e-6))``, in place.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.ones(1)); (w * 4.0).sum().backward()
    >>> bt.nn.utils.clip_grads_with_norm_([w], 2.0, bt.tensor(4.0)); w.grad
    tensor([2.0000])
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    max_norm = float(max_norm)
    if len(grads) == 0:
        return
    xp = total_norm._be.xp
    coef = max_norm / (total_norm._data + 1e-6)
    # NOTE: torch multiplies even when the factor is 1 (no data-dependent branch on devices).
    coef = xp.minimum(coef, xp.ones_like(coef))
    for grad in grads:
        data = grad._data
        data *= xp.astype(coef, data.dtype) if coef.dtype != data.dtype else coef
        grad._data = data
        _primitive.bump_version(grad)


def clip_grad_norm_(
    parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach=None,
):
    """Rescale the gradients in place so that their total norm is at most `max_norm`;
    returns the total norm before clipping. ``foreach`` is accepted and ignored.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.ones(2)); (w * bt.tensor([3.0, 4.0])).sum().backward()
    >>> bt.nn.utils.clip_grad_norm_([w], max_norm=1.0); w.grad
    tensor(5.)
    tensor([0.6000, 0.8000])
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=2,
            )
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total_norm)
    return total_norm


def clip_grad_norm(
    parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach=None,
):
    """Deprecated name of ``clip_grad_norm_``."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]``, in place.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.ones(2)); (w * bt.tensor([3.0, -0.5])).sum().backward()
    >>> bt.nn.utils.clip_grad_value_([w], 1.0); w.grad
    tensor([ 1.0000, -0.5000])
    """
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        grad = p.grad
        if grad is None:
            continue
        be = grad._be
        data = grad._data
        if be.is_numpy or be.is_gpu:  # NumPy and CuPy ufuncs write through out=
            be.lib.clip(data, -clip_value, clip_value, out=data)
        else:
            grad._data = be.xp.clip(data, -clip_value, clip_value)
        _primitive.bump_version(grad)
