"""The array-API namespace bridgetensor uses for NumPy arrays.

It is array-api-compat's NumPy namespace with a few functions replaced, each for a
measured reason:

- speed: on 100 elements `np.sum` costs about 2.5 us against about 0.9 us for
  `np.add.reduce`, which means the same for floating input;
- torch's numbers for whole-tensor sums and means (what `.item()` shows): these add in
  torch's order (see _torch_sum.py); sums over some axes keep NumPy's pairwise order,
  within an ulp of torch's, because replaying torch's order costs several NumPy calls;
- torch's numbers: NumPy's float32 SIMD exp, log, sin, tanh, ... are within an ulp
  but not correctly rounded (39% of float32 `exp` results differ from torch's on random
  input, 16% for `log`), while torch's agree with the correctly rounded value almost
  always (evaluating in float64 and rounding matches torch on 99% of `exp` results and
  99.96% of `log`'s). So float16/float32 transcendentals are evaluated in float64 and
  rounded back, which is what makes printed results match torch digit for digit. It costs
  about 3x NumPy's float32 time on large arrays for these functions only;
- speed again: maximum/minimum with a Python number, and relu's forward (in
  `primitive_forwards`, which the op mechanism prefers for the primitive of that name).
"""

from __future__ import annotations

import types

import numpy as np

from ._backend import Backend
from ._torch_sum import torch_order_sum

_add_reduce = np.add.reduce
_compat_sum = _compat_mean = None

# Functions whose float32 NumPy kernels round differently from torch's.
_ROUNDED_VIA_FLOAT64 = (
    "exp",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "atan2",
    "logaddexp",
    "pow",
)
_SHORT_FLOATS = frozenset("ef")  # NumPy's type characters of float16 and float32
_NUMBERS = (int, float)
_asarray = np.asarray


def _sum(x, /, *, axis=None, dtype=None, keepdims=False):
    if dtype is None and x.dtype.kind in "fc":
        if axis is None:
            exact = torch_order_sum(x, None, keepdims)
            if exact is not None:
                return exact
        return _add_reduce(x, axis=axis, keepdims=keepdims)
    return _compat_sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


def _mean(x, /, *, axis=None, keepdims=False):
    # torch's mean is its sum divided by the count, in the input's dtype.
    if axis is None and x.dtype.kind == "f":
        exact = torch_order_sum(x, None, keepdims)
        if exact is not None:
            return exact / x.size
    return _compat_mean(x, axis=axis, keepdims=keepdims)


_ZEROS = {np.dtype(c): np.zeros((), dtype=c) for c in "bBhHiIlLqQefdFD?"}
_maximum = np.maximum


def _relu(x, /):
    # relu's forward on NumPy: the zero as a 0-d array of x's dtype (kept per dtype) makes
    # `maximum` as cheap as an array-array op.
    zero = _ZEROS.get(x.dtype)
    return _maximum(x, zero if zero is not None else 0)


def _typed_scalar(ufunc):
    """`ufunc` with a Python-number operand turned into a 0-d array of the other's dtype.

    NumPy's maximum/minimum take a Python number about twice as slowly as the whole op on
    100 elements costs; a 0-d array of the right dtype costs nothing extra. The engine has
    already promoted the array, so the number's kind is never above the array's.
    """

    def binary(x, y, /):
        try:
            if type(y) in _NUMBERS:
                y = _asarray(y, dtype=x.dtype)
            elif type(x) in _NUMBERS:
                x = _asarray(x, dtype=y.dtype)
        except OverflowError:  # a number out of the dtype's range: NumPy's own rule decides
            pass
        return ufunc(x, y)

    return binary


def _via_float64(ufunc):
    """`ufunc` evaluated in float64 for float16/float32 input, rounded back to its dtype."""
    if ufunc.nin == 1:

        def unary(x, /):
            if x.dtype.char in _SHORT_FLOATS:
                return ufunc(x, dtype=np.float64).astype(x.dtype, copy=False)
            return ufunc(x)

        return unary

    def binary(x, y, /):
        # The engine has promoted both operands already: either one's dtype is the result's.
        kind = x.dtype if hasattr(x, "dtype") else y.dtype
        # x ** 2 is exact in float32 already (and the most common power).
        if kind.char in _SHORT_FLOATS and not (type(y) is int and y == 2):
            return ufunc(x, y, dtype=np.float64).astype(kind, copy=False)
        return ufunc(x, y)

    return binary


def numpy_namespace(compat_numpy) -> types.ModuleType:
    global _compat_sum, _compat_mean
    xp = types.ModuleType("bridgetensor._numpy_xp.namespace")
    xp.__dict__.update(
        {
            k: v
            for k, v in vars(compat_numpy).items()
            if not k.startswith("__") or k in ("__array_api_version__", "__array_namespace_info__")
        }
    )
    _compat_sum = compat_numpy.sum
    _compat_mean = compat_numpy.mean
    xp.sum = _sum
    xp.mean = _mean
    # Forwards of bridgetensor primitives that the NumPy backend computes its own way.
    xp.primitive_forwards = {"relu": _relu}
    # array-api-compat wraps matmul for the standard's promotion rules, which the engine has
    # applied already: NumPy's own is about 0.4 us faster per call on small matrices.
    xp.matmul = np.matmul
    xp.maximum = _typed_scalar(np.maximum)
    xp.minimum = _typed_scalar(np.minimum)
    for name in _ROUNDED_VIA_FLOAT64:
        ufunc = getattr(compat_numpy, name)
        if isinstance(ufunc, np.ufunc):
            setattr(xp, name, _via_float64(ufunc))
    return xp


class NumpyBackend(Backend):
    """NumPy: host memory, shared as it is; np.add.at scatters."""

    __slots__ = ()

    def to_host(self, array) -> np.ndarray:
        return array

    def from_host(self, array, dev=None, *, copy=False):
        return array.copy() if copy else array

    def may_share_memory(self, a, b) -> bool:
        return a.size == 0 or np.may_share_memory(a, b)

    def writable(self, view, source):
        # NumPy's diagonal() is a read-only view of writable memory; torch's may be written.
        if not view.flags.writeable and source.flags.writeable:
            view.flags.writeable = True
        return view

    def index(self, x, key):
        return x[key]

    def scatter_add(self, target, key, values):
        np.add.at(target, key, values)
        return target


def load() -> NumpyBackend:
    import array_api_compat.numpy as compat

    return NumpyBackend("numpy", np, numpy_namespace(compat))
