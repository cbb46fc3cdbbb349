"""bridgetensor.array_api: the standard's names, defaults, promotion and errors, on
Tensors, with gradients. (The official suite, data-apis/array-api-tests, runs in the
`array-api-tests` tox environment; these are the fast checks of our own choices.)"""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.array_api as xp

from ..helpers import default_device, to_np


def test_tensors_find_the_namespace():
    t = bt.zeros(2)
    assert t.__array_namespace__() is xp
    assert t.__array_namespace__(api_version="2024.12") is xp
    array_api_compat = pytest.importorskip("array_api_compat")
    assert array_api_compat.array_namespace(t) is xp


def test_api_version_2023_12_is_a_view_without_the_2024_12_additions():
    old = bt.zeros(2).__array_namespace__(api_version="2023.12")
    assert old.__array_api_version__ == "2023.12"
    assert old.sum is xp.sum and old.linalg is xp.linalg
    for name in ("reciprocal", "diff", "take_along_axis", "count_nonzero"):
        assert not hasattr(old, name)
    with pytest.raises(ValueError, match=r"api_version '2021\.12' is not supported"):
        bt.zeros(2).__array_namespace__(api_version="2021.12")


def test_every_public_name_is_there():
    assert xp.__array_api_version__ == "2024.12"
    assert xp.float32 is bt.float32 and xp.newaxis is None and xp.e == math.e
    for name in xp.__all__:
        assert hasattr(xp, name), name
    for name in ("fft", "rfftn", "fftfreq", "ifftshift"):
        assert hasattr(xp.fft, name)
    for name in ("svd", "vector_norm", "matrix_rank", "trace", "diagonal"):
        assert hasattr(xp.linalg, name)


def test_standard_promotion_counts_0d_arrays_like_others():
    x = xp.asarray([1, 2], dtype=xp.int8)
    zero_d = xp.asarray(3, dtype=xp.int16)
    assert xp.add(x, zero_d).dtype is xp.int16  # torch's x + zero_d is int8
    assert (x + zero_d).dtype is xp.int8  # the Tensor operator stays torch's
    assert xp.multiply(x, 3).dtype is xp.int8  # a Python int takes the array's dtype
    f32 = xp.asarray([1.0], dtype=xp.float32)
    assert xp.add(f32, xp.asarray(1.0, dtype=xp.float64)).dtype is xp.float64
    assert xp.add(f32, 1j).dtype is xp.complex64


def test_result_type_and_can_cast():
    assert xp.result_type(xp.int8, xp.uint8) is xp.int16
    assert xp.result_type(xp.asarray(1, dtype=xp.int8), xp.int16, 1) is xp.int16
    assert xp.result_type(xp.float32, 1.0) is xp.float32
    assert xp.can_cast(xp.float32, xp.complex64)
    assert not xp.can_cast(xp.int64, xp.float64)  # no edge between kinds
    assert not xp.can_cast(xp.uint64, xp.int64)
    assert xp.can_cast(xp.asarray([1], dtype=xp.int8), xp.int32)
    with pytest.raises(ValueError, match="at least one array or dtype"):
        xp.result_type(1, 2.0)
    with pytest.raises(TypeError, match="result_type: expected arrays, dtypes or Python"):
        xp.result_type(xp.int8, "int8")
    with pytest.raises(TypeError, match="uint64 and int64 have no common dtype"):
        xp.result_type(xp.uint64, xp.int64)


def test_finfo_iinfo_and_isdtype():
    info = xp.finfo(xp.asarray(1.0, dtype=xp.complex64))
    assert info.dtype is xp.float32 and info.bits == 32 and isinstance(info.eps, float)
    assert xp.iinfo(xp.int8).min == -128 and xp.iinfo(xp.uint16).dtype is xp.uint16
    with pytest.raises(ValueError, match="finfo: expected a floating-point dtype; got int8"):
        xp.finfo(xp.int8)
    with pytest.raises(ValueError, match="iinfo: expected an integer dtype; got float32"):
        xp.iinfo(xp.float32)
    assert xp.isdtype(xp.uint8, "unsigned integer") and not xp.isdtype(xp.bool, "numeric")
    with pytest.raises(ValueError, match="isdtype: unknown kind 'floats'"):
        xp.isdtype(xp.float32, "floats")
    with pytest.raises(TypeError, match="isdtype: expected a dtype; got int"):
        xp.isdtype(3, "integral")


