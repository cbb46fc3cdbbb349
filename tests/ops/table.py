"""The declarative op table: one `Row` per primitive, checked by test_op_table.py.

A row names the primitive, a NumPy reference, and how to draw its inputs. The generic
tests then check, on the backend under test: forward against the reference, dtype
kept, gradient against central differences in float64, the second-order gradient,
broadcasting and Python scalars. Family files (rows_*.py) hold the rows; add a row
with every new primitive, or the guard test fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Arg:
    """How to draw one array input: a shape and a value domain."""

    shape: tuple = (3, 4)
    low: float = -2.0
    high: float = 2.0
    kind: str = "float"  # "float", "int", "bool", "index" (valid indices along `axis_len`)
    axis_len: int = 0
    differentiable: bool = True

    def draw(self, rng: np.random.Generator, dtype) -> np.ndarray:
        if self.kind == "bool":
            return rng.random(self.shape) > 0.5
        if self.kind == "int":
            return rng.integers(int(self.low), int(self.high) + 1, size=self.shape).astype(np.int64)
        if self.kind == "index":
            return rng.integers(0, self.axis_len, size=self.shape).astype(np.int64)
        return rng.uniform(self.low, self.high, size=self.shape).astype(dtype)


def F(*shape, low=-2.0, high=2.0):
    """A floating input of `shape` drawn uniformly from [low, high]."""
    return Arg(shape or (3, 4), low, high)


def Pos(*shape, low=0.5, high=2.0):
    """A positive floating input (for log, sqrt, ...)."""
    return Arg(shape or (3, 4), low, high)


def I(*shape, low=-5, high=5):  # noqa: E743
    """An integer input (not differentiable)."""
    return Arg(shape or (3, 4), low, high, kind="int", differentiable=False)


def B(*shape):
    """A boolean input (not differentiable)."""
    return Arg(shape or (3, 4), kind="bool", differentiable=False)


def Index(*shape, axis_len):
    """Integer indices in [0, axis_len)."""
    return Arg(shape, kind="index", axis_len=axis_len, differentiable=False)


@dataclass
class Row:
    """One primitive's entry in the op table."""

    prim: object
    ref: Callable  # NumPy reference: ref(*arrays, **static)
    args: tuple = (F(),)
    static: dict = field(default_factory=dict)
    name: str = ""  # distinguishes several rows of one primitive
    grad: bool = True  # check gradients (first order)
    second_order: bool = True
    dtypes: tuple = ("float32", "float64")
    broadcast: tuple | None = None  # shapes for a broadcasting check of a binary op
    scalar: float | None = None  # a Python scalar to use as the second operand
    rtol: float = 1e-5
    atol: float = 1e-6
    grad_tol: float = 1e-5

    @property
    def id(self) -> str:
        return self.prim.name + (f"[{self.name}]" if self.name else "")


def unary(prim, ref, arg=None, **options) -> Row:
    return Row(prim, ref, (arg or F(),), **options)


def binary(prim, ref, a=None, b=None, *, scalar=2.5, broadcast=((3, 1), (4,)), **options) -> Row:
    return Row(prim, ref, (a or F(), b or F()), scalar=scalar, broadcast=broadcast, **options)
