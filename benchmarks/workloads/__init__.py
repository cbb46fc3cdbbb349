"""The workload registry: one small class per workload, one method per library.

A method ``numpy()``, ``torch()`` or ``bridgetensor()`` builds its inputs and returns the
step to measure: a function of no arguments. Libraries are imported inside the methods, so
a worker process loads only the library it measures.
"""

from __future__ import annotations

import importlib

LIBS = ("bridgetensor", "torch", "numpy")
REGISTRY: dict = {}


class Workload:
    name = ""
    group = ""
    description = ""
    # "time": seconds per step; "import": seconds per fresh import;
    # "memory-traced" / "memory-rss": peak bytes of a step (tracemalloc / resident set).
    kind = "time"
    libs = LIBS
    needs: tuple = ()  # bridgetensor attributes the workload uses, e.g. "nn.Linear"
    target: tuple | None = None  # ("torch" | "numpy", max ratio) or ("abs", max value)
    quick = False  # part of the default --quick selection

    def build(self, lib: str):
        return getattr(self, lib)()

    def extras(self, lib: str, step) -> dict:
        """Facts measured beside the timing (extra memory, checks); printed as notes."""
        return {}

    def check(self, values: dict, ratios: dict, extras: dict) -> str | None:
        """'ok' or 'MISS' against the target (None where the workload has none)."""
        if self.target is None:
            return None
        ref, limit = self.target
        got = values.get("bridgetensor") if ref == "abs" else ratios.get(ref)
        if got is None:
            return None
        return "ok" if got <= limit else "MISS"

    def target_text(self) -> str:
        if self.target is None:
            return ""
        ref, limit = self.target
        return f"< {limit:g} s" if ref == "abs" else f"<= {limit:g}x {ref}"


def register(workload: Workload) -> Workload:
    if workload.name in REGISTRY:
        raise ValueError(f"workload {workload.name!r} registered twice")
    REGISTRY[workload.name] = workload
    return workload


def missing_features(bt, needs) -> list[str]:
    """The attributes in `needs` that the bridgetensor module `bt` does not have yet."""
    missing = []
    for path in needs:
        obj = bt
        for part in path.split("."):
            found = getattr(obj, part, None)
            if found is None and hasattr(obj, "__path__"):  # a subpackage not imported yet
                try:
                    found = importlib.import_module(f"{obj.__name__}.{part}")
                except ImportError:
                    found = None
            if found is None:
                missing.append(path)
                break
            obj = found
    return missing


# Registration order is the report's row order.
from . import per_op, training, system  # noqa: E402, F401, I001
