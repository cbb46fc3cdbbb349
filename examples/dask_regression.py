"""Logistic regression on a data set larger than memory: bridgetensor autograd over Dask.

The data (10 GB of float32 features by default) are generated lazily, chunk by chunk,
by Dask's random generator, and never held whole: each gradient step is one pass over
the chunks on a dask.distributed cluster, where every chunk is made, used by the
forward and backward pass, and dropped. The model and its gradient are ordinary
bridgetensor code; `bridgetensor.persist` evaluates the loss and both gradients in
that one pass.

    python examples/dask_regression.py                        # 10 GB on a local cluster
    python examples/dask_regression.py --gigabytes 0.01 --steps 3     # a quick look
    python examples/dask_regression.py --scheduler tcp://10.0.0.5:8786  # a real cluster

On a real cluster the workers need NumPy, Dask and bridgetensor installed (the tasks
are NumPy kernels, but their graph names bridgetensor's functions). The script prints
the loss per step and the peak memory of the driver and of every worker.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np

import bridgetensor as bt


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(gigabytes: float, features: int, chunk_mb: float, seed: int):
    """Lazy features X (float32) and labels y of a noisy linear rule, chunked by rows."""
    rows = max(int(gigabytes * 1e9 / (features * 4)), 2)
    chunk_rows = max(int(chunk_mb * 2**20 / (features * 4)), 1)
    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, features), chunks=(chunk_rows, features), dtype=np.float32)
    true_w = np.random.default_rng(seed).standard_normal(features).astype(np.float32)
    noise = rng.standard_normal(rows, chunks=chunk_rows, dtype=np.float32)
    y = ((X @ true_w + noise) > 0).astype(np.float32)
    return X, y, true_w


def logistic_loss(logits, targets):
    """Mean binary cross-entropy on logits, stable for large |logits|:
    log(1 + e^z) - y z, with log(1 + e^z) = relu(z) + log(1 + e^-|z|)."""
    softplus = logits.relu() + ((-logits.abs()).exp() + 1.0).log()
    return (softplus - targets * logits).mean()


def fit(X, y, *, steps: int, lr: float, log=print):
    """Full-batch gradient descent; returns the weights, the bias and the losses."""
    features = X.shape[1]
    inputs, targets = bt.asarray(X), bt.asarray(y)  # Dask-backed tensors, no copy
    # The parameters live beside the data: Dask arrays too (tiny, one chunk).
    weight = bt.asarray(da.zeros(features, dtype=np.float32)).requires_grad_()
    bias = bt.asarray(da.zeros(1, dtype=np.float32)).requires_grad_()
    optim = getattr(bt, "optim", None)
    optimizer = optim.SGD([weight, bias], lr=lr) if optim is not None else None
    losses = []
    for step in range(steps):
        start = time.perf_counter()
        loss = logistic_loss(inputs @ weight + bias, targets)  # a task graph: nothing ran yet
        loss.backward()  # the gradients are graphs too
        bt.persist(loss, weight.grad, bias.grad)  # one pass over the data computes all three
        if optimizer is not None:
            optimizer.step()
            optimizer.zero_grad()
        else:
            with bt.no_grad():
                weight -= lr * weight.grad
                bias -= lr * bias.grad
            weight.grad = bias.grad = None
        bt.persist(weight, bias)  # keep the parameters' graphs one step long
        losses.append(loss.item())
        log(f"step {step + 1}/{steps}: loss {losses[-1]:.5f} ({time.perf_counter() - start:.1f} s)")
    return weight, bias, losses


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=10.0, help="size of X (GB)")
    parser.add_argument("--features", type=int, default=32)
    parser.add_argument("--chunk-mb", type=float, default=64.0, help="MiB of X per chunk")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--lr", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://...)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster: worker processes")
    parser.add_argument("--memory-limit", default="700MiB", help="local cluster: per worker")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            memory_limit=args.memory_limit,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        X, y, true_w = make_data(args.gigabytes, args.features, args.chunk_mb, args.seed)
        print(
            f"X: {X.shape[0]:,} x {X.shape[1]} float32 = {X.nbytes / 1e9:.2f} GB in "
            f"{X.npartitions} chunks of {X.chunks[0][0]:,} rows; "
            f"{len(client.scheduler_info()['workers'])} workers at {client.scheduler.address}"
        )
        # Arrays made along the way (a gradient broadcast to X's length) get Dask's automatic
        # chunks: sized here to X's row chunks, they line up with X's without rechunking.
        with dask.config.set({"array.chunk-size": f"{X.chunks[0][0] * 4}B"}):
            weight, _, losses = fit(X, y, steps=args.steps, lr=args.lr)
        found = bt.to_numpy(weight.detach())
        cosine = float(found @ true_w / (np.linalg.norm(found) * np.linalg.norm(true_w)))
        workers = client.run(_peak_rss_mb)  # {address: MiB}, measured in each worker
        driver = _peak_rss_mb()
        total = driver + sum(workers.values())
        print(f"cosine(weights, true rule) = {cosine:.4f}")
        print(f"peak memory: driver {driver:.0f} MiB", end="")
        for address, mb in sorted(workers.items()):
            print(f", worker {address.rsplit(':', 1)[-1]} {mb:.0f} MiB", end="")
        print(f"; total {total:.0f} MiB ({total / 1024:.2f} GiB, data {X.nbytes / 2**30:.1f} GiB)")
        return {
            "losses": losses,
            "cosine": cosine,
            "peak_mb": total,
            "data_gb": X.nbytes / 1e9,
            "finite": all(math.isfinite(v) for v in losses),
        }
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main(sys.argv[1:])
