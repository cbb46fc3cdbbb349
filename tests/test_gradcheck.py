"""gradcheck / gradgradcheck: passes, each failure it reports, and its messages."""

from __future__ import annotations

import pytest

import bridgetensor as bt
from bridgetensor import autograd
from bridgetensor.autograd import Function, GradcheckError

from .helpers import without_device


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


def _function(forward, backward, name="Custom"):
    return type(
        name,
        (Function,),
        {"forward": staticmethod(forward), "backward": staticmethod(backward)},
    )


def test_passes_for_correct_gradients():
    x = leaf([[0.3, -1.2], [0.8, 2.0]])
    w = leaf([0.5, -0.25])
    c = bt.tensor([1.0, 2.0], dtype=bt.float64)  # takes no part: requires no grad
    assert autograd.gradcheck(lambda a, b, k, s: ((a * b + k).tanh() * s).sum(0), (x, w, c, 2.0))
    assert autograd.gradcheck(lambda a: (a.exp(), (a * a).mean()), (x,))
    assert autograd.gradcheck(lambda a: (a.sin(), a > 0.0), (x,))  # a bool output is ignored


def test_mismatch_raises_with_both_jacobians():
    wrong = _function(lambda ctx, x: x * x, lambda ctx, g: 3.0 * g, "Wrong")
    x = leaf([0.5, 1.5])
    with pytest.raises(GradcheckError) as info:
        autograd.gradcheck(wrong.apply, (x,))
    assert isinstance(info.value, RuntimeError)
    message = without_device(str(info.value), count=2)  # both Jacobians are tensors
    assert message.startswith(
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[1.0000, 0.0000],\n        [0.0000, 3.0000]], "
        "dtype=bridgetensor.float64)\nanalytical:tensor([[3., 0.],\n        [0., 3.]], "
    )
    assert autograd.gradcheck(wrong.apply, (x,), raise_exception=False) is False


def test_input_index_counts_inputs_that_require_grad():
    wrong = _function(lambda ctx, c, y: c * y, lambda ctx, g: (None, g), "SecondWrong")
    c = bt.tensor([2.0], dtype=bt.float64)
    with pytest.raises(GradcheckError, match="output 0 with respect to input 0,"):
        autograd.gradcheck(wrong.apply, (c, leaf([1.0])))


def test_tolerances_are_used():
    slightly_off = _function(lambda ctx, x: x * 2.0, lambda ctx, g: g * 2.0002, "SlightlyOff")
    x = leaf([1.0, 2.0])
    assert autograd.gradcheck(slightly_off.apply, (x,), rtol=1e-3, atol=0.0)
    assert not autograd.gradcheck(
        slightly_off.apply, (x,), rtol=1e-6, atol=0.0, raise_exception=False
    )
    assert autograd.gradcheck(slightly_off.apply, (x,), rtol=0.0, atol=1e-3)


def test_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError) as info:
        autograd.gradcheck(lambda a: a * 2.0, (bt.ones(2, dtype=bt.float64),))
    assert str(info.value) == (
        "gradcheck expects at least one input tensor to require gradient, but none of them "
        "have requires_grad=True."
    )


def test_warns_about_single_precision_inputs():
    x = bt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double"):
        autograd.gradcheck(lambda a: a * 2.0, (x,), eps=1e-3, atol=1e-2)


def test_backward_that_ignores_grad_output():
    ignores = _function(lambda ctx, x: x.sum(), lambda ctx, g: bt.ones(3, dtype=bt.float64))
    with pytest.raises(GradcheckError, match=r"^backward not multiplied by grad_output$"):
        autograd.gradcheck(ignores.apply, (leaf([1.0, 2.0, 3.0]),))


def test_nondeterministic_backward():
    calls = []

    def backward(ctx, g):
        calls.append(1)
        return g * (2.0 + 1e-4 * (len(calls) % 2))

    flaky = _function(lambda ctx, x: x * 2.0, backward, "Flaky")
    with pytest.raises(GradcheckError, match=r"^Backward is not reentrant"):
        autograd.gradcheck(flaky.apply, (leaf([1.0]),), atol=1e-2)
    assert autograd.gradcheck(flaky.apply, (leaf([1.0]),), atol=1e-2, nondet_tol=1e-3)


def _twice(on_undefined):
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(x)
            return x * 2.0

        @staticmethod
        def backward(ctx, g):
            return on_undefined(ctx.saved_tensors[0]) if g is None else g * 2.0

    return Twice


def test_undefined_output_gradients_must_be_handled():
    def raises(x):
        raise RuntimeError("no gradient")

    x = leaf([1.0, 2.0])
    for on_undefined, message in [
        (raises, r"^Expected backward function to handle undefined output grads"),
        (lambda x: x * 0.0 + 2.0, r"^Expected all input grads to be undefined or zero when"),
    ]:
        with pytest.raises(GradcheckError, match=message):
            with pytest.warns(UserWarning, match="Backwards compatibility"):
                autograd.gradcheck(_twice(on_undefined).apply, (x,))
        assert autograd.gradcheck(_twice(on_undefined).apply, (x,), check_undefined_grad=False)
    assert autograd.gradcheck(_twice(lambda x: None).apply, (x,))


def test_function_without_differentiable_outputs():
    assert autograd.gradcheck(lambda a: a > 0.0, (leaf([1.0, -1.0]),))
    with pytest.raises(
        GradcheckError, match=r"^Numerical gradient for function expected to be zero$"
    ):
        autograd.gradcheck(lambda a: a.detach() * 2.0, (leaf([1.0]),))


def test_gradgradcheck():
    x = leaf([0.3, -0.4, 1.2])
    assert autograd.gradgradcheck(lambda a: (a * a).tanh() * a.exp(), (x,))
    grad_out = bt.tensor([1.0, -2.0, 0.5], dtype=bt.float64, requires_grad=True)
    assert autograd.gradgradcheck(lambda a: a.sin() * a, (x,), (grad_out,))

    class DetachedSecondOrder(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return 3.0 * a.detach() * a.detach() * g  # right once, wrong twice

    assert autograd.gradcheck(DetachedSecondOrder.apply, (x,))
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 0 with respect to"):
        autograd.gradgradcheck(DetachedSecondOrder.apply, (x,))


def test_unsupported_modes_say_so():
    x = leaf([1.0])
    with pytest.raises(NotImplementedError, match="forward-mode AD"):
        autograd.gradcheck(lambda a: a * 2.0, (x,), check_forward_ad=True)
    with pytest.raises(NotImplementedError, match="vmap"):
        autograd.gradcheck(lambda a: a * 2.0, (x,), check_batched_grad=True)


def test_inputs_are_not_modified():
    x = leaf([0.25, 0.5])
    autograd.gradcheck(lambda a: a.exp(), (x,))
    assert x.tolist() == [0.25, 0.5] and x._version == 0 and x.grad is None
