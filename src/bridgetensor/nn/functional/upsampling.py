"""interpolate: nearest, nearest-exact, linear, bilinear, trilinear and area resizing.

Separable: one gather per resized axis (and a weighted pair of them for the linear
modes), with torch's source indices and weights computed in torch's precision (float32
for float32 input), so the picked positions match torch exactly.
"""

from __future__ import annotations

import math

import numpy as np
from array_api_compat import device as array_device

from ... import ops
from ...ops._helpers import wrap
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = ["interpolate", "upsample", "upsample_bilinear", "upsample_nearest"]

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}


def _sizes(input, size, scale_factor, recompute_scale_factor):
    """(output sizes, scales handed to the kernels) as torch's interpolate computes them."""
    nd = input.ndim - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        sizes = list(size) if isinstance(size, (list, tuple)) else [size] * nd
        if len(sizes) != nd:
            raise ValueError(
                "Input and output must have the same number of spatial dimensions, but got "
                f"input with spatial dimensions of {spatial} and output size of {size}. Please "
                "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                "(o1, o2, ...,oK) format."
            )
        return [int(n) for n in sizes], [None] * nd
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = list(scale_factor) if isinstance(scale_factor, (list, tuple)) else [scale_factor] * nd
    if len(scales) != nd:
        raise ValueError(
            "Input and scale_factor must have the same number of spatial dimensions, but got "
            f"input with spatial dimensions of {spatial} and scale_factor of shape "
            f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            "scale_factor in (s1, s2, ...,sK) format."
        )
    sizes = [math.floor(float(n) * float(s)) for n, s in zip(spatial, scales)]
    kept = [None] * nd if recompute_scale_factor else [float(s) for s in scales]
    return sizes, kept


def _opmath(input):
    return np.float64 if input.dtype.itemsize == 8 else np.float32


def _scale(n: int, o: int, scale, align_corners: bool, opmath):
    """torch's area_pixel_compute_scale."""
    if align_corners:
        return opmath((n - 1) / (o - 1)) if o > 1 else opmath(0)
    if scale is not None and scale > 0:
        return opmath(1.0 / scale)
    return opmath(n) / opmath(o)


def _nearest(n: int, o: int, scale, exact: bool) -> np.ndarray:
    dst = np.arange(o, dtype=np.float32)
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(n) / o
    if exact:
        src = np.floor((dst + np.float32(0.5)) * s)
    elif o == n:
        return np.arange(o)
    elif o == 2 * n:
        return np.arange(o) >> 1
    else:
        src = np.floor(dst * s)
    return np.minimum(src.astype(np.int64), n - 1)


def _linear(n: int, o: int, scale, align_corners: bool, opmath):
    """(first index, second index, weight of the first, weight of the second)."""
    s = _scale(n, o, scale, align_corners, opmath)
    dst = np.arange(o, dtype=opmath)
    if align_corners:
        src = s * dst
    else:
        src = s * (dst + opmath(0.5)) - opmath(0.5)
        src = np.where(src < 0, opmath(0), src)
    first = np.minimum(np.floor(src).astype(np.int64), n - 1)
    weight = np.clip(src - first.astype(opmath), opmath(0), opmath(1)).astype(opmath)
    second = first + (first < n - 1)
    return first, second, opmath(1) - weight, weight


def _along(values: np.ndarray, like, axis: int, ndim: int):
    shape = [1] * ndim
    shape[axis] = values.shape[0]
    xp = like._be.xp
    return wrap(xp.asarray(values.reshape(shape), device=array_device(like._data)), like._be)


def _indices(values: np.ndarray, like):
    xp = like._be.xp
    return wrap(xp.asarray(values, dtype=xp.int64, device=array_device(like._data)), like._be)


def interpolate(
    input,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias: bool = False,
):
    """Resize the spatial axes of (N, C, *spatial) input to `size` or by `scale_factor`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.interpolate(bt.tensor([[[1.0, 2.0]]]), scale_factor=2)
    tensor([[[1., 1., 2., 2.]]])
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: "
                "linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    nd = input.ndim - 2
    if mode not in ("nearest", "nearest-exact", "area", *_LINEAR) or nd not in (1, 2, 3):
        if mode in ("bicubic", "lanczos") and nd in (1, 2, 3):
            raise NotImplementedError(f"interpolate: mode '{mode}' is not supported yet")
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
            f"the modes: {_MODES} (got {mode})"
        )
    if mode in _LINEAR and _LINEAR[mode] != nd:
        raise NotImplementedError(
            f"Got {input.ndim}D input, but {mode} mode needs {_LINEAR[mode] + 2}D input"
        )
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    sizes, scales = _sizes(input, size, scale_factor, recompute_scale_factor)
    spatial = list(input.shape[2:])
    if any(n <= 0 for n in spatial) or any(o <= 0 for o in sizes):
        names = "DHW"[3 - nd :]
        given = ", ".join(f"{a}: {n}" for a, n in zip(names, spatial))
        wanted = ", ".join(f"{a}: {o}" for a, o in zip(names, sizes))
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input ({given}) "
            f"output ({wanted})"
        )
    if mode == "area":
        pool = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}[nd]
        return pool(input, sizes)
    out = input
    opmath = _opmath(input)
    for i, (n, o, scale) in enumerate(zip(spatial, sizes, scales)):
        axis = i + 2
        if mode in ("nearest", "nearest-exact"):
            if o != n or mode == "nearest-exact":
                picked = _nearest(n, o, scale, mode == "nearest-exact")
                out = ops.take(out, _indices(picked, input), axis=axis)
            continue
        first, second, w0, w1 = _linear(n, o, scale, align_corners, opmath)
        low = ops.take(out, _indices(first, input), axis=axis)
        high = ops.take(out, _indices(second, input), axis=axis)
        dtype = input._data.dtype
        w0 = _along(w0, input, axis, input.ndim)
        w1 = _along(w1, input, axis, input.ndim)
        if w0._data.dtype != dtype:
            w0, w1 = ops.astype(w0, dtype=input.dtype), ops.astype(w1, dtype=input.dtype)
        out = low * w0 + high * w1
    return input.clone() if out is input else out


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of interpolate (torch's F.upsample)."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """interpolate(mode='nearest') (torch's deprecated F.upsample_nearest)."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """interpolate(mode='bilinear', align_corners=True) (torch's F.upsample_bilinear)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
