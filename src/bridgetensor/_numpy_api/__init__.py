"""The NumPy face: NumPy's functions and ufuncs translated to bridgetensor's ops.

Each module registers its overrides in `FUNCTIONS` (NumPy function -> override); the
ufuncs' table is in `ufuncs`. `Tensor.__array_function__` and `__array_ufunc__`
(in `_numpy_protocols`) dispatch through them.
"""

from . import creation, linalg, padding, reductions, shapes, sorting  # noqa: F401  (they register)
from ._core import FUNCTIONS, Unsupported, call_fallback
from .ufuncs import FAST_UFUNCS, UFUNCS, call_ufunc

__all__ = ["FAST_UFUNCS", "FUNCTIONS", "UFUNCS", "Unsupported", "call_fallback", "call_ufunc"]
