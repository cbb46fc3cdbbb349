"""PyTorch as the oracle for the classification and sequence losses (cross_entropy,
nll_loss, multi-margin, multilabel-margin, ctc_loss), their errors, and the loss modules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

import bridgetensor as bt  # noqa: E402

from ..helpers import to_np  # noqa: E402
from .loss_oracle import compare, same_error  # noqa: E402

FEW = settings(max_examples=8, deadline=None)
DTYPES = st.sampled_from(["float32", "float64"])
REDUCTIONS = st.sampled_from(["none", "mean", "sum"])
SEEDS = st.integers(0, 2**32 - 1)
# (input shape, class dimension): batched, K-dimensional (K = 1, 2, 3) and unbatched.
LAYOUTS = st.sampled_from(
    [((4, 5), 1), ((2, 5, 3), 1), ((2, 3, 2, 2), 1), ((2, 3, 2, 1, 2), 1), ((5,), 0)]
)


def class_problem(seed, layout, dtype, scale=3.0):
    shape, class_dim = layout
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal(shape) * scale).astype(dtype)
    classes = shape[class_dim]
    target_shape = shape[:class_dim] + shape[class_dim + 1 :]
    target = rng.integers(0, classes, size=target_shape)
    return rng, logits, np.asarray(target, dtype=np.int64), classes


@FEW
@given(
    seed=SEEDS,
    layout=LAYOUTS,
    dtype=DTYPES,
    reduction=REDUCTIONS,
    weighted=st.booleans(),
    ignore=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 1.0]),
    scale=st.sampled_from([3.0, 1e4]),
)
def test_cross_entropy_class_indices(
    seed, layout, dtype, reduction, weighted, ignore, smoothing, scale
):
    rng, logits, target, classes = class_problem(seed, layout, dtype, scale)
    kwargs = {"reduction": reduction, "label_smoothing": smoothing}
    if ignore:
        kwargs["ignore_index"] = int(target.flat[0])  # a class index, ignored where it occurs
    if weighted:
        kwargs["weight"] = rng.random(classes).astype(dtype) + 0.1
    compare("cross_entropy", [logits, target], kwargs, rtol=1e-4 if scale > 10 else None)


@FEW
@given(
    seed=SEEDS,
    layout=LAYOUTS,
    dtype=DTYPES,
    reduction=REDUCTIONS,
    weighted=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.2]),
    scale=st.sampled_from([3.0, 1e4]),
)
def test_cross_entropy_class_probabilities(
    seed, layout, dtype, reduction, weighted, smoothing, scale
):
    rng, logits, _, classes = class_problem(seed, layout, dtype, scale)
    shape, class_dim = layout
    probabilities = rng.dirichlet(np.ones(classes), size=shape[:class_dim] + shape[class_dim + 1 :])
    target = np.moveaxis(probabilities, -1, class_dim).astype(dtype)
    kwargs = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kwargs["weight"] = rng.random(classes).astype(dtype)
    compare("cross_entropy", [logits, target], kwargs, rtol=1e-4 if scale > 10 else None)


@FEW
@given(seed=SEEDS, layout=LAYOUTS, dtype=DTYPES, reduction=REDUCTIONS, weighted=st.booleans())
def test_nll_loss(seed, layout, dtype, reduction, weighted):
    rng, logp, target, classes = class_problem(seed, layout, dtype)
    kwargs = {"reduction": reduction, "ignore_index": 1}
    if weighted:
        kwargs["weight"] = rng.random(classes).astype(dtype)
    compare("nll_loss", [logp, target], kwargs)


def test_cross_entropy_all_ignored_and_empty():
    logits = np.random.default_rng(0).standard_normal((3, 4))
    for reduction in ("mean", "sum", "none"):
        compare("cross_entropy", [logits, np.full(3, -100)], {"reduction": reduction})
        compare(
            "cross_entropy", [np.zeros((0, 4)), np.zeros(0, np.int64)], {"reduction": reduction}
        )
    compare("cross_entropy", [logits[0], np.array(-100)], {})
    # (C,) input with a (1,) target; torch's backward fails there, so values only.
    compare("nll_loss", [logits[0], np.array([2])], {"reduction": "none"}, grad=[])


@FEW
@given(
    seed=SEEDS,
    dtype=DTYPES,
    reduction=REDUCTIONS,
    p=st.sampled_from([1, 2]),
    margin=st.sampled_from([1.0, 0.3]),
    weighted=st.booleans(),
    batched=st.booleans(),
)
def test_multi_margin(seed, dtype, reduction, p, margin, weighted, batched):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 5) if batched else (5,)).astype(dtype)
    target = rng.integers(0, 5, size=(4,) if batched else ())
    # A margin reached exactly: z = margin - x[y] + x[j] == 0 (relu's kink).
    row = x[0] if batched else x
    first = int(target[0]) if batched else int(target)
    row[(first + 1) % 5] = row[first] - margin
    kwargs = {"reduction": reduction, "p": p, "margin": margin}
    if weighted:
        kwargs["weight"] = rng.random(5).astype(dtype)
    compare("multi_margin_loss", [x, np.asarray(target, np.int64)], kwargs)


@FEW
@given(seed=SEEDS, dtype=DTYPES, reduction=REDUCTIONS, batched=st.booleans())
def test_multilabel_margin(seed, dtype, reduction, batched):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, 5)).astype(dtype)
    target = rng.integers(0, 5, size=(3, 5))  # duplicates count twice, as in torch
    for row in target:
        row[rng.integers(0, 6) :] = -1  # each list ends at its first -1 (or runs to the end)
        row[rng.integers(0, 5) :][:1] = rng.integers(0, 5)  # values after a -1 are ignored
    if not batched:
        x, target = x[0], target[0]
    compare("multilabel_margin_loss", [x, target], {"reduction": reduction})


@FEW
@given(
    seed=SEEDS,
    dtype=DTYPES,
    reduction=REDUCTIONS,
    blank=st.sampled_from([0, 3]),
    concatenated=st.booleans(),
    zero_infinity=st.booleans(),
    unbatched=st.booleans(),
)
def test_ctc_loss(seed, dtype, reduction, blank, concatenated, zero_infinity, unbatched):
    rng = np.random.default_rng(seed)
    steps, n, classes, longest = 7, 3, 4, 3
    logits = rng.standard_normal((steps, n, classes)).astype(dtype)
    labels = [c for c in range(classes) if c != blank]
    targets = rng.choice(labels, size=(n, longest))
    targets[0, 1] = targets[0, 0]  # a repeat needs a blank between
    input_lengths = rng.integers(0, steps + 1, size=n)
    input_lengths[0] = steps
    target_lengths = rng.integers(0, longest + 1, size=n)
    if unbatched:
        logits, input_lengths, target_lengths = logits[:, 0], input_lengths[0], target_lengths[0]
        # 1-D targets of one sample are its labels; 2-D ones are padded (1, S).
        targets = targets[0, :target_lengths] if concatenated else targets[:1]
    elif concatenated:
        targets = np.concatenate([targets[i, : target_lengths[i]] for i in range(n)])
    kwargs = {"blank": blank, "reduction": reduction, "zero_infinity": zero_infinity}
    for through_log_softmax in (True, False):
        # log_probs.grad itself follows torch's convention (the derivative + exp(log_probs)).
        run = _ctc_after_log_softmax if through_log_softmax else _ctc_direct
        ours, theirs = (
            run(bt, logits, targets, input_lengths, target_lengths, kwargs),
            run(torch, logits, targets, input_lengths, target_lengths, kwargs),
        )
        rtol, atol = (1e-4, 1e-5) if dtype == "float32" else (1e-7, 1e-9)
        for mine, their in zip(ours, theirs):
            np.testing.assert_allclose(to_np(mine), their.numpy(), rtol, atol, equal_nan=True)


def _ctc_direct(lib, logits, targets, input_lengths, target_lengths, kwargs):
    log_probs = lib.tensor(logits).log_softmax(-1).detach().requires_grad_()
    loss = _ctc_call(lib, log_probs, targets, input_lengths, target_lengths, kwargs)
    loss.sum().backward()
    return loss.detach(), log_probs.grad


def _ctc_after_log_softmax(lib, logits, targets, input_lengths, target_lengths, kwargs):
    z = lib.tensor(logits, requires_grad=True)
    loss = _ctc_call(lib, z.log_softmax(-1), targets, input_lengths, target_lengths, kwargs)
    (loss * 1.5).sum().backward()
    return loss.detach(), z.grad


def _ctc_call(lib, log_probs, targets, input_lengths, target_lengths, kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.nn.functional.ctc_loss(
            log_probs,
            lib.tensor(targets),
            lib.tensor(input_lengths),
            lib.tensor(target_lengths),
            **kwargs,
        )


X = np.random.default_rng(1).standard_normal((3, 5))
LONGS = np.array([0, 1, 2])
ERRORS = [
    # (function, args, kwargs, same message)
    ("cross_entropy", [X, np.array([0, 5, 1])], {}, True),
    ("cross_entropy", [X, np.array([0, -1, 1])], {"reduction": "none"}, True),
    ("nll_loss", [np.zeros((2, 5, 3)), np.array([[0, 7, 1], [1, 1, 1]])], {}, True),
    ("cross_entropy", [X, np.array([0, 1])], {}, True),
    ("cross_entropy", [np.zeros((2, 5, 3)), np.zeros((2, 4), np.int64)], {}, True),
    ("cross_entropy", [X, np.zeros((3, 2), np.int64)], {}, True),
    ("cross_entropy", [X, np.array([0, 1, 2], np.int32)], {}, True),
    ("cross_entropy", [X, np.zeros(3)], {}, True),
    ("cross_entropy", [X, LONGS], {"weight": np.ones(4)}, True),
    ("cross_entropy", [X, LONGS], {"weight": np.ones(5, np.float32)}, True),
    ("cross_entropy", [X, LONGS], {"label_smoothing": 1.5}, True),
    ("cross_entropy", [X, LONGS], {"reduction": "avg"}, True),
    ("cross_entropy", [X, np.zeros((3, 5), np.int64)], {}, True),
    ("cross_entropy", [X, np.full((3, 5), 0.2)], {"ignore_index": 1}, True),
    ("nll_loss", [np.array(1.0), np.array(0)], {}, True),
    ("nll_loss", [np.zeros((2, 3, 4, 5)), np.zeros((2, 4, 4), np.int64)], {}, True),
    ("nll_loss", [np.zeros((2, 3, 4, 5)), np.zeros((2, 4), np.int64)], {}, True),
    ("nll_loss", [np.zeros(5), np.array([1, 2])], {}, True),
    ("binary_cross_entropy", [np.full(3, 0.5), np.full((3, 1), 0.5)], {}, False),
    ("binary_cross_entropy", [np.array([1.5]), np.array([0.5])], {}, True),
    ("binary_cross_entropy", [np.array([np.nan]), np.array([0.5])], {}, True),
    ("binary_cross_entropy", [np.full(3, 0.5), np.array([0, 1, 1])], {}, True),
    ("binary_cross_entropy_with_logits", [np.zeros(3), np.zeros((3, 1))], {}, False),
    ("binary_cross_entropy_with_logits", [np.zeros(3), np.array([0, 1, 1])], {}, False),
    ("l1_loss", [np.zeros(3), np.zeros(4)], {}, True),
    ("l1_loss", [np.zeros(3), np.zeros(3)], {"weight": np.ones(2)}, True),
    ("mse_loss", [np.zeros(3), np.zeros(3)], {"weight": np.ones(3), "reduction": "x"}, True),
    ("smooth_l1_loss", [np.zeros(3), np.zeros(3)], {"beta": -1.0}, True),
    ("huber_loss", [np.zeros(3), np.zeros(3)], {"delta": 0.0}, True),
    ("kl_div", [np.zeros(3), np.zeros(3)], {"reduction": "x"}, True),
    ("poisson_nll_loss", [np.zeros(3), np.zeros(3)], {"reduction": "x"}, True),
    ("gaussian_nll_loss", [np.zeros(3), np.zeros(3), -np.ones(3)], {}, True),
    ("gaussian_nll_loss", [np.zeros((3, 2)), np.zeros((3, 2)), np.ones(4)], {}, True),
    ("gaussian_nll_loss", [np.zeros(3), np.zeros(3), np.ones(3)], {"reduction": "x"}, True),
    ("gaussian_nll_loss", [np.zeros(3), np.zeros(3), -1.0], {}, True),
    ("multilabel_soft_margin_loss", [np.zeros((2, 3)), np.zeros((2, 3))], {"reduction": "x"}, True),
    ("multi_margin_loss", [X, LONGS], {"p": 3}, True),
    ("multi_margin_loss", [X, LONGS], {"weight": np.ones((1, 5))}, True),
    ("multi_margin_loss", [X, np.array([0, 1, 7])], {}, True),
    ("multi_margin_loss", [np.zeros((2, 3, 4)), np.zeros((2, 3), np.int64)], {}, True),
    ("multi_margin_loss", [X, np.array([0, 1])], {}, True),
    ("multi_margin_loss", [X, LONGS], {"weight": np.ones(4)}, True),
    ("multilabel_margin_loss", [np.zeros((2, 3, 4)), np.zeros((2, 3, 4), np.int64)], {}, True),
    ("multilabel_margin_loss", [np.zeros((2, 4)), np.zeros((2, 3), np.int64)], {}, True),
    ("multilabel_margin_loss", [np.zeros((1, 4)), np.array([[5, -1, 0, 0]])], {}, True),
    ("margin_ranking_loss", [np.zeros(3), np.zeros(3), np.zeros((3, 1))], {}, False),
    ("triplet_margin_loss", [np.zeros((3, 2))] * 3, {"margin": 0.0}, True),
    ("triplet_margin_loss", [np.zeros((3, 2)), np.zeros((3, 2)), np.zeros(2)], {}, True),
    ("triplet_margin_with_distance_loss", [np.zeros((3, 2))] * 3, {"margin": -1.0}, True),
    ("triplet_margin_with_distance_loss", [np.zeros((3, 2))] * 3, {"reduction": "x"}, True),
    ("cosine_embedding_loss", [np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 1))], {}, True),
    ("cosine_embedding_loss", [np.zeros((3, 2, 2)), np.zeros((3, 2, 2)), np.zeros(3)], {}, True),
    ("hinge_embedding_loss", [np.zeros(3), np.zeros(3)], {"reduction": "x"}, True),
]


@pytest.mark.parametrize("name, args, kwargs, same_message", ERRORS, ids=lambda v: str(v)[:40])
def test_errors_as_torch(name, args, kwargs, same_message):
    same_error(name, args, kwargs, same_message)


def test_ctc_errors_as_torch():
    log_probs = np.zeros((4, 2, 3))
    targets, lengths = np.ones((2, 2), np.int64), np.array([2, 2])
    same_error("ctc_loss", [log_probs, targets, np.array([5, 4]), lengths], {})
    same_error("ctc_loss", [log_probs, targets, np.array([4, 4]), np.array([3, 1])], {})
    same_error("ctc_loss", [log_probs, targets, lengths, lengths], {"blank": 3})
    same_error("ctc_loss", [log_probs, targets, lengths, lengths], {"reduction": "x"})
    same_error("ctc_loss", [log_probs, np.ones(5, np.int64), lengths, lengths], {})
    same_error("ctc_loss", [log_probs, targets, np.array([4, -1]), lengths], {})
    same_error("ctc_loss", [log_probs, targets, lengths, np.array([2])], {})
    same_error("ctc_loss", [log_probs[:0], targets, lengths * 0, lengths], {})


MODULES = [
    ("L1Loss", {}, 2),
    ("MSELoss", {"reduction": "sum"}, 2),
    ("SmoothL1Loss", {"beta": 0.5}, 2),
    ("HuberLoss", {"delta": 0.5}, 2),
    ("SoftMarginLoss", {}, 2),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, 2),
    ("PoissonNLLLoss", {"log_input": True, "full": True}, 2),
    ("GaussianNLLLoss", {"full": True}, 3),
    ("BCEWithLogitsLoss", {"pos_weight": np.full(4, 2.0)}, 2),
    ("MultiLabelSoftMarginLoss", {"weight": np.arange(4.0)}, 2),
    ("HingeEmbeddingLoss", {"margin": 0.5}, 2),
    ("CosineEmbeddingLoss", {"margin": 0.2}, 3),
    ("TripletMarginLoss", {"p": 1.0, "swap": True}, 3),
    ("TripletMarginWithDistanceLoss", {"swap": True}, 3),
    ("MarginRankingLoss", {"margin": 0.1}, 3),
    ("L1Loss", {"size_average": False}, 2),
    ("MSELoss", {"reduce": False}, 2),
]


@pytest.mark.parametrize("name, options, arity", MODULES, ids=lambda v: str(v)[:30])
def test_loss_modules_as_torch(name, options, arity):
    rng = np.random.default_rng(3)
    data = [rng.random((3, 4)) for _ in range(arity)]
    if name in ("CosineEmbeddingLoss", "MarginRankingLoss"):
        data[2] = (
            np.array([1.0, -1.0, 1.0]) if name == "CosineEmbeddingLoss" else np.sign(data[2] - 0.5)
        )
        if name == "MarginRankingLoss":
            data = [d[0] for d in data]
    if name in ("SoftMarginLoss", "HingeEmbeddingLoss"):
        data[1] = np.sign(data[1] - 0.5)
    results = []
    for lib in (bt, torch):
        made = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = getattr(lib.nn, name)(**made)
            results.append((module(*[lib.tensor(d) for d in data]), repr(module), module.reduction))
    (ours, our_repr, our_reduction), (theirs, their_repr, their_reduction) = results
    np.testing.assert_allclose(to_np(ours), theirs.numpy(), rtol=1e-7, atol=1e-10)
    assert our_reduction == their_reduction
    if name != "TripletMarginWithDistanceLoss":  # torch's holds a PairwiseDistance module
        assert our_repr == their_repr


@pytest.mark.parametrize("name", ["CrossEntropyLoss", "NLLLoss", "MultiMarginLoss", "BCELoss"])
def test_weighted_loss_modules_as_torch(name):
    rng = np.random.default_rng(4)
    weight = rng.random(5) + 0.5
    x = rng.random((4, 5))
    target = x.round() if name == "BCELoss" else np.array([0, 4, 2, 2])
    results = []
    for lib in (bt, torch):
        options = {"weight": lib.tensor(weight)}
        if name in ("CrossEntropyLoss", "NLLLoss"):
            options["ignore_index"] = 2
        module = getattr(lib.nn, name)(**options)
        results.append(module(lib.tensor(x), lib.tensor(target)))
        assert sorted(dict(module.named_buffers())) == ["weight"]
    np.testing.assert_allclose(to_np(results[0]), results[1].numpy(), rtol=1e-7)
