"""The backward engine: accumulation, retained graphs, depth, cycles, hooks, errors."""

from __future__ import annotations

import gc
import weakref

import pytest

import bridgetensor as bt
from bridgetensor import autograd

from .helpers import type_name


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [3.0 + 2.0, 3.0 + 4.0]


def test_accumulation_keeps_the_grad_object():
    x = leaf([1.0])
    (x * 2.0).sum().backward()
    first = x.grad
    (x * 2.0).sum().backward()
    assert x.grad is first and first.tolist() == [4.0]


def test_shared_gradient_is_not_aliased_between_leaves():
    a, b = leaf([1.0]), leaf([2.0])
    (a + b).sum().backward()
    a.grad.mul_(10.0)
    assert b.grad.tolist() == [1.0]


def test_second_backward_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_graph_without_saved_arrays_can_be_walked_twice():
    x = leaf([1.0])
    y = (x + 1.0).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2.0]


def test_backward_of_non_scalar_needs_gradient():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (x * 2.0).backward()
    (x * 2.0).backward(gradient=bt.tensor([1.0, 10.0], dtype=bt.float64))
    assert x.grad.tolist() == [2.0, 20.0]


def test_backward_of_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        bt.ones(1).sum().backward()


def test_a_100000_op_chain_does_not_recurse():
    x = leaf([1.0])
    y = x
    for _ in range(100_000):
        y = y + 0.0
    y.sum().backward()
    assert x.grad.tolist() == [1.0]


def test_graph_is_freed_without_cycles():
    x = leaf([1.0, 2.0])
    y = (x * x).exp().sum()
    node = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert node() is None
    finally:
        gc.enable()


def test_broadcast_gradients_are_summed_to_input_shape():
    x = leaf([[1.0], [2.0]])
    y = leaf([10.0, 20.0, 30.0])
    (x * y).sum().backward()
    assert x.grad.tolist() == [[60.0], [60.0]]
    assert y.grad.tolist() == [3.0, 3.0, 3.0]


def test_gradient_is_cast_to_input_dtype():
    x = bt.tensor([1.0, 2.0], requires_grad=True)
    w = bt.tensor(2.0, dtype=bt.float64, requires_grad=True)
    (x * w).sum().backward()
    assert x.grad.dtype is bt.float32
    assert w.grad.dtype is bt.float64 and w.grad.item() == 3.0


def test_autograd_grad_returns_and_does_not_accumulate():
    x = leaf([3.0])
    (g,) = autograd.grad((x * x).sum(), x)
    assert g.tolist() == [6.0] and x.grad is None


def test_autograd_grad_unused_input():
    x, z = leaf([1.0]), leaf([1.0])
    y = (x * 2.0).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = autograd.grad(y, [x, z], allow_unused=True)
    assert gx.tolist() == [2.0] and gz is None


def test_second_order_gradient():
    x = leaf([2.0])
    y = (x * x * x).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    assert g.tolist() == [12.0]
    (gg,) = autograd.grad(g.sum(), x)
    assert gg.tolist() == [12.0]


def test_second_order_through_saved_output():
    x = leaf([0.5])
    y = x.exp().sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    (gg,) = autograd.grad(g.sum(), x)
    assert gg.item() == pytest.approx(2.718281828459045**0.5)


def test_nonleaf_hook_and_retain_grad():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    h.retain_grad()
    h.register_hook(lambda g: g * 10.0)
    h.sum().backward()
    assert x.grad.tolist() == [20.0, 20.0]
    assert h.grad.tolist() == [10.0, 10.0]


def test_leaf_hook_changes_accumulated_grad():
    x = leaf([1.0])
    handle = x.register_hook(lambda g: g * 0.5)
    (x * 4.0).sum().backward()
    assert x.grad.tolist() == [2.0]
    handle.remove()
    (x * 4.0).sum().backward()
    assert x.grad.tolist() == [6.0]


def test_inplace_on_saved_tensor_is_detected():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = y.exp()
    y.add_(1.0)  # exp saved its output, not y: this one is fine
    z2 = y * y
    y.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z2.sum().backward()
    z.sum().backward()


def test_inplace_on_leaf_requiring_grad_raises():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.add_(1.0)
    with bt.no_grad():
        x.add_(1.0)
    assert x.tolist() == [2.0]


def test_inplace_result_type_check():
    x = bt.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        x.add_(1.5)
    assert x.tolist() == [1, 2]


def test_no_grad_records_nothing():
    x = leaf([1.0])
    with bt.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.grad_fn is None


