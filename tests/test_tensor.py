"""Tensor basics: properties, sizes, Python protocols, conversions, and torch's errors."""

from __future__ import annotations

import copy
import operator
import re

import pytest

import bridgetensor as bt
from bridgetensor._backend import default_backend

from .helpers import default_device, to_np, type_name


def test_properties():
    t = bt.ones(2, 3)
    assert t.shape == (2, 3) and t.size() == (2, 3) and t.size(-1) == 3
    assert t.ndim == 2 and t.dim() == 2 and t.numel() == 6
    assert t.dtype is bt.float32 and t.element_size() == 4
    here = default_device()  # the host, unless the run puts new tensors elsewhere
    assert t.device == here and t.device == str(here)
    assert t.T.shape == (3, 2) and t.mT.shape == (3, 2)
    assert t.requires_grad is False and t.grad is None and t.grad_fn is None and t.is_leaf
    assert t.data.shape == (2, 3)


def test_size_errors():
    with pytest.raises(IndexError, match=re.escape("expected to be in range of [-2, 1]")):
        bt.ones(2, 3).size(2)
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        bt.tensor(1.0).size(0)


def test_item_and_tolist():
    assert bt.tensor([2.5]).item() == 2.5
    assert isinstance(bt.tensor(3).item(), int)
    assert bt.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    with pytest.raises(
        RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"
    ):
        bt.ones(2).item()
    with pytest.raises(
        RuntimeError, match="a Tensor with 0 elements cannot be converted to Scalar"
    ):
        bt.tensor([]).item()


def test_len_and_iter():
    t = bt.tensor([[1, 2], [3, 4]])
    assert len(t) == 2
    assert [row.tolist() for row in t] == [[1, 2], [3, 4]]
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(bt.tensor(1))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(bt.tensor(1))


def test_iteration_carries_gradients(backend):
    if backend == "torch":
        pytest.skip("getitem's gradient on the torch backend needs scatter with slice keys")
    x = bt.ones(2, 3, requires_grad=True)
    sum(row.sum() for row in x).backward()
    assert to_np(x.grad).tolist() == [[1.0] * 3] * 2


def test_scalar_conversions():
    assert bool(bt.tensor([1])) is True
    assert int(bt.tensor(2.7)) == 2 and float(bt.tensor(2)) == 2.0
    assert complex(bt.tensor(2)) == 2 + 0j
    assert operator.index(bt.tensor([2])) == 2 and operator.index(bt.tensor(True)) == 1
    assert [10, 20, 30][bt.tensor(1)] == 20


@pytest.mark.parametrize(
    "convert, error, message",
    [
        (lambda: bool(bt.ones(2)), RuntimeError, "with more than one value is ambiguous"),
        (lambda: bool(bt.tensor([])), RuntimeError, "with no values is ambiguous"),
        (lambda: int(bt.ones(2)), ValueError, "only one element tensors can be converted"),
        (lambda: float(bt.ones(2)), ValueError, "only one element tensors can be converted"),
        (lambda: operator.index(bt.tensor(2.7)), TypeError, "only integer tensors of a single"),
        (lambda: float(bt.tensor(1 + 2j)), RuntimeError, "to type double without overflow"),
        (lambda: int(bt.tensor(1 + 2j)), RuntimeError, "to type int64_t without overflow"),
    ],
)
def test_scalar_conversion_errors(convert, error, message):
    with pytest.raises(error, match=message):
        convert()


def test_requires_grad_rules():
    t = bt.ones(2)
    assert t.requires_grad_() is t and t.requires_grad
    t.requires_grad = False
    assert not t.requires_grad
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require"):
        bt.ones(2, dtype=bt.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="floating point and complex dtype can require"):
        bt.ones(2, dtype=bt.int64).requires_grad = True
    x = bt.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf"):
        x.requires_grad_(False)


def test_detach_and_clone():
    x = bt.ones(2, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    c = x.clone()
    assert c.requires_grad and type(c.grad_fn).__name__ == "CloneBackward0"
    assert copy.deepcopy(x).requires_grad


def test_casts():
    t = bt.tensor([1.5, -2.5])
    assert t.double().dtype is bt.float64
    if bt.float16 in default_backend().native:
        assert t.half().dtype is bt.float16
    assert t.int().tolist() == [1, -2] and t.long().dtype is bt.int64
    assert t.bool().tolist() == [True, True] and t.float() is t
    assert t.type() == type_name("FloatTensor")
    assert t.type(bt.float64).dtype is bt.float64
    assert t.type("torch.DoubleTensor").dtype is bt.float64
    assert bt.ones(1, dtype=bt.uint16).type() == type_name("UInt16Tensor")
    with pytest.raises(ValueError, match="invalid type: 'foo'"):
        t.type("foo")


def test_to_overloads():
    t = bt.ones(2)
    assert t.to(bt.float32) is t
    assert t.to(bt.float32, copy=True) is not t
    assert t.to("cpu", bt.float64).dtype is bt.float64
    assert t.to(device="cpu", dtype=bt.int32).dtype is bt.int32
    assert t.to(bt.ones(1, dtype=bt.int8)).dtype is bt.int8
    assert t.to(None) is t
    with pytest.raises(TypeError, match=re.escape("to() received an invalid combination")):
        t.to(bt.float64, "cpu")
    with pytest.raises(TypeError, match=re.escape("to() received an invalid combination")):
        t.to(foo=1)


def test_to_is_differentiable():
    x = bt.ones(2, requires_grad=True)
    y = x.to(bt.float64)
    assert type(y.grad_fn).__name__ == "ToCopyBackward0"
    y.sum().backward()
    assert x.grad.dtype is bt.float32


def test_contiguous():
    t = bt.ones(2, 3)
    assert t.is_contiguous() and t.contiguous() is t
    x = bt.ones(2, 3, requires_grad=True)
    transposed = x.T
    fixed = transposed.contiguous()
    assert fixed.is_contiguous()
    assert to_np(fixed).tolist() == to_np(transposed).tolist()
    fixed.sum().backward()
    assert to_np(x.grad).tolist() == [[1.0] * 3] * 2
