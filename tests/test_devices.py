"""Devices and moves between backends (the `transfer` primitive has no op-table row)."""

from __future__ import annotations

import os

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor._backend import default_backend, get_backend
from bridgetensor.ops.transfer import transfer

from .helpers import default_device, to_np


def test_device_objects():
    assert str(bt.device("cuda:1")) == "cuda:1"
    assert bt.device("cuda", 0).index == 0
    assert bt.device("cpu") == "cpu"
    assert repr(bt.device("cpu")) == "device(type='cpu')"
    with pytest.raises(RuntimeError, match="Invalid device string: 'cuda:x'"):
        bt.device("cuda:x")


def test_new_tensors_go_to_the_host_unless_the_run_names_a_device():
    # What the device-aware tests compare with (helpers.default_device): the host on every
    # backend but CuPy, whose tensors go to the current GPU.
    named = os.environ.get("BRIDGETENSOR_DEVICE")
    expected = named or ("cuda:0" if default_backend().is_gpu else "cpu")
    assert default_device() == bt.device(expected)


def test_host_only_backends_refuse_other_devices():
    if default_backend().name not in ("numpy", "dask"):
        pytest.skip("the default backend has devices of its own")
    with pytest.raises(RuntimeError, match="has only the 'cpu' device"):
        bt.zeros(2, device="foo")


@pytest.mark.parametrize("target", ["numpy", "array_api_strict"])
def test_transfer_moves_values_and_the_gradient_back(target):
    source, to = default_backend(), get_backend(target)
    x = bt.tensor([1.0, 2.0, 3.0], dtype=bt.float64, requires_grad=True)
    moved = transfer(x, backend=to, device=None, source=source, source_device=x.device)
    assert moved.backend == target
    assert to_np(moved).tolist() == [1.0, 2.0, 3.0]
    (moved * moved).sum().backward()
    assert x.grad.backend == source.name
    assert to_np(x.grad).tolist() == [2.0, 4.0, 6.0]


def test_transfer_from_numpy_to_strict_shares_through_dlpack():
    a = np.arange(3.0)
    numpy_backend = get_backend("numpy")
    moved = transfer(
        bt.from_numpy(a),
        backend=get_backend("array_api_strict"),
        device=None,
        source=numpy_backend,
        source_device=bt.device("cpu"),
    )
    assert np.shares_memory(np.from_dlpack(moved._data), a)


def test_transfer_without_grad_records_nothing():
    x = bt.ones(2, requires_grad=True)
    with bt.no_grad():
        moved = transfer(
            x, backend=get_backend("numpy"), device=None, source=x._be, source_device=x.device
        )
    assert moved.grad_fn is None and not moved.requires_grad


# ---------------------------------------------------------------- CUDA (needs CuPy and a GPU)


def _cupy():
    cp = pytest.importorskip("cupy", reason="CUDA checks need CuPy")
    try:
        cp.cuda.runtime.getDeviceCount()
    except Exception:
        pytest.skip("CuPy finds no GPU")
    return cp


def test_cuda_moves_and_refusals():
    _cupy()
    t = bt.arange(4.0, device="cpu").cuda()  # from the host, whatever the default device
    assert t.backend == "cupy" and t.device == bt.device("cuda", 0) and t.is_cuda
    assert t.cuda() is t and t.to("cuda:0") is t
    assert t.cpu().backend == "numpy" and t.cpu().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert bt.zeros(2, device="cuda").backend == "cupy"
    assert t.type() == "bridgetensor.cuda.FloatTensor"
    for refused in (t.numpy, lambda: np.asarray(t)):
        with pytest.raises(TypeError, match=r"Use Tensor.cpu\(\) to copy the tensor to host"):
            refused()
    with pytest.raises(BufferError, match=r"call \.cpu"):
        t.__buffer__(0)
    assert bt.to_numpy(t).tolist() == [0.0, 1.0, 2.0, 3.0]  # the explicit copy


def test_cuda_dlpack_shares_with_cupy():
    cp = _cupy()
    c = cp.arange(4.0)
    t = bt.from_dlpack(c)
    assert t.backend == "cupy" and t._data.data.ptr == c.data.ptr
    assert cp.from_dlpack(t).data.ptr == c.data.ptr
    assert t.__dlpack_device__()[0] == 2


def test_cuda_gradient_moves_back():
    _cupy()
    x = bt.tensor([1.0, 2.0, 3.0], requires_grad=True, device="cpu")
    y = x.cuda()
    assert type(y.grad_fn).__name__ == "ToCopyBackward0"
    (y * y).sum().backward()
    assert x.grad.backend == "numpy" and x.grad.tolist() == [2.0, 4.0, 6.0]
