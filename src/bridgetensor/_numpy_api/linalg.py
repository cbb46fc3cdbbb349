"""NumPy's products and np.linalg: dot, inner, outer, einsum, tensordot, norm, inv, solve,
svd, det, ... NumPy's linalg computes integers in float64 and refuses float16; a matrix
it cannot factorise raises np.linalg.LinAlgError, as NumPy does."""

from __future__ import annotations

import functools
import math
from collections import namedtuple

import numpy as np

from .. import ops
from ..ops._linalg_common import LinAlgError
from . import reductions
from ._core import NOVALUE, Unsupported, as_tensor, common, finish, implements

__all__: list = []

SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])


def _linalg(arrays, name):
    tensors = common(arrays, name, floating=True)
    if tensors[0]._data.dtype == np.float16:
        raise TypeError("array type float16 is unsupported in linalg")
    return tensors


def _numpy_errors(impl):
    """NumPy's LinAlgError for a matrix our op cannot factorise (code catching it works)."""

    @functools.wraps(impl)
    def translated(*args, **kwargs):
        try:
            return impl(*args, **kwargs)
        except LinAlgError as error:
            raise np.linalg.LinAlgError(str(error)) from error

    return translated


# ---------------------------------------------------------------- products


def _contract_last(x, y, axis_y):
    return ops.tensordot(x, y, axes=([x.ndim - 1], [axis_y]))


@implements(np.dot)
def _dot(a, b, out=None):
    x, y = common([a, b], "np.dot")
    if x.ndim == 0 or y.ndim == 0:
        result = ops.multiply(x, y)
    elif x.ndim <= 2 and y.ndim <= 2:
        result = ops.matmul(x, y)
    else:
        result = _contract_last(x, y, 0 if y.ndim == 1 else y.ndim - 2)
    return finish(result, out, "np.dot")


@implements(np.vdot)
def _vdot(a, b, /):
    x, y = common([a, b], "np.vdot")
    x, y = ops.reshape(x, shape=(-1,)), ops.reshape(y, shape=(-1,))
    if x._data.dtype.kind == "c":
        x = ops.conj(x)
    return ops.sum(ops.multiply(x, y))


@implements(np.inner)
def _inner(a, b, /):
    x, y = common([a, b], "np.inner")
    if x.ndim == 0 or y.ndim == 0:
        return ops.multiply(x, y)
    return _contract_last(x, y, y.ndim - 1)


@implements(np.outer)
def _outer(a, b, out=None):
    x, y = common([a, b], "np.outer")
    result = ops.outer(ops.reshape(x, shape=(-1,)), ops.reshape(y, shape=(-1,)))
    return finish(result, out, "np.outer")


@implements(np.linalg.outer)
def _linalg_outer(x1, x2, /):
    x, y = common([x1, x2], "np.linalg.outer")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(
            f"Input arrays must be one-dimensional, but they are x1.ndim={x.ndim} and "
            f"x2.ndim={y.ndim}."
        )
    return ops.outer(x, y)


@implements(np.tensordot, np.linalg.tensordot)
def _tensordot(a, b, axes=2):
    x, y = common([a, b], "np.tensordot")
    return ops.tensordot(x, y, axes=axes)


@implements(np.einsum)
def _einsum(*operands, out=None, optimize=False, dtype=None, order="K", casting="safe"):
    if not operands or not isinstance(operands[0], str):
        raise Unsupported("the interleaved (operand, sublist) form")
    tensors = common(operands[1:], "np.einsum")
    if dtype is not None:
        tensors = [as_tensor(t, "np.einsum", np.dtype(dtype)) for t in tensors]
    return finish(ops.einsum(operands[0], *tensors), out, "np.einsum")


@implements(np.kron)
def _kron(a, b):
    x, y = common([a, b], "np.kron")
    if x.ndim != y.ndim:
        raise Unsupported("operands of different ranks")
    return ops.kron(x, y)


@implements(np.cross)
def _cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = common([a, b], "np.cross")
    if not (axisa == axisb == axisc) or x.shape[axisa] != 3 or y.shape[axisb] != 3:
        raise Unsupported("2-vectors or different axes")
    return ops.cross(x, y, axis=axisa)


@implements(np.trace)
def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    x = as_tensor(a, "np.trace")
    diagonal = ops.linalg_diagonal(x, offset=offset, axis1=axis1, axis2=axis2)
    result = reductions._sum(diagonal, axis=-1, dtype=dtype)
    return finish(result, out, "np.trace")


@implements(np.linalg.multi_dot)
def _multi_dot(arrays, *, out=None):
    tensors = common(list(arrays), "np.linalg.multi_dot")
    if len(tensors) < 2:
        raise ValueError("Expecting at least two arrays.")
    first, last = tensors[0], tensors[-1]
    if first.ndim == 1:
        tensors[0] = ops.reshape(first, shape=(1, -1))
    if last.ndim == 1:
        tensors[-1] = ops.reshape(last, shape=(-1, 1))
    result = functools.reduce(ops.matmul, tensors)
    shape = tuple(result.shape)
    if first.ndim == 1:
        shape = shape[1:]
    if last.ndim == 1:
        shape = shape[:-1]
    return finish(ops.reshape(result, shape=shape), out, "np.linalg.multi_dot")


# ---------------------------------------------------------------- norms