def test_inspection():
    info = xp.__array_namespace_info__()
    assert info.capabilities()["boolean indexing"] is True
    here = default_device()  # the host, unless the run puts new tensors on a GPU
    assert info.default_device() == here and here in info.devices()
    assert bt.device("cpu") in info.devices()
    assert info.default_dtypes()["real floating"] is bt.get_default_dtype()
    assert set(info.dtypes(kind="integral")) == {
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"
    }  # fmt: skip
    assert "float16" not in info.dtypes()


def test_creation_defaults_and_extras():
    assert tuple(xp.arange(5, 1).shape) == (0,)  # torch refuses a step pointing away
    np.testing.assert_array_equal(to_np(xp.arange(0.0, 1.0, 0.25)), [0, 0.25, 0.5, 0.75])
    np.testing.assert_array_equal(to_np(xp.eye(3, k=-1, dtype=xp.int32)), np.eye(3, k=-1))
    np.testing.assert_allclose(to_np(xp.linspace(0, 1, 5, endpoint=False)), np.arange(5) / 5)
    assert xp.full((2,), True).dtype is xp.bool and xp.full(2, 1.5).dtype is xp.float32
    x = xp.asarray([1, 2], dtype=xp.int16)
    assert (
        xp.ones_like(x).dtype is xp.int16 and xp.zeros_like(x, dtype=xp.float64).dtype is xp.float64
    )
    with pytest.raises(ValueError, match="arange: step must not be zero"):
        xp.arange(0, 3, 0)
    with pytest.raises(ValueError, match=r"zeros: shape must not be negative; got \(2, -1\)"):
        xp.zeros((2, -1))
    with pytest.raises(TypeError, match="ones: shape must be an int or a tuple of ints"):
        xp.ones("3")
    with pytest.raises(ValueError, match="linspace: num must not be negative; got -1"):
        xp.linspace(0, 1, -1)


def test_asarray_takes_uint64_beyond_int64():
    big = xp.asarray([2**63, 2**64 - 1], dtype=xp.uint64)
    assert big.dtype is xp.uint64 and big.tolist() == [2**63, 2**64 - 1]


def test_sums_accumulate_as_the_standard_says():
    assert xp.sum(xp.asarray([200, 100], dtype=xp.uint8)).dtype is xp.uint64
    assert xp.prod(xp.asarray([True, True])).dtype is xp.int64
    assert xp.cumulative_sum(xp.asarray([1, 2], dtype=xp.int8)).dtype is xp.int64
    assert xp.sum(xp.asarray([1.0], dtype=xp.float32), dtype=xp.float64).dtype is xp.float64
    assert xp.linalg.trace(xp.eye(2, dtype=xp.int8)).dtype is xp.int64
    # var and std remove no degree of freedom by default (torch's remove one).
    assert float(xp.var(xp.asarray([1.0, 3.0]))) == 1.0


def test_floor_divide_at_infinities_follows_the_standard():
    inf = math.inf
    out = xp.floor_divide(
        xp.asarray([inf, -inf, 1.0, -1.0, 7.0]), xp.asarray([2.0, 2.0, -inf, inf, 2.0])
    )
    got = to_np(out)
    np.testing.assert_array_equal(got, [inf, -inf, 0.0, 0.0, 3.0])
    assert list(np.signbit(got[2:4])) == [True, True]
    np.testing.assert_array_equal(
        to_np(xp.floor_divide(xp.asarray([inf, 3.0]), -2.0)), [-inf, -2.0]
    )


def test_linear_algebra_dtypes_and_conjugation():
    a = xp.asarray([1 + 1j, 2.0])
    np.testing.assert_allclose(to_np(xp.vecdot(a, a)), 6.0 + 0j)  # conj(a) . a
    ints = xp.asarray([[1, 2], [3, 4]], dtype=xp.int8)
    assert xp.vecdot(ints, ints).dtype is xp.int8
    assert xp.linalg.diagonal(ints).dtype is xp.int8
    assert tuple(xp.linalg.pinv(xp.zeros((3, 0, 2))).shape) == (3, 2, 0)
    svd = xp.linalg.svd(xp.eye(2))
    assert set(svd._fields) == {"U", "S", "Vh"}
    assert xp.linalg.eigh(xp.eye(2))._fields == ("eigenvalues", "eigenvectors")


