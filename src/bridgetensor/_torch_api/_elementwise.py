"""Shared pieces of the elementwise torch face: dtype refusals and in-place makers."""

from __future__ import annotations

from .. import _dtypes, ops
from ..autograd import _mode
from ..autograd._primitive import _dtypes_name
from ..ops._helpers import is_tensor, wrap

__all__ = [
    "assign",
    "constant_mask",
    "floating_only",
    "inplace",
    "inplace_composite",
    "method",
    "no_bool",
    "tensor_operand",
    "torch_name",
]

torch_name = _dtypes_name  # float32 -> "Float", as torch's messages spell dtypes


def floating_only(name: str, *operands) -> None:
    """torch implements some ops for floating dtypes only: NotImplementedError otherwise.

    What counts is the dtype the operands promote to, so one float operand suffices.
    """
    worst = None
    for a in operands:
        if is_tensor(a):
            if a.dtype.category >= _dtypes.FLOATING:
                return
            worst = a.dtype if worst is None or a.dtype.category > worst.category else worst
        elif isinstance(a, (float, complex)):
            return
    if worst is not None:
        raise NotImplementedError(
            f"{name}: expected a floating-point tensor; got {worst.name} "
            f"(torch: not implemented for '{torch_name(worst)}')"
        )


def no_bool(name: str, *operands) -> None:
    """torch's rounding and arithmetic kernels have no bool version."""
    for a in operands:
        if is_tensor(a) and a._be.kinds[a._data.dtype] == "b":
            raise NotImplementedError(
                f"{name}: expected a numeric tensor; got bool (torch: not implemented for 'Bool')"
            )


def tensor_operand(name: str, value, position: str = "other") -> None:
    """torch refuses a Python number where its signature says Tensor."""
    if not is_tensor(value):
        raise TypeError(
            f"{name}(): argument '{position}' must be Tensor, not {type(value).__name__}"
        )


def constant_mask(x, value: bool):
    """An all-True or all-False bool tensor of x's shape and backend."""
    xp = x._be.xp
    make = xp.ones_like if value else xp.zeros_like
    return wrap(make(x._data, dtype=xp.bool), x._be)


def method(fn):
    """A torch-face function as a Tensor method (the tensor is its first argument)."""

    def bound(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    bound.__name__ = fn.__name__
    bound.__doc__ = fn.__doc__
    return bound


def inplace(prim, name: str | None = None, *, refuse_bool: bool = False):
    """``t.op_(*args)`` for a primitive: computed out of place, written into t."""
    name = (name or prim.name) + "_"

    if refuse_bool:

        def method(self, *args, **static):
            no_bool(name, self)
            return prim.inplace(self, *args, **static)

    else:

        def method(self, *args, **static):
            return prim.inplace(self, *args, **static)

    method.__name__ = name
    return method


def inplace_composite(fn, name: str | None = None):
    """``t.op_(*args)`` for a composite op: its result written into t like a primitive's."""

    def method(self, *args, **kwargs):
        source = self
        if _mode.state.grad_enabled and self._requires_grad:
            # The composite may keep `self` for its backward; the write would spoil it.
            source = self._snapshot()
        return assign(self, fn(source, *args, **kwargs))

    method.__name__ = (name or fn.__name__) + "_"
    return method


def assign(target, result):
    """Write `result` into `target` with torch's in-place rules (dtype, shape, autograd)."""
    if result.dtype is not target.dtype:
        if result.dtype.category > target.dtype.category:
            raise RuntimeError(
                f"result type {torch_name(result.dtype)} can't be cast to the desired output "
                f"type {torch_name(target.dtype)}"
            )
        result = ops.astype(result, dtype=target.dtype)
    if tuple(result.shape) != tuple(target.shape):
        raise RuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}"
        )
    return ops.setitem.inplace(target, result, key=(Ellipsis,))
