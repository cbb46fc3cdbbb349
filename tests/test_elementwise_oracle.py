"""Every torch-named elementwise function of one or two tensors against PyTorch itself.

For each function, hypothesis draws inputs (float32, float64, int64 and bool where the
op takes them; tensors of broadcastable shapes or Python numbers, with or without
0, +-inf and nan) and both libraries run the same call: the values, the dtype, the
gradient of each floating input and the exception type (when torch refuses) must agree.
Harness: tests/elementwise_oracle.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

torch = pytest.importorskip("torch")

from .elementwise_oracle import (  # noqa: E402 (after the skip without torch)
    ALL,
    FLOATS,
    NUMERIC,
    SETTINGS,
    array,
    compare,
    functions,
    scalar,
)

# NumPy warns on log(0) and friends, which the special values exercise on purpose.
pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore::RuntimeWarning")]


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
    x = array(data.draw, dtype, shape, domain, special)
    ours, theirs = functions(name)
    compare(name, ours, theirs, [x], grad=not special, rtol=rtol)


# ------------------------------------------------------------------ binary functions

BINARY = [
    # name, domains (input, other), dtypes, Python number as other allowed, rtol
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


@pytest.mark.parametrize(
    "name, domains, dtypes, number_ok, rtol", BINARY, ids=[b[0] for b in BINARY]
)
@SETTINGS
@given(data=st.data())
def test_binary_matches_torch(name, domains, dtypes, number_ok, rtol, data):
    dtype = data.draw(st.sampled_from(dtypes), label="dtype")
    other_dtype = data.draw(st.sampled_from((dtype, *dtypes)), label="other dtype")
    special = data.draw(st.booleans())
    shape, other_shape = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)
    ).input_shapes
    x = array(data.draw, dtype, shape, domains[0], special)
    if number_ok and data.draw(st.booleans(), label="python number"):
        other = scalar(data.draw, other_dtype, domains[1])
    else:
        other = array(data.draw, other_dtype, other_shape, domains[1], special)
    ours, theirs = functions(name)
    compare(name, ours, theirs, [x, other], grad=not special, rtol=rtol)
