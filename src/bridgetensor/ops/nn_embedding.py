"""Embedding lookup as a primitive (torch's EmbeddingBackward0).

A primitive rather than `take`: the row at `padding_idx` must receive no gradient, and
`scale_grad_by_freq` divides each row's gradient by its index's count in the batch.
"""

from __future__ import annotations

from array_api_compat import device as array_device

from ..autograd._primitive import primitive
from .indexing import index_add_at

__all__ = ["embedding"]


@primitive(dtypes=None, grad_name="EmbeddingBackward0")
def embedding(weight, indices, /, *, xp, padding_idx=None, scale_grad_by_freq=False):
    """Rows of `weight` picked by integer `indices`: shape (*indices.shape, dim)."""
    rows = xp.take(weight, xp.reshape(indices, (-1,)), axis=0)
    return xp.reshape(rows, (*indices.shape, weight.shape[1]))


def _embedding_rule(g, out, weight, indices, *, padding_idx=None, scale_grad_by_freq=False):
    from ._helpers import wrap
    from .elementwise import where
    from .indexing import take
    from .manipulation import reshape

    flat = reshape(g, shape=(-1, g.shape[-1]))
    idx = reshape(indices, shape=(-1, 1))
    if padding_idx is not None:
        # NOTE: as torch, the padding row's gradient is zero.
        flat = where(idx == padding_idx, 0.0, flat)
    key = (idx._data[:, 0],)
    if scale_grad_by_freq:
        xp = g._be.xp
        ones = xp.ones((flat.shape[0],), dtype=g._data.dtype, device=array_device(g._data))
        ones = wrap(ones, g._be)
        counts = index_add_at(ones, shape=(weight.shape[0],), key=key)
        flat = flat / take(counts, idx, axis=0)
    return index_add_at(flat, shape=tuple(weight.shape), key=key)


embedding.defvjp(_embedding_rule, None)
