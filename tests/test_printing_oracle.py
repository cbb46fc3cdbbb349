"""Printing against torch: repr of random tensors, digit for digit (torch. -> bridgetensor.)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bridgetensor as bt

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

HALF = bt.float16 in bt.zeros(1)._be.native
DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool", "complex64"]
DTYPES += ["float16"] if HALF else []
PROFILES = [
    {},
    {"profile": "short"},
    {"profile": "full"},
    {"precision": 2},
    {"precision": 8},
    {"sci_mode": True},
    {"sci_mode": False},
    {"linewidth": 30},
    {"threshold": 10, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
]


@pytest.fixture(autouse=True, scope="module")
def _torch_names_bridgetensor_dtypes():
    """torch's repr with our dtype names *before* it wraps lines, since the longer name
    ("bridgetensor.int32") can move a suffix to the next line."""
    original = torch._tensor_str._add_suffixes

    def renamed(tensor_str, suffixes, indent, force_newline):
        suffixes = [s.replace("torch.", "bridgetensor.") for s in suffixes]
        return original(tensor_str, suffixes, indent, force_newline)

    torch._tensor_str._add_suffixes = renamed
    yield
    torch._tensor_str._add_suffixes = original


def _expected(array: np.ndarray, requires_grad=False) -> str:
    t = torch.from_numpy(array.copy())
    if requires_grad:
        t.requires_grad_(True)
    return repr(t)


def _ours(array: np.ndarray, requires_grad=False) -> str:
    t = bt.tensor(array)
    if requires_grad:
        t.requires_grad_(True)
    return repr(t)


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(DTYPES))
    ndim = draw(st.integers(0, 4))
    big = draw(st.booleans()) and ndim > 0
    sizes = st.integers(0, 40) if big else st.integers(0, 4)
    shape = tuple(draw(sizes) for _ in range(ndim))
    if big and int(np.prod(shape)) > 20000:
        shape = (*shape[:-1], 1)
    count = int(np.prod(shape))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype == "bool":
        return np.asarray(rng.random(shape) > 0.5)
    if dtype in ("int64", "int32", "uint8"):
        info = np.iinfo(dtype)
        high = draw(st.sampled_from([10, 1000, int(info.max)]))
        low = 0 if dtype == "uint8" else -high
        return rng.integers(low, high, size=shape, endpoint=True).astype(dtype)
    magnitude = 10.0 ** draw(st.integers(-10, 10))
    values = rng.standard_normal(count) * magnitude
    if draw(st.booleans()):  # integer-valued floats
        values = np.round(values)
    if count and draw(st.booleans()):
        specials = [np.nan, np.inf, -np.inf, 0.0, -0.0]
        where = rng.integers(0, count, size=min(count, 3))
        values[where] = rng.choice(specials, size=len(where))
    if dtype == "complex64":
        values = values + 1j * rng.standard_normal(count) * magnitude
    with np.errstate(over="ignore"):
        return values.astype(dtype).reshape(shape)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(), st.sampled_from(PROFILES))
def test_repr_matches_torch(array, options):
    with torch._tensor_str.printoptions(**options), bt.printoptions(**options):
        assert _ours(array) == _expected(array)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["float32", "float64", "complex64"]), st.integers(1, 30))
def test_requires_grad_suffix_matches_torch(dtype, n):
    array = (np.arange(n) * 1.37).astype(dtype).reshape(-1)
    assert _ours(array, True) == _expected(array, True)


@pytest.mark.parametrize(
    "values",
    [
        [0.0, 0.0],
        [float("nan"), float("inf")],
        [1.0, float("nan")],
        [1e-5, 1.0],
        [123456789.0],
        [1.0, 2000.0],
    ],
)
@pytest.mark.parametrize("sci_mode", [None, True, False])
def test_sci_mode_override_matches_torch(values, sci_mode):
    array = np.array(values, dtype=np.float32)
    with torch._tensor_str.printoptions(sci_mode=sci_mode), bt.printoptions(sci_mode=sci_mode):
        assert _ours(array) == _expected(array)


def test_grad_fn_suffix_matches_torch():
    ours = bt.tensor([1.5, -2.0], requires_grad=True) * 2
    theirs = torch.tensor([1.5, -2.0], requires_grad=True) * 2
    assert repr(ours) == repr(theirs)


def test_default_dtype_float64_changes_the_suffixes():
    array = np.array([1.5, 2.0])
    try:
        bt.set_default_dtype(bt.float64)
        torch.set_default_dtype(torch.float64)
        assert _ours(array) == _expected(array)
        assert _ours(array.astype(np.float32)) == _expected(array.astype(np.float32))
        assert _ours(array.astype(np.complex128)) == _expected(array.astype(np.complex128))
    finally:
        bt.set_default_dtype(bt.float32)
        torch.set_default_dtype(torch.float32)


def test_size_repr_matches_torch():
    assert repr(bt.zeros(2, 3).shape) == repr(torch.zeros(2, 3).shape).replace(
        "torch.", "bridgetensor."
    )
    assert repr(bt.zeros(()).shape) == repr(torch.zeros(()).shape).replace(
        "torch.", "bridgetensor."
    )


def test_str_is_repr():
    array = np.linspace(-1, 1, 7, dtype=np.float32)
    assert str(bt.tensor(array)) == str(torch.from_numpy(array))


def test_get_printoptions_matches_torch():
    with torch._tensor_str.printoptions(precision=3), bt.printoptions(precision=3):
        assert bt.get_printoptions() == torch._tensor_str.get_printoptions()
