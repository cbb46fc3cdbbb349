"""The autograd API: backward/grad arguments, grad modes, detach, retain_grad, hooks, errors."""

from __future__ import annotations

import threading

import pytest

import bridgetensor as bt
from bridgetensor import autograd
from tests.conftest import numpy_only
from tests.helpers import to_np


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


def f64(values):
    return bt.tensor(values, dtype=bt.float64)


# ---------------------------------------------------------------- backward


def test_backward_with_gradient_argument():
    x = leaf([1.0, 2.0])
    (x * x).backward(gradient=f64([1.0, 10.0]))
    assert x.grad.tolist() == [2.0, 40.0]


def test_backward_gradient_shape_mismatch():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError) as info:
        (x * 2.0).sum().backward(f64([1.0, 1.0]))
    assert str(info.value) == (
        "Mismatch in shape: grad_output[0] has a shape of bridgetensor.Size([2]) and "
        "output[0] has a shape of bridgetensor.Size([])."
    )


def test_backward_gradient_count_mismatch():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=r"^got 2 tensors and 1 gradients$"):
        autograd.backward([x.sum(), (x * 2.0).sum()], [f64(1.0)])


def test_backward_complex_gradient_for_real_output():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="both grad_output and output are required to have"):
        x.sum().backward(bt.tensor(1j))


def test_backward_of_several_outputs_with_none_gradients():
    x = leaf([1.0, 2.0])
    autograd.backward([(x * 2.0).sum(), x * 3.0], [None, f64([1.0, 2.0])])
    assert x.grad.tolist() == [5.0, 8.0]


def test_backward_create_graph_keeps_grad_differentiable_and_warns():
    x = leaf([1.0, 2.0])
    with pytest.warns(UserWarning, match="create a reference cycle"):
        (x * x * x).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    (g,) = autograd.grad(x.grad.sum(), x)
    assert g.tolist() == [6.0, 12.0]


def test_backward_inputs_limits_the_leaves():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * w).sum().backward(inputs=[w])
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]
    (x * w).sum().backward(inputs=x)
    assert x.grad.tolist() == [3.0, 4.0]


def test_backward_inputs_non_leaf_accumulates_into_its_grad():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2.0
    z = (y * y).sum()
    calls = []
    y.grad_fn.register_prehook(lambda grads: calls.append("mul"))
    x_node_calls = []
    w = x * 1.0
    y2 = w * 2.0
    w.grad_fn.register_prehook(lambda grads: x_node_calls.append("below"))
    z.backward(inputs=[y], retain_graph=True)
    assert y.grad.tolist() == [4.0, 8.0, 12.0] and x.grad is None
    # as torch: y's own node runs (its hooks fire), nothing below it does
    assert calls == ["mul"]
    (y2 * y2).sum().backward(inputs=[y2])
    assert x_node_calls == [] and x.grad is None
    calls.clear()
    autograd.grad(z, y, retain_graph=True)
    assert calls == []  # autograd.grad only captures the gradient at y
    # as torch, y now retains its grad: grad() through y added to y.grad as well
    assert y.retains_grad and y.grad.tolist() == [8.0, 16.0, 24.0]
    z.backward(inputs=[y, x])
    assert y.grad.tolist() == [12.0, 24.0, 36.0]
    assert x.grad.tolist() == [8.0, 16.0, 24.0]


def test_backward_inputs_non_leaf_that_retains_grad_is_counted_once():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    y.retain_grad()
    (y * 3.0).sum().backward(inputs=[y])
    assert y.grad.tolist() == [3.0, 3.0]


def test_backward_inputs_errors():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=r"^`inputs` argument to `backward\(\)` cannot be empty"):
        (x * 2.0).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad"):
        (x * 2.0).sum().backward(inputs=[f64([1.0])])


def test_backward_on_a_leaf_itself():
    x = leaf([1.0, 2.0])
    x.backward(f64([3.0, 4.0]))
    assert x.grad.tolist() == [3.0, 4.0]


# ---------------------------------------------------------------- autograd.grad


def test_grad_with_grad_outputs_and_non_leaf_inputs():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    z = y.exp()
    gy, gx = autograd.grad(z, [y, x], grad_outputs=f64([1.0, 0.5]))
    assert to_np(gy).tolist() == pytest.approx([7.38905609893065, 54.598150033144236 * 0.5])
    assert to_np(gx).tolist() == pytest.approx((to_np(gy) * 2.0).tolist())
    assert x.grad is None
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert y.grad is None


def test_grad_of_a_tensor_with_respect_to_itself():
    x = leaf(2.0)
    assert autograd.grad(x, x)[0].item() == 1.0
    y = x * 3.0
    assert autograd.grad(y, y)[0].item() == 1.0


def test_grad_unused_input_message_names_its_index():
    x, u = leaf([1.0]), leaf([1.0])
    with pytest.raises(RuntimeError) as info:
        autograd.grad((x * 2.0).sum(), [x, u])
    assert str(info.value) == (
        "The differentiated Tensor at index 1 appears to not have been used in the graph. "
        "Set allow_unused=True if this is the desired behavior."
    )


