"""Set and counting ops under torch's names: unique, unique_consecutive, bincount, histc."""

from __future__ import annotations

from .. import _dtypes, ops
from ._dims import dim_axis, torch_name

__all__ = ["SetMethods", "bincount", "histc", "unique", "unique_consecutive"]


def _unique(input, return_inverse, return_counts, dim, consecutive):
    axis = None if dim is None else dim_axis(input, dim)
    if axis is not None and input.ndim == 0:
        axis = None
    values, _, inverse, counts = ops.unique_all(input, axis=axis, consecutive=consecutive)
    extras = [t for t, wanted in ((inverse, return_inverse), (counts, return_counts)) if wanted]
    return (values, *extras) if extras else values


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (or slices along `dim`), sorted, with optional inverse indices
    (input's shape, or the length of `dim`) and counts. NaNs are all distinct.

    >>> import bridgetensor as bt
    >>> bt.unique(bt.tensor([3, 1, 3]), return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    return _unique(input, return_inverse, return_counts, dim, consecutive=False)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse runs of equal neighbours (no sorting), with optional inverse and counts.

    >>> import bridgetensor as bt
    >>> bt.unique_consecutive(bt.tensor([1, 1, 2, 1]))
    tensor([1, 2, 1])
    """
    return _unique(input, return_inverse, return_counts, dim, consecutive=True)


def bincount(input, weights=None, minlength=0):
    """Occurrences of each value of a 1-d non-negative integer tensor (or summed `weights`:
    float32 and float64 weights keep their dtype, other weights sum in float64).

    >>> import bridgetensor as bt
    >>> bt.bincount(bt.tensor([0, 2, 2]))
    tensor([1, 0, 2])
    """
    if input.dtype.category != _dtypes.INTEGER:
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{torch_name(input.dtype)}'"
        )
    if input.ndim != 1 or (input.numel() and int(ops.min(input).item()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is not None:
        if weights.ndim != 1 or weights.shape[0] != input.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
        # torch: an empty input counts in int64 whatever the weights; weights other than
        # float32 and float64 (float16 and integers too) sum in float64.
        if input.numel() == 0:
            weights = None
        elif weights.dtype not in (_dtypes.float32, _dtypes.float64):
            weights = ops.astype(weights, dtype=_dtypes.float64)
    return ops.bincount(input, weights, minlength=minlength)


def histc(input, bins=100, min=0, max=0):
    """A histogram of `bins` equal bins over [min, max] (the data's range when both are 0);
    values outside are ignored. Not differentiable, as in torch.

    >>> import bridgetensor as bt
    >>> bt.histc(bt.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3)
    tensor([0., 2., 1., 0.])
    """
    if input.dtype.category != _dtypes.FLOATING:
        raise NotImplementedError(
            f"\"histogram_cpu\" not implemented for '{torch_name(input.dtype)}'"
        )
    if bins <= 0:
        raise RuntimeError(f"torch.histc: bins must be > 0, but got {bins} for dimension 0")
    if min > max:
        raise RuntimeError("torch.histc: max must be larger than min")
    low, high = float(min), float(max)
    if low == high and input.numel():
        low = float(ops.min(input.detach()).item())
        high = float(ops.max(input.detach()).item())
    if not (abs(low) < float("inf") and abs(high) < float("inf")):
        raise RuntimeError(f"torch.histc: range of [{low}, {high}] is not finite")
    return ops.histc(input, bins=bins, min=low, max=high)


class SetMethods:
    __slots__ = ()

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        return unique_consecutive(self, return_inverse, return_counts, dim)

    def bincount(self, weights=None, minlength=0):
        return bincount(self, weights, minlength)

    def histc(self, bins=100, min=0, max=0):
        return histc(self, bins, min, max)
