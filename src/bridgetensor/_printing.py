"""torch's tensor repr, digit for digit: precision 4, scientific mode when the range asks
for it, summarisation past `threshold` elements, wrapping at `linewidth` columns.

Large tensors are cut to their edge items on the backend before anything is copied to
the host, so printing a huge (or lazy Dask) tensor only fetches what is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _dtypes

__all__ = ["set_printoptions", "get_printoptions", "tensor_repr", "printoptions"]


@dataclass
class _Options:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


OPTIONS = _Options()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
) -> None:
    """Set how tensors print (torch's options and profiles "default", "short", "full").

    >>> import bridgetensor as bt
    >>> bt.set_printoptions(precision=2); bt.tensor([1.2345])
    tensor([1.23])
    >>> bt.set_printoptions(profile="default")
    """
    if profile is not None:
        # As torch, an unknown profile name changes nothing.
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(OPTIONS, name, value)
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current print options as a dict."""
    return dict(OPTIONS.__dict__)


class printoptions:
    """Context manager that sets print options temporarily."""

    def __init__(self, **options) -> None:
        self.options = options

    def __enter__(self):
        self.saved = get_printoptions()
        set_printoptions(**self.options)

    def __exit__(self, *exc_info) -> None:
        for name, value in self.saved.items():
            setattr(OPTIONS, name, value)


# ---------------------------------------------------------------- value formatting


class _Formatter:
    """Chooses int, fixed or scientific mode and the column width from the shown values."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        precision = OPTIONS.precision
        if not self.floating:
            for value in values.reshape(-1).tolist():
                self.max_width = max(self.max_width, len(_plain(value)))
        else:
            flat = values.reshape(-1)
            finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
            if not finite.size:
                return  # as torch: nothing decides the mode, and sci_mode is not applied
            magnitude = np.abs(finite)
            low, high = float(magnitude.min()), float(magnitude.max())
            listed = finite.tolist()
            self.int_mode = all(v == math.ceil(v) for v in listed)
            if OPTIONS.sci_mode is None:
                self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
            else:
                self.sci_mode = OPTIONS.sci_mode
            # The widths are those of the chosen mode (torch >= 2.x).
            if self.sci_mode:
                fmt, extra = f"{{:.{precision}e}}", 0
            elif self.int_mode:
                fmt, extra = "{:.0f}", 1  # the "." appended to integral floats
            else:
                fmt, extra = f"{{:.{precision}f}}", 0
            for v in listed:
                self.max_width = max(self.max_width, len(fmt.format(v)) + extra)

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        precision = OPTIONS.precision
        if self.floating:
            if self.sci_mode:
                text = f"{{:{self.max_width}.{precision}e}}".format(value)
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{{:.{precision}f}}".format(value)
        else:
            text = _plain(value)
        return (self.max_width - len(text)) * " " + text


def _plain(value) -> str:
    return str(value)


# ---------------------------------------------------------------- layout


def _edges(array, xp, summarize: bool):
    """Cut every long dimension to its edge items (on the backend) before fetching."""
    if not summarize:
        return array
    edge = OPTIONS.edgeitems
    for axis, n in enumerate(array.shape):
        if n > 2 * edge:
            # Slices, not an index array: one made here would be on the default device,
            # which need not be the array's (array-api-strict refuses to mix them).
            before = (slice(None),) * axis
            head, tail = (*before, slice(0, edge), ...), (*before, slice(n - edge, n), ...)
            array = xp.concat([array[head], array[tail]], axis=axis)
    return array


def _vector(values, full_length, indent, summarize, fmt) -> str:
    edge = OPTIONS.edgeitems
    per_line = max(1, math.floor((OPTIONS.linewidth - indent) / fmt.width_with_comma()))
    items = values.tolist()
    if summarize and not edge:
        data = ["..."]
    elif summarize and full_length > 2 * edge:
        data = [fmt.format(v) for v in items[:edge]] + [" ..."]
        data += [fmt.format(v) for v in items[edge:]]
    else:
        data = [fmt.format(v) for v in items]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values, shape, indent, summarize, fmt) -> str:
    if len(shape) == 0:
        return fmt.format(values.item())
    if len(shape) == 1:
        return _vector(values, shape[0], indent, summarize, fmt)
    edge = OPTIONS.edgeitems
    inner = shape[1:]
    if summarize and shape[0] > 2 * edge:
        rows = [_nested(values[i], inner, indent + 1, summarize, fmt) for i in range(edge)]
        rows.append("...")
        rows += [
            _nested(values[i], inner, indent + 1, summarize, fmt) for i in range(edge, 2 * edge)
        ]
    else:
        rows = [_nested(values[i], inner, indent + 1, summarize, fmt) for i in range(shape[0])]
    separator = "," + "\n" * (len(shape) - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


class _ComplexFormat:
    """Real and imaginary parts formatted separately, as torch does."""

    def __init__(self, values) -> None:
        self.real = _Formatter(values.real)
        self.imag = _Formatter(values.imag)

    def width_with_comma(self) -> int:
        # ", " after the real part's width, and the "j" after the imaginary part's.
        return self.real.width() + 2 + self.imag.width() + 1

    def format(self, value) -> str:
        real = self.real.format(value.real)
        imag = self.imag.format(value.imag).lstrip()
        sign = "+" if imag[0] not in "+-" else ""
        return f"{real}{sign}{imag}j"


class _RealFormat(_Formatter):
    def width_with_comma(self) -> int:
        return self.width() + 2


def _contents(t, indent: int) -> str:
    from ._interop import host_array

    numel = t.numel()
    if numel == 0:
        return "[]"
    summarize = numel > OPTIONS.threshold
    data = _edges(t._data, t._be.xp, summarize)
    values = np.asarray(host_array(data, t._be))
    if values.dtype == np.float16:
        values = values.astype(np.float32)
    fmt = _ComplexFormat(values) if values.dtype.kind == "c" else _RealFormat(values)
    return _nested(values, tuple(t.shape), indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _shows_dtype(dtype) -> bool:
    default = _dtypes.get_default_dtype()
    return dtype not in (default, default.to_complex(), _dtypes.int64, _dtypes.bool)


def tensor_repr(t, *, prefix: str | None = None) -> str:
    """torch's ``repr`` of a tensor, with bridgetensor's dtype names.

    Plain tensors and Parameters print as ``tensor(...)`` (Parameter's own ``__repr__``
    puts "Parameter containing:" above it, as torch's does); other subclasses print
    their class name, as torch's do.
    """
    if prefix is None:
        plain = type(t).__name__ in ("Tensor", "Parameter")
        prefix = "tensor(" if plain else f"{type(t).__name__}("
    indent = len(prefix)
    suffixes = []
    device = t.device
    if device.type != "cpu":
        suffixes.append(f"device='{device}'")
    if t.numel() == 0:
        if t.ndim != 1:
            suffixes.append("size=" + str(tuple(t.shape)))
        if t.dtype is not _dtypes.get_default_dtype():
            suffixes.append(f"dtype={t.dtype}")
        text = "[]"
    else:
        if not OPTIONS.edgeitems:
            suffixes.append("size=" + str(tuple(t.shape)))
        if _shows_dtype(t.dtype):
            suffixes.append(f"dtype={t.dtype}")
        text = _contents(t, indent)
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(t._grad_fn).__name__}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + text, suffixes, indent)
