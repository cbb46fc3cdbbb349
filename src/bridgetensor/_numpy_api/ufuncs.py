"""NumPy's ufuncs on Tensors: ``np.sin(t)``, ``ndarray + t``, ``np.add.reduce(t)``.

Each ufunc with a bridgetensor op maps to it. A call runs in the dtypes NumPy 2 would
pick (``ufunc.resolve_dtypes``, cached per dtype combination): the operands are cast to
NumPy's loop dtypes, the op runs, and its result is cast to NumPy's output dtype where
the op's own rule differs (NumPy's ``reciprocal`` of an integer stays an integer).
"""

from __future__ import annotations

import numpy as np

from .. import ops
from .._torch_api import math, math_compare, math_functions
from ..autograd import _primitive as _prim
from ..ops._helpers import zeros_like
from ._core import (
    NOVALUE,
    Unsupported,
    as_tensor,
    call_fallback,
    cast,
    check_backend,
    finish,
    numpy_name,
)

__all__ = ["FAST_UFUNCS", "UFUNCS", "call_ufunc"]


def _cbrt(x):
    # No cbrt op: a composite (values within an ulp or two of NumPy's; the gradient at 0
    # is nan where the true derivative is infinite).
    return ops.sign(x) * ops.pow(ops.abs(x), 1.0 / 3.0)


def _divmod(x, y):
    return ops.floor_divide(x, y), ops.remainder(x, y)


def _matvec(a, v):
    return ops.squeeze(ops.matmul(a, ops.expand_dims(v, axis=-1)), axis=-1)


def _vecmat(v, a):
    return ops.squeeze(ops.matmul(ops.expand_dims(ops.conj(v), axis=-2), a), axis=-2)


# ufunc -> the bridgetensor op computing it (on operands already in NumPy's loop dtypes).
UFUNCS = {
    np.add: ops.add,
    np.subtract: ops.subtract,
    np.multiply: ops.multiply,
    np.divide: ops.divide,
    np.floor_divide: ops.floor_divide,
    np.power: ops.pow,
    np.float_power: math.float_power,
    np.negative: ops.negative,
    np.positive: ops.positive,
    np.absolute: ops.abs,
    np.fabs: ops.abs,
    np.remainder: ops.remainder,
    np.fmod: ops.fmod,
    np.divmod: _divmod,
    np.rint: ops.round,
    np.sign: ops.sign,
    np.conjugate: ops.conj,
    np.exp: ops.exp,
    np.exp2: ops.exp2,
    np.expm1: ops.expm1,
    np.log: ops.log,
    np.log2: ops.log2,
    np.log10: ops.log10,
    np.log1p: ops.log1p,
    np.sqrt: ops.sqrt,
    np.square: ops.square,
    np.cbrt: _cbrt,
    np.reciprocal: ops.reciprocal,
    np.sin: ops.sin,
    np.cos: ops.cos,
    np.tan: ops.tan,
    np.arcsin: ops.asin,
    np.arccos: ops.acos,
    np.arctan: ops.atan,
    np.arctan2: ops.atan2,
    np.hypot: ops.hypot,
    np.sinh: ops.sinh,
    np.cosh: ops.cosh,
    np.tanh: ops.tanh,
    np.arcsinh: ops.asinh,
    np.arccosh: ops.acosh,
    np.arctanh: ops.atanh,
    np.deg2rad: math_functions.deg2rad,
    np.radians: math_functions.deg2rad,
    np.rad2deg: math_functions.rad2deg,
    np.degrees: math_functions.rad2deg,
    np.bitwise_and: ops.bitwise_and,
    np.bitwise_or: ops.bitwise_or,
    np.bitwise_xor: ops.bitwise_xor,
    np.invert: ops.bitwise_invert,
    np.left_shift: ops.bitwise_left_shift,
    np.right_shift: ops.bitwise_right_shift,
    np.equal: ops.equal,
    np.not_equal: ops.not_equal,
    np.less: ops.less,
    np.less_equal: ops.less_equal,
    np.greater: ops.greater,
    np.greater_equal: ops.greater_equal,
    np.logical_and: ops.logical_and,
    np.logical_or: ops.logical_or,
    np.logical_xor: ops.logical_xor,
    np.logical_not: ops.logical_not,
    np.maximum: ops.maximum,
    np.minimum: ops.minimum,
    np.fmax: math_compare.fmax,
    np.fmin: math_compare.fmin,
    np.isfinite: ops.isfinite,
    np.isinf: ops.isinf,
    np.isnan: ops.isnan,
    np.signbit: ops.signbit,
    np.copysign: ops.copysign,
    np.nextafter: ops.nextafter,
    np.floor: ops.floor,
    np.ceil: ops.ceil,
    np.trunc: ops.trunc,
    np.logaddexp: ops.logaddexp,
    np.logaddexp2: ops.logaddexp2,
    np.matmul: ops.matmul,
    np.vecdot: ops.vecdot,
    np.matvec: _matvec,
    np.vecmat: _vecmat,
}

