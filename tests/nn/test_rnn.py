"""Recurrent layers and cells: shapes over the options, values against a NumPy reference
of the documented equations, gradients against finite differences, parameter names,
initialisation bounds, dropout, and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np

T, B, I, H = 4, 2, 3, 5


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _reference(kind, x, h, c, p):
    """One layer, one direction, from the equations in torch's documentation."""
    outputs = []
    for xt in x:
        gi = xt @ p["weight_ih"].T + p.get("bias_ih", 0.0)
        gh = h @ p["weight_hh"].T + p.get("bias_hh", 0.0)
        if kind == "RNN":
            h = np.tanh(gi + gh)
        elif kind == "LSTM":
            i, f, g, o = np.split(gi + gh, 4, axis=-1)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
        else:
            (ir, iz, in_), (hr, hz, hn) = np.split(gi, 3, axis=-1), np.split(gh, 3, axis=-1)
            r, z = _sigmoid(ir + hr), _sigmoid(iz + hz)
            n = np.tanh(in_ + r * hn)
            h = (1.0 - z) * n + z * h
        outputs.append(h)
    return np.stack(outputs), h, c


def _params(module, suffix=""):
    found = {}
    for name, p in module.named_parameters():
        if name.endswith(suffix) and (suffix or not name.endswith("_reverse")):
            found[name.split("_l")[0]] = to_np(p)
    return found


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bias", [True, False])
def test_single_layer_matches_the_documented_equations(kind, bias):
    module = getattr(bt.nn, kind)(I, H, bias=bias).double()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, I))
    h0, c0 = rng.standard_normal((1, B, H)), rng.standard_normal((1, B, H))
    state = (bt.tensor(h0), bt.tensor(c0)) if kind == "LSTM" else bt.tensor(h0)
    output, final = module(bt.tensor(x), state)
    expected, h_n, c_n = _reference(kind, x, h0[0], c0[0], _params(module))
    np.testing.assert_allclose(to_np(output), expected, rtol=1e-12, atol=1e-14)
    if kind == "LSTM":
        np.testing.assert_allclose(to_np(final[0])[0], h_n, rtol=1e-12)
        np.testing.assert_allclose(to_np(final[1])[0], c_n, rtol=1e-12)
    else:
        np.testing.assert_allclose(to_np(final)[0], h_n, rtol=1e-12)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_reverse_direction_reads_the_sequence_backwards(kind):
    module = getattr(bt.nn, kind)(I, H, bidirectional=True).double()
    x = np.random.default_rng(1).standard_normal((T, B, I))
    output, _ = module(bt.tensor(x))
    zeros = np.zeros((B, H))
    backwards, _, _ = _reference(kind, x[::-1], zeros, zeros, _params(module, "_reverse"))
    np.testing.assert_allclose(to_np(output)[:, :, H:], backwards[::-1], rtol=1e-12)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("layers, bidirectional", [(1, False), (2, True), (3, False)])
@pytest.mark.parametrize("batch_first", [False, True])
def test_output_and_state_shapes(kind, layers, bidirectional, batch_first):
    module = getattr(bt.nn, kind)(
        I, H, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first
    )
    directions = 2 if bidirectional else 1
    x = bt.zeros(B, T, I) if batch_first else bt.zeros(T, B, I)
    output, state = module(x)
    lead = (B, T) if batch_first else (T, B)
    assert tuple(output.shape) == (*lead, directions * H)
    for s in state if kind == "LSTM" else (state,):
        assert tuple(s.shape) == (layers * directions, B, H)
    output, state = module(bt.zeros(T, I))
    assert tuple(output.shape) == (T, directions * H)
    for s in state if kind == "LSTM" else (state,):
        assert tuple(s.shape) == (layers * directions, H)


