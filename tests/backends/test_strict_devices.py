"""array-api-strict's fake devices: tensors keep their device; mixing devices raises."""

from __future__ import annotations

import pytest

import bridgetensor as bt
from bridgetensor._backend import get_backend

pytestmark = pytest.mark.skipif(
    bt.get_default_backend() != "array_api_strict",
    reason="array-api-strict's devices are those of its own backend",
)


def test_tensors_are_created_on_the_device_named():
    t = bt.ones(3, device="device1")
    assert t.device == bt.device("device1") and str(t.device) == "device1"
    assert bt.zeros(2, device="cpu").device == bt.device("cpu")
    assert bt.tensor([1.0, 2.0], device="device2").device == bt.device("device2")


def test_results_and_gradients_stay_on_the_device():
    x = bt.tensor([1.0, 2.0, 3.0], device="device1", requires_grad=True)
    y = (x * x + 1.0).exp().sum()
    assert y.device == bt.device("device1")
    y.backward()
    assert x.grad.device == bt.device("device1")


def test_moving_between_devices_copies_and_carries_the_gradient_back():
    x = bt.tensor([1.0, 2.0], device="device1", requires_grad=True)
    moved = x.to("device2")
    assert moved.device == bt.device("device2") and moved.tolist() == [1.0, 2.0]
    (moved * 3.0).sum().backward()
    assert x.grad.device == bt.device("device1") and x.grad.tolist() == [3.0, 3.0]
    assert x.to("device1") is x


def test_mixing_devices_raises_a_clear_error():
    a = bt.ones(2, device="device1")
    b = bt.ones(2, device="device2")
    with pytest.raises(ValueError, match=r"two different devices .*device1.*device2"):
        a + b
    with pytest.raises(ValueError, match=r"two different devices"):
        a.mul_(b)
    assert a.tolist() == [1.0, 1.0]  # the refused write changed nothing


def test_an_unknown_device_is_refused_before_anything_is_made():
    with pytest.raises(RuntimeError, match=r"array-api-strict has the devices 'cpu', 'device1'"):
        bt.zeros(2, device="device9")
    assert get_backend("array_api_strict").native_device(None) is None
