"""Every torch-named elementwise function against PyTorch itself.

For each function, hypothesis draws inputs (float32, float64, int64 and bool where the
op takes them; tensors of broadcastable shapes or Python numbers) and both libraries
run the same call: the values, the dtype, the gradient of each floating input and the
exception type (when torch refuses) must agree.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bridgetensor as bt

from .helpers import to_np

torch = pytest.importorskip("torch")

# NumPy warns on log(0) and friends, which the special values exercise on purpose.
pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Value domains, for floating and for integer inputs.
FLOAT_DOMAINS = {
    "real": (-4.0, 4.0),
    "pos": (0.125, 4.0),  # bounds exact in float32, as hypothesis requires
    "unit": (-0.9375, 0.9375),
    "unit01": (0.0625, 0.9375),
    "ge1": (1.0625, 4.0),
    "nonzero": (0.25, 4.0),  # with a random sign
    "small": (-2.0, 2.0),
}
INT_DOMAINS = {
    "real": (-5, 5),
    "pos": (1, 5),
    "unit": (-1, 1),
    "unit01": (0, 1),
    "ge1": (1, 5),
    "nonzero": (1, 5),
    "small": (-3, 3),
}
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, math.inf, -math.inf, math.nan]

FLOATS = ("float32", "float64")
NUMERIC = ("float32", "float64", "int64")
ALL = ("float32", "float64", "int64", "bool")


def _elements(dtype, domain, special):
    if dtype == "bool":
        return st.booleans()
    if dtype == "int64":
        low, high = INT_DOMAINS[domain]
        values = st.integers(low, high)
        return values.map(lambda v: v if v else 1) if domain == "nonzero" else values
    low, high = FLOAT_DOMAINS[domain]
    width = 32 if dtype == "float32" else 64
    # Tiny magnitudes become 0: across float32 and float64 they only test underflow
    # quirks of torch's backward formulas (copysign's 0/0 after a float32 cast).
    values = st.floats(low, high, width=width).map(lambda v: 0.0 if abs(v) < 1e-6 else v)
    if domain == "nonzero":
        values = st.tuples(values, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    if special:
        values = st.one_of(values, st.sampled_from(SPECIAL))
    return values


def _array(draw, dtype, shape, domain, special):
    return draw(hnp.arrays(np.dtype(dtype), shape, elements=_elements(dtype, domain, special)))


def _scalar(draw, dtype, domain):
    value = draw(_elements(dtype, domain, special=False))
    return {"float32": float, "float64": float, "int64": int, "bool": bool}[dtype](value)


# ------------------------------------------------------------------ running both libraries


def _both(args, grad):
    """(our arguments, torch's arguments, the positions that require grad)."""
    ours, theirs, wants = [], [], []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray):
            floating = a.dtype.kind == "f"
            ours.append(bt.tensor(a, requires_grad=grad and floating))
            theirs.append(torch.tensor(a, requires_grad=grad and floating))
            if grad and floating:
                wants.append(i)
        else:
            ours.append(a)
            theirs.append(a)
    return ours, theirs, wants


def _run(fn, args, kwargs):
    try:
        return fn(*args, **kwargs), None
    except Exception as error:  # compared below
        return None, error


def _tolerance(dtype_name):
    return (2e-5, 1e-6) if dtype_name in ("float32", "complex64") else (1e-10, 1e-12)


