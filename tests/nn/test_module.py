"""Module: registration, traversal, state_dict, modes, hooks and repr."""

from __future__ import annotations

import re

import pytest

import bridgetensor as bt
from bridgetensor import nn

from ..helpers import type_name


class Scale(nn.Module):
    def __init__(self, n: int = 3) -> None:
        super().__init__()
        self.weight = nn.Parameter(bt.ones(n))
        self.register_buffer("count", bt.zeros(1))
        self.register_buffer("scratch", bt.zeros(1), persistent=False)

    def forward(self, x):
        return x * self.weight


def model():
    return nn.Sequential(Scale(), nn.ReLU(), nn.Sequential(Scale(3)))


def test_registration_and_names():
    m = model()
    assert [n for n, _ in m.named_parameters()] == ["0.weight", "2.0.weight"]
    assert [n for n, _ in m.named_buffers()] == ["0.count", "0.scratch", "2.0.count", "2.0.scratch"]
    assert list(m.state_dict()) == ["0.weight", "0.count", "2.0.weight", "2.0.count"]
    assert [n for n, _ in m.named_modules()] == ["", "0", "1", "2", "2.0"]
    assert len(list(m.children())) == 3


def test_shared_parameters_are_listed_once():
    a = Scale()
    m = nn.Sequential(a, a)
    assert len(list(m.parameters())) == 1


def test_assigning_a_plain_tensor_to_a_parameter_name_raises():
    m = Scale()
    message = f"cannot assign '{type_name('FloatTensor')}' as parameter"
    with pytest.raises(TypeError, match=re.escape(message)):
        m.weight = bt.ones(2)
    m.weight = None
    assert m.weight is None and "weight" not in dict(m.named_parameters())


def test_missing_attribute_message():
    with pytest.raises(AttributeError, match="'Scale' object has no attribute 'nope'"):
        Scale().nope


def test_load_state_dict_round_trip():
    source, target = model(), model()
    with bt.no_grad():
        source[0].weight.mul_(3.0)
    result = target.load_state_dict(source.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert target[0].weight.tolist() == [3.0, 3.0, 3.0]


def test_strict_failure_loads_nothing():
    m = model()
    state = m.state_dict()
    state = {k: v * 5.0 for k, v in state.items() if k != "2.0.weight"}
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "2.0.weight"'):
        m.load_state_dict(state)
    assert m[0].weight.tolist() == [1.0, 1.0, 1.0]
    result = m.load_state_dict(state, strict=False)
    assert result.missing_keys == ["2.0.weight"] and m[0].weight.tolist() == [5.0, 5.0, 5.0]


def test_size_mismatch_message_and_no_partial_load():
    m = model()
    state = dict(m.state_dict())
    state["0.count"] = bt.full((1,), 7.0)
    state["2.0.weight"] = bt.ones(4)  # the model's is (3,)
    with pytest.raises(RuntimeError, match="size mismatch for 2.0.weight"):
        m.load_state_dict(state)
    assert m[0].count.tolist() == [0.0]


def test_train_eval_and_zero_grad():
    m = model()
    m.eval()
    assert not any(x.training for x in m.modules())
    m.train()
    assert all(x.training for x in m.modules())
    m(bt.ones(3)).sum().backward()
    assert m[2][0].weight.grad is not None
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_forward_hooks_run_and_can_replace_output():
    m = Scale()
    seen = []
    pre = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2.0,))
    post = m.register_forward_hook(lambda mod, args, out: seen.append(out) or out + 1.0)
    assert m(bt.ones(3)).tolist() == [3.0, 3.0, 3.0]
    assert seen[0].tolist() == [2.0, 2.0, 2.0]
    pre.remove()
    post.remove()
    assert m(bt.ones(3)).tolist() == [1.0, 1.0, 1.0]


def test_sequential_indexing_slicing_append():
    m = model()
    assert isinstance(m[1], nn.ReLU) and isinstance(m[-1], nn.Sequential)
    tail = m[1:]
    assert list(tail._modules) == ["1", "2"]
    m.append(nn.Identity())
    assert len(m) == 4
    del m[0]
    assert list(m._modules) == ["0", "1", "2"]


def test_module_apply_and_to_dtype():
    m = model()
    names = []
    m.apply(lambda mod: names.append(type(mod).__name__))
    assert names == ["Scale", "ReLU", "Scale", "Sequential", "Sequential"]
    weight = m[0].weight
    m.to(bt.float64)
    assert m[0].weight is weight and weight.dtype is bt.float64
    assert m[0].count.dtype is bt.float64


def test_parameter_list_and_dict():
    pl = nn.ParameterList([bt.ones(2), nn.Parameter(bt.zeros(1))])
    assert isinstance(pl[0], nn.Parameter) and len(pl) == 2
    assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
    pd = nn.ParameterDict({"a": bt.ones(2)})
    assert list(pd.state_dict()) == ["a"]


@pytest.mark.oracle
def test_reprs_match_torch():
    torch = pytest.importorskip("torch")
    pairs = [
        (
            nn.Sequential(nn.Identity(), nn.ReLU(), nn.Sequential(nn.ReLU(inplace=True))),
            torch.nn.Sequential(
                torch.nn.Identity(),
                torch.nn.ReLU(),
                torch.nn.Sequential(torch.nn.ReLU(inplace=True)),
            ),
        ),
        (
            nn.ModuleList([nn.ReLU(), nn.ReLU(), nn.ReLU(), nn.Identity()]),
            torch.nn.ModuleList(
                [torch.nn.ReLU(), torch.nn.ReLU(), torch.nn.ReLU(), torch.nn.Identity()]
            ),
        ),
        (nn.ModuleDict({"a": nn.ReLU()}), torch.nn.ModuleDict({"a": torch.nn.ReLU()})),
        (
            nn.ParameterList([bt.ones(2), bt.ones(2, 3, dtype=bt.float64)]),
            torch.nn.ParameterList([torch.ones(2), torch.ones(2, 3, dtype=torch.float64)]),
        ),
        (nn.ParameterDict({"a": bt.ones(2)}), torch.nn.ParameterDict({"a": torch.ones(2)})),
        (nn.Sequential(), torch.nn.Sequential()),
    ]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs).replace("torch.", "bridgetensor.")
