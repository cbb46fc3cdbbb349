"""Learning-rate schedulers against torch.optim.lr_scheduler: the same rates (exactly),
momenta and state dicts over many steps, for two parameter groups."""

from __future__ import annotations

import math
import warnings

import pytest

import bridgetensor as bt

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _optimizer(lib, kind: str):
    params = [lib.nn.Parameter(lib.ones(1)), lib.nn.Parameter(lib.ones(1))]
    groups = [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.05}]
    if kind == "adam":
        return lib.optim.Adam(groups, lr=0.1)
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


def _half(epoch):
    return 0.5 ** (epoch // 3)


SCHEDULERS = {
    "LambdaLR": lambda s, o: s.LambdaLR(o, _half),
    "LambdaLR-list": lambda s, o: s.LambdaLR(o, [_half, lambda e: 1.0 / (1 + e)]),
    "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda s, o: s.StepLR(o, step_size=7, gamma=0.3),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.5),
    "ConstantLR": lambda s, o: s.ConstantLR(o, factor=0.25, total_iters=9),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=17),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.93),
    "PolynomialLR": lambda s, o: s.PolynomialLR(o, total_iters=25, power=2.5),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=11, eta_min=0.001),
    "CosineAnnealingWarmRestarts": lambda s, o: s.CosineAnnealingWarmRestarts(o, 5, 2, 1e-4),
    "CyclicLR-triangular": lambda s, o: s.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=6),
    "CyclicLR-triangular2": lambda s, o: s.CyclicLR(
        o, 0.01, 0.1, step_size_up=4, step_size_down=7, mode="triangular2"
    ),
    "CyclicLR-exp_range": lambda s, o: s.CyclicLR(
        o, [0.01, 0.02], 0.1, step_size_up=5, mode="exp_range", gamma=0.97, cycle_momentum=False
    ),
    "CyclicLR-scale_fn": lambda s, o: s.CyclicLR(
        o, 0.01, 0.1, step_size_up=3, scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations"
    ),
    "OneCycleLR-cos": lambda s, o: s.OneCycleLR(o, max_lr=[0.3, 0.2], total_steps=60),
    "OneCycleLR-linear": lambda s, o: s.OneCycleLR(
        o, 0.3, epochs=6, steps_per_epoch=10, anneal_strategy="linear", pct_start=0.25
    ),
    "OneCycleLR-three_phase": lambda s, o: s.OneCycleLR(
        o, 0.3, total_steps=60, three_phase=True, div_factor=10.0, base_momentum=0.8
    ),
    "SequentialLR": lambda s, o: s.SequentialLR(
        o,
        [s.LinearLR(o, 0.2, total_iters=8), s.ExponentialLR(o, 0.9), s.StepLR(o, 3)],
        milestones=[8, 20],
    ),
    "ChainedScheduler": lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, 0.5, total_iters=5), s.ExponentialLR(o, 0.95), s.MultiStepLR(o, [9])]
    ),
}
CYCLING = {"CyclicLR-triangular", "CyclicLR-triangular2", "CyclicLR-scale_fn"}
STEPS = 59


def _momenta(opt):
    return [(g.get("momentum"), g.get("betas")) for g in opt.param_groups]


def _plain(state):
    """A state dict without what cannot compare across libraries (functions)."""
    return {k: v for k, v in state.items() if not callable(v)}


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_rates_match_torch(name, kind):
    make = SCHEDULERS[name]
    opt_ours, opt_theirs = _optimizer(bt, kind), _optimizer(torch, kind)
    ours = make(bt.optim.lr_scheduler, opt_ours)
    theirs = make(torch.optim.lr_scheduler, opt_theirs)
    assert ours.get_last_lr() == theirs.get_last_lr()
    for step in range(STEPS):
        opt_ours.step()
        opt_theirs.step()
        ours.step()
        theirs.step()
        assert ours.get_last_lr() == theirs.get_last_lr(), step
        assert [g["lr"] for g in opt_ours.param_groups] == [
            g["lr"] for g in opt_theirs.param_groups
        ], step
        assert _momenta(opt_ours) == _momenta(opt_theirs), step
        assert getattr(ours, "last_epoch", None) == getattr(theirs, "last_epoch", None)
    assert _plain(ours.state_dict()) == _plain(theirs.state_dict())
    assert sorted(opt_ours.param_groups[0]) == sorted(opt_theirs.param_groups[0])