def _compare(name, ours_fn, torch_fn, args, kwargs=None, grad=True, rtol=None):
    kwargs = kwargs or {}
    ours_args, torch_args, wants = _both(args, grad)
    expected, torch_error = _run(torch_fn, torch_args, kwargs)
    got, our_error = _run(ours_fn, ours_args, kwargs)
    if torch_error is not None:
        assert our_error is not None, f"{name}: torch raised {torch_error!r}; we returned {got}"
        assert isinstance(our_error, type(torch_error)), (
            f"{name}: torch raised {type(torch_error).__name__}: {torch_error}; "
            f"we raised {type(our_error).__name__}: {our_error}"
        )
        return
    if our_error is not None:
        raise AssertionError(f"{name}: we raised {our_error!r}; torch returned {expected}")
    if not isinstance(expected, torch.Tensor):
        assert type(got) is type(expected) and got == expected, f"{name}: {got} != {expected}"
        return
    dtype_name = str(expected.dtype).replace("torch.", "")
    assert got.dtype.name == dtype_name, f"{name}: dtype {got.dtype.name} != {dtype_name}"
    assert tuple(got.shape) == tuple(expected.shape), f"{name}: shape"
    default_rtol, atol = _tolerance(dtype_name)
    np.testing.assert_allclose(
        to_np(got),
        expected.detach().numpy(force=True),
        rtol=rtol or default_rtol,
        atol=atol,
        equal_nan=True,
        err_msg=f"{name} values",
    )
    if not (wants and expected.requires_grad):
        return
    cotangent = np.cos(np.arange(expected.numel())).reshape(tuple(expected.shape)) + 1.5
    try:
        torch_grads = torch.autograd.grad(
            expected,
            [torch_args[i] for i in wants],
            torch.tensor(cotangent, dtype=expected.dtype),
            allow_unused=True,
        )
    except RuntimeError as error:
        # torch's `//` refuses to differentiate (ours gives div(rounding_mode="floor")'s
        # zero gradient), and addcdiv's backward fails on an integer tensor2.
        assert "floor_divide" in str(error) or "can't be cast" in str(error), error
        return
    our_grads = bt.autograd.grad(
        got, [ours_args[i] for i in wants], bt.tensor(cotangent, dtype=got.dtype), allow_unused=True
    )
    for i, ours_g, torch_g in zip(wants, our_grads, torch_grads):
        if torch_g is None:
            assert ours_g is None or not np.any(to_np(ours_g)), f"{name}: gradient {i}"
            continue
        assert ours_g is not None, f"{name}: no gradient for input {i}"
        # A float64 input of a float32 op gets a gradient computed in float32.
        # Gradients may be computed in the lowest precision among the operands.
        precisions = [dtype_name] + [a.dtype.name for a in args if isinstance(a, np.ndarray)]
        g_rtol, g_atol = max(_tolerance(d) for d in precisions)
        np.testing.assert_allclose(
            to_np(ours_g),
            torch_g.numpy(force=True),  # sgn's gradient is a ZeroTensor
            rtol=max(g_rtol * 10, rtol or 0),
            atol=g_atol * 10,
            equal_nan=True,
            err_msg=f"{name} gradient of input {i}",
        )


def _fn(name):
    """Our function and torch's for a dotted name: "exp", or "Tensor.exp_" for methods."""
    if name.startswith("Tensor."):
        method = name.split(".", 1)[1]
        return (lambda *a, **k: getattr(a[0], method)(*a[1:], **k)), (
            lambda *a, **k: getattr(a[0], method)(*a[1:], **k)
        )
    return getattr(bt, name), getattr(torch, name)


# ------------------------------------------------------------------ unary functions

