"""Elementwise ops: values at 0, inf and nan, gradient conventions at kinks, errors,
in-place rules and operators. Generic checks live in the op table (tests/ops)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt

from .helpers import to_np

INF, NAN = math.inf, math.nan

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's log(0) etc.


def t(values, grad=False):
    """A float64 tensor (built from a float64 array: no float32 detour for Python floats)."""
    return bt.tensor(np.asarray(values, dtype=np.float64), requires_grad=grad)


def grad_of(f, *values):
    inputs = [t(v, grad=True) for v in values]
    f(*inputs).sum().backward()
    return [to_np(x.grad) for x in inputs]


def same(got, expected):
    np.testing.assert_array_equal(to_np(got), np.asarray(expected))


# ------------------------------------------------------------------ values at edges


def test_exp2_is_exact_at_integers():
    same(bt.exp2(t([0.0, 1.0, 10.0, -1.0, -1074.0])), [1.0, 2.0, 1024.0, 0.5, 5e-324])


def test_erf_and_erfc_agree_with_math_to_a_few_ulp():
    xs = np.concatenate([np.linspace(-6, 6, 241), np.geomspace(1e-300, 26, 60)])
    for name in ("erf", "erfc"):
        got = to_np(getattr(bt, name)(t(xs)))
        exact = np.array([getattr(math, name)(x) for x in xs])
        np.testing.assert_allclose(got, exact, rtol=4 * 2.0**-52, atol=0, err_msg=name)


def test_erf_family_at_special_values():
    same(bt.erf(t([INF, -INF, 0.0, NAN])), [1.0, -1.0, 0.0, NAN])
    assert math.copysign(1.0, bt.erf(t([-0.0])).item()) == -1.0
    same(bt.erfc(t([INF, -INF, NAN])), [0.0, 2.0, NAN])
    same(bt.erfinv(t([1.0, -1.0, 1.5, -2.0, 0.0, NAN])), [INF, -INF, NAN, NAN, 0.0, NAN])


def test_erfinv_inverts_erf_across_the_range():
    ys = np.concatenate([np.linspace(-1, 1, 201)[1:-1], 1 - np.geomspace(1e-15, 1e-3, 13)])
    np.testing.assert_allclose(to_np(bt.erf(bt.erfinv(t(ys)))), ys, rtol=0, atol=4e-16)
    xs = np.concatenate([np.linspace(-2, 2, 41), [1e-200, -3e-9]])
    np.testing.assert_allclose(to_np(bt.erfinv(bt.erf(t(xs)))), xs, rtol=1e-14, atol=1e-15)


def test_erf_keeps_float32():
    x = bt.tensor([0.5, -1.0, 3.0])
    assert bt.erf(x).dtype is bt.float32
    assert bt.erfinv(x).dtype is bt.float32
    assert bt.erf(bt.tensor([1, 2])).dtype is bt.float32


def test_sigmoid_is_accurate_in_both_tails_without_overflow():
    x = t([-800.0, -100.0, 0.0, 30.0, 800.0])
    expected = [0.0, math.exp(-100.0) / (1 + math.exp(-100.0)), 0.5, 1 / (1 + math.exp(-30)), 1.0]
    np.testing.assert_allclose(to_np(bt.sigmoid(x)), expected, rtol=1e-15)


def test_xlogy_and_sinc_special_points():
    same(bt.xlogy(t([0.0, 0.0, 1.0, 2.0]), t([0.0, NAN, 0.0, 1.0])), [0.0, NAN, -INF, 0.0])
    same(bt.sinc(t([0.0, 1.0, NAN])), [1.0, math.sin(math.pi) / math.pi, NAN])


def test_fmod_and_remainder_signs_and_exactness():
    same(bt.fmod(t([-5.5, 5.5, 3.0, -0.0]), 2.0), [-1.5, 1.5, 1.0, -0.0])
    same(bt.fmod(bt.tensor([5, -5, 5, -5]), bt.tensor([3, 3, -3, -3])), [2, -2, 2, -2])
    same(bt.remainder(bt.tensor([5, -5, 5, -5]), bt.tensor([3, 3, -3, -3])), [2, 1, -1, -2])
    same(bt.fmod(t([1e300, 7.5, 2.0]), t([3.0, INF, 0.0])), [math.fmod(1e300, 3.0), 7.5, NAN])


def test_integer_division_rounding_modes():
    a, b = bt.tensor([7, -7, 7, -7, 6]), bt.tensor([2, 2, -2, -2, 3])
    same(bt.div(a, b, rounding_mode="trunc"), [3, -3, -3, 3, 2])
    same(bt.div(a, b, rounding_mode="floor"), [3, -4, -4, 3, 2])
    assert bt.div(a, b).dtype is bt.float32
    assert (a // b).dtype is bt.int64
    same(bt.div(t([7.0, -7.0]), 2.0, rounding_mode="trunc"), [3.0, -3.0])


def test_integer_powers():
    base = bt.tensor([1, -1, -1, 2, -2, 0])
    same(base ** bt.tensor([-1, -1, -2, -2, -3, 2]), [1, -1, 1, 0, 0, 0])
    same(2 ** bt.tensor([3, -2]), [8, 0])
    assert (bt.tensor([4]) ** 0.5).dtype is bt.float32
    same(bt.float_power(bt.tensor([2]), 2), [4.0])
    assert bt.float_power(bt.tensor([2]), 2).dtype is bt.float64


def test_clamp_values():
    x = t([-2.0, 0.5, 3.0, NAN])
    same(bt.clamp(x, 0.0, 1.0), [0.0, 0.5, 1.0, NAN])
    same(bt.clamp(x, min=1.0, max=0.0), [0.0, 0.0, 0.0, NAN])  # min > max: max wins
    assert bt.clamp(bt.tensor([1, 5]), min=2.5).dtype is bt.float32
    same(bt.clamp(bt.tensor([1, 5]), max=3), [1, 3])
    same(x.clamp_min(1.0), [1.0, 1.0, 3.0, NAN])


def test_round_half_to_even_and_decimals():
    same(bt.round(t([0.5, 1.5, 2.5, -0.5, -2.5])), [0.0, 2.0, 2.0, -0.0, -2.0])
    same(bt.round(t([0.125, 1.005]), decimals=2), [0.12, 1.0])
    same(bt.round(t([1234.5, 15.0, 25.0]), decimals=-1), [1230.0, 20.0, 20.0])
    same(bt.round(bt.tensor([3, -4])), [3, -4])


def test_nan_to_num_defaults_and_choices():
    x = t([NAN, INF, -INF, 1.0])
    big = bt.finfo(bt.float64).max
    same(bt.nan_to_num(x), [0.0, big, -big, 1.0])
    same(bt.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0), [1.0, 2.0, -2.0, 1.0])
    same(bt.nan_to_num(bt.tensor([1, 2])), [1, 2])


def test_logaddexp2_at_infinities():
    same(bt.logaddexp2(t([INF, -INF, 1.0]), t([INF, -INF, 1.0])), [INF, -INF, 2.0])


def test_sign_family():
    same(bt.sign(t([-2.0, -0.0, 3.0, NAN])), [-1.0, 0.0, 1.0, 0.0])
    same(bt.signbit(t([-0.0, 0.0, -1.0])), [True, False, True])
    same(bt.signbit(bt.tensor([-1, 1])), [True, False])
    np.testing.assert_allclose(to_np(bt.sgn(bt.tensor([3 + 4j, 0j]))), [0.6 + 0.8j, 0j], rtol=1e-6)
    same(bt.frac(t([-1.5, 2.25])), [-0.5, 0.25])


def test_tests_and_shifts():
    x = t([INF, -INF, NAN, 1.0])
    same(bt.isposinf(x), [True, False, False, False])
    same(bt.isneginf(x), [False, True, False, False])
    same(bt.isnan(bt.tensor([1, 2])), [False, False])
    same(bt.isfinite(bt.tensor([True])), [True])
    same(bt.tensor([1, 1]) << bt.tensor([3, 64]), [8, 0])
    same(bt.tensor([-16, 16]) >> 2, [-4, 4])
    same(bt.bitwise_not(bt.tensor([True, False])), [False, True])


def test_isclose_allclose_and_equal():
    a, b = t([1.0, INF, NAN, 1.0]), t([1.0 + 1e-9, INF, NAN, 2.0])
    same(bt.isclose(a, b), [True, True, False, False])
    same(bt.isclose(a, b, equal_nan=True), [True, True, True, False])
    assert bt.allclose(t([1.0]), t([1.0 + 1e-9])) is True
    assert bt.equal(bt.tensor([1, 2]), bt.tensor([1, 2])) is True
    assert bt.equal(bt.tensor([1, 2]), bt.tensor([1])) is False
    assert bt.equal(t([NAN]), t([NAN])) is False


def test_where_masked_fill_and_logical_ops():
    c = bt.tensor([True, False])
    assert bt.where(c, 1.0, 0).dtype is bt.float32
    assert bt.where(c, 1, 0).dtype is bt.int64
    same(bt.where(c, bt.tensor([1, 2]), 2.5), [1.0, 2.5])
    same(bt.tensor([1, 2]).masked_fill(c, 2.7), [2, 2])  # cast toward zero
    same(bt.logical_and(bt.tensor([2, 0]), bt.tensor([1.0, 1.0])), [True, False])
    same(bt.fmax(t([1.0, NAN, NAN]), t([NAN, 2.0, NAN])), [1.0, 2.0, NAN])


def test_complex_parts():
    z = bt.tensor([1 + 2j, -1 - 0.5j])
    same(z.real, [1.0, -1.0])
    same(z.imag, [2.0, -0.5])
    same(bt.conj(z), [1 - 2j, -1 + 0.5j])
    x = bt.tensor([1.0])
    assert bt.real(x) is x and bt.conj(x) is x and bt.positive(x) is x
    same(bt.angle(t([-1.0, 2.0, NAN])), [math.pi, 0.0, NAN])


# ------------------------------------------------------------------ gradient conventions


def test_gradients_at_kinks_follow_torch():
    assert grad_of(bt.abs, [0.0, -2.0])[0].tolist() == [0.0, -1.0]
    assert grad_of(bt.relu, [0.0, 1.0])[0].tolist() == [0.0, 1.0]
    assert grad_of(bt.sqrt, [0.0])[0].tolist() == [INF]
    assert grad_of(bt.copysign, [0.0, 2.0], [-1.0, -1.0])[0].tolist() == [0.0, -1.0]
    assert grad_of(bt.sinc, [0.0])[0].tolist() == [0.0]
    assert grad_of(bt.atan2, [0.0], [0.0]) == [[0.0], [0.0]]
    assert grad_of(bt.sign, [0.0, 1.0])[0].tolist() == [0.0, 0.0]
    assert grad_of(bt.round, [0.5, 1.2])[0].tolist() == [0.0, 0.0]
    assert grad_of(bt.frac, [1.5])[0].tolist() == [1.0]
    assert grad_of(bt.nan_to_num, [NAN, INF, 2.0])[0].tolist() == [0.0, 0.0, 1.0]


def test_clamp_gradient_passes_at_the_bounds_inclusive():
    x = [0.0, 1.0, 1.5, 2.0, 3.0]
    assert grad_of(lambda v: bt.clamp(v, 1.0, 2.0), x)[0].tolist() == [0, 1, 1, 1, 0]
    gx, gmin, gmax = grad_of(bt.clamp, [0.0, 1.5, 3.0, 5.0], [1.0, 1.0, 1.0, 3.0], [2.0] * 4)
    assert gx.tolist() == [0, 1, 0, 0]
    assert gmin.tolist() == [1, 0, 0, 0]
    assert gmax.tolist() == [0, 0, 1, 1]  # min > max: the result is max
    assert grad_of(lambda v: bt.logit(v, eps=0.25), [0.25, 0.1])[0][1] == 0.0


def test_ties_in_maximum_share_and_in_fmax_go_to_input():
    assert [g.tolist() for g in grad_of(bt.maximum, [1.0], [1.0])] == [[0.5], [0.5]]
    assert [g.tolist() for g in grad_of(bt.fmax, [1.0], [1.0])] == [[1.0], [0.0]]
    assert [g.tolist() for g in grad_of(bt.fmin, [NAN], [1.0])] == [[0.0], [1.0]]


def test_pow_gradients_at_zero():
    gx, gy = grad_of(lambda a, b: a**b, [0.0, 0.0, 0.0, 2.0], [0.0, 1.0, 2.0, 0.0])
    assert gx.tolist() == [0.0, 1.0, 0.0, 0.0]
    assert gy.tolist() == [0.0, 0.0, 0.0, math.log(2.0)]
    assert grad_of(lambda b: 2.0**b, [3.0])[0].tolist() == [8.0 * math.log(2.0)]
    assert grad_of(lambda b: 0.0**b, [0.0, 2.0])[0].tolist() == [0.0, 0.0]
    assert grad_of(lambda a: a**0, [0.0])[0].tolist() == [0.0]


def test_xlogy_nextafter_and_special_gradients():
    gx, gy = grad_of(bt.xlogy, [0.0, 0.0, 2.0], [0.0, 2.0, 4.0])
    assert gx.tolist() == [0.0, math.log(2.0), math.log(4.0)]
    assert gy.tolist()[1:] == [0.0, 0.5]
    gx, gy = grad_of(bt.nextafter, [1.0, 2.0], [1.0, 3.0])
    assert gx.tolist() == [0.0, 1.0] and gy.tolist() == [0.0, 0.0]
    x = 0.3
    assert grad_of(bt.erf, [x])[0][0] == pytest.approx(2 / math.sqrt(math.pi) * math.exp(-x * x))
    assert grad_of(bt.erfinv, [0.0])[0][0] == pytest.approx(math.sqrt(math.pi) / 2)


def test_lerp_and_addcdiv_gradients():
    ga, gb, gw = grad_of(bt.lerp, [0.0, 1.0], [2.0, 3.0], [0.25, 0.75])
    assert ga.tolist() == [0.75, 0.25] and gb.tolist() == [0.25, 0.75] and gw.tolist() == [2, 2]
    _, g1, g2 = grad_of(lambda a, b, c: bt.addcdiv(a, b, c, value=2), [0.0], [2.0], [4.0])
    assert g1.tolist() == [0.5] and g2.tolist() == [-0.25]


def test_sigmoid_names_its_node_and_has_second_derivative():
    x = t([0.3], grad=True)
    y = bt.sigmoid(x)
    assert type(y.grad_fn).__name__ == "SigmoidBackward0"
    (g,) = bt.autograd.grad(y.sum(), [x], create_graph=True)
    (h,) = bt.autograd.grad(g.sum(), [x])
    s = 1 / (1 + math.exp(-0.3))
    assert h.item() == pytest.approx(s * (1 - s) * (1 - 2 * s))


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bt.clamp(bt.tensor([1.0])), RuntimeError, "At least one of 'min' or 'max'"),
        (lambda: bt.clamp(bt.tensor([1.0]), bt.tensor([0.0]), 1.0), TypeError, "both be"),
        (lambda: bt.tensor([1]) // 0, RuntimeError, "floor_divide: integer division by zero"),
        (lambda: bt.tensor([1]) % bt.tensor([0]), RuntimeError, "remainder: integer division"),
        (lambda: bt.fmod(bt.tensor([1]), 0), RuntimeError, "fmod: integer division by zero"),
        (lambda: bt.tensor([2]) ** -1, RuntimeError, "negative integer powers"),
        (lambda: bt.tensor([1.0]) & 1, NotImplementedError, "bitwise_and: expected integer"),
        (lambda: bt.tensor([True]) << 1.0, NotImplementedError, "bitwise_left_shift"),
        (lambda: ~bt.tensor([1.0]), TypeError, "only implemented on integer and Boolean"),
        (lambda: bt.hypot(bt.tensor([1]), bt.tensor([1])), NotImplementedError, "hypot"),
        (lambda: bt.frac(bt.tensor([1])), NotImplementedError, "frac: expected a floating"),
        (lambda: bt.ceil(bt.tensor([True])), NotImplementedError, "ceil: expected a numeric"),
        (lambda: bt.abs(bt.tensor([True])), NotImplementedError, "abs: expected a numeric"),
        (lambda: bt.hypot(bt.tensor([1.0]), 2.0), TypeError, "must be Tensor, not float"),
        (lambda: bt.where(bt.tensor([1]), 1.0, 0.0), RuntimeError, "boolean tensor"),
        (
            lambda: bt.tensor([1]).masked_fill(bt.tensor([1]), 0),
            RuntimeError,
            "only supports boolean masks",
        ),
        (
            lambda: bt.tensor([1]).masked_fill(bt.tensor([True]), bt.tensor([0])),
            RuntimeError,
            "0-dimensional value tensor",
        ),
        (
            lambda: bt.zeros(3).masked_fill_(bt.tensor([[True], [False]]), 0.0),
            RuntimeError,
            "doesn't match the broadcast shape [2, 3]",
        ),
        (lambda: bt.isclose(bt.zeros(1), bt.zeros(1, dtype=bt.float64)), RuntimeError, "same"),
        (lambda: bt.isclose(bt.zeros(1), bt.zeros(1), rtol=-1), RuntimeError, "rtol must be"),
        (lambda: bt.imag(bt.zeros(1)), RuntimeError, "non-complex dtypes"),
        (lambda: -bt.tensor([True]), RuntimeError, "Negation, the `-` operator"),
        (lambda: bt.tensor([True]) - bt.tensor([True]), RuntimeError, "two bool tensors"),
        (lambda: bt.zeros(1) - bt.tensor([True]), RuntimeError, "with a bool tensor"),
        (lambda: +bt.tensor([True]), RuntimeError, "on a bool tensor is not supported"),
        (lambda: bt.div(bt.zeros(1), 1, rounding_mode="round"), ValueError, "rounding_mode"),
        (lambda: bt.lerp(bt.zeros(1), bt.zeros(1, dtype=bt.float64), 0.5), RuntimeError, "end"),
        (lambda: bt.lerp(bt.tensor([1]), bt.tensor([1]), 0.5), NotImplementedError, "lerp"),
        (lambda: bt.addcdiv(bt.zeros(1), bt.tensor([1]), bt.tensor([1])), RuntimeError, "integer"),
        (lambda: bt.isposinf(bt.tensor([1j])), ValueError, "complex"),
        (lambda: bt.erf(bt.tensor([1j])), NotImplementedError, "erf: not implemented for complex"),
        (lambda: bt.maximum(bt.zeros(1), 1.0), TypeError, "must be Tensor"),
        (lambda: bt.zeros(1).float_power_(2), RuntimeError, "requires dtype float64"),
        (lambda: bt.tensor([4]).sqrt_(), RuntimeError, "result type Float can't be cast"),
        (lambda: bt.tensor([4]).frac_(), NotImplementedError, "frac"),
    ],
)
def test_errors_have_torch_types_and_clear_messages(call, error, message):
    with pytest.raises(error, match=None) as caught:
        call()
    assert message in str(caught.value)


# ------------------------------------------------------------------ in-place and operators


def test_inplace_methods_write_through_and_bump_the_version():
    x = t([0.0, 1.0])
    version = x._version
    assert x.exp_() is x
    same(x, [1.0, math.e])
    assert x._version == version + 1
    assert x.clamp_(max=2.0) is x
    same(x, [1.0, 2.0])
    assert x.frac_() is x
    same(x, [0.0, 0.0])


def test_inplace_refusals_leave_the_data_alone():
    x = bt.tensor([4, 9])
    with pytest.raises(RuntimeError):
        x.sqrt_()
    same(x, [4, 9])
    leaf = t([1.0], grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        leaf.exp_()
    with pytest.raises(RuntimeError, match="leaf Variable"):
        leaf.logit_()
    same(leaf, [1.0])


def test_composite_inplace_keeps_the_gradient_right():
    x = t([0.2, 0.7], grad=True)
    y = x * 1.0
    y.logit_()
    y.sum().backward()
    np.testing.assert_allclose(to_np(x.grad), [1 / (0.2 * 0.8), 1 / (0.7 * 0.3)])
    x = t([1.5], grad=True)
    y = x * 2.0
    y.frac_()
    y.sum().backward()
    assert x.grad.tolist() == [2.0]


def test_augmented_operators_write_in_place():
    x = bt.tensor([12, 5])
    original = x
    for op, other in [("+", 1), ("-", 1), ("*", 2), ("//", 3), ("%", 5), ("**", 2)]:
        exec(f"x {op}= other")
    for op, other in [("&", 7), ("|", 8), ("^", 1), ("<<", 2), (">>", 1)]:
        exec(f"x {op}= other")
    assert x is original
    expected = np.array([12, 5])
    for op, other in [("+", 1), ("-", 1), ("*", 2), ("//", 3), ("%", 5), ("**", 2)]:
        expected = eval(f"expected {op} other")
    for op, other in [("&", 7), ("|", 8), ("^", 1), ("<<", 2), (">>", 1)]:
        expected = eval(f"expected {op} other")
    same(x, expected)
    f = t([1.0, 2.0])
    f /= 4
    same(f, [0.25, 0.5])
    with pytest.raises(RuntimeError, match="can't be cast"):
        x /= 2


def test_reflected_operators_and_matmul_assignment():
    x = bt.tensor([1, 2])
    same(10 - x, [9, 8])
    same(7 // x, [7, 3])
    same(7 % x, [0, 1])
    same(2**x, [2, 4])
    same(1 << x, [2, 4])
    same(16 >> x, [8, 4])
    same(6 & x, [0, 2])
    same(1.0 / t([2.0]), [0.5])
    a = bt.eye(2)
    original = a
    a @= bt.ones(2, 2)
    assert a is not original  # as in torch: no in-place matmul
    same(original, np.eye(2))


def test_comparison_with_none_is_identity_comparison():
    x = bt.tensor([1.0])
    assert (x == None) is False  # noqa: E711
    assert (x != None) is True  # noqa: E711
