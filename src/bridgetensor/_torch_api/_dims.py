"""What the reduction-like torch functions share: `dim` handling and named results."""

from __future__ import annotations

from collections import namedtuple

from ..autograd._primitive import _dtypes_name
from ..ops._helpers import normalize_axes, normalize_axis

__all__ = ["dim_axis", "dims_axes", "nonempty", "result_type", "torch_name"]

torch_name = _dtypes_name  # "Long", "Float", ... as torch spells dtypes in messages


def result_type(name: str, fields: list[str]) -> type:
    """A named tuple printed as torch prints its return types (``...return_types.max(...)``)."""
    base = namedtuple(name, fields)

    def __repr__(self) -> str:
        body = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"bridgetensor.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__})
    cls.__module__ = "bridgetensor.return_types"
    return cls


def dims_axes(input, dim):
    """torch's `dim` (None, int, tuple or list; () means all) as the standard's `axis`.

    Dimensions are checked as torch checks them; a 0-d tensor accepts 0 and -1, and
    reducing it over them is reducing over nothing.
    """
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)):
        if len(dim) == 0:
            return None
        axes = normalize_axes(tuple(dim), input.ndim)
        return None if input.ndim == 0 else axes
    axis = normalize_axis(dim, input.ndim)
    return None if input.ndim == 0 else axis


def dim_axis(input, dim) -> int:
    """One torch `dim` as a non-negative axis (0 for a 0-d tensor), checked as torch does."""
    if not isinstance(dim, int):
        raise TypeError(f"dim must be an int; got {type(dim).__name__}")
    return normalize_axis(dim, input.ndim)


def nonempty(name: str, input, axis) -> None:
    """torch's refusal to reduce an empty dimension by an op with no identity (max, median...)."""
    shape = input.shape
    if axis is None:
        if input.numel() == 0:
            message = f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            if name in ("argmax", "argmin"):
                raise IndexError(message)
            raise RuntimeError(message + " Specify the reduction dim with the 'dim' argument.")
        return
    for a in (axis,) if isinstance(axis, int) else axis:
        if shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")
