"""A model trained in PyTorch, loaded into bridgetensor: the same predictions, without torch.

1. PyTorch (when installed) trains a small MLP on scikit-learn's digits and saves its
   state_dict with `torch.save` (PyTorch's zip checkpoint, digits_torch.pt).
2. bridgetensor builds the same model, reads the file with `bt.load` (which parses the zip
   itself and never imports torch or unpickles code) and `load_state_dict`s it.
3. Both predict the test set: the same logits (to float32 rounding), the same classes.
4. And back: `bt.save(..., format="torch")` writes a file that `torch.load` reads.

    python examples/torch_checkpoint.py                      # steps 1-4 (needs torch)
    python examples/torch_checkpoint.py --checkpoint my.pt   # step 2-3 on a file you have

Needs scikit-learn (pip install 'bridgetensor[examples]'); PyTorch only to make the file.
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import bridgetensor as bt


def make_mlp(nn):
    """The same architecture in either library: pass torch.nn or bridgetensor.nn."""
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def load_data():
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    return train_test_split(images, labels, test_size=0.25, random_state=0, stratify=labels)


def train_with_pytorch(torch, x_train, y_train, epochs: int, path: str):
    """Step 1: the PyTorch side, as any PyTorch user writes it; returns the trained model."""
    torch.manual_seed(0)
    model = make_mlp(torch.nn)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    images, labels = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for _ in range(epochs):
        for batch in torch.randperm(len(images)).split(64):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(images[batch]), labels[batch]).backward()
            optimizer.step()
    torch.save(model.state_dict(), path)
    print(f"PyTorch {torch.__version__}: trained {epochs} epochs, saved the state_dict to {path}")
    return model.eval()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", help="a .pt state_dict of this MLP (skips PyTorch)")
    parser.add_argument("--quick", action="store_true", help="PyTorch trains 1 epoch, not 10")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BRIDGETENSOR_EXAMPLES_QUICK") == "1"
    with tempfile.TemporaryDirectory(prefix="bt-checkpoint-") as folder:
        return compare(args.checkpoint, folder, epochs=1 if quick else 10)


def compare(path: str | None, folder: str, epochs: int) -> dict:
    x_train, x_test, y_train, y_test = load_data()
    torch_model = None
    if path is None:
        try:
            import torch
        except ImportError:
            print(
                "PyTorch is not installed, so there is no checkpoint to load: run this on a "
                "machine with torch, or pass --checkpoint FILE.pt (a state_dict saved by "
                "torch.save for this model: Linear(64, 128), ReLU, Linear(128, 10))."
            )
            return {}
        path = os.path.join(folder, "digits_torch.pt")
        torch_model = train_with_pytorch(torch, x_train, y_train, epochs, path)

    # Step 2: bridgetensor alone from here on.
    model = make_mlp(bt.nn)
    model.load_state_dict(bt.load(path))
    model.eval()
    with bt.no_grad():
        logits = model(bt.as_tensor(x_test)).cpu().numpy()  # .cpu(): the model may be on a GPU
    accuracy = float(np.mean(logits.argmax(1) == y_test))
    print(f"bridgetensor, weights from {os.path.basename(path)}: accuracy {100 * accuracy:.2f}%")
    result = {"accuracy": accuracy, "logits": logits}
    if torch_model is None:
        return result

    # Step 3: the predictions of both libraries, side by side.
    with torch.no_grad():
        expected = torch_model(torch.from_numpy(x_test)).numpy()
    same = int(np.sum(logits.argmax(1) == expected.argmax(1)))
    difference = float(np.max(np.abs(logits - expected)))
    print(
        f"PyTorch on the same test set: accuracy {100 * np.mean(expected.argmax(1) == y_test):.2f}%"
    )
    print(f"same class for {same}/{len(y_test)} images; max |logit difference| {difference:.1e}")

    # Step 4: and back, from bridgetensor to PyTorch.
    back = os.path.join(folder, "digits_bt.pt")
    bt.save(model.state_dict(), back, format="torch")
    returned = make_mlp(torch.nn)
    returned.load_state_dict(torch.load(back, weights_only=True))
    identical = all(
        torch.equal(a, b)
        for a, b in zip(returned.state_dict().values(), torch_model.state_dict().values())
    )
    print(f"bt.save(format='torch') -> torch.load: weights identical: {identical}")
    return {**result, "torch_logits": expected, "same_class": same, "round_trip": identical}


if __name__ == "__main__":
    main()
