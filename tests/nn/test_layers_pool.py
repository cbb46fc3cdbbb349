"""Pooling and padding: window geometry, torch's gradient routing at ties and NaN, sizes."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn

from ..helpers import to_np


def test_max_pool_values_indices_and_gradient_to_the_maximum():
    x = bt.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 7.0, 6.0]]]], requires_grad=True)
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(to_np(values), [[[[5.0, 7.0]]]])
    np.testing.assert_array_equal(to_np(indices), [[[[1, 6]]]])
    assert indices.dtype == bt.int64
    values.sum().backward()
    np.testing.assert_array_equal(to_np(x.grad), [[[[0, 1, 0, 0], [0, 0, 1, 0]]]])


@pytest.mark.parametrize("kernel, stride", [(2, 2), (3, 1)])
def test_ties_send_the_gradient_to_the_first_maximum(kernel, stride):
    # NOTE: torch's convention: the first maximum in row-major window order wins.
    x = bt.zeros(1, 1, 4, 4, requires_grad=True)
    F.max_pool2d(x, kernel, stride).sum().backward()
    expected = np.zeros((4, 4))
    for i in range(0, 4 - kernel + 1, stride):
        for j in range(0, 4 - kernel + 1, stride):
            expected[i, j] += 1
    np.testing.assert_array_equal(to_np(x.grad)[0, 0], expected)


def test_nan_is_a_maximum_and_the_last_nan_takes_the_gradient():
    x = bt.tensor([[[[math.nan, 1.0], [2.0, math.nan]]]], requires_grad=True)
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    assert math.isnan(float(values))
    assert int(indices) == 3
    values.sum().backward()
    np.testing.assert_array_equal(to_np(x.grad)[0, 0], [[0, 0], [0, 1]])


def test_an_all_minus_inf_window_points_inside_the_input():
    x = bt.full((1, 1, 2, 2), -math.inf, requires_grad=True)
    values, indices = F.max_pool2d(x, 2, stride=1, padding=1, return_indices=True)
    assert tuple(values.shape) == (1, 1, 3, 3)
    assert int(to_np(indices).min()) >= 0
    values.sum().backward()
    assert float(x.grad.sum()) == 9.0


@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected", [(5, 2, 2, 0, 3), (6, 3, 2, 1, 4)]
)
def test_ceil_mode_output_size(size, kernel, stride, padding, expected):
    x = bt.zeros(1, 1, size, size)
    out = F.max_pool2d(x, kernel, stride, padding, ceil_mode=True)
    assert tuple(out.shape[2:]) == (expected, expected)
    assert tuple(F.avg_pool2d(x, kernel, stride, padding, ceil_mode=True).shape[2:]) == (
        expected,
        expected,
    )


def test_avg_pool_divisors():
    x = bt.ones(1, 1, 3, 3)
    with_pad = F.avg_pool2d(x, 2, 2, 1)
    np.testing.assert_allclose(to_np(with_pad)[0, 0], np.full((2, 2), 0.25) * [[1, 2], [2, 4]])
    without = F.avg_pool2d(x, 2, 2, 1, count_include_pad=False)
    np.testing.assert_allclose(to_np(without), np.ones((1, 1, 2, 2)))
    override = F.avg_pool2d(x, 2, 1, divisor_override=2)
    np.testing.assert_allclose(to_np(override), np.full((1, 1, 2, 2), 2.0))


def test_integer_average_truncates_toward_zero():
    got = F.avg_pool2d(bt.tensor([[[[-3, 2], [1, -5]]]]), 2)
    assert got.dtype == bt.int64
    assert int(got) == -1


def test_adaptive_average_of_uneven_windows():
    x = bt.arange(5.0).reshape(1, 1, 5)
    got = F.adaptive_avg_pool1d(x, 3)
    # torch's windows: [floor(i*5/3), ceil((i+1)*5/3)) = [0, 2), [1, 4), [3, 5)
    np.testing.assert_allclose(to_np(got)[0, 0], [0.5, 2.0, 3.5])
    assert tuple(nn.AdaptiveAvgPool2d((None, 2))(bt.ones(1, 3, 4, 6)).shape) == (1, 3, 4, 2)


def test_pool_modules_repr():
    assert repr(nn.MaxPool2d(2)) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AvgPool1d(3)) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert repr(nn.AdaptiveAvgPool2d(1)) == "AdaptiveAvgPool2d(output_size=1)"


@pytest.mark.parametrize(
    "mode, numpy_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")]
)
def test_pad_modes_match_numpy(mode, numpy_mode):
    x = np.arange(12.0).reshape(1, 3, 4)
    got = F.pad(bt.tensor(x), (2, 1, 1, 2), mode=mode)
    np.testing.assert_array_equal(to_np(got), np.pad(x, [(0, 0), (1, 2), (2, 1)], mode=numpy_mode))


def test_constant_pad_crops_with_negative_pads_and_its_gradient_is_the_crop():
    x = bt.arange(6.0).reshape(2, 3).requires_grad_()
    got = F.pad(x, (-1, 2), value=7.0)
    np.testing.assert_array_equal(to_np(got), [[1, 2, 7, 7], [4, 5, 7, 7]])
    assert type(got.grad_fn).__name__ == "ConstantPadNdBackward0"
    got.sum().backward()
    np.testing.assert_array_equal(to_np(x.grad), [[0, 1, 1], [0, 1, 1]])


def test_zero_pad_returns_a_copy():
    x = bt.zeros(2, 2)
    padded = F.pad(x, (0, 0))
    padded += 1
    assert float(x.sum()) == 0.0


def test_padding_modules():
    assert repr(nn.ZeroPad2d(2)) == "ZeroPad2d((2, 2, 2, 2))"
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    assert repr(nn.ReflectionPad1d((1, 2))) == "ReflectionPad1d((1, 2))"
    out = nn.ReplicationPad2d(1)(bt.ones(1, 2, 2))
    assert tuple(out.shape) == (1, 4, 4)
