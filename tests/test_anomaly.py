"""detect_anomaly: NaN checks, forward call sites, and writes no version counter sees."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd
from bridgetensor.autograd import Function
from tests.conftest import numpy_only

pytestmark = [
    pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled"),
    pytest.mark.filterwarnings("ignore:Error detected in"),
]

CHANGED = "was changed after the forward pass by a write that bridgetensor could not see"


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


def mutable() -> bool:
    return bt.ones(1)._be.mutable


@pytest.mark.filterwarnings("default")
def test_switches():
    assert not autograd.is_anomaly_enabled()
    with pytest.warns(UserWarning, match="^Anomaly Detection has been enabled"):
        switch = autograd.detect_anomaly(check_nan=False)
    with switch:
        assert autograd.is_anomaly_enabled() and not autograd.is_anomaly_check_nan_enabled()
    assert not autograd.is_anomaly_enabled() and autograd.is_anomaly_check_nan_enabled()
    autograd.set_detect_anomaly(True)
    try:
        assert autograd.is_anomaly_enabled()
    finally:
        autograd.set_detect_anomaly(False)
    with autograd.set_detect_anomaly(True):
        assert autograd.is_anomaly_enabled()
    assert not autograd.is_anomaly_enabled()


def test_anomaly_mode_is_thread_local():
    seen = []
    with autograd.set_detect_anomaly(True):
        thread = threading.Thread(target=lambda: seen.append(autograd.is_anomaly_enabled()))
        thread.start()
        thread.join(5)
    assert seen == [False]


@numpy_only
def test_write_through_a_shared_numpy_array_is_caught():
    a = np.ones(3)
    x = bt.from_numpy(a)
    w = leaf([1.0, 2.0, 3.0])
    with autograd.detect_anomaly():
        y = (x * w).sum()
        a[0] = 5.0
        with pytest.raises(RuntimeError) as info:
            y.backward()
    message = str(info.value)
    assert message.startswith(
        "detect_anomaly: its saved input 0 [bridgetensor.DoubleTensor [3]], needed to compute "
        "the gradient of MulBackward0, " + CHANGED
    )
    assert "NumPy array" in message
    assert w.grad is None  # nothing was accumulated from the wrong values


@numpy_only
def test_the_same_write_without_anomaly_mode_goes_unseen():
    a = np.ones(3)
    x = bt.from_numpy(a)
    w = leaf([1.0, 2.0, 3.0])
    y = (x * w).sum()
    a[0] = 5.0
    y.backward()
    assert w.grad.tolist() == [5.0, 1.0, 1.0]  # the new values, not the ones used forward


@numpy_only
def test_write_into_a_saved_output_is_caught():
    x = leaf([0.0, 1.0])
    with autograd.detect_anomaly():
        y = x.exp()
        y.detach().numpy()[1] = 7.0
        with pytest.raises(
            RuntimeError, match="its output 0 .*gradient of ExpBackward0, " + CHANGED
        ):
            y.sum().backward()


def test_write_through_data_is_caught():
    if not mutable():
        pytest.skip("arrays of this backend cannot be written in place")
    x = leaf([1.0, 2.0])
    with autograd.detect_anomaly():
        y = x * x
        x.data.add_(1.0)  # .data is untracked: no version counter sees this
        with pytest.raises(RuntimeError, match=CHANGED):
            y.sum().backward()


def test_unchanged_values_pass_and_snapshots_are_dropped_after_backward():
    x = leaf([1.0, 2.0])
    with autograd.detect_anomaly():
        y = (x * x).exp()
        y.sum().backward()
    assert x.grad.tolist() == pytest.approx(2.0 * np.array([1.0, 2.0]) * np.exp([1.0, 4.0]))
    assert y.grad_fn.hooks["anomaly"].entries == []


@numpy_only
def test_custom_function_saved_tensors_are_snapshotted():
    class Mul(Function):
        @staticmethod
        def forward(ctx, x, w):
            out = x * w
            ctx.save_for_backward(x, out)
            return out

        @staticmethod
        def backward(ctx, grad):
            x, _out = ctx.saved_tensors
            return None, grad * x

    a = np.ones(2)
    w = leaf([1.0, 2.0])
    with autograd.detect_anomaly():
        y = Mul.apply(bt.from_numpy(a), w)
        a[1] = 3.0
        with pytest.raises(RuntimeError, match="its saved tensor 0 .*MulBackward, " + CHANGED):
            y.sum().backward()
        y = Mul.apply(bt.from_numpy(np.ones(2)), w)
        y.detach().numpy()[0] = 9.0
        with pytest.raises(RuntimeError, match=r"its saved tensor 1 \(output 0\)"):
            y.sum().backward()


def test_nan_in_a_backward_result():
    x = leaf([0.0, 1.0])
    with autograd.detect_anomaly(), np.errstate(all="ignore"):
        with pytest.raises(RuntimeError) as info:
            (x * x.log()).sum().backward()
    assert str(info.value) == "Function 'LogBackward0' returned nan values in its 0th output."
    with autograd.detect_anomaly(check_nan=False), np.errstate(all="ignore"):
        (x * x.log()).sum().backward()
    with np.errstate(all="ignore"):
        (x * x.log()).sum().backward()  # no check outside anomaly mode


def test_error_in_backward_warns_with_the_forward_call_site():
    class Broken(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("broken backward")

    x = leaf([1.0])
    with autograd.detect_anomaly():
        y = Broken.apply(x)  # the line the warning must name
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(ValueError, match="broken backward"):
                y.sum().backward()
    messages = [str(w.message) for w in caught if "Error detected" in str(w.message)]
    assert len(messages) == 1
    assert messages[0].startswith(
        "Error detected in BrokenBackward. Traceback of forward call that caused the error:\n"
    )
    assert "test_anomaly.py" in messages[0] and "y = Broken.apply(x)" in messages[0]
    assert "bridgetensor/autograd" not in messages[0]


def test_version_error_hint_in_anomaly_mode():
    x = leaf([1.0, 2.0])
    with autograd.detect_anomaly():
        y = x.exp()
        y.mul_(2.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError) as info:
                y.sum().backward()
    assert str(info.value).endswith(
        "Hint: the backtrace further above shows the operation that failed to compute its "
        "gradient. The variable in question was changed in there or anywhere later. Good luck!"
    )