# The ops that can run straight on floating tensors of one dtype (and Python numbers):
# there NumPy's dtype rule and the op's agree, so no resolution is needed (the fast
# path in Tensor.__array_ufunc__). Composites of several ops gain nothing from it.
FAST_UFUNCS = {u: f for u, f in UFUNCS.items() if isinstance(f, _prim.Primitive)}

_RESOLVED: dict = {}


def _resolve(ufunc, keys, signature, casting):
    """NumPy's (input dtypes, output dtypes) for operands of `keys`, cached."""
    cache_key = (ufunc, keys, signature, casting)
    found = _RESOLVED.get(cache_key)
    if found is None:
        options = {"casting": casting}
        if signature is not None:
            options["signature"] = signature
        dtypes = ufunc.resolve_dtypes(keys + (None,) * ufunc.nout, **options)
        found = _RESOLVED[cache_key] = (dtypes[: ufunc.nin], dtypes[ufunc.nin :])
    return found


def _key(value):
    if type(value) is bool:
        return np.dtype(bool)
    if type(value) in (int, float, complex):
        return type(value)  # a weak Python number
    return value._data.dtype


def _operand(value, ufunc):
    if isinstance(value, _prim.Tensor):
        check_backend(value, ufunc)
        return value
    if type(value) in (int, float, complex, bool):
        return value
    return as_tensor(value, numpy_name(ufunc))


def _signature(ufunc, dtype, signature):
    if signature is not None:
        if isinstance(signature, str) or not isinstance(signature, tuple):
            raise Unsupported("signature= other than a tuple of dtypes")
        return tuple(None if s is None else np.dtype(s) for s in signature)
    if dtype is None:
        return None
    return (None,) * ufunc.nin + (np.dtype(dtype),) * ufunc.nout


def _compute(ufunc, inputs, dtype=None, signature=None, casting="same_kind"):
    """The op of `ufunc` on `inputs`, in NumPy's dtypes (a tuple for several outputs)."""
    compute = UFUNCS.get(ufunc)
    if compute is None:
        raise Unsupported(None)
    operands = [_operand(v, ufunc) for v in inputs]
    keys = tuple(_key(v) for v in operands)
    in_dtypes, out_dtypes = _resolve(ufunc, keys, _signature(ufunc, dtype, signature), casting)
    for i, (value, loop) in enumerate(zip(operands, in_dtypes)):
        if isinstance(value, _prim.Tensor):
            operands[i] = cast(value, loop)
        else:
            # NumPy's conversion: an int out of the loop dtype's range is an OverflowError.
            operands[i] = _prim.Tensor._wrap_array(np.asarray(value, dtype=loop))
    exponent = operands[-1]._data
    if ufunc is np.power and exponent.dtype.kind == "i" and bool((exponent < 0).any()):
        raise ValueError("Integers to negative integer powers are not allowed.")
    result = compute(*operands)
    if ufunc.nout == 1:
        return cast(result, out_dtypes[0])
    return tuple(cast(r, d) for r, d in zip(result, out_dtypes))


def _output_check(ufunc, result, target, casting):
    if not np.can_cast(result._data.dtype, target._data.dtype, casting=casting):
        raise TypeError(
            f"Cannot cast ufunc '{ufunc.__name__}' output from {result._data.dtype!r} to "
            f"{target._data.dtype!r} with casting rule '{casting}'"
        )


def _call(ufunc, inputs, kwargs):
    out = kwargs.pop("out", None)
    where = kwargs.pop("where", True)
    casting = kwargs.pop("casting", "same_kind")
    dtype = kwargs.pop("dtype", None)
    signature = kwargs.pop("signature", None)
    if kwargs.pop("order", "K") not in ("K", "A", "C") or not kwargs.pop("subok", True):
        raise Unsupported("order= or subok=False")
    if kwargs:
        raise Unsupported(f"{', '.join(kwargs)}=")
    outs = (None,) * ufunc.nout if out is None else out
    if any(o is not None and not isinstance(o, _prim.Tensor) for o in outs):
        raise Unsupported("out= is not a Tensor")
    results = _compute(ufunc, inputs, dtype, signature, casting)
    results = results if ufunc.nout > 1 else (results,)
    final = []
    for result, target in zip(results, outs):
        if where is not True:
            mask = as_tensor(where, numpy_name(ufunc), np.dtype(bool))
            # NumPy leaves the unselected places of a new output uninitialised: zeros here.
            kept = zeros_like(result) if target is None else target
            result = ops.where(mask, result, cast(kept, result._data.dtype))
        if target is not None:
            _output_check(ufunc, result, target, casting)
            result = finish(result, target, numpy_name(ufunc))
        final.append(result)
    return tuple(final) if ufunc.nout > 1 else final[0]


