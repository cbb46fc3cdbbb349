"""normalize, cosine_similarity and pairwise_distance (composites, as torch computes them)."""

from __future__ import annotations

from ... import ops
from ..._torch_api.math_rounding import clamp_min
from ...ops._helpers import normalize_axis

__all__ = ["cosine_similarity", "normalize", "pairwise_distance"]


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None):
    """input / max(||input||_p along dim, eps).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.normalize(bt.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """
    axis = normalize_axis(dim, input.ndim)
    norm = ops.vector_norm(input, axis=axis, keepdims=True, ord=p)
    result = input / clamp_min(norm, eps)
    if out is not None:
        out.copy_(result)
        return out
    return result


def _clamped_norm(x, axis: int, eps: float):
    """||x|| along axis, raised to eps where smaller: torch clamps it in place under
    no_grad, so the gradient is the norm's own."""
    norm = ops.vector_norm(x, axis=axis, keepdims=True)
    return norm + (clamp_min(norm, eps) - norm).detach()


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    """Cosine of the angle between x1 and x2 along `dim` (broadcast), each vector's norm
    kept at least eps.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.cosine_similarity(bt.tensor([[1.0, 0.0]]), bt.tensor([[1.0, 1.0]]))
    tensor([0.7071])
    """
    if not x1.is_floating_point():
        x1 = x1.float() if not x2.is_floating_point() else x1.to(x2.dtype)
    if not x2.is_floating_point():
        x2 = x2.to(x1.dtype)
    x1, x2 = ops.broadcast_arrays(x1, x2)
    axis = normalize_axis(dim, x1.ndim)
    # Each side divided by its norm first, as torch: the result stays within [-1, 1].
    a = x1 / _clamped_norm(x1, axis, eps)
    b = x2 / _clamped_norm(x2, axis, eps)
    return ops.sum(a * b, axis=axis)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """||x1 - x2 + eps||_p over the last axis (broadcast).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.pairwise_distance(bt.tensor([[0.0, 0.0]]), bt.tensor([[3.0, 4.0]]))
    tensor([5.0000])
    """
    ndim = max(x1.ndim, x2.ndim)
    return ops.vector_norm(x1 - x2 + eps, axis=ndim - 1, keepdims=keepdim, ord=p)
