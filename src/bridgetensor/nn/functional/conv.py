"""Convolutions under torch's names: conv1d/2d/3d, conv_transpose1d/2d/3d, unfold, fold.

Each is one `ops.conv` / `ops.conv_transpose` / `ops.im2col` / `ops.col2im` node (see
ops/nn_conv.py); this module reads torch's arguments and raises torch's errors.
"""

from __future__ import annotations

import math
import warnings

from ... import ops
from ._utils import as_tuple, batched, dtype_error, planned, unbatched

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "unfold",
]


def _check_positive(stride, dilation, groups) -> None:
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")


def _check_operands(input, weight, bias, groups, transposed: bool) -> None:
    """torch's checks of channel counts, bias shape and dtypes (input already batched)."""
    shape = list(weight.shape)
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size [{shape}] instead"
        )
    channels = weight.shape[0] if transposed else weight.shape[1] * groups
    prefix = "Given transposed=1, weight" if transposed else f"Given groups={groups}, weight"
    if input.shape[1] != channels:
        raise RuntimeError(
            f"{prefix} of size {shape}, expected input{list(input.shape)} to have {channels} "
            f"channels, but got {input.shape[1]} channels instead"
        )
    outputs = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != outputs):
        raise RuntimeError(
            f"{prefix} of size {shape}, expected bias to be 1-dimensional with {outputs} "
            f"elements, but got bias of size {list(bias.shape)} instead"
        )
    if input.dtype is not weight.dtype:
        if input.dtype.itemsize > weight.dtype.itemsize or not input.is_floating_point():
            raise dtype_error(input.dtype, weight.dtype)
        raise RuntimeError(
            f"Input type ({input.type()}) and weight type ({weight.type()}) should be the "
            "same or input should be a MKLDNN tensor and weight is a dense tensor"
        )
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(
            f"Input type ({_c(input.dtype)}) and bias type ({_c(bias.dtype)}) should be the same"
        )


def _c(dtype) -> str:
    from ...ops._linalg_common import c_name

    return c_name(dtype)


def same_padding(kernel, dilation) -> tuple:
    """torch's 'same' padding: (before, after) per axis, the odd one out after."""
    pads = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def _signature(*tensors) -> tuple:
    """Shapes and dtypes of the tensor arguments (None stays None), for `planned`."""
    return tuple(None if t is None else (t._data.shape, t._data.dtype) for t in tensors)


def _conv(input, weight, bias, stride, padding, dilation, groups, nd: int):
    key = ("conv", nd, stride, padding, dilation, groups, _signature(input, weight, bias))
    stride, pads, dilation = planned(
        key, lambda: _conv_plan(input, weight, bias, stride, padding, dilation, groups, nd)
    )
    x, added = batched(input, nd, f"conv{nd}d")
    out = ops.conv(x, weight, bias, stride=stride, padding=pads, dilation=dilation, groups=groups)
    return unbatched(out, added)


def _conv_plan(input, weight, bias, stride, padding, dilation, groups, nd: int):
    """(stride, (before, after) pads, dilation) of a convolution, after torch's checks."""
    op = f"conv{nd}d"
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {weight.ndim - 2} "
            f"values to match the convolution dimensions, but got stride="
            f"{list(as_tuple(stride, nd, 'stride', op))}"
        )
    x, _ = batched(input, nd, op)
    stride = as_tuple(stride, nd, "stride", op)
    dilation = as_tuple(dilation, nd, "dilation", op)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0),) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            pads = same_padding(kernel, dilation)
            if any(lo != hi for lo, hi in pads):
                warnings.warn(
                    "Using padding='same' with even kernel lengths and odd dilation may require "
                    "a zero-padded copy of the input be created",
                    UserWarning,
                    stacklevel=3,
                )
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        pads = tuple((p, p) for p in as_tuple(padding, nd, "padding", op))
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        raise RuntimeError("negative padding is not supported")
    _check_positive(stride, dilation, groups)
    _check_operands(x, weight, bias, groups, transposed=False)
    padded = [n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads)]
    effective = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(p < e for p, e in zip(padded, effective)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, effective))}). Kernel size can't be greater "
            "than actual input size"
        )
    return stride, pads, dilation


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation of (N, C, L) input with (O, C / groups, k) weights.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv1d(bt.ones(1, 1, 4), bt.ones(1, 1, 2))
    tensor([[[2., 2., 2.]]])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of (N, C, H, W) input with (O, C / groups, kh, kw) weights.

    `padding` is a number, a pair, or 'valid' / 'same'.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv2d(bt.ones(1, 1, 3, 3), bt.ones(1, 1, 2, 2)).shape
    bridgetensor.Size([1, 1, 2, 2])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D cross-correlation of (N, C, D, H, W) input with (O, C / groups, *k) weights.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv3d(bt.ones(1, 1, 3, 3, 3), bt.ones(1, 1, 2, 2, 2)).shape
    bridgetensor.Size([1, 1, 2, 2, 2])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


