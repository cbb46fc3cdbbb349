"""Bridges to PyTorch itself: DLPack both ways, torch-backed tensors, torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor._backend import get_backend
from bridgetensor.ops.transfer import transfer

from .conftest import numpy_only

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _pointer(t) -> int:
    return t.numpy().ctypes.data


@numpy_only
def test_torch_from_dlpack_shares_our_memory():
    t = bt.arange(4.0)
    theirs = torch.from_dlpack(t)
    assert theirs.data_ptr() == _pointer(t)
    theirs[0] = 42.0
    assert t[0].item() == 42.0


@numpy_only
def test_from_dlpack_of_torch_shares_its_memory():
    theirs = torch.arange(4.0)
    # NumPy imports an unversioned capsule read-only: it cannot tell whether writes are safe.
    assert _pointer(bt.from_dlpack(theirs.__dlpack__())) == theirs.data_ptr()
    ours = bt.from_dlpack(theirs)
    assert _pointer(ours) == theirs.data_ptr()
    ours[1] = 7.0
    assert theirs[1].item() == 7.0


@numpy_only
def test_negative_strides_reach_torch_as_a_positive_copy():
    # torch.from_dlpack(a[::-1]) on the NumPy array itself aborts the interpreter.
    a = np.arange(4.0)
    theirs = torch.from_dlpack(bt.from_numpy(a[::-1]))
    assert theirs.tolist() == [3.0, 2.0, 1.0, 0.0]
    assert all(s > 0 for s in theirs.stride())
    assert theirs.data_ptr() != a.ctypes.data
    assert bt.from_dlpack(a[::-1]).tolist() == [3.0, 2.0, 1.0, 0.0]


@numpy_only
def test_read_only_memory_reaches_torch_as_a_copy():
    a = np.arange(3.0)
    a.flags.writeable = False
    theirs = torch.from_dlpack(bt.from_numpy(a))
    theirs[0] = 9.0  # torch would write into read-only memory if it were shared
    assert a[0] == 0.0


def test_torch_backed_tensors_share_with_numpy_and_torch():
    native = torch.arange(4.0)
    t = bt.Tensor._wrap_array(native)
    assert t.backend == "torch"
    assert t.numpy().ctypes.data == native.data_ptr()
    assert np.asarray(t).ctypes.data == native.data_ptr()
    assert torch.from_dlpack(t).data_ptr() == native.data_ptr()
    assert np.from_dlpack(t).ctypes.data == native.data_ptr()


def test_moves_between_backends_share_and_carry_the_gradient_back():
    numpy_backend, torch_backend = get_backend("numpy"), get_backend("torch")
    x = bt.from_numpy(np.arange(3.0)).requires_grad_()
    moved = transfer(
        x, backend=torch_backend, device=None, source=numpy_backend, source_device=x.device
    )
    assert moved.backend == "torch"
    assert moved._data.data_ptr() == x.detach().numpy().ctypes.data  # shared through DLPack
    assert type(moved.grad_fn).__name__ == "ToCopyBackward0"
    (moved * moved).sum().backward()
    assert x.grad.backend == "numpy"
    assert x.grad.tolist() == (2 * torch.arange(3.0, dtype=torch.float64)).tolist()


def test_requires_grad_errors_match_torch():
    for lib in (bt, torch):
        t = lib.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError) as found:
            t.numpy()
        with pytest.raises(BufferError) as exported:
            t.__dlpack__()
        if lib is bt:
            ours = (str(found.value), str(exported.value))
        else:
            assert ours == (str(found.value), str(exported.value))


def test_frombuffer_errors_match_torch():
    cases = [
        (bytearray(8), {"count": 3}),
        (bytearray(8), {"offset": 9}),
        (bytearray(7), {}),
        (bytearray(0), {}),
        (bytearray(8), {"count": 0}),
        (bytearray(6), {"offset": 1}),
        ([1, 2], {}),
    ]
    for buffer, options in cases:
        messages = []
        for lib in (bt, torch):
            with pytest.raises(ValueError) as found:
                lib.frombuffer(buffer, dtype=lib.float32, **options)
            messages.append(str(found.value))
        assert messages[0] == messages[1]
    for options in ({"count": 1, "offset": 4}, {"count": -1, "offset": 4}, {}):
        data = np.arange(2, dtype=np.float32).tobytes()
        ours = bt.frombuffer(bytearray(data), dtype=bt.float32, **options)
        theirs = torch.frombuffer(bytearray(data), dtype=torch.float32, **options)
        assert ours.tolist() == theirs.tolist()
