"""Op-table rows for the linear-algebra primitives.

Factorisations need particular matrices (invertible, symmetric, positive-definite) and
some give several outputs, fixed only up to signs. `Through` runs a primitive on a
matrix prepared from the drawn input (in Tensor ops, so gradients flow through the
preparation) and returns one sign-free output; the NumPy reference does the same.
It carries the primitive's name, so the guard test counts the row.
"""

from __future__ import annotations

import math

import numpy as np

import bridgetensor as bt
from bridgetensor import ops

from .table import F, Row


class Through:
    """`pick(prim(prepare(x), ...))`: a primitive on prepared input, one output chosen."""

    def __init__(self, prim, prepare=None, pick=None) -> None:
        self.prim = prim
        self.name = prim.name
        self.prepare = prepare or (lambda x: x)
        self.pick = pick or (lambda out: out)

    def __call__(self, x, *rest, **static):
        return self.pick(self.prim(self.prepare(x), *rest, **static))


# Preparations, in bridgetensor (t_) and NumPy (n_) twins.
def t_invertible(x):
    return x + 4.0 * bt.eye(x.shape[-1], dtype=x.dtype)


def n_invertible(x):
    return x + 4.0 * np.eye(x.shape[-1], dtype=x.dtype)


def t_spd(x):
    return x @ ops.matrix_transpose(x) + 3.0 * bt.eye(x.shape[-1], dtype=x.dtype)


def n_spd(x):
    return x @ np.swapaxes(x, -1, -2) + 3.0 * np.eye(x.shape[-1], dtype=x.dtype)


def t_sym(x):
    return x + ops.matrix_transpose(x)


def n_sym(x):
    return x + np.swapaxes(x, -1, -2)


def first(out):
    return out[0]


def second(out):
    return out[1]


def squared(i):
    return lambda out: out[i] * out[i]


def M(*shape):
    """A matrix input drawn from [-1, 1] (so x + 4 I is well conditioned)."""
    return F(*shape, low=-1.0, high=1.0)


_close = {"rtol": 1e-4, "atol": 1e-5}