# ---------------------------------------------------------------- transposed


def transposed_size(size, kernel, stride, padding, output_padding, dilation) -> tuple:
    return tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, k, s, p, op, d in zip(size, kernel, stride, padding, output_padding, dilation)
    )


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    key = ("conv_transpose", nd, stride, padding, output_padding, groups, dilation)
    key += (_signature(input, weight, bias),)
    geometry = planned(
        key,
        lambda: _transpose_plan(
            input, weight, bias, stride, padding, output_padding, groups, dilation, nd
        ),
    )
    x, added = batched(input, nd, f"conv_transpose{nd}d")
    return unbatched(ops.conv_transpose(x, weight, bias, **geometry), added)


def _transpose_plan(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    """The static arguments of ops.conv_transpose, after torch's checks."""
    op = f"conv_transpose{nd}d"
    if isinstance(padding, str):
        raise TypeError(f"{op}(): argument 'padding' must be tuple of ints, not str")
    x, _ = batched(input, nd, op)
    stride = as_tuple(stride, nd, "stride", op)
    padding = as_tuple(padding, nd, "padding", op)
    output_padding = as_tuple(output_padding, nd, "output_padding", op)
    dilation = as_tuple(dilation, nd, "dilation", op)
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    _check_positive(stride, dilation, groups)
    if any(p >= s and p >= d for p, s, d in zip(output_padding, stride, dilation)):
        names = ("depth", "height", "width")[3 - nd :] if nd > 1 else ("width",)
        parts = [f"output_padding_{n}: {p}" for n, p in zip(names, output_padding)]
        parts += [f"stride_{n}: {s}" for n, s in zip(names, stride)]
        parts += [f"dilation_{n}: {d}" for n, d in zip(names, dilation)]
        raise RuntimeError(
            "output padding must be smaller than either stride or dilation, but got "
            + " ".join(parts)
        )
    _check_operands(x, weight, bias, groups, transposed=True)
    kernel = tuple(weight.shape[2:])
    size = transposed_size(x.shape[2:], kernel, stride, padding, output_padding, dilation)
    if any(n < 0 for n in size):
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated "
            f"output size per channel: ({' x '.join(map(str, size))}). Output size is too small"
        )
    # The adjoint of a conv whose input had `size` and these pads; output padding lands
    # after the last window, as extra padding on the right of that input.
    pads = tuple((p, p) for p in padding)
    return {
        "stride": stride,
        "padding": pads,
        "dilation": dilation,
        "groups": groups,
        "size": size,
    }


def conv_transpose1d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """The transpose (gradient) of conv1d: (N, C, L) with (C, O / groups, k) weights.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv_transpose1d(bt.ones(1, 1, 2), bt.ones(1, 1, 2))
    tensor([[[1., 2., 1.]]])
    """
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 1
    )


def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """The transpose (gradient) of conv2d: (N, C, H, W) with (C, O / groups, kh, kw) weights.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv_transpose2d(bt.ones(1, 1, 2, 2), bt.ones(1, 1, 2, 2), stride=2).shape
    bridgetensor.Size([1, 1, 4, 4])
    """
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 2
    )


def conv_transpose3d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """The transpose (gradient) of conv3d.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.conv_transpose3d(bt.ones(1, 1, 1, 1, 1), bt.ones(1, 2, 2, 2, 2)).shape
    bridgetensor.Size([1, 2, 2, 2, 2])
    """
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 3
    )