UNARY = [
    # name, domain, dtypes, rtol
    ("exp", "real", ALL, None),
    ("exp2", "real", ALL, None),
    ("expm1", "real", NUMERIC, None),
    ("log", "pos", NUMERIC, None),
    ("log1p", "pos", NUMERIC, None),
    ("log2", "pos", NUMERIC, None),
    ("log10", "pos", NUMERIC, None),
    ("sqrt", "pos", NUMERIC, None),
    ("rsqrt", "pos", NUMERIC, None),
    ("sin", "real", NUMERIC, None),
    ("cos", "real", NUMERIC, None),
    ("tan", "small", NUMERIC, 1e-4),
    ("asin", "unit", NUMERIC, None),
    ("arcsin", "unit", FLOATS, None),
    ("acos", "unit", NUMERIC, None),
    ("arccos", "unit", FLOATS, None),
    ("atan", "real", NUMERIC, None),
    ("arctan", "real", FLOATS, None),
    ("sinh", "real", NUMERIC, None),
    ("cosh", "real", NUMERIC, None),
    ("tanh", "real", NUMERIC, None),
    ("asinh", "real", NUMERIC, None),
    ("arcsinh", "real", FLOATS, None),
    ("acosh", "ge1", NUMERIC, None),
    ("arccosh", "ge1", FLOATS, None),
    ("atanh", "unit", NUMERIC, None),
    ("arctanh", "unit", FLOATS, None),
    ("sigmoid", "real", ALL, None),
    ("logit", "unit01", NUMERIC, None),
    ("erf", "real", NUMERIC, None),
    ("erfc", "real", NUMERIC, None),
    ("erfinv", "unit", NUMERIC, 1e-4),
    ("sinc", "real", NUMERIC, None),
    ("deg2rad", "real", NUMERIC, None),
    ("rad2deg", "real", NUMERIC, None),
    ("reciprocal", "nonzero", ALL, None),
    ("nan_to_num", "real", NUMERIC, None),
    ("angle", "real", NUMERIC, None),
    ("abs", "real", NUMERIC, None),
    ("absolute", "real", NUMERIC, None),
    ("neg", "real", ALL, None),
    ("negative", "real", NUMERIC, None),
    ("positive", "real", ALL, None),
    ("ceil", "real", ALL, None),
    ("floor", "real", ALL, None),
    ("round", "real", ALL, None),
    ("trunc", "real", ALL, None),
    ("fix", "real", ALL, None),
    ("frac", "real", ALL, None),
    ("sign", "real", ALL, None),
    ("sgn", "real", ALL, None),
    ("signbit", "real", ALL, None),
    ("square", "real", ALL, None),
    ("relu", "real", NUMERIC, None),
    ("isnan", "real", ALL, None),
    ("isinf", "real", ALL, None),
    ("isfinite", "real", ALL, None),
    ("isposinf", "real", ALL, None),
    ("isneginf", "real", ALL, None),
    ("isreal", "real", ALL, None),
    ("logical_not", "real", ALL, None),
    ("bitwise_not", "real", ALL, None),
    ("real", "real", NUMERIC, None),
    ("conj", "real", NUMERIC, None),
    ("imag", "real", FLOATS, None),
]


@pytest.mark.parametrize("name, domain, dtypes, rtol", UNARY, ids=[u[0] for u in UNARY])
@SETTINGS
@given(data=st.data())
def test_unary_matches_torch(name, domain, dtypes, rtol, data):
    dtype = data.draw(st.sampled_from(dtypes))
    special = data.draw(st.booleans())
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
    x = _array(data.draw, dtype, shape, domain, special)
    ours, theirs = _fn(name)
    _compare(name, ours, theirs, [x], grad=not special, rtol=rtol)


# ------------------------------------------------------------------ binary functions