ROWS = [
    Row(
        ops.addmm,
        lambda c, a, b, beta, alpha: beta * c + alpha * (a @ b),
        (F(3), F(2, 4), F(4, 3)),
        static={"beta": 0.5, "alpha": 2.0},
    ),
    Row(ops.addmm, lambda c, a, b: c + a @ b, (F(2, 3), F(2, 4), F(4, 3)), name="defaults"),
    Row(
        ops.cross,
        lambda a, b, axis=-1: np.cross(a, b, axis=axis),
        (F(4, 3), F(4, 3)),
        broadcast=((2, 1, 3), (4, 3)),
    ),
    Row(
        ops.cross,
        lambda a, b, axis: np.cross(a, b, axis=axis),
        (F(3, 2), F(3, 2)),
        static={"axis": 0},
        name="axis0",
    ),
    Row(
        Through(ops.inv, t_invertible),
        lambda x: np.linalg.inv(n_invertible(x)),
        (M(2, 3, 3),),
        **_close,
    ),
    Row(
        Through(ops.solve, t_invertible),
        lambda a, b: np.linalg.solve(n_invertible(a), b),
        (M(3, 3), F(3, 2)),
        **_close,
    ),
    Row(
        Through(ops.solve, t_invertible),
        lambda a, b: np.linalg.solve(n_invertible(a), b[:, None])[:, 0],
        (M(3, 3), F(3)),
        name="vector",
        **_close,
    ),
    Row(
        Through(ops.det, t_invertible),
        lambda x: np.linalg.det(n_invertible(x)),
        (M(2, 3, 3),),
        **_close,
    ),
    Row(
        Through(ops.slogdet, t_invertible, second),
        lambda x: np.linalg.slogdet(n_invertible(x))[1],
        (M(3, 3),),
        **_close,
    ),
    Row(
        Through(ops.cholesky, t_spd),
        lambda x: np.linalg.cholesky(n_spd(x)),
        (F(3, 3),),
        **_close,
    ),
    Row(
        Through(ops.cholesky, t_spd),
        lambda x, upper: np.swapaxes(np.linalg.cholesky(n_spd(x)), -1, -2),
        (F(2, 3, 3),),
        static={"upper": True},
        name="upper",
        **_close,
    ),
    *[
        Row(
            Through(ops.qr, pick=squared(i)),
            lambda x, i=i: np.linalg.qr(x)[i] ** 2,
            (F(*shape),),
            name=f"{'QR'[i]}{shape[0]}x{shape[1]}",
            **_close,
        )
        for i in (0, 1)
        for shape in ((4, 3), (3, 3), (2, 4))
    ],
    Row(
        Through(ops.eigh, t_sym, first),
        lambda x: np.linalg.eigh(n_sym(x))[0],
        (F(3, 3),),
        name="values",
        **_close,
    ),
    Row(
        Through(ops.eigh, t_sym, squared(1)),
        lambda x: np.linalg.eigh(n_sym(x))[1] ** 2,
        (F(2, 3, 3),),
        name="vectors",
        **_close,
    ),
    Row(
        Through(ops.eigvalsh, t_sym),
        lambda x: np.linalg.eigvalsh(n_sym(x)),
        (F(3, 3),),
        **_close,
    ),
    Row(
        Through(ops.svd, pick=second),
        lambda x, full_matrices: np.linalg.svd(x, full_matrices=full_matrices)[1],
        (F(4, 3),),
        static={"full_matrices": False},
        name="S",
        **_close,
    ),
    Row(
        Through(ops.svd, pick=squared(0)),
        lambda x, full_matrices: np.linalg.svd(x, full_matrices=full_matrices)[0] ** 2,
        (F(4, 3),),
        static={"full_matrices": False},
        name="U",
        **_close,
    ),
    Row(
        Through(ops.svd, pick=squared(2)),
        lambda x, full_matrices: np.linalg.svd(x, full_matrices=full_matrices)[2] ** 2,
        (F(2, 4),),
        static={"full_matrices": False},
        name="Vh",
        **_close,
    ),
    Row(
        Through(ops.svd, pick=lambda out: out[0][..., :, :2] * out[0][..., :, :2]),
        lambda x: np.linalg.svd(x)[0][..., :, :2] ** 2,
        (F(3, 2),),
        name="full",
        **_close,
    ),
    Row(ops.svdvals, lambda x: np.linalg.svd(x, compute_uv=False), (F(2, 4, 3),), **_close),
    Row(ops.pinv, np.linalg.pinv, (F(4, 3),), **_close),
    Row(ops.pinv, np.linalg.pinv, (F(2, 3, 5),), name="wide", **_close),
    Row(
        Through(ops.pinv, t_sym),
        lambda x, hermitian: np.linalg.pinv(n_sym(x), hermitian=True),
        (F(3, 3),),
        static={"hermitian": True},
        name="hermitian",
        **_close,
    ),
    Row(ops.vector_norm, lambda x: np.linalg.norm(x.ravel()).astype(x.dtype)),
    *[
        Row(
            ops.vector_norm,
            lambda x, axis, keepdims, ord: _norm(x, axis, keepdims, ord),
            static={"axis": 1, "keepdims": keepdims, "ord": order},
            name=f"ord{order}",
        )
        for order, keepdims in ((1, False), (3.0, True), (0.5, False), (math.inf, False))
    ],
    Row(
        ops.vector_norm,
        lambda x, axis, ord: _norm(x, axis, False, ord),
        static={"axis": (0, 1), "ord": -math.inf},
        name="ord-inf",
        second_order=False,
    ),
]


def _norm(x, axis, keepdims, order):
    if math.isinf(order):
        reduce = np.max if order > 0 else np.min
        return reduce(np.abs(x), axis=axis, keepdims=keepdims)
    total = np.sum(np.abs(x) ** order, axis=axis, keepdims=keepdims)
    return (total ** (1.0 / order)).astype(x.dtype)
