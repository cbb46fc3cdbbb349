"""NumPy's override protocols on Tensors: NumPy code runs on Tensors, with gradients.

``np.sin(t)``, ``np.sum(t, axis=0)``, ``ndarray + t`` and ``np.linalg.solve(a, b)`` call
bridgetensor's ops and give Tensors, differentiable, in the dtypes NumPy 2 gives (see
`_numpy_api._core` for the rule). A NumPy function or ufunc without a bridgetensor
version runs on the arrays when no gradient is at stake, and is refused with a TypeError
naming it when one is: never a silently dropped gradient. Only NumPy-backed tensors
meet NumPy; others are refused with a TypeError saying how to convert.

    >>> import numpy as np, bridgetensor as bt
    >>> x = bt.tensor([0.0, 1.0], dtype=bt.float64, requires_grad=True)
    >>> np.sum(np.sin(x)).backward(); x.grad
    tensor([1.0000, 0.5403], dtype=bridgetensor.float64)
"""

from __future__ import annotations

import numpy as np

from ._numpy_api import FAST_UFUNCS, FUNCTIONS, Unsupported, call_fallback, call_ufunc
from ._numpy_api._core import check_backend, numpy_name
from .autograd._primitive import TENSOR_TYPES, _wrap
from .autograd._primitive import apply1 as _apply1
from .autograd._primitive import apply2 as _apply2

__all__ = ["NumpyProtocolMethods"]

_fast = FAST_UFUNCS.get
_function = FUNCTIONS.get
_ndarray = np.ndarray
_NO_STATIC: dict = {}


class NumpyProtocolMethods:
    __slots__ = ()

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # The common calls (floating operands of one dtype: Tensors, ndarrays, Python
        # numbers) go straight to the op's fast path: there NumPy's dtype rule and the
        # op's agree. Everything else takes NumPy's rule in `call_ufunc`.
        if method == "__call__" and not kwargs:
            op = _fast(ufunc)
            be = self._be
            if op is not None and be.is_numpy:
                dtype = self._data.dtype
                if be.kinds[dtype] == "f":
                    if len(inputs) == 1:
                        return _apply1(op, self, _NO_STATIC)
                    if len(inputs) == 2:
                        x, y = inputs
                        if type(x) in TENSOR_TYPES and type(y) in TENSOR_TYPES:
                            xd, yd = x._data.dtype, y._data.dtype
                            if x._be is y._be and (xd is yd or xd == yd):
                                return _apply2(op, x, y)
                        else:
                            x = _alike(x, dtype, be)
                            y = _alike(y, dtype, be)
                            if x is not None and y is not None:
                                return _apply2(op, x, y)
        return call_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        for kind in types:
            # Plain ndarrays convert; other array types (masked arrays, ...) get their turn.
            if kind not in TENSOR_TYPES and kind is not _ndarray and not _is_tensor_type(kind):
                return NotImplemented
        impl = _function(func)
        if impl is not None:
            if not self._be.is_numpy:
                check_backend(self, numpy_name(func))
            try:
                return impl(*args, **kwargs)
            except Unsupported as unsupported:
                why = unsupported.args[0] if unsupported.args else None
        else:
            why = None
        return call_fallback(func, args, kwargs, numpy_name(func), why)


def _alike(value, dtype, be):
    """value as an operand of a fast call in `dtype`, or None when it needs the full rule."""
    kind = type(value)
    if kind in TENSOR_TYPES:
        data = value._data
        return value if value._be is be and data.dtype == dtype else None
    if kind is _ndarray:
        return _wrap(value, be, None) if value.dtype == dtype else None
    return value if kind is float or kind is int else None


def _is_tensor_type(kind) -> bool:
    from ._tensor import Tensor

    return issubclass(kind, Tensor)
