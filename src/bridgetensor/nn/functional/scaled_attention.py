"""scaled_dot_product_attention: softmax(q @ k^T * scale + mask) @ v (a composite)."""

from __future__ import annotations

import math

from ... import _dtypes, ops
from ...ops._helpers import wrap
from .dropout import dropout

__all__ = ["scaled_dot_product_attention"]


def _check(query, key, value) -> None:
    if not (query.dtype is key.dtype is value.dtype):
        names = {"float64": "double", "float32": "float", "float16": "c10::Half"}
        q, k, v = (names.get(t.dtype.name, t.dtype.name) for t in (query, key, value))
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{q} key.dtype: {k} and value.dtype: {v} instead."
        )


def scaled_dot_product_attention(
    query,
    key,
    value,
    attn_mask=None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale=None,
    enable_gqa: bool = False,
):
    """Attention of queries (..., L, E) over keys (..., S, E) and values (..., S, Ev).

    `attn_mask` is boolean (True: may attend) or added to the scores; `is_causal` masks
    the future; `scale` defaults to 1 / sqrt(E). As torch on CPU, a query that may attend
    to nothing gets zeros (not NaN).

    >>> import bridgetensor as bt
    >>> q = k = v = bt.ones(1, 2, 4)
    >>> bt.nn.functional.scaled_dot_product_attention(q, k, v).shape
    bridgetensor.Size([1, 2, 4])
    """
    _check(query, key, value)
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True"
        )
    length, source = query.shape[-2], key.shape[-2]
    factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        repeats = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(repeats, -3)
        value = value.repeat_interleave(repeats, -3)
    scores = ops.matmul(query, ops.matrix_transpose(key)) * factor
    xp = query._be.xp
    allowed = None
    if is_causal:
        causal = xp.tril(xp.ones((length, source), dtype=xp.bool))
        allowed = wrap(causal, query._be)
    elif attn_mask is not None:
        if attn_mask.dtype is _dtypes.bool:
            allowed = attn_mask
        else:
            scores = scores + attn_mask
    if allowed is not None:
        scores = ops.where(allowed, scores, -math.inf)
    # A softmax that gives rows of -inf (nothing to attend to) zeros, as torch's CPU kernel.
    top = ops.max(scores, axis=-1, keepdims=True).detach()
    top = ops.where(ops.isinf(top), 0.0, top)
    e = ops.exp(scores - top)
    total = ops.sum(e, axis=-1, keepdims=True)
    weights = e / ops.where(total == 0.0, 1.0, total)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return ops.matmul(weights, value)
