"""Products and norms under torch's names: mm, bmm, mv, dot, addmm, einsum, norm, cdist, ...

torch's matrix products do not promote dtypes (``mm(float32, float64)`` is an error);
these check what torch checks, with torch's messages, then call the primitives.
Factorisations and solvers (det, inverse, svd, ...) are in linalg_solvers.py.
"""

from __future__ import annotations

from .. import _dtypes, ops
from ..ops._linalg_common import c_name, torch_name
from ..ops.linalg import matmul_shape_error
from . import linalg_solvers as solvers
from .linalg_norms import dist, norm

__all__ = [
    "LinalgMethods",
    "addbmm",
    "addmm",
    "addmv",
    "baddbmm",
    "bmm",
    "chain_matmul",
    "cross",
    "dot",
    "einsum",
    "ger",
    "inner",
    "kron",
    "matmul",
    "mm",
    "mv",
    "outer",
    "tensordot",
    "trace",
    "vdot",
]


def _same_dtype(a, b, message) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError(message(a.dtype, b.dtype))


def _scalar_type(a, b) -> None:
    _same_dtype(
        a, b, lambda p, q: f"expected scalar type {torch_name(p)} but found {torch_name(q)}"
    )


def _m1_m2(a, b) -> None:
    _same_dtype(
        a,
        b,
        lambda p, q: (
            f"expected m1 and m2 to have the same dtype, but got: {c_name(p)} != {c_name(q)}"
        ),
    )


def matmul(input, other):
    """Matrix product with broadcasting of batch dimensions (1-D operands as vectors).

    >>> import bridgetensor as bt
    >>> bt.matmul(bt.ones(2, 3), bt.ones(3)).tolist()
    [3.0, 3.0]
    """
    if input.dtype is not other.dtype:
        message = matmul_shape_error(tuple(input.shape), tuple(other.shape))
        if message is not None:
            raise RuntimeError(message)
        if input.ndim == 1 and other.ndim == 1:
            _dot_dtypes(input, other)
        elif other.ndim <= 2:
            _m1_m2(input, other)
        _scalar_type(input, other)
    return ops.matmul(input, other)


def mm(input, mat2):
    """Product of two matrices (2-D only, same dtype).

    >>> import bridgetensor as bt
    >>> bt.mm(bt.ones(2, 3), bt.ones(3, 1)).shape
    bridgetensor.Size([2, 1])
    """
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"{'self' if input.ndim != 2 else 'mat2'} must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(matmul_shape_error(tuple(input.shape), tuple(mat2.shape)))
    _m1_m2(input, mat2)
    return ops.matmul(input, mat2)


