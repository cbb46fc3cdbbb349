"""Activation functions under torch's names."""

from __future__ import annotations

from ... import ops

__all__ = ["relu"]


def relu(input, inplace: bool = False):
    """max(input, 0); gradient 0 at 0, as torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.relu(bt.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """
    return ops.relu.inplace(input) if inplace else ops.relu(input)
