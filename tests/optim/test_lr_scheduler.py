"""Learning-rate schedulers without torch: closed-form sequences, warnings, state dicts."""

from __future__ import annotations

import math
import warnings

import pytest

import bridgetensor as bt

lr_scheduler = bt.optim.lr_scheduler


def _optimizer(lr=1.0, **options):
    return bt.optim.SGD([bt.nn.Parameter(bt.ones(1))], lr=lr, **options)


def _rates(sched, opt, steps):
    rates = [sched.get_last_lr()[0]]
    for _ in range(steps):
        opt.step()
        sched.step()
        rates.append(sched.get_last_lr()[0])
    return rates


def test_step_lr_follows_its_closed_form():
    opt = _optimizer(0.5)
    sched = lr_scheduler.StepLR(opt, step_size=3, gamma=0.1)
    expected = [0.5 * 0.1 ** (epoch // 3) for epoch in range(10)]
    for got, want in zip(_rates(sched, opt, 9), expected):
        assert math.isclose(got, want, rel_tol=1e-12)


def test_cosine_annealing_reaches_eta_min_and_comes_back():
    opt = _optimizer(1.0)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.2)
    rates = _rates(sched, opt, 8)
    closed = [0.2 + 0.8 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(9)]
    for got, want in zip(rates, closed):
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)


def test_one_cycle_starts_low_peaks_at_max_and_ends_lower_still():
    opt = _optimizer(momentum=0.9)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20, pct_start=0.25)
    rates = _rates(sched, opt, 19)
    assert math.isclose(rates[0], 1.0 / 25)
    assert max(rates) == pytest.approx(1.0)
    assert math.isclose(rates[-1], 1.0 / 25 / 1e4, rel_tol=1e-9)
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.95)


def test_cyclic_lr_cycles_momentum_inversely():
    opt = _optimizer(momentum=0.9)
    sched = lr_scheduler.CyclicLR(opt, 0.1, 1.0, step_size_up=2, base_momentum=0.8)
    momenta = []
    for _ in range(4):
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    assert momenta == pytest.approx([0.9, 0.85, 0.8, 0.85])
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        lr_scheduler.CyclicLR(bt.optim.Adagrad([bt.nn.Parameter(bt.ones(1))]), 0.1, 1.0)


def test_reduce_on_plateau_waits_for_patience():
    opt = _optimizer(1.0)
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for metric, rate in [(1.0, 1.0), (1.0, 1.0), (1.0, 0.5), (0.5, 0.5), (0.6, 0.5), (0.7, 0.25)]:
        sched.step(metric)
        assert sched.get_last_lr() == [rate]


def test_scheduler_before_optimizer_step_warns():
    opt = _optimizer()
    sched = lr_scheduler.ExponentialLR(opt, 0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()


def test_replaced_optimizer_step_warns():
    opt = _optimizer()
    sched = lr_scheduler.ExponentialLR(opt, 0.5)
    opt.step = lambda closure=None: None
    with pytest.warns(UserWarning, match="has been overridden"):
        sched.step()


def test_get_lr_outside_step_warns():
    sched = lr_scheduler.StepLR(_optimizer(), 2)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()


def test_state_dict_round_trip_continues_the_schedule():
    opt = _optimizer(momentum=0.9)
    sched = lr_scheduler.CyclicLR(opt, 0.1, 1.0, step_size_up=3, mode="triangular2")
    _rates(sched, opt, 4)
    saved = sched.state_dict()
    assert "optimizer" not in saved and "_scale_fn_ref" not in saved
    other_opt = _optimizer(momentum=0.9)
    other = lr_scheduler.CyclicLR(other_opt, 0.1, 1.0, step_size_up=3, mode="triangular2")
    other.load_state_dict(saved)
    other_opt.load_state_dict(opt.state_dict())
    assert _rates(other, other_opt, 6) == _rates(sched, opt, 6)


class _Decay:
    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate**epoch


def test_lambda_state_keeps_callable_objects_not_functions():
    opt = bt.optim.SGD(
        [{"params": [bt.nn.Parameter(bt.ones(1))]}, {"params": [bt.nn.Parameter(bt.ones(1))]}],
        lr=1.0,
    )
    sched = lr_scheduler.LambdaLR(opt, [_Decay(0.5), lambda epoch: 1.0])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"rate": 0.5}, None]
    state["lr_lambdas"][0]["rate"] = 0.25
    sched.load_state_dict(state)
    assert sched.lr_lambdas[0].rate == 0.25


def test_sequential_and_chained_compose():
    opt = _optimizer(1.0)
    sched = lr_scheduler.SequentialLR(
        opt, [lr_scheduler.ConstantLR(opt, 0.5, 2), lr_scheduler.ExponentialLR(opt, 0.5)], [2]
    )
    assert _rates(sched, opt, 4) == pytest.approx([0.5, 0.5, 1.0, 0.5, 0.25])
    opt = _optimizer(1.0)
    chained = lr_scheduler.ChainedScheduler(
        [lr_scheduler.ExponentialLR(opt, 0.5), lr_scheduler.StepLR(opt, 2, 0.1)]
    )
    assert _rates(chained, opt, 2) == pytest.approx([1.0, 0.5, 0.025])
    assert "_schedulers" in chained.state_dict()


def test_tensor_learning_rates_are_filled_in_place():
    lr = bt.tensor(1.0)
    opt = bt.optim.SGD([bt.nn.Parameter(bt.ones(1))], lr=lr)
    sched = lr_scheduler.ExponentialLR(opt, 0.5)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] is lr
    assert lr.item() == 0.5
    assert sched.get_last_lr()[0] is not lr


def test_errors():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([], 2)
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified"):
        lr_scheduler.StepLR(_optimizer(), 2, last_epoch=3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        lr_scheduler.ConstantLR(_optimizer(), factor=2.0)
    with pytest.raises(ValueError, match="Expected non-negative epoch"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(), 2).step(-1)
    opt = _optimizer()
    plateau = lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.0], patience=0)
    opt.add_param_group({"params": [bt.nn.Parameter(bt.ones(1))]})
    plateau.step(1.0)
    with pytest.raises(RuntimeError, match="number of param groups"):
        plateau.step(2.0)