# ---------------------------------------------------------------- reduce, accumulate

_REDUCERS = {
    np.add: ops.sum,
    np.multiply: ops.prod,
    np.maximum: ops.max,
    np.minimum: ops.min,
    np.logical_and: ops.all,
    np.logical_or: ops.any,
}
_ACCUMULATORS = {
    np.add: ops.cumulative_sum,
    np.multiply: ops.cumulative_prod,
    np.maximum: ops.cumulative_max,
    np.minimum: ops.cumulative_min,
}
_PROBED: dict = {}


def _numpy_dtype(ufunc, method, dtype, asked):
    """The result dtype NumPy's `ufunc.method` gives for `dtype` (asked once, cached)."""
    key = (ufunc, method, dtype, asked)
    found = _PROBED.get(key)
    if found is None:
        found = getattr(ufunc, method)(np.ones(1, dtype), dtype=asked).dtype
        _PROBED[key] = found
    return found


def _reduce(ufunc, inputs, kwargs):
    (x,) = inputs
    name = numpy_name(ufunc) + ".reduce"
    x = as_tensor(x, name)
    reducer = _REDUCERS.get(ufunc)
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    keepdims = kwargs.pop("keepdims", False)
    initial = kwargs.pop("initial", NOVALUE)
    out = kwargs.pop("out", None)
    if reducer is None or kwargs.pop("where", True) is not True or kwargs:
        raise Unsupported("where= or a ufunc without a reduction op")
    if initial is not NOVALUE and (initial is None or ufunc in (np.logical_and, np.logical_or)):
        raise Unsupported("initial=")
    if isinstance(axis, list):
        axis = tuple(axis)
    if initial is NOVALUE and ufunc in (np.maximum, np.minimum) and _empty(x, axis):
        raise ValueError(
            f"zero-size array to reduction operation {ufunc.__name__} which has no identity"
        )
    asked = None if dtype is None else np.dtype(dtype)
    target = _numpy_dtype(ufunc, "reduce", x._data.dtype, asked)
    if target.itemsize > x._data.itemsize or target.kind != x._data.dtype.kind:
        x = cast(x, target)  # widen before summing, as NumPy accumulates in the wider type
    if axis == () or x.ndim == 0:
        result = x
    else:
        result = reducer(x, axis=axis, keepdims=keepdims)
    if initial is not NOVALUE:
        result = _compute(ufunc, (result, initial))
    return finish(cast(result, target), out, name)


def _empty(x, axis) -> bool:
    shape = tuple(x.shape)
    if axis is None:
        return 0 in shape
    axes = (axis,) if isinstance(axis, int) else axis
    return any(shape[a] == 0 for a in axes)


def _accumulate(ufunc, inputs, kwargs):
    (x,) = inputs
    name = numpy_name(ufunc) + ".accumulate"
    x = as_tensor(x, name)
    scan = _ACCUMULATORS.get(ufunc)
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    out = kwargs.pop("out", None)
    if scan is None or kwargs or not isinstance(axis, int):
        raise Unsupported("a ufunc without a scan op")
    target = _numpy_dtype(
        ufunc, "accumulate", x._data.dtype, None if dtype is None else np.dtype(dtype)
    )
    result = scan(cast(x, target), axis=axis)
    if isinstance(result, tuple):  # cumulative_max/min: (values, indices)
        result = result[0]
    return finish(cast(result, target), out, name)


def _outer(ufunc, inputs, kwargs):
    x, y = (as_tensor(v, numpy_name(ufunc) + ".outer") for v in inputs)
    x = ops.reshape(x, shape=tuple(x.shape) + (1,) * y.ndim)
    return _call(ufunc, (x, y), kwargs)


_METHODS = {"__call__": _call, "reduce": _reduce, "accumulate": _accumulate, "outer": _outer}


def call_ufunc(ufunc, method, inputs, kwargs):
    """`ufunc.method(*inputs, **kwargs)` with at least one Tensor among its arguments."""
    handler = _METHODS.get(method)
    if handler is not None:
        try:
            return handler(ufunc, inputs, dict(kwargs))
        except Unsupported as unsupported:
            why = unsupported.args[0] if unsupported.args else None
    else:
        why = None
    name = numpy_name(ufunc) + ("" if method == "__call__" else "." + method)
    return call_fallback(getattr(ufunc, method), inputs, kwargs, name, why)
