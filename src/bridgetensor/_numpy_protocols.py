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

from ._numpy_api import FAST_UFUNCS, FUNCTIONS, Unsupported, call_fallback, call_ufunc
from ._numpy_api._core import check_backend, numpy_name
from .autograd._primitive import TENSOR_TYPES

__all__ = ["NumpyProtocolMethods"]

_fast = FAST_UFUNCS.get
_function = FUNCTIONS.get
_NUMBERS = (float, int)


class NumpyProtocolMethods:
    __slots__ = ()

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # The common calls (floating tensors of one dtype, Python numbers beside them)
        # go straight to the op: there NumPy's dtype rule and the op's agree.
        if method == "__call__" and not kwargs:
            op = _fast(ufunc)
            if op is not None:
                be = self._be
                if be.is_numpy:
                    if len(inputs) == 1:
                        if be.kinds[self._data.dtype] == "f":
                            return op(self)
                    elif len(inputs) == 2:
                        x, y = inputs
                        if type(x) in TENSOR_TYPES:
                            dtype = x._data.dtype
                            if type(y) in TENSOR_TYPES:
                                if y._be is not be or y._data.dtype != dtype:
                                    dtype = None
                            elif type(y) not in _NUMBERS:
                                dtype = None
                        elif type(x) in _NUMBERS:
                            dtype = y._data.dtype
                        else:
                            dtype = None
                        if dtype is not None and be.kinds[dtype] == "f":
                            return op(x, y)
        return call_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        for kind in types:
            if kind not in TENSOR_TYPES and not _known(kind):
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


def _known(kind) -> bool:
    import numpy as np

    from ._tensor import Tensor

    return issubclass(kind, (Tensor, np.ndarray))
