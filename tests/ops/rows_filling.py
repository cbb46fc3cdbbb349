"""Op-table rows for copy and fill (the forwards of copy_ and fill_) and the loss primitives."""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .table import F, Row

ROWS = [
    Row(ops.copy, lambda x, src: np.broadcast_to(src.astype(x.dtype), x.shape), (F(), F(4))),
    Row(ops.fill, lambda x, v: np.full(x.shape, v, dtype=x.dtype), (F(), F(1))),
    Row(
        ops.mse_loss,
        lambda x, y, reduction: np.mean((x - y) ** 2),
        (F(), F()),
        static={"reduction": "mean"},
    ),
    Row(
        ops.mse_loss,
        lambda x, y, reduction: np.sum((x - y) ** 2),
        (F(), F()),
        static={"reduction": "sum"},
        name="sum",
    ),
    Row(
        ops.mse_loss,
        lambda x, y, reduction: (x - y) ** 2,
        (F(), F()),
        static={"reduction": "none"},
        name="none",
    ),
]
