"""Pooling under torch's names: max_pool1d/2d/3d, avg_pool1d/2d/3d, adaptive_avg_pool1d/2d.

The 2-D (and 3-D) functions are one `ops.max_pool` / `ops.avg_pool` node; the 1-D ones run
the 2-D op on a height of 1 and squeeze it, as torch does (grad_fn SqueezeBackward1).
"""

from __future__ import annotations

import math

from array_api_compat import device as array_device

from ... import ops
from ..._torch_api.shape import squeeze, unsqueeze
from ...ops._helpers import variant, wrap
from ._utils import as_tuple, planned

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
]

_MAX_POOL_3D = variant(ops.max_pool, "MaxPool3DWithIndicesBackward0")
_MAX_POOL_INDICES = {2: ops.max_pool_indices}
_MAX_POOL_INDICES[3] = variant(ops.max_pool_indices, "MaxPool3DWithIndicesBackward0")
_AVG_POOL_3D = variant(ops.avg_pool, "AvgPool3DBackward0")
_ADAPTIVE = {2: variant(ops.avg_pool, "AdaptiveAvgPool2DBackward0")}
_ADAPTIVE[3] = variant(ops.avg_pool, "AdaptiveAvgPool3DBackward0")


def _pool_size(size, kernel, stride, pad, dilation, ceil_mode) -> int:
    """torch's pooling_output_shape for one axis."""
    extra = stride - 1 if ceil_mode else 0
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + extra) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _geometry(input, nd, kernel_size, stride, padding, dilation, ceil_mode, op):
    """(kernel, stride, (before, after) pads, dilation, out) with torch's checks."""
    kernel = as_tuple(kernel_size, nd, "kernel_size", op)
    stride = kernel if stride is None or stride == [] or stride == () else stride
    stride = as_tuple(stride, nd, "stride", op)
    padding = as_tuple(padding, nd, "padding", op)
    dilation = as_tuple(dilation, nd, "dilation", op)
    letters = "DHW"[3 - nd :]
    if any(k <= 0 for k in kernel):
        parts = " ".join(f"k{a}: {k}" for a, k in zip(letters, kernel))
        raise RuntimeError(f"kernel size should be greater than zero, but got {parts}")
    if any(s == 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(s < 0 for s in stride):
        parts = " ".join(f"d{a}: {s}" for a, s in zip(letters, stride))
        raise RuntimeError(f"stride should be greater than zero, but got {parts}")
    if any(d <= 0 for d in dilation):
        parts = " ".join(f"dilation{a}: {d}" for a, d in zip(letters, dilation))
        raise RuntimeError(f"dilation should be greater than zero, but got {parts}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(padding)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(
                "pad should be at most half of effective kernel size, but got "
                f"pad={p}, kernel_size={k} and dilation={d}"
            )
    if any(p > k // 2 for k, p in zip(kernel, padding)):
        _undilated_pad_error(kernel, padding)
    size = tuple(input.shape[input.ndim - nd :])
    out = tuple(
        _pool_size(n, k, s, p, d, ceil_mode)
        for n, k, s, p, d in zip(size, kernel, stride, padding, dilation)
    )
    if any(o <= 0 for o in out):
        lead = (input.shape[-nd - 1],) if input.ndim > nd else ()
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, (*lead, *size)))}). Calculated output "
            f"size: ({'x'.join(map(str, (*lead, *out)))}). Output size is too small"
        )
    # ceil_mode's last window may run past the right padding: pad that much more.
    pads = tuple(
        (p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
        for n, k, s, p, d, o in zip(size, kernel, stride, padding, dilation, out)
    )
    return kernel, stride, pads, dilation, padding, out


def _undilated_pad_error(kernel, padding):
    """torch's pool shape check: a dilated kernel still bounds padding by half its size."""
    if len(kernel) == 3:
        (kt, kh, kw), (pt, ph, pw) = kernel, padding
        raise RuntimeError(
            "pad should be smaller than or equal to half of kernel size, but got "
            f"kT: {kt} kW: {kw} kH: {kh} padT: {pt} padW: {pw} padH: {ph}"
        )
    # 1-D pools never get here: their effective-kernel check is the same bound.
    (kh, kw), (ph, pw) = kernel, padding
    raise RuntimeError(
        "pad should be smaller than or equal to half of kernel size, but got "
        f"padW = {pw}, padH = {ph}, kW = {kw}, kH = {kh}"
    )


def _check_rank(input, nd: int, op: str) -> None:
    if input.ndim not in (nd + 1, nd + 2) or any(n == 0 for n in input.shape[1:]):
        if nd == 1:
            raise RuntimeError(
                f"{op}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
                f"for input, but got:{list(input.shape)}"
            )
        raise RuntimeError(
            f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch "
            f"size for input, but got:{list(input.shape)}"
        )


# ---------------------------------------------------------------- max


def _max_pool_plan(input, nd, kernel_size, stride, padding, dilation, ceil_mode):
    op = f"max_pool{nd}d"
    _check_rank(input, nd, op)
    kernel, stride, pads, dilation, _, _ = _geometry(
        input, nd, kernel_size, stride, padding, dilation, ceil_mode, op
    )
    return {"kernel": kernel, "stride": stride, "padding": pads, "dilation": dilation}


def _max_pool(input, nd, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    key = ("max_pool", nd, kernel_size, stride, padding, dilation, ceil_mode, input._data.shape)
    geometry = planned(
        key,
        lambda: _max_pool_plan(input, nd, kernel_size, stride, padding, dilation, ceil_mode),
    )
    prim = _MAX_POOL_3D if nd == 3 else ops.max_pool
    values = prim(input, **geometry)
    if not return_indices:
        return values
    return values, _MAX_POOL_INDICES[nd](input, values, **geometry)


def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Maxima over windows of the last axis of (N, C, L) or (C, L) input.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.max_pool1d(bt.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    tensor([[[3., 2.]]])
    """
    _check_rank(input, 1, "max_pool1d")
    if stride is None or stride == [] or stride == ():
        stride = kernel_size
    (kernel,) = as_tuple(kernel_size, 1, "kernel_size", "max_pool1d")
    (pad,) = as_tuple(padding, 1, "padding", "max_pool1d")
    if kernel > 0 and pad > kernel // 2:
        raise RuntimeError(
            "max_pool1d() padding should be at most half of kernel size, but got "
            f"padding={pad} and kernel_size={kernel}"
        )
    found = _max_pool(
        unsqueeze(input, -2),
        2,
        (1, kernel),
        (1, *as_tuple(stride, 1, "stride", "max_pool1d")),
        (0, pad),
        (1, *as_tuple(dilation, 1, "dilation", "max_pool1d")),
        ceil_mode,
        return_indices,
    )
    if not return_indices:
        return squeeze(found, -2)
    values, indices = (squeeze(t, -2) for t in found)
    return values, indices


def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Maxima over 2-D windows of (N, C, H, W) or (C, H, W) input; with `return_indices`
    also their flat positions in each H * W plane.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.max_pool2d(bt.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Maxima over 3-D windows of (N, C, D, H, W) or (C, D, H, W) input.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.max_pool3d(bt.ones(1, 1, 2, 2, 2), 2).shape
    bridgetensor.Size([1, 1, 1, 1, 1])
    """
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


# ---------------------------------------------------------------- average


def _divisor(input, size, kernel, stride, padding, out, count_include_pad, override):
    """torch's divisor of each window: a number when it is the same everywhere."""
    if override is not None:
        if override == 0:
            raise RuntimeError("divisor must be not zero")
        return override
    per_axis = []
    for n, k, s, p, o in zip(size, kernel, stride, padding, out):
        counts = []
        for i in range(o):
            start = i * s - p
            end = min(start + k, n + p)
            pool = end - start
            counts.append(pool if count_include_pad else min(end, n) - max(start, 0))
        per_axis.append(counts)
    if all(len(set(c)) == 1 for c in per_axis):
        return math.prod(c[0] for c in per_axis)
    table = per_axis[0]
    for counts in per_axis[1:]:
        table = _outer(table, counts)
    return table


def _outer(table, counts):
    if isinstance(table[0], list):
        return [_outer(row, counts) for row in table]
    return [[t * c for c in counts] for t in table]


def _avg_pool_plan(input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad, override):
    kernel, stride, pads, _, padding, out = _geometry(
        input, nd, kernel_size, stride, padding, 1, ceil_mode, f"avg_pool{nd}d"
    )
    size = tuple(input.shape[input.ndim - nd :])
    divisor = _divisor(input, size, kernel, stride, padding, out, count_include_pad, override)
    return {"kernel": kernel, "stride": stride, "padding": pads}, divisor


def _avg_pool(input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad, override):
    key = ("avg_pool", nd, kernel_size, stride, padding, ceil_mode, count_include_pad, override)
    key += (input._data.shape,)
    geometry, divisor = planned(
        key,
        lambda: _avg_pool_plan(
            input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad, override
        ),
    )
    if isinstance(divisor, list):  # divisors that differ by window: an array of out's shape
        xp = input._be.xp
        dtype = input._data.dtype if input.is_floating_point() else xp.float64
        divisor = xp.asarray(divisor, dtype=dtype, device=array_device(input._data))
        divisor = wrap(divisor, input._be)
    prim = _AVG_POOL_3D if nd == 3 else ops.avg_pool
    return prim(input, divisor, **geometry)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Means over windows of the last axis of (N, C, L) or (C, L) input.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.avg_pool1d(bt.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    tensor([[[2., 1.]]])
    """
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument "
            "#1 'self' (while checking arguments for avg_pool1d)"
        )
    if stride is None or stride == [] or stride == ():
        stride = kernel_size
    out = _avg_pool(
        unsqueeze(input, -2),
        2,
        (1, *as_tuple(kernel_size, 1, "kernel_size", "avg_pool1d")),
        (1, *as_tuple(stride, 1, "stride", "avg_pool1d")),
        (0, *as_tuple(padding, 1, "padding", "avg_pool1d")),
        ceil_mode,
        count_include_pad,
        None,
    )
    return squeeze(out, -2)


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """Means over 2-D windows of (N, C, H, W) or (C, H, W) input.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.avg_pool2d(bt.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    _check_rank(input, 2, "avg_pool2d")
    return _avg_pool(
        input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool3d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """Means over 3-D windows of (N, C, D, H, W) or (C, D, H, W) input.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.avg_pool3d(bt.ones(1, 1, 2, 2, 2), 2).shape
    bridgetensor.Size([1, 1, 1, 1, 1])
    """
    _check_rank(input, 3, "avg_pool3d")
    return _avg_pool(
        input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


# ---------------------------------------------------------------- adaptive


def _adaptive_sizes(output_size, size, nd, op) -> tuple:
    if isinstance(output_size, int) or output_size is None:
        output_size = (output_size,) * nd
    output_size = tuple(output_size)
    if len(output_size) != nd:
        if nd == 1:
            raise RuntimeError(
                f"{op}() argument 'output_size' should contain one int (got {len(output_size)})"
            )
        raise RuntimeError(f"{op}: output_size must be {nd}")
    return tuple(n if o is None else int(o) for o, n in zip(output_size, size))


def _pooling_matrix(input, n: int, o: int):
    """(o, n) 0/1 rows selecting torch's adaptive windows [floor(i n / o), ceil((i+1) n / o))."""
    rows = []
    for i in range(o):
        start, end = (i * n) // o, -((-(i + 1) * n) // o)
        rows.append([1 if start <= j < end else 0 for j in range(n)])
    xp = input._be.xp
    rows = xp.asarray(rows, dtype=input._data.dtype, device=array_device(input._data))
    return wrap(rows, input._be), [-((-(i + 1) * n) // o) - (i * n) // o for i in range(o)]


def _adaptive_avg(input, output_size, nd, op):
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1} to {nd + 2} dimensions, but got {input.ndim}-dimensional tensor "
            f"for argument #1 'self' (while checking arguments for {op})"
        )
    size = tuple(input.shape[input.ndim - nd :])
    out = _adaptive_sizes(output_size, size, nd, op)
    for axis in range(1, input.ndim):
        if input.shape[axis] == 0:
            raise RuntimeError(
                f"{op}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(input.shape)} with dimension {axis} being empty"
            )
    if not input.is_floating_point():
        raise NotImplementedError(f"\"{op}\" not implemented for '{_name(input.dtype)}'")
    axes = tuple(range(-nd, 0))
    if all(o == 1 for o in out):
        return ops.mean(input, axis=axes, keepdims=True)
    if all(n % o == 0 for n, o in zip(size, out)):
        kernel = tuple(n // o for n, o in zip(size, out))
        prim = _ADAPTIVE[max(nd, 2)]
        pads = ((0, 0),) * nd
        return prim(input, math.prod(kernel), kernel=kernel, stride=kernel, padding=pads)
    # Windows of uneven sizes: window sums as products with 0/1 matrices, one axis at a time.
    result, divisor = input, None
    for axis, (n, o) in enumerate(zip(size, out)):
        matrix, counts = _pooling_matrix(input, n, o)
        moved = ops.moveaxis(result, axis - nd, -1)
        summed = ops.matmul(moved, ops.permute_dims(matrix, axes=(1, 0)))
        result = ops.moveaxis(summed, -1, axis - nd)
        shape = [1] * nd
        shape[axis] = o
        xp = input._be.xp
        part = wrap(
            xp.reshape(
                xp.asarray(counts, dtype=input._data.dtype, device=array_device(input._data)),
                tuple(shape),
            ),
            input._be,
        )
        divisor = part if divisor is None else divisor * part
    return result / divisor


def _name(dtype) -> str:
    from ._utils import torch_name

    return torch_name(dtype)


def adaptive_avg_pool1d(input, output_size):
    """Means over `output_size` near-equal windows of the last axis.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.adaptive_avg_pool1d(bt.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    tensor([[[2., 1.]]])
    """
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument "
            "#1 'self' (while checking arguments for adaptive_avg_pool1d)"
        )
    (o,) = _adaptive_sizes(output_size, input.shape[-1:], 1, "adaptive_avg_pool1d")
    out = _adaptive_avg(unsqueeze(input, -2), (1, o), 2, "adaptive_avg_pool2d")
    return squeeze(out, -2)


def adaptive_avg_pool2d(input, output_size):
    """Means over near-equal 2-D windows giving `output_size` (an int, a pair; None keeps
    that axis).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.adaptive_avg_pool2d(bt.ones(1, 2, 5, 7), (2, 3)).shape
    bridgetensor.Size([1, 2, 2, 3])
    """
    if input.ndim < 3:
        raise ValueError("Input dimension should be at least 3")
    return _adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input, output_size):
    """Means over near-equal 3-D windows giving `output_size`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.adaptive_avg_pool3d(bt.ones(1, 1, 4, 4, 4), 2).shape
    bridgetensor.Size([1, 1, 2, 2, 2])
    """
    if input.ndim < 4:
        raise ValueError("Input dimension should be at least 4")
    return _adaptive_avg(input, output_size, 3, "adaptive_avg_pool3d")
