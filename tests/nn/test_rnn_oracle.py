"""RNN, LSTM, GRU and their cells against torch.nn: default weights after manual_seed
(bit for bit), state_dict keys and shapes, reprs, outputs and final states, gradients of
inputs, initial states and every parameter, dropout masks in training, exception types."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bridgetensor as bt

from ..helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

TOL = {"float32": {"rtol": 2e-5, "atol": 2e-6}, "float64": {"rtol": 1e-10, "atol": 1e-12}}
T, B, I, H = 4, 2, 3, 5


def _pair(kind, *args, **kwargs):
    bt.manual_seed(0)
    torch.manual_seed(0)
    ours = getattr(bt.nn, kind)(*args, **kwargs)
    theirs = getattr(torch.nn, kind)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (key, p), q in zip(ours.state_dict().items(), theirs.state_dict().values()):
        assert tuple(p.shape) == tuple(q.shape), key
        np.testing.assert_array_equal(to_np(p), q.numpy(), err_msg=key)
    return ours, theirs


def _both(values):
    return bt.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)


def _flat(result):
    if isinstance(result, (tuple, list)):
        return [t for r in result for t in _flat(r)]
    return [result]


def _check(ours, theirs, our_args, their_args, dtype, seed=5):
    bt.manual_seed(seed)
    torch.manual_seed(seed)
    got, expected = _flat(ours(*our_args)), _flat(theirs(*their_args))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert tuple(g.shape) == tuple(e.shape)
        np.testing.assert_allclose(to_np(g), e.detach().numpy(), **TOL[dtype])
    weights = np.random.default_rng(9).standard_normal(len(got))
    sum(float(w) * (g * g).sum() for w, g in zip(weights, got)).backward()
    sum(float(w) * (e * e).sum() for w, e in zip(weights, expected)).backward()
    for a, ta in zip(_flat(our_args), _flat(their_args)):
        if ta.grad is not None:
            np.testing.assert_allclose(to_np(a.grad), ta.grad.numpy(), **TOL[dtype])
    for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(to_np(p.grad), q.grad.numpy(), **TOL[dtype], err_msg=key)


OPTIONS = [
    {},
    {"num_layers": 2},
    {"bidirectional": True},
    {"num_layers": 2, "bidirectional": True, "batch_first": True},
    {"bias": False, "batch_first": True},
    {"num_layers": 3, "bias": False, "bidirectional": True},
]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("with_state", [False, True])
def test_sequence_layers_match_torch(kind, options, with_state):
    ours, theirs = _pair(kind, I, H, **options)
    ours.double()
    theirs.double()
    rng = np.random.default_rng(1)
    shape = (B, T, I) if options.get("batch_first") else (T, B, I)
    x, tx = _both(rng.standard_normal(shape))
    args, targs = [x], [tx]
    if with_state:
        layers = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
        h, th = _both(rng.standard_normal((layers, B, H)))
        if kind == "LSTM":
            c, tc = _both(rng.standard_normal((layers, B, H)))
            args.append((h, c))
            targs.append((th, tc))
        else:
            args.append(h)
            targs.append(th)
    _check(ours, theirs, args, targs, "float64")


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_input_matches_torch(kind, batch_first):
    ours, theirs = _pair(kind, I, H, num_layers=2, batch_first=batch_first)
    rng = np.random.default_rng(2)
    x, tx = _both(rng.standard_normal((T, I)).astype("float32"))
    h, th = _both(rng.standard_normal((2, H)).astype("float32"))
    state, tstate = h, th
    if kind == "LSTM":
        c, tc = _both(rng.standard_normal((2, H)).astype("float32"))
        state, tstate = (h, c), (th, tc)
    _check(ours, theirs, [x, state], [tx, tstate], "float32")


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_relu_rnn_and_lstm_projection_match_torch():
    for kind, options in [
        ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
        ("LSTM", {"proj_size": 2, "num_layers": 2, "bidirectional": True}),
    ]:
        ours, theirs = _pair(kind, I, H, **options)
        x, tx = _both(np.random.default_rng(3).standard_normal((T, B, I)).astype("float32"))
        _check(ours, theirs, [x], [tx], "float32")


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_dropout_between_layers_draws_torchs_masks(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _pair(kind, I, H, num_layers=3, dropout=0.4, bidirectional=True)
    ours.double()
    theirs.double()
    x, tx = _both(np.random.default_rng(4).standard_normal((T, B, I)))
    _check(ours, theirs, [x], [tx], "float64")
    ours.eval()
    theirs.eval()
    _check(ours, theirs, [x.detach()], [tx.detach()], "float64")


CELLS = [
    ("RNNCell", {}),
    ("RNNCell", {"nonlinearity": "relu", "bias": False}),
    ("LSTMCell", {}),
    ("LSTMCell", {"bias": False}),
    ("GRUCell", {}),
]


@pytest.mark.parametrize("kind, options", CELLS, ids=lambda v: str(v))
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_cells_match_torch(kind, options, batched, with_state):
    ours, theirs = _pair(kind, I, H, **options)
    ours.double()
    theirs.double()
    rng = np.random.default_rng(5)
    lead = (B,) if batched else ()
    x, tx = _both(rng.standard_normal((*lead, I)))
    args, targs = [x], [tx]
    if with_state:
        h, th = _both(rng.standard_normal((*lead, H)))
        if kind == "LSTMCell":
            c, tc = _both(rng.standard_normal((*lead, H)))
            args.append((h, c))
            targs.append((th, tc))
        else:
            args.append(h)
            targs.append(th)
    _check(ours, theirs, args, targs, "float64")


def _bad_calls(lib):
    nn = lib.nn
    rnn, lstm = nn.RNN(4, 3, 2), nn.LSTM(4, 3)
    cell = nn.RNNCell(4, 3)
    zeros = lib.zeros
    return {
        "4-D input": lambda: rnn(zeros(1, 2, 3, 4)),
        "input size": lambda: rnn(zeros(5, 2, 6)),
        "hidden size": lambda: rnn(zeros(5, 2, 4), zeros(1, 2, 3)),
        "hidden dims": lambda: rnn(zeros(5, 2, 4), zeros(2, 3)),
        "unbatched hidden dims": lambda: rnn(zeros(5, 4), zeros(2, 1, 3)),
        "input dtype": lambda: rnn(zeros(5, 2, 4, dtype=lib.float64)),
        "empty sequence": lambda: rnn(zeros(0, 2, 4)),
        "lstm state dims": lambda: lstm(zeros(5, 2, 4), (zeros(2, 3), zeros(2, 3))),
        "lstm cell size": lambda: lstm(zeros(5, 2, 4), (zeros(1, 2, 3), zeros(1, 2, 4))),
        "nonlinearity": lambda: nn.RNN(4, 3, nonlinearity="sigmoid"),
        "rnn proj_size": lambda: nn.RNN(4, 3, proj_size=2),
        "gru proj_size": lambda: nn.GRU(4, 3, proj_size=2),
        "proj_size too big": lambda: nn.LSTM(4, 3, proj_size=3),
        "proj_size negative": lambda: nn.LSTM(4, 3, proj_size=-1),
        "dropout range": lambda: nn.LSTM(4, 3, dropout=1.5),
        "dropout bool": lambda: nn.LSTM(4, 3, dropout=True),
        "hidden_size 0": lambda: nn.GRU(4, 0),
        "hidden_size float": lambda: nn.GRU(4, 3.0),
        "input_size float": lambda: nn.GRU(4.0, 3),
        "num_layers 0": lambda: nn.GRU(4, 3, 0),
        "bias int": lambda: nn.GRU(4, 3, bias=1),
        "cell input size": lambda: cell(zeros(2, 5)),
        "cell hidden batch": lambda: cell(zeros(2, 4), zeros(3, 3)),
        "cell hidden size": lambda: cell(zeros(2, 4), zeros(2, 5)),
        "cell 3-D input": lambda: cell(zeros(2, 4, 1)),
        "cell 3-D hidden": lambda: cell(zeros(2, 4), zeros(1, 2, 3)),
        "lstm cell state": lambda: nn.LSTMCell(4, 3)(zeros(2, 4), (zeros(2, 3), zeros(2, 4))),
        "cell nonlinearity": lambda: nn.RNNCell(4, 3, nonlinearity="foo")(zeros(2, 4)),
    }


@pytest.mark.parametrize("case", list(_bad_calls(bt)))
def test_errors_have_torch_types(case):
    with pytest.raises(Exception) as theirs:
        _bad_calls(torch)[case]()
    with pytest.raises(theirs.type):
        _bad_calls(bt)[case]()


def test_dropout_warning_matches_torch():
    with pytest.warns(UserWarning) as ours:
        bt.nn.LSTM(4, 3, dropout=0.5)
    with pytest.warns(UserWarning) as theirs:
        torch.nn.LSTM(4, 3, dropout=0.5)
    assert str(ours[0].message) == str(theirs[0].message)
