"""Splitting under torch's names: `split`, `chunk`, `tensor_split`, `unbind`, `hsplit`, ...

All return views. Outputs of split, chunk and unbind come from one multi-output node
(SplitBackward0, UnbindBackward0), which torch forbids writing in place under autograd;
tensor_split's pieces are separate slices (SliceBackward0), which may be written.
"""

from __future__ import annotations

import itertools

from .. import ops
from ..ops._helpers import normalize_axis, variant

__all__ = ["chunk", "dsplit", "hsplit", "split", "tensor_split", "unbind", "vsplit"]

FULL = slice(None)
_SPLIT = variant(ops.split_axis, "SplitBackward0")
_SLICE = ops.indexing.GETITEM["SliceBackward0"]


def split(tensor, split_size_or_sections, dim=0):
    """Views of `tensor` in pieces of `split_size` (the last may be smaller) or of the given
    sizes along `dim`.

    >>> import bridgetensor as bt
    >>> [t.tolist() for t in bt.split(bt.arange(5), 2)]
    [[0, 1], [2, 3], [4]]
    """
    dim = normalize_axis(dim, tensor.ndim)
    size = tensor.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0 or (step == 0 and size != 0):
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
                if step == 0
                else f"split expects split_size be non-negative, but got split_size={step}"
            )
        starts = range(0, size, step) if step else [0]
        bounds = tuple((s, min(s + step, size)) for s in starts)
        prim = _SPLIT
    else:
        sizes = [int(n) for n in split_size_or_sections]
        if sum(sizes) != size or any(n < 0 for n in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={sizes}"
            )
        bounds = []
        start = 0
        for n in sizes:
            bounds.append((start, start + n))
            start += n
        bounds = tuple(bounds)
        prim = ops.split_axis
    if not bounds:
        return ()
    return tuple(prim(tensor, bounds=bounds, axis=dim))


def chunk(input, chunks, dim=0):
    """At most `chunks` views of equal size (the last may be smaller) along `dim`.

    >>> import bridgetensor as bt
    >>> [t.tolist() for t in bt.chunk(bt.arange(5), 2)]
    [[0, 1, 2], [3, 4]]
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = input.shape[normalize_axis(dim, input.ndim)]
    return split(input, max(-(-size // chunks), 1) if size else 1, dim)


def tensor_split(input, indices_or_sections, dim=0):
    """Views split at the given indices, or into `sections` nearly equal parts (the first
    ones one larger).

    >>> import bridgetensor as bt
    >>> [t.tolist() for t in bt.tensor_split(bt.arange(5), 3)]
    [[0, 1], [2, 3], [4]]
    """
    dim = normalize_axis(dim, input.ndim)
    size = input.shape[dim]
    if _is_sections(indices_or_sections):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        small, extra = divmod(size, sections)
        cuts, start = [], 0
        for i in range(sections - 1):
            start += small + (1 if i < extra else 0)
            cuts.append(start)
    else:
        cuts = [int(i) for i in indices_or_sections]
    edges = [0, *(min(max(c if c >= 0 else c + size, 0), size) for c in cuts), size]
    return tuple(
        _SLICE(input, key=(*(FULL,) * dim, slice(a, max(a, b)), Ellipsis))
        for a, b in itertools.pairwise(edges)
    )


def _is_sections(value) -> bool:
    if isinstance(value, int):
        return True
    return hasattr(value, "ndim") and value.ndim == 0


def _split_along(name, input, sections, dim, need):
    if input.ndim < need:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {need} dimension, but got a tensor "
            f"with {input.ndim} dimensions!"
        )
    if isinstance(sections, int) and (sections == 0 or input.shape[dim] % sections):
        raise RuntimeError(
            f"torch.{name} attempted to split along dimension {dim}, but the size of the "
            f"dimension {input.shape[dim]} is not divisible by the split_size {sections}!"
        )
    return tensor_split(input, sections, dim)


def hsplit(input, sections):
    """tensor_split along dimension 1 (0 for 1-D); equal sections must divide exactly."""
    if input.ndim < 1:
        raise RuntimeError(
            "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 "
            "dimensions!"
        )
    return _split_along("hsplit", input, sections, 0 if input.ndim == 1 else 1, 1)


def vsplit(input, sections):
    """tensor_split along dimension 0 of a tensor of at least 2 dimensions."""
    return _split_along("vsplit", input, sections, 0, 2)


def dsplit(input, sections):
    """tensor_split along dimension 2 of a tensor of at least 3 dimensions."""
    return _split_along("dsplit", input, sections, 2, 3)


def unbind(input, dim=0):
    """The slices along `dim`, as views without that dimension.

    >>> import bridgetensor as bt
    >>> bt.unbind(bt.tensor([[1, 2], [3, 4]]), 1)
    (tensor([1, 3]), tensor([2, 4]))
    """
    return ops.unstack(input, axis=normalize_axis(dim, input.ndim))
