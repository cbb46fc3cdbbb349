"""Edge cases of the losses: stability for huge logits, BCE at 0 and 1, torch's reduction
and ignore_index rules, CTC special cases, modules, warnings and every error's type and
message. Expected values come from the math (log 2, log C, ...), never from our code."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F

from ..helpers import to_np


def leaf(values, dtype=bt.float64):
    return bt.tensor(values, dtype=dtype, requires_grad=True)


def finite(t) -> bool:
    return bool(np.isfinite(to_np(t)).all())


# ---------------------------------------------------------------- stability

HUGE = 1e4


@pytest.mark.parametrize("dtype", [bt.float32, bt.float64])
def test_cross_entropy_is_finite_for_huge_logits(dtype):
    x = leaf([[HUGE, -HUGE, 0.0], [-HUGE, HUGE, HUGE]], dtype)
    loss = F.cross_entropy(x, bt.tensor([1, 0]), reduction="sum")
    loss.backward()
    # -log softmax: 2e4 for the first row, 2e4 + log 2 for the second.
    assert loss.item() == pytest.approx(4 * HUGE + math.log(2), rel=1e-6)
    assert finite(x.grad)
    probabilities = bt.tensor([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], dtype=dtype)
    soft = F.cross_entropy(x, probabilities, reduction="none", label_smoothing=0.1)
    assert finite(soft)


@pytest.mark.parametrize("dtype", [bt.float32, bt.float64])
def test_logit_losses_are_finite_for_huge_logits(dtype):
    x = leaf([HUGE, -HUGE, HUGE, -HUGE], dtype)
    y = bt.tensor([0.0, 1.0, 1.0, 0.0], dtype=dtype)
    bce = F.binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=bt.tensor([2.0]))
    np.testing.assert_allclose(to_np(bce), [HUGE, 2 * HUGE, 0.0, 0.0], rtol=1e-6)
    bce.sum().backward()
    np.testing.assert_allclose(to_np(x.grad), [1.0, -2.0, 0.0, 0.0], atol=1e-6)
    # torch overflows to inf in soft_margin_loss here; the exact value is 1e4.
    margin = F.soft_margin_loss(x, 2 * y - 1, reduction="none")
    np.testing.assert_allclose(to_np(margin), [HUGE, HUGE, 0.0, 0.0], rtol=1e-6)
    multilabel = F.multilabel_soft_margin_loss(x[None, :], y[None, :])
    assert multilabel.item() == pytest.approx(HUGE / 2, rel=1e-6)


def test_logit_loss_gradient_at_zero_is_one_half():
    x = leaf([0.0])
    F.binary_cross_entropy_with_logits(x, bt.tensor([1.0], dtype=bt.float64)).backward()
    assert x.grad.item() == pytest.approx(-0.5)  # sigmoid(0) - 1; a relu split would give 0


def test_ctc_is_finite_for_huge_logits():
    z = leaf(np.array([[[HUGE, -HUGE]], [[-HUGE, HUGE]], [[HUGE, 0.0]]]))
    loss = F.ctc_loss(F.log_softmax(z, dim=2), bt.tensor([[1]]), [3], [1], reduction="sum")
    loss.backward()
    assert finite(loss) and finite(z.grad)


# ---------------------------------------------------------------- binary cross entropy


def test_binary_cross_entropy_clamps_log_at_minus_100_with_finite_gradients():
    p = leaf([0.0, 1.0, 0.0, 1.0])
    y = bt.tensor([0.0, 1.0, 1.0, 0.0], dtype=bt.float64)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    np.testing.assert_allclose(to_np(loss), [0.0, 0.0, 100.0, 100.0])
    assert type(loss.grad_fn).__name__ == "BinaryCrossEntropyBackward0"
    loss.sum().backward()
    # torch's rule (p - y) / max(p (1 - p), 1e-12).
    np.testing.assert_allclose(to_np(p.grad), [0.0, 0.0, -1e12, 1e12])


def test_binary_cross_entropy_weight_broadcasts_and_is_not_differentiable():
    p = bt.tensor([[0.5, 0.5]])
    y = bt.tensor([[1.0, 0.0]])
    weighted = F.binary_cross_entropy(p, y, weight=bt.tensor([1.0, 3.0]), reduction="sum")
    assert weighted.item() == pytest.approx(4 * math.log(2), rel=1e-6)
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.binary_cross_entropy(p, y, weight=bt.tensor([1.0, 3.0], requires_grad=True))


# ---------------------------------------------------------------- classes


def test_cross_entropy_mean_divides_by_the_weights_of_kept_targets():
    # Zero logits: every -log p is log 3, so any weighted mean is log 3.
    x = leaf(np.zeros((4, 3)))
    target = bt.tensor([0, 2, -100, 1])
    weight = bt.tensor([1.0, 2.0, 5.0], dtype=bt.float64)
    loss = F.cross_entropy(x, target, weight=weight)
    assert loss.item() == pytest.approx(math.log(3))
    none = F.cross_entropy(x, target, weight=weight, reduction="none")
    np.testing.assert_allclose(to_np(none), [math.log(3), 5 * math.log(3), 0.0, 2 * math.log(3)])
    loss.backward()
    np.testing.assert_array_equal(to_np(x.grad)[2], [0.0, 0.0, 0.0])  # ignored: no gradient
    smoothed = F.cross_entropy(x, target, weight=weight, label_smoothing=0.3, reduction="sum")
    # smoothing spreads weight * log 3 / C over the classes of each kept target
    expected = 0.7 * 8 * math.log(3) + 0.3 / 3 * 3 * 8 * math.log(3)
    assert smoothed.item() == pytest.approx(expected)


def test_cross_entropy_with_every_target_ignored_is_nan_or_zero():
    x = bt.zeros(2, 3)
    target = bt.tensor([-100, -100])
    with np.errstate(invalid="ignore"):
        assert math.isnan(F.cross_entropy(x, target).item())
    assert F.cross_entropy(x, target, reduction="sum").item() == 0.0


def test_cross_entropy_k_dimensional_and_unbatched_shapes():
    x = bt.zeros(2, 3, 4, 5)
    assert F.cross_entropy(x, bt.zeros(2, 4, 5, dtype=bt.int64), reduction="none").shape == (
        2,
        4,
        5,
    )
    one = F.cross_entropy(bt.zeros(3), bt.tensor(1), reduction="none")
    assert one.shape == () and one.item() == pytest.approx(math.log(3))


def test_nll_loss_accepts_uint8_targets():
    logp = bt.tensor([[-1.0, -2.0], [-3.0, -4.0]])
    assert F.nll_loss(logp, bt.tensor([1, 0], dtype=bt.uint8)).item() == pytest.approx(2.5)


def test_margin_losses_by_hand():
    x = bt.tensor([[0.1, 0.2, 0.4, 0.8]])
    # torch's documented example: (0.3 + 0.4 + 0.6) / 4 and (0.6 + 0.7 + 1.0 + ...) / 4
    assert F.multi_margin_loss(x, bt.tensor([3])).item() == pytest.approx(0.325)
    assert F.multilabel_margin_loss(x, bt.tensor([[3, 0, -1, 1]])).item() == pytest.approx(0.85)


# ---------------------------------------------------------------- CTC


def test_ctc_by_hand_and_mean_divides_by_target_length():
    # One frame, classes (blank, a) with probabilities (0.25, 0.75): p("a") = 0.75.
    log_probs = bt.tensor([[[math.log(0.25), math.log(0.75)]]], dtype=bt.float64)
    for reduction in ("mean", "sum"):
        loss = F.ctc_loss(log_probs, bt.tensor([[1]]), [1], [1], reduction=reduction)
        assert loss.item() == pytest.approx(-math.log(0.75))
    # Two frames, target "a a": impossible without a blank between (needs 3 frames).
    two = bt.zeros(2, 1, 2, dtype=bt.float64)
    impossible = F.ctc_loss(two, bt.tensor([[1, 1]]), [2], [2], reduction="none")
    assert math.isinf(impossible.item())
    zeroed = F.ctc_loss(two, bt.tensor([[1, 1]]), [2], [2], reduction="none", zero_infinity=True)
    assert zeroed.item() == 0.0


def test_ctc_zero_infinity_zeroes_the_gradient_of_impossible_samples():
    z = leaf(np.zeros((2, 2, 3)))
    targets = bt.tensor([[1, 1], [1, 2]])  # sample 0 is impossible in 2 frames
    loss = F.ctc_loss(F.log_softmax(z, dim=2), targets, [2, 2], [2, 2], zero_infinity=True)
    loss.backward()
    np.testing.assert_array_equal(to_np(z.grad)[:, 0], np.zeros((2, 3)))
    assert np.abs(to_np(z.grad)[:, 1]).sum() > 0


def test_ctc_forms_agree():
    rng = np.random.default_rng(0)
    log_probs = F.log_softmax(bt.tensor(rng.standard_normal((6, 2, 4))), dim=2)
    padded = bt.tensor([[1, 2, 0], [3, 3, 1]])
    lengths = bt.tensor([2, 3])
    batched = F.ctc_loss(log_probs, padded, [6, 5], lengths, reduction="none")
    concatenated = F.ctc_loss(
        log_probs, bt.tensor([1, 2, 3, 3, 1]), (6, 5), lengths, reduction="none"
    )
    np.testing.assert_allclose(to_np(batched), to_np(concatenated))
    single = F.ctc_loss(log_probs[:, 1, :], bt.tensor([3, 3, 1]), 5, 3, reduction="none")
    assert single.shape == () and single.item() == pytest.approx(to_np(batched)[1])


def test_ctc_grad_fn_name():
    log_probs = leaf(np.log(np.full((3, 1, 2), 0.5)))
    loss = F.ctc_loss(log_probs, bt.tensor([[1]]), [3], [1], reduction="none")
    assert type(loss.grad_fn).__name__ == "CtcLossBackward0"


# ---------------------------------------------------------------- regression


def test_gaussian_nll_clamps_var_but_passes_its_gradient():
    var = leaf([0.0])
    loss = F.gaussian_nll_loss(
        bt.tensor([1.0], dtype=bt.float64), bt.tensor([0.0], dtype=bt.float64), var, eps=0.5
    )
    assert loss.item() == pytest.approx(0.5 * (math.log(0.5) + 1 / 0.5))
    loss.backward()
    assert var.grad.item() == pytest.approx(0.5 * (1 / 0.5 - 1 / 0.25))


def test_kl_div_zero_target_and_batchmean():
    logp = bt.tensor([[math.log(0.5), math.log(0.5)]], dtype=bt.float64)
    target = leaf([[1.0, 0.0]])
    loss = F.kl_div(logp, target, reduction="batchmean")
    assert loss.item() == pytest.approx(math.log(2))
    loss.backward()
    assert finite(target.grad)  # 0 log 0 = 0 (torch's gradient there is NaN)


def test_smooth_l1_with_beta_zero_is_l1_and_huber_scales_by_delta():
    x, y = bt.tensor([0.5, 3.0]), bt.tensor([0.0, 0.0])
    assert F.smooth_l1_loss(x, y, beta=0.0).item() == pytest.approx(1.75)
    assert F.huber_loss(x, y, delta=2.0).item() == pytest.approx((0.125 + 2 * (3 - 1)) / 2)
    assert F.smooth_l1_loss(x, y, beta=2.0).item() == pytest.approx((0.0625 + 2.0) / 2)


def test_mse_loss_keeps_its_primitive_and_broadcasts_with_a_warning():
    x = leaf([1.0, 3.0])
    assert type(F.mse_loss(x, bt.zeros(2, dtype=bt.float64)).grad_fn).__name__ == "MseLossBackward0"
    with pytest.warns(UserWarning, match="Using a target size"):
        loss = F.mse_loss(x, bt.zeros(2, 1, dtype=bt.float64))
    assert loss.item() == pytest.approx(5.0)
    weighted = F.mse_loss(
        x, bt.zeros(2, dtype=bt.float64), weight=bt.tensor([1.0, 3.0], dtype=bt.float64)
    )
    assert weighted.item() == pytest.approx((1 + 27) / 4)


def test_pairwise_distance_has_zero_gradient_at_zero_distance():
    a = leaf([[1.0, 2.0]])
    F.pairwise_distance(a, a.detach(), eps=0.0).sum().backward()
    np.testing.assert_array_equal(to_np(a.grad), [[0.0, 0.0]])


# ---------------------------------------------------------------- reductions and warnings


def test_legacy_flags_choose_the_reduction_with_a_warning():
    x, y = bt.tensor([1.0, 3.0]), bt.tensor([0.0, 0.0])
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        assert F.l1_loss(x, y, size_average=False).item() == pytest.approx(4.0)
    with pytest.warns(UserWarning, match="reduction='none' instead"):
        assert bt.nn.L1Loss(reduce=False).reduction == "none"
    with pytest.warns(UserWarning, match="'elementwise_mean' is deprecated"):
        assert F.l1_loss(x, y, reduction="elementwise_mean").item() == pytest.approx(2.0)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F.kl_div(x.log(), y)


# ---------------------------------------------------------------- modules


def test_weighted_modules_keep_weight_as_a_buffer():
    loss = bt.nn.CrossEntropyLoss(weight=bt.tensor([1.0, 2.0]), ignore_index=1)
    assert repr(loss) == "CrossEntropyLoss()"
    assert list(loss.state_dict()) == ["weight"]
    loss.double()
    assert loss.weight.dtype is bt.float64
    logits = bt.zeros(2, 2, dtype=bt.float64)
    assert loss(logits, bt.tensor([0, 1])).item() == pytest.approx(math.log(2))
    assert bt.nn.BCEWithLogitsLoss(pos_weight=bt.ones(3)).pos_weight.shape == (3,)