def test_clip_keeps_the_dtype_of_x():
    x = xp.asarray([1, 5, 9], dtype=xp.int16)
    out = xp.clip(x, xp.asarray(2, dtype=xp.int32), 6)
    assert out.dtype is xp.int16
    np.testing.assert_array_equal(to_np(out), [2, 5, 6])


def test_set_functions_return_named_tuples():
    found = xp.unique_all(xp.asarray([3.0, 1.0, 3.0, float("nan")]))
    assert found._fields == ("values", "indices", "inverse_indices", "counts")
    np.testing.assert_array_equal(to_np(found.counts), [1, 2, 1])
    assert xp.unique_inverse(xp.asarray([2, 2])).inverse_indices.dtype is xp.int64


def test_to_device():
    t = bt.zeros(2)
    assert t.to_device(t.device) is t and t.to_device(str(t.device)) is t
    with pytest.raises(ValueError, match="to_device: streams are not supported"):
        t.to_device("cpu", stream=1)


def test_astype():
    x = xp.asarray([1.5, -2.5])
    assert xp.astype(x, xp.float32, copy=False) is x
    copied = xp.astype(x, xp.float32)
    assert copied is not x and copied.dtype is xp.float32
    assert xp.astype(x, xp.int64).dtype is xp.int64
    with pytest.raises(TypeError, match="astype: expected a dtype; got str"):
        xp.astype(x, "float64")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: xp.broadcast_to(xp.zeros(3), (2,)), ValueError, "broadcast_to: cannot"),
        (lambda: xp.broadcast_shapes((2,), (3,)), ValueError, "cannot be broadcast"),
        (lambda: xp.squeeze(xp.zeros((2, 1)), axis=0), ValueError, "axis 0 has length 2"),
        (lambda: xp.permute_dims(xp.zeros((2, 1)), (0, 0)), ValueError, "not a permutation"),
        (lambda: xp.stack([xp.zeros(2), xp.zeros(3)]), ValueError, "the same shape"),
        (lambda: xp.take(xp.zeros((2, 2)), xp.asarray([0])), ValueError, "axis is required"),
        (lambda: xp.expand_dims(xp.zeros(2), axis=3), IndexError, "axis 3 is out of range"),
        (lambda: xp.linalg.outer(xp.zeros((2, 2)), xp.zeros(2)), ValueError, "two 1-d arrays"),
        (lambda: xp.matmul(xp.zeros(()), xp.zeros(2)), ValueError, "at least one dimension"),
        (lambda: xp.vecdot(xp.zeros(2), xp.zeros(3)), ValueError, "the same size along"),
        (lambda: xp.vecdot(xp.zeros(2), xp.zeros(2), axis=1), ValueError, "out of range"),
        (lambda: xp.searchsorted(xp.zeros(2), xp.zeros(1), side="up"), ValueError, "side"),
        (lambda: xp.add(xp.zeros(2), "a"), TypeError, "expected an array or a Python scalar"),
        (lambda: xp.linalg.diagonal(xp.zeros(2)), ValueError, "at least 2 dimensions"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_gradients_flow_through_the_namespace():
    x = bt.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=bt.float64, requires_grad=True)
    ns = x.__array_namespace__()
    y = ns.sum(ns.std(x, axis=0) * ns.linalg.vector_norm(x, axis=1))
    y = y + ns.sum(ns.concat([x, ns.flip(x, axis=0)], axis=None) ** 2)
    y.backward()
    a = to_np(x.detach())
    eps = 1e-6
    numeric = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        for sign in (1, -1):
            b = a.copy()
            b[i] += sign * eps
            value = (b.std(axis=0) * np.linalg.norm(b, axis=1)).sum() + 2 * (b**2).sum()
            numeric[i] += sign * value / (2 * eps)
    np.testing.assert_allclose(to_np(x.grad), numeric, rtol=1e-6)
