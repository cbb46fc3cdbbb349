"""nn.utils: gradient clipping and parameter vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor.nn import utils

from ..helpers import to_np


def _with_grads(*grads):
    params = []
    for g in grads:
        p = bt.nn.Parameter(bt.zeros(len(g)))
        p.grad = bt.tensor(g)
        params.append(p)
    return params


def test_clip_grad_norm_scales_to_the_max_norm():
    params = _with_grads([3.0, 0.0], [4.0])
    total = utils.clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == 5.0
    assert total.dtype == bt.float32 and total.ndim == 0
    np.testing.assert_allclose(to_np(params[0].grad), [3 / (5 + 1e-6), 0.0], rtol=1e-6)
    np.testing.assert_allclose(to_np(params[1].grad), [4 / (5 + 1e-6)], rtol=1e-6)


def test_clip_grad_norm_leaves_small_gradients_alone():
    params = _with_grads([0.3, 0.4])
    assert utils.clip_grad_norm_(params, 10.0).item() == pytest.approx(0.5)
    np.testing.assert_array_equal(to_np(params[0].grad), np.float32([0.3, 0.4]))


@pytest.mark.parametrize(
    ("norm_type", "expected"),
    [(math.inf, 4.0), (-math.inf, 0.0), (1, 7.0), (0, 2.0), (3, (27 + 64) ** (1 / 3))],
)
def test_other_norms(norm_type, expected):
    params = _with_grads([3.0, 0.0], [-4.0])
    assert utils.clip_grad_norm_(params, 100.0, norm_type=norm_type).item() == pytest.approx(
        expected, rel=1e-6
    )


def test_no_gradients_give_a_zero_norm():
    assert utils.clip_grad_norm_([bt.nn.Parameter(bt.ones(2))], 1.0).item() == 0.0
    with pytest.warns(UserWarning, match="empty generator"):
        utils.clip_grad_norm_((p for p in []), 1.0)


def test_non_finite_norm_can_be_refused():
    params = _with_grads([math.nan, 1.0])
    with pytest.raises(RuntimeError, match="total norm of order 2.0 .* is non-finite"):
        utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert math.isnan(utils.clip_grad_norm_(params, 1.0).item())


def test_clip_grad_value_clamps_in_place():
    params = _with_grads([3.0, -0.5, -7.0])
    grad = params[0].grad
    utils.clip_grad_value_(params, 1.0)
    assert params[0].grad is grad
    np.testing.assert_array_equal(to_np(grad), np.float32([1.0, -0.5, -1.0]))


def test_clip_grad_norm_deprecated_name_warns():
    with pytest.warns(FutureWarning, match="deprecated"):
        utils.clip_grad_norm(_with_grads([1.0]), 1.0)


def test_parameters_to_vector_and_back():
    w = bt.nn.Parameter(bt.tensor([[1.0, 2.0], [3.0, 4.0]]))
    b = bt.nn.Parameter(bt.tensor([5.0]))
    vec = utils.parameters_to_vector([w, b])
    assert to_np(vec).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    (vec * vec).sum().backward()
    assert to_np(w.grad).tolist() == [[2.0, 4.0], [6.0, 8.0]]
    utils.vector_to_parameters(bt.tensor([9.0, 8.0, 7.0, 6.0, 5.0]), [w, b])
    assert to_np(w).tolist() == [[9.0, 8.0], [7.0, 6.0]]
    assert w.shape == (2, 2) and w.requires_grad
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        utils.vector_to_parameters([1.0], [b])
