"""Linear maps: linear (one `addmm` node for 2-D input, as torch) and bilinear."""

from __future__ import annotations

from ... import ops
from ..._torch_api.shape import t as _t
from ...ops._helpers import variant

__all__ = ["bilinear", "linear"]

# torch's names for the steps of the other ranks: a 1-D input's squeezed product, the view
# back of an N-D product without bias.
_SQUEEZE_PRODUCT = variant(ops.squeeze, "SqueezeBackward4")
_UNSAFE_VIEW = variant(ops.reshape, "UnsafeViewBackward0")


def _shape_error(input, weight) -> RuntimeError:
    lead = 1
    for n in input.shape[:-1]:
        lead *= n
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({lead}x{input.shape[-1]} and "
        f"{weight.shape[1]}x{weight.shape[0]})"
    )


def linear(input, weight, bias=None):
    """input @ weight.T + bias, for input of shape (*, in_features).

    A 2-D input is one node (AddmmBackward0, or MmBackward0 without bias); other ranks
    are reshaped around it and show ViewBackward0, as in torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.linear(bt.ones(2, 3), bt.ones(4, 3)).shape
    bridgetensor.Size([2, 4])
    """
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input.ndim}D and {weight.ndim}D"
        )
    if weight.ndim == 1:
        if bias is not None and bias.ndim:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        out = ops.matmul(input, weight)
        return out if bias is None else out + bias
    if input.shape[-1] != weight.shape[-1]:
        raise _shape_error(input, weight)
    if input.dtype is not weight.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_c(input.dtype)} != "
            f"{_c(weight.dtype)}"
        )
    weight_t = _t(weight)
    if input.ndim == 2:
        if bias is None:
            return ops.matmul(input, weight_t)
        return ops.addmm(_bias_for(bias, input.shape[0], weight.shape[0]), input, weight_t)
    flat = ops.reshape(input, shape=(-1, input.shape[-1]))
    lead = tuple(input.shape[:-1])
    if bias is None:
        out = ops.matmul(flat, weight_t)
        if input.ndim == 1:
            return _SQUEEZE_PRODUCT(out, axis=(0,))
        return _UNSAFE_VIEW(out, shape=(*lead, weight.shape[0]))
    out = ops.addmm(_bias_for(bias, flat.shape[0], weight.shape[0]), flat, weight_t)
    return ops.reshape(out, shape=(*lead, weight.shape[0]))


def _bias_for(bias, rows: int, columns: int):
    """The bias, checked to broadcast to the (rows, columns) product as torch's addmm."""
    shape = tuple(bias.shape)
    target = (rows, columns)
    if len(shape) > 2 or any(n != 1 and n != m for n, m in zip(reversed(shape), reversed(target))):
        raise RuntimeError(
            f"The expanded size of the tensor ({columns}) must match the existing size "
            f"({shape[-1]}) at non-singleton dimension 1.  Target sizes: [{rows}, {columns}].  "
            f"Tensor sizes: {list(shape)}"
        )
    return bias


def _c(dtype) -> str:
    from ...ops._linalg_common import c_name

    return c_name(dtype)


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = input1 @ weight[o] @ input2 + bias[o], for inputs (*, in1) and (*, in2).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.bilinear(bt.ones(2, 3), bt.ones(2, 4), bt.ones(5, 3, 4)).shape
    bridgetensor.Size([2, 5])
    """
    if input1.ndim != input2.ndim:
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}"
        )
    for i, (p, q) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if p != q:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {i}: got {p} and {q}"
            )
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
            f"expected {weight.shape[1]}"
        )
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
            f"expected {weight.shape[2]}"
        )
    if bias is not None and bias.shape[-1] != weight.shape[0]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[-1]} but "
            f"expected {weight.shape[0]}"
        )
    out_features, in1, in2 = weight.shape
    lead = tuple(input1.shape[:-1])
    x1 = ops.reshape(input1, shape=(-1, in1))
    x2 = ops.reshape(input2, shape=(-1, 1, in2, 1))
    # (N, in1) @ (in1, out * in2) -> (N, out, 1, in2) @ (N, 1, in2, 1) -> (N, out)
    w = ops.reshape(ops.permute_dims(weight, axes=(1, 0, 2)), shape=(in1, out_features * in2))
    left = ops.reshape(ops.matmul(x1, w), shape=(-1, out_features, 1, in2))
    out = ops.reshape(ops.matmul(left, x2), shape=(*lead, out_features))
    return out if bias is None else out + bias
