"""Bridging to and from NumPy, and the cost of ``import``."""

from __future__ import annotations

import time

from . import Workload, register

FORBIDDEN = ("torch", "cupy", "dask", "jax")  # bridgetensor must not import these itself


def rss_bytes() -> int:
    """This process's resident set size (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:
        return 0


class Bridge(Workload):
    name = "bridge.400MB"
    group = "interop"
    description = "from_numpy(a) then .numpy() of a 400 MB float32 array (NumPy: a.view())"
    elements = 100_000_000

    def _bridge(self, lib):
        if lib == "numpy":
            return lambda a: a.view()
        module = __import__(lib)
        return lambda a: module.from_numpy(a).numpy()

    def build(self, lib):
        import numpy as np

        self.array = np.ones(self.elements, dtype=np.float32)  # touched: resident
        bridge, array = self._bridge(lib), self.array
        return lambda: bridge(array)

    def extras(self, lib, step):
        import numpy as np

        before = rss_bytes()
        out = step()
        extra = rss_bytes() - before
        shared = bool(np.shares_memory(out, self.array))
        # Constant time: the same bridge on 1,000 elements, timed the same way.
        bridge, small = self._bridge(lib), np.ones(1000, dtype=np.float32)
        ratio = _per_call(lambda: bridge(self.array)) / _per_call(lambda: bridge(small))
        return {"extra_MB": round(extra / 1e6, 2), "shares_memory": shared, "400MB/4KB": ratio}

    def check(self, values, ratios, extras):
        mine = extras.get("bridgetensor") or {}
        if not mine:
            return None
        flat = mine["extra_MB"] < 1 and mine["shares_memory"] and mine["400MB/4KB"] < 1.5
        return "ok" if flat else "MISS"

    def target_text(self):
        return "no copy, constant time"


def _per_call(fn, calls=2000) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


class Import(Workload):
    name = "import"
    group = "interop"
    kind = "import"
    description = "import in a fresh interpreter (median of several processes)"
    target = ("abs", 0.3)
    forbidden = FORBIDDEN

    def build(self, lib):
        return lib  # the worker times `import <lib>` in fresh interpreters

    def check(self, values, ratios, extras):
        leaked = (extras.get("bridgetensor") or {}).get("imported", [])
        verdict = super().check(values, ratios, extras)
        return "MISS" if leaked else verdict

    def target_text(self):
        return f"< 0.3 s, no {'/'.join(FORBIDDEN)}"


register(Bridge())
register(Import())
