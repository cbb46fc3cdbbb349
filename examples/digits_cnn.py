"""Handwritten digits with a small convolutional network: PyTorch code, run by bridgetensor.

The digits of digits_mlp.py, seen as 1x8x8 images: two 3x3 convolutions with ReLU and 2x2
max pooling, then a linear classifier, trained with Adam. About 98% test accuracy in
15 epochs.

    python examples/digits_cnn.py            # full run
    python examples/digits_cnn.py --quick    # a few epochs, for a smoke test

Needs scikit-learn (pip install 'bridgetensor[examples]'); tqdm is optional.
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
from bridgetensor import nn

try:
    from tqdm import tqdm
except ImportError:  # tqdm is optional: epochs are printed either way
    tqdm = None


def load_data(seed: int = 0):
    """Digits as float32 images of shape (1, 8, 8) in [0, 1]; a stratified 75/25 split."""
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.25, random_state=seed, stratify=labels
    )
    return [torch.as_tensor(a) for a in (x_train, y_train, x_test, y_test)]


class DigitsCNN(nn.Module):
    def __init__(self, channels: int = 16) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size=3, padding=1),  # 8x8
            nn.ReLU(),
            nn.MaxPool2d(2),  # 4x4
            nn.Conv2d(channels, 2 * channels, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 2x2
        )
        self.classifier = nn.Linear(2 * channels * 2 * 2, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


@torch.no_grad()
def accuracy(model, images, labels) -> float:
    model.eval()
    return (model(images).argmax(dim=1) == labels).float().mean().item()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 epochs (a smoke test)")
    parser.add_argument("--epochs", type=int, default=None, help="default 15")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BRIDGETENSOR_EXAMPLES_QUICK") == "1"
    epochs = args.epochs or (2 if quick else 15)

    torch.manual_seed(args.seed)
    x_train, y_train, x_test, y_test = load_data(args.seed)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=args.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(args.seed),
    )
    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
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
        history["seconds"].append(time.perf_counter() - start)
        history["loss"].append(total / seen)
        history["accuracy"].append(accuracy(model, x_test, y_test))
        print(
            f"epoch {epoch:2d}/{epochs}  loss {total / seen:.4f}  test accuracy "
            f"{100 * history['accuracy'][-1]:.2f}%  ({history['seconds'][-1]:.2f} s)"
        )
    print(f"final test accuracy: {100 * history['accuracy'][-1]:.2f}%")
    return history


if __name__ == "__main__":
    main()
