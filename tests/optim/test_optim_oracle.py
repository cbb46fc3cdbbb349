"""Every optimizer against torch.optim: 20 steps from identical parameters and gradients,
compared after each step (parameters, state tensors, step counts, state_dict layout)."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

STEPS = 20
SHAPES = [(3, 4), (4,), ()]

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.1, "maximize": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "betas": (0.3, 0.9), "eps": 1e-3}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "alpha": 0.9, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "maximize": True, "eps": 1e-3}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.5, "weight_decay": 0.1}),
    ("Adadelta", {"maximize": True, "eps": 1e-3}),
    ("Adamax", {"lr": 0.05}),
    ("Adamax", {"lr": 0.05, "weight_decay": 0.1, "maximize": True, "betas": (0.2, 0.99)}),
    ("NAdam", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05, "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("NAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RAdam", {"lr": 0.05}),
    ("RAdam", {"lr": 0.05, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
]


def _close(ours, theirs, what: str) -> None:
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    ours = to_np(ours)
    assert ours.dtype == theirs.dtype, what
    scale = max(1.0, float(np.max(np.abs(theirs), initial=0.0)))
    np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=2e-6 * scale, err_msg=what)


def _pair(name, options, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    ours = [bt.nn.Parameter(bt.tensor(v)) for v in values]
    theirs = [torch.nn.Parameter(torch.tensor(v)) for v in values]
    return (
        ours,
        theirs,
        getattr(bt.optim, name)(ours, **options),
        getattr(torch.optim, name)(theirs, **options),
        rng,
    )


def _compare_state(opt_ours, opt_theirs, ours, theirs, step) -> None:
    for k, (p, q) in enumerate(zip(ours, theirs)):
        _close(p, q, f"step {step}: parameter {k}")
        mine, reference = opt_ours.state[p], opt_theirs.state[q]
        assert list(mine) == list(reference), f"step {step}: state keys of parameter {k}"
        for key, value in reference.items():
            _close(mine[key], value, f"step {step}: state {key!r} of parameter {k}")


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_twenty_steps_match_torch(name, options):
    ours, theirs, opt_ours, opt_theirs, rng = _pair(name, options)
    for step in range(STEPS):
        for k, (p, q) in enumerate(zip(ours, theirs)):
            if k == 1 and step % 7 == 3:  # a parameter without a gradient is skipped
                p.grad, q.grad = None, None
                continue
            g = rng.standard_normal(SHAPES[k]).astype(np.float32)
            p.grad = bt.tensor(g)
            q.grad = torch.tensor(g)
        opt_ours.step()
        opt_theirs.step()
        _compare_state(opt_ours, opt_theirs, ours, theirs, step)
    mine, reference = opt_ours.state_dict(), opt_theirs.state_dict()
    assert mine["param_groups"] == reference["param_groups"]
    assert list(mine["state"]) == list(reference["state"])


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "NAdam"])
def test_float64_parameters_match_torch(name):
    options = {"lr": 0.05, "momentum": 0.9} if name in ("SGD", "RMSprop") else {"lr": 0.05}
    ours, theirs, opt_ours, opt_theirs, rng = _pair(name, options, dtype=np.float64)
    for step in range(STEPS):
        for k, (p, q) in enumerate(zip(ours, theirs)):
            g = rng.standard_normal(SHAPES[k])
            p.grad, q.grad = bt.tensor(g), torch.tensor(g)
        opt_ours.step()
        opt_theirs.step()
        for k, (p, q) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(to_np(p), q.detach().numpy(), rtol=1e-12, atol=1e-13)


def test_training_a_linear_model_by_loss_matches_torch():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((16, 5)).astype(np.float32), rng.standard_normal((16, 2))
    y = y.astype(np.float32)
    w, b = rng.standard_normal((5, 2)).astype(np.float32), np.zeros(2, np.float32)
    ours = [bt.nn.Parameter(bt.tensor(w)), bt.nn.Parameter(bt.tensor(b))]
    theirs = [torch.nn.Parameter(torch.tensor(w)), torch.nn.Parameter(torch.tensor(b))]
    opt_ours = bt.optim.Adam(ours, lr=0.05, weight_decay=0.01)
    opt_theirs = torch.optim.Adam(theirs, lr=0.05, weight_decay=0.01)
    for step in range(STEPS):
        for params, opt, lib in ((ours, opt_ours, bt), (theirs, opt_theirs, torch)):
            opt.zero_grad()
            d = lib.tensor(x) @ params[0] + params[1] - lib.tensor(y)
            (d * d).mean().backward()
            opt.step()
        for p, q in zip(ours, theirs):
            _close(p, q, f"step {step}")


def test_loading_torch_state_dict_continues_torch_run():
    ours, theirs, opt_ours, opt_theirs, rng = _pair("Adam", {"lr": 0.05, "amsgrad": True})
    for step in range(2 * 5):
        grads = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
        for q, g in zip(theirs, grads):
            q.grad = torch.tensor(g)
        opt_theirs.step()
        if step < 5:
            continue
        if step == 5:
            for p, q in zip(ours, theirs):
                p.data = bt.tensor(q.detach().numpy().copy())
            opt_ours.load_state_dict(opt_theirs.state_dict())
            opt_ours.state_dict()["state"][0]["exp_avg"].add_(0.0)  # they are our tensors now
        for p, g in zip(ours, grads):
            p.grad = bt.tensor(g)
        if step > 5:
            opt_ours.step()
            _compare_state(opt_ours, opt_theirs, ours, theirs, step)


def _objective(lib, params, a, target, quartic):
    d = lib.tensor(a) @ params[0] - lib.tensor(target)
    e = params[1] - 0.5
    e = e * e
    return (d * d).sum() + ((e * e) if quartic else e).sum()


# float64 on a flat quartic valley checks that the algorithm is torch's, step for step;
# float32 (whose rounding a flat valley would amplify) runs on a well-conditioned problem.
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize(("dtype", "history_size"), [(np.float64, 100), (np.float32, 3)])
def test_lbfgs_matches_torch(line_search_fn, dtype, history_size):
    rng = np.random.default_rng(2)
    a = (rng.standard_normal((6, 4)) + np.eye(6, 4) * 3).astype(dtype)
    target = rng.standard_normal(6).astype(dtype)
    start = [rng.standard_normal(4).astype(dtype), rng.standard_normal(3).astype(dtype)]
    ours = [bt.nn.Parameter(bt.tensor(v)) for v in start]
    theirs = [torch.nn.Parameter(torch.tensor(v)) for v in start]
    options = {"lr": 0.5, "max_iter": 4, "history_size": history_size}
    opt_ours = bt.optim.LBFGS(ours, line_search_fn=line_search_fn, **options)
    opt_theirs = torch.optim.LBFGS(theirs, line_search_fn=line_search_fn, **options)
    quartic = dtype == np.float64
    tolerance = 1e-10 if quartic else 1e-4

    def closure_for(params, opt, lib):
        def closure():
            opt.zero_grad()
            loss = _objective(lib, params, a, target, quartic)
            loss.backward()
            return loss

        return closure

    for step in range(5):
        loss_ours = opt_ours.step(closure_for(ours, opt_ours, bt))
        loss_theirs = opt_theirs.step(closure_for(theirs, opt_theirs, torch))
        np.testing.assert_allclose(loss_ours.item(), loss_theirs.item(), rtol=tolerance)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(to_np(p), q.detach().numpy(), rtol=tolerance, atol=tolerance)
        mine, reference = opt_ours.state[ours[0]], opt_theirs.state[theirs[0]]
        assert mine["func_evals"] == reference["func_evals"], step
        assert mine["n_iter"] == reference["n_iter"], step
        assert list(mine) == list(reference)


def test_state_dict_layout_matches_torch():
    ours, theirs, opt_ours, opt_theirs, rng = _pair("SGD", {"lr": 0.1, "momentum": 0.9})
    extra_ours = bt.nn.Parameter(bt.ones(2))
    extra_theirs = torch.nn.Parameter(torch.ones(2))
    opt_ours.add_param_group({"params": extra_ours, "lr": 0.01})
    opt_theirs.add_param_group({"params": extra_theirs, "lr": 0.01})
    for p, q in zip([*ours, extra_ours], [*theirs, extra_theirs]):
        g = rng.standard_normal(tuple(q.shape)).astype(np.float32)
        p.grad, q.grad = bt.tensor(g), torch.tensor(g)
    opt_ours.step()
    opt_theirs.step()
    mine, reference = opt_ours.state_dict(), opt_theirs.state_dict()
    assert mine["param_groups"] == reference["param_groups"]
    assert {k: list(v) for k, v in mine["state"].items()} == {
        k: list(v) for k, v in reference["state"].items()
    }
    assert repr(opt_ours) == repr(opt_theirs)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda lib, ps: lib.optim.SGD(ps, lr=-1.0), ValueError),
        (lambda lib, ps: lib.optim.SGD(ps, lr=0.1, momentum=-0.5), ValueError),
        (lambda lib, ps: lib.optim.SGD(ps, lr=0.1, nesterov=True), ValueError),
        (lambda lib, ps: lib.optim.Adam(ps, betas=(1.0, 0.9)), ValueError),
        (lambda lib, ps: lib.optim.Adam(ps, betas=(0.9, -0.1)), ValueError),
        (lambda lib, ps: lib.optim.Adam(ps, eps=-1.0), ValueError),
        (lambda lib, ps: lib.optim.Adam(ps, betas=(0, 0.9)), ValueError),
        (lambda lib, ps: lib.optim.RMSprop(ps, alpha=-1.0), ValueError),
        (lambda lib, ps: lib.optim.Adagrad(ps, initial_accumulator_value=-1.0), ValueError),
        (lambda lib, ps: lib.optim.Adadelta(ps, rho=1.5), ValueError),
        (lambda lib, ps: lib.optim.NAdam(ps, momentum_decay=-1.0), ValueError),
        (lambda lib, ps: lib.optim.LBFGS([ps[0]], lr=-1.0), ValueError),
        (lambda lib, ps: lib.optim.SGD(ps[0], lr=0.1), TypeError),
        (lambda lib, ps: lib.optim.SGD([], lr=0.1), ValueError),
        (lambda lib, ps: lib.optim.SGD([{"params": set(ps)}], lr=0.1), TypeError),
        (lambda lib, ps: lib.optim.SGD([1.0], lr=0.1), TypeError),
        (lambda lib, ps: lib.optim.SGD([ps[0] * 2], lr=0.1), ValueError),
        (lambda lib, ps: lib.optim.SGD([{"params": ps[0]}, {"params": ps[0]}], lr=0.1), ValueError),
        (lambda lib, ps: lib.optim.LBFGS([{"params": ps[0]}, {"params": ps[1]}]), ValueError),
    ],
)
def test_construction_errors_match_torch(make, error):
    ours = [bt.nn.Parameter(bt.ones(2)), bt.nn.Parameter(bt.ones(1))]
    theirs = [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(1))]
    with pytest.raises(error) as expected:
        make(torch, theirs)
    message = str(expected.value).replace("torch.", "bridgetensor.")
    with pytest.raises(error) as got:
        make(bt, ours)
    assert str(got.value) == message
