"""Factorisations and solvers: inv, solve, det, slogdet, cholesky, qr, eigh, svd, pinv.

Each is a primitive over `xp.linalg` with its VJP written in Tensor ops (so second
order works), following torch's formulas and conventions. The spectral ones (eigh,
svd) assume distinct eigen/singular values, as torch does: with repeated values the
vectors are not unique and the gradient through them is inf or nan.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._linalg_common import backend_errors, diag_embed, eye_like, eye_mask, mT, tril
from .elementwise import equal, where
from .indexing import getitem
from .joining import concat
from .linalg import matmul
from .manipulation import expand_dims

__all__ = [
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
]


def _nonzero(t) -> bool:
    """Whether a gradient holds anything; the engine passes zeros for unused outputs."""
    xp = t._be.xp
    return bool(xp.any(t._data != 0))


def _matrix_of(v):
    """A batch of scalars as a batch of 1x1 matrices, to scale matrices."""
    return expand_dims(expand_dims(v, axis=-1), axis=-1)


# ---------------------------------------------------------------- inverse and solve


@primitive(dtypes=None, grad_name="LinalgInvExBackward0")
def inv(x, /, *, xp):
    with backend_errors("linalg.inv", x, "singular"):
        return xp.linalg.inv(x)


# d(A^-1) = -A^-1 dA A^-1
inv.defvjp(lambda g, out, x: -matmul(matmul(mT(out), g), mT(out)))


@primitive(grad_name="LinalgSolveExBackward0")
def solve(a, b, /, *, xp):
    """X with a @ X = b: b is (..., n, k), or one vector (n,) when 1-D (the standard's rule)."""
    with backend_errors("linalg.solve", a, "solve"):
        return xp.linalg.solve(a, b)


def _solve_a(g, out, a, b):
    gb = solve(mT(a), g)
    if b.ndim == 1:
        return -expand_dims(gb, axis=-1) * expand_dims(out, axis=-2)
    return -matmul(gb, mT(out))


solve.defvjp(_solve_a, lambda g, out, a, b: solve(mT(a), g))


# ---------------------------------------------------------------- determinants


@primitive(dtypes=None, grad_name="LinalgDetBackward0")
def det(x, /, *, xp):
    return xp.linalg.det(x)


def _det_rule(g, out, x):
    # d det(A) = det(A) tr(A^-1 dA).
    # NOTE: as torch, the gradient at a singular matrix (det == 0) is zero; the identity
    # stands in for those matrices so that the inverse exists.
    singular = _matrix_of(equal(out, 0.0))
    safe = where(singular, eye_like(x), x)
    return _matrix_of(g * out) * mT(inv(safe))


det.defvjp(_det_rule)


@primitive(dtypes=None, outputs=2, grad_name="LinalgSlogdetBackward0")
def slogdet(x, /, *, xp):
    sign, logabsdet = xp.linalg.slogdet(x)
    return sign, logabsdet


# NOTE: as torch, `sign` has no gradient; logabsdet's is A^-T (a singular matrix raises
# LinAlgError here, where torch returns infinities).
slogdet.defvjp(lambda g, out, x: _matrix_of(g[1]) * mT(inv(x)))


# ---------------------------------------------------------------- Cholesky and QR


@primitive(dtypes=None, grad_name="LinalgCholeskyExBackward0")
def cholesky(x, /, *, xp, upper=False):
    with backend_errors("linalg.cholesky", x, "not_pd"):
        return xp.linalg.cholesky(x, upper=upper)


def _cholesky_rule(g, out, x, *, upper=False):
    # A = L L^T: gA = sym(L^-T phi(L^T gL) L^-1), phi = lower triangle with half diagonal.
    # NOTE: as torch, the gradient is symmetric, whichever triangle the forward read.
    low, g_low = (mT(out), mT(g)) if upper else (out, g)
    phi = tril(matmul(mT(low), g_low))
    phi = phi - 0.5 * diag_embed(_diagonal(phi))
    low_inv = inv(low)
    grad = matmul(matmul(mT(low_inv), phi), low_inv)
    return 0.5 * (grad + mT(grad))


def _diagonal(x):
    from .linalg import linalg_diagonal

    return linalg_diagonal(x)


cholesky.defvjp(_cholesky_rule)


@primitive(dtypes=None, outputs=2, grad_name="LinalgQrBackward0")
def qr(x, /, *, xp, mode="reduced"):
    """(Q, R); mode "reduced", "complete", or torch's "r" (Q comes back empty)."""
    if mode == "r":
        _, r = xp.linalg.qr(x, mode="reduced")
        return xp.zeros((0,), dtype=x.dtype), r
    q, r = xp.linalg.qr(x, mode=mode)
    return q, r


def _qr_rule(g, out, x, *, mode="reduced"):
    if mode == "r":
        raise RuntimeError(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
            "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
            "linalg.qr."
        )
    m, n = x.shape[-2], x.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError(
            "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
        )
    (q, r), (gq, gr) = out, g
    if m >= n:
        return _qr_tall(q, r, gq, gr)
    # A wide A = [X | Y] = Q [U | V]: X = QU is a square QR and Y = QV.
    left, right = (Ellipsis, slice(None), slice(0, m)), (Ellipsis, slice(None), slice(m, None))
    u, v = getitem(r, key=left), getitem(r, key=right)
    gu, gv = getitem(gr, key=left), getitem(gr, key=right)
    y = matmul(q, v)
    gx = _qr_tall(q, u, gq + matmul(y, mT(gv)), gu)
    return concat(gx, matmul(q, gv), axis=-1)


def _qr_tall(q, r, gq, gr):
    # gA = (gQ + Q copyltu(M)) R^-T with M = R gR^T - gQ^T Q, and copyltu(M) the
    # symmetric matrix whose lower triangle is M's.
    m = matmul(r, mT(gr)) - matmul(mT(gq), q)
    sym = tril(m) + mT(tril(m, -1))
    b = gq + matmul(q, sym)
    return mT(solve(r, mT(b)))


qr.defvjp(_qr_rule)


# ---------------------------------------------------------------- symmetric eigenproblem


@primitive(dtypes=None, outputs=2, grad_name="LinalgEighBackward0")
def eigh(x, /, *, xp):
    """(eigenvalues ascending, eigenvectors) of symmetric matrices (the lower triangle is read)."""
    with backend_errors("linalg.eigh", x):
        w, v = xp.linalg.eigh(_from_lower(xp, x))
    return w, v


def _from_lower(xp, x):
    """The symmetric (Hermitian) matrix of x's lower triangle: what LAPACK reads, made
    explicit for libraries that read both triangles (JAX averages them). O(n^2) beside
    the decomposition's O(n^3)."""
    below = xp.tril(x, k=-1)
    above = xp.matrix_transpose(below)
    if xp.isdtype(x.dtype, "complex floating"):
        above = xp.conj(above)
    return xp.tril(x) + above


def _eigh_rule(g, out, x):
    # gA = V (diag(gL) + skew(V^T gV) / (L_j - L_i)) V^T, skew(X) = (X - X^T) / 2.
    # NOTE: as torch, the eigenvalues must be distinct when the eigenvectors get a gradient
    # (else inf or nan); with no gradient for them, repeated eigenvalues are fine.
    (w, v), (gw, gv) = out, g
    inner = diag_embed(gw)
    if _nonzero(gv):
        vtgv = matmul(mT(v), gv)
        gap = expand_dims(w, axis=-2) - expand_dims(w, axis=-1)
        gap = where(eye_mask(w, w.shape[-1]), 1.0, gap)
        inner = inner + (0.5 * (vtgv - mT(vtgv))) / gap
    return matmul(v, matmul(inner, mT(v)))


eigh.defvjp(_eigh_rule)


@primitive(dtypes=None, grad_name="LinalgEighBackward0")
def eigvalsh(x, /, *, xp):
    with backend_errors("linalg.eigvalsh", x):
        return xp.linalg.eigvalsh(_from_lower(xp, x))


def _eigvalsh_rule(g, out, x):
    _, v = eigh(x)
    return matmul(v * expand_dims(g, axis=-2), mT(v))


eigvalsh.defvjp(_eigvalsh_rule)


# ---------------------------------------------------------------- singular values


@primitive(dtypes=None, outputs=3, grad_name="LinalgSvdBackward0")
def svd(x, /, *, xp, full_matrices=True):
    with backend_errors("linalg.svd", x):
        u, s, vh = xp.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def _svd_rule(g, out, x, *, full_matrices=True):
    # torch's svd_backward. NOTE: the singular values must be distinct (and nonzero when
    # m != n) when U or Vh get a gradient; as torch, with full_matrices the extra columns
    # of U (rows of Vh) get no gradient: they are not unique.
    (u, s, vh), (gu, gs, gvh) = out, g
    m, n = x.shape[-2], x.shape[-1]
    k = s.shape[-1]
    if full_matrices and m != n:
        cols, rows = (Ellipsis, slice(None), slice(0, k)), (Ellipsis, slice(0, k), slice(None))
        u, gu = getitem(u, key=cols), getitem(gu, key=cols)
        vh, gvh = getitem(vh, key=rows), getitem(gvh, key=rows)
    use_u, use_v = _nonzero(gu), _nonzero(gvh)
    if not use_u and not use_v:
        return matmul(u * expand_dims(gs, axis=-2), vh)
    s_row, s_col = expand_dims(s, axis=-2), expand_dims(s, axis=-1)
    s2 = s * s
    gap = expand_dims(s2, axis=-2) - expand_dims(s2, axis=-1)
    gap = where(eye_mask(s, k), 1.0, gap)
    if use_u:
        utgu = matmul(mT(u), gu)
        utgu = utgu - mT(utgu)
    if use_v:
        vtgv = matmul(vh, mT(gvh))
        vtgv = vtgv - mT(vtgv)
    if use_u and use_v:
        ga = (utgu * s_row + s_col * vtgv) / gap
    elif use_u:
        ga = (utgu / gap) * s_row
    else:
        ga = s_col * (vtgv / gap)
    ga = ga + diag_embed(gs)
    if m > n and use_u:
        gu_sinv = gu / s_row
        ga = matmul(u, ga) + gu_sinv - matmul(u, matmul(mT(u), gu_sinv))
        return matmul(ga, vh)
    if m < n and use_v:
        sinv_gvh = gvh / s_col
        ga = matmul(ga, vh) + sinv_gvh - matmul(matmul(sinv_gvh, mT(vh)), vh)
        return matmul(u, ga)
    return matmul(u, matmul(ga, vh)) if m >= n else matmul(matmul(u, ga), vh)


svd.defvjp(_svd_rule)


@primitive(dtypes=None, grad_name="LinalgSvdBackward0")
def svdvals(x, /, *, xp):
    with backend_errors("linalg.svdvals", x):
        return xp.linalg.svdvals(x)


def _svdvals_rule(g, out, x):
    # gA = U diag(gS) Vh: needs no distinct singular values.
    u, _, vh = svd(x, full_matrices=False)
    return matmul(u * expand_dims(g, axis=-2), vh)


svdvals.defvjp(_svdvals_rule)


# ---------------------------------------------------------------- pseudo-inverse


@primitive(dtypes=None, grad_name="LinalgPinvBackward0")
def pinv(x, /, *, xp, rtol=None, atol=None, hermitian=False):
    """Moore-Penrose inverse; singular values <= max(atol, rtol * largest) count as zero.

    By default rtol is eps * max(m, n) (0 when only a positive atol is given), as torch.
    """
    m, n = x.shape[-2], x.shape[-1]
    if min(m, n) == 0:
        return xp.zeros((*x.shape[:-2], n, m), dtype=x.dtype)
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else xp.finfo(x.dtype).eps * max(m, n)
    atol = 0.0 if atol is None else atol
    with backend_errors("linalg.pinv", x):
        if hermitian:
            w, v = xp.linalg.eigh(x)
            size, left, right = xp.abs(w), v, xp.matrix_transpose(v)
        else:
            left, w, right = xp.linalg.svd(x, full_matrices=False)
            size = w
    tol = xp.max(size, axis=-1, keepdims=True) * rtol
    tol = xp.where(tol > atol, tol, xp.asarray(atol, dtype=x.dtype))
    keep = size > tol
    w_inv = xp.where(keep, 1 / xp.where(keep, w, xp.ones_like(w)), xp.zeros_like(w))
    return xp.matmul(
        xp.matrix_transpose(right) * xp.expand_dims(w_inv, axis=-2), xp.matrix_transpose(left)
    )


def _pinv_rule(g, out, x, *, rtol=None, atol=None, hermitian=False):
    # For constant rank (Golub and Pereyra): with P = A+,
    # gA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A).
    p, pt, gt = out, mT(out), mT(g)
    first = -matmul(matmul(pt, g), pt)
    second = matmul(gt - matmul(x, matmul(p, gt)), matmul(p, pt))
    third = matmul(matmul(pt, p), gt - matmul(matmul(gt, p), x))
    return first + second + third


pinv.defvjp(_pinv_rule)