@implements(np.linalg.norm)
def _norm(x, ord=None, axis=None, keepdims=False):
    (t,) = _linalg([x], "np.linalg.norm")
    if axis is None:
        if ord is None or (t.ndim == 2 and ord == "fro") or (t.ndim == 1 and ord == 2):
            result = ops.vector_norm(ops.reshape(t, shape=(-1,)), ord=2)
            return ops.reshape(result, shape=(1,) * t.ndim) if keepdims else result
        if t.ndim == 1:
            return _vector(t, ord, None, keepdims)
        if t.ndim == 2:
            return _matrix(t, ord, (0, 1), keepdims)
        raise ValueError("Improper number of dimensions to norm.")
    if isinstance(axis, int) or len(axis) == 1:
        return _vector(t, 2 if ord is None else ord, axis if isinstance(axis, int) else axis[0],
                       keepdims)  # fmt: skip
    if len(axis) == 2:
        return _matrix(t, "fro" if ord is None else ord, tuple(axis), keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def _vector(t, ord, axis, keepdims):
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    return ops.vector_norm(t, axis=axis, keepdims=keepdims, ord=float(ord))


def _matrix(t, ord, axis, keepdims):
    if ord not in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf):
        raise ValueError("Invalid norm order for matrices.")
    return ops.matrix_norm(t, keepdims=keepdims, ord=ord, axis=axis)


@implements(np.linalg.vector_norm)
def _vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    (t,) = _linalg([x], "np.linalg.vector_norm")
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.vector_norm(t, axis=axis, keepdims=keepdims, ord=float(ord))


@implements(np.linalg.matrix_norm)
def _matrix_norm(x, /, *, keepdims=False, ord="fro"):
    (t,) = _linalg([x], "np.linalg.matrix_norm")
    return _matrix(t, ord, (-2, -1), keepdims)


# ---------------------------------------------------------------- solvers and factorisations


@implements(np.linalg.inv)
@_numpy_errors
def _inv(a):
    return ops.inv(*_linalg([a], "np.linalg.inv"))


@implements(np.linalg.solve)
@_numpy_errors
def _solve(a, b):
    return ops.solve(*_linalg([a, b], "np.linalg.solve"))


@implements(np.linalg.det)
def _det(a):
    return ops.det(*_linalg([a], "np.linalg.det"))


@implements(np.linalg.slogdet)
def _slogdet(a):
    return SlogdetResult(*ops.slogdet(*_linalg([a], "np.linalg.slogdet")))


@implements(np.linalg.svd)
@_numpy_errors
def _svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    if hermitian:
        raise Unsupported("hermitian=True")
    (t,) = _linalg([a], "np.linalg.svd")
    if not compute_uv:
        return ops.svdvals(t)
    return SVDResult(*ops.svd(t, full_matrices=full_matrices))


@implements(np.linalg.svdvals)
@_numpy_errors
def _svdvals(x, /):
    return ops.svdvals(*_linalg([x], "np.linalg.svdvals"))


@implements(np.linalg.qr)
@_numpy_errors
def _qr(a, mode="reduced"):
    (t,) = _linalg([a], "np.linalg.qr")
    if mode == "r":
        return ops.qr(t, mode="reduced")[1]
    if mode not in ("reduced", "complete"):
        raise Unsupported(f"mode={mode!r}")
    return QRResult(*ops.qr(t, mode=mode))


@implements(np.linalg.cholesky)
@_numpy_errors
def _cholesky(a, /, *, upper=False):
    return ops.cholesky(*_linalg([a], "np.linalg.cholesky"), upper=upper)


@implements(np.linalg.eigh)
@_numpy_errors
def _eigh(a, UPLO="L"):
    if UPLO != "L":
        raise Unsupported("UPLO='U'")
    return EighResult(*ops.eigh(*_linalg([a], "np.linalg.eigh")))


@implements(np.linalg.eigvalsh)
@_numpy_errors
def _eigvalsh(a, UPLO="L"):
    if UPLO != "L":
        raise Unsupported("UPLO='U'")
    return ops.eigvalsh(*_linalg([a], "np.linalg.eigvalsh"))


@implements(np.linalg.pinv)
@_numpy_errors
def _pinv(a, rcond=None, hermitian=False, *, rtol=NOVALUE):
    if rcond is not None and rtol is not NOVALUE:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    if rcond is None:
        rcond = 1e-15 if rtol is NOVALUE else rtol  # NumPy's default; None: the standard's
    if hermitian or not isinstance(rcond, (int, float, type(None))):
        raise Unsupported("hermitian=True or an array rcond")
    return ops.pinv(*_linalg([a], "np.linalg.pinv"), rtol=rcond)


@implements(np.linalg.matrix_power)
@_numpy_errors
def _matrix_power(a, n):
    x = as_tensor(a, "np.linalg.matrix_power")
    if n < 0:
        (x,) = _linalg([x], "np.linalg.matrix_power")
    return ops.matrix_power(x, n)


@implements(np.linalg.matmul)
def _linalg_matmul(x1, x2, /):
    return np.matmul(x1, x2)


@implements(np.linalg.trace)
def _linalg_trace(x, /, *, offset=0, dtype=None):
    return _trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


@implements(np.linalg.diagonal)
def _linalg_diagonal(x, /, *, offset=0):
    return ops.linalg_diagonal(as_tensor(x, "np.linalg.diagonal"), offset=offset)


@implements(np.linalg.vecdot)
def _linalg_vecdot(x1, x2, /, *, axis=-1):
    x, y = common([x1, x2], "np.linalg.vecdot")
    return ops.vecdot(x, y, axis=axis)
