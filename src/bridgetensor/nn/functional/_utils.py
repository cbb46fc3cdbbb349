"""Argument handling the layer functions share: torch's int-or-tuple sizes and checks."""

from __future__ import annotations

from ..._torch_api.shape import squeeze, unsqueeze
from ...ops._linalg_common import torch_name

__all__ = ["as_tuple", "batched", "dtype_error", "planned", "torch_name", "unbatched"]

_PLANS: dict = {}


def as_tuple(value, n: int, name: str, op: str) -> tuple:
    """An int (or a 1-sequence) repeated n times, or a sequence of n ints, as torch reads
    kernel sizes, strides, paddings and dilations."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if isinstance(value, str):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not str")
    try:
        values = tuple(int(v) for v in value)
    except TypeError:
        raise TypeError(
            f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}"
        ) from None
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match "
            f"the convolution dimensions, but got {name}={list(values)}"
        )
    return values


def batched(input, nd: int, op: str):
    """(input with a batch axis, whether one was added) for an (nd + 1)- or (nd + 2)-D input."""
    if input.ndim == nd + 2:
        return input, False
    if input.ndim == nd + 1:
        return unsqueeze(input, 0), True
    raise RuntimeError(
        f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {op}, but got input "
        f"of size: {list(input.shape)}"
    )


def unbatched(output, added: bool):
    return squeeze(output, 0) if added else output


def dtype_error(expected, found) -> RuntimeError:
    return RuntimeError(
        f"expected scalar type {torch_name(expected)} but found {torch_name(found)}"
    )


def planned(key, make):
    """make(), computed once per key: the argument checks and geometry of a layer call
    depend only on its arguments and input shapes and dtypes, and cost about as much as
    a small convolution itself. Unhashable arguments (lists) skip the memo."""
    try:
        found = _PLANS.get(key)
    except TypeError:
        return make()
    if found is None:
        found = make()
        if len(_PLANS) >= 1024:
            _PLANS.clear()
        _PLANS[key] = found
    return found
