"""Handwritten digits with a multilayer perceptron: PyTorch code, run by bridgetensor on NumPy.

scikit-learn's bundled digits (1,797 8x8 images, no download) train a 64-256-256-10 MLP
with SGD and momentum, batched by a DataLoader. It reaches about 98% test accuracy in
20 epochs, and draws the loss and accuracy curves into a PNG when matplotlib is there.

    python examples/digits_mlp.py            # full run (~98% test accuracy)
    python examples/digits_mlp.py --quick    # a few epochs, for a smoke test

Needs scikit-learn (pip install 'bridgetensor[examples]'); tqdm and matplotlib are optional.
Apart from the import line this is plain PyTorch code: with `import torch` it runs on PyTorch.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import bridgetensor as torch

try:
    from tqdm import tqdm
except ImportError:  # tqdm is optional: epochs are printed either way
    tqdm = None


def load_data(seed: int = 0):
    """Digits as float32 pixels in [0, 1] and int64 labels; a stratified 75/25 split."""
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.25, random_state=seed, stratify=labels
    )
    return [torch.as_tensor(a) for a in (x_train, y_train, x_test, y_test)]


def make_model(hidden: int = 256) -> torch.nn.Module:
    nn = torch.nn
    return nn.Sequential(
        nn.Linear(64, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, 10),
    )


@torch.no_grad()
def accuracy(model, images, labels) -> float:
    model.eval()
    predictions = model(images).argmax(dim=1)
    return (predictions == labels).float().mean().item()


def train(model, loader, x_test, y_test, *, epochs: int, lr: float, momentum: float):
    """Train with SGD; returns the per-epoch history (mean training loss, test accuracy)."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    history = {"loss": [], "accuracy": [], "seconds": []}
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        batches = loader if tqdm is None else tqdm(loader, desc=f"epoch {epoch}", leave=False)
        total, seen = 0.0, 0
        for images, labels in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            seen += len(labels)
        seconds = time.perf_counter() - start
        history["loss"].append(total / seen)
        history["accuracy"].append(accuracy(model, x_test, y_test))
        history["seconds"].append(seconds)
        print(
            f"epoch {epoch:2d}/{epochs}  loss {total / seen:.4f}  "
            f"test accuracy {100 * history['accuracy'][-1]:.2f}%  ({seconds:.2f} s)"
        )
    return history


def plot(history, path: str, title: str) -> None:
    """Loss and accuracy per epoch, side by side, into a PNG (skipped without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # write files only; never open a window
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
        return
    epochs = range(1, len(history["loss"]) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(epochs, history["loss"], marker="o")
    left.set(xlabel="epoch", ylabel="training loss", yscale="log")
    right.plot(epochs, [100 * a for a in history["accuracy"]], marker="o", color="C1")
    right.set(xlabel="epoch", ylabel="test accuracy (%)")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"curves written to {path}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 epochs (a smoke test)")
    parser.add_argument("--epochs", type=int, default=None, help="default 20")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--hidden", type=int, default=256, help="width of both hidden layers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", default="digits_mlp.png", help="PNG path ('' for none)")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BRIDGETENSOR_EXAMPLES_QUICK") == "1"
    if args.epochs is None:
        args.epochs = 3 if quick else 20
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    torch.manual_seed(args.seed)  # the same initial weights as PyTorch draws
    x_train, y_train, x_test, y_test = load_data(args.seed)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=args.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(args.seed),
    )
    model = make_model(args.hidden)
    history = train(
        model, loader, x_test, y_test, epochs=args.epochs, lr=args.lr, momentum=args.momentum
    )
    print(f"final test accuracy: {100 * history['accuracy'][-1]:.2f}%")
    if args.plot:
        plot(history, args.plot, f"digits, 64-{args.hidden}-{args.hidden}-10 MLP, SGD")
    return history


if __name__ == "__main__":
    main()
