"""The rest of the elementwise torch face against PyTorch: rounding modes, clamp bounds,
lerp/addcmul/addcdiv, where and masked_fill, round(decimals), in-place methods, Python
operators (plain, reflected, augmented) and complex parts. Harness: elementwise_oracle.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bridgetensor as bt

torch = pytest.importorskip("torch")

from .elementwise_oracle import (  # noqa: E402 (after the skip without torch)
    ALL,
    NUMERIC,
    SETTINGS,
    STRICT,
    array,
    compare,
    functions,
    run,
    scalar,
)
from .helpers import to_np  # noqa: E402

# NumPy warns on log(0) and friends, which the special values exercise on purpose.
pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore::RuntimeWarning")]


ROUNDING_MODES = [None, "trunc", "floor"]


@pytest.mark.parametrize("mode", ROUNDING_MODES)
@SETTINGS
@given(data=st.data())
def test_div_rounding_modes_match_torch(mode, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = array(data.draw, dtype, (5,), "real", special=False)
    y = array(data.draw, data.draw(st.sampled_from(NUMERIC)), (5,), "nonzero", special=False)
    compare("div", bt.div, torch.div, [x, y], {"rounding_mode": mode})


@pytest.mark.parametrize("method", ["clamp", "clip"])
@SETTINGS
@given(data=st.data())
def test_clamp_with_tensor_or_number_bounds_matches_torch(method, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = array(data.draw, dtype, (6,), "real", special=False)
    bounds = []
    for domain in ("small", "small"):
        kind = data.draw(st.sampled_from(["none", "number", "tensor"]))
        if kind == "none":
            bounds.append(None)
        elif kind == "number":
            bounds.append(scalar(data.draw, data.draw(st.sampled_from(NUMERIC)), domain))
        else:
            bounds.append(
                array(data.draw, data.draw(st.sampled_from(NUMERIC)), (6,), domain, False)
            )
    ours, theirs = functions(method)
    compare(method, ours, theirs, [x, *bounds])
    if bounds[0] is not None:
        compare("clamp_min", bt.clamp_min, torch.clamp_min, [x, bounds[0]])
    if bounds[1] is not None:
        compare("clamp_max", bt.clamp_max, torch.clamp_max, [x, bounds[1]])


@pytest.mark.parametrize("name", ["lerp", "addcmul", "addcdiv"])
@SETTINGS
@given(data=st.data())
def test_ternary_matches_torch(name, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    dtypes = [data.draw(st.sampled_from((dtype, dtype, *NUMERIC))) for _ in range(2)]
    x = array(data.draw, dtype, (2, 3), "real", special=False)
    a = array(data.draw, dtypes[0], (3,), "real", special=False)
    b = array(data.draw, dtypes[1], (2, 1), "nonzero" if name == "addcdiv" else "unit", False)
    if name == "lerp":
        weight = data.draw(st.sampled_from([b, 0.25, 0.75, -1.5]))
        compare(name, bt.lerp, torch.lerp, [x, a, weight])
        return
    value = data.draw(st.sampled_from([1, 2, 0.5, -1.5]))
    ours, theirs = functions(name)
    compare(name, ours, theirs, [x, a, b], {"value": value})


@SETTINGS
@given(data=st.data())
def test_where_and_masked_fill_match_torch(data):
    dtype = data.draw(st.sampled_from(ALL))
    x = array(data.draw, dtype, (2, 3), "real", special=False)
    condition = data.draw(hnp.arrays(np.bool_, (3,)))
    other = data.draw(
        st.one_of(
            st.sampled_from([0, 1.5] if STRICT else [0, 1.5, True]),
            st.just(array(data.draw, data.draw(st.sampled_from(ALL)), (2, 1), "real", False)),
        )
    )
    compare("where", bt.where, torch.where, [condition, x, other])
    compare(
        "where scalars",
        bt.where,
        torch.where,
        [condition, 2, other if not isinstance(other, np.ndarray) else 0.5],
    )
    value = data.draw(st.sampled_from([0, -2.5, True, 3]))
    mask = data.draw(hnp.arrays(np.bool_, (2, 3)))
    compare("masked_fill", bt.masked_fill, torch.masked_fill, [x, mask, value])
    compare("Tensor.masked_fill", *functions("Tensor.masked_fill"), [x, condition, value])


@pytest.mark.parametrize(
    "rounding, decimals", [("round", 1), ("round", 2), ("round", -1)], ids=["1", "2", "-1"]
)
@SETTINGS
@given(data=st.data())
def test_round_with_decimals_matches_torch(rounding, decimals, data):
    dtype = data.draw(st.sampled_from(NUMERIC))
    x = array(data.draw, dtype, (6,), "real", special=False) * (10 if decimals < 0 else 1)
    compare("round", bt.round, torch.round, [x], {"decimals": decimals})


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
    x = array(data.draw, dtype, (5,), domain, special=False)
    ours, theirs = bt.tensor(x), torch.tensor(x)
    args = [
        torch.tensor(a) if isinstance(a, float) and method.startswith(("lerp", "logical")) else a
        for a in extra
    ]
    our_args = [bt.tensor(a.numpy()) if isinstance(a, torch.Tensor) else a for a in args]
    _, torch_error = run(getattr(theirs, method), args, {})
    got, our_error = run(getattr(ours, method), our_args, {})
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
    x = array(data.draw, dtype, (2, 3), domain, special=False)
    if data.draw(st.booleans()):
        other = scalar(data.draw, other_dtype, domain)
    else:
        other = array(data.draw, other_dtype, (3,), domain, special=False)

    def binary(a, b):
        return eval(f"a {op} b")

    def reflected(a, b):
        return eval(f"b {op} a")

    compare(op, binary, binary, [x, other], grad=False)
    if not isinstance(other, np.ndarray):
        compare("reflected " + op, reflected, reflected, [x, other], grad=False)
    if op in ("<", "<=", "==", "!=", ">", ">="):
        return

    def augmented(a, b):
        target = a
        namespace = {"a": a, "b": b}
        exec(f"a {op}= b", namespace)
        assert namespace["a"] is target, "augmented assignment must write in place"
        return namespace["a"]

    compare(op + "=", augmented, augmented, [x, other], grad=False)


def test_complex_parts_and_gradients_match_torch():
    z = np.array([1.0 + 2.0j, -3.0 + 0.5j, 0.0 + 0.0j, -1.0 - 1.0j])
    for name in ["real", "imag", "angle", "conj", "sgn", "isreal", "abs"]:
        ours, theirs = functions(name)
        compare(name, ours, theirs, [z], grad=False)
    for name in ["real", "imag", "angle"]:
        ours_z = bt.tensor(z, requires_grad=True)
        torch_z = torch.tensor(z, requires_grad=True)
        getattr(bt, name)(ours_z).sum().backward()
        getattr(torch, name)(torch_z).sum().backward()
        np.testing.assert_allclose(to_np(ours_z.grad), torch_z.grad.numpy(), err_msg=name)
