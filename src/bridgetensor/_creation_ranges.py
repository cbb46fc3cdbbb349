"""arange, linspace and logspace with torch's lengths and torch's values, bit for bit.

NumPy's formulas round differently from torch's CPU kernels, so the kernels are
reproduced here on the host (float32/float64 checked bit for bit against torch 2.13):

- arange computes ``start + step * i`` in double precision (float for float16) with a
  fused multiply-add, in blocks of one 32-byte vector: the first element of a block is
  rounded to the output dtype and the rest of the block adds ``k * step`` to it (again
  fused). The last ``n mod (2 * block)`` elements take the scalar formula.
- linspace fills the first half forwards from `start` and the second half backwards from
  `end`, with the step computed in the output dtype and one rounding per value (a fused
  multiply-add in the output dtype).
- logspace raises `base` to the exponents with the C library's ``pow``, no fusing.

The results are made on the host and moved to the backend once.
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

from . import _dtypes
from ._backend import backend_for_device
from .autograd import _primitive

__all__ = ["arange", "linspace", "logspace"]

_VECTOR_BYTES = 32  # torch's CPU kernels run on 256-bit vectors (AVX2) on x86-64
_GRAIN = 32768  # at::internal::GRAIN_SIZE: longer outputs are split across threads


# ---------------------------------------------------------------- exact fused multiply-add


def _split(a):
    # Veltkamp's split: a == hi + lo exactly, each with at most 26 significant bits.
    t = a * 134217729.0
    hi = t - (t - a)
    return hi, a - hi


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_product(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd_sum(a, b):
    # a + b rounded to the neighbour with an odd last bit (unless exact).
    s, e = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    fix = (e != 0) & even
    if fix.any():
        s = np.where(fix, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)
    return s


def fma(a, b, c) -> np.ndarray:
    """``a * b + c`` rounded once, in float64 (Boldo and Melquiond's emulation by rounding
    to odd: exact for finite values away from overflow and underflow)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, c)))
    with np.errstate(all="ignore"):
        uh, ul = _two_product(a, b)
        th, tl = _two_sum(c, uh)
        result = th + _round_to_odd_sum(tl, ul)
    # Outside the emulation's range (inf, nan, huge products) the plain formula is right.
    plain = a * b + c
    # A zero result is exact, and the plain formula gives it IEEE's sign (-0.0 + -0.0).
    exact_zero = result == 0
    return np.where(np.isfinite(result) & np.isfinite(plain) & ~exact_zero, result, plain)


# ---------------------------------------------------------------- arange


