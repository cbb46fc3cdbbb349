"""Shape, joining and scatter ops under torch's names: values, grad_fn names, errors."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from .helpers import to_np

A = np.arange(24.0).reshape(2, 3, 4)
M = np.arange(12.0).reshape(3, 4)
MASK = bt.tensor(A > 20)


def t(a=A, grad=False):
    return bt.tensor(a, requires_grad=grad)


def idx(values):
    return bt.tensor(values, dtype=bt.int64)


# (name, bridgetensor op, NumPy reference, torch's grad_fn name)
OPS = [
    ("view", lambda x: x.view(4, -1), lambda a: a.reshape(4, 6), "ViewBackward0"),
    ("reshape", lambda x: bt.reshape(x, (6, 4)), lambda a: a.reshape(6, 4), "ViewBackward0"),
    ("flatten", lambda x: bt.flatten(x, 0, 1), lambda a: a.reshape(6, 4), "ViewBackward0"),
    (
        "unflatten",
        lambda x: x.unflatten(-1, (2, -1)),
        lambda a: a.reshape(2, 3, 2, 2),
        "ViewBackward0",
    ),
    ("ravel", bt.ravel, np.ravel, "ViewBackward0"),
    ("permute", lambda x: x.permute(1, 2, 0), lambda a: a.transpose(1, 2, 0), "PermuteBackward0"),
    (
        "transpose",
        lambda x: bt.transpose(x, 0, 2),
        lambda a: a.swapaxes(0, 2),
        "TransposeBackward0",
    ),
    ("swapdims", lambda x: bt.swapdims(x, 1, 2), lambda a: a.swapaxes(1, 2), "TransposeBackward0"),
    ("T", lambda x: x.T, lambda a: a.transpose(), "PermuteBackward0"),
    ("mT", lambda x: x.mT, lambda a: a.swapaxes(-1, -2), "TransposeBackward0"),
    ("t", lambda x: x[0].t(), lambda a: a[0].T, "TBackward0"),
    (
        "movedim",
        lambda x: bt.movedim(x, (0, 1), (2, 0)),
        lambda a: np.moveaxis(a, (0, 1), (2, 0)),
        "PermuteBackward0",
    ),
    ("squeeze", lambda x: x[:, :1].squeeze(), lambda a: a[:, 0], "SqueezeBackward0"),
    ("squeeze_dim", lambda x: x[:, :1].squeeze(1), lambda a: a[:, 0], "SqueezeBackward1"),
    ("squeeze_dims", lambda x: x[:1, :1].squeeze((0, 1, 2)), lambda a: a[0, 0], "SqueezeBackward2"),
    ("unsqueeze", lambda x: bt.unsqueeze(x, -1), lambda a: a[..., None], "UnsqueezeBackward0"),
    (
        "expand",
        lambda x: x[:, :1].expand(-1, 3, 4),
        lambda a: np.broadcast_to(a[:, :1], (2, 3, 4)),
        "ExpandBackward0",
    ),
    (
        "expand_new",
        lambda x: x.expand(2, 2, 3, 4),
        lambda a: np.broadcast_to(a, (2, 2, 3, 4)),
        "ExpandBackward0",
    ),
    ("narrow", lambda x: bt.narrow(x, 2, -3, 2), lambda a: a[:, :, 1:3], "SliceBackward0"),
    ("select", lambda x: bt.select(x, 2, -1), lambda a: a[:, :, -1], "SelectBackward0"),
    (
        "diagonal",
        lambda x: bt.diagonal(x, 1, 1, 2),
        lambda a: np.diagonal(a, 1, 1, 2),
        "DiagonalBackward0",
    ),
    (
        "diagonal_neg",
        lambda x: x.diagonal(-1, 2, 0),
        lambda a: np.diagonal(a, -1, 2, 0),
        "DiagonalBackward0",
    ),
    ("cat", lambda x: bt.cat([x, x[:1]]), lambda a: np.concatenate([a, a[:1]]), "CatBackward0"),
    (
        "cat_legacy_empty",
        lambda x: bt.cat([x, bt.zeros(0, dtype=x.dtype)], 1),
        lambda a: a,
        "CatBackward0",
    ),
    ("stack", lambda x: bt.stack([x, x], -1), lambda a: np.stack([a, a], -1), "StackBackward0"),
    ("hstack", lambda x: bt.hstack([x, x]), lambda a: np.hstack([a, a]), "CatBackward0"),
    (
        "vstack",
        lambda x: bt.vstack([x[0, 0], x[0, 1]]),
        lambda a: np.vstack([a[0, 0], a[0, 1]]),
        "CatBackward0",
    ),
    (
        "dstack",
        lambda x: bt.dstack([x[0], x[1]]),
        lambda a: np.dstack([a[0], a[1]]),
        "CatBackward0",
    ),
    (
        "column_stack",
        lambda x: bt.column_stack([x[0, :, 0], x[1]]),
        lambda a: np.column_stack([a[0, :, 0], a[1]]),
        "CatBackward0",
    ),
    (
        "repeat",
        lambda x: x.repeat(2, 1, 1, 2),
        lambda a: np.tile(a, (2, 1, 1, 2)),
        "RepeatBackward0",
    ),
    ("tile", lambda x: bt.tile(x, (2,)), lambda a: np.tile(a, 2), "RepeatBackward0"),
    (
        "repeat_interleave",
        lambda x: bt.repeat_interleave(x, 2, dim=1),
        lambda a: np.repeat(a, 2, 1),
        None,
    ),
    ("repeat_interleave_flat", lambda x: x.repeat_interleave(2), lambda a: np.repeat(a, 2), None),
    (
        "repeat_interleave_counts",
        lambda x: x.repeat_interleave(idx([1, 0, 2]), dim=1),
        lambda a: np.repeat(a, [1, 0, 2], 1),
        None,
    ),
    ("flip", lambda x: bt.flip(x, (0, 2)), lambda a: np.flip(a, (0, 2)), "FlipBackward0"),
    ("fliplr", lambda x: bt.fliplr(x), np.fliplr, "FlipBackward0"),
    ("flipud", lambda x: bt.flipud(x), np.flipud, "FlipBackward0"),
    (
        "roll",
        lambda x: bt.roll(x, (1, -1), (0, 2)),
        lambda a: np.roll(a, (1, -1), (0, 2)),
        "RollBackward0",
    ),
    ("roll_flat", lambda x: bt.roll(x, 5), lambda a: np.roll(a, 5), "RollBackward0"),
    ("tril", lambda x: bt.tril(x, -1), lambda a: np.tril(a, -1), "TrilBackward0"),
    ("triu", lambda x: x.triu(1), lambda a: np.triu(a, 1), "TriuBackward0"),
    (
        "diag_matrix",
        lambda x: bt.diag(x[0], 1),
        lambda a: np.diag(a[0], 1),
        "DiagonalBackward0_copy",
    ),
    (
        "diag_vector",
        lambda x: bt.diag(x[0, 0], -1),
        lambda a: np.diag(a[0, 0], -1),
        "DiagEmbedBackward0",
    ),
    ("diag_embed", lambda x: bt.diag_embed(x, 1, 0, 2), None, "DiagEmbedBackward0"),
    (
        "gather",
        lambda x: bt.gather(x, 2, idx([[[3, 0]], [[1, 1]]])),
        lambda a: np.take_along_axis(a[:, :1], np.array([[[3, 0]], [[1, 1]]]), 2),
        "GatherBackward0",
    ),
    (
        "take_along_dim",
        lambda x: bt.take_along_dim(x, idx([[[2]]]), 1),
        lambda a: a[:, 2:3, :],
        "GatherBackward0",
    ),
    (
        "take_along_dim_flat",
        lambda x: x.take_along_dim(idx([0, 23])),
        lambda a: a.reshape(-1)[[0, 23]],
        "GatherBackward0",
    ),
    (
        "index_select",
        lambda x: bt.index_select(x, 1, idx([2, 0, 2])),
        lambda a: a[:, [2, 0, 2]],
        "IndexSelectBackward0",
    ),
    (
        "take",
        lambda x: bt.take(x, idx([[0, -1], [5, 5]])),
        lambda a: a.reshape(-1)[[[0, -1], [5, 5]]],
        "TakeBackward0",
    ),
    (
        "masked_select",
        lambda x: bt.masked_select(x, MASK),
        lambda a: a[A > 20],
        "MaskedSelectBackward0",
    ),
    (
        "masked_select_broadcast",
        lambda x: bt.masked_select(x, bt.tensor([True, False, False, True])),
        lambda a: a[:, :, [0, 3]].reshape(-1),
        "MaskedSelectBackward0",
    ),
]


@pytest.mark.parametrize("name,op,ref,grad_name", OPS, ids=[o[0] for o in OPS])
def test_values_and_grad_fn_names(name, op, ref, grad_name):
    x = t(grad=True)
    out = op(x)
    if ref is not None:
        np.testing.assert_array_equal(to_np(out), ref(A))
    if grad_name is not None:
        assert out.grad_fn.name() == grad_name


def test_diag_embed_values():
    out = bt.diag_embed(bt.tensor([[1.0, 2.0]]), 1, 0, 2)
    expected = np.zeros((3, 1, 3))
    expected[0, 0, 1], expected[1, 0, 2] = 1.0, 2.0
    np.testing.assert_array_equal(to_np(out), expected)


@pytest.mark.parametrize("name,op,ref,grad_name", OPS, ids=[o[0] for o in OPS])
def test_gradients_are_the_transpose_of_the_op(name, op, ref, grad_name):
    # Each op only moves, repeats or zeroes elements: applied to the positions 1..24 it says
    # where each output element came from (0: a zero the op made), which gives the gradient.
    x = t(grad=True)
    out = op(x)
    w = np.random.default_rng(0).standard_normal(tuple(out.shape))
    (out * bt.tensor(w)).sum().backward()
    source = to_np(op(bt.tensor(np.arange(1.0, 25.0).reshape(2, 3, 4)))).astype(np.int64)
    source, w = source.reshape(-1), w.reshape(-1)
    expected = np.zeros(24)
    np.add.at(expected, source[source > 0] - 1, w[source > 0])
    np.testing.assert_allclose(to_np(x.grad).reshape(-1), expected)


SPLITS = [
    ("split", lambda x: bt.split(x, 3, 2), lambda a: [a[..., :3], a[..., 3:]]),
    ("split_sizes", lambda x: x.split([1, 0, 2], 1), lambda a: [a[:, :1], a[:, 1:1], a[:, 1:]]),
    ("chunk", lambda x: bt.chunk(x, 3, 2), lambda a: [a[..., :2], a[..., 2:]]),
    (
        "tensor_split",
        lambda x: bt.tensor_split(x, 3, 2),
        lambda a: [a[..., :2], a[..., 2:3], a[..., 3:]],
    ),
    (
        "tensor_split_indices",
        lambda x: x.tensor_split([1, -1, 9], 1),
        lambda a: [a[:, :1], a[:, 1:2], a[:, 2:], a[:, 3:]],
    ),
    ("unbind", lambda x: bt.unbind(x, 1), lambda a: [a[:, i] for i in range(3)]),
    ("hsplit", lambda x: bt.hsplit(x, [1]), lambda a: [a[:, :1], a[:, 1:]]),
    ("vsplit", lambda x: bt.vsplit(x, 2), lambda a: [a[:1], a[1:]]),
    ("dsplit", lambda x: bt.dsplit(x, 2), lambda a: [a[..., :2], a[..., 2:]]),
    ("iter", list, list),
]


@pytest.mark.parametrize("name,op,ref", SPLITS, ids=[s[0] for s in SPLITS])
def test_splits(name, op, ref):
    x = t(grad=True) * 1.0
    pieces = op(x)
    expected = ref(A)
    assert len(pieces) == len(expected)
    for piece, want in zip(pieces, expected):
        np.testing.assert_array_equal(to_np(piece), want)
    total = sum((p * float(i + 1)).sum() for i, p in enumerate(pieces) if p.numel())
    total.backward()


def test_split_gradient_fills_unused_pieces_with_zeros():
    x = t(grad=True)
    first, _ = bt.split(x, 2, 1)
    first.sum().backward()
    expected = np.zeros_like(A)
    expected[:, :2] = 1.0
    np.testing.assert_array_equal(to_np(x.grad), expected)


def test_meshgrid():
    a, b = bt.tensor([1, 2, 3]), bt.tensor([4, 5])
    for indexing in ("ij", "xy"):
        got = bt.meshgrid(a, b, indexing=indexing)
        want = np.meshgrid([1, 2, 3], [4, 5], indexing=indexing)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(to_np(g), w)
    with pytest.warns(UserWarning, match="indexing argument"):
        bt.meshgrid(a, b)


def test_atleast():
    assert bt.atleast_1d(bt.tensor(1.0)).shape == (1,)
    assert bt.atleast_2d(bt.zeros(3)).shape == (1, 3)
    assert bt.atleast_3d(bt.zeros(3)).shape == (1, 3, 1)
    assert bt.atleast_3d(bt.zeros(2, 3)).shape == (2, 3, 1)
    assert [t.shape for t in bt.atleast_2d(bt.zeros(2), bt.zeros(1, 1, 1))] == [(1, 2), (1, 1, 1)]


def test_broadcasting_helpers():
    a, b = bt.broadcast_tensors(bt.zeros(3, 1), bt.zeros(4))
    assert a.shape == b.shape == (3, 4)
    assert bt.broadcast_shapes((3, 1), 4, (2, 1, 1)) == (2, 3, 4)
    assert bt.zeros(3).broadcast_to(2, 3).shape == (2, 3)
    with pytest.raises(RuntimeError, match="shape mismatch: objects cannot be broadcast"):
        bt.broadcast_shapes((3,), (4,))


def test_view_dtype_reads_the_same_bytes():
    x = bt.tensor([1.0, -2.0], dtype=bt.float32)
    if not hasattr(x._data, "view"):
        pytest.skip("the backend cannot reinterpret bytes")
    as_int = x.view(bt.int32)
    np.testing.assert_array_equal(to_np(as_int), np.array([1.0, -2.0], np.float32).view(np.int32))
    assert x.view(bt.float64).shape == (1,)


# ---------------------------------------------------------------- scatters


def test_scatter_family():
    z = bt.zeros(3, 4, dtype=bt.float64)
    src = bt.tensor(M)
    index = idx([[1, 0], [3, 3]])
    expected = np.zeros((3, 4))
    expected[0, 1], expected[0, 0], expected[1, 3] = 0.0, 1.0, 5.0
    np.testing.assert_array_equal(to_np(z.scatter(1, index, src)), expected)
    np.testing.assert_array_equal(to_np(z.scatter(1, index, 2.0))[1], [0, 0, 0, 2.0])
    added = np.zeros((3, 4))
    added[0, 1], added[0, 0], added[1, 3] = 0.0, 1.0, 4.0 + 5.0
    np.testing.assert_array_equal(to_np(bt.scatter_add(z, 1, index, src)), added)
    np.testing.assert_array_equal(to_np(z.scatter(1, index, src, reduce="add")), added)
    assert z.scatter(1, index, 2.0).grad_fn is None and z.tolist() == [[0.0] * 4] * 3


def test_index_family():
    x = bt.tensor(M)
    rows = idx([2, 0, 2])
    source = bt.tensor(np.ones((3, 4)))
    added = M.copy()
    added[2] += 2.0 * 2
    added[0] += 2.0
    np.testing.assert_array_equal(to_np(bt.index_add(x, 0, rows, source, alpha=2.0)), added)
    copied = M.copy()
    copied[[2, 0]] = 1.0
    np.testing.assert_array_equal(to_np(x.index_copy(0, idx([2, 0]), source[:2])), copied)
    filled = M.copy()
    filled[:, [1, 3]] = -1.0
    np.testing.assert_array_equal(to_np(bt.index_fill(x, 1, idx([1, 3]), -1.0)), filled)
    put = M.copy()
    np.add.at(put, ([0, 0], [1, 1]), 5.0)
    np.testing.assert_array_equal(
        to_np(bt.index_put(x, (idx([0, 0]), idx([1, 1])), bt.tensor(5.0, dtype=bt.float64), True)),
        put,
    )
    assert x.tolist() == M.tolist()


def test_masked_scatter_and_put():
    x = bt.zeros(2, 3, dtype=bt.float64)
    mask = bt.tensor([True, False, True])
    got = x.masked_scatter(mask, bt.tensor(np.arange(1.0, 7.0)))
    np.testing.assert_array_equal(to_np(got), [[1.0, 0.0, 2.0], [3.0, 0.0, 4.0]])
    got = bt.put(x, idx([5, -6, 5]), bt.tensor([1.0, 2.0, 3.0], dtype=bt.float64), True)
    np.testing.assert_array_equal(to_np(got), [[2.0, 0.0, 0.0], [0.0, 0.0, 4.0]])


def test_in_place_scatters_write_through_views_and_record_gradients():
    base = bt.tensor(M, requires_grad=True)
    src = bt.tensor(np.ones((1, 2)), requires_grad=True)
    x = base * 1.0
    row = x[1]
    row.index_add_(0, idx([0, 0]), src[0] * 3.0)
    x.scatter_(1, idx([[2]]), 9.0)
    x.index_fill_(1, idx([3]), 0.0)
    x.masked_scatter_(
        bt.tensor([False, True, False, False]), bt.tensor([7.0] * 3, dtype=bt.float64)
    )
    x.put_(idx([11]), bt.tensor([1.0], dtype=bt.float64), accumulate=True)
    x.index_put_((idx([2]), idx([0])), bt.tensor(4.0, dtype=bt.float64))
    x.index_copy_(0, idx([2]), x[2:3].clone() * 2.0)
    x.scatter_add_(0, idx([[0]]), src)
    expected = M.copy()
    expected[1, 0] += 6.0
    expected[0, 2] = 9.0
    expected[:, 3] = 0.0
    expected[:, 1] = 7.0
    expected[2, 3] += 1.0
    expected[2, 0] = 4.0
    expected[2] *= 2.0
    expected[0, 0] += 1.0
    np.testing.assert_array_equal(to_np(x), expected)
    x.sum().backward()
    grad = np.ones((3, 4))
    grad[0, 2] = 0.0
    grad[:, 3] = 0.0
    grad[:, 1] = 0.0
    grad[2, 0] = 0.0
    grad[2] *= 2.0
    np.testing.assert_array_equal(to_np(base.grad), grad)
    np.testing.assert_array_equal(to_np(src.grad), [[3.0 + 1.0, 3.0]])


# ---------------------------------------------------------------- errors


ERRORS = [
    (lambda x: x.view(5), RuntimeError, r"shape '\[5\]' is invalid for input of size 24"),
    (lambda x: x.view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda x: x.reshape(-2, 12), RuntimeError, r"invalid shape dimension -2 at index 0"),
    (lambda x: x.transpose(0, 1).view(24), RuntimeError, "view size is not compatible"),
    (lambda x: x.unflatten(1, (2, 2)), RuntimeError, r"unflatten: Provided sizes \[2, 2\]"),
    (lambda x: x.flatten(2, 1), RuntimeError, "start_dim cannot come after end_dim"),
    (lambda x: x.permute(0, 0, 1), RuntimeError, "duplicate dims are not allowed"),
    (lambda x: x.permute(0, 1), RuntimeError, "number of dimensions in the tensor input does not"),
    (lambda x: x.transpose(0, 3), IndexError, r"Dimension out of range \(expected to be in range"),
    (
        lambda x: x.t(),
        RuntimeError,
        "t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D",
    ),
    (lambda x: x.H, RuntimeError, "tensor.H is only supported on matrices"),
    (lambda x: x[0, 0].mT, RuntimeError, "tensor.mT is only supported on matrices"),
    (lambda x: x.movedim((0, 0), (1, 2)), RuntimeError, "movedim: repeated dim in `source`"),
    (lambda x: x.expand(3, 4), RuntimeError, "the number of sizes provided"),
    (lambda x: x.expand(-1, 2, 3, 4), RuntimeError, "isn't allowed in a leading, non-existing"),
    (
        lambda x: x.expand(2, 5, 4),
        RuntimeError,
        r"The expanded size of the tensor \(5\) must match",
    ),
    (lambda x: x.narrow(2, 3, 2), RuntimeError, r"start \(3\) \+ length \(2\) exceeds"),
    (lambda x: x.select(1, 3), IndexError, r"select\(\): index 3 out of range for tensor of size"),
    (lambda x: x.diagonal(0, 1, -2), RuntimeError, "diagonal dimensions cannot be identical"),
    (lambda x: bt.cat([]), ValueError, "expected a non-empty list of Tensors"),
    (lambda x: bt.cat([x, x[0]]), RuntimeError, "Tensors must have same number of dimensions"),
    (
        lambda x: bt.cat([x, x[:, 1:]]),
        RuntimeError,
        "Sizes of tensors must match except in dimension 0",
    ),
    (lambda x: bt.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (lambda x: bt.stack([x, x[1:]]), RuntimeError, "stack expects each tensor to be equal size"),
    (lambda x: x.split([1, 1], 1), RuntimeError, "split_with_sizes expects split_sizes to sum"),
    (lambda x: x.split(0), RuntimeError, "split_size can only be 0 if dimension size is 0"),
    (lambda x: x.chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0"),
    (lambda x: x.tensor_split(0), RuntimeError, "number of sections must be larger than 0"),
    (lambda x: x.hsplit(2), RuntimeError, "torch.hsplit attempted to split along dimension 1"),
    (lambda x: x[0, 0].vsplit(1), RuntimeError, "torch.vsplit requires a tensor with at least 2"),
    (lambda x: x.unbind(3), IndexError, "Dimension out of range"),
    (lambda x: x.repeat(2, 2), RuntimeError, "Number of dimensions of repeat dims can not be"),
    (lambda x: x.repeat_interleave(-1), RuntimeError, "Repeats must be non-negative"),
    (lambda x: x.roll((1, 2), 0), RuntimeError, "shifts and dimensions must align"),
    (lambda x: x.flip(0, 0), RuntimeError, "appears multiple times in the list of dims"),
    (lambda x: x[0, 0].fliplr(), RuntimeError, "Input must be >= 2-d."),
    (lambda x: x[0, 0].tril(), RuntimeError, "tril: input tensor must have at least 2 dimensions"),
    (lambda x: x.diag(), RuntimeError, r"diag\(\): Supports 1D or 2D tensors. Got 3D"),
    (lambda x: bt.meshgrid(x, x, indexing="ij"), RuntimeError, "Expected 0D or 1D tensor"),
    (lambda x: bt.meshgrid(x[0, 0], indexing="yx"), ValueError, "indexing must be one of"),
    (lambda x: x.gather(1, idx([0])), RuntimeError, "Index tensor must have the same number of"),
    (lambda x: x.gather(2, idx([[[0]] * 4])), RuntimeError, "Size does not match at dimension 1"),
    (lambda x: x.gather(2, idx([[[4]]])), RuntimeError, "index 4 is out of bounds for dimension 2"),
    (lambda x: x.gather(2, bt.tensor([[[0.0]]])), RuntimeError, "Expected dtype int64 for index"),
    (
        lambda x: x.scatter(2, idx([[[0]]]), x.float()),
        RuntimeError,
        "Expected self.dtype to be equal",
    ),
    (lambda x: x.scatter(2, idx([[[0]]]), 1.0, reduce="multiply"), NotImplementedError, "multiply"),
    (lambda x: x.index_select(0, idx([[0]])), IndexError, "Index is supposed to be a vector"),
    (lambda x: x.index_select(0, idx([2])), IndexError, "index out of range in self"),
    (
        lambda x: x.index_add(0, idx([0]), x),
        RuntimeError,
        r"Number of indices \(1\) should be equal",
    ),
    (lambda x: x.index_copy(0, idx([0]), x[:1, :2]), RuntimeError, "must have same slice shapes"),
    (lambda x: x.index_fill(0, idx([[0]]), 1.0), RuntimeError, "Index has to be a vector/scalar"),
    (lambda x: x.masked_select(x), RuntimeError, "masked_select: expected BoolTensor for mask"),
    (lambda x: x.masked_scatter(x > 0, x[0, 0]), RuntimeError, "Number of elements of source <"),
    (lambda x: x.take(idx([24])), IndexError, "out of range: tried to access index 24 on a tensor"),
    (
        lambda x: x.put(idx([0]), x[0, 0]),
        RuntimeError,
        "Expected source and index to have the same",
    ),
    (lambda x: x.index_put((idx([0]),), x), RuntimeError, "The expanded size of the tensor"),
]


@pytest.mark.parametrize("op,error,message", ERRORS)
def test_errors(op, error, message):
    x = t()
    with pytest.raises(error, match=message):
        op(x)
    np.testing.assert_array_equal(to_np(x), A)


IN_PLACE_ERRORS = [
    lambda x: x.index_add_(0, idx([5]), x[:1]),
    lambda x: x.scatter_(2, idx([[[9]]]), 1.0),
    lambda x: x.put_(idx([99]), bt.tensor([1.0], dtype=x.dtype)),
    lambda x: x.index_put_((idx([0]),), x),
    lambda x: x.masked_scatter_(x > 0, x[0, 0]),
]


@pytest.mark.parametrize("op", IN_PLACE_ERRORS)
def test_bad_in_place_scatters_leave_data_alone(op):
    x = t()
    with pytest.raises((IndexError, RuntimeError)):
        op(x)
    np.testing.assert_array_equal(to_np(x), A)
    assert x._version == 0