def test_grad_fn_names_and_next_functions():
    x = leaf([1.0])
    y = x * 2.0 + 1.0
    assert type(y.grad_fn).__name__ == "AddBackward0"
    (mul, _), (nothing, _) = y.grad_fn.next_functions
    assert mul.name() == "MulBackward0" and nothing is None
    assert mul.next_functions[0][0].variable is x


# ---------------------------------------------------------------- torch's error messages

HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with bridgetensor.autograd.set_detect_anomaly(True, check_nan=False)."
)


def _version_message(what: str) -> str:
    return (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: {what} is at version 1; expected version 0 instead. {HINT}"
    )


def test_version_error_names_the_saved_non_leaf_and_its_current_producer():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = y * y
    y.add_(1.0)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    assert str(info.value) == _version_message(
        f"[{type_name('DoubleTensor')} [2]], which is output 0 of Add,"
    )


def test_version_error_for_a_saved_constant():
    c = bt.ones(3, 2, dtype=bt.float64)
    w = leaf([1.0, 2.0])
    z = c * w
    c.add_(1.0)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    assert str(info.value) == _version_message(f"[{type_name('DoubleTensor')} [3, 2]]")


def test_version_error_for_a_saved_output():
    x = leaf([1.0, 2.0, 3.0])
    y = x.exp()
    y.mul_(2.0)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value) == _version_message(
        f"[{type_name('DoubleTensor')} [3]], which is output 0 of Exp,"
    )


def test_version_error_for_a_0d_tensor():
    c = bt.tensor(2.0)
    w = bt.ones(2, requires_grad=True)
    z = c * w
    c.add_(1.0)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    assert str(info.value) == _version_message(f"[{type_name('FloatTensor')} []]")


def test_second_backward_message():
    x = leaf([1.0])
    y = x.exp().sum()
    y.backward()
    with pytest.raises(RuntimeError) as info:
        y.backward()
    assert str(info.value).startswith(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed)."
    )


def test_inplace_on_leaf_message():
    x = leaf([1.0])
    with pytest.raises(RuntimeError) as info:
        x.mul_(2.0)
    assert str(info.value) == (
        "a leaf Variable that requires grad is being used in an in-place operation."
    )


# ---------------------------------------------------------------- memory and order


def test_saved_tensors_are_freed_as_the_walk_goes():
    x = leaf([1.0, 2.0])
    h = x.exp()
    z = (h * h).sum()  # the multiplication saves h itself
    alive = weakref.ref(h)
    seen = []
    h.grad_fn.register_prehook(lambda grads: seen.append(alive() is None))
    del h
    gc.disable()
    try:
        z.backward()
    finally:
        gc.enable()
    assert seen == [True]  # freed before the next node ran, not at the end


def test_saved_output_arrays_are_freed_after_backward_unless_retained():
    for retain in (False, True):
        x = leaf([1.0, 2.0])
        y = x.exp()
        array = weakref.ref(y._data)
        z = y.sum()
        del y
        gc.disable()
        try:
            z.backward(retain_graph=retain)
            assert (array() is None) is (not retain)
        finally:
            gc.enable()


def test_retain_graph_keeps_saved_tensors():
    x = leaf([1.0, 2.0])
    h = x.exp()
    z = (h * h).sum()
    alive = weakref.ref(h)
    del h
    z.backward(retain_graph=True)
    assert alive() is not None
    z.backward()
    assert alive() is None


def test_node_holds_no_strong_reference_to_its_output():
    x = leaf([1.0, 2.0])
    y = x.exp()
    node = y.grad_fn
    alive = weakref.ref(y)
    gc.disable()
    try:
        del y
        assert alive() is None
    finally:
        gc.enable()
    assert node.name() == "ExpBackward0"


def test_whole_graph_is_freed_without_the_garbage_collector():
    x = leaf([1.0, 2.0])
    gc.disable()
    try:
        a = x * 2.0
        b = a.exp() * a
        c = (b / (a + 1.0)).tanh().sum()
        nodes = [weakref.ref(n) for n in (a.grad_fn, b.grad_fn, c.grad_fn)]
        c.backward(retain_graph=True)
        del a, b, c
        assert all(n() is None for n in nodes)
    finally:
        gc.enable()


def test_backward_order_is_reverse_creation_order_and_deterministic():
    def run():
        x = leaf([1.0, 2.0])
        a = x * 2.0
        b = x * 3.0
        c = a * b
        d = c + a
        nodes = {a.grad_fn: "a", b.grad_fn: "b", c.grad_fn: "c", d.grad_fn: "d"}
        order = []
        for node, name in nodes.items():
            node.register_prehook(lambda grads, name=name: order.append(name))
        d.sum().backward()
        return order

    assert run() == run() == ["d", "c", "b", "a"]
