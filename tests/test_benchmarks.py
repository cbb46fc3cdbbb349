"""The benchmark suite keeps running: a --quick smoke run, and NumPy references that match torch.

No timing is asserted here (speed is reported by `python -m benchmarks`, never tested).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.workloads import REGISTRY, Workload, missing_features  # noqa: E402
from benchmarks.workloads import _numpy_ref as ref  # noqa: E402


def test_quick_run_writes_a_report(tmp_path):
    cmd = [sys.executable, "-m", "benchmarks", "--quick", "--only", "op.add.n100"]
    out = subprocess.run(
        [*cmd, "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "op.add.n100 " in out.stdout and "bt/numpy" in out.stdout
    report = json.loads((tmp_path / "latest.json").read_text())
    (row,) = report["results"]
    assert row["name"] == "op.add.n100" and "errors" not in row
    assert row["ratios"]["numpy"] > 0
    assert report["machine"]["threads"] == 1 and report["machine"]["numpy"]["version"]


def test_registry_is_complete():
    for w in REGISTRY.values():
        assert isinstance(w, Workload) and w.description and w.group
        if type(w).build is Workload.build:  # one builder method per library
            assert all(callable(getattr(w, lib, None)) for lib in w.libs), w.name


def test_missing_features_names_what_bridgetensor_lacks():
    import bridgetensor as bt

    assert missing_features(bt, ("relu", "Tensor.backward")) == []
    assert missing_features(bt, ("no_such_module.Linear",)) == ["no_such_module.Linear"]


def _torch_mlp(torch, params):
    layers = []
    for i in range(0, len(params), 2):
        linear = torch.nn.Linear(params[i].shape[1], params[i].shape[0])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(params[i]))
            linear.bias.copy_(torch.from_numpy(params[i + 1]))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def _data(rng, shape, classes=10):
    return rng.standard_normal(shape, dtype=np.float32), rng.integers(0, classes, shape[0])


@pytest.mark.oracle
def test_numpy_mlp_and_sgd_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    params = ref.linear_params(rng, (12, 16, 16, 5))
    model = _torch_mlp(torch, params)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    buffers = [None] * len(params)
    for _ in range(3):  # the first step's buffer differs from later ones
        x, y = _data(rng, (8, 12), classes=5)
        loss, grads = ref.mlp_loss_grads(params, x, y)
        opt.zero_grad()
        t_loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
        t_loss.backward()
        np.testing.assert_allclose(loss, t_loss.item(), rtol=1e-5)
        for g, p in zip(grads, model.parameters()):
            assert g.dtype == np.float32
            np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-4, atol=1e-6)
        ref.sgd_momentum_(params, grads, buffers, 0.1, 0.9)
        opt.step()
        for mine, p in zip(params, model.parameters()):
            np.testing.assert_allclose(mine, p.detach().numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.oracle
def test_numpy_cnn_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    params = ref.cnn_params(rng)
    x, y = _data(rng, (6, 1, 8, 8))
    loss, grads = ref.cnn_loss_grads(params, x, y)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(144, 10)
    )
    with torch.no_grad():
        for p, value in zip(model.parameters(), params):
            p.copy_(torch.from_numpy(value))
    t_loss = nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
    t_loss.backward()
    np.testing.assert_allclose(loss, t_loss.item(), rtol=1e-5)
    for g, p in zip(grads, model.parameters()):
        assert g.dtype == np.float32 and g.shape == tuple(p.shape)
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_numpy_chain_matches_bridgetensor():
    import bridgetensor as bt

    rng = np.random.default_rng(2)
    x, w, b = (rng.standard_normal(100, dtype=np.float32) for _ in range(3))
    total, grad = ref.chain_forward_backward(x, w, b, 25)
    t = bt.tensor(x, requires_grad=True)
    h = t
    for _ in range(25):
        h = (h * bt.tensor(w) + bt.tensor(b)).tanh() * 0.5
    h.sum().backward()
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, bt.to_numpy(t.grad), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(total, h.sum().item(), rtol=1e-5)
