"""Edge cases of sorting, searching and set ops: stability, NaN, ties, 0-d and empty
inputs, batched searches, torch's dtypes, and every error these functions raise."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd, ops

from .conftest import BACKEND
from .helpers import to_np

nan = float("nan")


def same(t, expected):
    np.testing.assert_array_equal(to_np(t), np.asarray(expected))


# ------------------------------------------------------------------ sort, argsort, topk


def test_sort_is_stable_in_both_directions_and_puts_nan_largest():
    x = bt.tensor([3.0, nan, 1.0, 1.0])
    up = bt.sort(x)
    assert up._fields == ("values", "indices") and up.indices.tolist() == [2, 3, 0, 1]
    down = x.sort(descending=True)
    assert down.indices.tolist() == [1, 0, 2, 3]
    same(bt.argsort(bt.tensor([3, 1, 1]), descending=True), [0, 1, 2])
    same(bt.sort(bt.tensor([True, False])).values, [False, True])
    same(bt.msort(bt.tensor([[3, 1], [1, 2]])), [[1, 1], [3, 2]])


def test_sort_gradient_goes_back_to_each_original_place():
    x = bt.tensor([3.0, 1.0, 5.0, 5.0], requires_grad=True)
    (x.sort().values * bt.arange(4.0)).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 2.0, 3.0]


def test_sort_of_0d_and_bad_dims():
    values, indices = bt.sort(bt.tensor(3.0), 0)
    assert values.item() == 3.0 and indices.item() == 0
    with pytest.raises(IndexError, match="Dimension out of range"):
        bt.sort(bt.ones(2), 1)


def test_topk_order_ties_and_nan():
    result = bt.topk(bt.tensor([3.0, 1.0, 5.0, 5.0]), 2)
    assert result._fields == ("values", "indices") and result.indices.tolist() == [2, 3]
    same(bt.topk(bt.tensor([3.0, nan, 5.0]), 2).indices, [1, 2])
    same(bt.topk(bt.tensor([3.0, nan, 5.0]), 2, largest=False).values, [3.0, 5.0])
    assert bt.topk(bt.ones(3), 0).values.shape == (0,)
    x = bt.tensor([[1.0, 4.0, 2.0]], requires_grad=True)
    x.topk(2, dim=1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 1.0]]


def test_topk_and_kthvalue_refusals():
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        bt.topk(bt.ones(2), 3)
    with pytest.raises(RuntimeError, match="topk does not support bool dtypes"):
        bt.topk(bt.tensor([True]), 1)
    with pytest.raises(
        RuntimeError, match=r"kthvalue\(\): selected number k out of range for dimension 0"
    ):
        bt.kthvalue(bt.ones(2), 3)


def test_kthvalue_values_indices_keepdim_and_gradient():
    result = bt.kthvalue(bt.tensor([3.0, 1.0, 2.0]), 2)
    assert result.values.item() == 2.0 and result.indices.item() == 2
    assert bt.kthvalue(bt.ones(2, 3), 1, 1, True).values.shape == (2, 1)
    x = bt.tensor([3.0, 1.0, 2.0], requires_grad=True)
    (g,) = autograd.grad(x.kthvalue(3).values, [x])
    assert g.tolist() == [1.0, 0.0, 0.0]


# ------------------------------------------------------------------ searching


def test_searchsorted_sides_scalars_batches_and_sorter():
    seq = bt.tensor([1.0, 2.0, 2.0, 3.0])
    values = bt.tensor([2.0, 0.0, 5.0, nan])
    same(bt.searchsorted(seq, values), [1, 0, 4, 4])
    same(bt.searchsorted(seq, values, right=True), [3, 0, 4, 4])
    same(bt.searchsorted(seq, values, side="right"), [3, 0, 4, 4])
    assert bt.searchsorted(seq, 2.5).shape == () and bt.searchsorted(seq, 2.5).item() == 3
    assert bt.searchsorted(seq, values, out_int32=True).dtype is bt.int32
    batched = bt.searchsorted(
        bt.tensor([[1.0, 2.0], [3.0, 4.0]]), bt.tensor([[2.5, 1.0], [3.5, 5.0]])
    )
    same(batched, [[2, 0], [1, 2]])
    same(
        bt.searchsorted(bt.tensor([3.0, 1.0, 2.0]), bt.tensor([1.5]), sorter=bt.tensor([1, 2, 0])),
        [1],
    )
    same(bt.searchsorted(bt.tensor([1, 2]), bt.tensor([1.5])), [1])


def test_bucketize():
    boundaries = bt.tensor([1.0, 2.0, 3.0])
    same(bt.bucketize(bt.tensor([[2.0, 0.0], [5.0, 1.0]]), boundaries), [[1, 0], [3, 0]])
    same(bt.bucketize(bt.tensor([2.0, 1.0]), boundaries, right=True), [2, 1])
    assert bt.bucketize(2.0, boundaries).item() == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: bt.searchsorted(bt.tensor(1.0), bt.ones(1)),
            "boundaries tensor should have positive dimension",
        ),
        (
            lambda: bt.searchsorted(bt.ones(2, 2), bt.ones(1, 2)),
            "first N-1 dimensions of boundaries tensor",
        ),
        (
            lambda: bt.searchsorted(bt.ones(2), bt.ones(1), side="left", right=True),
            "side and right can't be set to opposites",
        ),
        (
            lambda: bt.searchsorted(bt.ones(2), bt.ones(1), side="up"),
            "side can only be 'left' or 'right' but got up",
        ),
        (
            lambda: bt.searchsorted(bt.ones(2), bt.ones(1), sorter=bt.tensor([0])),
            "boundary and sorter must have the same size",
        ),
        (
            lambda: bt.bucketize(bt.ones(1), bt.ones(1, 2)),
            r"boundaries tensor must be 1 dimension, but got dim\(2\)",
        ),
    ],
)
def test_searching_refusals(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_nonzero_argwhere_and_0d_inputs():
    x = bt.tensor([[0, 1], [2, 0]])
    same(bt.nonzero(x), [[0, 1], [1, 0]])
    rows, cols = x.nonzero(as_tuple=True)
    same(rows, [0, 1])
    same(cols, [1, 0])
    same(bt.argwhere(bt.tensor([nan, 0.0])), [[0]])
    assert bt.nonzero(bt.tensor(5)).shape == (1, 0)
    assert bt.nonzero(bt.tensor(0)).shape == (0, 0)
    (only,) = bt.nonzero(bt.tensor(5), as_tuple=True)
    same(only, [0])
    with pytest.raises(ValueError, match="nonzero: expected an array of at least one dimension"):
        ops.nonzero(bt.tensor(5))


# ------------------------------------------------------------------ sets and counting


def test_unique_sorts_keeps_nans_distinct_and_returns_inverse_and_counts():
    values, inverse, counts = bt.unique(
        bt.tensor([3.0, nan, 1.0, nan, 1.0]), return_inverse=True, return_counts=True
    )
    same(values, [1.0, 3.0, nan, nan])
    same(inverse, [1, 2, 0, 3, 0])
    same(counts, [2, 1, 1, 1])
    assert bt.unique(bt.tensor([[3, 1], [1, 2]]), return_inverse=True)[1].shape == (2, 2)
    values, inverse = bt.unique(bt.tensor(3), return_inverse=True)
    assert values.shape == (1,) and inverse.shape == ()


def test_unique_along_a_dim_and_consecutive():
    rows, inverse, counts = bt.tensor([[1, 2], [0, 5], [1, 2]]).unique(
        dim=0, return_inverse=True, return_counts=True
    )
    same(rows, [[0, 5], [1, 2]])
    same(inverse, [1, 0, 1])
    same(counts, [1, 2])
    values, inverse, counts = bt.unique_consecutive(
        bt.tensor([1, 1, 2, 2, 3, 1, 1]), return_inverse=True, return_counts=True
    )
    same(values, [1, 2, 3, 1])
    same(inverse, [0, 0, 1, 1, 2, 3, 3])
    same(counts, [2, 2, 1, 2])
    same(bt.unique_consecutive(bt.tensor([[1, 1], [1, 1], [2, 2]]), dim=0), [[1, 1], [2, 2]])


def test_array_api_unique_functions():
    x = bt.tensor([3, 1, 3, 2])
    same(ops.unique_values(x), [1, 2, 3])
    result = ops.unique_counts(x)
    assert result._fields == ("values", "counts")
    same(result.counts, [1, 1, 2])
    same(ops.unique_inverse(x).inverse_indices, [2, 0, 2, 1])
    values, first, inverse, _ = ops.unique_all(x)
    same(first, [1, 3, 0])
    same(ops.take(values, inverse), to_np(x))


def test_bincount_dtypes_and_weights_gradient():
    x = bt.tensor([0, 2, 2, 5])
    same(bt.bincount(x), [1, 0, 2, 0, 0, 1])
    assert bt.bincount(x).dtype is bt.int64
    assert bt.bincount(x, weights=bt.tensor([1, 2, 3, 4])).dtype is bt.float64
    if BACKEND != "array_api_strict":  # strict has no float16
        assert bt.bincount(x, weights=bt.ones(4, dtype=bt.float16)).dtype is bt.float64
    assert bt.bincount(x, weights=bt.ones(4)).dtype is bt.float32
    same(x.bincount(minlength=8), [1, 0, 2, 0, 0, 1, 0, 0])
    empty = bt.bincount(bt.tensor([], dtype=bt.int64), weights=bt.ones(0), minlength=2)
    assert empty.dtype is bt.int64 and empty.tolist() == [0, 0]
    w = bt.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    (bt.bincount(x, w) * bt.arange(6.0)).sum().backward()
    assert w.grad.tolist() == [0.0, 2.0, 2.0, 5.0]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: bt.bincount(bt.tensor([-1, 2])),
            RuntimeError,
            "bincount only supports 1-d non-negative integral inputs",
        ),
        (
            lambda: bt.bincount(bt.tensor([[1, 2]])),
            RuntimeError,
            "bincount only supports 1-d non-negative integral inputs",
        ),
        (
            lambda: bt.bincount(bt.tensor([1.0])),
            NotImplementedError,
            "\"bincount_cpu\" not implemented for 'Float'",
        ),
        (
            lambda: bt.bincount(bt.tensor([1]), minlength=-1),
            RuntimeError,
            "minlength should be >= 0",
        ),
        (
            lambda: bt.bincount(bt.tensor([1]), bt.ones(2)),
            RuntimeError,
            "weights should be 1-d and have the same length",
        ),
        (
            lambda: bt.histc(bt.tensor([1, 2])),
            NotImplementedError,
            "\"histogram_cpu\" not implemented for 'Long'",
        ),
        (lambda: bt.histc(bt.ones(2), bins=0), RuntimeError, "torch.histc: bins must be > 0"),
        (
            lambda: bt.histc(bt.ones(2), min=3, max=1),
            RuntimeError,
            "torch.histc: max must be larger than min",
        ),
        (
            lambda: bt.histc(bt.tensor([1.0, nan])),
            RuntimeError,
            r"torch.histc: range of \[nan, nan\] is not finite",
        ),
    ],
)
def test_counting_refusals(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_histc_bins_edges_and_ranges():
    x = bt.tensor([1.0, 2.0, 1.0, 4.0])
    same(bt.histc(x, bins=4, min=0, max=3), [0.0, 2.0, 1.0, 0.0])  # 4 is outside; 3 would be in
    same(bt.histc(x, bins=4), [2.0, 1.0, 0.0, 1.0])  # the data's range; max in the last bin
    same(bt.histc(bt.tensor([1.0, 1.0]), bins=4), [0.0, 0.0, 2.0, 0.0])  # [0, 2] around a constant
    assert bt.histc(bt.ones(2, dtype=bt.float64), bins=2).dtype is bt.float64
    assert not bt.histc(bt.ones(2, requires_grad=True), bins=2).requires_grad
    assert math.isclose(float(bt.histc(bt.zeros(0), bins=3).sum().item()), 0.0)
