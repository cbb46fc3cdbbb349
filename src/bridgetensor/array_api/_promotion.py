"""The standard's type promotion, applied to operands before a primitive runs.

The primitives promote as torch does, where a 0-d tensor only decides the result's
dtype when it is of a higher kind (``int8[3] + int16[()]`` is int8). The standard
counts every array alike (int16 there), so this face casts the arrays to the
standard's common dtype first; Python scalars then follow the same rule in both.

Mixed kinds (integer with floating, bool with numbers) are left unspecified by the
standard: they keep torch's rule (the higher kind wins, an integer array with a Python
float gives the default float dtype).
"""

from __future__ import annotations

import numpy as np

from .. import _dtypes, ops
from ..autograd import _primitive

__all__ = ["as_operand", "common_dtype", "promote_arrays", "result_type"]

_SCALARS = (bool, int, float, complex)


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def as_operand(value):
    """A Tensor or Python scalar: NumPy arrays and scalars (raw backend arrays) wrapped."""
    if _is_tensor(value) or type(value) in _SCALARS:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "__array_namespace__") or isinstance(value, np.ndarray):
        return _primitive.Tensor._wrap_array(value)
    raise TypeError(
        f"bridgetensor.array_api: expected an array or a Python scalar; got {type(value).__name__}"
    )


def common_dtype(dtypes) -> _dtypes.dtype:
    """The standard's promotion of array dtypes (torch's lattice within a kind is the same)."""
    result = None
    for d in dtypes:
        if result is None or d is result:
            result = d
            continue
        try:
            result = _dtypes.promote_types(result, d)
        except TypeError:
            raise TypeError(
                f"{result.name} and {d.name} have no common dtype (the standard does not "
                "promote uint64 with signed integers)"
            ) from None
    return result


def result_type(*arrays_and_dtypes) -> _dtypes.dtype:
    """The dtype the standard's promotion gives for arrays, dtypes and Python scalars.

    >>> import bridgetensor.array_api as xp
    >>> xp.result_type(xp.int8, xp.asarray(1, dtype=xp.int16), 3)
    bridgetensor.int16
    """
    dtypes, scalars = [], []
    for value in arrays_and_dtypes:
        if type(value) in _SCALARS:
            scalars.append(value)
        elif isinstance(value, _dtypes.dtype):
            dtypes.append(value)
        elif isinstance(value, np.ndarray) or hasattr(value, "__array_namespace__"):
            dtypes.append(as_operand(value).dtype)
        else:
            kind = type(value).__name__
            raise TypeError(f"result_type: expected arrays, dtypes or Python scalars; got {kind}")
    if not dtypes:
        raise ValueError("result_type: at least one array or dtype is required")
    result = common_dtype(dtypes)
    if scalars:
        # A scalar takes the array's dtype within its kind, as torch's rule also gives.
        result = _dtypes.result_type([result], [], scalars)
    return result


def promote_arrays(*operands):
    """The operands with every array cast to the standard's common dtype of the arrays."""
    operands = tuple(as_operand(a) if a is not None else None for a in operands)
    first = None
    mixed = False
    for a in operands:
        if _is_tensor(a):
            if first is None:
                first = a.dtype
            elif a.dtype is not first:
                mixed = True
    if not mixed:
        return operands
    target = common_dtype(a.dtype for a in operands if _is_tensor(a))
    return tuple(
        ops.astype(a, dtype=target) if _is_tensor(a) and a.dtype is not target else a
        for a in operands
    )