def bmm(input, mat2):
    """Batched product of (b, n, m) and (b, m, p) tensors (no broadcasting).

    >>> import bridgetensor as bt
    >>> bt.bmm(bt.ones(4, 2, 3), bt.ones(4, 3, 5)).shape
    bridgetensor.Size([4, 2, 5])
    """
    for name, t in (("batch1", input), ("batch2", mat2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    b, _, k = input.shape
    if tuple(mat2.shape[:2]) != (b, k):
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{b}, {k}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    _scalar_type(input, mat2)
    return ops.matmul(input, mat2)


def mv(input, vec):
    """Matrix-vector product.

    >>> import bridgetensor as bt
    >>> bt.mv(bt.ones(2, 3), bt.ones(3)).tolist()
    [3.0, 3.0]
    """
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(matmul_shape_error(tuple(input.shape), tuple(vec.shape)))
    _scalar_type(input, vec)
    return ops.matmul(input, vec)


def _dot_dtypes(a, b) -> None:
    _same_dtype(
        a,
        b,
        lambda p, q: (
            "dot : expected both vectors to have same dtype, but found "
            f"{torch_name(p)} and {torch_name(q)}"
        ),
    )


def dot(input, tensor):
    """Dot product of two 1-D tensors of one dtype.

    >>> import bridgetensor as bt
    >>> bt.dot(bt.tensor([1.0, 2.0]), bt.tensor([3.0, 4.0]))
    tensor(11.)
    """
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input.shape[0] != tensor.shape[0]:
        raise RuntimeError(matmul_shape_error(tuple(input.shape), tuple(tensor.shape)))
    _dot_dtypes(input, tensor)
    return ops.matmul(input, tensor)


vdot = dot  # the same for real tensors; complex vdot conjugates its first argument


def inner(input, other):
    """Sum of products over the last dimension of both (a scalar operand multiplies).

    >>> import bridgetensor as bt
    >>> bt.inner(bt.ones(2, 3), bt.ones(4, 3)).shape
    bridgetensor.Size([2, 4])
    """
    if input.ndim == 0 or other.ndim == 0:
        return ops.multiply(input, other)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    _scalar_type(input, other)
    return ops.tensordot(input, other, axes=([-1], [-1]))


def outer(input, vec2):
    """Outer product of two vectors: out[i, j] = input[i] * vec2[j].

    >>> import bridgetensor as bt
    >>> bt.outer(bt.ones(2), bt.ones(3)).shape
    bridgetensor.Size([2, 3])
    """
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return ops.outer(input, vec2)


ger = outer


def _expand_error(c, shape) -> RuntimeError | None:
    """torch's message when `c` cannot be expanded to `shape` (None when it can)."""
    lead = len(shape) - c.ndim
    for i, n in reversed(list(enumerate(c.shape))):
        if n != 1 and (lead < 0 or n != shape[lead + i]):
            return RuntimeError(
                f"The expanded size of the tensor ({shape[lead + i]}) must match the existing "
                f"size ({n}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"{list(shape)}.  Tensor sizes: {list(c.shape)}"
            )
    return None


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2), one graph node (nn.Linear's x @ W.T + b).

    >>> import bridgetensor as bt
    >>> bt.addmm(bt.ones(3), bt.ones(2, 4), bt.ones(4, 3), beta=0.5).tolist()
    [[4.5, 4.5, 4.5], [4.5, 4.5, 4.5]]
    """
    for name, t in (("mat1", mat1), ("mat2", mat2)):
        if t.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {t.ndim}-D tensor")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(matmul_shape_error(tuple(mat1.shape), tuple(mat2.shape)))
    error = _expand_error(input, (mat1.shape[0], mat2.shape[1]))
    if error is not None:
        raise error
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {torch_name(mat1.dtype)} and "
            f"{torch_name(mat2.dtype)}"
        )
    if input.dtype is not mat2.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {torch_name(input.dtype)} and "
            f"{torch_name(mat2.dtype)}"
        )
    return ops.addmm(input, mat1, mat2, beta=beta, alpha=alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta * input + alpha * (mat @ vec).

    >>> import bridgetensor as bt
    >>> bt.addmv(bt.ones(2), bt.ones(2, 3), bt.ones(3), alpha=2).tolist()
    [7.0, 7.0]
    """
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}"
        )
    if mat.shape[1] != vec.shape[0] or (input.shape and input.shape[0] not in (1, mat.shape[0])):
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0] if input.ndim else 1}), "
            f"mat ({mat.shape[0]}x{mat.shape[1]}), vec ({vec.shape[0]})"
        )
    if not input.dtype is mat.dtype is vec.dtype:
        names = ", ".join(torch_name(t.dtype) for t in (input, mat, vec))
        last = names.rpartition(", ")
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {last[0]}, and {last[2]}"
        )
    return _scaled_sum(input, ops.matmul(mat, vec), beta, alpha)


def _scaled_sum(input, product, beta, alpha):
    if alpha != 1:
        product = ops.multiply(product, alpha)
    if beta == 0:  # as torch, input is ignored (nan included)
        return ops.broadcast_to(product, shape=tuple(product.shape))
    return ops.add(product, input if beta == 1 else ops.multiply(input, beta))


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * bmm(batch1, batch2).

    >>> import bridgetensor as bt
    >>> bt.baddbmm(bt.zeros(2, 3), bt.ones(4, 2, 5), bt.ones(4, 5, 3)).shape
    bridgetensor.Size([4, 2, 3])
    """
    product_shape = (batch1.shape[0], batch1.shape[1], batch2.shape[-1])
    bmm(batch1, batch2)  # checks only; the product is computed once, below
    error = _expand_error(input, product_shape)
    if error is not None:
        raise error
    _scalar_type(input, batch1)
    return ops.addmm(input, batch1, batch2, beta=beta, alpha=alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * sum over b of batch1[b] @ batch2[b].

    >>> import bridgetensor as bt
    >>> bt.addbmm(bt.zeros(2, 3), bt.ones(4, 2, 5), bt.ones(4, 5, 3))[0, 0]
    tensor(20.)
    """
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    b, n, k = batch1.shape
    p = batch2.shape[2]
    # The sum of b products is one (n, b*k) @ (b*k, p) product.
    left = ops.reshape(ops.permute_dims(batch1, axes=(1, 0, 2)), shape=(n, b * k))
    right = ops.reshape(batch2, shape=(b * batch2.shape[1], p))
    return addmm(input, left, right, beta=beta, alpha=alpha)


def chain_matmul(*matrices):
    """The product of matrices, left to right (torch's deprecated name for multi_dot)."""
    from .linalg_misc import multi_dot

    return multi_dot(matrices)


# ---------------------------------------------------------------- contractions


