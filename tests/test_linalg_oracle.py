"""PyTorch as the oracle for the linear-algebra torch face: values, dtypes, gradients,
named-tuple fields and exception types, on random inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from bridgetensor import autograd

from .helpers import to_np

pytestmark = pytest.mark.oracle

SETTINGS = settings(max_examples=15, deadline=None)


def _torch():
    return pytest.importorskip("torch")


# Inputs: kind decides the matrix family, in NumPy (so both libraries see the same numbers).
def _matrix(rng, kind, batch, m, n):
    x = rng.uniform(-1.0, 1.0, size=(*batch, m, n))
    if kind == "invertible":
        return x + 4.0 * np.eye(n)
    if kind == "spd":
        return x @ np.swapaxes(x, -1, -2) + 3.0 * np.eye(m)
    if kind == "sym":
        return x + np.swapaxes(x, -1, -2)
    return x


shapes = st.tuples(
    st.lists(st.integers(1, 2), max_size=2),  # batch
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(0, 2**31 - 1),  # seed
)


def _pair(torch, array, grad=True):
    return (
        bt.tensor(array, requires_grad=grad),
        torch.tensor(array, requires_grad=grad),
    )


def _outputs(result):
    return list(result) if isinstance(result, tuple) else [result]


def _check(torch, ours, theirs, inputs, rtol=1e-7, atol=1e-9):
    """Values, dtypes, and the gradients of sum(out * cotangent) over all outputs."""
    ours, theirs = _outputs(ours), _outputs(theirs)
    assert len(ours) == len(theirs)
    rng = np.random.default_rng(0)
    loss_bt, loss_t = 0.0, 0.0
    for a, b in zip(ours, theirs):
        assert a.dtype.name == str(b.dtype).replace("torch.", "")
        np.testing.assert_allclose(to_np(a), b.detach().numpy(), rtol=rtol, atol=atol)
        if b.requires_grad:
            c = rng.standard_normal(tuple(b.shape))
            loss_bt = loss_bt + (a * bt.tensor(c)).sum()
            loss_t = loss_t + (b * torch.tensor(c)).sum()
    if not isinstance(loss_t, float):
        ours_in, theirs_in = zip(*inputs)
        g_bt = autograd.grad(loss_bt, list(ours_in), allow_unused=True)
        g_t = torch.autograd.grad(loss_t, list(theirs_in), allow_unused=True)
        for a, b in zip(g_bt, g_t):
            if b is None:
                assert a is None or not to_np(a).any()
            else:
                np.testing.assert_allclose(to_np(a), b.numpy(), rtol=rtol * 10, atol=atol * 10)


# name, kind, square, ours(*tensors), theirs(torch, *tensors)
CASES = [
    ("inv", "invertible", True, lambda a: bt.linalg.inv(a), lambda t, a: t.linalg.inv(a)),
    ("inverse", "invertible", True, lambda a: bt.inverse(a), lambda t, a: t.inverse(a)),
    ("det", "invertible", True, lambda a: bt.linalg.det(a), lambda t, a: t.linalg.det(a)),
    ("det_any", "general", True, lambda a: bt.det(a), lambda t, a: t.det(a)),
    ("logdet", "spd", True, lambda a: bt.logdet(a), lambda t, a: t.logdet(a)),
    (
        "slogdet",
        "invertible",
        True,
        lambda a: bt.linalg.slogdet(a),
        lambda t, a: t.linalg.slogdet(a),
    ),
    ("cholesky", "spd", True, lambda a: bt.linalg.cholesky(a), lambda t, a: t.linalg.cholesky(a)),
    (
        "cholesky_upper",
        "spd",
        True,
        lambda a: bt.linalg.cholesky(a, upper=True),
        lambda t, a: t.linalg.cholesky(a, upper=True),
    ),
    ("eigvalsh", "sym", True, lambda a: bt.linalg.eigvalsh(a), lambda t, a: t.linalg.eigvalsh(a)),
    (
        "eigh_U",
        "sym",
        True,
        lambda a: _eigh_free(bt.linalg.eigh(a, UPLO="U")),
        lambda t, a: _eigh_free(t.linalg.eigh(a, UPLO="U")),
    ),
    ("svdvals", "general", False, lambda a: bt.linalg.svdvals(a), lambda t, a: t.linalg.svdvals(a)),
    (
        "svd",
        "general",
        False,
        lambda a: _svd_free(bt.linalg.svd(a, full_matrices=False)),
        lambda t, a: _svd_free(t.linalg.svd(a, full_matrices=False)),
    ),
    (
        "qr",
        "general",
        False,
        lambda a: _qr_free(bt.linalg.qr(a)),
        lambda t, a: _qr_free(t.linalg.qr(a)),
    ),
    ("pinv", "general", False, lambda a: bt.linalg.pinv(a), lambda t, a: t.linalg.pinv(a)),
    ("pinverse", "general", False, lambda a: bt.pinverse(a), lambda t, a: t.pinverse(a)),
    (
        "matrix_power",
        "general",
        True,
        lambda a: bt.linalg.matrix_power(a, 3),
        lambda t, a: t.linalg.matrix_power(a, 3),
    ),
    (
        "matrix_power_neg",
        "invertible",
        True,
        lambda a: bt.linalg.matrix_power(a, -2),
        lambda t, a: t.linalg.matrix_power(a, -2),
    ),
    ("norm", "general", False, lambda a: bt.norm(a), lambda t, a: t.norm(a)),
    (
        "linalg_norm",
        "general",
        False,
        lambda a: bt.linalg.norm(a, dim=-1),
        lambda t, a: t.linalg.norm(a, dim=-1),
    ),
    (
        "vector_norm3",
        "general",
        False,
        lambda a: bt.linalg.vector_norm(a, 3, dim=-2),
        lambda t, a: t.linalg.vector_norm(a, 3, dim=-2),
    ),
    (
        "vector_norm_inf",
        "general",
        False,
        lambda a: bt.linalg.vector_norm(a, math.inf),
        lambda t, a: t.linalg.vector_norm(a, math.inf),
    ),
    *[
        (
            f"matrix_norm_{o}",
            "general",
            False,
            lambda a, o=o: bt.linalg.matrix_norm(a, o, keepdim=True),
            lambda t, a, o=o: t.linalg.matrix_norm(a, o, keepdim=True),
        )
        for o in ("fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf)
    ],
    (
        "matrix_rank",
        "general",
        False,
        lambda a: bt.linalg.matrix_rank(a),
        lambda t, a: t.linalg.matrix_rank(a),
    ),
    ("cond", "invertible", True, lambda a: bt.linalg.cond(a), lambda t, a: t.linalg.cond(a)),
    # torch's own backward of cond(A, 1) fails (an in-place write): values only.
    (
        "cond_1",
        "invertible",
        True,
        lambda a: bt.linalg.cond(a, 1).detach(),
        lambda t, a: t.linalg.cond(a, 1).detach(),
    ),
    (
        "trace",
        "general",
        False,
        lambda a: bt.trace(a.reshape(-1, a.shape[-1])),
        lambda t, a: t.trace(a.reshape(-1, a.shape[-1])),
    ),
    (
        "diagonal",
        "general",
        False,
        lambda a: bt.linalg.diagonal(a, offset=1),
        lambda t, a: t.linalg.diagonal(a, offset=1),
    ),
    (
        "einsum",
        "general",
        False,
        lambda a: bt.einsum("...ij,...kj->...ik", a, a),
        lambda t, a: t.einsum("...ij,...kj->...ik", a, a),
    ),
]


def _eigh_free(result):
    w, v = result
    return w, v * v  # eigenvectors are fixed up to sign


def _svd_free(result):
    u, s, vh = result
    return s, u * u, vh * vh


def _qr_free(result):
    q, r = result
    return q * q, r * r


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@given(drawn=shapes)
@SETTINGS
def test_matches_torch(case, drawn):
    torch = _torch()
    _, kind, square, ours, theirs = case
    batch, m, n, seed = drawn
    if square:
        m = n
    rng = np.random.default_rng(seed)
    array = _matrix(rng, kind, batch, m, n)
    inputs = [_pair(torch, array)]
    _check(torch, ours(inputs[0][0]), theirs(torch, inputs[0][1]), inputs, rtol=1e-6, atol=1e-8)


@given(drawn=shapes, k=st.integers(1, 3))
@SETTINGS
def test_products_match_torch(drawn, k):
    torch = _torch()
    _, m, n, seed = drawn
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((m, n)), rng.standard_normal((n, k))
    c, v = rng.standard_normal(k), rng.standard_normal(n)
    ba, bb = rng.standard_normal((2, m, n)), rng.standard_normal((2, n, k))
    pa, pb, pc, pv, pba, pbb = (_pair(torch, x) for x in (a, b, c, v, ba, bb))
    for ours, theirs, inputs in [
        (bt.mm(pa[0], pb[0]), torch.mm(pa[1], pb[1]), [pa, pb]),
        (bt.mv(pa[0], pv[0]), torch.mv(pa[1], pv[1]), [pa, pv]),
        (bt.dot(pv[0], pv[0]), torch.dot(pv[1], pv[1]), [pv]),
        (bt.outer(pv[0], pc[0]), torch.outer(pv[1], pc[1]), [pv, pc]),
        (bt.inner(pa[0], pv[0]), torch.inner(pa[1], pv[1]), [pa, pv]),
        (
            bt.addmm(pc[0], pa[0], pb[0], beta=0.5, alpha=-2.0),
            torch.addmm(pc[1], pa[1], pb[1], beta=0.5, alpha=-2.0),
            [pc, pa, pb],
        ),
        (bt.bmm(pba[0], pbb[0]), torch.bmm(pba[1], pbb[1]), [pba, pbb]),
        (
            bt.baddbmm(pc[0], pba[0], pbb[0], alpha=3),
            torch.baddbmm(pc[1], pba[1], pbb[1], alpha=3),
            [pc, pba, pbb],
        ),
        (bt.addbmm(pc[0], pba[0], pbb[0]), torch.addbmm(pc[1], pba[1], pbb[1]), [pc, pba, pbb]),
        (bt.matmul(pba[0], pb[0]), torch.matmul(pba[1], pb[1]), [pba, pb]),
        (
            bt.einsum("bij,jk->bk", pba[0], pb[0]),
            torch.einsum("bij,jk->bk", pba[1], pb[1]),
            [pba, pb],
        ),
        (bt.tensordot(pba[0], pb[0], dims=1), torch.tensordot(pba[1], pb[1], dims=1), [pba, pb]),
        (bt.kron(pa[0], pc[0]), torch.kron(pa[1], pc[1]), [pa, pc]),
        (bt.cdist(pa[0], pa[0] + 0.5), torch.cdist(pa[1], pa[1] + 0.5), [pa]),
        (bt.cdist(pa[0], pa[0], p=1), torch.cdist(pa[1], pa[1], p=1), [pa]),
        (bt.dist(pa[0], 1.0), torch.dist(pa[1], torch.tensor(1.0, dtype=torch.float64)), [pa]),
        (
            bt.linalg.multi_dot([pa[0], pb[0], pc[0]]),
            torch.linalg.multi_dot([pa[1], pb[1], pc[1]]),
            [pa, pb, pc],
        ),
    ]:
        _check(torch, ours, theirs, inputs, rtol=1e-6, atol=1e-8)


@given(drawn=shapes, k=st.integers(1, 3))
@SETTINGS
def test_solvers_match_torch(drawn, k):
    torch = _torch()
    batch, _, n, seed = drawn
    rng = np.random.default_rng(seed)
    a = _matrix(rng, "invertible", batch, n, n)
    pa = _pair(torch, a)
    rhs_shapes = ((n, k), (n,), (*batch, n))
    for b in (rng.standard_normal(shape) for shape in rhs_shapes):
        pb = _pair(torch, b)
        _check(torch, bt.linalg.solve(pa[0], pb[0]), torch.linalg.solve(pa[1], pb[1]), [pa, pb])
    pb = _pair(torch, rng.standard_normal((*batch, k, n)))
    _check(
        torch,
        bt.linalg.solve(pa[0], pb[0], left=False),
        torch.linalg.solve(pa[1], pb[1], left=False),
        [pa, pb],
    )
    tall = _pair(torch, rng.standard_normal((n + 2, n)))
    rhs = _pair(torch, rng.standard_normal((n + 2, k)))
    ours, theirs = bt.linalg.lstsq(tall[0], rhs[0]), torch.linalg.lstsq(tall[1], rhs[1])
    assert all(getattr(theirs, field) is value for field, value in zip(ours._fields, theirs))
    _check(torch, ours.solution, theirs.solution, [tall, rhs])
    assert ours.rank.tolist() == theirs.rank.tolist()
    v3 = _pair(torch, rng.standard_normal((*batch, 4, 3)))
    w3 = _pair(torch, rng.standard_normal((*[1] * len(batch), 4, 3)))
    _check(torch, bt.linalg.cross(v3[0], w3[0]), torch.linalg.cross(v3[1], w3[1]), [v3, w3])


def test_named_tuples_match_torch():
    torch = _torch()
    a = np.eye(3) * 2.0
    ours_t, theirs_t = bt.tensor(a), torch.tensor(a)
    for ours, theirs in [
        (bt.linalg.svd(ours_t), torch.linalg.svd(theirs_t)),
        (bt.svd(ours_t), torch.svd(theirs_t)),
        (bt.linalg.eigh(ours_t), torch.linalg.eigh(theirs_t)),
        (bt.linalg.qr(ours_t), torch.linalg.qr(theirs_t)),
        (bt.linalg.slogdet(ours_t), torch.linalg.slogdet(theirs_t)),
        (bt.slogdet(ours_t), torch.slogdet(theirs_t)),
        (bt.linalg.inv_ex(ours_t), torch.linalg.inv_ex(theirs_t)),
        (bt.linalg.lstsq(ours_t, ours_t), torch.linalg.lstsq(theirs_t, theirs_t)),
    ]:
        assert type(ours).__name__ == type(theirs).__name__
        assert len(ours) == len(theirs)
        for field, value in zip(ours._fields, theirs):
            assert getattr(theirs, field) is value


ERRORS = [
    lambda m: m.mm(m.ones(2, 3), m.ones(4, 5)),
    lambda m: m.matmul(m.ones(3), m.ones(4)),
    lambda m: m.matmul(m.ones(2, 2, 3), m.ones(3, 3, 5)),
    lambda m: m.matmul(m.ones(2, 3), m.ones(3, 2, dtype=m.float64)),
    lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 4, 3)),
    lambda m: m.mv(m.ones(2, 3), m.ones(4)),
    lambda m: m.dot(m.ones(3), m.ones(3, dtype=m.float64)),
    lambda m: m.addmm(m.ones(3, 3), m.ones(2, 3), m.ones(3, 5)),
    lambda m: m.linalg.inv(m.tensor([[1.0, 2.0], [2.0, 4.0]])),
    lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.int64)),
    lambda m: m.linalg.inv(m.ones(2, 3)),
    lambda m: m.linalg.solve(m.zeros(2, 2, 2), m.ones(2, 2, 1)),
    lambda m: m.linalg.solve(m.eye(2), m.ones(3, 2)),
    lambda m: m.linalg.cholesky(m.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda m: m.linalg.eigh(m.ones(2, 3)),
    lambda m: m.linalg.qr(m.ones(3, 2), mode="bad"),
    lambda m: m.linalg.vector_norm(m.ones(3), ord="fro"),
    lambda m: m.linalg.vector_norm(m.ones(3, dtype=m.int64)),
    lambda m: m.linalg.matrix_norm(m.ones(3, 3), ord=3),
    lambda m: m.linalg.matrix_norm(m.ones(3)),
    lambda m: m.norm(m.ones(3, 3, 3), p="nuc"),
    lambda m: m.linalg.cross(m.ones(3, 2), m.ones(3, 2)),
    lambda m: m.einsum("ij,jk->ik", m.ones(2, 3), m.ones(4, 5)),
    lambda m: m.einsum("ii->i", m.ones(2, 3)),
    lambda m: m.tensordot(m.ones(2, 3), m.ones(4, 5), dims=1),
    lambda m: m.cdist(m.ones(3), m.ones(4, 3)),
    lambda m: m.linalg.multi_dot([m.ones(2, 3)]),
    lambda m: m.trace(m.ones(2, 3, 3)),
    lambda m: m.linalg.matrix_power(m.ones(2, 3), 2),
    lambda m: m.linalg.lstsq(m.ones(4, 3), m.ones(5, 2)),
]


@pytest.mark.parametrize("call", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call):
    torch = _torch()
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as ours:
        call(bt)
    expected = type(theirs.value)
    if issubclass(expected, torch.linalg.LinAlgError):
        assert isinstance(ours.value, bt.linalg.LinAlgError)
    else:
        assert type(ours.value) is expected
    assert str(ours.value) == str(theirs.value).split("\n")[0]


def test_float32_results_keep_float32():
    torch = _torch()
    a = np.eye(3, dtype=np.float32) * 2
    for f in ("det", "inv", "svdvals", "eigvalsh", "pinv", "matrix_norm", "vector_norm"):
        ours = getattr(bt.linalg, f)(bt.tensor(a))
        theirs = getattr(torch.linalg, f)(torch.tensor(a))
        assert ours.dtype.name == str(theirs.dtype).replace("torch.", "")
