"""Indexing: every key kind (reads, writes, gradients) and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from .helpers import to_np

A = np.arange(60.0).reshape(3, 4, 5)


def x_():
    return bt.tensor(A)


def idx(values):
    return bt.tensor(values, dtype=bt.int64)


# (name, key for bridgetensor, key for NumPy giving torch's result)
READS = [
    ("int", 1, 1),
    ("negative_int", -1, -1),
    ("ints", (2, -3), (2, -3)),
    ("all_ints", (2, 1, 4), (2, 1, 4)),
    ("slice", slice(1, None), slice(1, None)),
    (
        "steps",
        (slice(None, None, 2), slice(1, 4, 2)),
        (slice(None, None, 2), slice(1, 4, 2)),
    ),
    ("slice_beyond", slice(1, 10), slice(1, 10)),
    ("none", (None, 0, None), (None, 0, None)),
    ("ellipsis", (Ellipsis, 2), (Ellipsis, 2)),
    ("ellipsis_middle", (0, Ellipsis, 1), (0, Ellipsis, 1)),
    ("empty_tuple", (), ()),
    ("list", [0, 2, 2], [0, 2, 2]),
    ("nested_list", [[0, 1], [2, 0]], np.array([[0, 1], [2, 0]])),
    ("tensor", idx([2, 0]), np.array([2, 0])),
    ("numpy", np.array([1, -1]), np.array([1, -1])),
    (
        "two_arrays",
        (idx([0, 2]), slice(None), idx([4, 0])),
        (np.array([0, 2]), slice(None), np.array([4, 0])),
    ),
    (
        "adjacent_arrays",
        (slice(None), idx([[0], [3]]), idx([1, 2])),
        (slice(None), np.array([[0], [3]]), np.array([1, 2])),
    ),
    # torch applies integers first: x[0, :, [1, 2]] has shape (4, 2) where NumPy gives (2, 4)
    ("int_and_array", (0, slice(None), idx([1, 2])), (0, slice(None), np.array([1, 2]))),
    ("mask_full", A > 30, A > 30),
    ("mask_partial", (np.array([True, False, True]),), (np.array([True, False, True]),)),
    (
        "mask_middle",
        (slice(None), bt.tensor([True, False, True, True])),
        (slice(None), np.array([True, False, True, True])),
    ),
    ("true", True, None),
    ("zero_d_int_tensor", idx(2), 2),
    ("empty_list", [], np.array([], dtype=np.int64)),
]


def _np_read(key, array=A):
    if key is None:
        return array[None]
    if (
        isinstance(key, tuple)
        and len(key) == 3
        and isinstance(key[0], int)
        and isinstance(key[2], np.ndarray)
    ):
        return array[key[0]][key[1:]]  # torch's integers-first rule
    return array[key]


@pytest.mark.parametrize("name,key,ref", READS, ids=[r[0] for r in READS])
def test_reads_match_torchs_semantics(name, key, ref):
    got = x_()[key if not isinstance(key, np.ndarray) or key.dtype != bool else bt.tensor(key)]
    np.testing.assert_array_equal(to_np(got), _np_read(ref))


def test_false_adds_an_empty_axis():
    assert x_()[False].shape == (0, 3, 4, 5)


@pytest.mark.parametrize(
    "key,name",
    [
        (0, "SelectBackward0"),
        ((slice(None), slice(1, 3)), "SliceBackward0"),
        ((0, slice(1, 3)), "SliceBackward0"),
        ((slice(1, 3), 0), "SelectBackward0"),
        (None, "UnsqueezeBackward0"),
        ((slice(None),), "AliasBackward0"),
        ([0, 1], "IndexBackward0"),
        ((0, [0, 1]), "IndexBackward0"),
    ],
)
def test_grad_fn_names(key, name):
    y = bt.ones(3, 4, requires_grad=True) * 1.0
    assert y[key].grad_fn.name() == name


def test_basic_reads_are_views_and_advanced_reads_copies():
    x = x_()
    assert x[0, 1:]._base is x
    assert x[..., None]._base is x
    assert x[[0]]._base is None
    assert x[x > 3]._base is None


@pytest.mark.parametrize("name,key,ref", READS, ids=[r[0] for r in READS])
def test_gradients_of_reads_scatter_back(name, key, ref):
    x = bt.tensor(A, requires_grad=True)
    y = x[key if not isinstance(key, np.ndarray) or key.dtype != bool else bt.tensor(key)]
    weights = np.random.default_rng(0).standard_normal(tuple(y.shape))
    (y * bt.tensor(weights)).sum().backward()
    expected = np.zeros_like(A)
    positions = _np_read(ref, np.arange(A.size).reshape(A.shape))
    np.add.at(expected.reshape(-1), positions.reshape(-1), weights.reshape(-1))
    np.testing.assert_allclose(to_np(x.grad), expected)


# ---------------------------------------------------------------- writes


WRITES = [
    ("scalar_int_key", 1, 7.0),
    ("slice_broadcast", (slice(None), 0), np.array([1.0, 2.0, 3.0, 4.0, 5.0])),
    ("leading_ones", 0, np.ones((1, 1, 4, 5))),
    ("array_key", (np.array([0, 2]), slice(None), np.array([1, 1])), np.arange(8.0).reshape(2, 4)),
    ("mask", A > 40, -1.0),
    ("mask_values", A > 55, np.array([1.0, 2.0, 3.0, 4.0])),
    ("none_key", (None, 1), np.zeros((1, 4, 5))),
    ("int_and_array", (0, slice(None), np.array([1, 2])), np.ones((4, 2))),
]


def _key_for_bt(key):
    if isinstance(key, tuple):
        return tuple(_key_for_bt(k) for k in key)
    if isinstance(key, np.ndarray):
        return bt.tensor(key)
    return key


@pytest.mark.parametrize("name,key,value", WRITES, ids=[w[0] for w in WRITES])
def test_writes(name, key, value):
    x = x_()
    x[_key_for_bt(key)] = bt.tensor(value) if isinstance(value, np.ndarray) else value
    expected = A.copy()
    if name == "int_and_array":
        expected[0][:, [1, 2]] = value
    elif name == "leading_ones":
        expected[0] = value[0, 0]
    else:
        expected[key] = value
    np.testing.assert_array_equal(to_np(x), expected)
    assert x._version == 1


def test_write_casts_the_value_to_the_tensor_dtype():
    x = bt.zeros(3, dtype=bt.int64)
    x[0] = 2.7
    x[1:] = bt.tensor([1.9, -1.9])
    assert x.tolist() == [2, 1, -1] and x.dtype == bt.int64
    y = bt.zeros(2, dtype=bt.float32)
    y[:] = bt.tensor([1.0, 2.0], dtype=bt.float64)
    assert y.dtype == bt.float32 and y.tolist() == [1.0, 2.0]


def test_write_of_a_list_value():
    x = bt.zeros(2, 2)
    x[0] = [1.0, 2.0]
    assert x.tolist() == [[1.0, 2.0], [0.0, 0.0]]


def test_write_of_a_shape_that_does_not_broadcast_raises_and_leaves_data():
    x = bt.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(3\) must match"):
        x[0] = bt.ones(2)
    assert x.tolist() == [[0.0] * 3] * 2
    assert x._version == 0


def test_gradients_of_writes():
    base = bt.tensor(A, requires_grad=True)
    value = bt.tensor(np.ones((2, 4)), requires_grad=True)
    x = base * 2.0
    x[bt.tensor([0, 2]), :, bt.tensor([1, 1])] = value * 3.0
    x.sum().backward()
    expected = np.full(A.shape, 2.0)
    expected[[0, 2], :, [1, 1]] = 0.0
    np.testing.assert_array_equal(to_np(base.grad), expected)
    np.testing.assert_array_equal(to_np(value.grad), np.full((2, 4), 3.0))


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "key,error,message",
    [
        (5, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
        ((0, -6), IndexError, "index -6 is out of bounds for dimension 1 with size 4"),
        ([0, 3], IndexError, "index 3 is out of bounds for dimension 0 with size 3"),
        ((slice(None), [9]), IndexError, "index 9 is out of bounds for dimension 0 with size 4"),
        ((0, 0, 0, 0), IndexError, "too many indices for tensor of dimension 3"),
        ((Ellipsis, 0, Ellipsis), IndexError, "an index can only have a single ellipsis"),
        (slice(None, None, -1), ValueError, "step must be greater than zero"),
        (slice(None, None, 0), ValueError, "slice step cannot be zero"),
        (1.0, IndexError, r"only integers, slices .* are valid indices \(got float\)"),
        ("a", TypeError, "index: expected an integer"),
        ([0.5], IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
        (
            np.array([True, False]),
            IndexError,
            r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed "
            r"tensor \[3, 4, 5\] at index 0",
        ),
    ],
)
def test_bad_keys_raise_torchs_errors(key, error, message):
    x = x_()
    with pytest.raises(error, match=message):
        x[key]
    with pytest.raises(error, match=message):
        x[key] = 1.0
    np.testing.assert_array_equal(to_np(x), A)


def test_float_tensor_index_raises():
    with pytest.raises(IndexError, match="tensors used as indices must be long"):
        x_()[bt.tensor([1.0])]


def test_a_zero_d_tensor_cannot_be_indexed_by_an_int():
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 0"):
        bt.tensor(1.0)[0]


@pytest.mark.parametrize(
    "key",
    [
        (0, slice(None), np.array([1, 2])),
        (slice(None, None, -1), 1),
        (np.array([1, 0]), slice(None), 2),
        (Ellipsis, np.array([True, False, True, False, True])),
        (None, 1, slice(3, 0, -2)),
    ],
)
def test_array_api_rules_place_integers_as_numpy_does(key):
    from bridgetensor.ops import _keys

    x = x_()
    native = tuple(bt.tensor(k)._data if isinstance(k, np.ndarray) else k for k in key)
    parsed = _keys.parse(native, tuple(x.shape), x._be, torch_rules=False)
    np.testing.assert_array_equal(to_np(bt.ops.read_key(x, parsed)), A[key])
