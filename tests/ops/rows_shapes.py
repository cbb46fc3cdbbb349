"""Op-table rows for the shape, joining and diagonal primitives."""

from __future__ import annotations

import numpy as np

from bridgetensor import ops

from .table import F, Index, Row


class Joined:
    """A multi-output primitive with its outputs joined again, so the table can check it."""

    def __init__(self, prim, join) -> None:
        self.prim = prim
        self.name = prim.name
        self.join = join

    def __call__(self, *args, **static):
        return self.join(*self.prim(*args, **static))


class Scalar:
    """A primitive with a Python number as its last array operand."""

    def __init__(self, prim, value) -> None:
        self.prim = prim
        self.name = prim.name
        self.value = value

    def __call__(self, *args, **static):
        return self.prim(*args, self.value, **static)


def _multiply_each(*parts, axis=0):
    """Outputs scaled differently, so a rule that mixes them up is caught."""
    return ops.concat(*(p * float(i + 1) for i, p in enumerate(parts)), axis=axis)


def _diagonal_scatter(values, shape, offset, axis1, axis2):
    out = np.zeros(shape, dtype=values.dtype)
    view = np.diagonal(np.moveaxis(out, (axis1, axis2), (-2, -1)), offset, -2, -1)
    view.flags.writeable = True
    view[...] = values
    return out


ROWS = [
    Row(ops.reshape, np.reshape, (F(2, 3, 4),), static={"shape": (6, -1)}, name="infer"),
    Row(ops.permute_dims, np.transpose, (F(2, 3, 4),), static={"axes": (2, 0, 1)}, name="3d"),
    Row(ops.expand_dims, np.expand_dims, (F(3, 4),), static={"axis": (0, 2)}, name="tuple"),
    Row(ops.expand_dims, np.expand_dims, (F(3, 4),), static={"axis": -1}, name="last"),
    Row(ops.squeeze, np.squeeze, (F(1, 3, 1, 4),), static={"axis": (0, 2)}, name="two"),
    Row(ops.broadcast_to, np.broadcast_to, (F(1, 4),), static={"shape": (3, 4)}, name="rows"),
    Row(ops.flip, np.flip, (F(2, 3, 4),), static={"axis": (0, 2)}, name="two"),
    Row(ops.flip, np.flip, static={}, name="all"),
    Row(
        ops.roll, lambda x, shift, axis: np.roll(x, shift, axis), static={"shift": 2, "axis": None}
    ),
    Row(
        ops.roll,
        lambda x, shift, axis: np.roll(x, shift, axis),
        static={"shift": (1, -2), "axis": (0, 1)},
        name="axes",
    ),
    Row(
        Joined(ops.unbind, _multiply_each),
        lambda x, axis: np.concatenate(
            [p * (i + 1.0) for i, p in enumerate(np.moveaxis(x, axis, 0))]
        ),
        (F(3, 2, 4),),
        static={"axis": 1},
    ),
    Row(
        Joined(ops.split_axis, lambda *parts: _multiply_each(*parts, axis=1)),
        lambda x, bounds, axis: np.concatenate(
            [x[:, a:b] * (i + 1.0) for i, (a, b) in enumerate(bounds)], axis=1
        ),
        (F(2, 5),),
        static={"bounds": ((0, 2), (2, 3), (3, 5)), "axis": 1},
    ),
    Row(
        ops.diagonal,
        lambda x, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2),
        (F(3, 4),),
        static={"offset": 1, "axis1": 0, "axis2": 1},
    ),
    Row(
        ops.diagonal,
        lambda x, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2),
        (F(3, 2, 4),),
        static={"offset": -1, "axis1": 2, "axis2": 0},
        name="3d",
    ),
    Row(
        ops.diagonal_scatter,
        _diagonal_scatter,
        (F(2, 2),),
        static={"shape": (4, 2, 3), "offset": 1, "axis1": 0, "axis2": 2},
    ),
    Row(
        ops.concat,
        lambda *a, axis: np.concatenate(a, axis=axis),
        (F(2, 3), F(4)),
        static={"axis": None},
        name="flat",
    ),
    Row(
        ops.stack,
        lambda *a, axis: np.stack(a, axis=axis),
        (F(3), F(3), F(3)),
        static={"axis": -1},
        name="last",
    ),
    Row(
        ops.repeat,
        lambda x, r, axis: np.repeat(x, r, axis=axis),
        (F(3, 4), Index(4, axis_len=3)),
        static={"axis": 1},
    ),
    Row(
        Scalar(ops.repeat, 3),
        lambda x, axis: np.repeat(x, 3, axis=axis),
        (F(3, 4),),
        static={"axis": 0},
        name="int",
    ),
    Row(
        ops.tile, lambda x, repetitions: np.tile(x, repetitions), static={"repetitions": (2, 1, 3)}
    ),
    Row(ops.tril, lambda x, k: np.tril(x, k), (F(2, 3, 4),), static={"k": 1}),
    Row(ops.triu, lambda x, k: np.triu(x, k), static={"k": -1}),
]