def _sublist_equation(args) -> tuple[str, list]:
    """torch's sublist form einsum(x, [0, 1], y, [1, 2], [0, 2]) as an equation."""

    def letters(sub) -> str:
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif not 0 <= s < 52:
                raise RuntimeError(
                    "einsum(): subscript in subscript list is not within the valid range [0, 52)"
                )
            else:
                out.append(chr(ord("A") + s) if s < 26 else chr(ord("a") + s - 26))
        return "".join(out)

    pairs = len(args) // 2
    operands = list(args[0 : 2 * pairs : 2])
    equation = ",".join(letters(s) for s in args[1 : 2 * pairs : 2])
    if len(args) % 2:
        equation += "->" + letters(args[-1])
    return equation, operands


def einsum(*args):
    """Einstein summation: einsum("ij,jk->ik", a, b); "..." and implicit output supported.

    >>> import bridgetensor as bt
    >>> bt.einsum("ij,jk->ik", bt.ones(2, 3), bt.ones(3, 4)).shape
    bridgetensor.Size([2, 4])
    """
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand")
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    else:
        equation, operands = _sublist_equation(args)
    for t in operands[1:]:
        _scalar_type(operands[0], t)
    return ops.einsum(equation, *operands)


def tensordot(a, b, dims=2):
    """Contract dims: an int n (a's last n with b's first n) or two lists of dims.

    >>> import bridgetensor as bt
    >>> bt.tensordot(bt.ones(2, 3, 4), bt.ones(3, 4, 5), dims=2).shape
    bridgetensor.Size([2, 5])
    """
    if not isinstance(dims, int):
        if hasattr(dims, "tolist"):
            dims = dims.tolist()
        if len(dims) != 2 or (isinstance(dims[0], int) and isinstance(dims[1], int)):
            dims = ([dims[0]], [dims[1]]) if len(dims) == 2 else dims
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    return ops.tensordot(a, b, axes=dims)


def kron(input, other):
    """The Kronecker product.

    >>> import bridgetensor as bt
    >>> bt.kron(bt.eye(2), bt.ones(2, 2)).shape
    bridgetensor.Size([4, 4])
    """
    return ops.kron(input, other)


def trace(input):
    """Sum of a matrix's diagonal (integer input gives int64, as torch).

    >>> import bridgetensor as bt
    >>> bt.trace(bt.eye(3))
    tensor(3.)
    """
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    if input.dtype.category < _dtypes.FLOATING:
        input = ops.astype(input, dtype=_dtypes.int64)
    return ops.trace(input)


def cross(input, other, dim=None):
    """Cross product of 3-vectors along `dim` (default: the first dimension of size 3).

    >>> import bridgetensor as bt
    >>> bt.cross(bt.tensor([1.0, 0, 0]), bt.tensor([0.0, 1, 0]), dim=0)
    tensor([0., 0., 1.])
    """
    if dim is None:
        n = max(input.ndim, other.ndim)
        shape = [
            max(t.shape[i - n + t.ndim] if i - n + t.ndim >= 0 else 1 for t in (input, other))
            for i in range(n)
        ]
        if 3 not in shape:
            raise RuntimeError("no dimension of size 3 in input")
        dim = shape.index(3)
    from .linalg_misc import linalg_cross

    return linalg_cross(input, other, dim=dim)


class LinalgMethods:
    __slots__ = ()

    def mm(self, mat2):
        return mm(self, mat2)

    def bmm(self, mat2):
        return bmm(self, mat2)

    def mv(self, vec):
        return mv(self, vec)

    def dot(self, other):
        return dot(self, other)

    def vdot(self, other):
        return vdot(self, other)

    def inner(self, other):
        return inner(self, other)

    def outer(self, vec2):
        return outer(self, vec2)

    def ger(self, vec2):
        return outer(self, vec2)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat, vec, *, beta=1, alpha=1):
        return addmv(self, mat, vec, beta=beta, alpha=alpha)

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def kron(self, other):
        return kron(self, other)

    def trace(self):
        return trace(self)

    def cross(self, other, dim=None):
        return cross(self, other, dim)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return norm(self, p, dim, keepdim, dtype)

    def dist(self, other, p=2):
        return dist(self, other, p)

    def det(self):
        return solvers.det(self)

    def logdet(self):
        return solvers.logdet(self)

    def slogdet(self):
        return solvers.slogdet_torch(self)

    def inverse(self):
        return solvers.inv(self)

    def pinverse(self, rcond=1e-15):
        return solvers.pinverse(self, rcond)

    def cholesky(self, upper=False):
        return solvers.cholesky(self, upper)

    def svd(self, some=True, compute_uv=True):
        return solvers.svd(self, some, compute_uv)

    def qr(self, some=True):
        return solvers.torch_qr(self, some)

    def matrix_power(self, n):
        return solvers.matrix_power(self, n)
