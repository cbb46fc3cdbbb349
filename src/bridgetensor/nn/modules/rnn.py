"""Recurrent layers over whole sequences: RNN (tanh or relu), LSTM (optional projection)
and GRU, with torch's parameters, initialisation, arguments, checks and results.

Each layer and direction projects the inputs of all time steps in one matrix product,
then runs the recurrence one step at a time (rnn_cell.py holds the steps).
"""

from __future__ import annotations

import math
import numbers
import warnings

from ... import _creation, ops
from .. import init
from ..functional import linear
from ..functional.dropout import dropout as _dropout
from ..parameter import Parameter
from .module import Module
from .rnn_cell import gru_step, lstm_step, rnn_step, split_along

__all__ = ["GRU", "LSTM", "RNN", "RNNBase"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _check_type(name: str, value, kind) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{name} should be of type {kind.__name__}, got: {type(value).__name__}")


class RNNBase(Module):
    """What RNN, LSTM and GRU share: parameters, checks, repr and the layer loop."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if (
            not isinstance(dropout, numbers.Number)
            or isinstance(dropout, bool)
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of "
                "an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got "
                f"dropout={dropout} and num_layers={num_layers}",
                stacklevel=3,
            )
        _check_type("bias", bias, bool)
        _check_type("batch_first", batch_first, bool)
        _check_type("input_size", input_size, int)
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        _check_type("hidden_size", hidden_size, int)
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                shapes = [("weight_ih", (gate_size, layer_input))]
                shapes.append(("weight_hh", (gate_size, real_hidden)))
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                suffix = "_reverse" if direction == 1 else ""
                names = []
                for kind, shape in shapes:
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(
                        self, name, Parameter(_creation.empty(*shape, device=device, dtype=dtype))
                    )
                    names.append(name)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # torch's draws: U(-1/sqrt(hidden), 1/sqrt(hidden)) for each parameter in order.
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    @property
    def all_weights(self) -> list:
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text

    # ------------------------------------------------------------ checks

    def _name(self) -> str:
        return "RNN" if self.mode.startswith("RNN") else self.mode

    def _prepare(self, input):
        """(input as (T, B, I), whether batched), with torch's checks of the input."""
        if input.ndim not in (2, 3):
            tensor = " tensor" if self.mode.startswith("RNN") else ""
            raise ValueError(
                f"{self._name()}: Expected input to be 2D or 3D, got {input.ndim}D{tensor} instead"
            )
        weight = self.weight_ih_l0
        if input.dtype is not weight.dtype:
            ours, theirs = input.dtype, weight.dtype
            raise ValueError(
                f"RNN input dtype ({ours}) does not match weight dtype ({theirs}). Convert "
                f"input: input.to({theirs}), or convert model: model.to({ours})"
            )
        batched = input.ndim == 3
        if not batched:
            input = ops.expand_dims(input, axis=1 if not self.batch_first else 0)
        if self.batch_first:
            input = ops.permute_dims(input, axes=(1, 0, 2))
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{self._name()}: input.size(-1) must be equal to input_size. Expected "
                f"{self.input_size}, got {input.shape[-1]}"
            )
        if input.shape[0] == 0:
            raise RuntimeError(
                f"{self._name()}: Expected sequence length to be larger than 0 in RNN"
            )
        return input, batched

    def _state(self, h, input, batched, size, index=None):
        """An initial state (zeros when None) as (layers * directions, B, size), checked."""
        directions = 2 if self.bidirectional else 1
        expected = (self.num_layers * directions, input.shape[1], size)
        if h is None:
            return _creation.zeros(*expected, dtype=input.dtype, device=input.device)
        if not batched:
            h = ops.expand_dims(h, axis=1)
        if tuple(h.shape) != expected:
            which = "hidden" if index is None else f"hidden[{index}]"
            raise RuntimeError(
                f"{self._name()}: Expected {which} size {expected}, got {list(h.shape)}"
            )
        return h

    # ------------------------------------------------------------ the recurrence

    def _run(self, input, h0, c0=None):
        """All layers and directions over (T, B, I) input: (output, h_n, c_n)."""
        directions = 2 if self.bidirectional else 1
        steps = input.shape[0]
        final_h, final_c = [], []
        x = input
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                params = {
                    name.split("_l")[0]: getattr(self, name) for name in self._all_weights[index]
                }
                w_hh, b_hh = params["weight_hh"], params.get("bias_hh")
                w_hr = params.get("weight_hr")
                # All time steps' input projections in one product.
                projected = split_along(
                    linear(x, params["weight_ih"], params.get("bias_ih")), steps, 0
                )
                h = ops.getitem(h0, key=(index, ...))
                c = None if c0 is None else ops.getitem(c0, key=(index, ...))
                results = [None] * steps
                order = range(steps - 1, -1, -1) if direction else range(steps)
                for t in order:
                    if self.mode == "LSTM":
                        h, c = lstm_step(projected[t], h, c, w_hh, b_hh, w_hr)
                    elif self.mode == "GRU":
                        h = gru_step(projected[t], h, w_hh, b_hh)
                    else:
                        kind = "tanh" if self.mode == "RNN_TANH" else "relu"
                        h = rnn_step(projected[t], h, w_hh, b_hh, kind)
                    results[t] = h
                outputs.append(ops.stack(*results, axis=0))
                final_h.append(h)
                final_c.append(c)
            x = outputs[0] if directions == 1 else ops.concat(*outputs, axis=2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = _dropout(x, self.dropout, True)
        h_n = ops.stack(*final_h, axis=0)
        c_n = None if c0 is None else ops.stack(*final_c, axis=0)
        return x, h_n, c_n

    def forward(self, input, hx=None):
        """(output, h_n) of the RNN and GRU stacks (LSTM's state is a pair)."""
        if hx is not None and input.ndim in (2, 3) and hx.ndim != input.ndim:
            shape = "batched 3-D" if input.ndim == 3 else "unbatched 2-D"
            raise RuntimeError(
                f"{self._name()}: For {shape} input, hx should also be {input.ndim}-D but "
                f"got {hx.ndim}-D tensor"
            )
        input, batched = self._prepare(input)
        h0 = self._state(hx, input, batched, self.hidden_size)
        output, h_n, _ = self._run(input, h0)
        return self._finish(output, batched), h_n if batched else ops.squeeze(h_n, axis=1)

    def _finish(self, output, batched):
        if self.batch_first:
            output = ops.permute_dims(output, axes=(1, 0, 2))
        if not batched:
            output = ops.squeeze(output, axis=0 if self.batch_first else 1)
        return output


class RNN(RNNBase):
    """An Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or relu),
    stacked in layers, optionally bidirectional. Returns (output, h_n).

    >>> import bridgetensor as bt
    >>> output, h_n = bt.nn.RNN(4, 3, num_layers=2)(bt.zeros(5, 2, 4))
    >>> output.shape, h_n.shape
    (bridgetensor.Size([5, 2, 3]), bridgetensor.Size([2, 2, 3]))
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)


class GRU(RNNBase):
    """A gated recurrent unit layer stack. Returns (output, h_n).

    >>> import bridgetensor as bt
    >>> output, h_n = bt.nn.GRU(4, 3, batch_first=True)(bt.zeros(2, 5, 4))
    >>> output.shape, h_n.shape
    (bridgetensor.Size([2, 5, 3]), bridgetensor.Size([1, 2, 3]))
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    """A long short-term memory layer stack (gates i, f, g, o; optional projection of h).
    Returns (output, (h_n, c_n)).

    >>> import bridgetensor as bt
    >>> output, (h_n, c_n) = bt.nn.LSTM(4, 3, proj_size=2)(bt.zeros(5, 2, 4))
    >>> output.shape, h_n.shape, c_n.shape
    (bridgetensor.Size([5, 2, 2]), bridgetensor.Size([1, 2, 2]), bridgetensor.Size([1, 2, 3]))
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        if hx is not None and input.ndim in (2, 3):
            h, c = hx
            if h.ndim != input.ndim or c.ndim != input.ndim:
                shape = "batched 3-D" if input.ndim == 3 else "unbatched 2-D"
                raise RuntimeError(
                    f"LSTM: For {shape} input, hx and cx should also be {input.ndim}-D but got "
                    f"({h.ndim}-D, {c.ndim}-D) tensors"
                )
        h, c = (None, None) if hx is None else hx
        input, batched = self._prepare(input)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        h0 = self._state(h, input, batched, real_hidden, 0)
        c0 = self._state(c, input, batched, self.hidden_size, 1)
        output, h_n, c_n = self._run(input, h0, c0)
        if not batched:
            h_n, c_n = ops.squeeze(h_n, axis=1), ops.squeeze(c_n, axis=1)
        return self._finish(output, batched), (h_n, c_n)
