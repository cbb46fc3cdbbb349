"""TransformerEncoderLayer and TransformerEncoder, with torch's submodules, draws,
arguments and results (torch's own code path, not its inference fast path)."""

from __future__ import annotations

import copy
import warnings

from ... import _creation, _dtypes, ops
from ...autograd import _mode
from .. import functional as F
from ..functional.attention import canonical_mask
from ._transformer_parts import Dropout, LayerNorm
from .activation import ReLU
from .activation_smooth import GELU
from .attention import MultiheadAttention
from .container import ModuleList
from .linear import Linear
from .module import Module

__all__ = ["TransformerEncoder", "TransformerEncoderLayer"]


def _activation(activation):
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _causal_mask(size, device, dtype):
    """torch's square subsequent mask: 0 on and below the diagonal, -inf above."""
    rows = ops.expand_dims(_creation.arange(size, device=device), axis=1)
    above = _creation.arange(size, device=device) > rows
    zeros = _creation.zeros(size, size, device=device, dtype=dtype)
    return ops.where(above, float("-inf"), zeros)


def _detect_is_causal_mask(mask, is_causal=None, size=None) -> bool:
    """torch's rule: an explicit is_causal wins; otherwise a mask equal to the causal one."""
    make_causal = is_causal is True
    if is_causal is None and mask is not None:
        size = size if size is not None else mask.shape[-2]
        causal = _causal_mask(size, mask.device, mask.dtype)
        if tuple(mask.shape) == tuple(causal.shape):
            make_causal = bool(ops.all(mask == causal))
        else:
            make_causal = False
    return make_causal


class TransformerEncoderLayer(Module):
    """Self-attention then a feed-forward block, each with dropout, a residual connection
    and layer normalisation (after each block, or before with norm_first=True).

    >>> import bridgetensor as bt
    >>> layer = bt.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
    >>> layer(bt.zeros(3, 5, 8)).shape
    bridgetensor.Size([3, 5, 8])
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward=2048,
        dropout=0.1,
        activation=F.relu,
        layer_norm_eps=1e-5,
        batch_first=False,
        norm_first=False,
        bias=True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, **factory
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **factory)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **factory)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _activation(activation)
        if activation is F.relu or isinstance(activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif activation is F.gelu or isinstance(activation, GELU):
            self.activation_relu_or_gelu = 2
        else:
            self.activation_relu_or_gelu = 0
        self.activation = activation

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        src_key_padding_mask = canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", src.dtype, src_mask, "src_mask"
        )
        src_mask = canonical_mask(src_mask, "src_mask", src.dtype)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(x)

    def _ff_block(self, x):
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)


def _nested_tensor_obstacle(layer) -> str:
    """Why torch would not use nested tensors for this layer ("" if it would); torch warns
    with the reason when enable_nested_tensor is left True."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    if layer.norm_first:
        return f"{name}.norm_first was True"
    if not layer.self_attn.batch_first:
        return (
            f"{name}.self_attn.batch_first was not True"
            "(use batch_first for better inference performance)"
        )
    if not layer.self_attn._qkv_same_embed_dim:
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if layer.self_attn.in_proj_bias is None:
        return f"{name}.self_attn was passed bias=False"
    if not layer.activation_relu_or_gelu:
        return f"{name}.activation_relu_or_gelu was not True"
    if layer.norm1.eps != layer.norm2.eps:
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if layer.self_attn.num_heads % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


def _left_aligned(padding) -> bool:
    """Whether every row's padding (True) comes after all its kept positions."""
    flags = ops.astype(padding, dtype=_dtypes.int64)
    return bool(ops.all(flags[..., 1:] >= flags[..., :-1]))


class TransformerEncoder(Module):
    """num_layers copies of an encoder layer (deep copies: equal initial weights, as in
    torch), then an optional final normalisation.

    >>> import bridgetensor as bt
    >>> layer = bt.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    >>> bt.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)(bt.zeros(5, 3, 8)).shape
    bridgetensor.Size([5, 3, 8])
    """

    def __init__(
        self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True
    ) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        reason = _nested_tensor_obstacle(encoder_layer)
        if enable_nested_tensor and reason:
            warnings.warn(
                "enable_nested_tensor is True, but self.use_nested_tensor is False because "
                f"{reason}",
                stacklevel=2,
            )
            self.use_nested_tensor = False

    def _nested(self, src, mask, padding) -> bool:
        """Whether torch would take its nested-tensor inference path for this call."""
        if not self.use_nested_tensor or self.layers[0].training or src.ndim != 3:
            return False
        if padding is None or mask is not None:
            return False
        if self.mask_check and not _left_aligned(padding != 0.0):
            return False
        layer = self.layers[0]
        tensors = [src, *layer.parameters()]
        return not (_mode.state.grad_enabled and any(t.requires_grad for t in tensors))

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        src_key_padding_mask = canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", src.dtype, mask, "mask"
        )
        mask = canonical_mask(mask, "mask", src.dtype)
        batch_first = self.layers[0].self_attn.batch_first
        seq_len = src.shape[0] if src.ndim == 2 else src.shape[1 if batch_first else 0]
        is_causal = _detect_is_causal_mask(mask, is_causal, seq_len)
        output = src
        for layer in self.layers:
            output = layer(
                output,
                src_mask=mask,
                is_causal=is_causal,
                src_key_padding_mask=src_key_padding_mask,
            )
        if self._nested(src, mask, src_key_padding_mask):
            # torch runs this case on nested tensors, which leave 0 at padded positions.
            padded = ops.expand_dims(src_key_padding_mask != 0.0, axis=-1)
            output = ops.where(padded, 0.0, output)
        if self.norm is not None:
            output = self.norm(output)
        return output
