"""Recurrent cells (RNNCell, LSTMCell, GRUCell) and the one-step updates that the
sequence layers in rnn.py share with them.

A step receives the input's projection already made (x @ W_ih.T + b_ih): the sequence
layers compute it for all time steps in one matrix product, as torch does on CPU. The
updates follow torch's kernels, including the order of additions: LSTM's gates are
(i, f, g, o); GRU's are (r, z, n) with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and
h' = (h - n) * z + n.
"""

from __future__ import annotations

import math

from ... import _creation, ops
from .. import init
from ..functional import linear
from ..parameter import Parameter
from .module import Module

__all__ = ["GRUCell", "LSTMCell", "RNNCell"]


def split_along(x, parts: int, axis: int):
    """The `parts` equal pieces of x along `axis`."""
    # ops.unstack (shapes family) makes them with one node, whose backward is one stack;
    # slicing is the stand-in until it is there.
    size = x.shape[axis] // parts
    if parts == x.shape[axis] and hasattr(ops, "unstack"):
        return ops.unstack(x, axis=axis)
    lead = (slice(None),) * axis
    if parts == x.shape[axis]:
        return tuple(ops.getitem(x, key=(*lead, i, ...)) for i in range(parts))
    return tuple(
        ops.getitem(x, key=(*lead, slice(i * size, (i + 1) * size), ...)) for i in range(parts)
    )


def _gates(gates, count: int):
    """The `count` gate blocks of (B, count * H) pre-activations."""
    batch, width = gates.shape
    return split_along(ops.reshape(gates, shape=(batch, count, width // count)), count, 1)


def rnn_step(projected, h, w_hh, b_hh, nonlinearity: str):
    total = linear(h, w_hh, b_hh) + projected
    return ops.tanh(total) if nonlinearity == "tanh" else ops.relu(total)


def lstm_step(projected, h, c, w_hh, b_hh, w_hr=None):
    i, f, g, o = _gates(linear(h, w_hh, b_hh) + projected, 4)
    c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
    h = ops.sigmoid(o) * ops.tanh(c)
    if w_hr is not None:
        h = linear(h, w_hr)
    return h, c


def gru_step(projected, h, w_hh, b_hh):
    input_r, input_z, input_n = _gates(projected, 3)
    hidden_r, hidden_z, hidden_n = _gates(linear(h, w_hh, b_hh), 3)
    r = ops.sigmoid(hidden_r + input_r)
    z = ops.sigmoid(hidden_z + input_z)
    n = ops.tanh(input_n + hidden_n * r)
    return (h - n) * z + n


class RNNCellBase(Module):
    """What the cells share: torch's parameters, initialisation, repr and input checks."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(_creation.empty(gates, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(_creation.empty(gates, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_creation.empty(gates, device=device, dtype=dtype))
            self.bias_hh = Parameter(_creation.empty(gates, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text

    def reset_parameters(self) -> None:
        # torch's draws: U(-1/sqrt(hidden), 1/sqrt(hidden)) for each parameter in order.
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def _batched(self, input, hidden, names):
        """(input, hidden states, whether batched) with torch's checks, 1-D made 2-D."""
        kind = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{kind}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        for name, h in zip(names, hidden):
            if h is not None and h.ndim not in (1, 2):
                raise ValueError(f"{kind}: Expected {name} to be 1D or 2D, got {h.ndim}D instead")
        batched = input.ndim == 2
        if not batched:
            input = ops.expand_dims(input, axis=0)
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"{kind}: input has inconsistent input_size: got {input.shape[1]} "
                f"expected {self.input_size}"
            )
        states = []
        for index, h in enumerate(hidden):
            if h is None:
                h = _creation.zeros(
                    input.shape[0], self.hidden_size, dtype=input.dtype, device=input.device
                )
            elif not batched:
                h = ops.expand_dims(h, axis=0)
            if h.shape[0] != input.shape[0]:
                raise RuntimeError(
                    f"{kind}: Input batch size {input.shape[0]} doesn't match hidden{index} "
                    f"batch size {h.shape[0]}"
                )
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"{kind}: hidden{index} has inconsistent hidden_size: got {h.shape[1]}, "
                    f"expected {self.hidden_size}"
                )
            states.append(h)
        return input, states, batched


def _unbatch(t, batched: bool):
    return t if batched else ops.squeeze(t, axis=0)


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).

    >>> import bridgetensor as bt
    >>> bt.nn.RNNCell(4, 3)(bt.zeros(2, 4)).shape
    bridgetensor.Size([2, 3])
    """

    def __init__(
        self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None
    ):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        input, (h,), batched = self._batched(input, (hx,), ("hidden",))
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"RNNCell: Unknown nonlinearity: {self.nonlinearity}")
        projected = linear(input, self.weight_ih, self.bias_ih)
        h = rnn_step(projected, h, self.weight_hh, self.bias_hh, self.nonlinearity)
        return _unbatch(h, batched)


class LSTMCell(RNNCellBase):
    """One LSTM step; returns (h', c').

    >>> import bridgetensor as bt
    >>> h, c = bt.nn.LSTMCell(4, 3)(bt.zeros(2, 4))
    >>> h.shape, c.shape
    (bridgetensor.Size([2, 3]), bridgetensor.Size([2, 3]))
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        hidden = (None, None) if hx is None else tuple(hx)
        names = ("hx[0]", "hx[1]")
        input, (h, c), batched = self._batched(input, hidden, names)
        projected = linear(input, self.weight_ih, self.bias_ih)
        h, c = lstm_step(projected, h, c, self.weight_hh, self.bias_hh)
        return _unbatch(h, batched), _unbatch(c, batched)


class GRUCell(RNNCellBase):
    """One GRU step.

    >>> import bridgetensor as bt
    >>> bt.nn.GRUCell(4, 3)(bt.zeros(4)).shape
    bridgetensor.Size([3])
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        input, (h,), batched = self._batched(input, (hx,), ("hidden",))
        projected = linear(input, self.weight_ih, self.bias_ih)
        return _unbatch(gru_step(projected, h, self.weight_hh, self.bias_hh), batched)
