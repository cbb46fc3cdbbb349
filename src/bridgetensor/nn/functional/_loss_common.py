"""What the loss functions share: torch's `reduction` handling, shape rules and a few
elementwise composites with torch's values and gradient conventions.

xlogy_self is t * log(t) with torch's xlogy(t, t) convention at 0 (no log(0) evaluated).
"""

from __future__ import annotations

import warnings

from ... import ops
from ...autograd._primitive import _dtypes_name

__all__ = [
    "apply_reduction",
    "broadcast_pair",
    "check_reduction",
    "legacy_reduction",
    "refuse_grad",
    "resolve_reduction",
    "torch_type",
    "warn_size_mismatch",
    "xlogy_self",
]


def legacy_reduction(size_average, reduce, emit_warning: bool = True) -> str:
    """The `reduction` string for torch's deprecated `size_average` / `reduce` flags."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        found = "none"
    else:
        found = "mean" if size_average else "sum"
    if emit_warning:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{found}' instead.",
            stacklevel=4,
        )
    return found


def check_reduction(reduction: str) -> str:
    """'none', 'mean' or 'sum' (torch's deprecated 'elementwise_mean' is 'mean')."""
    if reduction in ("none", "mean", "sum"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=4,
        )
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")


def resolve_reduction(size_average, reduce, reduction: str) -> str:
    """The reduction a loss uses: the legacy flags win when given, as in torch."""
    if size_average is not None or reduce is not None:
        return legacy_reduction(size_average, reduce)
    return check_reduction(reduction)


def apply_reduction(loss, reduction: str):
    """Apply a checked reduction to per-element losses."""
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    return loss


def refuse_grad(function: str, argument: str, value) -> None:
    """torch's refusal of an input its loss has no derivative for."""
    if value is not None and value.requires_grad:
        raise RuntimeError(
            f"The function '{function}' is not differentiable with respect to argument "
            f"'{argument}'. This input cannot have requires_grad True."
        )


def torch_type(dtype) -> str:
    """torch's short name of a dtype ("Float", "Long"), as its messages print it."""
    return _dtypes_name(dtype)


def warn_size_mismatch(input, target) -> None:
    if tuple(input.shape) != tuple(target.shape):
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            stacklevel=4,
        )


def broadcast_shape(a: tuple, b: tuple) -> tuple:
    """The broadcast of two shapes, with torch's error when they do not broadcast."""
    ndim = max(len(a), len(b))
    a = (1,) * (ndim - len(a)) + tuple(a)
    b = (1,) * (ndim - len(b)) + tuple(b)
    shape = []
    for dim, (m, n) in enumerate(zip(a, b)):
        if m != n and m != 1 and n != 1:
            raise RuntimeError(
                f"The size of tensor a ({m}) must match the size of tensor b ({n}) at "
                f"non-singleton dimension {dim}"
            )
        shape.append(n if m == 1 else m)
    return tuple(shape)


def broadcast_pair(a, b):
    """Both tensors broadcast to their common shape (each unchanged where it has it)."""
    shape = broadcast_shape(tuple(a.shape), tuple(b.shape))
    if tuple(a.shape) != shape:
        a = ops.broadcast_to(a, shape=shape)
    if tuple(b.shape) != shape:
        b = ops.broadcast_to(b, shape=shape)
    return a, b


# ---------------------------------------------------------------- t * log(t)


def xlogy_self(t):
    """t * log(t), 0 where t == 0 (torch's xlogy(t, t)); no log(0) is evaluated."""
    zero = t == 0
    return t * ops.log(ops.where(zero, 1.0, t))
