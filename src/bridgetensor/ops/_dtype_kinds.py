"""What kind of numbers a forward's raw operands hold, and the refusals that depend on it.

Forwards see raw arrays and Python scalars only; these helpers answer "integer or
floating?" for both, on every backend, without asking NumPy.
"""

from __future__ import annotations

_KINDS: dict = {}  # id(xp) -> {dtype: kind}
_SCALAR_KINDS = {float: "f", int: "i", bool: "b", complex: "c"}
_NAMES = (
    ("b", "bool"),
    ("i", "signed integer"),
    ("u", "unsigned integer"),
    ("f", "real floating"),
    ("c", "complex floating"),
)


def kind_of(xp, value) -> str:
    """NumPy's one-letter kind ("b", "i", "u", "f", "c") of an array or Python scalar.

    Forwards see raw arrays only; strict's dtypes have no `.kind`, so this asks
    `xp.isdtype` once per dtype and remembers the answer.
    """
    kind = _SCALAR_KINDS.get(type(value))
    if kind is not None:
        return kind
    table = _KINDS.get(id(xp))
    if table is None:
        table = _KINDS[id(xp)] = {}
    dtype = value.dtype
    kind = table.get(dtype)
    if kind is None:
        kind = table[dtype] = next(k for k, name in _NAMES if xp.isdtype(dtype, name))
    return kind


def as_array(xp, value, like):
    """A Python scalar as an array of `like`'s dtype (arrays pass through)."""
    if type(value) in (int, float, bool, complex):
        return xp.asarray(value, dtype=like.dtype)
    return value


def check_integer_divisor(xp, name, x, y) -> None:
    """torch's refusals for integer division: of bools, and by zero (floats give inf/nan)."""
    x_kind, y_kind = kind_of(xp, x), kind_of(xp, y)
    if x_kind == "b" and y_kind == "b":
        raise NotImplementedError(f"{name}: expected numeric operands; got two bools")
    if x_kind not in "iub" or y_kind not in "iub":
        return
    if (y == 0) if type(y) in (int, bool) else bool(xp.any(y == 0)):
        raise RuntimeError(f"{name}: integer division by zero (ZeroDivisionError)")


def integer_only(name, xp, *operands) -> None:
    """Bitwise ops take integers and bools; torch's shifts refuse bool results too."""
    kinds = [kind_of(xp, a) for a in operands]
    for a, kind in zip(operands, kinds):
        if kind not in "biu":
            dtype = "float" if type(a) is float else getattr(a, "dtype", type(a).__name__)
            raise NotImplementedError(f"{name}: expected integer or bool operands; got {dtype}")
    if "shift" in name and all(kind == "b" for kind in kinds):
        raise NotImplementedError(f"{name}: expected integer operands; got bools")
