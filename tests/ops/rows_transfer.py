"""Op-table rows for the memory-layout primitives of ops/transfer.py."""

from __future__ import annotations

import numpy as np

from bridgetensor.ops.transfer import contiguous

from .table import unary

ROWS = [
    unary(contiguous, np.ascontiguousarray),
]
