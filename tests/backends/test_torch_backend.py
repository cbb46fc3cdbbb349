"""PyTorch CPU tensors as the backend: the parts that differ from NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

torch = pytest.importorskip("torch")


def _wrap(array):
    return bt.asarray(array)


def test_torch_tensors_are_wrapped_without_copy():
    raw = torch.arange(4.0)
    t = _wrap(raw) if bt.get_default_backend() == "torch" else bt.Tensor._wrap_array(raw)
    assert t.backend == "torch" and t._data is raw
    assert t.device == bt.device("cpu")
    assert np.shares_memory(t.numpy(), raw.numpy())


def test_scatter_with_slices_ints_and_repeated_indices():
    be = bt.Tensor._wrap_array(torch.zeros(1))._be
    target = torch.zeros(3, 4, dtype=torch.float64)
    be.scatter_add(target, (torch.tensor([0, 0, 2]), slice(1, 3)), torch.ones(3, 2))
    assert target.tolist() == [[0, 2, 2, 0], [0, 0, 0, 0], [0, 1, 1, 0]]
    be.scatter_add(target, (1, Ellipsis), 3.0)
    assert target[1].tolist() == [3.0, 3.0, 3.0, 3.0]
    mask = torch.tensor([True, False, True])
    be.scatter_add(target, mask, torch.ones(2, 4, dtype=torch.float64))
    assert target[:, 0].tolist() == [1.0, 3.0, 1.0]


def test_gradient_of_mixed_key_indexing():
    x = bt.Tensor._wrap_array(torch.arange(6.0).reshape(2, 3)).requires_grad_()
    rows = bt.Tensor._wrap_array(torch.tensor([1, 1]))
    x[rows, 1:].sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [0.0, 2.0, 2.0]]
    assert x.grad.backend == "torch"
