"""One training step of a 784-1024-1024-10 MLP on the GPU: bridgetensor on CuPy vs PyTorch CUDA.

Both sides run the same step (forward, cross-entropy, backward, SGD update) on the same
GPU, with the same batch, in the same process; the clock stops after the device has
finished (each side synchronises its stream). Prints a table and writes it as JSON.

    python benchmarks/gpu_mlp.py --out results/        # needs CuPy (and torch with CUDA)
"""

from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import statistics
import time

import numpy as np

SIZES = (784, 1024, 1024, 10)


def _timed(step, sync, *, warmup: int, steps: int, repeats: int) -> list[float]:
    """Milliseconds per step, one number per repeat."""
    for _ in range(warmup):
        step()
    sync()
    found = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        sync()
        found.append((time.perf_counter() - start) * 1e3 / steps)
    return found


def _bridgetensor_step(inputs, labels, lr: float, device: str):
    import bridgetensor as bt
    from bridgetensor import nn

    layers = []
    for n_in, n_out in itertools.pairwise(SIZES):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers[:-1]).to(device)
    loss_fn = nn.CrossEntropyLoss()
    x = bt.from_numpy(inputs).to(device)
    y = bt.from_numpy(labels).to(device)
    params = list(model.parameters())
    optim = getattr(bt, "optim", None)
    optimizer = optim.SGD(params, lr=lr) if optim is not None else None
    assert all(p.device.type == device for p in params) and x.device.type == device

    def step():
        if optimizer is not None:
            optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        if optimizer is not None:
            optimizer.step()
        else:
            with bt.no_grad():
                for p in params:
                    p -= lr * p.grad
                    p.grad = None
        return loss

    if device == "cpu":
        return step, lambda: None, lambda: step().item()
    import cupy

    return step, cupy.cuda.Device().synchronize, lambda: step().item()


def _torch_step(inputs, labels, lr: float, device: str):
    import torch

    layers = []
    for n_in, n_out in itertools.pairwise(SIZES):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1]).to(device)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.from_numpy(inputs).to(device)
    y = torch.from_numpy(labels).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    sync = torch.cuda.synchronize if device == "cuda" else lambda: None
    return step, sync, lambda: step().item()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--out", type=pathlib.Path, help="folder for gpu_mlp.json")
    parser.add_argument("--device", default="cuda", help="cpu: a smoke run without a GPU")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((args.batch, SIZES[0]), dtype=np.float32)
    # One-hot probability targets: the same cross-entropy path on both sides.
    labels = np.eye(SIZES[-1], dtype=np.float32)[rng.integers(0, SIZES[-1], args.batch)]
    results = {"batch": args.batch, "sizes": SIZES, "steps": args.steps, "device": args.device}
    sides = {"bridgetensor+cupy": _bridgetensor_step, "torch+cuda": _torch_step}
    for name, make in sides.items():
        try:
            step, sync, loss = make(inputs, labels, 0.01, args.device)
            first = loss()
            times = _timed(step, sync, warmup=args.warmup, steps=args.steps, repeats=args.repeats)
        except Exception as error:  # a side that cannot run is reported, not fatal
            results[name] = {"error": f"{type(error).__name__}: {error}"}
            continue
        results[name] = {"ms_per_step": statistics.median(times), "all_ms": times, "loss": first}
    try:
        import cupy

        results["gpu"] = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception as error:
        results["gpu"] = f"unknown ({error})"
    ours, theirs = results.get("bridgetensor+cupy", {}), results.get("torch+cuda", {})
    if "ms_per_step" in ours and "ms_per_step" in theirs:
        results["ratio"] = ours["ms_per_step"] / theirs["ms_per_step"]
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {args.batch}, on {results['gpu']}")
    for name in sides:
        found = results[name]
        line = found.get("error") or f"{found['ms_per_step']:.3f} ms/step"
        print(f"  {name:18s} {line}")
    if "ratio" in results:
        print(f"  bridgetensor / torch = {results['ratio']:.2f}x")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu_mlp.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