def test_grad_materialize_grads():
    x, u = leaf([1.0]), leaf([1.0, 2.0])
    gx, gu = autograd.grad((x * 2.0).sum(), [x, u], materialize_grads=True)
    assert gx.tolist() == [2.0] and gu.tolist() == [0.0, 0.0] and gu.dtype is bt.float64
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        autograd.grad((x * 2.0).sum(), [x], allow_unused=False, materialize_grads=True)


def test_grad_argument_errors():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=r"^`inputs` argument to `grad\(\)` cannot be empty"):
        autograd.grad((x * 2.0).sum(), [])
    with pytest.raises(RuntimeError, match=r"^One of the differentiated Tensors does not require"):
        autograd.grad((x * 2.0).sum(), [f64([1.0])])
    with pytest.raises(RuntimeError, match=r"^grad can be implicitly created only for scalar"):
        autograd.grad(bt.cat([x, x]) * 2.0, x)


def test_grad_retain_graph_defaults_to_create_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    autograd.grad(y, x)
    with pytest.raises(RuntimeError, match="a second time"):
        autograd.grad(y, x)
    y = (x * x).sum()
    autograd.grad(y, x, create_graph=True)
    assert autograd.grad(y, x)[0].tolist() == [2.0, 4.0]


def test_higher_order_gradients():
    x = leaf([2.0])
    y = (x * x * x * x).sum()  # x^4
    (g1,) = autograd.grad(y, x, create_graph=True)
    (g2,) = autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = autograd.grad(g2.sum(), x, create_graph=True)
    (g4,) = autograd.grad(g3.sum(), x)
    assert [g1.item(), g2.item(), g3.item(), g4.item()] == [32.0, 48.0, 48.0, 24.0]


def test_grad_without_create_graph_returns_plain_tensors():
    x = leaf([1.0])
    (g,) = autograd.grad((x * x).sum(), x)
    assert not g.requires_grad and g.grad_fn is None


def test_grad_is_grads_batched():
    x = leaf([1.0, 2.0, 3.0])
    y = x * x
    (g,) = autograd.grad(y, x, bt.eye(3, dtype=bt.float64), is_grads_batched=True)
    assert to_np(g).tolist() == [[2.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 6.0]]


# ---------------------------------------------------------------- grad modes


def test_modes_as_context_managers():
    x = leaf([1.0])
    with bt.no_grad():
        assert not bt.is_grad_enabled()
        assert not (x * 2.0).requires_grad
        with bt.enable_grad():
            assert (x * 2.0).requires_grad
        with bt.set_grad_enabled(True):
            assert bt.is_grad_enabled()
    assert bt.is_grad_enabled()
    with bt.inference_mode():
        assert bt.is_inference_mode_enabled() and not bt.is_grad_enabled()
        with bt.inference_mode(False):
            assert not bt.is_inference_mode_enabled() and bt.is_grad_enabled()
    assert not bt.is_inference_mode_enabled()


def test_modes_restore_after_an_exception():
    with pytest.raises(ValueError), bt.no_grad():
        raise ValueError
    assert bt.is_grad_enabled()


@pytest.mark.parametrize(
    "make, inside",
    [
        (lambda: bt.no_grad(), False),
        (lambda: bt.no_grad, False),
        (lambda: bt.enable_grad(), True),
        (lambda: bt.enable_grad, True),
        (lambda: bt.inference_mode(), False),
        (lambda: bt.inference_mode, False),
        (lambda: bt.set_grad_enabled(False), False),
    ],
)
def test_modes_as_decorators(make, inside):
    decorator = make()  # set_grad_enabled(False) switches at once, and back when decorating

    @decorator
    def f(a, *, b):
        return bt.is_grad_enabled(), a + b

    assert bt.is_grad_enabled()
    with bt.set_grad_enabled(not inside):
        assert f(1, b=2) == (inside, 3)
        assert bt.is_grad_enabled() is (not inside)
    assert f.__name__ == "f"


def test_set_grad_enabled_as_a_plain_call():
    bt.set_grad_enabled(False)
    try:
        assert not bt.is_grad_enabled()
    finally:
        bt.set_grad_enabled(True)
    assert bt.is_grad_enabled()


def test_mode_decorators_on_generator_functions():
    @bt.no_grad()
    def gen():
        received = yield bt.is_grad_enabled()
        assert received == "hi"
        try:
            yield bt.is_grad_enabled()
        except KeyError:
            yield ("caught", bt.is_grad_enabled())
        return "done"

    g = gen()
    assert next(g) is False
    assert bt.is_grad_enabled()  # the caller's mode is untouched between steps
    assert g.send("hi") is False
    assert g.throw(KeyError()) == ("caught", False)
    with pytest.raises(StopIteration) as info:
        next(g)
    assert info.value.value == "done"

    @bt.enable_grad
    def counting():
        yield from range(3)

    with bt.no_grad():
        assert list(counting()) == [0, 1, 2]

    @bt.inference_mode()
    def closing():
        try:
            yield 1
        finally:
            closed.append(bt.is_inference_mode_enabled())

    closed = []
    c = closing()
    next(c)
    c.close()
    assert closed == [True] and not bt.is_inference_mode_enabled()


