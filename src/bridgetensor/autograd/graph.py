"""The autograd graph's public names, as in ``torch.autograd.graph``.

>>> import bridgetensor as bt
>>> y = bt.ones(2, requires_grad=True).exp()
>>> isinstance(y.grad_fn, bt.autograd.graph.Node)
True
"""

from __future__ import annotations

from ._graph import Node

__all__ = ["Node"]
