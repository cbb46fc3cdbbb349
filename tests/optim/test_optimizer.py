"""Optimizer base behaviour: groups, state_dict round trips, closures, zero_grad, hooks."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor.optim.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)

from ..helpers import to_np

ALL = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam"]
OPTIONS = {"SGD": {"lr": 0.1, "momentum": 0.9}, "RMSprop": {"centered": True, "momentum": 0.5}}


def _params(seed=0):
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(s).astype(np.float32) for s in [(2, 3), (3,)]]
    return [bt.nn.Parameter(bt.tensor(v)) for v in values]


def _set_grads(params, seed):
    rng = np.random.default_rng(seed)
    for p in params:
        p.grad = bt.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32))


def _make(name, params):
    return getattr(bt.optim, name)(params, **OPTIONS.get(name, {"lr": 0.05}))


@pytest.mark.parametrize("name", ALL)
def test_state_dict_round_trip_continues_the_same_run(name):
    first, second = _params(), _params()
    opt_first = _make(name, first)
    for step in range(3):
        _set_grads(first, step)
        opt_first.step()
    opt_second = _make(name, second)
    for p, q in zip(first, second):
        q.data = p.detach().clone()
    opt_second.load_state_dict(copy.deepcopy(opt_first.state_dict()))
    for step in range(3, 6):
        _set_grads(first, step)
        _set_grads(second, step)
        opt_first.step()
        opt_second.step()
    for p, q in zip(first, second):
        np.testing.assert_array_equal(to_np(p), to_np(q))
    assert opt_second.state_dict()["param_groups"] == opt_first.state_dict()["param_groups"]


def test_state_dict_numbers_parameters_and_shares_state():
    params = _params()
    opt = bt.optim.Adam([{"params": [params[1]]}, {"params": [params[0]], "lr": 0.5}])
    _set_grads(params, 0)
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sd["state"][1] is opt.state[params[0]]
    assert sd["param_groups"][1]["lr"] == 0.5
    assert list(sd["state"][0]) == ["step", "exp_avg", "exp_avg_sq"]
    assert sd["state"][0]["step"].item() == 1.0
    assert sd["state"][0]["step"].dtype == bt.float32


def test_load_state_dict_casts_state_to_the_parameter_dtype():
    source = _params()
    opt = bt.optim.Adam(source)
    _set_grads(source, 0)
    opt.step()
    target = [bt.nn.Parameter(p.detach().double()) for p in source]
    other = bt.optim.Adam(target)
    other.load_state_dict(opt.state_dict())
    state = other.state[target[0]]
    assert state["exp_avg"].dtype == bt.float64
    assert state["step"].dtype == bt.float32  # the step count keeps its own dtype


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda sd: sd["param_groups"].append({"params": []}), "different number of parameter"),
        (lambda sd: sd["param_groups"][0]["params"].pop(), "doesn't match the size"),
    ],
)
def test_load_state_dict_refuses_other_layouts(change, message):
    params = _params()
    opt = bt.optim.SGD(params, lr=0.1)
    sd = copy.deepcopy(opt.state_dict())
    change(sd)
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(sd)


def test_parameter_groups_take_defaults_and_their_own_values():
    params = _params()
    opt = bt.optim.SGD([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0
    extra = bt.nn.Parameter(bt.ones(2))
    opt.add_param_group({"params": extra, "momentum": 0.9})
    assert opt.param_groups[2]["params"] == [extra]
    assert opt.param_groups[2]["lr"] == 0.1


def test_named_parameters_give_param_names():
    model = bt.nn.Sequential(bt.nn.ReLU())
    model.weight = bt.nn.Parameter(bt.ones(2))
    opt = bt.optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight"]
    with pytest.raises(ValueError, match="cannot add param group without names"):
        opt.add_param_group({"params": [bt.nn.Parameter(bt.ones(1))]})


class _Required(bt.optim.Optimizer):
    def __init__(self, params):
        super().__init__(params, {"lr": bt.optim.optimizer.required})

    def step(self, closure=None):
        return None


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: bt.optim.SGD(p[0]), TypeError, "should be an iterable of Tensors or dicts"),
        (lambda p: bt.optim.SGD([]), ValueError, "optimizer got an empty parameter list"),
        (lambda p: bt.optim.SGD([{"params": set(p)}]), TypeError, "ordered collections"),
        (lambda p: bt.optim.SGD(["w"]), TypeError, "can only optimize Tensors, but one .* str"),
        (lambda p: bt.optim.SGD([p[0] + 1]), ValueError, "can't optimize a non-leaf Tensor"),
        (
            lambda p: bt.optim.SGD([{"params": p}, {"params": p[:1]}]),
            ValueError,
            "appear in more than one parameter group",
        ),
        (lambda p: _Required(p), ValueError, "didn't specify a value of required .* lr"),
        (
            lambda p: bt.optim.SGD([("a", p[0]), p[1]]),
            ValueError,
            "Some param names are missing",
        ),
        (lambda p: bt.optim.SGD(p).add_param_group([p[0]]), TypeError, "must be a dict"),
        (lambda p: bt.optim.SGD(p, lr=-0.1), ValueError, "Invalid learning rate: -0.1"),
        (lambda p: bt.optim.SGD(p, lr=bt.ones(2)), ValueError, "Tensor lr must be 1-element"),
        (lambda p: bt.optim.Adam(p, betas=(0.9, 1.0)), ValueError, "beta parameter at index 1"),
        (lambda p: bt.optim.SGD(p, fused=True, foreach=True), RuntimeError, "cannot be `True`"),
    ],
)
def test_construction_errors(make, error, message):
    with pytest.raises(error, match=message):
        make(_params())


def test_duplicate_parameters_in_a_group_warn():
    p = _params()[0]
    with pytest.warns(UserWarning, match="duplicate parameters"):
        bt.optim.SGD([p, p], lr=0.1)


def test_parameters_without_gradients_are_left_alone():
    params = _params()
    before = to_np(params[1]).copy()
    opt = bt.optim.Adam(params)
    params[0].grad = bt.ones(2, 3)
    opt.step()
    np.testing.assert_array_equal(to_np(params[1]), before)
    assert params[1] not in opt.state


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss():
    w = bt.nn.Parameter(bt.tensor([2.0]))
    opt = bt.optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with bt.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0
    assert w.item() == 1.0  # 2 - 0.25 * 4


def test_zero_grad_to_none_or_to_zeros():
    params = _params()
    opt = bt.optim.SGD(params, lr=0.1)
    _set_grads(params, 0)
    grad = params[0].grad
    opt.zero_grad(set_to_none=False)
    assert params[0].grad is grad
    np.testing.assert_array_equal(to_np(grad), np.zeros((2, 3), np.float32))
    opt.zero_grad()
    assert params[0].grad is None and params[1].grad is None


def test_step_updates_in_place_and_bumps_the_version():
    w = bt.nn.Parameter(bt.tensor([1.0, 2.0]))
    data = w._data
    y = w * w  # saves w for backward
    opt = bt.optim.SGD([w], lr=0.1)
    w.grad = bt.ones(2)
    opt.step()
    assert w._data is data
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_step_hooks_run_around_the_step_and_can_be_removed():
    params = _params()
    opt = bt.optim.SGD(params, lr=0.1)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o, args)))
    post = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", o)))
    glob = register_optimizer_step_pre_hook(lambda o, args, kwargs: calls.append("global"))
    opt.step()
    assert calls == ["global", ("pre", opt, (opt,)), ("post", opt)]
    for handle in (pre, post, glob):
        handle.remove()
    opt.step()
    assert len(calls) == 3
    with register_optimizer_step_post_hook(lambda o, a, k: calls.append("global post")):
        opt.step()
    assert calls[-1] == "global post"


def test_a_pre_hook_returning_something_odd_is_refused():
    opt = bt.optim.SGD(_params(), lr=0.1)
    opt.register_step_pre_hook(lambda o, args, kwargs: 3)
    with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args"):
        opt.step()


def test_state_dict_hooks():
    opt = bt.optim.SGD(_params(), lr=0.1)
    seen = []
    opt.register_state_dict_pre_hook(lambda o: seen.append("pre"))
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    opt.register_load_state_dict_pre_hook(lambda o, sd: seen.append("load pre"))
    opt.register_load_state_dict_post_hook(lambda o: seen.append("load post"))
    sd = opt.state_dict()
    assert sd["extra"] == 1
    opt.load_state_dict(sd)
    assert seen == ["pre", "load pre", "load post"]


def test_optimizer_survives_deepcopy():
    params = _params()
    opt = bt.optim.Adam(params)
    _set_grads(params, 0)
    opt.step()
    clone = copy.deepcopy(opt)
    assert clone.state_dict()["param_groups"] == opt.state_dict()["param_groups"]
    assert type(clone.state[clone.param_groups[0]["params"][0]]["exp_avg"]) is bt.Tensor


def test_tensor_learning_rate_is_read_as_a_number():
    params = _params()
    opt = bt.optim.SGD(params, lr=bt.tensor(0.5))
    params[0].grad = bt.ones(2, 3)
    before = to_np(params[0]).copy()
    opt.step()
    np.testing.assert_allclose(to_np(params[0]), before - 0.5)


def test_lbfgs_needs_one_group_and_returns_the_first_loss():
    w = bt.nn.Parameter(bt.tensor([3.0, -1.0]))
    opt = bt.optim.LBFGS([w], history_size=5, max_iter=50)
    losses = []

    def closure():
        opt.zero_grad()
        d = w - 1.0
        loss = (d * d).sum()
        loss.backward()
        losses.append(loss.item())
        return loss

    first = opt.step(closure)
    assert first.item() == losses[0] == 8.0
    np.testing.assert_allclose(to_np(w), [1.0, 1.0], atol=1e-5)
    assert opt.state[w]["n_iter"] >= 1
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        w.data = bt.tensor([5.0, 5.0])
        bt.optim.LBFGS([w], line_search_fn="wolfe").step(closure)


def test_learning_with_every_optimizer_reduces_a_quadratic():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ALL:
            w = bt.nn.Parameter(bt.tensor([2.0, -3.0]))
            opt = getattr(bt.optim, name)([w], lr=0.1)
            for _ in range(30):
                opt.zero_grad()
                loss = (w * w).sum()
                loss.backward()
                opt.step()
            assert (w * w).sum().item() < 13.0, name


@pytest.mark.parametrize("name", ["Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam"])
def test_complex_parameters_are_refused_where_torch_uses_real_views(name):
    w = bt.nn.Parameter(bt.tensor([1.0 + 2.0j]))
    w.grad = bt.tensor([1.0 + 0.0j])
    with pytest.raises(NotImplementedError, match=f"{name}: complex parameters"):
        getattr(bt.optim, name)([w]).step()


def test_sgd_steps_complex_parameters():
    w = bt.nn.Parameter(bt.tensor([1.0 + 2.0j]))
    w.grad = bt.tensor([2.0 - 2.0j])
    bt.optim.SGD([w], lr=0.5).step()
    assert w.tolist() == [0.0 + 3.0j]


def test_hooks_run_once_when_a_subclass_step_calls_super():
    class Clipped(bt.optim.SGD):
        def step(self, closure=None):
            bt.nn.utils.clip_grad_value_(self.param_groups[0]["params"], 0.5)
            return super().step(closure)

    w = bt.nn.Parameter(bt.tensor([1.0]))
    opt = Clipped([w], lr=1.0)
    calls = []
    opt.register_step_pre_hook(lambda o, a, k: calls.append("pre"))
    w.grad = bt.tensor([3.0])
    opt.step()
    assert calls == ["pre"]
    assert w.item() == 0.5
