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
  about 3x NumPy's float32 time on large arrays for these functions only.
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

    def scatter_add(self, target, key, values):
        np.add.at(target, key, values)
        return target


def load() -> NumpyBackend:
    import array_api_compat.numpy as compat

    return NumpyBackend("numpy", np, numpy_namespace(compat))