def test_lstm_projection_shapes_and_names():
    lstm = bt.nn.LSTM(I, H, proj_size=2, num_layers=2)
    output, (h_n, c_n) = lstm(bt.zeros(T, B, I))
    assert tuple(output.shape) == (T, B, 2)
    assert tuple(h_n.shape) == (2, B, 2)
    assert tuple(c_n.shape) == (2, B, H)
    assert tuple(lstm.weight_hr_l0.shape) == (2, H)
    assert tuple(lstm.weight_hh_l1.shape) == (4 * H, 2)
    assert tuple(lstm.weight_ih_l1.shape) == (4 * H, 2)


def test_parameter_names_order_and_initialisation_bounds():
    gru = bt.nn.GRU(I, H, num_layers=2, bidirectional=True)
    names = [name for name, _ in gru.named_parameters()]
    assert names[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                         "weight_ih_l0_reverse"]  # fmt: skip
    assert names[-1] == "bias_hh_l1_reverse"
    assert tuple(gru.weight_ih_l1.shape) == (3 * H, 2 * H)
    bound = 1.0 / math.sqrt(H)
    for p in gru.parameters():
        assert float(p.abs().max()) <= bound
    assert len(gru.all_weights) == 4
    assert [name for name, _ in bt.nn.RNN(I, H, bias=False).named_parameters()] == [
        "weight_ih_l0",
        "weight_hh_l0",
    ]


def test_gradients_match_finite_differences():
    # Two steps of a two-layer bidirectional LSTM: every recurrence and the layer-to-layer
    # and reverse paths, at the fewest perturbed elements (each is two forward passes).
    lstm = bt.nn.LSTM(2, 2, num_layers=2, bidirectional=True).double()
    x = bt.tensor(np.random.default_rng(2).standard_normal((2, 1, 2)), requires_grad=True)
    h0 = bt.tensor(np.random.default_rng(3).standard_normal((4, 1, 2)), requires_grad=True)
    c0 = bt.zeros(4, 1, 2, dtype=bt.float64, requires_grad=True)
    assert bt.autograd.gradcheck(lambda x, h, c: lstm(x, (h, c))[0], (x, h0, c0))
    gru = bt.nn.GRUCell(2, 2).double()
    assert bt.autograd.gradcheck(lambda x, h: gru(x, h), (x[0, ...], h0[0, ...]))


def test_dropout_applies_between_layers_in_training_only():
    gru = bt.nn.GRU(I, H, num_layers=2, dropout=0.5)
    x = bt.ones(T, B, I)
    with bt.no_grad():
        gru.eval()
        first, second = gru(x)[0], gru(x)[0]
        np.testing.assert_array_equal(to_np(first), to_np(second))
        gru.train()
        bt.manual_seed(0)
        third = gru(x)[0]
        bt.manual_seed(1)
        fourth = gru(x)[0]
    assert not np.array_equal(to_np(third), to_np(fourth))


