"""Attention under torch's names: scaled_dot_product_attention and
multi_head_attention_forward (the functional form of nn.MultiheadAttention).

Both follow torch's CPU math step by step (scaling, mask handling, softmax, dropout
drawn as torch draws it), so values agree to rounding and, after `manual_seed`, the
dropout masks agree exactly.
"""

from __future__ import annotations

import math
import warnings

from ... import _creation, _dtypes, ops
from ..._torch_api._elementwise import torch_name
from ._transformer_parts import dropout
from .linear import linear

__all__ = ["multi_head_attention_forward", "scaled_dot_product_attention"]


def _float_mask(mask, dtype):
    """A bool mask (True: left out) as an additive float mask of 0 and -inf."""
    zeros = _creation.zeros(*mask.shape, dtype=dtype, device=mask.device)
    return ops.where(mask, float("-inf"), zeros)


def canonical_mask(mask, name: str, dtype, other=None, other_name: str = ""):
    """torch's `_canonical_mask`: bool and float masks accepted, bool made additive; a
    warning when `other` (the call's other mask) has another dtype."""
    if mask is None:
        return None
    if mask.dtype is not _dtypes.bool and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if other is not None and other.dtype is not mask.dtype:
        warnings.warn(
            f"Support for mismatched {name} and {other_name} is deprecated. Use same type "
            "for both instead.",
            stacklevel=3,
        )
    return _float_mask(mask, dtype) if mask.dtype is _dtypes.bool else mask


def _safe_softmax(scores):
    """softmax over the last axis giving 0, not NaN, for rows that are all -inf (torch's
    `_safe_softmax`, used by scaled_dot_product_attention); the gradient there is 0."""
    empty = ops.all(scores == float("-inf"), axis=-1, keepdims=True)
    weights = ops.softmax(ops.where(empty, 0.0, scores), axis=-1)
    return ops.where(empty, 0.0, weights)


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
    enable_gqa=False,
):  # fmt: skip
    """softmax(query @ key^T * scale + mask) @ value, over the last two dimensions.

    A bool `attn_mask` marks with True the positions that take part; a float one is
    added. `is_causal` masks keys after each query (not both, as in torch). Rows with no
    position left give 0.

    >>> import bridgetensor as bt
    >>> import bridgetensor.nn.functional as F
    >>> F.scaled_dot_product_attention(bt.ones(1, 2, 4), bt.ones(1, 3, 4), bt.ones(1, 3, 5)).shape
    bridgetensor.Size([1, 2, 5])
    """
    if not 0.0 <= dropout_p <= 1.0:
        raise RuntimeError(
            f"scaled_dot_product_attention: dropout probability has to be between 0 and 1, "
            f"but got {dropout_p:g}"
        )
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True"
        )
    if not (query.dtype is key.dtype is value.dtype):
        raise RuntimeError(
            "scaled_dot_product_attention: Expected query, key, and value to have the same "
            f"dtype, but got query.dtype: {torch_name(query.dtype).lower()} key.dtype: "
            f"{torch_name(key.dtype).lower()} and value.dtype: "
            f"{torch_name(value.dtype).lower()} instead."
        )
    if enable_gqa and query.ndim >= 3 and query.shape[-3] != key.shape[-3]:
        raise NotImplementedError(
            "scaled_dot_product_attention: enable_gqa with fewer key/value heads than query "
            "heads is not supported"
        )
    if query.shape[-1] != key.shape[-1]:
        raise RuntimeError(
            f"scaled_dot_product_attention: query and key need the same last dimension; "
            f"got {query.shape[-1]} and {key.shape[-1]}"
        )
    factor = math.sqrt(scale if scale is not None else 1.0 / math.sqrt(query.shape[-1]))
    # NOTE: as torch's math path, both query and key are scaled by sqrt(scale).
    key_t = ops.matrix_transpose(key * factor)
    scores = ops.matmul(query * factor, key_t)
    target, source = query.shape[-2], key.shape[-2]
    if is_causal:
        rows = ops.expand_dims(_creation.arange(target, device=query.device), axis=1)
        allowed = _creation.arange(source, device=query.device) <= rows
        scores = scores + _float_mask(ops.logical_not(allowed), scores.dtype)
    elif attn_mask is not None:
        if attn_mask.dtype is _dtypes.bool:
            attn_mask = _float_mask(ops.logical_not(attn_mask), scores.dtype)
        scores = scores + attn_mask
    weights = _safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return ops.matmul(weights, value)


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the call is batched (3-D query), with torch's shape checks."""
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.ndim}-D and {value.ndim}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.ndim != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D "
                f"but found {key_padding_mask.ndim}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                f"found {attn_mask.ndim}-D tensor instead"
            )
        return True
    if query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                f"{key.ndim}-D and {value.ndim}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.ndim != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                f"but found {key_padding_mask.ndim}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.ndim not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or "
                    f"3-D but found {attn_mask.ndim}-D tensor instead"
                )
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.ndim == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(
                    f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}"
                )
        return False
    raise AssertionError(
        "query should be unbatched 2D or batched 3D tensor but received "
        f"{query.ndim}-D query tensor"
    )


