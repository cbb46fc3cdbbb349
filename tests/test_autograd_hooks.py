"""Tensor hooks, post-accumulate hooks, Node hooks, grad_fn names and next_functions."""

from __future__ import annotations

import pytest

import bridgetensor as bt
from bridgetensor import autograd


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


def test_leaf_hooks_run_in_order_and_chain():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(("first", g.tolist())) or g * 2.0)
    x.register_hook(lambda g: seen.append(("second", g.tolist())))  # None keeps the grad
    (x * 3.0).sum().backward()
    assert seen == [("first", [3.0, 3.0]), ("second", [6.0, 6.0])]
    assert x.grad.tolist() == [6.0, 6.0]


def test_hook_handles_remove_and_work_as_context_managers():
    x = leaf([1.0])
    handle = x.register_hook(lambda g: g * 10.0)
    handle.remove()
    handle.remove()  # twice is harmless
    (x * 1.0).sum().backward()
    assert x.grad.tolist() == [1.0]
    y = x * 1.0
    with y.register_hook(lambda g: g * 10.0):
        pass
    y.sum().backward()
    assert x.grad.tolist() == [2.0]


def test_non_leaf_hook_changes_what_flows_on():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()) or g + 1.0)
    (y * y).sum().backward()
    assert seen == [[4.0, 8.0]]
    assert x.grad.tolist() == [10.0, 18.0]


def test_leaf_hooks_also_run_in_autograd_grad():
    x = leaf([1.0])
    x.register_hook(lambda g: g * 10.0)
    (g,) = autograd.grad((x * 2.0).sum(), x)
    assert g.tolist() == [20.0] and x.grad is None


def test_hook_errors():
    with pytest.raises(RuntimeError, match=r"^cannot register a hook on a tensor that doesn't"):
        bt.ones(1).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match=r"^post accumulate grad hooks cannot be registered on"):
        (leaf([1.0]) * 2.0).register_post_accumulate_grad_hook(lambda t: None)


def test_post_accumulate_grad_hook():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_post_accumulate_grad_hook(lambda t: seen.append((t is x, t.grad.tolist())))
    (x * 2.0).sum().backward()
    (x * 2.0).sum().backward()
    assert seen == [(True, [2.0, 2.0]), (True, [4.0, 4.0])]
    autograd.grad((x * 2.0).sum(), x)  # grad() accumulates nothing, so no call
    handle.remove()
    (x * 2.0).sum().backward()
    assert len(seen) == 2


def test_node_hooks_see_and_replace_gradients():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = x * w
    seen = []

    def pre(grad_outputs):
        seen.append(("pre", [g.tolist() for g in grad_outputs]))
        return (grad_outputs[0] * 2.0,)

    def post(grad_inputs, grad_outputs):
        seen.append(("post", [g.tolist() for g in grad_inputs], grad_outputs[0].tolist()))
        return (grad_inputs[0], grad_inputs[1] * 0.0)

    y.grad_fn.register_prehook(pre)
    handle = y.grad_fn.register_hook(post)
    y.sum().backward(retain_graph=True)
    assert seen == [
        ("pre", [[1.0, 1.0]]),
        ("post", [[6.0, 8.0], [2.0, 4.0]], [2.0, 2.0]),
    ]
    assert x.grad.tolist() == [6.0, 8.0] and w.grad.tolist() == [0.0, 0.0]
    handle.remove()
    y.sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_hook_order_tensor_then_retain_then_node_hooks():
    x = leaf([1.0, 2.0])
    y = x * 3.0
    log = []
    y.retain_grad()  # registered first, still sees the hooks' result (as torch)
    y.register_hook(lambda g: log.append("tensor") or g * 2.0)
    y.grad_fn.register_prehook(lambda go: log.append("pre"))
    y.grad_fn.register_hook(lambda gi, go: log.append("post"))
    x.register_hook(lambda g: log.append("leaf"))
    x.register_post_accumulate_grad_hook(lambda t: log.append("accumulated"))
    y.sum().backward()
    assert log == ["tensor", "pre", "post", "leaf", "accumulated"]
    assert y.grad.tolist() == [2.0, 2.0] and x.grad.tolist() == [6.0, 6.0]


def test_grad_fn_names():
    x = leaf([[1.0, 2.0]])
    cases = {
        "AddBackward0": x + 1.0,
        "SubBackward0": x - 1.0,
        "MulBackward0": x * 2.0,
        "DivBackward0": x / 2.0,
        "ExpBackward0": x.exp(),
        "LogBackward0": x.log(),
        "TanhBackward0": x.tanh(),
        "SumBackward0": x.sum(),
        "MmBackward0": x.mm(bt.ones(2, 1, dtype=bt.float64)),
    }
    for name, y in cases.items():
        assert y.grad_fn.name() == name and type(y.grad_fn).__name__ == name
        assert repr(y.grad_fn).startswith(f"<{name} object at 0x")
        assert isinstance(y.grad_fn, autograd.graph.Node)


def test_next_functions_and_accumulate_grad():
    x = leaf([1.0])
    c = bt.tensor([2.0], dtype=bt.float64)
    y = x * c
    z = y + x
    (mul, mul_nr), (acc, acc_nr) = z.grad_fn.next_functions
    assert mul is y.grad_fn and mul_nr == 0 and acc_nr == 0
    assert acc.name() == "torch::autograd::AccumulateGrad" and acc.variable is x
    assert acc.next_functions == ()
    assert mul.next_functions[1] == (None, 0)  # the constant needs no gradient
    assert x.grad_fn is None and c.grad_fn is None


def test_node_metadata_is_a_dict():
    y = leaf([1.0]) * 2.0
    y.grad_fn.metadata["tag"] = 1
    assert y.grad_fn.metadata == {"tag": 1}