def test_cells():
    rng = np.random.default_rng(4)
    cell = bt.nn.LSTMCell(I, H).double()
    x, h, c = rng.standard_normal((B, I)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    h1, c1 = cell(bt.tensor(x), (bt.tensor(h), bt.tensor(c)))
    _, h_ref, c_ref = _reference("LSTM", x[None], h, c, _params(cell))
    np.testing.assert_allclose(to_np(h1), h_ref, rtol=1e-12)
    np.testing.assert_allclose(to_np(c1), c_ref, rtol=1e-12)
    relu = bt.nn.RNNCell(I, H, nonlinearity="relu")
    assert float(relu(bt.ones(I)).min()) >= 0.0
    assert tuple(bt.nn.GRUCell(I, H)(bt.zeros(I)).shape) == (H,)
    assert repr(relu) == "RNNCell(3, 5, nonlinearity=relu)"


def test_reprs():
    assert repr(bt.nn.RNN(4, 3)) == "RNN(4, 3)"
    assert repr(bt.nn.LSTM(4, 3, 2, bias=False, batch_first=True, dropout=0.5,
                           bidirectional=True, proj_size=2)) == (
        "LSTM(4, 3, proj_size=2, num_layers=2, bias=False, batch_first=True, dropout=0.5, "
        "bidirectional=True)"
    )  # fmt: skip
    assert repr(bt.nn.GRUCell(4, 3, bias=False)) == "GRUCell(4, 3, bias=False)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bt.nn.RNN(4, 3)(bt.zeros(1, 2, 3, 4)), ValueError,
         "RNN: Expected input to be 2D or 3D, got 4D tensor instead"),
        (lambda: bt.nn.LSTM(4, 3)(bt.zeros(5, 2, 6)), RuntimeError,
         r"LSTM: input.size\(-1\) must be equal to input_size. Expected 4, got 6"),
        (lambda: bt.nn.RNN(4, 3, 2)(bt.zeros(5, 2, 4), bt.zeros(1, 2, 3)), RuntimeError,
         r"Expected hidden size \(2, 2, 3\), got \[1, 2, 3\]"),
        (lambda: bt.nn.GRU(4, 3)(bt.zeros(5, 2, 4), bt.zeros(2, 3)), RuntimeError,
         "For batched 3-D input, hx should also be 3-D but got 2-D tensor"),
        (lambda: bt.nn.LSTM(4, 3)(bt.zeros(5, 2, 4), (bt.zeros(1, 2, 3), bt.zeros(1, 2, 4))),
         RuntimeError, r"Expected hidden\[1\] size \(1, 2, 3\), got \[1, 2, 4\]"),
        (lambda: bt.nn.RNN(4, 3)(bt.zeros(5, 2, 4, dtype=bt.float64)), ValueError,
         r"RNN input dtype \(bridgetensor.float64\) does not match weight dtype"),
        (lambda: bt.nn.RNN(4, 3)(bt.zeros(0, 2, 4)), RuntimeError,
         "Expected sequence length to be larger than 0"),
        (lambda: bt.nn.RNN(4, 3, nonlinearity="sigmoid"), ValueError,
         "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'."),
        (lambda: bt.nn.GRU(4, 3, proj_size=1), ValueError,
         "proj_size argument is only supported for LSTM"),
        (lambda: bt.nn.LSTM(4, 3, proj_size=3), ValueError,
         "proj_size has to be smaller than hidden_size"),
        (lambda: bt.nn.LSTM(4, 3, dropout=2), ValueError, "dropout should be a number in range"),
        (lambda: bt.nn.LSTM(4, 3.5), TypeError, "hidden_size should be of type int, got: float"),
        (lambda: bt.nn.LSTM(4, 0), ValueError, "hidden_size must be greater than zero"),
        (lambda: bt.nn.LSTM(4, 3, 0), ValueError, "num_layers must be greater than zero"),
        (lambda: bt.nn.RNNCell(4, 3)(bt.zeros(2, 5)), RuntimeError,
         "input has inconsistent input_size: got 5 expected 4"),
        (lambda: bt.nn.GRUCell(4, 3)(bt.zeros(2, 4), bt.zeros(3, 3)), RuntimeError,
         "Input batch size 2 doesn't match hidden0 batch size 3"),
        (lambda: bt.nn.LSTMCell(4, 3)(bt.zeros(2, 4), (bt.zeros(2, 3), bt.zeros(2, 4))),
         RuntimeError, "hidden1 has inconsistent hidden_size: got 4, expected 3"),
        (lambda: bt.nn.RNNCell(4, 3)(bt.zeros(1, 2, 4)), ValueError,
         "RNNCell: Expected input to be 1D or 2D, got 3D instead"),
        (lambda: bt.nn.RNNCell(4, 3, nonlinearity="x")(bt.zeros(4)), RuntimeError,
         "Unknown nonlinearity: x"),
    ],
)  # fmt: skip
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_dropout_with_one_layer_warns():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        bt.nn.GRU(4, 3, dropout=0.2)