def _rows(t, start, stop):
    return None if t is None else ops.getitem(t, key=(slice(start, stop), ...))


def _append_column(t, value=0.0):
    """t with one more entry at the end of its last axis (torch's pad(t, (0, 1)))."""
    column = _creation.zeros(*t.shape[:-1], 1, dtype=t.dtype, device=t.device) + value
    return ops.concat(t, column, axis=-1)


def _project(query, key, value, in_proj_weight, in_proj_bias, separate):
    """q, k, v: the input projections, packed (one weight) or separate (three)."""
    e = query.shape[-1]
    if separate is None:
        if key is value and query is key:
            qkv = linear(query, in_proj_weight, in_proj_bias)
            return tuple(ops.getitem(qkv, key=(..., slice(i * e, (i + 1) * e))) for i in range(3))
        weights = [_rows(in_proj_weight, i * e, (i + 1) * e) for i in range(3)]
    else:
        weights = list(separate)
        for w, name, x in zip(weights, ("query", "key", "value"), (query, key, value)):
            if tuple(w.shape) != (e, x.shape[-1]):
                raise AssertionError(
                    f"expecting {name} weights shape of {(e, x.shape[-1])}, but got {w.shape}"
                )
    biases = [_rows(in_proj_bias, i * e, (i + 1) * e) for i in range(3)]
    return tuple(linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))


