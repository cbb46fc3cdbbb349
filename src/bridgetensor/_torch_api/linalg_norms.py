"""Norms and distances under torch's names: linalg.vector_norm, matrix_norm, norm; dist, cdist."""

from __future__ import annotations

import math
from numbers import Number

from .. import _dtypes, ops
from ..ops._helpers import normalize_axis
from ..ops._linalg_common import check_float, torch_name

__all__ = ["cdist", "dist", "linalg_norm", "matrix_norm", "norm", "vector_norm"]


def _dims(dim, ndim: int):
    """torch's dim (int, sequence, None; empty means all) as an axis argument."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (dim,)
    dim = tuple(dim)
    return dim if dim else None


def _cast_for_norm(x, dtype, name):
    if dtype is None:
        return x
    if dtype.category < _dtypes.FLOATING:
        raise RuntimeError(
            f"{name}: dtype should be floating point or complex, but got {torch_name(dtype)}"
        )
    if dtype.itemsize < x.dtype.itemsize:
        raise RuntimeError(
            f"{name}: the dtype of the input ({torch_name(x.dtype)}) should be convertible "
            f"without narrowing to the specified dtype ({torch_name(dtype)})"
        )
    return ops.astype(x, dtype=dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ord-norm of x's entries over `dim` (all of them by default), as one vector.

    The gradient at a zero vector is zero (a subgradient), as torch.

    >>> import bridgetensor as bt
    >>> bt.linalg.vector_norm(bt.tensor([3.0, 4.0]))
    tensor(5.)
    """
    name = "linalg.vector_norm"
    if isinstance(ord, bool) or not isinstance(ord, Number):
        raise TypeError(
            f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}"
        )
    check_float(x, name, half=True)
    x = _cast_for_norm(x, dtype, name)
    axis = _dims(dim, x.ndim)
    if axis is not None:
        axis = tuple(normalize_axis(a, x.ndim) for a in axis)
        for a in axis:
            if axis.count(a) > 1:
                raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    if x.numel() == 0 and (ord < 0 or math.isinf(ord)):
        reduced = range(x.ndim) if axis is None else axis
        if any(x.shape[a] == 0 for a in reduced):
            shown = "inf" if ord == math.inf else "-inf" if ord == -math.inf else f"{ord:g}"
            raise RuntimeError(
                f"{name} cannot compute the {shown} norm on an empty tensor because the "
                "operation does not have an identity"
            )
    ord = float(ord) if not isinstance(ord, int) else ord
    return ops.vector_norm(x, axis=axis, keepdims=keepdim, ord=ord)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """Matrix norm over the two dims: "fro", "nuc", inf, -inf, 1, -1, 2, -2.

    >>> import bridgetensor as bt
    >>> bt.linalg.matrix_norm(bt.eye(3), ord="nuc")
    tensor(3.)
    """
    name = "linalg.matrix_norm"
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    check_float(A, name, half=True)
    A = _cast_for_norm(A, dtype, name)
    return ops.matrix_norm(A, keepdims=keepdim, ord=ord, axis=tuple(dim))


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.norm: a vector norm, or a matrix norm for 2-D input / two dims with ord.

    >>> import bridgetensor as bt
    >>> bt.linalg.norm(bt.ones(2, 2))
    tensor(2.)
    """
    if dim is not None:
        dim = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}"
            )
    if isinstance(ord, str):
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    if ord is not None and dim is None and A.ndim not in (1, 2):
        raise RuntimeError(
            "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
            f"Got {A.ndim}D."
        )
    if ord is None or (dim is not None and len(dim) == 1) or (dim is None and A.ndim == 1):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """torch.norm: "fro" and numbers are vector norms over `dim` (all by default); "nuc" a
    matrix norm.

    >>> import bridgetensor as bt
    >>> bt.norm(bt.tensor([3.0, 4.0]))
    tensor(5.)
    """
    dims = [dim] if isinstance(dim, int) else None if dim is None else list(dim)
    if isinstance(p, str):
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(input, 2, dims, keepdim, dtype=dtype)
        return matrix_norm(
            input, p, list(range(input.ndim)) if dims is None else dims, keepdim, dtype=dtype
        )
    return vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype)


def dist(input, other, p=2):
    """The p-norm of input - other (broadcast), over all entries.

    >>> import bridgetensor as bt
    >>> bt.dist(bt.zeros(2), bt.tensor([3.0, 4.0]))
    tensor(5.)
    """
    difference = ops.subtract(input, other)
    if difference.dtype.category < _dtypes.FLOATING:
        raise RuntimeError(
            "norm(): input dtype should be either floating point or complex. "
            f"Got {torch_name(difference.dtype)} instead."
        )
    return ops.vector_norm(difference, ord=p)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Pairwise p-norm distances between the rows of x1 (.., P, M) and x2 (.., R, M).

    As torch, p == 2 uses a matrix product when P or R exceed 25 (compute_mode decides),
    and the gradient at a zero distance is zero.

    >>> import bridgetensor as bt
    >>> bt.cdist(bt.zeros(2, 3), bt.ones(4, 3)).shape
    bridgetensor.Size([2, 4])
    """
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    for name, t in (("X1", x1), ("X2", x2)):
        if t.dtype.category != _dtypes.FLOATING:
            raise RuntimeError(
                f"cdist only supports floating-point dtypes, {name} got: {torch_name(t.dtype)}"
            )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if x1.dtype is not x2.dtype:
        raise RuntimeError(
            f"expected scalar type {torch_name(x1.dtype)} but found {torch_name(x2.dtype)}"
        )
    modes = (
        "use_mm_for_euclid_dist_if_necessary",
        "use_mm_for_euclid_dist",
        "donot_use_mm_for_euclid_dist",
    )
    if compute_mode not in modes:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    large = x1.shape[-2] > 25 or x2.shape[-2] > 25
    if p == 2 and (
        compute_mode == "use_mm_for_euclid_dist" or (compute_mode == modes[0] and large)
    ):
        return _euclidean_by_product(x1, x2)
    rows = ops.expand_dims(x1, axis=-2)
    cols = ops.expand_dims(x2, axis=-3)
    return ops.vector_norm(ops.subtract(rows, cols), axis=-1, ord=float(p))


def _euclidean_by_product(x1, x2):
    # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, clamped below at 1e-30 before the root as torch
    # does (so equal rows are 1e-15 apart, with a zero gradient).
    n1 = ops.sum(ops.multiply(x1, x1), axis=-1, keepdims=True)
    n2 = ops.sum(ops.multiply(x2, x2), axis=-1, keepdims=True)
    products = ops.matmul(x1, ops.matrix_transpose(x2))
    squared = ops.add(ops.subtract(n1, ops.multiply(products, 2.0)), ops.matrix_transpose(n2))
    return ops.sqrt(ops.where(ops.greater(squared, 1e-30), squared, 1e-30))