BINARY = [
    # name, domains (input, other), dtypes, scalar other allowed, rtol
    ("add", ("real", "real"), ALL, True, None),
    ("sub", ("real", "real"), NUMERIC, True, None),
    ("subtract", ("real", "real"), NUMERIC, True, None),
    ("mul", ("real", "real"), ALL, True, None),
    ("multiply", ("real", "real"), ALL, True, None),
    ("div", ("real", "nonzero"), ALL, True, None),
    ("divide", ("real", "nonzero"), NUMERIC, True, None),
    ("true_divide", ("real", "nonzero"), NUMERIC, True, None),
    ("floor_divide", ("real", "nonzero"), NUMERIC, True, None),
    ("remainder", ("real", "nonzero"), NUMERIC, True, None),
    ("fmod", ("real", "nonzero"), NUMERIC, True, None),
    ("pow", ("pos", "small"), NUMERIC, True, 1e-4),
    ("float_power", ("pos", "small"), NUMERIC, True, None),
    ("atan2", ("real", "real"), NUMERIC, False, None),
    ("arctan2", ("real", "real"), FLOATS, False, None),
    ("hypot", ("real", "real"), NUMERIC, False, None),
    ("copysign", ("real", "real"), NUMERIC, True, None),
    ("nextafter", ("real", "real"), NUMERIC, False, None),
    ("xlogy", ("real", "pos"), NUMERIC, True, None),
    ("logaddexp", ("real", "real"), NUMERIC, False, None),
    ("logaddexp2", ("real", "real"), NUMERIC, False, None),
    ("maximum", ("real", "real"), ALL, False, None),
    ("minimum", ("real", "real"), ALL, False, None),
    ("fmax", ("real", "real"), NUMERIC, False, None),
    ("fmin", ("real", "real"), NUMERIC, False, None),
    ("eq", ("small", "small"), ALL, True, None),
    ("ne", ("small", "small"), ALL, True, None),
    ("lt", ("small", "small"), ALL, True, None),
    ("le", ("small", "small"), ALL, True, None),
    ("gt", ("small", "small"), ALL, True, None),
    ("ge", ("small", "small"), ALL, True, None),
    ("greater", ("small", "small"), NUMERIC, True, None),
    ("greater_equal", ("small", "small"), NUMERIC, True, None),
    ("less", ("small", "small"), NUMERIC, True, None),
    ("less_equal", ("small", "small"), NUMERIC, True, None),
    ("not_equal", ("small", "small"), NUMERIC, True, None),
    ("logical_and", ("small", "small"), ALL, False, None),
    ("logical_or", ("small", "small"), ALL, False, None),
    ("logical_xor", ("small", "small"), ALL, False, None),
    ("bitwise_and", ("real", "real"), ALL, True, None),
    ("bitwise_or", ("real", "real"), ALL, True, None),
    ("bitwise_xor", ("real", "real"), ALL, True, None),
    ("bitwise_left_shift", ("real", "pos"), ("int64",), True, None),
    ("bitwise_right_shift", ("real", "pos"), ("int64",), True, None),
    ("isclose", ("small", "small"), ALL, False, None),
    ("equal", ("small", "small"), ALL, False, None),
    ("allclose", ("small", "small"), NUMERIC, False, None),
]


@pytest.mark.parametrize("name, domains, dtypes, scalar, rtol", BINARY, ids=[b[0] for b in BINARY])
@SETTINGS
@given(data=st.data())
def test_binary_matches_torch(name, domains, dtypes, scalar, rtol, data):
    dtype = data.draw(st.sampled_from(dtypes), label="dtype")
    other_dtype = data.draw(st.sampled_from((dtype, *dtypes)), label="other dtype")
    special = data.draw(st.booleans())
    shape, other_shape = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)
    ).input_shapes
    x = _array(data.draw, dtype, shape, domains[0], special)
    if scalar and data.draw(st.booleans(), label="python number"):
        other = _scalar(data.draw, other_dtype, domains[1])
    else:
        other = _array(data.draw, other_dtype, other_shape, domains[1], special)
    ours, theirs = _fn(name)
    _compare(name, ours, theirs, [x, other], grad=not special, rtol=rtol)


# ------------------------------------------------------------------ the rest

ROUNDING_MODES = [None, "trunc", "floor"]


