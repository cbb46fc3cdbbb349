"""Custom autograd.Function: forward/backward, ctx, saved tensors, marks, double backward."""

from __future__ import annotations

import gc
import weakref

import pytest

import bridgetensor as bt
from bridgetensor import autograd
from bridgetensor.autograd import Function, once_differentiable
from tests.helpers import to_np, type_name


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Cube(Function):
    """A backward written in differentiable ops, so double backward works."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 3.0 * x * x * grad


class ScaleShift(Function):
    """torch 2 style: forward without ctx, then setup_context."""

    @staticmethod
    def forward(x, scale, shift=1.0):
        return x * scale + shift

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.scale = inputs[1]

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None, None


def test_apply_forward_and_backward():
    x = leaf([0.0, 1.0])
    y = Exp.apply(x)
    assert to_np(y).tolist() == pytest.approx([1.0, 2.718281828459045])
    y.sum().backward()
    assert to_np(x.grad).tolist() == pytest.approx([1.0, 2.718281828459045])


def test_node_is_the_ctx_and_is_named_after_the_class():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(ctx)
            return x * 2.0

        @staticmethod
        def backward(ctx, grad):
            return grad * 2.0

    y = Probe.apply(leaf([1.0]))
    assert y.grad_fn is seen[0]
    assert y.grad_fn.name() == "ProbeBackward" and type(y.grad_fn).__name__ == "ProbeBackward"
    assert y.grad_fn._forward_cls is Probe
    assert isinstance(y.grad_fn, autograd.graph.Node)
    assert repr(y).endswith("grad_fn=<ProbeBackward>)")


def test_setup_context_style_binds_keywords_and_defaults():
    x = leaf([1.0, 2.0])
    y = ScaleShift.apply(x, scale=3.0)
    assert y.tolist() == [4.0, 7.0]
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_needs_input_grad_and_forward_runs_without_grad():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, c, k):
            seen["needs"] = ctx.needs_input_grad
            seen["grad_mode"] = bt.is_grad_enabled()
            return x * c * k

        @staticmethod
        def backward(ctx, grad):
            return grad, None, None

    y = Probe.apply(leaf([1.0]), bt.tensor([2.0], dtype=bt.float64), 3)
    assert seen == {"needs": (True, False, False), "grad_mode": False}
    (acc, _), (nothing, _) = y.grad_fn.next_functions  # one entry per tensor argument
    assert acc.name() == "torch::autograd::AccumulateGrad" and nothing is None


def test_multiple_outputs_get_zeros_or_none_for_unused_ones():
    received = []

    class Split(Function):
        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2.0, x * 3.0

        @staticmethod
        def backward(ctx, a, b):
            received.append(None if b is None else b.tolist())
            return a * 2.0 + (0.0 if b is None else b * 3.0), None

    x = leaf([1.0, 2.0])
    first, second = Split.apply(x, True)
    assert first.grad_fn is second.grad_fn
    assert (first._output_nr, second._output_nr) == (0, 1)
    first.sum().backward()
    assert received == [[0.0, 0.0]] and x.grad.tolist() == [2.0, 2.0]
    first, _ = Split.apply(x, False)
    first.sum().backward()
    assert received[-1] is None


def test_non_tensor_outputs_pass_through():
    class WithCount(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0, 7

        @staticmethod
        def backward(ctx, grad, nothing):
            assert nothing is None
            return grad * 2.0

    x = leaf([1.0])
    y, count = WithCount.apply(x)
    assert count == 7
    y.sum().backward()
    assert x.grad.tolist() == [2.0]


def test_mark_non_differentiable():
    received = []

    class MaxWithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            index = x.argmax()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return x.max(), index

        @staticmethod
        def backward(ctx, grad, grad_index):
            received.append((grad_index.tolist(), grad_index.dtype))
            (index,) = ctx.saved_tensors
            return grad * (bt.arange(3) == index)

    x = leaf([1.0, 5.0, 2.0])
    value, index = MaxWithIndex.apply(x)
    assert value.requires_grad and not index.requires_grad and index.grad_fn is None
    value.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    assert received == [(0, bt.int64)]


def test_integer_outputs_get_no_grad_fn():
    class Floor(Function):
        @staticmethod
        def forward(ctx, x):
            return x.long()

        @staticmethod
        def backward(ctx, grad):
            return grad

    out = Floor.apply(leaf([1.5]))
    assert not out.requires_grad and out.grad_fn is None


def test_mark_dirty_rebases_the_input():
    class Double_(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2.0)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2.0

    x = leaf([1.0, 2.0])
    a = x * 1.0
    out = Double_.apply(a)
    assert out is a and a.grad_fn.name() == "Double_Backward"
    assert a._version == 2  # the write in forward, then mark_dirty (as torch)
    assert a.tolist() == [2.0, 4.0]
    a.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError) as info:
        Double_.apply(leaf([1.0]))
    assert str(info.value) == (
        "a leaf Variable that requires grad has been used in an in-place operation."
    )


def test_input_returned_as_is_becomes_a_new_tensor():
    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 5.0

    x = leaf([1.0])
    y = Identity.apply(x)
    assert y is not x and x.grad_fn is None and y.grad_fn.name() == "IdentityBackward"
    y.sum().backward()
    assert x.grad.tolist() == [5.0]


def test_saved_tensors_are_the_inputs_themselves_and_none_is_kept():
    seen = []

    class Mul(Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, None, y)
            return x * y

        @staticmethod
        def backward(ctx, grad):
            x, nothing, y = ctx.saved_tensors
            seen.append((x, nothing, y))
            return grad * y, grad * x

    a, b = leaf([2.0]), leaf([3.0])
    Mul.apply(a, b).sum().backward()
    assert seen[0][0] is a and seen[0][1] is None and seen[0][2] is b
    assert a.grad.tolist() == [3.0] and b.grad.tolist() == [2.0]


def test_saved_tensors_after_backward_raise_unless_retained():
    x = leaf([1.0])
    y = Exp.apply(x)
    y.sum().backward(retain_graph=True)
    assert len(y.grad_fn.saved_tensors) == 1
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.grad_fn.saved_tensors
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.sum().backward()


def test_a_function_that_saves_nothing_can_run_backward_twice():
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, grad):
            return grad * 2.0

    x = leaf([1.0])
    y = Twice.apply(x).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [4.0]


def test_saved_tensors_are_version_checked():
    x = leaf([1.0, 2.0, 3.0])
    y = Exp.apply(x)
    y.mul_(2.0)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value).startswith(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{type_name('DoubleTensor')} [3]], which is output 0 of Exp, is at "
        "version 1; expected version 0 instead."
    )
    a = x * 1.0
    z = Cube.apply(a)
    a.add_(1.0)
    with pytest.raises(RuntimeError, match=r"\[3\]\], which is output 0 of Add, is at version 1"):
        z.sum().backward()


def test_save_for_backward_rejects_non_tensors():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x * 1.0

    with pytest.raises(TypeError) as info:
        Bad.apply(leaf([1.0]))
    assert str(info.value) == (
        "save_for_backward can only save variables, but argument 1 is of type int"
    )


def _returning(grads):
    class Returns(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grads(grad)

    return Returns


@pytest.mark.parametrize(
    "grads, message",
    [
        (
            lambda g: g,
            "function ReturnsBackward returned an incorrect number of gradients "
            "(expected 2, got 1)",
        ),
        (
            lambda g: (g, g),
            "function ReturnsBackward returned a gradient different than None at position 2, "
            "but the corresponding forward input was not a Variable",
        ),
        (lambda g: (3.0, None), "expected Variable or None (got float)"),
        (
            lambda g: (g[:2], None),
            "Function ReturnsBackward returned an invalid gradient at index 0 - got [2] but "
            "expected shape compatible with [3]",
        ),
    ],
)
def test_backward_result_errors(grads, message):
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError) as info:
        _returning(grads).apply(x, 2.0).sum().backward()
    assert str(info.value) == message


def test_extra_none_gradients_and_broadcast_gradients_are_accepted():
    x = leaf([1.0, 2.0, 3.0])
    _returning(lambda g: (g * 2.0, None, None)).apply(x, 2.0).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    x.grad = None
    _returning(lambda g: (g.expand(2, 3), None)).apply(x, 2.0).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]  # summed back to the input's shape


def test_double_backward_through_a_differentiable_backward():
    x = leaf([2.0, -1.0])
    y = Cube.apply(x).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    assert g.tolist() == [12.0, 3.0] and g.requires_grad
    (gg,) = autograd.grad(g.sum(), x)
    assert gg.tolist() == [12.0, -6.0]


def test_double_backward_through_a_saved_output():
    x = leaf([0.5])
    (g,) = autograd.grad(Exp.apply(x).sum(), x, create_graph=True)
    (gg,) = autograd.grad(g.sum(), x)
    assert gg.item() == pytest.approx(1.6487212707001282)


def test_once_differentiable():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            assert not bt.is_grad_enabled()
            (x,) = ctx.saved_tensors
            return 2.0 * x * grad

    x = leaf([3.0])
    Square.apply(x).sum().backward()
    assert x.grad.tolist() == [6.0]
    (g,) = autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    assert g.tolist() == [6.0] and not g.requires_grad  # its grad_output needs no grad
    y = Square.apply(x * 1.0)
    (g,) = autograd.grad((y * y).sum(), x, create_graph=True)
    assert g.tolist() == [108.0] and g.requires_grad
    with pytest.raises(RuntimeError) as info:
        g.sum().backward()
    assert str(info.value) == (
        "trying to differentiate twice a function that was marked with @once_differentiable"
    )


def test_vjp_may_stand_for_backward():
    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def vjp(ctx, grad):
            return grad * 2.0

    x = leaf([1.0])
    Double.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0]


def test_no_grad_call_records_nothing():
    x = leaf([1.0])
    with bt.no_grad():
        y = Exp.apply(x)
    assert not y.requires_grad and y.grad_fn is None


def test_hooks_on_a_function_node():
    x = leaf([1.0, 2.0])
    y = Cube.apply(x)
    seen = []
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(len(grad_inputs)))
    y.grad_fn.register_prehook(lambda grad_outputs: (grad_outputs[0] * 0.5,))
    y.sum().backward()
    assert seen == [1] and x.grad.tolist() == [1.5, 6.0]


def test_function_graph_has_no_reference_cycles():
    x = leaf([1.0, 2.0])
    gc.disable()
    try:
        y = Exp.apply(Cube.apply(x))  # Exp saves its own output
        node = weakref.ref(y.grad_fn)
        inner = weakref.ref(y.grad_fn.next_functions[0][0])
        del y
        assert node() is None and inner() is None
    finally:
        gc.enable()


def test_legacy_and_incomplete_functions():
    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        instance = Exp()
    with pytest.raises(RuntimeError, match=r"^Legacy autograd function with non-static forward"):
        instance(leaf([1.0]))

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

    with pytest.raises(NotImplementedError, match="You must implement either the backward or vjp"):
        NoBackward.apply(leaf([1.0])).sum().backward()

    class NoForward(Function):
        pass

    with pytest.raises(NotImplementedError, match="You must implement the forward function"):
        NoForward.apply(leaf([1.0]))


def test_gradcheck_of_custom_functions():
    x = leaf([0.3, -0.7, 1.1])
    assert autograd.gradcheck(Exp.apply, (x,))
    assert autograd.gradgradcheck(Cube.apply, (x,))
    assert autograd.gradcheck(lambda t: ScaleShift.apply(t, 2.5), (x,))


def test_a_returned_tensor_kept_elsewhere_is_not_adopted_as_grad():
    kept = bt.ones(2, dtype=bt.float64)

    class Constant(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, grad):
            return kept

    x = leaf([1.0, 2.0])
    Constant.apply(x).sum().backward()
    Constant.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0] and kept.tolist() == [1.0, 1.0]
