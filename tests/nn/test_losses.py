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


# ---------------------------------------------------------------- errors

X = bt.zeros(3, 5)
Y = bt.zeros(3)
LONG = bt.tensor([0, 1, 2])
MSG_SIZE = "Using a target size"
ERRORS = [
    (lambda: F.cross_entropy(X, bt.tensor([0, 5, 1])), IndexError, "Target 5 is out of bounds."),
    (lambda: F.nll_loss(X, bt.tensor([0, -1, 1])), IndexError, "Target -1 is out of bounds."),
    (
        lambda: F.cross_entropy(X, bt.tensor([0, 1])),
        ValueError,
        r"Expected input batch_size \(3\) to match target batch_size \(2\)\.",
    ),
    (
        lambda: F.cross_entropy(bt.zeros(2, 5, 3), bt.zeros(2, 4, dtype=bt.int64)),
        RuntimeError,
        r"Expected target size \[2, 3\], got \[2, 4\]",
    ),
    (
        lambda: F.nll_loss(X, bt.zeros(3, 2, dtype=bt.int64)),
        RuntimeError,
        "0D or 1D target tensor expected, multi-target not supported",
    ),
    (
        lambda: F.nll_loss(bt.zeros(5), bt.tensor([1, 2])),
        ValueError,
        "For 1D input, 1D target must have size 1, but got target size: 2",
    ),
    (
        lambda: F.nll_loss(bt.zeros(2, 3, 4, 5), bt.zeros(2, 4, dtype=bt.int64)),
        RuntimeError,
        "only batches of spatial targets supported",
    ),
    (
        lambda: F.nll_loss(bt.zeros(2, 3, 4, 5), bt.zeros(2, 4, 4, dtype=bt.int64)),
        RuntimeError,
        r"size mismatch \(got input: \[2, 3, 4, 5\] , target: \[2, 4, 4\]",
    ),
    (
        lambda: F.nll_loss(bt.tensor(1.0), bt.tensor(0)),
        ValueError,
        r"Expected 1 or more dimensions \(got 0\)",
    ),
    (
        lambda: F.cross_entropy(X, bt.tensor([0, 1, 2], dtype=bt.int32)),
        RuntimeError,
        "expected target dtype to be Long or Byte, but got Int",
    ),
    (
        lambda: F.cross_entropy(X, LONG, weight=bt.ones(4)),
        RuntimeError,
        r"weight tensor should be defined either for all 5 classes or no classes but got "
        r"weight tensor of shape: \[4\]",
    ),
    (
        lambda: F.cross_entropy(X, bt.ones(3, 5, dtype=bt.int64)),
        RuntimeError,
        "Expected floating point type for target with class probabilities, got Long",
    ),
    (
        lambda: F.cross_entropy(X, bt.ones(3, 5), weight=bt.ones(4)),
        RuntimeError,
        "cross_entropy: weight tensor should be defined",
    ),
    (
        lambda: F.cross_entropy(X, bt.ones(3, 5), ignore_index=0),
        RuntimeError,
        "ignore_index is not supported for floating point target",
    ),
    (
        lambda: F.cross_entropy(X, LONG, label_smoothing=1.5),
        RuntimeError,
        "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
    ),
    (
        lambda: F.cross_entropy(X, bt.ones(3, 5), label_smoothing=1.5),
        RuntimeError,
        "label_smoothing must be between 0.0 and 1.0",
    ),
    (
        lambda: F.cross_entropy(X, LONG, weight=bt.ones(5, dtype=bt.float64)),
        RuntimeError,
        "expected scalar type Float but found Double",
    ),
    (
        lambda: F.cross_entropy(bt.zeros(3, 5, dtype=bt.int64), LONG),
        NotImplementedError,
        "not implemented for 'Long'",
    ),
    (
        lambda: F.cross_entropy(X, LONG, reduction="avg"),
        ValueError,
        "avg is not a valid value for reduction",
    ),
    (lambda: F.binary_cross_entropy(Y, bt.zeros(3, 1)), ValueError, MSG_SIZE),
    (
        lambda: F.binary_cross_entropy(bt.tensor([1.5]), bt.tensor([0.5])),
        RuntimeError,
        "all elements of input should be between 0 and 1",
    ),
    (
        lambda: F.binary_cross_entropy(Y, bt.zeros(3, dtype=bt.float64)),
        RuntimeError,
        "Found dtype Double but expected Float",
    ),
    (
        lambda: F.binary_cross_entropy_with_logits(Y, bt.zeros(3, 1)),
        ValueError,
        r"Target size .* must be the same as input size",
    ),
    (
        lambda: F.binary_cross_entropy_with_logits(Y, LONG),
        RuntimeError,
        "result type Float can't be cast to the desired output type Long",
    ),
    (
        lambda: F.soft_margin_loss(Y, bt.ones(3, requires_grad=True)),
        RuntimeError,
        "'soft_margin_loss' is not differentiable with respect to argument 'target'",
    ),
    (lambda: F.multilabel_soft_margin_loss(X, X, reduction="x"), ValueError, "x is not valid"),
    (
        lambda: F.l1_loss(Y, bt.zeros(4)),
        RuntimeError,
        r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
        "non-singleton dimension 0",
    ),
    (
        lambda: F.l1_loss(Y, Y, weight=bt.ones(2)),
        ValueError,
        "Weights and input must have the same size.",
    ),
    (
        lambda: F.mse_loss(Y, Y, weight=bt.ones(3), reduction="x"),
        ValueError,
        "Invalid reduction mode: x. Expected one of 'none', 'mean', 'sum'.",
    ),
    (
        lambda: F.smooth_l1_loss(Y, Y, beta=-1.0),
        RuntimeError,
        "smooth_l1_loss does not support negative values for beta.",
    ),
    (
        lambda: F.huber_loss(Y, Y, delta=0.0),
        RuntimeError,
        "huber_loss does not support non-positive values for delta.",
    ),
    (lambda: F.kl_div(Y, Y, reduction="x"), ValueError, "x is not a valid value for reduction"),
    (lambda: F.kl_div(Y, LONG), RuntimeError, "kl_div: Integral inputs not supported."),
    (
        lambda: F.kl_div(Y, bt.zeros(3, dtype=bt.complex64)),
        RuntimeError,
        "kl_div: Complex inputs not supported.",
    ),
    (
        lambda: F.poisson_nll_loss(Y, Y, reduction="x"),
        ValueError,
        "x is not a valid value for reduction",
    ),
    (lambda: F.gaussian_nll_loss(Y, Y, -bt.ones(3)), ValueError, "var has negative entry/entries"),
    (lambda: F.gaussian_nll_loss(Y, Y, -1.0), ValueError, "var has negative entry/entries"),
    (lambda: F.gaussian_nll_loss(X, X, bt.ones(4)), ValueError, "var is of incorrect size"),
    (lambda: F.gaussian_nll_loss(Y, Y, bt.ones(3), reduction="x"), ValueError, "x is not valid"),
    (
        lambda: F.gaussian_nll_loss(Y, Y, 1),
        TypeError,
        "gaussian_nll_loss: var must be a Tensor or a float; got int",
    ),
    (lambda: F.multi_margin_loss(X, LONG, p=3), ValueError, "only p == 1 and p == 2 supported"),
    (
        lambda: F.multi_margin_loss(X, LONG, weight=bt.ones(1, 5)),
        ValueError,
        "weight must be one-dimensional",
    ),
    (lambda: F.multi_margin_loss(X, bt.tensor([0, 1, 7])), RuntimeError, "target out of range"),
    (
        lambda: F.multi_margin_loss(bt.zeros(2, 3, 4), bt.zeros(2, 3, dtype=bt.int64)),
        RuntimeError,
        r"Expected non-empty vector or matrix with optional 0-dim batch size, but got: \[2, 3, 4\]",
    ),
    (
        lambda: F.multi_margin_loss(X, bt.tensor([0, 1])),
        RuntimeError,
        r"Expected target size \[3\], but got \[2\]",
    ),
    (
        lambda: F.multi_margin_loss(X, LONG, weight=bt.ones(4)),
        RuntimeError,
        r"inconsistent weight size, expected 5 but got \[4\]",
    ),
    (
        lambda: F.multilabel_margin_loss(bt.zeros(2, 4), bt.zeros(2, 3, dtype=bt.int64)),
        RuntimeError,
        r"inconsistent target size: \[2, 3\] for input of size: \[2, 4\]",
    ),
    (
        lambda: F.multilabel_margin_loss(bt.zeros(1, 4), bt.tensor([[5, -1, 0, 0]])),
        RuntimeError,
        "argument #2 'target' is out of range",
    ),
    (
        lambda: F.margin_ranking_loss(Y, Y, bt.zeros(3, 1)),
        RuntimeError,
        "margin_ranking_loss : All input tensors should have same dimension",
    ),
    (
        lambda: F.hinge_embedding_loss(Y, Y, reduction="x"),
        ValueError,
        "x is not a valid value for reduction",
    ),
    (
        lambda: F.cosine_embedding_loss(X, X, bt.zeros(3, 1)),
        RuntimeError,
        "0D or 1D target tensor expected, multi-target not supported",
    ),
    (
        lambda: F.cosine_embedding_loss(Y, Y, Y),
        RuntimeError,
        r"1D target tensor expects 2D input tensors, but found inputs with sizes \[3\] and \[3\]\.",
    ),
    (
        lambda: F.triplet_margin_loss(X, X, X, margin=0.0),
        ValueError,
        "margin must be greater than 0, got 0.0",
    ),
    (
        lambda: F.triplet_margin_loss(X, X, Y),
        RuntimeError,
        "anchor 2D, positive 2D, and negative 1D inputs",
    ),
    (
        lambda: F.triplet_margin_with_distance_loss(X, X, X, margin=-1.0),
        ValueError,
        "margin must be greater than 0, got -1.0",
    ),
    (
        lambda: F.triplet_margin_with_distance_loss(X, X, X, reduction="x"),
        ValueError,
        "x is not a valid value for reduction",
    ),
    (
        lambda: bt.nn.HuberLoss(delta="1"),
        TypeError,
        "delta must be a float or int, got: <class 'str'>",
    ),
    (lambda: bt.nn.MultiMarginLoss(p=3), ValueError, "only p == 1 and p == 2 supported"),
    (
        lambda: bt.nn.MultiMarginLoss(weight=bt.ones(1, 2)),
        ValueError,
        "expected weight to be None or 1D tensor, got 2D instead",
    ),
    (
        lambda: bt.nn.TripletMarginLoss(margin=0.0),
        ValueError,
        "TripletMarginLoss: expected margin to be greater than 0, got 0.0 instead",
    ),
    (
        lambda: bt.nn.TripletMarginWithDistanceLoss(margin=0.0),
        ValueError,
        "expected margin to be greater than 0, got 0.0 instead",
    ),
]

