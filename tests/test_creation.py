"""Creation functions: dtype inference, shapes, copies, ranges and their errors (no torch)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor._backend import default_backend
from bridgetensor._creation_ranges import fma

from .conftest import numpy_only
from .helpers import to_np


@pytest.mark.parametrize(
    "data, dtype",
    [
        ([[1, 2], [3, 4]], bt.int64),
        ([1, 2.0], bt.float32),
        ([True, 1], bt.int64),
        ([True, False], bt.bool),
        ([1, 2j], bt.complex64),
        ([np.float64(1)], bt.float64),
        ([1, np.float16(2)], bt.float16),
        ([np.uint8(2), np.int8(2)], bt.int16),
        ([], bt.float32),
        (np.int32(2), bt.int32),
        (range(3), bt.int64),
    ],
)
def test_tensor_infers_torch_dtypes(data, dtype):
    if dtype not in default_backend().native:
        pytest.skip(f"the {default_backend().name} backend has no {dtype.name}")
    assert bt.tensor(data).dtype is dtype


def test_tensor_follows_the_default_dtype():
    bt.set_default_dtype(bt.float64)
    try:
        assert bt.tensor([1.5]).dtype is bt.float64
        assert bt.tensor([1j]).dtype is bt.complex128
        assert bt.arange(0.0, 1.0, 0.5).dtype is bt.float64
    finally:
        bt.set_default_dtype(bt.float32)


def test_tensor_copies():
    a = np.arange(3.0)
    t = bt.tensor(a)
    a[0] = 99.0
    assert to_np(t)[0] == 0.0
    source = bt.ones(2)
    copy = bt.tensor(source)
    source.add_(1)
    assert to_np(copy).tolist() == [1.0, 1.0]


def test_tensor_of_a_tensor_is_detached():
    leaf = bt.ones(2, requires_grad=True)
    assert not bt.tensor(leaf).requires_grad
    assert bt.tensor(leaf, requires_grad=True).is_leaf


@pytest.mark.parametrize(
    "data, error, message",
    [
        ([[1, 2], [3]], ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
        ([[1, 2], 3], TypeError, "not a sequence"),
        ("a", TypeError, "new(): invalid data type 'str'"),
        (["a"], ValueError, "too many dimensions 'str'"),
        ([None], RuntimeError, "Could not infer dtype of NoneType"),
        ([2**63], ValueError, "Overflow when unpacking long long"),
        ([bt.ones(2), bt.ones(2)], ValueError, "only one element tensors"),
        (np.array(["a"]), TypeError, "can't convert np.ndarray of type numpy.str_"),
    ],
)
def test_tensor_errors(data, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        bt.tensor(data)


def test_tensor_value_conversion_errors():
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8 without"):
        bt.tensor([300], dtype=bt.uint8)
    with pytest.raises(TypeError, match="must be real number, not complex"):
        bt.tensor(1 + 2j, dtype=bt.float32)
    assert bt.tensor([-1], dtype=bt.uint8).tolist() == [255]  # torch wraps negatives


def test_requires_grad_needs_a_float_dtype():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        bt.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        bt.zeros(2, dtype=bt.int64, requires_grad=True)
    assert bt.zeros(2, dtype=bt.complex64, requires_grad=True).requires_grad


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_filled_shapes(name):
    make = getattr(bt, name)
    assert make(2, 3).shape == (2, 3)
    assert make((2, 3)).shape == (2, 3)
    assert make([2, 3]).shape == (2, 3)
    assert make(bt.Size([2])).shape == (2,)
    assert make(np.int64(2)).shape == (2,)
    assert make(()).shape == ()
    assert make(2, dtype=bt.int32).dtype is bt.int32


def test_filled_errors():
    with pytest.raises(RuntimeError, match=r"zeros: Dimension size must be non-negative\."):
        bt.zeros(-1)
    with pytest.raises(RuntimeError, match=r"negative dimension -2: \[-2\]"):
        bt.ones(-2)
    with pytest.raises(TypeError, match=r"zeros\(\): argument 'size' \(position 1\) must be"):
        bt.zeros(2.0)
    with pytest.raises(TypeError, match="failed to unpack the object at pos 2"):
        bt.zeros((2, 3.0))
    with pytest.raises(TypeError, match=r"full\(\): argument 'size' \(position 1\)"):
        bt.full(2, 1.0)
    with pytest.raises(TypeError, match=r"zeros_like\(\): argument 'input'"):
        bt.zeros_like([1, 2])


@pytest.mark.parametrize(
    "value, dtype", [(7, bt.int64), (True, bt.bool), (1.5, bt.float32), (1j, bt.complex64)]
)
def test_full_infers_from_the_value(value, dtype):
    t = bt.full((2,), value)
    assert t.dtype is dtype
    assert to_np(t).tolist() == [value, value]


def test_full_converts_as_torch():
    assert bt.full((2,), 2.5, dtype=bt.int64).tolist() == [2, 2]
    assert bt.full((2,), bt.tensor(3)).dtype is bt.int64
    assert bt.full_like(bt.ones(2, dtype=bt.int64), 2.7).tolist() == [2, 2]


def test_like_functions_keep_dtype_and_not_grad():
    x = bt.ones(2, 3, dtype=bt.float64, requires_grad=True)
    for make in (bt.zeros_like, bt.ones_like, bt.empty_like):
        y = make(x)
        assert y.shape == (2, 3) and y.dtype is bt.float64 and not y.requires_grad
    assert bt.zeros_like(x, requires_grad=True).requires_grad


def test_eye():
    assert to_np(bt.eye(2, 3)).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert bt.eye(2, dtype=bt.bool).dtype is bt.bool
    with pytest.raises(RuntimeError, match="n must be greater or equal to 0, got -1"):
        bt.eye(-1)
    with pytest.raises(TypeError, match=r"eye\(\): argument 'n' \(position 1\) must be int"):
        bt.eye(2.0)


def test_arange_lengths_and_dtypes():
    assert bt.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert bt.arange(10, 0, -3).tolist() == [10, 7, 4, 1]
    assert bt.arange(1, 4, 0.5).tolist() == [1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert len(bt.arange(0, 1, 0.1)) == 10
    assert bt.arange(0.5, 3, dtype=bt.int64).tolist() == [0, 1, 2]  # truncated start
    assert bt.arange(5, 5).shape == (0,)


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 5, 0), RuntimeError, "step must be nonzero"),
        ((0, 5, -1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
        ((1, float("inf")), RuntimeError, "unsupported range: 1 -> inf"),
    ],
)
def test_arange_errors(args, error, message):
    with pytest.raises(error, match=message):
        bt.arange(*args)


def test_linspace_and_logspace():
    assert to_np(bt.linspace(0, 1, 5)).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert bt.linspace(0, 1, 1).tolist() == [0.0]
    assert bt.linspace(0, 1, 0).shape == (0,)
    assert bt.linspace(0, 10, 5, dtype=bt.int64).tolist() == [0, 2, 5, 7, 10]
    assert bt.linspace(0, 1j, 3).dtype is bt.complex64
    assert to_np(bt.logspace(0, 2, 3)).tolist() == [1.0, 10.0, 100.0]
    assert to_np(bt.logspace(0, 2, 3, base=2)).tolist() == [1.0, 2.0, 4.0]
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        bt.linspace(0, 1, -1)
    with pytest.raises(TypeError, match=r"linspace\(\): argument 'steps' must be int"):
        bt.linspace(0, 1, 2.5)


def test_fma_rounds_once():
    # 0.1 * 3 - 0.30000000000000004 is tiny but not zero; the unfused formula gives 0.
    a, c = 0.1, -0.30000000000000004
    assert a * 3.0 + c == 0.0
    assert float(fma(a, 3.0, c)) == float(Fraction(a) * 3 + Fraction(c))
    rng = np.random.default_rng(0)
    x, y, z = rng.normal(size=(3, 200))
    expected = [float(Fraction(p) * Fraction(q) + Fraction(r)) for p, q, r in zip(x, y, z)]
    assert fma(x, y, z).tolist() == expected
    assert np.signbit(fma(-1.0, 0.0, -0.0))  # an exact zero keeps IEEE's sign


def test_range_arguments_may_be_tensors():
    assert bt.arange(bt.tensor(3)).tolist() == [0, 1, 2]
    assert bt.linspace(bt.tensor(0.0), 1, bt.tensor(3)).tolist() == [0.0, 0.5, 1.0]


def test_legacy_constructor():
    assert bt.Tensor([1, 2]).dtype is bt.float32
    assert bt.Tensor(2, 3).shape == (2, 3)
    assert bt.Tensor().shape == (0,)
    with pytest.raises(TypeError, match=r"new\(\): data must be a sequence \(got float\)"):
        bt.Tensor(2.5)
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        bt.Tensor(-1)


@numpy_only
def test_as_tensor_and_asarray_share_numpy_memory():
    a = np.arange(3.0)
    assert np.shares_memory(bt.as_tensor(a).numpy(), a)
    assert np.shares_memory(bt.asarray(a).numpy(), a)
    assert not np.shares_memory(bt.asarray(a, copy=True).numpy(), a)
    assert not np.shares_memory(bt.as_tensor(a, dtype=bt.float32).numpy(), a)


def test_asarray_refusals():
    with pytest.raises(ValueError, match=r"can't alias arbitrary sequence into a tensor\."):
        bt.asarray([1, 2], copy=False)
    with pytest.raises(ValueError, match="can't alias tensor with dtype 'Float' into dtype 'Long'"):
        bt.asarray(bt.ones(2), dtype=bt.int64, copy=False)


def test_asarray_of_a_tensor_is_itself_unless_asked():
    t = bt.ones(2)
    assert bt.asarray(t) is t
    assert bt.as_tensor(t) is t
    assert bt.asarray(t, copy=True) is not t
    assert bt.asarray(t, dtype=bt.float64).dtype is bt.float64


def test_creation_on_cpu_device():
    assert bt.zeros(2, device="cpu").device == bt.device("cpu")
    assert bt.tensor([1.0], device=bt.device("cpu")).device == "cpu"
