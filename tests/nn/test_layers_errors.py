# ruff: noqa: E501  (the expected messages are quoted whole, as torch prints them)
"""Errors of the layer functions (convolution, pooling, padding): type and message.

test_layers_errors_more.py holds the other families."""

from __future__ import annotations

import re

import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F

from ..helpers import type_name


def x(*shape, dtype=None):
    return bt.zeros(*shape, dtype=dtype)


def idx(*values):
    return bt.tensor(list(values))


CASES = [
    # ---- argument forms
    (
        lambda: F.conv2d(x(1, 1, 4, 4), x(1, 1, 2, 2), stride="a"),
        TypeError,
        "argument 'stride' must be tuple of ints",
    ),
    (
        lambda: F.conv2d(x(1, 1, 4, 4), x(1, 1, 2, 2), stride=(1, 1, 1)),
        RuntimeError,
        "expected stride to be a single integer value or a list of 2 values",
    ),
    (
        lambda: F.conv2d(x(2, 3), x(4, 3, 3, 3)),
        RuntimeError,
        "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8), x(4, 3, 3)),
        RuntimeError,
        "expected stride to be a single integer value or a list of 1 values",
    ),
    # ---- convolutions
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), stride=0),
        RuntimeError,
        "non-positive stride is not supported",
    ),
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), dilation=0),
        RuntimeError,
        "non-positive dilation is not supported",
    ),
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), groups=0),
        RuntimeError,
        "non-positive groups is not supported",
    ),
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), padding=-1),
        RuntimeError,
        "negative padding is not supported",
    ),
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), padding="same", stride=2),
        RuntimeError,
        "padding='same' is not supported for strided convolutions",
    ),
    (
        lambda: F.conv2d(x(1, 3, 4, 4), x(4, 3, 3, 3), padding="foo"),
        RuntimeError,
        "Invalid padding string: 'foo'",
    ),
    (
        lambda: F.conv2d(x(2, 5, 8, 8), x(4, 3, 3, 3)),
        RuntimeError,
        "Given groups=1, weight of size [4, 3, 3, 3], expected input[2, 5, 8, 8] to have 3 channels, but got 5 channels instead",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8), x(6, 1, 3, 3), groups=4),
        RuntimeError,
        "Given groups=4, expected weight to be divisible by 4 at dimension 0, but got weight of size [[6, 1, 3, 3]] instead",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8), x(4, 3, 3, 3), x(5)),
        RuntimeError,
        "expected bias to be 1-dimensional with 4 elements, but got bias of size [5] instead",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8, dtype=bt.float64), x(4, 3, 3, 3)),
        RuntimeError,
        "expected scalar type Double but found Float",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8), x(4, 3, 3, 3, dtype=bt.float64)),
        RuntimeError,
        f"Input type ({type_name('FloatTensor')}) and weight type ({type_name('DoubleTensor')}) should be the same",
    ),
    (
        lambda: F.conv2d(x(2, 3, 8, 8), x(4, 3, 3, 3), x(4, dtype=bt.float64)),
        RuntimeError,
        "Input type (float) and bias type (double) should be the same",
    ),
    (
        lambda: F.conv2d(x(2, 3, 2, 2), x(4, 3, 3, 3)),
        RuntimeError,
        "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
    ),
    (
        lambda: F.conv_transpose2d(x(1, 3, 4, 4), x(3, 2, 3, 3), padding="same"),
        TypeError,
        "conv_transpose2d(): argument 'padding' must be tuple of ints, not str",
    ),
    (
        lambda: F.conv_transpose2d(x(1, 3, 4, 4), x(3, 2, 3, 3), padding=-1),
        RuntimeError,
        "negative padding is not supported",
    ),
    (
        lambda: F.conv_transpose2d(x(1, 3, 4, 4), x(3, 2, 3, 3), output_padding=-1),
        RuntimeError,
        "negative output_padding is not supported",
    ),
    (
        lambda: F.conv_transpose2d(x(1, 3, 4, 4), x(3, 2, 3, 3), output_padding=1),
        RuntimeError,
        "output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1",
    ),
    (
        lambda: F.conv_transpose2d(x(2, 3, 8, 8), x(4, 4, 3, 3)),
        RuntimeError,
        "Given transposed=1, weight of size [4, 4, 3, 3], expected input[2, 3, 8, 8] to have 4 channels, but got 3 channels instead",
    ),
    (
        lambda: F.conv_transpose2d(x(1, 3, 1, 1), x(3, 2, 1, 1), padding=1),
        RuntimeError,
        "Output size is too small",
    ),
    # ---- unfold / fold
    (
        lambda: F.unfold(x(2, 3), 2),
        NotImplementedError,
        "Input Error: Only 3D or 4D input Tensors are supported (got 2D)",
    ),
    (
        lambda: F.unfold(x(1, 1, 4, 4), 0),
        RuntimeError,
        "kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0",
    ),
    (
        lambda: F.unfold(x(1, 1, 4, 4), 2, stride=0),
        RuntimeError,
        "stride should be greater than zero, but got stride_height: 0 stride_width: 0",
    ),
    (
        lambda: F.unfold(x(1, 1, 4, 4), 2, dilation=0),
        RuntimeError,
        "dilation should be greater than zero, but got dilation_height: 0 dilation_width: 0",
    ),
    (
        lambda: F.unfold(x(1, 1, 4, 4), 2, padding=-1),
        RuntimeError,
        "padding should be non-negative, but got pad_height: -1 pad_width: -1",
    ),
    (
        lambda: F.unfold(x(1, 1, 2, 2), 3),
        RuntimeError,
        "calculated shape of the array of sliding blocks as (0, 0), but its components must be at least one.",
    ),
    (
        lambda: F.fold(x(2, 3, 4, 4), (4, 4), 2),
        NotImplementedError,
        "Only unbatched (2D) or batched (3D) input Tensors are supported (got 4D)",
    ),
    (
        lambda: F.fold(x(1, 6, 9), (4, 4), 2),
        RuntimeError,
        "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=6 and kernel_size=(2, 2)",
    ),
    (
        lambda: F.fold(x(1, 8, 8), (4, 4), 2),
        RuntimeError,
        "expected size of input's dimension 2 to match the calculated number of sliding blocks 3 * 3 = 9, but got input.size(2)=8.",
    ),
    # ---- pooling
    (
        lambda: F.max_pool2d(x(1, 1, 4, 4), 0, 1),
        RuntimeError,
        "kernel size should be greater than zero, but got kH: 0 kW: 0",
    ),
    (lambda: F.max_pool2d(x(1, 1, 4, 4), 2, 0), RuntimeError, "stride should not be zero"),
    (
        lambda: F.max_pool2d(x(1, 1, 4, 4), 2, -1),
        RuntimeError,
        "stride should be greater than zero, but got dH: -1 dW: -1",
    ),
    (
        lambda: F.max_pool2d(x(1, 1, 4, 4), 2, dilation=0),
        RuntimeError,
        "dilation should be greater than zero, but got dilationH: 0 dilationW: 0",
    ),
    (
        lambda: F.max_pool2d(x(1, 1, 4, 4), 2, padding=-1),
        RuntimeError,
        "pad must be non-negative, but got pad: -1",
    ),
    (
        lambda: F.max_pool2d(x(1, 1, 8, 8), 3, padding=2),
        RuntimeError,
        "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1",
    ),
    (
        lambda: F.max_pool2d(x(1, 1, 5, 9), (1, 3), padding=(0, 2), dilation=(1, 2)),
        RuntimeError,
        "pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 0, kW = 3, kH = 1",
    ),
    (
        lambda: F.max_pool3d(x(1, 1, 3, 5, 9), (1, 1, 3), padding=(0, 0, 2), dilation=(1, 1, 2)),
        RuntimeError,
        "pad should be smaller than or equal to half of kernel size, but got kT: 1 kW: 3 kH: 1 padT: 0 padW: 2 padH: 0",
    ),
    (
        lambda: F.max_pool1d(x(1, 1, 9), 3, padding=2, dilation=2),
        RuntimeError,
        "max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=3",
    ),
    (
        lambda: F.max_pool1d(x(1, 1, 9), 3, padding=2),
        RuntimeError,
        "max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=3",
    ),
    (
        lambda: F.max_pool2d(x(2, 3, 1, 1), 2),
        RuntimeError,
        "Given input size: (3x1x1). Calculated output size: (3x0x0). Output size is too small",
    ),
    (
        lambda: F.max_pool2d(x(3, 8), 2),
        RuntimeError,
        "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[3, 8]",
    ),
    (
        lambda: F.max_pool1d(x(3), 2),
        RuntimeError,
        "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[3]",
    ),
    (
        lambda: F.max_pool2d(x(1, 1, 4, 4), (2, 2, 2)),
        RuntimeError,
        "expected kernel_size to be a single integer value or a list of 2 values",
    ),
    (
        lambda: F.avg_pool2d(x(1, 1, 4, 4), 2, divisor_override=0),
        RuntimeError,
        "divisor must be not zero",
    ),
    (
        lambda: F.avg_pool1d(x(2, 3, 4, 5), 3),
        RuntimeError,
        "Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)",
    ),
    (
        lambda: F.adaptive_avg_pool1d(x(8), 2),
        RuntimeError,
        "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_avg_pool1d)",
    ),
    (
        lambda: F.adaptive_avg_pool1d(x(2, 8), (2, 3)),
        RuntimeError,
        "adaptive_avg_pool1d() argument 'output_size' should contain one int (got 2)",
    ),
    (
        lambda: F.adaptive_avg_pool2d(x(8), (1, 2)),
        ValueError,
        "Input dimension should be at least 3",
    ),
    (
        lambda: F.adaptive_avg_pool3d(x(2, 8, 8), 2),
        ValueError,
        "Input dimension should be at least 4",
    ),
    (
        lambda: F.adaptive_avg_pool2d(x(2, 3, 4, 4), (1, 2, 3)),
        RuntimeError,
        "adaptive_avg_pool2d: output_size must be 2",
    ),
    (
        lambda: F.adaptive_avg_pool2d(x(2, 3, 0, 4), 2),
        RuntimeError,
        "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [2, 3, 0, 4] with dimension 2 being empty",
    ),
    (
        lambda: F.adaptive_avg_pool2d(x(2, 3, 4, 4, dtype=bt.int64), 3),
        NotImplementedError,
        "\"adaptive_avg_pool2d\" not implemented for 'Long'",
    ),
    # ---- pad
    (
        lambda: F.pad(x(2, 3), (1.5, 1)),
        TypeError,
        "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type float at pos 0",
    ),
    (lambda: F.pad(x(2, 3), (1, 2, 3)), RuntimeError, "Padding length must be divisible by 2"),
    (
        lambda: F.pad(x(2, 3), (1, 1, 1, 1, 1, 1)),
        RuntimeError,
        "Padding length should be less than or equal to two times the input dimension but got padding length 6 and input of dimension 2",
    ),
    (lambda: F.pad(x(2, 3), (-2, -2)), RuntimeError, "narrow(): length must be non-negative."),
    (
        lambda: F.pad(x(2, 3), (1, 1), mode="foo"),
        NotImplementedError,
        "Unrecognised padding mode foo",
    ),
    (
        lambda: F.pad(x(2, 3), (1, 1), mode="reflect", value=1.0),
        RuntimeError,
        'Padding mode "reflect" doesn\'t take in value argument',
    ),
    (
        lambda: F.pad(x(3), (1, 1), mode="reflect"),
        NotImplementedError,
        "Padding size 2 is not supported for 1D input tensor.",
    ),
    (
        lambda: F.pad(x(2, 3, 0), (1, 1), mode="reflect"),
        RuntimeError,
        "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [2, 3, 0]",
    ),
    (
        lambda: F.pad(x(2, 3, 4, 4), (4, 1, 1, 1), mode="reflect"),
        RuntimeError,
        "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (4, 1) at dimension 3 of input [2, 3, 4, 4]",
    ),
    (
        lambda: F.pad(x(2, 3, 4, 4), (5, 1, 1, 1), mode="circular"),
        RuntimeError,
        "Padding value causes wrapping around more than once.",
    ),
]


@pytest.mark.parametrize(
    "call, kind, message", CASES, ids=[f"{i}-{c[2][:40]}" for i, c in enumerate(CASES)]
)
def test_error_type_and_message(call, kind, message):
    with pytest.raises(kind, match=re.escape(message)):
        call()
