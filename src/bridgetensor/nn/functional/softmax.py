"""softmax and log_softmax along a dimension (numerically stable composites)."""

from __future__ import annotations

from ... import ops

__all__ = ["log_softmax", "softmax"]


def _dim(input, dim):
    if dim is None:
        # torch's legacy implicit choice: 0 for 0-, 1- and 3-D input, else 1.
        return 0 if input.ndim in (0, 1, 3) else 1
    return dim


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(input)) along `dim`, computed as x - max - log(sum(exp(x - max))).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.log_softmax(bt.tensor([0.0, 0.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    dim = _dim(input, dim)
    # NOTE: the shift by the max is a constant for the gradient (it cancels exactly).
    shifted = input - ops.max(input, axis=dim, keepdims=True).detach()
    return shifted - ops.log(ops.sum(ops.exp(shifted), axis=dim, keepdims=True))


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(input) normalised to sum to 1 along `dim`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softmax(bt.tensor([0.0, 0.0]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if dtype is not None:
        input = ops.astype(input, dtype=dtype)
    dim = _dim(input, dim)
    e = ops.exp(input - ops.max(input, axis=dim, keepdims=True).detach())
    return e / ops.sum(e, axis=dim, keepdims=True)
