"""Zero-copy bridges: NumPy, the buffer protocol, DLPack; sharing proved by identity."""

from __future__ import annotations

import array
import inspect
import mmap
import re
import sys

import numpy as np
import pytest

import bridgetensor as bt

from .conftest import BACKEND, numpy_only
from .helpers import to_np

GRAD_ERROR = "Can't call numpy() on Tensor that requires grad"


def _escape(text: str) -> str:
    return re.escape(text)


# ---------------------------------------------------------------- NumPy


@numpy_only
def test_from_numpy_and_numpy_share_both_ways():
    a = np.zeros(3)
    t = bt.from_numpy(a)
    a[0] = 5.0
    assert t[0].item() == 5.0
    t[1] = 7.0
    assert a[1] == 7.0
    back = t.numpy()
    assert back is a or np.shares_memory(back, a)
    assert np.shares_memory(bt.to_numpy(t), a)


@numpy_only
def test_numpy_protocols_share():
    a = np.arange(4.0)
    t = bt.from_numpy(a)
    assert np.shares_memory(np.asarray(t), a)
    assert np.shares_memory(np.array(t, copy=False), a)
    assert not np.shares_memory(np.array(t), a)  # np.array copies by default
    assert t.__array_interface__["data"][0] == a.ctypes.data
    assert np.shares_memory(t.__array__(), a)
    assert not np.shares_memory(t.__array__(copy=True), a)
    with pytest.raises(ValueError, match="needs a copy, but copy=False"):
        t.__array__(np.float32, copy=False)


def test_numpy_refuses_tensors_that_require_grad():
    # On the host: a GPU tensor is refused first for its device, as torch's is (test_devices).
    t = bt.ones(2, requires_grad=True, device="cpu")
    for convert in (t.numpy, lambda: bt.to_numpy(t), lambda: np.asarray(t)):
        with pytest.raises(RuntimeError, match=_escape(GRAD_ERROR)):
            convert()
    assert to_np(t).tolist() == [1.0, 1.0]
    assert bt.to_numpy(t, force=True).tolist() == [1.0, 1.0]
    assert t.numpy(force=True).tolist() == [1.0, 1.0]


def test_from_numpy_refusals():
    with pytest.raises(TypeError, match=r"expected np.ndarray \(got list\)"):
        bt.from_numpy([1, 2])
    with pytest.raises(ValueError, match="byte order different from the native byte order"):
        bt.from_numpy(np.arange(3, dtype=">i4"))
    with pytest.raises(TypeError, match=_escape("can't convert np.ndarray of type numpy.object_")):
        bt.from_numpy(np.array([1], dtype=object))


def test_non_native_byte_order_is_copied_by_tensor_and_as_tensor():
    big = np.arange(3, dtype=">i4")
    for make in (bt.tensor, bt.as_tensor, bt.asarray):
        t = make(big)
        assert t.dtype is bt.int32
        assert to_np(t).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="copy=False"):
        bt.asarray(big, copy=False)


# ---------------------------------------------------------------- read-only memory


@numpy_only
def test_read_only_arrays_are_shared_but_never_written():
    a = np.arange(3.0)
    a.flags.writeable = False
    t = bt.from_numpy(a)
    assert np.shares_memory(t.numpy(), a)
    for write in (lambda: t.add_(1), lambda: t.__setitem__(0, 5.0), lambda: t.mul_(2)):
        with pytest.raises(RuntimeError, match="memory is read-only"):
            write()
    assert a.tolist() == [0.0, 1.0, 2.0]
    assert (t + 1).tolist() == [1.0, 2.0, 3.0]  # reading is fine
    assert t.clone().add_(1).tolist() == [1.0, 2.0, 3.0]


# ---------------------------------------------------------------- buffer protocol in


@numpy_only
@pytest.mark.parametrize(
    "make",
    [
        lambda: bytearray(16),
        lambda: array.array("f", [0.0] * 4),
        lambda: memoryview(bytearray(16)),
        lambda: mmap.mmap(-1, 16),
    ],
    ids=["bytearray", "array", "memoryview", "mmap"],
)
def test_frombuffer_and_asarray_wrap_buffers_without_copying(make):
    for wrap in (
        lambda b: bt.frombuffer(b, dtype=bt.float32),
        lambda b: bt.asarray(b, dtype=bt.float32),
        lambda b: bt.asarray(b),  # the default float dtype, as torch
    ):
        buffer = make()
        t = wrap(buffer)
        assert t.shape == (4,) and t.dtype is bt.float32
        t[1] = 2.0
        assert bytes(memoryview(buffer).cast("B")[4:8]) == np.float32(2.0).tobytes()
        assert np.shares_memory(t.numpy(), np.frombuffer(buffer, dtype=np.uint8))


def test_frombuffer_count_and_offset():
    data = np.arange(4, dtype=np.int32).tobytes()
    assert bt.frombuffer(data, dtype=bt.int32, count=2, offset=4).tolist() == [1, 2]
    assert bt.frombuffer(data, dtype=bt.int32, offset=8).tolist() == [2, 3]
    t = bt.frombuffer(bytearray(8), dtype=bt.float32, requires_grad=True)
    assert t.requires_grad and t.is_leaf


