"""The digits MLP on an NVIDIA GPU: bridgetensor over CuPy, with device="cuda" as in PyTorch.

Tensors on "cuda" wrap CuPy arrays; `.to("cuda")` moves data and the model's parameters to
the GPU (through DLPack), and everything after that (forward, backward, SGD) runs there.
Batches are drawn by indexing the GPU tensors, and the loss is summed on the GPU and read
back once per epoch, so the host waits for the device only once an epoch.

    python examples/cupy_mlp.py                 # on the GPU (needs CuPy and an NVIDIA GPU)
    python examples/cupy_mlp.py --device cpu    # the same code on NumPy
    python examples/cupy_mlp.py --quick         # a few epochs

Without CuPy or a GPU it says so and exits. Needs scikit-learn for the data
(pip install 'bridgetensor[examples,cuda]').
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import bridgetensor as torch
from bridgetensor import nn


def device_ready(device: str) -> bool:
    """Whether tensors can be made on `device`; says why not when they cannot."""
    try:
        torch.zeros(1, device=device)
    except Exception as error:  # no CuPy, no GPU, no driver: each raises its own type
        print(f"skipped: no {device!r} device here ({error})")
        return False
    return True


def load_data(seed: int = 0):
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.25, random_state=seed, stratify=labels
    )
    return [torch.as_tensor(a) for a in (x_train, y_train, x_test, y_test)]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="'cuda', 'cuda:1', 'cpu', ...")
    parser.add_argument("--quick", action="store_true", help="3 epochs (a smoke test)")
    parser.add_argument("--epochs", type=int, default=None, help="default 20")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BRIDGETENSOR_EXAMPLES_QUICK") == "1"
    epochs = args.epochs or (3 if quick else 20)
    device = args.device
    if not device_ready(device):
        return {}

    torch.manual_seed(0)
    x_train, y_train, x_test, y_test = (t.to(device) for t in load_data())
    model = nn.Sequential(
        nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
    ).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(0)  # a CPU generator: the order PyTorch draws
    history = {"loss": [], "accuracy": [], "seconds": []}
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        total = torch.zeros((), device=device)
        for batch in (
            torch.randperm(len(x_train), generator=shuffle).to(device).split(args.batch_size)
        ):
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(batch)
        history["loss"].append(total.item() / len(x_train))  # .item() waits for the GPU
        history["seconds"].append(time.perf_counter() - start)
        model.eval()
        with torch.no_grad():
            correct = (model(x_test).argmax(dim=1) == y_test).sum().item()
        history["accuracy"].append(correct / len(y_test))
        print(
            f"epoch {epoch:2d}/{epochs}  loss {history['loss'][-1]:.4f}  test accuracy "
            f"{100 * history['accuracy'][-1]:.2f}%  ({history['seconds'][-1]:.2f} s)"
        )
    where = next(model.parameters()).device
    print(f"final test accuracy on {where}: {100 * history['accuracy'][-1]:.2f}%")
    return {**history, "device": str(where)}


if __name__ == "__main__":
    main()