@pytest.mark.parametrize("metric_kind", ["min-rel", "max-abs"])
def test_reduce_on_plateau_matches_torch(metric_kind):
    mode, threshold_mode = metric_kind.split("-")
    metrics = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.89999, 0.7, 0.71, 0.72, 0.73, 0.74] * 4
    if mode == "max":
        metrics = [-m for m in metrics]
    options = {
        "mode": mode,
        "threshold_mode": threshold_mode,
        "patience": 2,
        "cooldown": 1,
        "factor": 0.5,
        "min_lr": [0.01, 0.02],
        "threshold": 0.01,
    }
    opt_ours, opt_theirs = _optimizer(bt, "sgd"), _optimizer(torch, "sgd")
    ours = bt.optim.lr_scheduler.ReduceLROnPlateau(opt_ours, **options)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(opt_theirs, **options)
    for step, metric in enumerate(metrics):
        ours.step(bt.tensor(metric))  # float32 metrics, as float() reads them
        theirs.step(torch.tensor(metric))
        assert ours.get_last_lr() == theirs.get_last_lr(), step
        assert ours.state_dict() == theirs.state_dict(), step


CLOSED_FORMS = [
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "LambdaLR",
]


@pytest.mark.parametrize("name", CLOSED_FORMS)
def test_step_with_epoch_uses_the_closed_form_as_torch(name):
    make = SCHEDULERS[name]
    opt_ours, opt_theirs = _optimizer(bt, "sgd"), _optimizer(torch, "sgd")
    ours = make(bt.optim.lr_scheduler, opt_ours)
    theirs = make(torch.optim.lr_scheduler, opt_theirs)
    opt_ours.step()
    opt_theirs.step()
    for epoch in (3, 10, 4, 31, 0, 17):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ours.step(epoch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs.step(epoch)
        assert any("epoch parameter" in str(w.message) for w in caught)
        assert ours.get_last_lr() == theirs.get_last_lr(), epoch


def test_warm_restarts_take_fractional_epochs_as_torch():
    opt_ours, opt_theirs = _optimizer(bt, "sgd"), _optimizer(torch, "sgd")
    ours = bt.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt_ours, T_0=4, T_mult=3)
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt_theirs, T_0=4, T_mult=3)
    for epoch in (0.5, 1.25, 3.99, 4.0, 7.3, 16.0, 20.7, 2.0, 55.5):
        ours.step(epoch)
        theirs.step(epoch)
        assert ours.get_last_lr() == theirs.get_last_lr(), epoch
        assert math.isclose(ours.T_cur, theirs.T_cur) and ours.T_i == theirs.T_i


def test_resuming_with_last_epoch_matches_torch():
    rates = []
    for lib in (bt, torch):
        opt = _optimizer(lib, "sgd")
        for group in opt.param_groups:
            group["initial_lr"] = group["lr"]
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=4)
        opt.step()
        sched.step()
        rates.append(sched.get_last_lr())
    assert rates[0] == rates[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda s, o: s.ConstantLR(o, factor=1.5),
        lambda s, o: s.LinearLR(o, start_factor=0.0),
        lambda s, o: s.LinearLR(o, end_factor=2.0),
        lambda s, o: s.LambdaLR(o, [_half]),
        lambda s, o: s.MultiplicativeLR(o, 0.5),
        lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=0),
        lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
        lambda s, o: s.CyclicLR(o, 0.1, 1.0, mode="bad"),
        lambda s, o: s.CyclicLR(o, [0.1], 1.0),
        lambda s, o: s.OneCycleLR(o, 0.1),
        lambda s, o: s.OneCycleLR(o, 0.1, total_steps=0),
        lambda s, o: s.OneCycleLR(o, 0.1, total_steps=10, pct_start=1.5),
        lambda s, o: s.OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="cubic"),
        lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
        lambda s, o: s.ReduceLROnPlateau(o, mode="middle"),
        lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="both"),
        lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1]),
        lambda s, o: s.SequentialLR(o, [], []),
        lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], [3]),
        lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2), s.ReduceLROnPlateau(o)], [3]),
        lambda s, o: s.ChainedScheduler([]),
        lambda s, o: s.StepLR(None, 3),
        lambda s, o: s.StepLR(o, 3, last_epoch=5),
    ],
)
def test_errors_match_torch(make):
    opt_theirs = _optimizer(torch, "adam")
    with pytest.raises(Exception) as expected:
        make(torch.optim.lr_scheduler, opt_theirs)
    opt_ours = _optimizer(bt, "adam")
    with pytest.raises(expected.type) as got:
        make(bt.optim.lr_scheduler, opt_ours)
    assert str(got.value) == str(expected.value)


def test_one_cycle_past_its_end_raises_as_torch():
    messages = []
    for lib in (bt, torch):
        opt = _optimizer(lib, "sgd")
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=2)
        opt.step()
        sched.step()
        sched.step()
        with pytest.raises(ValueError) as error:
            sched.step()
        messages.append(str(error.value))
    assert messages[0] == messages[1]
