"""What every NumPy override shares: operands, NumPy's dtypes, `out=`, and the fallback.

The dtype rule of the NumPy face: a call NumPy dispatches to us (``np.sin(t)``,
``np.sum(t)``, ``ndarray + t``, ``np.float64(2) * t``) gives the dtype NumPy 2 gives for
the same arrays (NEP 50: Python numbers are weak, NumPy scalars and arrays are strong,
so ``np.multiply(t32, np.float64(2))`` is float64 and ``np.sin(int_tensor)`` float64).
Tensor methods and operators with the Tensor on the left (``t32 * np.float64(2)``)
are the torch face and keep torch's rules (float32 there). Operands are cast to the
dtype NumPy would compute in, then bridgetensor's own op runs.
"""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from ..autograd import _mode
from ..autograd import _primitive as _prim
from ..ops import astype, copy

__all__ = [
    "FUNCTIONS",
    "NOVALUE",
    "Unsupported",
    "as_tensor",
    "call_fallback",
    "cast",
    "check_backend",
    "common",
    "default",
    "finish",
    "float_result",
    "implements",
    "numpy_name",
    "tensors_of",
]

NOVALUE = np._NoValue  # NumPy's "argument not given" marker
_ndarray = np.ndarray
_generic = np.generic
_SCALARS = (int, float, complex, bool)
_state = _mode.state

# NumPy function -> its override, filled by `implements`.
FUNCTIONS: dict = {}

# NumPy functions that write into their first argument.
_WRITES_FIRST = {np.put, np.place, np.putmask, np.fill_diagonal, np.put_along_axis}


class Unsupported(Exception):
    """An override met arguments it does not translate; the call falls back to NumPy."""


def implements(*funcs):
    """Register the decorated function as the override of NumPy's `funcs`."""

    def register(impl):
        for func in funcs:
            FUNCTIONS[func] = impl
        return impl

    return register


def numpy_name(func) -> str:
    """'np.sum', 'np.linalg.norm', 'np.add.reduce' for messages."""
    if isinstance(func, np.ufunc):
        return f"np.{func.__name__}"
    module = getattr(func, "__module__", "") or ""
    prefix = "np.linalg." if module.startswith("numpy.linalg") else "np."
    if module.startswith("numpy.fft"):
        prefix = "np.fft."
    return prefix + getattr(func, "__name__", repr(func))


def check_backend(t, name) -> None:
    """Refuse a tensor of another backend; `name` is the call's name or its ufunc."""
    be = t._be
    if not be.is_numpy:
        if not isinstance(name, str):
            name = numpy_name(name)
        raise TypeError(
            f"{name}: NumPy functions take NumPy-backed tensors only; got a tensor on the "
            f"{be.name} backend. Use the array-API namespace (t.__array_namespace__()) or "
            "bridgetensor's own functions, or convert with bridgetensor.to_numpy(t) (a copy)"
        )


def as_tensor(value, name: str, dtype=None):
    """A NumPy-backed Tensor for an operand: Tensors as they are, anything else through
    np.asarray (NumPy scalars and arrays keep their dtype; Python numbers take `dtype`)."""
    if isinstance(value, _prim.Tensor):
        check_backend(value, name)
        if dtype is not None and value._data.dtype != dtype:
            return cast(value, dtype)
        return value
    array = np.asarray(value, dtype=dtype)
    if array.dtype.kind not in "biufc":
        raise Unsupported(f"an operand of dtype {array.dtype}")
    return _prim.Tensor._wrap_array(array)


def cast(t, dtype):
    """t in the NumPy dtype `dtype` (differentiable; t itself when it already is)."""
    if t._data.dtype == dtype:
        return t
    return astype(t, dtype=_dtypes.from_numpy_dtype(dtype))


def _dtype_key(value):
    if isinstance(value, _prim.Tensor):
        return value._data.dtype
    if isinstance(value, (_ndarray, _generic)):
        return value.dtype
    if type(value) is bool:
        return np.dtype(bool)
    if type(value) in _SCALARS:
        return value  # weak: a Python number
    return np.asarray(value).dtype