LP = bt.zeros(4, 2, 3)
TARGETS = bt.ones(2, 2, dtype=bt.int64)
TWO = bt.tensor([2, 2])
CTC_ERRORS = [
    (
        lambda: F.ctc_loss(LP, TARGETS, [5, 4], TWO),
        "Expected input_lengths to have value at most 4, but got value 5",
    ),
    (
        lambda: F.ctc_loss(LP, TARGETS, [4, -1], TWO),
        "Expected input_lengths to have value at least 0, but got value -1",
    ),
    (
        lambda: F.ctc_loss(LP, TARGETS, [4, 4], [3, 1]),
        "Expected tensor to have size at least 3 at dimension 1, but got size 2",
    ),
    (
        lambda: F.ctc_loss(LP, bt.ones(5, dtype=bt.int64), TWO, TWO),
        "Expected tensor to have size 4 at dimension 0, but got size 5",
    ),
    (lambda: F.ctc_loss(LP, TARGETS, TWO, TWO, blank=3), "blank must be in label range"),
    (lambda: F.ctc_loss(LP, TARGETS, [4, 4, 4], TWO), "input_lengths must be of size batch_size"),
    (lambda: F.ctc_loss(LP, TARGETS, TWO, [2]), "target_lengths must be of size batch_size"),
    (
        lambda: F.ctc_loss(bt.zeros(0, 2, 3), TARGETS, [0, 0], TWO),
        "log_probs tensor must not be empty",
    ),
    (
        lambda: F.ctc_loss(bt.zeros(1, 4, 2, 3), TARGETS, TWO, TWO),
        "Expected 3-dimensional tensor, but got 4-dimensional",
    ),
    (
        lambda: F.ctc_loss(LP, TARGETS * 7, TWO, TWO),
        r"ctc_loss: target classes must be in \[0, 3\)",
    ),
    (lambda: F.ctc_loss(LP, TARGETS, bt.tensor([2, 2], device="cpu"), TWO, reduction="x"), None),
]


@pytest.mark.parametrize("call, kind, message", ERRORS, ids=lambda v: getattr(v, "__name__", None))
def test_errors(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize("call, message", CTC_ERRORS)
def test_ctc_errors(call, message):
    kind = ValueError if message is None else RuntimeError
    with pytest.raises(kind, match=message or "x is not a valid value for reduction"):
        call()


def test_bad_input_is_left_unchanged():
    x = bt.tensor([[0.5, 1.5]])
    before = to_np(x).copy()
    with pytest.raises(IndexError):
        F.cross_entropy(x, bt.tensor([3]))
    np.testing.assert_array_equal(to_np(x), before)
