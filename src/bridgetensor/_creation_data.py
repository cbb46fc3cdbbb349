"""Python data to a host NumPy array with torch's shape checks and dtype inference.

torch reads nested sequences in two passes, and so does this module: the shape comes
from the first element at each depth, then every element is checked against it while
its dtype joins the running promotion. Python floats give the default dtype, Python
ints int64, bools bool, complex numbers the default complex dtype; NumPy scalars,
arrays and tensors bring their own dtypes (``[1, np.float16(2)]`` is float16).
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from .autograd import _primitive

__all__ = ["check_numpy_dtype", "host_data"]

_MAX_DIMS = 64  # torch's limit on nesting depth


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def _is_sequence(value) -> bool:
    # str is a sequence to torch too: its nesting never ends ("too many dimensions").
    if isinstance(value, (list, tuple, range, str)):
        return True
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return False


def _leaf_dtype(value):
    """torch's dtype for one non-sequence element."""
    kind = type(value)
    if kind is float:
        return _dtypes.get_default_dtype()
    if kind is int:
        return _dtypes.int64
    if kind is bool:
        return _dtypes.bool
    if kind is complex:
        return _dtypes._default["complex"]
    if isinstance(value, (np.generic, np.ndarray)):
        return _dtypes.from_numpy_dtype(value.dtype)
    if _is_tensor(value):
        return value.dtype
    if isinstance(value, bool):
        return _dtypes.bool
    if isinstance(value, int):
        return _dtypes.int64
    if isinstance(value, float):
        return _dtypes.get_default_dtype()
    if isinstance(value, complex):
        return _dtypes._default["complex"]
    raise RuntimeError(f"Could not infer dtype of {type(value).__name__}")


def _shape_of(data) -> list[int]:
    sizes = []
    item = data
    while _is_sequence(item):
        if isinstance(item, str):
            raise ValueError("too many dimensions 'str'")
        sizes.append(len(item))
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(item).__name__}'")
        if not len(item):
            break
        item = item[0]
    return sizes


def _promote(result, found):
    if result is None or result is found:
        return found
    try:
        return _dtypes.promote_types(result, found)
    except TypeError:
        raise RuntimeError(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to "
            f"promote {_torch_name(result)} and {_torch_name(found)}"
        ) from None


def _torch_name(d) -> str:
    names = {"uint64": "UInt64", "uint32": "UInt32", "uint16": "UInt16", "int8": "Char"}
    names.update({"int16": "Short", "int32": "Int", "int64": "Long", "uint8": "Byte"})
    return names.get(d.name, d.name.capitalize())


def _walk(data, sizes, leaves):
    """Check every sequence's length against `sizes`; collect leaves; return their dtype."""
    result = None
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth == len(sizes):
            if isinstance(item, str):
                raise TypeError("new(): invalid data type 'str'")
            if _is_sequence(item):
                # Deeper than the first element said: torch reads it as a number.
                raise TypeError(
                    f"'{type(item).__name__}' object cannot be interpreted as an integer"
                )
            result = _promote(result, _leaf_dtype(item))
            leaves.append(item)
            continue
        if isinstance(item, np.ndarray) and item.ndim == len(sizes) - depth:
            if list(item.shape) != sizes[depth:]:
                _ragged(sizes, depth, item)
            result = _promote(result, _dtypes.from_numpy_dtype(item.dtype))
            leaves.append(item)
            continue
        if not _is_sequence(item):
            raise TypeError("not a sequence")
        if len(item) != sizes[depth]:
            raise ValueError(
                f"expected sequence of length {sizes[depth]} at dim {depth} (got {len(item)})"
            )
        stack.extend((child, depth + 1) for child in reversed(list(item)))
    return result


def _empty_dtype(data):
    """torch's dtype for data holding no elements: empty sequences count as the default."""
    result = None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            raise TypeError("new(): invalid data type 'str'")
        if _is_sequence(item) and not isinstance(item, np.ndarray):
            if not len(item):
                result = _promote(result, _dtypes.get_default_dtype())
            stack.extend(item)
        else:
            result = _promote(result, _leaf_dtype(item))
    return result or _dtypes.get_default_dtype()


def _ragged(sizes, depth, array):
    for dim, (want, got) in enumerate(zip(sizes[depth:], array.shape)):
        if want != got:
            raise ValueError(f"expected sequence of length {want} at dim {depth + dim} (got {got})")


