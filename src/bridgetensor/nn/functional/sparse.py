"""embedding and one_hot."""

from __future__ import annotations

from array_api_compat import device as array_device

from ... import _dtypes, ops
from ...autograd import _mode
from ...ops._helpers import wrap

__all__ = ["embedding", "one_hot"]


def _check_indices(input, weight) -> None:
    if input.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {input.type()} instead (while checking arguments for "
            "embedding)"
        )
    if input.numel():
        xp = input._be.xp
        low, high = int(xp.min(input._data)), int(xp.max(input._data))
        if low < 0 or high >= weight.shape[0]:
            raise IndexError("index out of range in self")


def embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
):
    """Rows of `weight` (num_embeddings, dim) at the integer indices `input`.

    The row at `padding_idx` gets no gradient; with `max_norm`, looked-up rows whose
    `norm_type`-norm exceeds it are rescaled in place first, as torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.embedding(bt.tensor([2, 0]), bt.arange(6.0).reshape(3, 2))
    tensor([[4., 5.],
            [0., 1.]])
    """
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= weight.shape[0]:
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            if padding_idx < -weight.shape[0]:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.shape[0] + padding_idx
    # sparse=True: the gradient is a dense tensor here (no sparse layout exists).
    _check_indices(input, weight)
    if max_norm is not None:
        _renorm(weight, input, max_norm, norm_type)
    return ops.embedding(
        weight, input, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq
    )


def _renorm(weight, input, max_norm: float, norm_type: float) -> None:
    """torch's embedding_renorm_: rows used by `input` scaled to norm max_norm, in place."""
    xp = input._be.xp
    # Repeated indices write the same row twice (no unique(): its size is data-dependent).
    rows = wrap(xp.reshape(input._data, (-1,)), input._be)
    with _mode.no_grad():
        picked = ops.take(weight, rows, axis=0)
        norms = ops.vector_norm(picked, axis=-1, ord=norm_type, keepdims=True)
        scale = ops.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        weight[rows] = picked * scale


def one_hot(tensor, num_classes: int = -1):
    """int64 one-hot encoding of class indices: shape (*tensor.shape, num_classes).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.one_hot(bt.tensor([0, 2]), 3)
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    if tensor.dtype is not _dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp = tensor._be.xp
    data = tensor._data
    if tensor.numel() == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        shape = (*data.shape, max(num_classes, 0))
        return wrap(xp.zeros(shape, dtype=data.dtype, device=array_device(data)), tensor._be)
    low, high = int(xp.min(data)), int(xp.max(data))
    if low < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = high + 1
    elif high >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = xp.arange(num_classes, dtype=data.dtype, device=array_device(data))
    hot = xp.astype(xp.expand_dims(data, axis=-1) == classes, data.dtype)
    return wrap(hot, tensor._be)
