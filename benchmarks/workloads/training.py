"""Autograd chains and training steps: the same torch-style code runs on torch and
bridgetensor (``import bridgetensor as torch``); NumPy runs `_numpy_ref`'s hand-written math.
"""

from __future__ import annotations

import itertools

from . import Workload, register

NN = ("nn.Sequential", "nn.Linear", "nn.ReLU", "nn.functional.cross_entropy", "optim.SGD")


def _data(samples, features, classes, shape=None):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((samples, *(shape or (features,))), dtype=np.float32)
    return x, rng.integers(0, classes, samples)


class _Framework(Workload):
    """A workload whose torch and bridgetensor versions are one function of the module."""

    def torch(self):
        import torch

        return self.framework(torch)

    def bridgetensor(self):
        import bridgetensor

        return self.framework(bridgetensor)


class Chain(_Framework):
    name = "chain.100ops"
    group = "autograd"
    description = "25 x tanh(x * w + b) * 0.5 on 100 float32 elements, sum, backward"
    target = ("torch", 1.0)
    quick = True
    repeats = 25

    def _arrays(self):
        import numpy as np

        rng = np.random.default_rng(0)
        return tuple(rng.standard_normal(100, dtype=np.float32) for _ in range(3))

    def numpy(self):
        from ._numpy_ref import chain_forward_backward

        x, w, b = self._arrays()
        return lambda: chain_forward_backward(x, w, b, self.repeats)

    def framework(self, lib):
        x, w, b = (lib.from_numpy(a) for a in self._arrays())
        x.requires_grad_()

        def step():
            h = x
            for _ in range(self.repeats):
                h = (h * w + b).tanh() * 0.5
            h.sum().backward()
            x.grad = None

        return step


class MLPTraining(_Framework):
    """Training of Linear-ReLU-Linear-ReLU-Linear with cross-entropy and SGD momentum 0.9."""

    group = "training"
    needs = NN
    lr = 0.01

    def __init__(self, name, sizes, batch, samples, description, target) -> None:
        self.name, self.sizes, self.batch, self.samples = name, sizes, batch, samples
        self.description, self.target = description, target

    def _batches(self):
        x, y = _data(self.samples, self.sizes[0], self.sizes[-1])
        starts = range(0, len(x), self.batch)
        return [(x[i : i + self.batch], y[i : i + self.batch]) for i in starts]

    def numpy(self):
        import numpy as np

        from ._numpy_ref import linear_params, mlp_loss_grads, sgd_momentum_

        params = linear_params(np.random.default_rng(1), self.sizes)
        buffers = [None] * len(params)
        batches = self._batches()

        def step():
            for x, y in batches:
                _, grads = mlp_loss_grads(params, x, y)
                sgd_momentum_(params, grads, buffers, self.lr, 0.9)

        return step

    def framework(self, lib):
        nn = lib.nn
        layers = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(self.sizes)):
            layers += [nn.Linear(n_in, n_out)] + ([nn.ReLU()] if i < len(self.sizes) - 2 else [])
        model = nn.Sequential(*layers)
        opt = lib.optim.SGD(model.parameters(), lr=self.lr, momentum=0.9)
        batches = [(lib.from_numpy(x), lib.from_numpy(y)) for x, y in self._batches()]

        def step():
            for x, y in batches:
                opt.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                opt.step()

        return step


DIGITS = MLPTraining(
    "mlp.digits_epoch",
    (64, 256, 256, 10),
    64,
    1797,
    "one epoch, MLP 64-256-256-10, batch 64, 1797 samples, SGD momentum 0.9",
    ("torch", 1.0),
)
LARGE = MLPTraining(
    "mlp.large_step",
    (784, 1024, 1024, 10),
    256,
    256,
    "one step, MLP 784-1024-1024-10, batch 256, SGD momentum 0.9",
    ("numpy", 1.1),
)


class CNNStep(_Framework):
    name = "cnn.small_step"
    group = "training"
    description = "Conv2d(1->16, 3x3)+ReLU+MaxPool2d(2)+Linear(144->10), fwd+bwd, 64 8x8 images"
    needs = ("nn.Sequential", "nn.Conv2d", "nn.ReLU", "nn.MaxPool2d", "nn.Flatten", "nn.Linear")
    needs += ("nn.functional.cross_entropy",)

    def numpy(self):
        import numpy as np

        from ._numpy_ref import cnn_loss_grads, cnn_params

        params = cnn_params(np.random.default_rng(1))
        x, y = _data(64, None, 10, shape=(1, 8, 8))
        return lambda: cnn_loss_grads(params, x, y)

    def framework(self, lib):
        nn = lib.nn
        model = nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(144, 10)
        )
        x, y = (lib.from_numpy(a) for a in _data(64, None, 10, shape=(1, 8, 8)))

        def step():
            model.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()

        return step


class StepMemory(Workload):
    """Peak memory of the large MLP's training step: data, parameters, gradients, momentum
    buffers and the step's temporaries, after one warm-up step."""

    group = "memory"
    needs = NN

    def __init__(self, kind: str, libs: tuple, target) -> None:
        self.kind, self.libs, self.target = kind, libs, target
        how = "tracemalloc" if kind == "memory-traced" else "resident set high-water"
        self.name = f"memory.large_step.{'traced' if kind == 'memory-traced' else 'rss'}"
        self.description = f"peak memory of mlp.large_step ({how})"

    def build(self, lib):
        return LARGE.build(lib)


register(Chain())
register(DIGITS)
register(LARGE)
register(CNNStep())
# tracemalloc sees NumPy's allocations, not torch's: that row compares bridgetensor and NumPy.
register(StepMemory("memory-traced", ("bridgetensor", "numpy"), ("numpy", 1.2)))
register(StepMemory("memory-rss", ("bridgetensor", "torch", "numpy"), None))
