"""Linear maps."""

from __future__ import annotations

from ... import ops

__all__ = ["linear"]


def linear(input, weight, bias=None):
    """input @ weight.T + bias, for input of shape (*, in_features).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.linear(bt.ones(2, 3), bt.ones(4, 3)).shape
    bridgetensor.Size([2, 4])
    """
    if input.shape[-1] != weight.shape[-1]:
        lead = "x".join(str(n) for n in input.shape[:-1]) or "1"
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({lead}x{input.shape[-1]} and "
            f"{weight.shape[1]}x{weight.shape[0]})"
        )
    weight_t = ops.permute_dims(weight, axes=(1, 0))
    if input.ndim == 2:
        out = ops.matmul(input, weight_t)
        return out if bias is None else ops.add(out, bias)
    # As torch, other ranks go through a 2-D product and a view back (grad_fn ViewBackward0).
    lead = tuple(input.shape[:-1])
    flat = ops.reshape(input, shape=(-1, input.shape[-1]))
    out = ops.matmul(flat, weight_t)
    if bias is not None:
        out = ops.add(out, bias)
    return ops.reshape(out, shape=(*lead, weight.shape[0]))
