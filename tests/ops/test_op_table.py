"""Generic checks for every primitive in the op table (see table.py)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd, ops
from bridgetensor.autograd._primitive import Primitive

from ..helpers import to_np
from .table import Row

# Every rows_*.py beside this file contributes its ROWS.
ROW_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules([str(Path(__file__).parent)])
    if info.name.startswith("rows_")
)

# Primitives with no row, each with the reason it is checked elsewhere.
EXEMPT = {
    "transfer": "moves data between backends; tests/test_devices.py",
}


def _rows() -> list[Row]:
    rows = []
    for name in ROW_MODULES:
        rows += importlib.import_module(f"tests.ops.{name}").ROWS
    return rows


ROWS = _rows()


def _tensors(row, dtype, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [arg.draw(rng, dtype) for arg in row.args]
    tensors = [bt.tensor(a) for a in arrays]
    return arrays, tensors


def _float_dtypes(row):
    return [d for d in row.dtypes if d.startswith("float")]


def _all_primitives() -> dict:
    found = {}
    for info in pkgutil.iter_modules(ops.__path__):
        module = importlib.import_module(f"bridgetensor.ops.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Primitive):
                found[value.name] = value
    return found


def test_every_primitive_has_a_row():
    covered = {row.prim.name for row in ROWS}
    missing = sorted(set(_all_primitives()) - covered - set(EXEMPT))
    assert not missing, f"primitives without an op-table row: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_forward_matches_reference_and_keeps_dtype(row):
    for dtype in row.dtypes:
        arrays, tensors = _tensors(row, dtype)
        result = row.prim(*tensors, **row.static)
        expected = np.asarray(row.ref(*arrays, **row.static))
        got = to_np(result)
        assert got.shape == expected.shape
        assert got.dtype == expected.dtype, f"{dtype}: {got.dtype} != {expected.dtype}"
        np.testing.assert_allclose(got, expected, rtol=row.rtol, atol=row.atol)


def _differentiable(row, tensors):
    return [t for t, arg in zip(tensors, row.args) if arg.differentiable]


def _directional_check(f, inputs, tol):
    """Compare autograd's gradient of sum(f(x) * cotangent) with central differences."""
    rng = np.random.default_rng(1)
    out = f(*inputs)
    cotangent = bt.tensor(rng.standard_normal(tuple(out.shape)))
    grads = autograd.grad((out * cotangent).sum(), inputs, allow_unused=True)
    eps = 1e-6
    for i, (x, g) in enumerate(zip(inputs, grads)):
        direction = rng.standard_normal(tuple(x.shape))
        shifted = []
        for sign in (1.0, -1.0):
            moved = list(inputs)
            moved[i] = (x.detach() + sign * eps * bt.tensor(direction)).requires_grad_()
            shifted.append(float((f(*moved) * cotangent).sum().item()))
        numeric = (shifted[0] - shifted[1]) / (2 * eps)
        analytic = 0.0 if g is None else float((to_np(g) * direction).sum())
        assert analytic == pytest.approx(numeric, rel=tol, abs=tol), f"input {i}"


def _grad_rows():
    return [r for r in ROWS if r.grad and _float_dtypes(r)]


@pytest.mark.parametrize("row", _grad_rows(), ids=lambda r: r.id)
def test_gradient_matches_central_differences(row):
    _, tensors = _tensors(row, "float64")
    for t, arg in zip(tensors, row.args):
        if arg.differentiable:
            t.requires_grad_()

    def f(*diff):
        it = iter(diff)
        full = [next(it) if arg.differentiable else t for t, arg in zip(tensors, row.args)]
        return row.prim(*full, **row.static)

    _directional_check(f, _differentiable(row, tensors), row.grad_tol)


@pytest.mark.parametrize("row", [r for r in _grad_rows() if r.second_order], ids=lambda r: r.id)
def test_second_order_gradient_matches_central_differences(row):
    _, tensors = _tensors(row, "float64")
    for t, arg in zip(tensors, row.args):
        if arg.differentiable:
            t.requires_grad_()
    diff = _differentiable(row, tensors)
    rng = np.random.default_rng(2)
    out = row.prim(*tensors, **row.static)
    cotangent = bt.tensor(rng.standard_normal(tuple(out.shape)))

    def first_order(*xs):
        it = iter(xs)
        full = [next(it) if arg.differentiable else t for t, arg in zip(tensors, row.args)]
        y = (row.prim(*full, **row.static) * cotangent).sum()
        grads = autograd.grad(y, list(xs), create_graph=True, allow_unused=True)
        total = None
        for g in grads:
            if g is not None and g.requires_grad:
                term = (g * g).sum()
                total = term if total is None else total + term
        return total if total is not None else (xs[0] * 0.0).sum()

    _directional_check(first_order, diff, max(row.grad_tol, 1e-4))


@pytest.mark.parametrize("row", [r for r in ROWS if r.broadcast], ids=lambda r: r.id)
def test_broadcasting(row):
    rng = np.random.default_rng(3)
    arrays = [
        arg.draw(rng, "float64")
        if shape is None
        else type(arg)(shape, arg.low, arg.high, arg.kind, arg.axis_len, arg.differentiable).draw(
            rng, "float64"
        )
        for arg, shape in zip(row.args, row.broadcast)
    ]
    tensors = [bt.tensor(a, requires_grad=row.grad) for a in arrays]
    result = row.prim(*tensors)
    np.testing.assert_allclose(to_np(result), row.ref(*arrays), rtol=1e-6, atol=1e-9)
    if row.grad:
        result.sum().backward()
        for t in tensors:
            assert tuple(t.grad.shape) == tuple(t.shape)


@pytest.mark.parametrize("row", [r for r in ROWS if r.scalar is not None], ids=lambda r: r.id)
def test_python_scalar_operand_keeps_tensor_dtype(row):
    for dtype in _float_dtypes(row):
        arrays, tensors = _tensors(row, dtype)
        result = row.prim(tensors[0], row.scalar)
        expected = row.ref(arrays[0], np.asarray(row.scalar, dtype=dtype))
        assert result.dtype.name == dtype
        np.testing.assert_allclose(to_np(result), expected, rtol=row.rtol, atol=row.atol)
