"""Per-op overhead: one op on float32 inputs, with and without a graph being recorded.

With requires_grad the step is the forward alone: it records the graph node, which is the
cost measured; NumPy has no graph, so its time is the floor either way.
"""

from __future__ import annotations

from . import Workload, register

SIZES = {"n1": 1, "n100": 100, "n10k": 10_000, "n1M": 1_000_000}
MATMULS = {"64x64": 64, "512x512": 512}


def _numpy_op(op, a, b):
    import numpy as np

    return {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "matmul": lambda: a @ b,
        "sum": lambda: a.sum(),
        "relu": lambda: np.maximum(a, 0.0),
    }[op]


def _framework_op(op, lib, a, b):
    """The same code for torch and bridgetensor (``import bridgetensor as torch``)."""
    return {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "matmul": lambda: a @ b,
        "sum": lambda: a.sum(),
        "relu": lambda: lib.relu(a),
    }[op]


class PerOp(Workload):
    group = "per-op"

    def __init__(self, op: str, label: str, shape: tuple, grad: bool) -> None:
        self.op, self.shape, self.grad = op, shape, grad
        self.name = f"op.{op}.{label}" + (".grad" if grad else "")
        symbol = {"add": "a + b", "mul": "a * b", "matmul": "a @ b", "sum": "a.sum()"}
        what = symbol.get(op, f"{op}(a)")
        self.description = f"{what}, float32 {'x'.join(map(str, shape))}" + (
            ", a.requires_grad (forward, graph recorded)" if grad else ""
        )
        count = 1
        for n in shape:
            count *= n
        if count == 100 and op != "matmul":
            self.target = ("torch", 1.0)
        elif count == 1_000_000:
            self.target = ("numpy", 1.05)
        self.quick = op == "add" and count == 100

    def _arrays(self):
        import numpy as np

        rng = np.random.default_rng(0)
        a = rng.standard_normal(self.shape, dtype=np.float32)
        b = rng.standard_normal(self.shape, dtype=np.float32)
        return a, b

    def numpy(self):
        return _numpy_op(self.op, *self._arrays())

    def _framework(self, lib):
        a, b = (lib.from_numpy(x) for x in self._arrays())
        if self.grad:
            a.requires_grad_()
        return _framework_op(self.op, lib, a, b)

    def torch(self):
        import torch

        return self._framework(torch)

    def bridgetensor(self):
        import bridgetensor

        return self._framework(bridgetensor)


for _op in ("add", "mul", "sum", "relu"):
    for _label, _n in SIZES.items():
        for _grad in (False, True):
            register(PerOp(_op, _label, (_n,), _grad))
for _label, _n in MATMULS.items():
    for _grad in (False, True):
        register(PerOp("matmul", _label, (_n, _n), _grad))