def test_mode_decorator_on_a_class_warns_and_wraps_construction():
    with pytest.warns(FutureWarning, match="Decorating classes is deprecated"):

        @bt.no_grad()
        class Model:
            def __init__(self):
                self.grad_mode = bt.is_grad_enabled()

    assert Model().grad_mode is False


def test_grad_mode_is_thread_local():
    seen = {}
    entered = threading.Event()
    checked = threading.Event()

    def worker():
        entered.wait()
        seen["worker_start"] = bt.is_grad_enabled()
        with bt.no_grad():
            seen["worker_inside"] = bt.is_grad_enabled()
            checked.set()
            seen["worker_node"] = (bt.ones(1, requires_grad=True) * 2.0).grad_fn

    thread = threading.Thread(target=worker)
    thread.start()
    with bt.no_grad():
        entered.set()
        checked.wait(5)
        seen["main_inside"] = bt.is_grad_enabled()
    thread.join(5)
    assert seen == {
        "worker_start": True,
        "worker_inside": False,
        "worker_node": None,
        "main_inside": False,
    }
    assert bt.is_grad_enabled()


# ---------------------------------------------------------------- detach and .data


def test_detach_is_a_leaf_without_grad_sharing_the_version_counter():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    d.add_(1.0)
    assert y._version == 1 and d._version == 1
    z = y * y
    d.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_data_is_untracked():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    data = y.data
    assert not data.requires_grad and data.is_leaf
    z = y * y
    data.add_(1.0)  # not seen by the version counter, as in torch
    assert y._version == 0 and data._version == 1
    z.sum().backward()


@numpy_only
def test_detach_and_data_share_memory():
    import numpy as np

    x = leaf([1.0, 2.0])
    assert np.shares_memory(x.detach().numpy(), x.data.numpy())
    x.data.mul_(2.0)
    assert x.tolist() == [2.0, 4.0]


def test_detach_in_place():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    assert y.detach_() is y
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf


def test_detach_in_place_on_a_view_raises():
    x = leaf([1.0, 2.0])
    view = (x * 2.0).reshape(2, 1)
    if view._base is None:
        pytest.skip("reshape made a copy on this backend")
    with pytest.raises(RuntimeError, match=r"^Can't detach views in-place. Use detach\(\) instead"):
        view.detach_()


def test_data_setter_swaps_the_data():
    x = leaf([1.0, 2.0])
    x.data = f64([5.0, 6.0])
    assert x.tolist() == [5.0, 6.0] and x.requires_grad


# ---------------------------------------------------------------- leaves and requires_grad


def test_is_leaf_and_requires_grad():
    x = leaf([1.0])
    c = f64([1.0])
    assert x.is_leaf and c.is_leaf and not c.requires_grad
    y = x * c
    assert not y.is_leaf and y.requires_grad
    with bt.no_grad():
        assert (x * c).is_leaf
    assert c.requires_grad_() is c and c.requires_grad
    c.requires_grad = False
    assert not c.requires_grad


def test_requires_grad_errors():
    y = leaf([1.0]) * 2.0
    with pytest.raises(RuntimeError, match=r"^you can only change requires_grad flags of leaf"):
        y.requires_grad_(False)
    assert y.requires_grad_(True) is y
    with pytest.raises(RuntimeError, match=r"^only Tensors of floating point dtype can require"):
        bt.tensor([1, 2]).requires_grad_()


def test_integer_results_do_not_require_grad():
    x = leaf([1.5])
    assert not (x > 1.0).requires_grad
    with pytest.raises(RuntimeError) as info:
        (x > 1.0).sum().backward()
    assert str(info.value) == (
        "element 0 of tensors does not require grad and does not have a grad_fn"
    )


# ---------------------------------------------------------------- retain_grad


def test_retain_grad():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    assert not y.retains_grad
    y.retain_grad()
    y.retain_grad()  # twice is once
    assert y.retains_grad
    (y * y).sum().backward()
    assert y.grad.tolist() == [4.0, 8.0]
    x.retain_grad()  # a leaf keeps its grad anyway
    assert not x.retains_grad
    with pytest.raises(RuntimeError, match=r"^can't retain_grad on Tensor that has requires_grad"):
        f64([1.0]).retain_grad()


def test_non_leaf_grad_is_none_without_retain_grad_and_warns():
    x = leaf([1.0])
    y = x * 2.0
    y.sum().backward()
    with pytest.warns(UserWarning, match="^The .grad attribute of a Tensor that is not a leaf"):
        assert y.grad is None
