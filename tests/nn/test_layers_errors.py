# ruff: noqa: E501  (the expected messages are quoted whole, as torch prints them)
"""Every error the layer functions and modules raise: its type and its message."""

from __future__ import annotations

import re

import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn


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
        "Input type (bridgetensor.FloatTensor) and weight type (bridgetensor.DoubleTensor) should be the same",
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
    # ---- linear
    (
        lambda: F.linear(x(), x(3, 1)),
        RuntimeError,
        "both arguments to linear need to be at least 1D, but they are 0D and 2D",
    ),
    (lambda: F.linear(x(2, 3), x(3), x(2)), RuntimeError, "mat2 must be a matrix, got 1-D tensor"),
    (
        lambda: F.linear(x(2, 3), x(4, 5)),
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)",
    ),
    (
        lambda: F.linear(x(2, 3), x(4, 3, dtype=bt.float64)),
        RuntimeError,
        "expected m1 and m2 to have the same dtype, but got: float != double",
    ),
    (
        lambda: F.linear(x(2, 3), x(4, 3), x(5)),
        RuntimeError,
        "The expanded size of the tensor (4) must match the existing size (5) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [5]",
    ),
    (
        lambda: F.bilinear(x(2, 3), x(2, 4, 1), x(5, 3, 4)),
        RuntimeError,
        "bilinear(): input dimensions do not match: got 2 and 3",
    ),
    (
        lambda: F.bilinear(x(2, 3), x(3, 4), x(5, 3, 4)),
        RuntimeError,
        "bilinear(): input batch dimensions do not match at dim 0: got 2 and 3",
    ),
    (
        lambda: F.bilinear(x(2, 2), x(2, 4), x(5, 3, 4)),
        RuntimeError,
        "bilinear(): input1 size does not match weight size: got 2 but expected 3",
    ),
    (
        lambda: F.bilinear(x(2, 3), x(2, 5), x(5, 3, 4)),
        RuntimeError,
        "bilinear(): input2 size does not match weight size: got 5 but expected 4",
    ),
    (
        lambda: F.bilinear(x(2, 3), x(2, 4), x(5, 3, 4), x(4)),
        RuntimeError,
        "bilinear(): bias size does not match weight size: got 4 but expected 5",
    ),
    # ---- normalisation
    (
        lambda: F.batch_norm(x(3), None, None, training=True),
        ValueError,
        "expected 2D or more input (got 1D input)",
    ),
    (
        lambda: F.batch_norm(x(2, 4), x(3), x(3)),
        RuntimeError,
        "running_mean should contain 4 elements not 3",
    ),
    (
        lambda: F.batch_norm(x(1, 3), None, None, training=True),
        ValueError,
        "Expected more than 1 value per channel when training, got input size bridgetensor.Size([1, 3])",
    ),
    (
        lambda: F.batch_norm(x(2, 3), None, None, training=False),
        RuntimeError,
        "running_mean and running_var must be defined in evaluation mode",
    ),
    (
        lambda: F.layer_norm(x(2, 3), (4,)),
        RuntimeError,
        "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]",
    ),
    (
        lambda: F.layer_norm(x(2, 3), (3,), x(4)),
        RuntimeError,
        "Expected weight to be of same shape as normalized_shape, but got weight of shape [4] and normalized_shape = [3]",
    ),
    (
        lambda: F.group_norm(x(2), 1),
        RuntimeError,
        "Expected at least 2 dimensions for input tensor but received 1",
    ),
    (
        lambda: F.group_norm(x(2, 4, 3), 3),
        RuntimeError,
        "Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 4, 3] and num_groups=3",
    ),
    (
        lambda: F.group_norm(x(2, 6, 3), 2, x(4)),
        RuntimeError,
        "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [4] and input of shape [2, 6, 3]",
    ),
    (lambda: F.instance_norm(x(2, 3)), ValueError, "expected 3D or more input (got 2D input)"),
    (
        lambda: F.instance_norm(x(2, 3, 1)),
        ValueError,
        "Expected more than 1 spatial element when training",
    ),
    # ---- dropout, embedding, one_hot
    (
        lambda: F.dropout(x(3), 1.5),
        ValueError,
        "dropout probability has to be between 0 and 1, but got 1.5",
    ),
    (
        lambda: F.dropout1d(x(3), 0.5),
        RuntimeError,
        "dropout1d: Expected 2D or 3D input, but received a 1D input.",
    ),
    (lambda: F.embedding(idx(10), x(10, 3)), IndexError, "index out of range in self"),
    (lambda: F.embedding(idx(-1), x(10, 3)), IndexError, "index out of range in self"),
    (
        lambda: F.embedding(idx(1.0), x(10, 3)),
        RuntimeError,
        "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got bridgetensor.FloatTensor instead (while checking arguments for embedding)",
    ),
    (
        lambda: F.embedding(idx(1), x(10, 3), padding_idx=10),
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        lambda: F.embedding(idx(1), x(10, 3), padding_idx=-11),
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        lambda: F.one_hot(idx(1.0)),
        RuntimeError,
        "one_hot is only applicable to index tensor of type LongTensor.",
    ),
    (lambda: F.one_hot(idx(-1)), RuntimeError, "Class values must be non-negative."),
    (lambda: F.one_hot(idx(3), 3), RuntimeError, "Class values must be smaller than num_classes."),
    (
        lambda: F.one_hot(bt.zeros(0, dtype=bt.int64)),
        RuntimeError,
        "Can not infer total number of classes from empty tensor.",
    ),
    # ---- interpolate, attention
    (
        lambda: F.interpolate(x(1, 2, 4)),
        ValueError,
        "either size or scale_factor should be defined",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4), size=3, scale_factor=2),
        ValueError,
        "only one of size or scale_factor should be defined",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4), size=3, recompute_scale_factor=True),
        ValueError,
        "recompute_scale_factor is not meaningful with an explicit size.",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4), scale_factor=2, align_corners=True),
        ValueError,
        "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 4), scale_factor=2, mode="linear"),
        NotImplementedError,
        "Got 4D input, but linear mode needs 3D input",
    ),
    (
        lambda: F.interpolate(x(2, 4), scale_factor=2),
        NotImplementedError,
        "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 4), scale_factor=2, mode="bicubic"),
        NotImplementedError,
        "interpolate: mode 'bicubic' is not supported yet",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 4), scale_factor=2, antialias=True),
        NotImplementedError,
        "interpolate: antialias=True is not supported",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 5), size=(3, 4, 5)),
        ValueError,
        "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [4, 5] and output size of (3, 4, 5).",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 5), scale_factor=(2, 3, 4)),
        ValueError,
        "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [4, 5] and scale_factor of shape (2, 3, 4).",
    ),
    (
        lambda: F.interpolate(x(1, 2, 4, 5), size=(0, 3)),
        RuntimeError,
        "Input and output sizes should be greater than 0, but got input (H: 4, W: 5) output (H: 0, W: 3)",
    ),
    (
        lambda: F.scaled_dot_product_attention(
            x(2, 3, 4), x(2, 3, 4, dtype=bt.float64), x(2, 3, 4)
        ),
        RuntimeError,
        "Expected query, key, and value to have the same dtype, but got query.dtype: float key.dtype: double and value.dtype: float instead.",
    ),
    (
        lambda: F.scaled_dot_product_attention(
            x(2, 3, 4), x(2, 3, 4), x(2, 3, 4), attn_mask=x(3, 3), is_causal=True
        ),
        RuntimeError,
        "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
    ),
    # ---- modules
    (
        lambda: nn.Conv2d(3, 4, 3, padding="same", stride=2),
        ValueError,
        "padding='same' is not supported for strided convolutions",
    ),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, "in_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 3, 3, groups=2), ValueError, "out_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 4, 3, groups=0), ValueError, "groups must be a positive integer"),
    (lambda: nn.Conv2d(4, 4, 3, padding_mode="foo"), ValueError, "padding_mode must be one of"),
    (
        lambda: nn.Conv2d(4, 4, 3, padding="foo"),
        ValueError,
        "Invalid padding string 'foo', should be one of",
    ),
    (
        lambda: nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect"),
        ValueError,
        'Only "zeros" padding mode is supported for ConvTranspose2d',
    ),
    (
        lambda: nn.ConvTranspose2d(1, 1, 3)(x(1, 1, 2, 2), output_size=[9, 9]),
        ValueError,
        "requested an output size of [9, 9], but valid sizes range from [4, 4] to [4, 4]",
    ),
    (
        lambda: nn.ConvTranspose2d(1, 1, 3)(x(1, 1, 2, 2), output_size=[1, 2, 3]),
        ValueError,
        "ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements (got 3)",
    ),
    (
        lambda: nn.BatchNorm1d(3)(x(2, 3, 4, 5)),
        ValueError,
        "expected 2D or 3D input (got 4D input)",
    ),
    (lambda: nn.BatchNorm2d(3)(x(2, 3, 4)), ValueError, "expected 4D input (got 3D input)"),
    (lambda: nn.BatchNorm3d(3)(x(2, 3, 4)), ValueError, "expected 5D input (got 3D input)"),
    (
        lambda: nn.GroupNorm(3, 4),
        ValueError,
        "num_channels (4) must be divisible by num_groups (3)",
    ),
    (
        lambda: nn.Dropout(-0.1),
        ValueError,
        "dropout probability has to be between 0 and 1, but got -0.1",
    ),
    (
        lambda: nn.Embedding(10, 3, padding_idx=10),
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        lambda: nn.Embedding(10, 3, _weight=x(9, 3)),
        AssertionError,
        "Shape of weight does not match num_embeddings and embedding_dim",
    ),
    (
        lambda: nn.Embedding.from_pretrained(x(3)),
        AssertionError,
        "Embeddings parameter is expected to be 2-dimensional",
    ),
    (
        lambda: nn.Unflatten(1, ((2, 3),)),
        TypeError,
        "unflattened_size must be tuple of ints, but found element of type tuple at pos 0",
    ),
    (
        lambda: nn.Unflatten(1, 6),
        TypeError,
        "unflattened_size must be a tuple of ints, but found type int",
    ),
    # ---- init
    (
        lambda: nn.init.kaiming_uniform_(x(3, 2), mode="fan_avg"),
        ValueError,
        "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']",
    ),
    (
        lambda: nn.init.xavier_uniform_(x(3)),
        ValueError,
        "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    ),
    (lambda: nn.init.eye_(x(2, 2, 2)), ValueError, "Only tensors with 2 dimensions are supported"),
    (
        lambda: nn.init.dirac_(x(2, 2)),
        ValueError,
        "Only tensors with 3, 4, or 5 dimensions are supported",
    ),
    (lambda: nn.init.dirac_(x(3, 2, 3), groups=2), ValueError, "dim 0 must be divisible by groups"),
    (
        lambda: nn.init.orthogonal_(x(3)),
        ValueError,
        "Only tensors with 2 or more dimensions are supported",
    ),
]


@pytest.mark.parametrize(
    "call, kind, message", CASES, ids=[f"{i}-{c[2][:40]}" for i, c in enumerate(CASES)]
)
def test_error_type_and_message(call, kind, message):
    with pytest.raises(kind, match=re.escape(message)):
        call()


def test_warnings():
    with pytest.warns(UserWarning, match="padding='same' with even kernel lengths"):
        F.conv2d(x(1, 1, 4, 4), x(1, 1, 2, 2), padding="same")
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        F.dropout2d(x(2, 3, 4), 0.5)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d, which is deprecated"):
        F.dropout2d(x(2, 3), 0.5)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        nn.init.kaiming_normal_(x(0, 3))
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        nn.init.trunc_normal_(x(4), mean=10.0)
