"""Op-table rows for the Fourier-transform primitives.

The table's checks work on real values: each row casts its real input to complex where
the primitive needs it and folds a complex output into real numbers (re + 2 im), in
Tensor ops, so gradients flow through both steps; the NumPy reference does the same.
"""

from __future__ import annotations

import numpy as np

import bridgetensor as bt
from bridgetensor import ops

from .rows_linalg import Through
from .table import F, Row

_COMPLEX = {"float32": bt.complex64, "float64": bt.complex128}


def t_complex(x):
    return ops.astype(x, dtype=_COMPLEX[x.dtype.name])


def t_fold(out):
    return ops.real(out) + 2.0 * ops.imag(out)


def n_fold(out):
    return out.real + 2.0 * out.imag


def n_complex(x):
    return x.astype(np.complex64 if x.dtype == np.float32 else np.complex128)


_close = {"rtol": 1e-4, "atol": 1e-5}

ROWS = [
    Row(
        Through(ops.fft_c2c, t_complex, t_fold),
        lambda x, axes, norm: n_fold(np.fft.fftn(n_complex(x), axes=axes, norm=norm)),
        (F(3, 4),),
        static={"axes": (0, 1), "norm": "backward"},
        **_close,
    ),
    Row(
        Through(ops.fft_c2c, t_complex, t_fold),
        lambda x, axes, norm, forward: n_fold(np.fft.ifftn(n_complex(x), axes=axes, norm=norm)),
        (F(3, 5),),
        static={"axes": (1,), "norm": "ortho", "forward": False},
        name="inverse",
        **_close,
    ),
    Row(
        Through(ops.fft_r2c, pick=t_fold),
        lambda x, axes, norm: n_fold(np.fft.rfftn(x, axes=axes, norm=norm)),
        (F(3, 6),),
        static={"axes": (0, 1), "norm": "forward"},
        **_close,
    ),
    Row(
        Through(ops.fft_c2r, t_complex),
        lambda x, axes, n, norm: np.fft.irfftn(n_complex(x), s=(3, n), axes=axes, norm=norm),
        (F(3, 4),),
        static={"axes": (0, 1), "n": 6, "norm": "backward"},
        **_close,
    ),
    Row(
        Through(ops.fft_c2r, t_complex),
        lambda x, axes, n, norm: np.fft.irfft(n_complex(x), n=n, axis=1, norm=norm),
        (F(2, 4),),
        static={"axes": (1,), "n": 7, "norm": "ortho"},
        name="odd",
        **_close,
    ),
]
