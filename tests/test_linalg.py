"""Linear algebra: edge cases, torch's gradient conventions and every error we raise."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd

from .helpers import to_np

rng = np.random.default_rng(0)


def T(*shape, requires_grad=False):
    return bt.tensor(rng.standard_normal(shape), requires_grad=requires_grad)


def raises(kind, message, fn, *args, **kwargs):
    with pytest.raises(kind) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message
    return info.value


# ---------------------------------------------------------------- products and their errors


def test_matmul_shape_errors_name_both_shapes():
    raises(
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
        bt.matmul,
        bt.ones(2, 3),
        bt.ones(4, 5),
    )
    raises(
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)",
        bt.matmul,
        bt.ones(2, 2, 3),
        bt.ones(4, 5),
    )
    raises(
        RuntimeError,
        "size mismatch, got input (2), mat (2x3), vec (4)",
        bt.matmul,
        bt.ones(2, 3),
        bt.ones(4),
    )
    raises(
        RuntimeError,
        "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
        "elements, but got 3 and 4 elements respectively",
        bt.matmul,
        bt.ones(3),
        bt.ones(4),
    )
    raises(
        RuntimeError,
        "both arguments to matmul need to be at least 1D, but they are 0D and 1D",
        bt.matmul,
        bt.ones(()),
        bt.ones(3),
    )
    raises(
        RuntimeError,
        "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].",
        bt.matmul,
        bt.ones(2, 2, 3),
        bt.ones(2, 4, 5),
    )
    raises(
        RuntimeError,
        "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
        bt.matmul,
        bt.ones(2, 2, 3),
        bt.ones(3, 3, 5),
    )


def test_products_refuse_mixed_dtypes_as_torch():
    f32, f64 = bt.ones(2, 3), bt.ones(3, 2, dtype=bt.float64)
    message = "expected m1 and m2 to have the same dtype, but got: float != double"
    raises(RuntimeError, message, bt.mm, f32, f64)
    raises(RuntimeError, message, bt.matmul, f32, f64)
    raises(
        RuntimeError,
        "dot : expected both vectors to have same dtype, but found Float and Double",
        bt.dot,
        bt.ones(3),
        bt.ones(3, dtype=bt.float64),
    )
    raises(
        RuntimeError,
        "expected scalar type Float but found Double",
        bt.bmm,
        bt.ones(2, 2, 3),
        bt.ones(2, 3, 2, dtype=bt.float64),
    )
    raises(
        RuntimeError,
        "self and mat2 must have the same dtype, but got Double and Float",
        bt.addmm,
        bt.ones(2, dtype=bt.float64),
        bt.ones(2, 3),
        bt.ones(3, 2),
    )


def test_product_rank_errors():
    raises(RuntimeError, "self must be a matrix", bt.mm, bt.ones(3), bt.ones(3, 3))
    raises(RuntimeError, "mat2 must be a matrix", bt.mm, bt.ones(3, 3), bt.ones(3))
    raises(RuntimeError, "batch1 must be a 3D tensor", bt.bmm, bt.ones(2, 3), bt.ones(2, 3))
    raises(
        RuntimeError,
        "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].",
        bt.bmm,
        bt.ones(2, 2, 3),
        bt.ones(3, 3, 3),
    )
    raises(
        RuntimeError,
        "vector + matrix @ vector expected, got 1, 2, 2",
        bt.mv,
        bt.ones(2, 3),
        bt.ones(4, 1),
    )
    raises(
        RuntimeError,
        "1D tensors expected, but got 2D and 1D tensors",
        bt.dot,
        bt.ones(3, 1),
        bt.ones(3),
    )
    raises(
        RuntimeError,
        "outer: Expected 1-D argument self, but got 2-D",
        bt.outer,
        bt.ones(3, 1),
        bt.ones(4),
    )
    raises(
        RuntimeError,
        "inner() the last dimension must match on both input tensors but got shapes [3] and [4]",
        bt.inner,
        bt.ones(3),
        bt.ones(4),
    )
    raises(
        RuntimeError,
        "mat1 must be a matrix, got 1-D tensor",
        bt.addmm,
        bt.ones(2),
        bt.ones(3),
        bt.ones(3, 2),
    )
    raises(
        RuntimeError,
        "The expanded size of the tensor (5) must match the existing size (3) at non-singleton "
        "dimension 1.  Target sizes: [2, 5].  Tensor sizes: [3, 3]",
        bt.addmm,
        bt.ones(3, 3),
        bt.ones(2, 3),
        bt.ones(3, 5),
    )
    raises(
        RuntimeError, "trace: expected a matrix, but got tensor with dim 1", bt.trace, bt.ones(3)
    )


def test_addmm_is_one_node_and_beta_zero_ignores_nan():
    c = bt.tensor([float("nan"), 1.0], dtype=bt.float64, requires_grad=True)
    a, b = T(3, 4, requires_grad=True), T(4, 2, requires_grad=True)
    out = bt.addmm(c, a, b, beta=0, alpha=2.0)
    assert type(out.grad_fn).__name__ == "AddmmBackward0"
    np.testing.assert_allclose(to_np(out), 2.0 * to_np(a) @ to_np(b), rtol=1e-12)
    out.sum().backward()
    np.testing.assert_array_equal(to_np(c.grad), [0.0, 0.0])


def test_tensordot_forms_and_size_one_broadcast():
    a, b = T(2, 3, 4), T(3, 4, 5)
    expected = np.tensordot(to_np(a), to_np(b), axes=2)
    for dims in (2, ([1, 2], [0, 1]), [[1, 2], [0, 1]]):
        np.testing.assert_allclose(to_np(bt.tensordot(a, b, dims=dims)), expected, rtol=1e-12)
    ones = bt.tensordot(bt.ones(2, 1), bt.ones(3, 5), dims=1)
    np.testing.assert_array_equal(to_np(ones), np.full((2, 5), 3.0))
    raises(
        RuntimeError,
        "contracted dimensions need to match, but first has size 3 in dim -1 and second has "
        "size 4 in dim 0",
        bt.tensordot,
        bt.ones(2, 3),
        bt.ones(4, 5),
        dims=1,
    )
    raises(RuntimeError, "tensordot expects dims >= 0, but got dims=-1", bt.tensordot, a, b, -1)


def test_trace_of_integers_is_int64_and_kron_shapes():
    assert bt.trace(bt.ones(3, 3, dtype=bt.int32)).dtype is bt.int64
    assert bt.trace(bt.ones(2, 3)).item() == 2.0
    x, y = T(2, 3), T(4, 1, 2)
    np.testing.assert_allclose(to_np(bt.kron(x, y)), np.kron(to_np(x), to_np(y)), rtol=1e-12)


# ---------------------------------------------------------------- einsum


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij,jk", [(2, 3), (3, 4)]),
        ("ii->i", [(3, 3)]),
        ("ii", [(3, 3)]),
        ("iij->j", [(2, 2, 3)]),
        ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
        ("b...,...->...b", [(2, 3), (3,)]),
        ("ba", [(2, 3)]),
        ("i,j->ij", [(2,), (3,)]),
        ("abc,cd,de->ae", [(2, 3, 4), (4, 5), (5, 2)]),
        ("ij,ij->", [(2, 3), (2, 3)]),
        ("...ij->...", [(2, 3, 4)]),
    ],
)
def test_einsum_matches_numpy(equation, shapes):
    arrays = [rng.standard_normal(s) for s in shapes]
    got = bt.einsum(equation, *[bt.tensor(a) for a in arrays])
    np.testing.assert_allclose(to_np(got), np.einsum(equation, *arrays), rtol=1e-10, atol=1e-12)


def test_einsum_list_sublist_and_size_one_broadcast():
    a, b = T(2, 3), T(3, 4)
    expected = to_np(a) @ to_np(b)
    np.testing.assert_allclose(to_np(bt.einsum("ij,jk", [a, b])), expected, rtol=1e-12)
    np.testing.assert_allclose(to_np(bt.einsum(a, [0, 1], b, [1, 2], [0, 2])), expected)
    got = bt.einsum("ij,jk->ik", bt.ones(2, 1), bt.ones(3, 4))
    np.testing.assert_array_equal(to_np(got), np.full((2, 4), 3.0))


@pytest.mark.parametrize(
    "equation, shapes, message",
    [
        (
            "ij,jk->ik",
            [(2, 3), (4, 5)],
            "subscript j has size 4 for operand 1 which does not "
            "broadcast with previously seen size 3",
        ),
        ("ij,jk", [(2, 3)], "fewer operands were provided than specified in the equation"),
        (
            "ij->ik",
            [(2, 3)],
            "output subscript k does not appear in the equation for any input operand",
        ),
        (
            "ijk->ij",
            [(2, 3)],
            "the number of subscripts in the equation (3) does not match the "
            "number of dimensions (2) for operand 0 and no ellipsis was given",
        ),
        (
            "ii->i",
            [(2, 3)],
            "subscript i is repeated for operand 0 but the sizes don't match, 3 != 2",
        ),
        ("ij->ii", [(2, 2)], "output subscript i appears more than once in the output"),
        ("i.j", [(2, 2)], "found '.' for operand 0 that is not part of any ellipsis"),
        (
            "i1",
            [(2, 2)],
            "invalid subscript given at index 1 in the equation string, "
            "subscripts must be in [a-zA-Z]",
        ),
        (
            "...ijk",
            [(2, 2)],
            "the number of subscripts in the equation (3) is more than the "
            "number of dimensions (2) for operand 0",
        ),
    ],
)
def test_einsum_errors(equation, shapes, message):
    operands = [bt.ones(*s) for s in shapes]
    raises(RuntimeError, "einsum(): " + message, bt.einsum, equation, *operands)


def test_einsum_second_order_gradient():
    a = T(3, 3, requires_grad=True)
    y = bt.einsum("ij,jk,ki->", a, a, a)  # trace(a^3): gradient 3 (a^2)^T
    (g,) = autograd.grad(y, [a], create_graph=True)
    an = to_np(a)
    np.testing.assert_allclose(to_np(g), 3 * (an @ an).T, rtol=1e-10)
    (h,) = autograd.grad(g.sum(), [a])
    assert h.shape == a.shape


# ---------------------------------------------------------------- factorisations: errors


def test_linalg_error_is_a_runtime_error_with_torchs_message():
    assert issubclass(bt.linalg.LinAlgError, RuntimeError)
    raises(
        bt.linalg.LinAlgError,
        "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
        "because the input matrix is singular.",
        bt.linalg.inv,
        bt.tensor([[1.0, 2.0], [2.0, 4.0]]),
    )
    raises(
        bt.linalg.LinAlgError,
        "linalg.inv: (Batch element 1): The diagonal element 1 is zero, the inversion could "
        "not be completed because the input matrix is singular.",
        bt.inverse,
        bt.stack([bt.eye(2), bt.zeros(2, 2)]),
    )
    raises(
        bt.linalg.LinAlgError,
        "torch.linalg.solve: The solver failed because the input matrix is singular.",
        bt.linalg.solve,
        bt.zeros(2, 2),
        bt.ones(2),
    )
    raises(
        bt.linalg.LinAlgError,
        "linalg.cholesky: The factorization could not be completed because the input is not "
        "positive-definite (the leading minor of order 2 is not positive-definite).",
        bt.linalg.cholesky,
        bt.tensor([[1.0, 2.0], [2.0, 1.0]]),
    )
    raises(
        bt.linalg.LinAlgError,
        "cholesky: (Batch element 1): The factorization could not be completed because the "
        "input is not positive-definite (the leading minor of order 2 is not positive-definite).",
        bt.cholesky,
        bt.tensor([[[4.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]]),
    )


def test_argument_errors():
    ints = bt.ones(2, 2, dtype=bt.int64)
    raises(
        RuntimeError,
        "linalg.inv: Expected a floating point or complex tensor as input. Got Long",
        bt.linalg.inv,
        ints,
    )
    raises(
        RuntimeError,
        "linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices",
        bt.linalg.det,
        bt.ones(2, 3),
    )
    raises(
        RuntimeError,
        "linalg.svd: The input tensor A must have at least 2 dimensions.",
        bt.linalg.svd,
        bt.ones(3),
    )
    raises(
        RuntimeError,
        "linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)",
        bt.linalg.solve,
        bt.eye(2),
        bt.ones(3),
    )
    raises(
        RuntimeError,
        "linalg.solve: Expected A and B to have the same dtype, but found A of type Float and "
        "B of type Double instead",
        bt.linalg.solve,
        bt.eye(2),
        bt.ones(2, dtype=bt.float64),
    )
    raises(
        RuntimeError,
        "qr received unrecognized mode 'bad' but expected one of 'reduced' (default), 'r', or "
        "'complete'",
        bt.linalg.qr,
        bt.ones(3, 2),
        mode="bad",
    )
    raises(
        RuntimeError,
        "Expected UPLO argument to be 'L' or 'U', but got X",
        bt.linalg.eigh,
        bt.eye(2),
        UPLO="X",
    )
    raises(
        TypeError,
        "linalg_vector_norm(): argument 'ord' must be Number, not str",
        bt.linalg.vector_norm,
        bt.ones(3),
        ord="fro",
    )
    raises(
        RuntimeError,
        "linalg.matrix_norm: Order 3 not supported.",
        bt.linalg.matrix_norm,
        bt.ones(3, 3),
        ord=3,
    )
    raises(
        RuntimeError,
        "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.",
        bt.linalg.norm,
        bt.ones(3, 3, 3),
        ord=2,
    )
    raises(
        RuntimeError,
        "linalg.vector_norm cannot compute the inf norm on an empty tensor because the "
        "operation does not have an identity",
        bt.linalg.vector_norm,
        bt.ones(0, 3),
        ord=math.inf,
    )
    raises(
        RuntimeError,
        "linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2",
        bt.linalg.cross,
        bt.ones(3, 2),
        bt.ones(3, 2),
    )
    raises(
        RuntimeError,
        "cdist only supports non-negative p values",
        bt.cdist,
        bt.ones(2, 3),
        bt.ones(4, 3),
        p=-1,
    )
    raises(
        RuntimeError,
        "multi_dot(): tensors 0 and 1 with shapes [2, 3] and [4, 3] cannot be multiplied",
        bt.linalg.multi_dot,
        [bt.ones(2, 3), bt.ones(4, 3)],
    )


def test_qr_backward_refusals():
    a = T(4, 3, requires_grad=True)
    q, r = bt.linalg.qr(a, mode="complete")
    raises(
        RuntimeError,
        "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
        q.sum().backward,
    )
    q, r = bt.linalg.qr(a, mode="r")
    assert tuple(q.shape) == (0,)
    with pytest.raises(RuntimeError, match="not computed when mode='r'"):
        r.sum().backward()


# ---------------------------------------------------------------- values and conventions


def test_inv_ex_reports_instead_of_raising():
    result = bt.linalg.inv_ex(bt.stack([bt.eye(2), bt.zeros(2, 2)]))
    assert result.info.tolist() == [0, 1]
    assert result.info.dtype is bt.int32
    np.testing.assert_array_equal(to_np(result.inverse)[0], np.eye(2))
    with pytest.raises(bt.linalg.LinAlgError, match=r"^linalg\.inv_ex: "):
        bt.linalg.inv_ex(bt.zeros(2, 2), check_errors=True)


def test_empty_matrices():
    assert bt.linalg.det(bt.zeros(0, 0)).item() == 1.0
    assert tuple(bt.linalg.inv(bt.zeros(0, 0)).shape) == (0, 0)


def test_det_gradient_at_a_singular_matrix_is_zero_as_torch():
    a = bt.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    bt.linalg.det(a).backward()
    np.testing.assert_array_equal(to_np(a.grad), np.zeros((2, 2)))


@pytest.mark.parametrize("order", [2, 1, 0.5, 3, math.inf, -math.inf])
def test_vector_norm_gradient_at_zero_is_zero(order):
    x = bt.zeros(3, dtype=bt.float64, requires_grad=True)
    bt.linalg.vector_norm(x, ord=order).backward()
    np.testing.assert_array_equal(to_np(x.grad), np.zeros(3))


def test_spectral_gradients_with_repeated_values_when_only_values_are_used():
    a = bt.eye(3, dtype=bt.float64, requires_grad=True)
    for f in (
        lambda x: bt.linalg.eigvalsh(x).sum(),
        lambda x: bt.linalg.eigh(x).eigenvalues.sum(),
        lambda x: bt.linalg.matrix_norm(x, ord="nuc"),
        lambda x: bt.linalg.svd(x).S.sum(),
    ):
        (g,) = autograd.grad(f(a), [a])
        np.testing.assert_allclose(to_np(g), np.eye(3), atol=1e-12)


def test_named_tuples_and_torch_svd():
    a = T(4, 3)
    u, s, v = bt.svd(a)
    assert tuple(v.shape) == (3, 3) and tuple(u.shape) == (4, 3)
    np.testing.assert_allclose(to_np(u) * to_np(s) @ to_np(v).T, to_np(a), atol=1e-12)
    zero = bt.svd(a, compute_uv=False)
    assert not to_np(zero.U).any() and tuple(zero.U.shape) == (4, 4)
    assert bt.linalg.svd(a).Vh.shape == (3, 3)
    assert set(bt.linalg.slogdet(bt.eye(2))._fields) == {"sign", "logabsdet"}
    assert bt.linalg.eigh(bt.eye(2))._fields == ("eigenvalues", "eigenvectors")
    assert bt.linalg.qr(a)._fields == ("Q", "R")


def test_eigh_upper_reads_the_upper_triangle():
    a = bt.tensor([[2.0, 1.0], [5.0, 3.0]])
    lower = bt.linalg.eigvalsh(a)
    upper = bt.linalg.eigvalsh(a, UPLO="U")
    np.testing.assert_allclose(to_np(lower), np.linalg.eigvalsh(np.array([[2, 5], [5, 3.0]])))
    np.testing.assert_allclose(to_np(upper), np.linalg.eigvalsh(np.array([[2, 1], [1, 3.0]])))


def test_rank_pinv_lstsq_cond_of_rank_deficient_matrices():
    a = bt.tensor([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], dtype=bt.float64)
    assert bt.linalg.matrix_rank(a).item() == 1
    assert bt.linalg.matrix_rank(a).dtype is bt.int64
    np.testing.assert_allclose(to_np(bt.linalg.pinv(a)), np.linalg.pinv(to_np(a)), atol=1e-12)
    b = bt.tensor([[1.0], [2.0], [3.0]], dtype=bt.float64)
    result = bt.linalg.lstsq(a, b)
    expected = np.linalg.lstsq(to_np(a), to_np(b), rcond=None)[0]
    np.testing.assert_allclose(to_np(result.solution), expected, atol=1e-12)
    assert result.rank.item() == 1 and tuple(result.residuals.shape) == (0,)
    assert bt.linalg.cond(bt.zeros(2, 2), "fro").item() == math.inf


def test_matrix_power_and_cdist_paths_agree():
    a = bt.tensor([[1.0, 1.0], [0.0, 1.0]])
    assert bt.linalg.matrix_power(a, 5).tolist() == [[1.0, 5.0], [0.0, 1.0]]
    assert bt.linalg.matrix_power(a, 0).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    np.testing.assert_allclose(to_np(bt.linalg.matrix_power(a, -2)), [[1.0, -2.0], [0.0, 1.0]])
    x, y = T(30, 4), T(5, 4)
    by_product = bt.cdist(x, y)
    direct = bt.cdist(x, y, compute_mode="donot_use_mm_for_euclid_dist")
    np.testing.assert_allclose(to_np(by_product), to_np(direct), rtol=1e-10)
    p = bt.tensor([[0.0, 0.0]], requires_grad=True)
    bt.cdist(p, bt.zeros(1, 2)).sum().backward()
    np.testing.assert_array_equal(to_np(p.grad), np.zeros((1, 2)))


def test_tensor_methods():
    a, v = T(3, 3), T(3)
    np.testing.assert_allclose(to_np(a.mv(v)), to_np(a) @ to_np(v), rtol=1e-12)
    np.testing.assert_allclose(to_np(a.mm(a)), to_np(a) @ to_np(a), rtol=1e-12)
    np.testing.assert_allclose(a.det().item(), np.linalg.det(to_np(a)), rtol=1e-10)
    np.testing.assert_allclose(a.norm().item(), np.linalg.norm(to_np(a)), rtol=1e-12)
    np.testing.assert_allclose(v.dot(v).item(), to_np(v) @ to_np(v), rtol=1e-12)
    np.testing.assert_allclose(to_np(a.inverse()), np.linalg.inv(to_np(a)), rtol=1e-8)
    assert tuple(v.outer(v).shape) == (3, 3)
