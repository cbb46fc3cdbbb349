"""Every error the losses raise: type and message (torch's, where torch raises it)."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F

from ..helpers import to_np

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
    (
        lambda: F.kl_div(Y, LONG, reduction="sum"),
        RuntimeError,
        "kl_div: Integral inputs not supported.",
    ),
    (
        lambda: F.kl_div(Y, bt.zeros(3, dtype=bt.complex64), reduction="sum"),
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


@pytest.mark.filterwarnings("ignore:Using a target size")
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
