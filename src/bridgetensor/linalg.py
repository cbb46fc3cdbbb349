"""torch.linalg under its own names: ``import bridgetensor as torch; torch.linalg.inv(A)``.

Every function works on batches of matrices (leading dimensions) and is
differentiable where torch's is, with torch's gradient conventions.

>>> import bridgetensor as bt
>>> bt.linalg.det(bt.eye(3) * 2.0)
tensor(8.)
"""

from ._torch_api.linalg import matmul
from ._torch_api.linalg_misc import (
    cond,
    diagonal,
    inv_ex,
    lstsq,
    multi_dot,
    vecdot,
)
from ._torch_api.linalg_misc import linalg_cross as cross
from ._torch_api.linalg_norms import linalg_norm as norm
from ._torch_api.linalg_norms import matrix_norm, vector_norm
from ._torch_api.linalg_solvers import (
    det,
    eigh,
    eigvalsh,
    inv,
    matrix_power,
    matrix_rank,
    pinv,
    qr,
    slogdet,
    solve,
    svdvals,
)
from ._torch_api.linalg_solvers import linalg_cholesky as cholesky
from ._torch_api.linalg_solvers import linalg_svd as svd
from .ops._linalg_common import LinAlgError

__all__ = [
    "LinAlgError",
    "cholesky",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eigh",
    "eigvalsh",
    "inv",
    "inv_ex",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]