def arange_size(start, end, step, dtype) -> int:
    """torch's element count (RangeUtils.h), including its refusals."""
    if step == 0:
        raise RuntimeError("step must be nonzero")
    for value in (start, end):
        if not math.isfinite(value):
            raise RuntimeError(f"unsupported range: {_show(start)} -> {_show(end)}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is _dtypes.int64:
        # int64 arithmetic on the truncated values, as torch's int64 path does.
        xstart, xend, xstep = int(start), int(end), int(step)
        if xstep == 0:
            raise ValueError("step must be nonzero")
        sign = 1 if xstep > 0 else -1
        size = _trunc_div(xend - xstart + xstep - sign, xstep)
    else:
        size = math.ceil((float(end) - float(start)) / float(step))
    return max(size, 0)


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def arange_values(start, end, step, dtype, count: int) -> np.ndarray:
    """The `count` values of torch.arange on the host, in `dtype`."""
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    index = np.arange(count, dtype=np.int64)
    if not (dtype.is_floating_point or dtype.is_complex):
        xstart, xstep = int(start), int(step)
        return (xstart + xstep * index).astype(np_dtype)
    if dtype is _dtypes.float16:
        # Half accumulates in float: the same scheme one precision lower.
        start, step = float(np.float32(start)), float(np.float32(step))
        acc = np.float32
    else:
        start, step = float(start), float(step)
        acc = np.float64
    width = _VECTOR_BYTES // np_dtype.itemsize
    out = np.empty(count, dtype=np_dtype)
    for lo, hi in _thread_chunks(count):
        _arange_chunk(out, lo, hi, start, step, width, acc, np_dtype)
    return out


def _thread_chunks(count: int) -> list[tuple[int, int]]:
    """The ranges at::parallel_for hands its threads; each starts its own vector blocks.

    torch uses one thread per core by default; outputs up to the grain size take one.
    """
    threads = min(_cpu_count(), -(-count // _GRAIN))
    if threads <= 1:
        return [(0, count)]
    size = -(-count // threads)
    return [(lo, min(lo + size, count)) for lo in range(0, count, size)]


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _arange_chunk(out, lo, hi, start, step, width, acc, np_dtype) -> None:
    n = hi - lo
    vectorised = (n // (2 * width)) * 2 * width
    if vectorised:
        bases = np.arange(lo, lo + vectorised, width, dtype=np.float64)
        first = _round(fma(step, bases, start), acc).astype(np_dtype)
        offsets = np.arange(width, dtype=np.float64)
        block = fma(step, offsets[None, :], first.astype(np.float64)[:, None])
        block[:, 0] = first  # a block starts with its base itself, not base + 0 * step
        out[lo : lo + vectorised] = _round(block, acc).astype(np_dtype).reshape(-1)
    rest = np.arange(lo + vectorised, hi, dtype=np.float64)
    out[lo + vectorised : hi] = _round(fma(step, rest, start), acc).astype(np_dtype)


def _round(values: np.ndarray, acc) -> np.ndarray:
    # A float64 result of an fma is already rounded once; for float accumulation round
    # the exact value again to float (values here have at most 48 significant bits
    # before the sum, so the float64 result rounds to float as the exact one does
    # except in ties, which the float kernel would also have broken to even).
    return values if acc is np.float64 else values.astype(np.float32)


# ---------------------------------------------------------------- linspace


def linspace_values(start, end, steps: int, dtype) -> np.ndarray:
    """The values of torch.linspace on the host, in `dtype`."""
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if steps == 0:
        return np.empty(0, dtype=np_dtype)
    if dtype.is_complex:
        part = dtype.to_real()
        real = linspace_values(complex(start).real, complex(end).real, steps, part)
        imag = linspace_values(complex(start).imag, complex(end).imag, steps, part)
        return (real + 1j * imag.astype(np_dtype)).astype(np_dtype)
    if steps == 1:
        return np.full(1, _dtypes.scalar_as(start, dtype), dtype=np_dtype)
    index = np.arange(steps, dtype=np.int64)
    half = steps // 2
    back = (steps - 1 - index).astype(np.float64)
    forward = index.astype(np.float64)
    if dtype.is_floating_point:
        s, e = np_dtype.type(start), np_dtype.type(end)
        with np.errstate(over="ignore"):
            step = (e - s) / np_dtype.type(steps - 1)
        if dtype is _dtypes.float64:
            values = np.where(
                index < half, fma(step, forward, float(s)), fma(-step, back, float(e))
            )
        elif dtype is _dtypes.float32:
            # A float fma: the product is exact in double, and the sum rounded to odd in
            # double then to float is the exact sum rounded once to float.
            step64 = float(step)
            with np.errstate(all="ignore"):
                values = np.where(
                    index < half,
                    _round_to_odd_sum(np.full(steps, float(s)), step64 * forward),
                    _round_to_odd_sum(np.full(steps, float(e)), -step64 * back),
                )
        else:
            # float16: every operation rounds to half (not checked bit for bit).
            values = np.where(
                index < half,
                s + step * index.astype(np_dtype),
                e - step * (steps - 1 - index).astype(np_dtype),
            )
        with np.errstate(over="ignore", invalid="ignore"):
            return values.astype(np_dtype)
    # Integers: the step is a double, each value truncated toward zero.
    s, e = _dtypes.scalar_as(start, dtype), _dtypes.scalar_as(end, dtype)
    step = (float(e) - float(s)) / (steps - 1)
    values = np.where(index < half, fma(step, forward, float(s)), fma(-step, back, float(e)))
    return np.trunc(values).astype(np.int64).astype(np_dtype)


# ---------------------------------------------------------------- logspace


def logspace_values(start, end, steps: int, base: float, dtype) -> np.ndarray:
    """The values of torch.logspace on the host, in `dtype`."""
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if steps == 0:
        return np.empty(0, dtype=np_dtype)
    base = float(base)
    if dtype.is_complex:
        exponents = linspace_values(start, end, steps, dtype).astype(np.complex128)
        return np.power(complex(base), exponents).astype(np_dtype)
    if steps == 1:
        return _cast_double(np.array([_pow(base, float(start))]), np_dtype)
    if dtype.is_floating_point:
        s, e = np_dtype.type(start), np_dtype.type(end)
        with np.errstate(over="ignore"):
            span = float(e - s)
    else:
        s, e = _dtypes.scalar_as(start, dtype), _dtypes.scalar_as(end, dtype)
        span = float(e - s)
    step = span / (steps - 1)
    half = steps // 2
    s, e = float(s), float(e)
    # C's pow, element by element: NumPy's vectorised power may round differently.
    values = [
        _pow(base, s + step * i if i < half else e - step * (steps - i - 1)) for i in range(steps)
    ]
    return _cast_double(np.array(values, dtype=np.float64), np_dtype)


def _pow(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except OverflowError:
        even = exponent.is_integer() and exponent % 2 == 0
        return math.inf if base > 0 or even else -math.inf
    except ValueError:
        return math.nan


def _cast_double(values: np.ndarray, np_dtype) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        if np_dtype == np.float16:
            # C++ converts double to Half through float.
            return values.astype(np.float32).astype(np.float16)
        if np_dtype.kind in "iub":
            return np.trunc(values).astype(np.int64).astype(np_dtype)
        return values.astype(np_dtype)


# ---------------------------------------------------------------- the public functions


def _number(value):
    if _is_tensor(value) or isinstance(value, np.generic):
        return value.item()
    return value


def _from_host(host, device, requires_grad):
    backend, dev = backend_for_device(device)
    return _finish(_to_backend(host, backend, dev, copy=False), backend, requires_grad)


def arange(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
):
    """Values from `start` up to (not including) `end` by `step`; torch's values exactly.

    >>> import bridgetensor as bt
    >>> bt.arange(5)
    tensor([0, 1, 2, 3, 4])
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    for value in (start, end, step):
        if isinstance(value, complex):
            raise RuntimeError("value cannot be converted to type double without overflow")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = _dtypes.get_default_dtype() if is_float else _dtypes.int64
    if dtype is _dtypes.bool or dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{_legacy_name(dtype)}'")
    count = arange_size(start, end, step, dtype)
    return _from_host(arange_values(start, end, step, dtype, count), device, requires_grad)


def _steps(steps, name) -> int:
    steps = _number(steps)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"{name}(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return int(steps)


def _range_dtype(dtype, start, end, name):
    if dtype is None:
        if isinstance(start, complex) or isinstance(end, complex):
            return _dtypes._default["complex"]
        return _dtypes.get_default_dtype()
    if dtype is _dtypes.bool:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Bool'")
    return dtype


def linspace(
    start, end, steps, *, out=None, dtype=None, device=None, requires_grad=False, layout=None
):
    """`steps` evenly spaced values from `start` to `end`, both included; torch's values.

    >>> import bridgetensor as bt
    >>> bt.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    start, end = _number(start), _number(end)
    steps = _steps(steps, "linspace")
    dtype = _range_dtype(dtype, start, end, "linspace")
    return _from_host(linspace_values(start, end, steps, dtype), device, requires_grad)


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
):
    """`steps` values from base**start to base**end, evenly spaced in the exponent.

    >>> import bridgetensor as bt
    >>> bt.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    start, end = _number(start), _number(end)
    steps = _steps(steps, "logspace")
    dtype = _range_dtype(dtype, start, end, "logspace")
    values = logspace_values(start, end, steps, _number(base), dtype)
    return _from_host(values, device, requires_grad)


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def _legacy_name(d) -> str:
    return _primitive._dtypes_name(d)


def _finish(array, backend, requires_grad: bool):
    from ._creation import _finish as finish

    return finish(array, backend, requires_grad)


def _to_backend(array, backend, device, copy: bool):
    from ._creation import _to_backend as to_backend

    return to_backend(array, backend, device, copy)