def multi_head_attention_forward(
    query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k,
    bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True,
    key_padding_mask=None, need_weights=True, attn_mask=None, use_separate_proj_weight=False,
    q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None,
    average_attn_weights=True, is_causal=False,
):  # fmt: skip
    """Multi-head attention on (L, N, E) query and (S, N, E) key/value (or unbatched 2-D):
    returns (output, weights averaged over heads or per head, or None).

    >>> import bridgetensor as bt
    >>> import bridgetensor.nn.functional as F
    >>> x, w = bt.ones(3, 1, 4), bt.ones(12, 4)
    >>> out, weights = F.multi_head_attention_forward(
    ...     x, x, x, 4, 2, w, None, None, None, False, 0.0, bt.ones(4, 4), None)
    >>> out.shape, weights.shape
    (bridgetensor.Size([3, 1, 4]), bridgetensor.Size([1, 3, 3]))
    """
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = (ops.expand_dims(t, axis=1) for t in (query, key, value))
        if key_padding_mask is not None:
            key_padding_mask = ops.expand_dims(key_padding_mask, axis=0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = canonical_mask(
        key_padding_mask, "key_padding_mask", query.dtype, attn_mask, "attn_mask"
    )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        # The causal hint alone is passed to scaled_dot_product_attention, as in torch.
        attn_mask = None
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", query.dtype)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
        separate = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        if tuple(key.shape) != tuple(value.shape):
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        separate = None
    q, k, v = _project(query, key, value, in_proj_weight, in_proj_bias, separate)
    src_len = key.shape[0]
    if attn_mask is not None:
        if attn_mask.ndim == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                    f"{(tgt_len, src_len)}."
                )
            attn_mask = ops.expand_dims(attn_mask, axis=0)
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            raise RuntimeError(
                f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                f"{(bsz * num_heads, tgt_len, src_len)}."
            )
    if bias_k is not None and bias_v is not None:
        k = ops.concat(k, ops.broadcast_to(bias_k, shape=(1, bsz, embed_dim)), axis=0)
        v = ops.concat(v, ops.broadcast_to(bias_v, shape=(1, bsz, embed_dim)), axis=0)
        attn_mask = None if attn_mask is None else _append_column(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _append_column(key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        set_one = "bias_k" if bias_k is not None else "bias_v"
        other = "bias_v" if bias_k is not None else "bias_k"
        raise AssertionError(f"{set_one} is set but {other} is None")

    def heads(t, length):  # (length, N, E) -> (N * heads, length, head_dim)
        return ops.permute_dims(
            ops.reshape(t, shape=(length, bsz * num_heads, head_dim)), axes=(1, 0, 2)
        )

    q = heads(q, tgt_len)
    k = heads(k, k.shape[0]) if static_k is None else static_k
    v = heads(v, v.shape[0]) if static_v is None else static_v
    if add_zero_attn:
        zero = _creation.zeros(bsz * num_heads, 1, head_dim, dtype=k.dtype, device=k.device)
        k, v = ops.concat(k, zero, axis=1), ops.concat(v, zero, axis=1)
        attn_mask = None if attn_mask is None else _append_column(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _append_column(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            axis = 0 if key_padding_mask.shape[0] != bsz else 1
            raise AssertionError(
                f"Expected key_padded_mask.shape[{axis}] to be {(bsz, src_len)[axis]}, but got "
                f"{key_padding_mask.shape[axis]}"
            )
        padding = ops.reshape(key_padding_mask, shape=(bsz, 1, 1, src_len))
        padding = ops.broadcast_to(padding, shape=(bsz, num_heads, 1, src_len))
        padding = ops.reshape(padding, shape=(bsz * num_heads, 1, src_len))
        attn_mask = padding if attn_mask is None else attn_mask + padding
    if not training:
        dropout_p = 0.0
    if need_weights:
        scores = ops.matmul(q * math.sqrt(1.0 / float(head_dim)), ops.matrix_transpose(k))
        if attn_mask is not None:
            scores = attn_mask + scores
        # NOTE: as torch's need_weights path, a row with every key masked gives NaN.
        weights = ops.softmax(scores, axis=-1)
        if dropout_p > 0.0:
            weights = dropout(weights, dropout_p, True)
        output = ops.matmul(weights, v)
        output = ops.reshape(ops.permute_dims(output, axes=(1, 0, 2)), shape=(-1, embed_dim))
        weights = ops.reshape(weights, shape=(bsz, num_heads, tgt_len, src_len))
        if average_attn_weights:
            weights = ops.mean(weights, axis=1)
        if not batched:
            weights = ops.squeeze(weights, axis=0)
    else:
        if attn_mask is not None:
            if attn_mask.shape[0] == 1 and attn_mask.ndim == 3:
                attn_mask = ops.expand_dims(attn_mask, axis=0)
            else:
                attn_mask = ops.reshape(attn_mask, shape=(bsz, num_heads, -1, src_len))
        q, k, v = (ops.reshape(t, shape=(bsz, num_heads, t.shape[1], head_dim)) for t in (q, k, v))
        output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
        output = ops.reshape(ops.permute_dims(output, axes=(2, 0, 1, 3)), shape=(-1, embed_dim))
        weights = None
    output = linear(output, out_proj_weight, out_proj_bias)
    output = ops.reshape(output, shape=(tgt_len, bsz, output.shape[1]))
    if not batched:
        output = ops.squeeze(output, axis=1)
    return output, weights
