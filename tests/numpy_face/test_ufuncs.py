"""NumPy's ufuncs on Tensors: values and dtypes as NumPy's, gradients by finite differences,
out=/where=, reduce/accumulate/outer, the fallback and its refusals."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd

from ..conftest import numpy_only

pytestmark = numpy_only

RNG = np.random.default_rng(0)

# (ufunc, low, high): the domain the values are drawn from.
UNARY = [
    (np.negative, -2, 2), (np.positive, -2, 2), (np.absolute, 0.1, 2), (np.fabs, -2, -0.1),
    (np.rint, 0.1, 0.4), (np.sign, 0.1, 2), (np.conjugate, -2, 2), (np.exp, -2, 2),
    (np.exp2, -2, 2), (np.expm1, -2, 2), (np.log, 0.1, 3), (np.log2, 0.1, 3),
    (np.log10, 0.1, 3), (np.log1p, -0.5, 3), (np.sqrt, 0.1, 3), (np.square, -2, 2),
    (np.cbrt, 0.1, 3), (np.reciprocal, 0.5, 3), (np.sin, -3, 3), (np.cos, -3, 3),
    (np.tan, -1, 1), (np.arcsin, -0.9, 0.9), (np.arccos, -0.9, 0.9), (np.arctan, -3, 3),
    (np.sinh, -2, 2), (np.cosh, -2, 2), (np.tanh, -2, 2), (np.arcsinh, -2, 2),
    (np.arccosh, 1.1, 3), (np.arctanh, -0.9, 0.9), (np.deg2rad, -90, 90),
    (np.radians, -90, 90), (np.rad2deg, -2, 2), (np.degrees, -2, 2), (np.floor, 0.1, 0.9),
    (np.ceil, 0.1, 0.9), (np.trunc, 0.1, 0.9),
]  # fmt: skip
UNARY_BOOL = [np.isnan, np.isinf, np.isfinite, np.signbit, np.logical_not]

BINARY = [
    (np.add, -2, 2), (np.subtract, -2, 2), (np.multiply, -2, 2), (np.divide, 0.5, 2),
    (np.true_divide, 0.5, 2), (np.power, 0.5, 2), (np.float_power, 0.5, 2),
    (np.remainder, 0.5, 2), (np.fmod, 0.5, 2), (np.arctan2, 0.5, 2), (np.hypot, 0.5, 2),
    (np.maximum, -2, 2), (np.minimum, -2, 2), (np.fmax, -2, 2), (np.fmin, -2, 2),
    (np.copysign, 0.5, 2), (np.logaddexp, -2, 2), (np.logaddexp2, -2, 2),
    (np.floor_divide, 0.5, 2),
]  # fmt: skip
COMPARISONS = [np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
               np.logical_and, np.logical_or, np.logical_xor]  # fmt: skip
NO_GRADIENT = {np.rint, np.sign, np.floor, np.ceil, np.trunc, np.floor_divide, np.fmod,
               np.remainder, np.copysign}  # fmt: skip


def _draw(low, high, shape=(3, 4)):
    return RNG.uniform(low, high, size=shape)


def _same(got, expected, rtol=1e-7):
    assert isinstance(got, bt.Tensor), type(got)
    got_array = got.detach().numpy()
    expected = np.asarray(expected)
    assert got_array.dtype == expected.dtype, (got_array.dtype, expected.dtype)
    assert got_array.shape == expected.shape
    np.testing.assert_allclose(got_array, expected, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("ufunc, low, high", UNARY, ids=lambda v: getattr(v, "__name__", ""))
def test_unary_values_and_gradients(ufunc, low, high):
    a = _draw(low, high)
    t = bt.tensor(a, requires_grad=True)
    _same(ufunc(t), ufunc(a), rtol=1e-6 if ufunc is np.cbrt else 1e-7)
    _same(ufunc(t.detach().float()), ufunc(a.astype(np.float32)), rtol=1e-5)
    if ufunc not in NO_GRADIENT:
        assert autograd.gradcheck(ufunc, (t,))


@pytest.mark.parametrize("ufunc", UNARY_BOOL, ids=lambda u: u.__name__)
def test_unary_predicates(ufunc):
    a = np.array([0.0, -1.5, np.inf, -np.inf, np.nan, 2.0])
    _same(ufunc(bt.tensor(a)), ufunc(a))


@pytest.mark.parametrize("ufunc, low, high", BINARY, ids=lambda v: getattr(v, "__name__", ""))
def test_binary_values_and_gradients(ufunc, low, high):
    a, b = _draw(low, high), _draw(low, high, (4,))
    x, y = bt.tensor(a, requires_grad=True), bt.tensor(b, requires_grad=True)
    _same(ufunc(x, y), ufunc(a, b))
    _same(ufunc(x, 1.5), ufunc(a, 1.5))
    _same(ufunc(1.5, y), ufunc(1.5, b))
    _same(ufunc(a, y), ufunc(a, b))
    if ufunc not in NO_GRADIENT:
        assert autograd.gradcheck(ufunc, (x, y))


@pytest.mark.parametrize("ufunc", COMPARISONS, ids=lambda u: u.__name__)
def test_comparisons_and_logic(ufunc):
    a = np.array([0.0, 1.0, 2.0, np.nan])
    b = np.array([0.0, 2.0, 1.0, np.nan])
    _same(ufunc(bt.tensor(a), bt.tensor(b)), ufunc(a, b))
    _same(ufunc(bt.tensor(a), 1), ufunc(a, 1))


def test_bitwise_and_shifts():
    a = np.array([1, 6, 12, -3], dtype=np.int32)
    b = np.array([3, 1, 2, 1], dtype=np.int32)
    for ufunc in (np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.left_shift, np.right_shift):
        _same(ufunc(bt.tensor(a), bt.tensor(b)), ufunc(a, b))
    _same(np.invert(bt.tensor(a)), np.invert(a))
    _same(np.invert(bt.tensor([True, False])), np.invert(np.array([True, False])))


def test_divmod_gives_two_tensors():
    a, b = _draw(0.5, 5), _draw(0.5, 2)
    quotient, remainder = np.divmod(bt.tensor(a), bt.tensor(b))
    _same(quotient, np.floor_divide(a, b))
    _same(remainder, np.remainder(a, b))


def test_matmul_and_vector_products_with_gradients():
    a, b, v = _draw(-1, 1, (2, 3, 4)), _draw(-1, 1, (4, 5)), _draw(-1, 1, (4,))
    x, y, w = (bt.tensor(z, requires_grad=True) for z in (a, b, v))
    _same(np.matmul(x, y), np.matmul(a, b))
    _same(x @ y, a @ b)
    _same(a @ y, a @ b)
    _same(np.vecdot(x, w), np.vecdot(a, v))
    _same(np.matvec(x, w), np.matvec(a, v))
    _same(np.vecmat(w, y), np.vecmat(v, b))
    assert autograd.gradcheck(np.matmul, (x, y))
    assert autograd.gradcheck(np.matvec, (x, w))
    assert autograd.gradcheck(np.vecmat, (w, y))


# ---------------------------------------------------------------- NumPy's dtype rules

DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.float16, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_dtypes_follow_numpy(dtype):
    a = np.array([1, 3, 1, 2]).astype(dtype)
    t = bt.from_numpy(a.copy())
    for ufunc in (np.sin, np.sqrt, np.exp, np.floor, np.absolute, np.square, np.reciprocal,
                  np.isnan, np.sign):  # fmt: skip
        try:
            expected = ufunc(a)
        except TypeError as error:
            with pytest.raises(TypeError, match=str(error)[:20]):
                ufunc(t)
            continue
        _same(ufunc(t), expected, rtol=1e-3)
    for other in (2, 2.5, np.float64(2), np.int8(3), np.float32(1.5), True):
        for ufunc in (np.add, np.multiply, np.divide, np.maximum, np.power):
            try:
                with np.errstate(all="ignore"):
                    expected = ufunc(a, other)
            except TypeError:
                with pytest.raises(TypeError):
                    ufunc(t, other)
                continue
            with np.errstate(all="ignore"):
                _same(ufunc(t, other), expected, rtol=1e-3)
                _same(ufunc(other, t), ufunc(other, a), rtol=1e-3)


def test_mixed_dtypes_promote_as_numpy():
    a32, a64, i = np.ones(3, np.float32), np.ones(3), np.arange(3)
    t32, t64, ti = bt.from_numpy(a32), bt.from_numpy(a64), bt.from_numpy(i)
    _same(np.add(t32, t64), a32 + a64)
    _same(np.multiply(t32, np.float64(2)), a32 * np.float64(2))
    _same(np.float64(2) * t32, np.float64(2) * a32)
    _same(np.divide(ti, ti + 1), i / (i + 1))
    _same(np.add(ti, 1.5), i + 1.5)
    _same(a64 + t32, a64 + a32)
    # The Tensor's own operator is the torch face: torch's rule.
    assert (t32 * np.float64(2)).dtype is bt.float32


def test_numpy_errors_for_refused_loops_and_overflowing_ints():
    flags = bt.tensor([True, False])
    with pytest.raises(TypeError, match="boolean subtract"):
        np.subtract(flags, flags)
    with pytest.raises(OverflowError, match="out of bounds for int8"):
        np.add(bt.tensor([1], dtype=bt.int8), 1000)
    with pytest.raises(ValueError, match="Integers to negative integer powers"):
        np.power(bt.tensor([2, 3]), bt.tensor([1, -1]))
    with pytest.raises(ValueError, match="Integers to negative integer powers"):
        np.power(bt.tensor([2]), -1)


def test_ndarray_and_tensor_both_ways_give_tensors():
    a, b = _draw(-1, 1), _draw(-1, 1)
    t = bt.tensor(b)
    for result in (a + t, t + a, a * t, a - t, a / t, a**2 + t, a == t, a < t):
        assert isinstance(result, bt.Tensor)
    _same(a - t, a - b)
    _same(a / t, a / b)
    x = bt.tensor(b, requires_grad=True)
    (a * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), a)


# ---------------------------------------------------------------- out= and where=


def test_out_writes_into_the_tensor_and_bumps_its_version():
    a = _draw(-1, 1)
    target = bt.zeros(3, 4, dtype=bt.float64)
    before = target._version
    result = np.sin(bt.tensor(a), out=target)
    assert result is target
    assert target._version > before
    _same(target, np.sin(a))
    view = target[0]
    np.multiply(view, 2.0, out=view)
    _same(target[0], 2 * np.sin(a[0]))


def test_out_keeps_the_gradient_history():
    x = bt.tensor(_draw(-1, 1, (3,)), requires_grad=True)
    target = bt.zeros(3, dtype=bt.float64)
    np.exp(x, out=target)
    target.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp(x.detach().numpy()))


def test_out_refuses_a_lossy_cast_as_numpy():
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        np.add(bt.tensor([1.5]), 1.0, out=bt.zeros(1, dtype=bt.int64))
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        np.add(bt.ones(2), 1.0, out=bt.zeros(2, requires_grad=True))


def test_out_into_an_ndarray_follows_numpy():
    a = np.zeros(3)
    result = np.add(bt.tensor([1.0, 2.0, 3.0], dtype=bt.float64), 1.0, out=a)
    assert result is a
    np.testing.assert_array_equal(a, [2.0, 3.0, 4.0])
    a += bt.tensor([1.0, 1.0, 1.0], dtype=bt.float64)
    np.testing.assert_array_equal(a, [3.0, 4.0, 5.0])
    with pytest.raises(TypeError, match="np.add: .* requires grad"):
        np.add(bt.ones(3, dtype=bt.float64, requires_grad=True), 1.0, out=a)


def test_where_keeps_out_and_is_differentiable():
    a = _draw(-1, 1, (4,))
    mask = np.array([True, False, True, False])
    target = bt.full((4,), 7.0, dtype=bt.float64)
    np.exp(bt.tensor(a), out=target, where=mask)
    _same(target, np.where(mask, np.exp(a), 7.0))
    x = bt.tensor(a, requires_grad=True)
    fresh = np.exp(x, where=bt.tensor(mask))
    _same(fresh, np.where(mask, np.exp(a), 0.0))
    fresh.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.where(mask, np.exp(a), 0.0))


# ---------------------------------------------------------------- methods


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, np.maximum, np.minimum])
def test_reduce_matches_numpy_with_gradients(ufunc):
    a = _draw(0.5, 1.5, (3, 4, 2))
    x = bt.tensor(a, requires_grad=True)
    _same(ufunc.reduce(x), ufunc.reduce(a))
    _same(ufunc.reduce(x, axis=1, keepdims=True), ufunc.reduce(a, axis=1, keepdims=True))
    _same(ufunc.reduce(x, axis=None), ufunc.reduce(a, axis=None))
    _same(ufunc.reduce(x, axis=(0, 2)), ufunc.reduce(a, axis=(0, 2)))
    _same(ufunc.reduce(x, axis=0, initial=1.25), ufunc.reduce(a, axis=0, initial=1.25))
    assert autograd.gradcheck(lambda t: ufunc.reduce(t, axis=1), (x,))


def test_reduce_dtypes_and_logic():
    for dtype in (np.bool_, np.int8, np.int32, np.uint16, np.float32):
        a = np.arange(6).reshape(2, 3).astype(dtype)
        for ufunc in (np.add, np.multiply, np.maximum, np.logical_and, np.logical_or):
            _same(ufunc.reduce(bt.from_numpy(a), axis=1), ufunc.reduce(a, axis=1))
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum"):
        np.maximum.reduce(bt.zeros(0))


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, np.maximum, np.minimum])
def test_accumulate_matches_numpy_with_gradients(ufunc):
    a = _draw(0.5, 1.5, (3, 4))
    x = bt.tensor(a, requires_grad=True)
    _same(ufunc.accumulate(x), ufunc.accumulate(a))
    _same(ufunc.accumulate(x, axis=1), ufunc.accumulate(a, axis=1))
    assert autograd.gradcheck(lambda t: ufunc.accumulate(t, axis=1), (x,))
    ints = np.arange(1, 7, dtype=np.int32)
    _same(ufunc.accumulate(bt.from_numpy(ints)), ufunc.accumulate(ints))


def test_outer_with_gradients():
    a, b = _draw(-1, 1, (3,)), _draw(-1, 1, (2, 2))
    x, y = bt.tensor(a, requires_grad=True), bt.tensor(b, requires_grad=True)
    _same(np.multiply.outer(x, y), np.multiply.outer(a, b))
    _same(np.subtract.outer(x, y), np.subtract.outer(a, b))
    assert autograd.gradcheck(np.multiply.outer, (x, y))


# ---------------------------------------------------------------- without an op


def test_ufunc_without_an_op_runs_on_the_arrays():
    a, b = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 0.5, 0.5])
    _same(np.heaviside(bt.tensor(a), bt.tensor(b)), np.heaviside(a, b))
    _same(np.gcd(bt.tensor([4, 6]), bt.tensor([6, 9])), np.gcd([4, 6], [6, 9]))
    mantissa, exponent = np.frexp(bt.tensor(a))
    _same(mantissa, np.frexp(a)[0])
    _same(exponent, np.frexp(a)[1])
    _same(np.bitwise_or.reduce(bt.tensor([1, 2, 4])), np.bitwise_or.reduce([1, 2, 4]))


def test_ufunc_without_an_op_refuses_a_gradient():
    x = bt.tensor([1.0, 2.0], dtype=bt.float64, requires_grad=True)
    with pytest.raises(TypeError, match=r"np.heaviside: bridgetensor has no differentiable"):
        np.heaviside(x, 0.5)
    with pytest.raises(TypeError, match=r"np.spacing: .* requires grad"):
        np.spacing(x)
    with pytest.raises(TypeError, match=r"np.fmax.reduce: .* requires grad"):
        np.fmax.reduce(x)
    with bt.no_grad():
        _same(np.heaviside(x, 0.5), np.heaviside(x.detach().numpy(), 0.5))


def test_at_writes_into_the_tensor():
    t = bt.zeros(3, dtype=bt.float64)
    before = t._version
    np.add.at(t, [0, 0, 2], 1.0)
    _same(t, np.array([2.0, 0.0, 1.0]))
    assert t._version > before
    with pytest.raises(TypeError, match=r"np.add.at: .* requires grad"):
        np.add.at(t, [0], bt.ones(1, dtype=bt.float64, requires_grad=True))


def test_integer_results_need_no_gradient():
    x = bt.tensor([1.5, -2.0], dtype=bt.float64, requires_grad=True)
    _same(np.isnan(x), np.array([False, False]))
    _same(np.signbit(x), np.array([False, True]))