def _leaf_values(leaves, np_dtype):
    """The leaves as one flat NumPy array of `np_dtype` (tensors and arrays flattened)."""
    parts = []
    scalars = []
    for leaf in leaves:
        if _is_tensor(leaf):
            if leaf.numel() != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            scalars.append(leaf.item())
        elif isinstance(leaf, np.ndarray):
            if scalars:
                parts.append(_scalars_to(scalars, np_dtype))
                scalars = []
            parts.append(leaf.astype(np_dtype).reshape(-1))
        elif isinstance(leaf, np.generic):
            scalars.append(leaf.item())
        else:
            scalars.append(leaf)
    if scalars or not parts:
        parts.append(_scalars_to(scalars, np_dtype))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _scalars_to(values, np_dtype) -> np.ndarray:
    """Python numbers as `np_dtype`, converted as torch converts them."""
    kind = np_dtype.kind
    if kind in "iub":
        if kind != "b" and any(isinstance(v, complex) for v in values):
            raise TypeError("must be real number, not complex")
        if kind == "b":
            return np.array([bool(v) for v in values], dtype=np_dtype)
        # torch wraps negative ints into unsigned types but refuses other overflow.
        info = np.iinfo(np_dtype)
        low = -(2**63) if kind == "u" else info.min
        checked = []
        for v in values:
            finite = not isinstance(v, float) or abs(v) < float("inf")
            number = int(v) if finite else None
            if number is None or not low <= number <= info.max:
                raise RuntimeError(
                    f"value cannot be converted to type {_c_name(np_dtype)} without overflow"
                )
            checked.append(number)
        return np.array(checked, dtype=np.int64).astype(np_dtype)
    if kind == "f" and any(isinstance(v, complex) for v in values):
        raise TypeError("must be real number, not complex")
    try:
        with np.errstate(over="ignore"):
            return np.array(values, dtype=np_dtype)
    except OverflowError:
        raise ValueError("Overflow when unpacking double") from None


def _c_name(np_dtype) -> str:
    return np_dtype.name


def check_numpy_dtype(np_dtype) -> None:
    """torch's TypeError for NumPy dtypes with no tensor equivalent (str, object, ...)."""
    try:
        _dtypes.from_numpy_dtype(np_dtype)
    except TypeError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np_dtype.type.__name__}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint64, uint32, uint16, uint8, and bool."
        ) from None


def _flat_numbers(data, dtype):
    """The common case, done in one NumPy call: a flat list of Python ints (or floats) with
    no dtype asked for. (A DataLoader builds one per batch of indices.) None otherwise."""
    if dtype is not None or type(data) is not list or not data:
        return None
    kind = type(data[0])
    if kind is int:
        if all(type(v) is int for v in data):
            try:
                return np.array(data, dtype=np.int64)
            except OverflowError:
                return None  # the general path raises torch's error
    elif kind is float and all(type(v) is float for v in data):
        return np.array(data, dtype=_np(_dtypes.get_default_dtype()))
    return None


def host_data(data, dtype=None) -> np.ndarray:
    """`data` (numbers, nested sequences, arrays, tensors) as a new host array.

    The array may share memory with `data` when `data` already is one; callers that
    need a copy make it.
    """
    if isinstance(data, np.ndarray):
        check_numpy_dtype(data.dtype)
        return _native(data) if dtype is None else _native(data).astype(_np(dtype))
    if isinstance(data, np.generic):
        check_numpy_dtype(data.dtype)
        array = np.asarray(data)
        return array if dtype is None else array.astype(_np(dtype))
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    flat = _flat_numbers(data, dtype)
    if flat is not None:
        return flat
    if not _is_sequence(data):
        if _is_tensor(data):
            from ._interop import host_array

            array = host_array(data._data, data._be)
            return array if dtype is None else array.astype(_np(dtype))
        found = _leaf_dtype(data)
        if _int_overflows(data, dtype):
            raise ValueError("Overflow when unpacking long long")
        return _scalars_to([data], _np(dtype or found)).reshape(())
    sizes = _shape_of(data)
    if 0 in sizes:
        # Nothing to store: torch only infers the dtype, without checking lengths.
        target = dtype or _empty_dtype(data)
        return np.empty(sizes, dtype=_np(target))
    leaves = []
    found = _walk(data, sizes, leaves)
    if found is None:  # no elements at all
        found = _dtypes.get_default_dtype()
    target = dtype or found
    if dtype is None or target.category == _dtypes.INTEGER:
        for leaf in leaves:
            if _int_overflows(leaf, dtype):
                raise ValueError("Overflow when unpacking long long")
    return _leaf_values(leaves, _np(target)).reshape(sizes)


def _int_overflows(value, dtype) -> bool:
    return (
        type(value) is int
        and (dtype is None or dtype is _dtypes.int64)
        and not -(2**63) <= value < 2**63
    )


def _np(dtype):
    return _dtypes.to_numpy_dtype(dtype)


def _native(array: np.ndarray) -> np.ndarray:
    """`array` in native byte order (a copy only when it is not already)."""
    if array.dtype.isnative:
        return array
    return array.astype(array.dtype.newbyteorder("="))