def common(values, name: str, *, floating: bool = False):
    """Tensors of NumPy's result dtype of `values` (Python numbers weak, as NEP 50).

    `floating`: integer and bool results become float64 (NumPy's linalg and mean rule).
    """
    dtype = np.result_type(*(_dtype_key(v) for v in values))
    if floating and dtype.kind in "biu":
        dtype = np.dtype(np.float64)
    return [as_tensor(v, name, dtype) for v in values]


def tensors_of(args, found: list):
    """args with Tensors replaced by their arrays (through lists and tuples); the
    Tensors are appended to `found`."""
    if isinstance(args, _prim.Tensor):
        found.append(args)
        return args._data
    if type(args) in (list, tuple):
        return type(args)(tensors_of(a, found) for a in args)
    return args


def _wrap_result(value):
    if type(value) is _ndarray or isinstance(value, _generic):
        if value.dtype.kind in "biufc" and value.dtype.isnative:
            try:
                _dtypes.from_numpy_dtype(value.dtype)
            except TypeError:
                return value
            return _prim.Tensor._wrap_array(value)
        return value
    if isinstance(value, tuple):
        items = [_wrap_result(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if type(value) is list:
        return [_wrap_result(v) for v in value]
    return value


def _carries_gradient(value) -> bool:
    if isinstance(value, (_ndarray, _generic)):
        return value.dtype.kind in "fc"
    if isinstance(value, (tuple, list)):
        return any(_carries_gradient(v) for v in value)
    return type(value) in (float, complex)


def _no_gradient_error(name: str, why: str | None) -> TypeError:
    reason = f" ({why})" if why else ""
    return TypeError(
        f"{name}: bridgetensor has no differentiable version of this NumPy call{reason}, and "
        "an argument requires grad, so its result would silently carry no gradient. Call "
        ".detach() on the argument to compute without gradients, or write the computation "
        "with bridgetensor's ops"
    )


def call_fallback(func, args, kwargs, name: str, why: str | None = None):
    """Run NumPy's own `func` on the tensors' arrays; array results come back as Tensors.

    Refused (TypeError) where a Tensor requires grad and the result has floating values:
    the gradient would be lost without a word. Integer and bool results carry no
    gradient anyway, so `np.argmax`, `np.shape`, `np.isclose` work on any tensor.
    """
    found: list = []
    raw_args = tensors_of(args, found)
    raw_kwargs = {key: tensors_of(value, found) for key, value in kwargs.items()}
    for t in found:
        check_backend(t, name)
    needs_grad = _state.grad_enabled and any(t._requires_grad for t in found)
    written = _written(func, args, kwargs)
    if needs_grad and written:
        raise _no_gradient_error(name, why)
    result = func(*raw_args, **raw_kwargs)
    if needs_grad and _carries_gradient(result):
        raise _no_gradient_error(name, why)
    for t in written:
        _prim.bump_version(t)
    out = kwargs.get("out")
    if out is None:
        return _wrap_result(result)
    if type(out) is not tuple:
        return out  # NumPy returns what it wrote into: the Tensor, or the caller's ndarray
    # A ufunc's outputs: each given output stands for itself.
    results = result if isinstance(result, tuple) else (result,)
    wrapped = tuple(_wrap_result(r) if o is None else o for o, r in zip(out, results))
    return wrapped if isinstance(result, tuple) else wrapped[0]


def _written(func, args, kwargs) -> list:
    """The Tensors `func` writes into: its `out=` and, for np.put and friends, the first."""
    written = []
    out = kwargs.get("out")
    for o in out if type(out) is tuple else (out,):
        if isinstance(o, _prim.Tensor):
            written.append(o)
    method = getattr(func, "__name__", None)
    if (func in _WRITES_FIRST or method == "at") and args and isinstance(args[0], _prim.Tensor):
        written.append(args[0])
    return written


def finish(result, out, name: str):
    """The result, or with `out=` a Tensor: written into it (version bumped, history kept)."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if not isinstance(out, _prim.Tensor):
        raise Unsupported("out= is not a Tensor")
    check_backend(out, name)
    return copy.inplace(out, result)


def float_result(t):
    """t as NumPy's floating result of an integer input (mean, std, linalg): float64."""
    if t._data.dtype.kind in "biu":
        return cast(t, np.dtype(np.float64))
    return t


def default(value, fallback):
    return fallback if value is NOVALUE else value
