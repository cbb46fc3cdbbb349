"""NumPy's functions on Tensors: each case runs the same code on ndarrays and on Tensors,
compares values and dtypes with NumPy's, and checks gradients by finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd

from ..conftest import numpy_only

pytestmark = numpy_only

RNG = np.random.default_rng(1)
A = RNG.uniform(-1, 1, (3, 4))
B = RNG.uniform(-1, 1, (3, 4))
V = RNG.uniform(-1, 1, (4,))
W = RNG.uniform(0.5, 1.5, (4,))
C = RNG.uniform(-1, 1, (2, 3, 4))
S = RNG.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)  # well conditioned
P = S @ S.T  # positive definite
M = RNG.uniform(-1, 1, (4, 3))

# (id, function of arrays, inputs, differentiable): the function runs unchanged on both.
CASES = [
    # reductions
    ("sum", lambda a: np.sum(a), [A], True),
    ("sum axis", lambda a: np.sum(a, axis=1), [A], True),
    ("sum axes keepdims", lambda a: np.sum(a, axis=(0, 2), keepdims=True), [C], True),
    ("sum initial", lambda a: np.sum(a, axis=0, initial=2.0), [A], True),
    ("sum dtype", lambda a: np.sum(a, dtype=np.float32), [A], False),
    ("prod", lambda a: np.prod(a, axis=0), [A], True),
    ("mean", lambda a: np.mean(a, axis=1, keepdims=True), [A], True),
    ("mean all", lambda a: np.mean(a), [C], True),
    ("std", lambda a: np.std(a), [A], True),
    ("std ddof", lambda a: np.std(a, axis=0, ddof=1), [A], True),
    ("var", lambda a: np.var(a, axis=1), [A], True),
    ("var correction", lambda a: np.var(a, axis=1, correction=1), [A], True),
    ("max", lambda a: np.max(a), [A], True),
    ("max axis", lambda a: np.max(a, axis=1), [A], True),
    ("amax initial", lambda a: np.amax(a, axis=0, initial=0.5), [A], True),
    ("min", lambda a: np.min(a, axis=0), [A], True),
    ("amin keepdims", lambda a: np.amin(a, axis=1, keepdims=True), [A], True),
    ("ptp", lambda a: np.ptp(a, axis=1), [A], True),
    ("argmax", lambda a: np.argmax(a, axis=1), [A], False),
    ("argmin", lambda a: np.argmin(a), [A], False),
    ("argmax keepdims", lambda a: np.argmax(a, axis=0, keepdims=True), [A], False),
    ("cumsum", lambda a: np.cumsum(a), [A], True),
    ("cumsum axis", lambda a: np.cumsum(a, axis=1), [A], True),
    ("cumprod", lambda a: np.cumprod(a, axis=0), [A], True),
    ("cumulative_sum", lambda a: np.cumulative_sum(a, axis=1, include_initial=True), [A], True),
    ("cumulative_prod", lambda a: np.cumulative_prod(a, axis=0), [A], True),
    ("all", lambda a: np.all(a > -0.9, axis=1), [A], False),
    ("any", lambda a: np.any(a > 0.9), [A], False),
    ("median", lambda a: np.median(a, axis=1), [A], True),
    ("median all", lambda a: np.median(a), [A], True),
    ("quantile", lambda a: np.quantile(a, 0.3, axis=0), [A], True),
    ("quantile lower", lambda a: np.quantile(a, 0.3, method="lower"), [A], True),
    ("percentile", lambda a: np.percentile(a, [10.0, 90.0], axis=1), [A], True),
    ("average", lambda a, w: np.average(a, axis=1, weights=w), [A, W], True),
    ("average plain", lambda a: np.average(a, axis=0), [A], True),
    # shapes
    ("reshape", lambda a: np.reshape(a, (4, 3)), [A], True),
    ("reshape -1", lambda a: np.reshape(a, -1), [A], True),
    ("ravel", lambda a: np.ravel(a), [C], True),
    ("transpose", lambda a: np.transpose(a), [C], True),
    ("transpose axes", lambda a: np.transpose(a, (1, 0, 2)), [C], True),
    ("permute_dims", lambda a: np.permute_dims(a, (2, 0, 1)), [C], True),
    ("matrix_transpose", lambda a: np.matrix_transpose(a), [C], True),
    ("moveaxis", lambda a: np.moveaxis(a, 0, -1), [C], True),
    ("moveaxis many", lambda a: np.moveaxis(a, [0, 1], [2, 0]), [C], True),
    ("swapaxes", lambda a: np.swapaxes(a, 0, 2), [C], True),
    ("squeeze", lambda a: np.squeeze(np.reshape(a, (3, 1, 4, 1))), [A], True),
    ("squeeze axis", lambda a: np.squeeze(np.reshape(a, (3, 1, 4)), axis=1), [A], True),
    ("expand_dims", lambda a: np.expand_dims(a, (0, 2)), [A], True),
    ("expand_dims -1", lambda a: np.expand_dims(a, -1), [A], True),
    ("broadcast_to", lambda v: np.broadcast_to(v, (3, 4)), [V], True),
    ("broadcast_arrays", lambda a, v: np.broadcast_arrays(a, v)[1], [A, V], True),
    ("flip", lambda a: np.flip(a), [A], True),
    ("flip axis", lambda a: np.flip(a, 1), [A], True),
    ("fliplr", lambda a: np.fliplr(a), [A], True),
    ("flipud", lambda a: np.flipud(a), [A], True),
    ("roll", lambda a: np.roll(a, 2), [A], True),
    ("roll axis", lambda a: np.roll(a, -1, axis=1), [A], True),
    ("tile", lambda v: np.tile(v, (2, 3)), [V], True),
    ("repeat", lambda a: np.repeat(a, 2, axis=0), [A], True),
    ("repeat counts", lambda v: np.repeat(v, [1, 2, 0, 3]), [V], True),
    ("tril", lambda a: np.tril(a), [A], True),
    ("triu", lambda a: np.triu(a, k=1), [A], True),
    ("diagonal", lambda a: np.diagonal(a), [A], True),
    ("diag of matrix", lambda a: np.diag(a, k=1), [A], True),
    ("diag from vector", lambda v: np.diag(v), [V], True),
    ("diag offset", lambda v: np.diag(v, k=2), [V], True),
    ("diag negative offset", lambda v: np.diag(v, k=-1), [V], True),
    ("meshgrid", lambda v, w: np.meshgrid(v, w[:2]), [V, W], True),
    ("meshgrid ij", lambda v, w: np.meshgrid(v, w, indexing="ij")[0], [V, W], True),
    ("diagonal 3d", lambda c: np.diagonal(c, offset=1, axis1=1, axis2=2), [C], True),
    ("concatenate", lambda a, b: np.concatenate([a, b]), [A, B], True),
    ("concatenate axis", lambda a, b: np.concatenate((a, b), axis=1), [A, B], True),
    ("concatenate None", lambda a, v: np.concatenate([a, v], axis=None), [A, V], True),
    ("concat", lambda a, b: np.concat([a, b], axis=-1), [A, B], True),
    ("stack", lambda a, b: np.stack([a, b], axis=1), [A, B], True),
    ("vstack", lambda a, v: np.vstack([a, v]), [A, V], True),
    ("hstack", lambda a, b: np.hstack([a, b]), [A, B], True),
    ("hstack 1d", lambda v, w: np.hstack([v, w]), [V, W], True),
    ("dstack", lambda a, b: np.dstack([a, b]), [A, B], True),
    ("column_stack", lambda v, w: np.column_stack([v, w]), [V, W], True),
    ("split", lambda a: np.split(a, 2, axis=1)[1], [A], True),
    ("split indices", lambda a: np.split(a, [1, 3], axis=1)[2], [A], True),
    ("array_split", lambda a: np.array_split(a, 3, axis=1)[0], [A], True),
    ("hsplit", lambda a: np.hsplit(a, 2)[0], [A], True),
    ("vsplit", lambda a: np.vsplit(a, [1])[1], [A], True),
    ("atleast_2d", lambda v: np.atleast_2d(v), [V], True),
    ("atleast_3d", lambda a: np.atleast_3d(a), [A], True),
    ("take", lambda a: np.take(a, [0, 2]), [A], True),
    ("take axis", lambda a: np.take(a, [[0], [3]], axis=1), [A], True),
    ("take scalar", lambda a: np.take(a, 5), [A], True),
    ("take_along_axis", lambda a: np.take_along_axis(a, np.argsort(a, axis=1), axis=1), [A], True),
    ("diff", lambda a: np.diff(a), [A], True),
    ("diff n axis", lambda a: np.diff(a, n=2, axis=0), [A], True),
    ("diff prepend", lambda a: np.diff(a, prepend=0.0, append=a[:, -1:]), [A], True),
    ("pad", lambda a: np.pad(a, 1), [A], True),
    ("pad constant", lambda a: np.pad(a, ((1, 2), (0, 3)), constant_values=(1.5, -2.0)), [A], True),
    ("pad edge", lambda a: np.pad(a, (2, 1), mode="edge"), [A], True),
    ("pad reflect", lambda a: np.pad(a, ((2, 5), (3, 1)), mode="reflect"), [A], True),
    ("pad symmetric", lambda a: np.pad(a, 4, mode="symmetric"), [A], True),
    ("pad wrap", lambda a: np.pad(a, ((0, 4), (5, 0)), mode="wrap"), [A], True),
    # elementwise functions and creation
    ("where", lambda a, b: np.where(a > 0, a, b), [A, B], True),
    ("where scalar", lambda a: np.where(a > 0, a, 0.0), [A], True),
    ("clip", lambda a: np.clip(a, -0.5, 0.5), [A], True),
    ("clip one side", lambda a: np.clip(a, None, 0.2), [A], True),
    ("clip keywords", lambda a, v: np.clip(a, min=v), [A, V], True),
    ("round", lambda a: np.round(a, 2), [A], False),
    ("around", lambda a: np.around(a), [A], False),
    ("real", lambda a: np.real(a), [A], True),
    ("imag", lambda a: np.imag(a), [A], False),
    ("copy", lambda a: np.copy(a), [A], True),
    ("astype", lambda a: np.astype(a, np.float32), [A], False),
    ("zeros_like", lambda a: np.zeros_like(a), [A], False),
    ("ones_like", lambda a: np.ones_like(a, dtype=np.int32), [A], False),
    ("full_like", lambda a: np.full_like(a, 3.7, dtype=np.int64), [A], False),
    ("empty_like shape", lambda a: np.empty_like(a, shape=(2,)) * 0, [A], False),
    ("sinc", lambda a: np.sinc(a), [A], True),
    ("angle", lambda a: np.angle(a, deg=True), [A], False),
    ("isclose", lambda a, b: np.isclose(a, b + a * 1e-9), [A, B], False),
    ("nan_to_num", lambda a: np.nan_to_num(np.log(a)), [A], False),
    # products and linalg
    ("dot 1d", lambda v, w: np.dot(v, w), [V, W], True),
    ("dot 2d", lambda a, m: np.dot(a, m), [A, M], True),
    ("dot nd 1d", lambda c, v: np.dot(c, v), [C, V], True),
    ("dot nd md", lambda c, m: np.dot(c, m), [C, M], True),
    ("dot scalar", lambda a: np.dot(a, 2.0), [A], True),
    ("vdot", lambda a, b: np.vdot(a, b), [A, B], True),
    ("inner", lambda a, b: np.inner(a, b), [A, B], True),
    ("outer", lambda v, w: np.outer(v, w), [V, W], True),
    ("linalg.outer", lambda v, w: np.linalg.outer(v, w), [V, W], True),
    ("einsum", lambda a, m: np.einsum("ij,jk->ik", a, m), [A, M], True),
    ("einsum trace", lambda s: np.einsum("ii", s), [S], True),
    ("einsum ellipsis", lambda c, v: np.einsum("...j,j", c, v), [C, V], True),
    ("tensordot", lambda c, m: np.tensordot(c, m, axes=1), [C, M], True),
    ("tensordot lists", lambda c, a: np.tensordot(c, a, axes=([1, 2], [0, 1])), [C, A], True),
    ("kron", lambda a, s: np.kron(a, s), [A, S], True),
    ("cross", lambda s, p: np.cross(s, p), [S, P], True),
    ("trace", lambda s: np.trace(s), [S], True),
    ("trace 3d", lambda c: np.trace(c, axis1=1, axis2=2), [C], True),
    ("multi_dot", lambda a, m, s: np.linalg.multi_dot([a, m, s]), [A, M, S], True),
    ("norm", lambda a: np.linalg.norm(a), [A], True),
    ("norm vector ord", lambda v: np.linalg.norm(v, ord=3), [V], True),
    ("norm axis", lambda a: np.linalg.norm(a, axis=1, keepdims=True), [A], True),
    ("norm matrix 1", lambda a: np.linalg.norm(a, ord=1), [A], True),
    ("norm nuc", lambda a: np.linalg.norm(a, ord="nuc"), [A], True),
    ("norm axes", lambda c: np.linalg.norm(c, ord="fro", axis=(1, 2)), [C], True),
    ("norm inf", lambda v: np.linalg.norm(v, ord=np.inf), [V], True),
    ("vector_norm", lambda c: np.linalg.vector_norm(c, axis=(0, 2), ord=1), [C], True),
    ("matrix_norm", lambda c: np.linalg.matrix_norm(c, ord=np.inf), [C], True),
    ("inv", lambda s: np.linalg.inv(s), [S], True),
    ("solve", lambda s, a: np.linalg.solve(s, a), [S, A], True),
    ("solve vector", lambda s, v: np.linalg.solve(s, v[:3]), [S, V], True),
    ("det", lambda s: np.linalg.det(s), [S], True),
    ("slogdet", lambda s: np.linalg.slogdet(s).logabsdet, [S], True),
    ("svd values", lambda a: np.linalg.svd(a, compute_uv=False), [A], True),
    ("svd product", lambda a: _svd_rebuilt(*np.linalg.svd(a, full_matrices=False)), [A], True),
    ("svdvals", lambda a: np.linalg.svdvals(a), [A], True),
    ("qr", lambda m: np.abs(np.linalg.qr(m).R), [M], True),
    ("qr r", lambda m: np.abs(np.linalg.qr(m, mode="r")), [M], True),
    ("cholesky", lambda p: np.linalg.cholesky((p + p.T) / 2), [P], True),
    ("eigh values", lambda p: np.linalg.eigh((p + p.T) / 2).eigenvalues, [P], True),
    ("eigvalsh", lambda p: np.linalg.eigvalsh((p + p.T) / 2), [P], True),
    ("pinv", lambda m: np.linalg.pinv(m), [M], True),
    ("matrix_power", lambda s: np.linalg.matrix_power(s, 3), [S], True),
    ("matrix_power inverse", lambda s: np.linalg.matrix_power(s, -2), [S], True),
    ("linalg.matmul", lambda a, m: np.linalg.matmul(a, m), [A, M], True),
    ("linalg.trace", lambda c: np.linalg.trace(c[:, :, :3]), [C], True),
    ("linalg.diagonal", lambda c: np.linalg.diagonal(c), [C], True),
    ("linalg.vecdot", lambda a, v: np.linalg.vecdot(a, v), [A, V], True),
    # sorting
    ("sort", lambda a: np.sort(a), [A], True),
    ("sort axis None", lambda a: np.sort(a, axis=None), [A], True),
    ("argsort", lambda a: np.argsort(a, axis=0), [A], False),
]


def _svd_rebuilt(u, s, vh):
    return (u * s) @ vh


def _tensors(arrays, requires_grad=False):
    return [bt.tensor(a, requires_grad=requires_grad) for a in arrays]


def _compare(got, expected):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _compare(g, e)
        return
    if not isinstance(expected, (np.ndarray, np.generic)):
        assert got == expected
        return
    assert isinstance(got, bt.Tensor), type(got)
    array = got.detach().numpy()
    assert array.dtype == expected.dtype, (array.dtype, expected.dtype)
    assert array.shape == expected.shape, (array.shape, expected.shape)
    np.testing.assert_allclose(array, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name, func, arrays, differentiable", CASES, ids=[c[0] for c in CASES])
def test_function_matches_numpy(name, func, arrays, differentiable):
    with np.errstate(all="ignore"):
        expected = func(*arrays)
        got = func(*_tensors(arrays))
    _compare(got, expected)


GRADIENT_CASES = [c for c in CASES if c[3]]


@pytest.mark.parametrize("name, func, arrays, differentiable", GRADIENT_CASES,
                         ids=[c[0] for c in GRADIENT_CASES])  # fmt: skip
def test_function_gradients(name, func, arrays, differentiable):
    assert autograd.gradcheck(func, tuple(_tensors(arrays, requires_grad=True)))


def test_dtypes_of_reductions_follow_numpy():
    for dtype in (np.bool_, np.int8, np.int32, np.uint8, np.float16, np.float32):
        a = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
        t = bt.from_numpy(a)
        for func in (np.sum, np.prod, np.mean, np.std, np.var, np.max, np.cumsum, np.median,
                     np.cumprod, np.argmax, np.ptp):  # fmt: skip
            if dtype is np.bool_ and func is np.ptp:
                continue
            with np.errstate(all="ignore"):
                _compare(func(t, axis=0), func(a, axis=0))


def test_mixed_dtypes_join_and_solve_as_numpy():
    i, f32 = np.arange(3), np.ones(3, np.float32)
    _compare(np.concatenate([bt.from_numpy(i), bt.from_numpy(f32)]), np.concatenate([i, f32]))
    _compare(np.where(bt.from_numpy(i) > 0, bt.from_numpy(i), 0.5), np.where(i > 0, i, 0.5))
    square = np.array([[2, 1], [1, 3]])
    _compare(np.linalg.inv(bt.from_numpy(square)), np.linalg.inv(square))
    _compare(np.linalg.norm(bt.from_numpy(f32)), np.linalg.norm(f32))
    with pytest.raises(TypeError, match="float16 is unsupported in linalg"):
        np.linalg.inv(bt.ones(2, 2, dtype=bt.float16))


def test_unique_family():
    a = np.array([3, 1, 2, 3, 1, 1])
    t = bt.from_numpy(a)
    _compare(np.unique(t), np.unique(a))
    _compare(np.unique(t, return_index=True, return_inverse=True, return_counts=True),
             np.unique(a, return_index=True, return_inverse=True, return_counts=True))  # fmt: skip
    _compare(np.unique_counts(t), np.unique_counts(a))
    _compare(tuple(np.unique_inverse(t)), tuple(np.unique_inverse(a)))
    grid = np.array([[1, 2], [1, 2], [0, 5]])
    _compare(np.unique(bt.from_numpy(grid), axis=0), np.unique(grid, axis=0))
    nans = np.array([1.0, np.nan, np.nan])
    _compare(np.unique(bt.from_numpy(nans)), np.unique(nans))  # NumPy's own: NaNs collapse
    with pytest.raises(TypeError, match="np.unique: .*unique values have no gradient"):
        np.unique(bt.ones(2, requires_grad=True))


def test_views_share_memory_and_versions():
    t = bt.zeros(3, 4, dtype=bt.float64)
    for view in (np.reshape(t, (12,)), np.ravel(t), np.transpose(t), np.expand_dims(t, 0),
                 np.swapaxes(t, 0, 1), np.split(t, 2, axis=1)[0]):  # fmt: skip
        assert np.shares_memory(view.numpy(), t.numpy())
    first = np.split(t, 2, axis=1)[0]
    first[0, 0] = 5.0
    assert t[0, 0].item() == 5.0


def test_out_and_copyto_write_into_tensors():
    x = bt.tensor(A, requires_grad=True)
    target = bt.zeros(4, dtype=bt.float64)
    assert np.sum(x, axis=0, out=target) is target
    target.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.ones_like(A))
    destination = bt.zeros(4, dtype=bt.float64)
    source = bt.tensor(V, requires_grad=True)
    np.copyto(destination, source, where=np.array([True, False, True, False]))
    np.testing.assert_allclose(destination.detach().numpy(), [V[0], 0, V[2], 0])
    destination.sum().backward()
    np.testing.assert_allclose(source.grad.numpy(), [1.0, 0.0, 1.0, 0.0])
    with pytest.raises(TypeError, match="Cannot cast array data from dtype\\('float64'\\)"):
        np.copyto(bt.zeros(2, dtype=bt.int64), bt.ones(2, dtype=bt.float64))
    values = bt.tensor([np.nan, 1.0], dtype=bt.float64)
    np.nan_to_num(values, copy=False)
    np.testing.assert_array_equal(values.numpy(), [0.0, 1.0])


def test_functions_without_an_override():
    t = bt.tensor(A)
    assert np.shape(t) == (3, 4) and np.ndim(t) == 2 and np.size(t) == 12
    _compare(np.nanstd(t), np.nanstd(A))
    _compare(np.sinc(t), np.sinc(A))
    _compare(np.searchsorted(bt.tensor([1.0, 2.0, 3.0]), t), np.searchsorted([1.0, 2.0, 3.0], A))
    _compare(np.histogram(t, bins=3), np.histogram(A, bins=3))
    _compare(np.nonzero(t > 0), np.nonzero(A > 0))
    _compare(np.where(t > 0), np.where(A > 0))
    assert np.array_equal(t, t) is True
    x = bt.tensor(A, requires_grad=True)
    # Integer and bool results carry no gradient: fine on tensors that require grad.
    _compare(np.count_nonzero(x > 0), np.count_nonzero(A > 0))
    _compare(np.argwhere(x > 0.5), np.argwhere(A > 0.5))
    assert np.shape(x) == (3, 4)
    with pytest.raises(TypeError, match=r"np.nanstd: bridgetensor has no differentiable"):
        np.nanstd(x)
    with pytest.raises(TypeError, match=r"np.linalg.lstsq: .* requires grad"):
        np.linalg.lstsq(x, bt.tensor(V[:3]))
    with pytest.raises(TypeError, match=r"np.pad: .*mode='maximum'.* requires grad"):
        np.pad(x, 1, mode="maximum")
    _compare(np.pad(t, 1, mode="maximum"), np.pad(A, 1, mode="maximum"))


def test_like_creation_gives_tensors():
    t = bt.tensor(A)
    _compare(np.zeros(3, like=t), np.zeros(3))
    _compare(np.arange(4.0, like=t), np.arange(4.0))


def test_numpy_linalg_errors():
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.inv(bt.zeros(2, 2, dtype=bt.float64))
    with pytest.raises(ValueError, match="Improper number of dimensions to norm"):
        np.linalg.norm(bt.tensor(C), ord=1)
    with pytest.raises(ValueError, match="Invalid norm order 'fro' for vectors"):
        np.linalg.norm(bt.tensor(V), ord="fro")
    with pytest.raises(ValueError, match="cannot select an axis to squeeze out"):
        np.squeeze(bt.tensor(A), axis=0)
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum"):
        np.max(bt.zeros(0))