@pytest.mark.parametrize("mode", ROUNDING_MODES)
@SETTINGS
@given(data=st.data())
def test_div_rounding_modes_match_torch(mode, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = _array(data.draw, dtype, (5,), "real", special=False)
    y = _array(data.draw, data.draw(st.sampled_from(NUMERIC)), (5,), "nonzero", special=False)
    _compare("div", bt.div, torch.div, [x, y], {"rounding_mode": mode})


@pytest.mark.parametrize("method", ["clamp", "clip"])
@SETTINGS
@given(data=st.data())
def test_clamp_with_tensor_or_number_bounds_matches_torch(method, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = _array(data.draw, dtype, (6,), "real", special=False)
    bounds = []
    for domain in ("small", "small"):
        kind = data.draw(st.sampled_from(["none", "number", "tensor"]))
        if kind == "none":
            bounds.append(None)
        elif kind == "number":
            bounds.append(_scalar(data.draw, data.draw(st.sampled_from(NUMERIC)), domain))
        else:
            bounds.append(
                _array(data.draw, data.draw(st.sampled_from(NUMERIC)), (6,), domain, False)
            )
    ours, theirs = _fn(method)
    _compare(method, ours, theirs, [x, *bounds])
    if bounds[0] is not None:
        _compare("clamp_min", bt.clamp_min, torch.clamp_min, [x, bounds[0]])
    if bounds[1] is not None:
        _compare("clamp_max", bt.clamp_max, torch.clamp_max, [x, bounds[1]])


@pytest.mark.parametrize("name", ["lerp", "addcmul", "addcdiv"])
@SETTINGS
@given(data=st.data())
def test_ternary_matches_torch(name, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    dtypes = [data.draw(st.sampled_from((dtype, dtype, *NUMERIC))) for _ in range(2)]
    x = _array(data.draw, dtype, (2, 3), "real", special=False)
    a = _array(data.draw, dtypes[0], (3,), "real", special=False)
    b = _array(data.draw, dtypes[1], (2, 1), "nonzero" if name == "addcdiv" else "unit", False)
    if name == "lerp":
        weight = data.draw(st.sampled_from([b, 0.25, 0.75, -1.5]))
        _compare(name, bt.lerp, torch.lerp, [x, a, weight])
        return
    value = data.draw(st.sampled_from([1, 2, 0.5, -1.5]))
    ours, theirs = _fn(name)
    _compare(name, ours, theirs, [x, a, b], {"value": value})


@SETTINGS
@given(data=st.data())
def test_where_and_masked_fill_match_torch(data):
    dtype = data.draw(st.sampled_from(ALL))
    x = _array(data.draw, dtype, (2, 3), "real", special=False)
    condition = data.draw(hnp.arrays(np.bool_, (3,)))
    other = data.draw(
        st.one_of(
            st.sampled_from([0, 1.5, True]),
            st.just(_array(data.draw, data.draw(st.sampled_from(ALL)), (2, 1), "real", False)),
        )
    )
    _compare("where", bt.where, torch.where, [condition, x, other])
    _compare(
        "where scalars",
        bt.where,
        torch.where,
        [condition, 2, other if not isinstance(other, np.ndarray) else 0.5],
    )
    value = data.draw(st.sampled_from([0, -2.5, True, 3]))
    mask = data.draw(hnp.arrays(np.bool_, (2, 3)))
    _compare("masked_fill", bt.masked_fill, torch.masked_fill, [x, mask, value])
    _compare("Tensor.masked_fill", *_fn("Tensor.masked_fill"), [x, condition, value])


@pytest.mark.parametrize(
    "rounding, decimals", [("round", 1), ("round", 2), ("round", -1)], ids=["1", "2", "-1"]
)
@SETTINGS
@given(data=st.data())
def test_round_with_decimals_matches_torch(rounding, decimals, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = _array(data.draw, dtype, (6,), "real", special=False) * (10 if decimals < 0 else 1)
    _compare("round", bt.round, torch.round, [x], {"decimals": decimals})


INPLACE = [
    # method, domain, extra arguments
    ("exp_", "real", ()),
    ("sigmoid_", "real", ()),
    ("abs_", "real", ()),
    ("neg_", "real", ()),
    ("sqrt_", "pos", ()),
    ("clamp_", "real", (-1.0, 1.0)),
    ("clamp_min_", "real", (0.5,)),
    ("floor_", "real", ()),
    ("round_", "real", ()),
    ("frac_", "real", ()),
    ("logit_", "unit01", ()),
    ("rsqrt_", "pos", ()),
    ("erf_", "real", ()),
    ("square_", "real", ()),
    ("pow_", "pos", (2,)),
    ("fmod_", "real", (1.5,)),
    ("remainder_", "real", (2,)),
    ("floor_divide_", "real", (2,)),
    ("mul_", "real", (3,)),
    ("div_", "real", (2,)),
    ("eq_", "small", (1,)),
    ("lt_", "small", (1,)),
    ("logical_not_", "small", ()),
    ("logical_and_", "small", (True,)),
    ("nan_to_num_", "real", ()),
    ("lerp_", "real", (2.0, 0.3)),
    ("bitwise_and_", "real", (3,)),
    ("bitwise_left_shift_", "pos", (2,)),
]


@pytest.mark.parametrize("method, domain, extra", INPLACE, ids=[i[0] for i in INPLACE])
@SETTINGS
@given(data=st.data())
def test_inplace_methods_match_torch(method, domain, extra, data):
    dtype = data.draw(st.sampled_from(ALL))
    x = _array(data.draw, dtype, (5,), domain, special=False)
    ours, theirs = bt.tensor(x), torch.tensor(x)
    args = [
        torch.tensor(a) if isinstance(a, float) and method.startswith(("lerp", "logical")) else a
        for a in extra
    ]
    our_args = [bt.tensor(a.numpy()) if isinstance(a, torch.Tensor) else a for a in args]
    _, torch_error = _run(getattr(theirs, method), args, {})
    got, our_error = _run(getattr(ours, method), our_args, {})
    if torch_error is not None:
        assert isinstance(our_error, type(torch_error)), (method, torch_error, our_error)
        np.testing.assert_array_equal(to_np(ours), x)  # bad input never modifies data
        return
    assert our_error is None, (method, our_error)
    assert got is ours
    assert ours.dtype.name == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_allclose(to_np(ours), theirs.numpy(), rtol=2e-5, atol=1e-6, equal_nan=True)


OPERATORS = [
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "&",
    "|",
    "^",
    "<<",
    ">>",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    ">=",
]


@pytest.mark.parametrize("op", OPERATORS)
@SETTINGS
@given(data=st.data())
def test_operators_reflected_and_inplace_match_torch(op, data):
    dtype = data.draw(st.sampled_from(ALL))
    other_dtype = data.draw(st.sampled_from(ALL))
    domain = "nonzero" if op in ("/", "//", "%") else "pos" if op in ("<<", ">>", "**") else "small"
    x = _array(data.draw, dtype, (2, 3), domain, special=False)
    if data.draw(st.booleans()):
        other = _scalar(data.draw, other_dtype, domain)
    else:
        other = _array(data.draw, other_dtype, (3,), domain, special=False)

    def binary(a, b):
        return eval(f"a {op} b")

    def reflected(a, b):
        return eval(f"b {op} a")

    _compare(op, binary, binary, [x, other], grad=False)
    if not isinstance(other, np.ndarray):
        _compare("reflected " + op, reflected, reflected, [x, other], grad=False)
    if op in ("<", "<=", "==", "!=", ">", ">="):
        return

    def augmented(a, b):
        target = a
        namespace = {"a": a, "b": b}
        exec(f"a {op}= b", namespace)
        assert namespace["a"] is target, "augmented assignment must write in place"
        return namespace["a"]

    _compare(op + "=", augmented, augmented, [x, other], grad=False)


def test_complex_parts_and_gradients_match_torch():
    z = np.array([1.0 + 2.0j, -3.0 + 0.5j, 0.0 + 0.0j, -1.0 - 1.0j])
    for name in ["real", "imag", "angle", "conj", "sgn", "isreal", "abs"]:
        ours, theirs = _fn(name)
        _compare(name, ours, theirs, [z], grad=False)
    for name in ["real", "imag", "angle"]:
        ours_z = bt.tensor(z, requires_grad=True)
        torch_z = torch.tensor(z, requires_grad=True)
        getattr(bt, name)(ours_z).sum().backward()
        getattr(torch, name)(torch_z).sum().backward()
        np.testing.assert_allclose(to_np(ours_z.grad), torch_z.grad.numpy(), err_msg=name)