# ---------------------------------------------------------------- unfold / fold


def _fold_args(kernel_size, dilation, padding, stride, op):
    kernel = as_tuple(kernel_size, 2, "kernel_size", op)
    dilation = as_tuple(dilation, 2, "dilation", op)
    padding = as_tuple(padding, 2, "padding", op)
    stride = as_tuple(stride, 2, "stride", op)
    if any(k <= 0 for k in kernel):
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kernel_height: {kernel[0]} "
            f"kernel_width: {kernel[1]}"
        )
    if any(s <= 0 for s in stride):
        raise RuntimeError(
            f"stride should be greater than zero, but got stride_height: {stride[0]} "
            f"stride_width: {stride[1]}"
        )
    if any(d <= 0 for d in dilation):
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilation_height: {dilation[0]} "
            f"dilation_width: {dilation[1]}"
        )
    if any(p < 0 for p in padding):
        raise RuntimeError(
            f"padding should be non-negative, but got pad_height: {padding[0]} "
            f"pad_width: {padding[1]}"
        )
    return kernel, dilation, tuple((p, p) for p in padding), stride


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding windows (im2col): (N, C, H, W) -> (N, C * kh * kw, L), windows as columns.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.unfold(bt.ones(1, 2, 3, 3), 2).shape
    bridgetensor.Size([1, 8, 4])
    """
    if input.ndim not in (3, 4):
        raise NotImplementedError(
            f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)"
        )
    kernel, dilation, pads, stride = _fold_args(kernel_size, dilation, padding, stride, "unfold")
    x, added = batched(input, 2, "unfold")
    size = [n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads)]
    out = [(n - d * (k - 1) - 1) // s + 1 for n, k, d, s in zip(size, kernel, dilation, stride)]
    if any(o < 1 for o in out):
        raise RuntimeError(
            f"Given input with spatial size ({x.shape[2]}, {x.shape[3]}), kernel_size="
            f"({kernel[0]}, {kernel[1]}), dilation=({dilation[0]}, {dilation[1]}), padding="
            f"({pads[0][0]}, {pads[1][0]}), calculated shape of the array of sliding blocks as "
            f"({out[0]}, {out[1]}), but its components must be at least one."
        )
    cols = ops.im2col(x, kernel=kernel, stride=stride, padding=pads, dilation=dilation)
    return unbatched(cols, added)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum sliding windows back into an image (col2im): (N, C * kh * kw, L) -> (N, C, H, W).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.fold(bt.ones(1, 4, 4), (3, 3), 2)
    tensor([[[[1., 2., 1.],
              [2., 4., 2.],
              [1., 2., 1.]]]])
    """
    if input.ndim not in (2, 3):
        raise NotImplementedError(
            f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
            f"(got {input.ndim}D)"
        )
    size = as_tuple(output_size, 2, "output_size", "fold")
    kernel, dilation, pads, stride = _fold_args(kernel_size, dilation, padding, stride, "fold")
    x, added = (ops.expand_dims(input, axis=0), True) if input.ndim == 2 else (input, False)
    k = math.prod(kernel)
    if x.shape[1] % k:
        raise RuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={x.shape[1]} and kernel_size="
            f"({kernel[0]}, {kernel[1]})"
        )
    blocks = [
        (n + lo + hi - d * (kk - 1) - 1) // s + 1
        for n, (lo, hi), d, kk, s in zip(size, pads, dilation, kernel, stride)
    ]
    if blocks[0] * blocks[1] != x.shape[2]:
        raise RuntimeError(
            f"Given output_size=({size[0]}, {size[1]}), kernel_size=({kernel[0]}, {kernel[1]}), "
            f"dilation=({dilation[0]}, {dilation[1]}), padding=({pads[0][0]}, {pads[1][0]}), "
            f"stride=({stride[0]}, {stride[1]}), expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
            f"{blocks[0] * blocks[1]}, but got input.size(2)={x.shape[2]}."
        )
    out = ops.col2im(x, size=size, kernel=kernel, stride=stride, padding=pads, dilation=dilation)
    return unbatched(out, added)
