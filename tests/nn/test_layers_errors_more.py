# ruff: noqa: E501  (the expected messages are quoted whole, as torch prints them)
"""Errors of linear, normalisation, dropout, embedding, interpolation, attention, the
layer modules and nn.init: type and message (and the warnings torch gives)."""

from __future__ import annotations

import re

import pytest

import bridgetensor as bt
import bridgetensor.nn.functional as F
from bridgetensor import nn

from ..helpers import type_name


def x(*shape, dtype=None):
    return bt.zeros(*shape, dtype=dtype)


def idx(*values):
    return bt.tensor(list(values))


CASES = [
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
        f"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {type_name('FloatTensor')} instead (while checking arguments for embedding)",
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
