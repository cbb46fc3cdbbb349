"""The engine against PyTorch: random expressions, second derivatives, hooks, errors.

Every scenario is one function of the library module ``T`` (torch or bridgetensor), run
once with each, and the results compared.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from tests.helpers import to_np

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.oracle

SHAPES = {"A": (2, 3), "B": (3,), "C": (3, 2)}
UNARY = {
    "exp": lambda T, a: T.exp(a * 0.5),
    "log": lambda T, a: T.log(a * a + 1.0),
    "tanh": lambda T, a: T.tanh(a),
    "sin": lambda T, a: a.sin(),
    "neg": lambda T, a: -a,
}
BINARY = {
    "add": lambda T, a, b: a + b,
    "sub": lambda T, a, b: T.sub(a, b),
    "mul": lambda T, a, b: a * b,
    "div": lambda T, a, b: a / (b * b + 1.0),
}


def _numpy(t):
    if t is None:
        return None
    return t.detach().numpy() if isinstance(t, torch.Tensor) else to_np(t)


class Expr:
    """A random expression of a given shape over the leaves A (2, 3), B (3,), C (3, 2)."""

    def __init__(self, data, max_depth: int) -> None:
        self.data = data
        self.max_depth = max_depth

    def draw(self, options):
        return self.data.draw(st.sampled_from(options))

    def build(self, shape: tuple, depth: int):
        """A function (T, leaves) -> tensor of `shape`, and its description."""
        if depth == 0:
            return self.base(shape)
        kinds = ["unary", "binary", "base"]
        kinds += {
            (2, 3): ["permute", "reshape"],
            (3, 2): ["permute", "reshape"],
            (3,): ["sum0", "matvec", "row"],
            (2,): ["mean1", "matvec", "column"],
            (): ["sum", "dot"],
        }[shape]
        kind = self.draw(kinds)
        sub = self.build
        if kind == "base":
            return self.base(shape)
        if kind == "unary":
            name = self.draw(sorted(UNARY))
            f, text = sub(shape, depth - 1)
            return (lambda T, L: UNARY[name](T, f(T, L))), f"{name}({text})"
        if kind == "binary":
            name = self.draw(sorted(BINARY))
            other_shape = self.draw([shape, shape[1:]]) if shape else shape
            f, ft = sub(shape, depth - 1)
            g, gt = sub(other_shape, depth - 1)
            return (lambda T, L: BINARY[name](T, f(T, L), g(T, L))), f"{name}({ft}, {gt})"
        if kind == "permute":
            f, text = sub(shape[::-1], depth - 1)
            return (lambda T, L: f(T, L).permute(1, 0)), f"{text}.permute(1, 0)"
        if kind == "reshape":
            f, text = sub(shape[::-1], depth - 1)
            return (lambda T, L: f(T, L).reshape(*shape)), f"{text}.reshape{shape}"
        if kind == "sum0":
            f, text = sub((2, 3), depth - 1)
            return (lambda T, L: f(T, L).sum(0)), f"{text}.sum(0)"
        if kind == "mean1":
            f, text = sub((2, 3), depth - 1)
            return (lambda T, L: f(T, L).mean(1)), f"{text}.mean(1)"
        if kind == "sum":
            inner = self.draw([(2, 3), (3,), (3, 2)])
            f, text = sub(inner, depth - 1)
            return (lambda T, L: f(T, L).sum()), f"{text}.sum()"
        if kind == "matvec":
            matrix, vector = ((3, 2), (2,)) if shape == (3,) else ((2, 3), (3,))
            f, ft = sub(matrix, depth - 1)
            g, gt = sub(vector, depth - 1)
            return (lambda T, L: T.matmul(f(T, L), g(T, L))), f"matmul({ft}, {gt})"
        if kind == "dot":
            vector = self.draw([(2,), (3,)])
            f, ft = sub(vector, depth - 1)
            g, gt = sub(vector, depth - 1)
            return (lambda T, L: T.matmul(f(T, L), g(T, L))), f"matmul({ft}, {gt})"
        if kind == "row":
            f, text = sub((2, 3), depth - 1)
            row = self.draw([0, 1, -1])
            return (lambda T, L: f(T, L)[row, :]), f"{text}[{row}, :]"
        f, text = sub((2, 3), depth - 1)  # "column"
        column = self.draw([0, 2])
        return (lambda T, L: f(T, L)[:, column]), f"{text}[:, {column}]"

    def base(self, shape: tuple):
        options = {
            (2, 3): [("A", lambda T, L: L["A"]), ("C.T", lambda T, L: L["C"].permute(1, 0))],
            (3, 2): [("C", lambda T, L: L["C"]), ("A.T", lambda T, L: L["A"].permute(1, 0))],
            (3,): [("B", lambda T, L: L["B"]), ("A[1, :]", lambda T, L: L["A"][1, :])],
            (2,): [("A[:, 1]", lambda T, L: L["A"][:, 1]), ("C[0, :]", lambda T, L: L["C"][0, :])],
            (): [("B.sum()", lambda T, L: L["B"].sum())],
        }[shape]
        text, f = self.draw(options)
        return f, text


def _leaves(T, values):
    # From float64 NumPy arrays: no detour through float32 for Python lists.
    return {
        name: T.tensor(np.asarray(values[name], dtype=np.float64), requires_grad=True)
        for name in SHAPES
    }


def _values():
    def array(shape):
        count = int(np.prod(shape))
        floats = st.floats(-1.5, 1.5, allow_nan=False, width=64)
        return st.lists(floats, min_size=count, max_size=count).map(
            lambda v: np.array(v).reshape(shape).tolist()
        )

    return st.fixed_dictionaries({name: array(shape) for name, shape in SHAPES.items()})


def _grads(T, f, values, order: int):
    leaves = _leaves(T, values)
    out = f(T, leaves)
    names = sorted(leaves)
    if order == 1:
        grads = T.autograd.grad(out.sum(), [leaves[n] for n in names], allow_unused=True)
        return _numpy(out), [_numpy(g) for g in grads]
    (first,) = T.autograd.grad(out.sum(), leaves["A"], create_graph=True, allow_unused=True)
    if first is None or not first.requires_grad:
        return _numpy(out), None
    grads = T.autograd.grad((first * first).sum(), [leaves[n] for n in names], allow_unused=True)
    return _numpy(out), [_numpy(g) for g in grads]


def _close(ours, theirs, text):
    if theirs is None or ours is None:
        assert ours is None and theirs is None, text
        return
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12), text


@settings(max_examples=30, deadline=None)
@given(data=st.data(), values=_values())
def test_random_expression_gradients_match_torch(data, values):
    expr = Expr(data, 3)
    shape = data.draw(st.sampled_from([(2, 3), (3,), (2,), ()]))
    f, text = expr.build(shape, data.draw(st.integers(1, 3)))
    out_bt, grads_bt = _grads(bt, f, values, 1)
    out_torch, grads_torch = _grads(torch, f, values, 1)
    _close(out_bt, out_torch, text)
    for ours, theirs in zip(grads_bt, grads_torch):
        _close(ours, theirs, text)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), values=_values())
def test_random_expression_second_derivatives_match_torch(data, values):
    expr = Expr(data, 3)
    f, text = expr.build((), data.draw(st.integers(1, 3)))
    out_bt, grads_bt = _grads(bt, f, values, 2)
    out_torch, grads_torch = _grads(torch, f, values, 2)
    _close(out_bt, out_torch, text)
    if grads_torch is None or grads_bt is None:
        # One side found no second-order graph (torch keeps none for some linear rules): then
        # the other side's second derivative must be zero.
        for g in grads_bt or grads_torch or ():
            assert g is None or not np.any(g), text
        return
    for ours, theirs in zip(grads_bt, grads_torch):
        zeros = np.zeros(1)
        _close(zeros if ours is None else ours, zeros if theirs is None else theirs, text)


# ---------------------------------------------------------------- scenarios


def _hooks_log(T):
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    w = T.tensor([3.0, -1.0], dtype=T.float64, requires_grad=True)
    log = []
    y = x * w
    z = y.exp() * y
    y.retain_grad()
    y.register_hook(lambda g: log.append(("y", g.tolist())) or g * 2.0)
    z.register_hook(lambda g: log.append(("z", g.tolist())))
    y.grad_fn.register_prehook(lambda go: log.append(("y pre", [g.tolist() for g in go])))
    z.grad_fn.register_hook(lambda gi, go: log.append(("z post", [g.tolist() for g in gi])))
    x.register_hook(lambda g: log.append(("x", g.tolist())))
    w.register_post_accumulate_grad_hook(lambda t: log.append(("w acc", t.grad.tolist())))
    z.sum().backward()
    return log, y.grad.tolist(), x.grad.tolist(), w.grad.tolist()


def _inputs_scenario(T):
    x = T.tensor([1.0, -2.0], dtype=T.float64, requires_grad=True)
    w = T.tensor([0.5, 0.25], dtype=T.float64, requires_grad=True)
    y = x * w
    z = (y.tanh() * x).sum()
    z.backward(inputs=[y], retain_graph=True)
    first = (y.grad.tolist(), x.grad, w.grad)
    z.backward(inputs=[w, y])
    return first, y.grad.tolist(), x.grad, w.grad.tolist(), y.retains_grad


def _accumulation_scenario(T):
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    (x * x).sum().backward()
    first = x.grad
    (x * 3.0).sum().backward()
    same_object = x.grad is first
    (x.exp()).sum().backward(create_graph=True)
    return same_object, x.grad.tolist(), x.grad.requires_grad


@pytest.mark.parametrize("scenario", [_hooks_log, _inputs_scenario, _accumulation_scenario])
@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_scenarios_match_torch(scenario):
    def plain(result):
        return repr(result).replace("bridgetensor.", "torch.").replace("bridgetensor", "torch")

    assert plain(scenario(bt)) == plain(scenario(torch))


def _error(T, case):
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    if case == "second backward":
        y = x.exp().sum()
        y.backward()
        y.backward()
    elif case == "non-scalar":
        (x * 2.0).backward()
    elif case == "no grad":
        T.ones(2).sum().backward()
    elif case == "leaf in-place":
        x.add_(1.0)
    elif case == "saved modified":
        y = x * 1.0
        z = y * y
        y.mul_(2.0)
        z.sum().backward()
    elif case == "saved output modified":
        y = x.exp()
        y.mul_(2.0)
        y.sum().backward()
    elif case == "int requires grad":
        T.tensor([1, 2]).requires_grad_()
    elif case == "non-leaf requires_grad":
        (x * 2.0).requires_grad_(False)
    elif case == "unused":
        T.autograd.grad((x * 2.0).sum(), [x, T.ones(1, requires_grad=True)])
    elif case == "grad of no-grad input":
        T.autograd.grad((x * 2.0).sum(), [T.ones(1)])
    elif case == "gradient shape":
        (x * 2.0).backward(T.ones(3, dtype=T.float64))
    elif case == "empty inputs":
        (x * 2.0).sum().backward(inputs=[])
    elif case == "retain_grad no grad":
        T.ones(1).retain_grad()
    elif case == "hook no grad":
        T.ones(1).register_hook(lambda g: g)


@pytest.mark.parametrize(
    "case",
    [
        "second backward",
        "non-scalar",
        "no grad",
        "leaf in-place",
        "saved modified",
        "saved output modified",
        "int requires grad",
        "non-leaf requires_grad",
        "unused",
        "grad of no-grad input",
        "gradient shape",
        "empty inputs",
        "retain_grad no grad",
        "hook no grad",
    ],
)
def test_errors_match_torch(case):
    with pytest.raises(Exception) as theirs:
        _error(torch, case)
    with pytest.raises(Exception) as ours:
        _error(bt, case)
    assert type(ours.value) is type(theirs.value)
    expected = str(theirs.value).replace("torch.", "bridgetensor.")
    assert str(ours.value) == expected
