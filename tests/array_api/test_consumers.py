"""Array-API consumers on Tensors: SciPy, array-api-extra, einops and scikit-learn take
Tensors through ``__array_namespace__``, return Tensors, and (where they are built
from standard functions) pass gradients, checked against NumPy and finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd

from ..helpers import to_np


def _data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _leaf(array):
    return bt.tensor(array, dtype=bt.float64, requires_grad=True)


def check_gradient(f, array, tol=1e-6):
    """autograd's gradient of sum(f(x) * w) against a central difference along a random
    direction (f maps a Tensor to a Tensor)."""
    rng = np.random.default_rng(1)
    x = _leaf(array)
    out = f(x)
    weights = bt.tensor(rng.standard_normal(tuple(out.shape)))
    (grad,) = autograd.grad((out * weights).sum(), [x])
    direction = rng.standard_normal(array.shape)
    eps = 1e-6

    def value(a):
        return float((f(bt.tensor(a)) * weights).sum().item())

    numeric = (value(array + eps * direction) - value(array - eps * direction)) / (2 * eps)
    assert float((to_np(grad) * direction).sum()) == pytest.approx(numeric, rel=tol, abs=tol)


def _scipy(module):
    scipy = pytest.importorskip("scipy")
    from scipy._lib import _array_api

    config = getattr(_array_api, "_GLOBAL_CONFIG", {})  # older SciPy kept it here
    if not (getattr(_array_api, "SCIPY_ARRAY_API", None) or config.get("SCIPY_ARRAY_API")):
        pytest.skip("SciPy was imported before SCIPY_ARRAY_API=1 was set")
    if module == "special" and _version(scipy.__version__) < (1, 16):
        # SciPy 1.15 (the last for Python 3.10) converts log_softmax's input to NumPy and
        # writes logsumexp's saved maximum in place; 1.16 takes both through the namespace.
        pytest.skip(f"SciPy {scipy.__version__}'s special functions predate array-API support")
    return getattr(__import__(f"scipy.{module}"), module) if scipy else None


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2])


# ---------------------------------------------------------------- SciPy


def test_scipy_logsumexp_values_and_gradient():
    special = _scipy("special")
    a = _data(3, 5)
    x = _leaf(a)
    out = special.logsumexp(x, axis=1)
    assert isinstance(out, bt.Tensor)
    np.testing.assert_allclose(to_np(out), special.logsumexp(a, axis=1), rtol=1e-12)
    out.sum().backward()
    # d logsumexp / dx is the softmax along the axis.
    np.testing.assert_allclose(to_np(x.grad), special.softmax(a, axis=1), rtol=1e-10)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_scipy_softmax_family_values(name):
    special = _scipy("special")
    a = _data(4, 3)
    f = getattr(special, name)
    out = f(bt.tensor(a), axis=0)
    assert isinstance(out, bt.Tensor)
    np.testing.assert_allclose(to_np(out), f(a, axis=0), rtol=1e-12)


def test_scipy_softmax_gradient():
    special = _scipy("special")
    check_gradient(lambda t: special.softmax(t, axis=0), _data(4, 3))


def test_scipy_in_place_writes_are_caught_as_in_torch():
    # log_softmax zeroes non-finite maxima with array-api-extra's `at(...).set()`, which
    # writes in place into max's output, saved for the backward pass: torch's version
    # check refuses the backward, as it does for torch tensors.
    special = _scipy("special")
    x = _leaf(_data(4, 3))
    out = special.log_softmax(x, axis=0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_scipy_stats_zscore_and_moment_values():
    stats = _scipy("stats")
    a = _data(3, 6)
    np.testing.assert_allclose(to_np(stats.zscore(bt.tensor(a), axis=1)), stats.zscore(a, axis=1))
    moment = stats.moment(bt.tensor(a), order=3, axis=1)
    np.testing.assert_allclose(to_np(moment), stats.moment(a, order=3, axis=1), rtol=1e-10)


@pytest.mark.parametrize("name", ["gmean", "hmean", "kurtosis", "sem", "variation"])
def test_scipy_stats_values_and_gradients(name):
    stats = _scipy("stats")
    a = np.abs(_data(3, 6)) + 0.5  # the means need positive values
    f = getattr(stats, name)
    out = f(bt.tensor(a), axis=1)
    assert isinstance(out, bt.Tensor)
    np.testing.assert_allclose(to_np(out), f(a, axis=1), rtol=1e-10)
    check_gradient(lambda t: f(t, axis=1), a)


# ---------------------------------------------------------------- array-api-extra


def _xpx():
    return pytest.importorskip("array_api_extra")


def test_array_api_extra_cov_and_kron():
    xpx = _xpx()
    a = _data(3, 5)
    np.testing.assert_allclose(to_np(xpx.cov(bt.tensor(a))), np.cov(a), rtol=1e-12)
    check_gradient(xpx.cov, a)
    b = _data(2, 2, seed=3)
    np.testing.assert_allclose(to_np(xpx.kron(bt.tensor(a), bt.tensor(b))), np.kron(a, b))
    check_gradient(lambda t: xpx.kron(t, bt.tensor(b)), a)


def test_array_api_extra_shape_helpers():
    xpx = _xpx()
    a = _data(2, 3)
    padded = xpx.pad(bt.tensor(a), 1)
    np.testing.assert_array_equal(to_np(padded), np.pad(a, 1))
    check_gradient(lambda t: xpx.pad(t, 2), a)
    assert tuple(xpx.atleast_nd(bt.tensor(1.0), ndim=3).shape) == (1, 1, 1)
    diagonal = xpx.create_diagonal(bt.tensor([1.0, 2.0]))
    np.testing.assert_array_equal(to_np(diagonal), np.diag([1.0, 2.0]))
    assert int(xpx.nunique(bt.tensor([3, 1, 3, 2]))) == 3


def test_array_api_extra_sinc_and_at():
    xpx = _xpx()
    a = _data(4)
    np.testing.assert_allclose(to_np(xpx.sinc(bt.tensor(a))), np.sinc(a), rtol=1e-12)
    check_gradient(xpx.sinc, a)
    written = xpx.at(bt.tensor(a), 1).set(7.0, copy=True)
    assert float(written[1]) == 7.0
    # The function form adds differentiably (a scatter in Tensor ops).
    check_gradient(lambda t: xpx.at(t, 0).add(t[1] * 2.0, copy=True), a)


# ---------------------------------------------------------------- einops


def test_einops_rearrange_and_reduce():
    einops = pytest.importorskip("einops.array_api")
    a = _data(2, 3, 4)
    out = einops.rearrange(bt.tensor(a), "b h w -> h (b w)")
    assert isinstance(out, bt.Tensor)
    np.testing.assert_array_equal(to_np(out), a.transpose(1, 0, 2).reshape(3, 8))
    reduced = einops.reduce(bt.tensor(a), "b h w -> b w", "max")
    np.testing.assert_array_equal(to_np(reduced), a.max(axis=1))
    check_gradient(lambda t: einops.rearrange(t, "b h w -> (w h) b"), a)
    check_gradient(lambda t: einops.reduce(t, "b h w -> h", "mean"), a)


# ---------------------------------------------------------------- scikit-learn


def _sklearn():
    sklearn = pytest.importorskip("sklearn")
    _scipy("linalg")  # scikit-learn's array-API mode needs SciPy's
    return sklearn


def test_sklearn_lda_fits_and_predicts_tensors():
    sklearn = _sklearn()
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    X = _data(40, 3)
    y = (X[:, 0] + 0.3 * _data(40, seed=2) > 0).astype(np.int64)
    with sklearn.config_context(array_api_dispatch=True):
        model = LinearDiscriminantAnalysis().fit(bt.tensor(X), bt.tensor(y))
        predicted = model.predict(bt.tensor(X))
        scores = model.decision_function(bt.tensor(X))
    assert isinstance(predicted, bt.Tensor)
    reference = LinearDiscriminantAnalysis().fit(X, y)
    np.testing.assert_array_equal(to_np(predicted), reference.predict(X))
    np.testing.assert_allclose(to_np(scores), reference.decision_function(X), rtol=1e-8)


def test_sklearn_ridge_predictions_and_their_gradient():
    sklearn = _sklearn()
    from sklearn.linear_model import Ridge

    X = _data(30, 3)
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * _data(30, seed=4)
    with sklearn.config_context(array_api_dispatch=True):
        model = Ridge(alpha=0.5, solver="svd").fit(bt.tensor(X), bt.tensor(y))
        x = _leaf(X[:5])
        predicted = model.predict(x)
    assert isinstance(predicted, bt.Tensor) and isinstance(model.coef_, bt.Tensor)
    reference = Ridge(alpha=0.5, solver="svd").fit(X, y)
    np.testing.assert_allclose(to_np(predicted), reference.predict(X[:5]), rtol=1e-10)
    predicted.sum().backward()
    # The prediction is x @ coef + intercept: its gradient in x is coef on every row.
    np.testing.assert_allclose(to_np(x.grad), np.tile(reference.coef_, (5, 1)), rtol=1e-10)