@numpy_only
def test_frombuffer_of_bytes_is_read_only():
    t = bt.frombuffer(b"abcd", dtype=bt.uint8)
    assert t.tolist() == [97, 98, 99, 100]
    with pytest.raises(RuntimeError, match="memory is read-only"):
        t[0] = 1


@pytest.mark.parametrize(
    "options, message",
    [
        ({"count": 3}, "requested buffer length (3 * 4 bytes) after offset (0 bytes) must not"),
        ({"offset": 9}, "offset (9 bytes) must be non-negative and no greater than buffer"),
        ({"offset": -1}, "offset (-1 bytes) must be non-negative"),
        ({"count": 0}, "both buffer length (8) and count (0) must not be 0"),
    ],
)
def test_frombuffer_errors(options, message):
    with pytest.raises(ValueError, match=_escape(message)):
        bt.frombuffer(bytearray(8), dtype=bt.float32, **options)


def test_frombuffer_more_errors():
    with pytest.raises(ValueError, match=_escape("buffer length (7 bytes) after offset (0")):
        bt.frombuffer(bytearray(7), dtype=bt.float32)
    with pytest.raises(
        ValueError, match=_escape("object does not implement Python buffer protocol.")
    ):
        bt.frombuffer([1, 2], dtype=bt.float32)
    with pytest.raises(ValueError, match=_escape("both buffer length (0) and count (-1)")):
        bt.frombuffer(b"", dtype=bt.float32)


# ---------------------------------------------------------------- buffer protocol out


@numpy_only
def test_buffer_export_shares():
    a = np.arange(4.0)
    t = bt.from_numpy(a)
    view = t.__buffer__(inspect.BufferFlags.FULL_RO if sys.version_info >= (3, 12) else 0)
    assert view.format == "d" and view.shape == (4,)
    assert np.shares_memory(np.asarray(view), a)
    t.__release_buffer__(view)
    with pytest.raises(RuntimeError, match=_escape(GRAD_ERROR)):
        bt.ones(2, requires_grad=True).__buffer__(0)
    read_only = np.arange(2.0)
    read_only.flags.writeable = False
    with pytest.raises(BufferError, match="read-only"):
        bt.from_numpy(read_only).__buffer__(1)


@numpy_only
@pytest.mark.skipif(sys.version_info < (3, 12), reason="memoryview(obj) calls __buffer__ from 3.12")
def test_memoryview_of_a_tensor_writes_through():
    a = np.arange(4.0)
    t = bt.from_numpy(a)
    with memoryview(t) as view:
        view[0] = 9.0
    assert a[0] == 9.0


# ---------------------------------------------------------------- DLPack


@numpy_only
def test_dlpack_both_ways_with_numpy():
    a = np.arange(4.0)
    t = bt.from_dlpack(a)
    assert np.shares_memory(t.numpy(), a)
    out = np.from_dlpack(t)
    assert np.shares_memory(out, a)
    assert t.__dlpack_device__() == (1, 0)
    capsule = a.__dlpack__()
    assert np.shares_memory(bt.from_dlpack(capsule).numpy(), a)


def test_dlpack_round_trip_on_any_backend():
    t = bt.arange(6.0)
    back = bt.from_dlpack(t)
    assert back.tolist() == t.tolist()
    assert bt.from_dlpack(np.arange(3.0)).tolist() == [0.0, 1.0, 2.0]


def test_dlpack_refuses_tensors_that_require_grad():
    with pytest.raises(BufferError, match="Can't export tensors that require gradient"):
        bt.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(TypeError, match="expected an object with __dlpack__"):
        bt.from_dlpack([1, 2])


@numpy_only
def test_dlpack_export_of_negative_strides_copies_or_refuses():
    a = np.arange(4.0)
    flipped = bt.from_numpy(a[::-1])
    out = np.from_dlpack(flipped)
    assert out.tolist() == [3.0, 2.0, 1.0, 0.0]
    assert all(s > 0 for s in out.strides) and not np.shares_memory(out, a)
    with pytest.raises(BufferError, match="negative strides"):
        flipped.__dlpack__(copy=False)


@numpy_only
def test_dlpack_export_of_read_only_memory_copies_unless_told():
    a = np.arange(3.0)
    a.flags.writeable = False
    t = bt.from_numpy(a)
    out = np.from_dlpack(t)
    assert not np.shares_memory(out, a) and out.flags.writeable
    shared = np.from_dlpack(t, copy=False)
    assert np.shares_memory(shared, a) and not shared.flags.writeable


def test_device_moves_are_identity_on_the_host():
    t = bt.ones(2, device="cpu")
    assert t.cpu() is t
    assert t.to("cpu") is t
    assert t.to(t.device) is t
    made = bt.ones(2)  # on the default device, which a GPU run puts on the GPU
    assert made.to(made.device) is made and made.to(str(made.device)) is made


@pytest.mark.skipif(BACKEND == "cupy", reason="checks the refusal without CuPy")
def test_cuda_without_cupy_says_so():
    try:
        import cupy  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("CuPy is installed")
    moves = (
        lambda: bt.ones(2).cuda(),
        lambda: bt.ones(2).to("cuda"),
        lambda: bt.zeros(2, device="cuda"),
    )
    for move in moves:
        with pytest.raises(RuntimeError, match="CUDA tensors need CuPy"):
            move()
