"""PyTorch as the oracle for the reduction, statistics, scan, sorting and set functions.

Each test draws inputs with hypothesis, calls the same torch-named function in
bridgetensor and in torch, and compares values, dtypes, result field names,
gradients (float64) and, where torch refuses, the exception type.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bridgetensor as bt

from .helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

TIES = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
FEW = settings(max_examples=12, deadline=None)


class DT:
    """A dtype named once, given to each library as its own dtype object."""

    def __init__(self, name):
        self.name = name


def arrays(
    dtype="float64", *, ties=True, min_dims=1, max_dims=3, min_side=1, max_side=4, nan=False
):
    if dtype == "bool":
        elements = st.booleans()
    elif dtype.startswith(("int", "uint")):
        low, high = (-3, 3) if ties else (-1000, 1000)
        elements = st.integers(0 if dtype.startswith("u") else low, high)
    elif ties:
        elements = st.sampled_from(TIES + ([float("nan")] if nan else []))
    else:
        elements = st.floats(-50, 50, allow_nan=False, width=32)
    shapes = hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )
    return hnp.arrays(
        np.dtype(dtype), shapes, elements=elements, unique=not ties and dtype != "bool"
    )


def _convert(value, lib, grad):
    if isinstance(value, np.ndarray):
        t = lib.tensor(value)
        if grad and value.dtype.kind == "f":
            t.requires_grad_()
        return t
    if isinstance(value, DT):
        return getattr(lib, value.name)
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return [_convert(v, lib, grad) for v in value]
    return value


def _call(lib, name, args, kwargs, grad, method):
    args = [_convert(a, lib, grad) for a in args]
    kwargs = {k: _convert(v, lib, False) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if method:
                result = getattr(args[0], name)(*args[1:], **kwargs)
            else:
                result = getattr(lib, name)(*args, **kwargs)
        except Exception as error:
            return args, None, error
    return args, result, None


def _leaves(result):
    return list(result) if isinstance(result, tuple) else [result]


def assert_same(ours, theirs, rtol, atol, where="result"):
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, bt.Tensor), f"{where}: {type(ours)}"
        assert ours.dtype.name == str(theirs.dtype).removeprefix("torch."), where
        assert tuple(ours.shape) == tuple(theirs.shape), f"{where}: {ours.shape} {theirs.shape}"
        single = theirs.dtype in (torch.float32, torch.float16)
        np.testing.assert_allclose(
            to_np(ours),
            theirs.detach().numpy(),
            rtol=rtol or (1e-4 if single else 1e-9),
            atol=atol or (1e-5 if single else 1e-12),
            equal_nan=True,
            err_msg=where,
        )
    elif isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), where
        fields = getattr(type(theirs), "__match_args__", None)
        if type(theirs).__module__ == "torch.return_types":
            assert ours._fields == fields, where
            assert type(ours).__name__ == type(theirs).__name__, where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, rtol, atol, f"{where}[{i}]")
    else:
        assert ours == theirs, where


def check(name, *args, grad=True, method=False, rtol=None, atol=None, skip_indices=False, **kwargs):
    """Call `name` in both libraries and compare everything observable."""
    ours_in, ours, ours_error = _call(bt, name, args, kwargs, grad, method)
    theirs_in, theirs, theirs_error = _call(torch, name, args, kwargs, grad, method)
    if theirs_error is not None:
        assert ours_error is not None, f"{name}: torch raised {theirs_error!r}; we returned"
        assert isinstance(ours_error, type(theirs_error)), (
            f"{name}: {ours_error!r} vs {theirs_error!r}"
        )
        return None
    if ours_error is not None:
        raise ours_error
    if skip_indices:
        ours, theirs = ours[0], theirs[0]
    assert_same(ours, theirs, rtol, atol, name)
    if grad:
        _check_gradients(ours_in, theirs_in, ours, theirs, rtol, atol, name)
    return ours


def _check_gradients(ours_in, theirs_in, ours, theirs, rtol, atol, name):
    pairs = [
        (o, t)
        for o, t in zip(_leaves(ours), _leaves(theirs))
        if isinstance(t, torch.Tensor) and t.requires_grad
    ]
    ours_leaves = [a for a in ours_in if isinstance(a, bt.Tensor) and a.requires_grad]
    theirs_leaves = [a for a in theirs_in if isinstance(a, torch.Tensor) and a.requires_grad]
    if not pairs or not theirs_leaves:
        return
    rng = np.random.default_rng(0)
    ours_loss = theirs_loss = 0
    for o, t in pairs:
        c = rng.standard_normal(tuple(t.shape)).astype(str(t.dtype).removeprefix("torch."))
        ours_loss = ours_loss + (o * bt.tensor(c)).sum()
        theirs_loss = theirs_loss + (t * torch.tensor(c)).sum()
    expected = torch.autograd.grad(theirs_loss, theirs_leaves, allow_unused=True)
    got = bt.autograd.grad(ours_loss, ours_leaves, allow_unused=True)
    for i, (g, e) in enumerate(zip(got, expected)):
        if e is None:
            assert g is None or not to_np(g).any(), f"{name}: grad {i}"
            continue
        assert_same(g, e, rtol, atol, f"{name}: grad {i}")


def dims(data, ndim, allow_none=True):
    choices = st.integers(-ndim, ndim - 1)
    if allow_none:
        choices = st.none() | choices
    return data.draw(choices)


# ------------------------------------------------------------------ plain reductions


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int32", "int64", "bool", "uint8"]))
def test_sum_prod_mean_and_nan_variants(data, dtype):
    x = data.draw(arrays(dtype))
    dim = dims(data, x.ndim)
    keepdim = data.draw(st.booleans())
    for name in ("sum", "mean", "nansum", "nanmean"):
        check(name, x, dim, keepdim)
    check("prod", x) if dim is None else check("prod", x, dim, keepdim)
    check("sum", x, dim=tuple(range(x.ndim))[:2])
    check("mean", x, dtype=DT("float64"))
    check("sum", x, dim, keepdim, dtype=DT("float32"))


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int64", "bool"]))
def test_extremes_and_ties(data, dtype):
    x = data.draw(arrays(dtype, nan=data.draw(st.booleans())))
    dim = dims(data, x.ndim, allow_none=False)
    keepdim = data.draw(st.booleans())
    for name in ("max", "min"):
        check(name, x)  # ties share the gradient evenly
        check(name, x, dim, keepdim)  # the gradient goes to the index
        check(name, x, method=True)
    if not np.isnan(x.astype(float)).any():  # NOTE: torch's amax gives nan gradients at NaN
        for name in ("amax", "amin"):
            check(name, x)
            check(name, x, dim, keepdim)
        check("aminmax", x, dim=dim, keepdim=keepdim)
    for name in ("argmax", "argmin"):
        check(name, x, grad=False)
        check(name, x, dim, keepdim)
        check(name, x, keepdim=True)
    y = data.draw(hnp.arrays(x.dtype, x.shape, elements=st.sampled_from(x.reshape(-1).tolist())))
    # NaN in the binary form is ops.maximum's concern (the elementwise family).
    check("max", x, y, grad=not np.isnan(x.astype(float)).any())
    check("min", x, y, grad=not np.isnan(x.astype(float)).any())


@FEW
@given(st.data(), st.sampled_from(["float64", "int64", "bool", "uint8"]))
def test_logical_and_counting(data, dtype):
    x = data.draw(arrays(dtype))
    dim = dims(data, x.ndim)
    for name in ("all", "any"):
        check(name, x, dim, data.draw(st.booleans()))
    check("count_nonzero", x, dim)


# ------------------------------------------------------------------ statistics


@FEW
@given(st.data(), st.sampled_from(["float32", "float64"]))
def test_var_std_and_means(data, dtype):
    x = data.draw(arrays(dtype))
    dim = dims(data, x.ndim)
    keepdim = data.draw(st.booleans())
    correction = data.draw(st.sampled_from([0, 1, 2, 0.5]))
    n = x.size if dim is None else x.shape[dim]
    grad = n - correction > 0  # NOTE: with no degrees of freedom left torch's gradient is inf/nan
    for name in ("var", "std", "var_mean", "std_mean"):
        check(name, x, dim, keepdim=keepdim, correction=correction, grad=grad)
        check(name, x, dim, data.draw(st.booleans()), keepdim, grad=grad and n > 1)
    check("var", x, False, grad=False)
    check("std", x, method=True, grad=x.size > 1)


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int64"]))
def test_logsumexp_and_softmax(data, dtype):
    x = data.draw(arrays(dtype))
    if dtype == "float64" and data.draw(st.booleans()):
        x = np.where(x < -1, -np.inf, x * 300)  # -inf entries and values that overflow exp
    dim = dims(data, x.ndim, allow_none=False)
    check("logsumexp", x, dim, data.draw(st.booleans()), grad=np.isfinite(x).all())
    check("logsumexp", x, (0,))
    for name in ("softmax", "log_softmax"):
        check(name, x, dim, grad=np.isfinite(x).all())
        check(name, x, dim, dtype=DT("float64"), grad=np.isfinite(x).all())
        check(name, x, dim, method=True, grad=False)


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int64"]), st.booleans())
def test_median_and_nanmedian(data, dtype, ties):
    x = data.draw(arrays(dtype, ties=ties, nan=ties and dtype != "int64"))
    # without dim: ties share the gradient evenly; with dim the values must be distinct
    # for the index to be defined (torch uses a selection algorithm).
    check("median", x)
    if dtype != "int64":
        check("nanmedian", x)
    if not ties:
        dim = dims(data, x.ndim, allow_none=False)
        keepdim = data.draw(st.booleans())
        check("median", x, dim, keepdim)
        check("nanmedian", x, dim, keepdim)
        check("kthvalue", x, data.draw(st.integers(1, x.shape[dim])), dim, keepdim)
        check("mode", x, dim, keepdim)


@FEW
@given(st.data(), st.sampled_from(["float32", "float64"]))
def test_quantile(data, dtype):
    x = data.draw(arrays(dtype, ties=False))
    if data.draw(st.booleans()):
        x = x.copy()
        x.flat[0] = np.nan
    dim = dims(data, x.ndim)
    keepdim = data.draw(st.booleans())
    method = data.draw(st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]))
    q = data.draw(st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
    qs = np.array([0.1, 0.5, 0.75], dtype=dtype)
    grad = not np.isnan(x).any()
    for name in ("quantile", "nanquantile"):
        check(name, x, q, dim, keepdim, interpolation=method, grad=grad)
        check(name, x, qs, dim, keepdim, interpolation=method, grad=grad)


@FEW
@given(st.data(), st.sampled_from(["float64", "int64"]))
def test_mode_with_ties(data, dtype):
    x = data.draw(arrays(dtype, max_side=6))
    dim = dims(data, x.ndim, allow_none=False)
    check("mode", x, dim, data.draw(st.booleans()))


# ------------------------------------------------------------------ scans


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int32", "int64", "bool"]))
def test_cumulative(data, dtype):
    x = data.draw(arrays(dtype, nan=dtype == "float64"))
    dim = dims(data, x.ndim, allow_none=False)
    for name in ("cumsum", "cumprod"):  # includes zeros: cumprod's gradient there
        check(name, x, dim)
        check(name, x, dim, dtype=DT("float64"))
    for name in ("cummax", "cummin"):  # ties take the latest index; NaN propagates
        check(name, x, dim)
    if dtype.startswith("float"):
        # NOTE: with NaN present torch's gradient is NaN even for a single element.
        check("logcumsumexp", x, dim, grad=not np.isnan(x).any())
    n = data.draw(st.integers(0, 3))
    check("diff", x, n, dim)
    extra = np.ones((*x.shape[: dim % x.ndim], 2, *x.shape[dim % x.ndim + 1 :]), dtype=x.dtype)
    check("diff", x, 1, dim, extra, extra)


# ------------------------------------------------------------------ sorting and searching


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int64", "bool"]))
def test_sort_argsort_topk(data, dtype):
    x = data.draw(arrays(dtype, nan=dtype == "float64"))
    dim = dims(data, x.ndim, allow_none=False)
    descending = data.draw(st.booleans())
    check("sort", x, dim=dim, descending=descending, stable=True)
    check("argsort", x, dim=dim, descending=descending, stable=True)
    check("msort", x)
    k = data.draw(st.integers(0, x.shape[dim]))
    distinct = len(np.unique(np.moveaxis(x, dim, -1), axis=None)) == x.size
    largest = data.draw(st.booleans())
    check("topk", x, k, dim, largest, skip_indices=not distinct, grad=distinct)
    check("topk", x, x.shape[dim] + 1, dim)  # out of range


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", "int64"]))
def test_searchsorted_and_bucketize(data, dtype):
    boundaries = np.sort(data.draw(arrays(dtype, max_dims=2, max_side=6)), axis=-1)
    values = data.draw(arrays(dtype, min_dims=boundaries.ndim, max_dims=boundaries.ndim))
    if boundaries.ndim == 2:
        values = np.resize(values, (boundaries.shape[0], values.shape[-1]))
    right = data.draw(st.booleans())
    check("searchsorted", boundaries, values, right=right)
    check("searchsorted", boundaries, values, side="right" if right else "left", out_int32=True)
    check("searchsorted", boundaries, values, side="left", right=True)
    if boundaries.ndim == 1:
        check("searchsorted", boundaries, float(values.flat[0]))
        check("bucketize", values, boundaries, right=right)
        check("bucketize", values, boundaries, out_int32=True)
        shuffled = boundaries[::-1].copy()
        check("searchsorted", shuffled, values, sorter=np.argsort(shuffled, kind="stable"))


@FEW
@given(st.data(), st.sampled_from(["float64", "int64", "bool"]))
def test_nonzero_unique_and_counting(data, dtype):
    x = data.draw(arrays(dtype, min_dims=0, nan=dtype == "float64"))
    check("nonzero", x)
    check("nonzero", x, as_tuple=True)
    check("argwhere", x)
    inverse, counts = data.draw(st.booleans()), data.draw(st.booleans())
    if dtype == "float64" and np.isnan(x).sum() > 1:
        inverse = False  # NOTE: torch's order among NaNs follows its (unstable) sort
    check("unique", x, return_inverse=inverse, return_counts=counts, grad=False)
    check("unique_consecutive", x, return_inverse=inverse, return_counts=counts, grad=False)
    if x.ndim and not (dtype == "float64" and np.isnan(x).any()):
        dim = dims(data, x.ndim, allow_none=False)
        check("unique", x, dim=dim, return_inverse=inverse, return_counts=counts, grad=False)
        check(
            "unique_consecutive",
            x,
            dim=dim,
            return_inverse=inverse,
            return_counts=counts,
            grad=False,
        )


HALF = [] if bt.get_default_backend() == "array_api_strict" else ["float16"]


@FEW
@given(st.data(), st.sampled_from(["float32", "float64", *HALF, "int64", None]))
def test_bincount_and_histc(data, weight_dtype):
    x = data.draw(hnp.arrays(np.int64, st.integers(0, 8), elements=st.integers(0, 6)))
    weights = (
        None
        if weight_dtype is None
        else data.draw(arrays(weight_dtype, min_dims=1, max_dims=1)).copy()
    )
    if weights is not None:
        weights = np.resize(weights, x.shape)
    # torch has no derivative for bincount; ours (a scatter-add) is checked in the op table.
    check("bincount", x, weights, data.draw(st.integers(0, 9)), grad=False)
    y = data.draw(arrays(data.draw(st.sampled_from(["float32", "float64"])), ties=False))
    bins = data.draw(st.integers(1, 6))
    check("histc", y, bins, grad=False)
    check("histc", y, bins, -1.0, 2.5, grad=False)


# ------------------------------------------------------------------ refusals


def _empty(*shape):
    return np.zeros(shape, dtype=np.float32)


REFUSALS = [
    ("mean", (np.arange(3),), {}),
    ("nanmean", (np.arange(3),), {}),
    ("var", (np.arange(3),), {}),
    ("quantile", (np.arange(3),), {"q": 0.5}),
    ("quantile", (np.ones(3),), {"q": 1.5}),
    ("quantile", (np.ones(3),), {"q": np.array([[0.5]])}),
    ("quantile", (np.ones(3, dtype=np.float32),), {"q": np.array([0.5])}),
    ("quantile", (_empty(0),), {"q": 0.5}),
    ("quantile", (np.ones(3),), {"q": 0.5, "interpolation": "cubic"}),
    ("kthvalue", (np.ones(3),), {"k": 4}),
    ("topk", (np.ones(3),), {"k": 4}),
    ("max", (_empty(0),), {}),
    ("max", (_empty(0, 2), 0), {}),
    ("max", (np.ones((2, 2)), (0,)), {}),
    ("amax", (_empty(0, 2), 0), {}),
    ("argmax", (_empty(0),), {}),
    ("median", (_empty(0, 2), 0), {}),
    ("mode", (_empty(0),), {}),
    ("aminmax", (_empty(0),), {}),
    ("diff", (np.ones(()),), {}),
    ("diff", (np.ones(3),), {"n": -1}),
    ("bincount", (np.array([-1, 2]),), {}),
    ("bincount", (np.array([[1, 2]]),), {}),
    ("bincount", (np.array([1.0, 2.0]),), {}),
    ("histc", (np.arange(3),), {}),
    ("histc", (np.ones(3),), {"min": 3, "max": 1}),
    ("histc", (np.array([1.0, np.nan]),), {}),
    ("searchsorted", (np.ones(()), np.ones(1)), {}),
    ("searchsorted", (np.ones((2, 2)), np.ones((1, 2))), {}),
    ("searchsorted", (np.ones(2), np.ones(1)), {"side": "left", "right": True}),
    ("bucketize", (np.ones(1), np.ones((1, 2))), {}),
    ("sum", (np.ones((2, 3)), 2), {}),
    ("sum", (np.ones((2, 3)), (0, 0)), {}),
    ("prod", (np.ones((2, 3)), (0,)), {}),
    ("softmax", (np.arange(3), 0), {}),
    ("softmax", (np.ones(3), None), {}),
    ("softmax", (np.ones(3), 1), {}),
    ("logcumsumexp", (np.arange(3), 0), {}),
    ("cumsum", (np.ones(2), 1), {}),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs"), REFUSALS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_refusals_match_torch_exception_types(name, args, kwargs):
    _, ours, ours_error = _call(bt, name, args, kwargs, False, False)
    _, _theirs, theirs_error = _call(torch, name, args, kwargs, False, False)
    assert theirs_error is not None, f"torch accepted {name}{args}"
    assert ours_error is not None, f"{name}: torch raised {theirs_error!r}; we returned {ours!r}"
    assert isinstance(ours_error, type(theirs_error)), f"{ours_error!r} vs {theirs_error!r}"
