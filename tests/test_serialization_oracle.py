"""save/load against PyTorch itself: torch.save -> bt.load and bt.save -> torch.load."""

from __future__ import annotations

import io
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from bridgetensor._backend import default_backend

from .conftest import numpy_only
from .helpers import to_np

pytestmark = pytest.mark.oracle

DTYPES = [
    "float32", "float64", "int64", "bool", "float16", "int32", "int16", "int8", "uint8",
    "complex64", "complex128", "uint16", "uint32", "uint64",
]  # fmt: skip


def _supported(name: str) -> bool:
    return bt._dtypes.BY_NAME[name] in default_backend().native


def torch_to_bt(obj, **load_args):
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return bt.load(buffer, **load_args)


def bt_to_torch(obj):
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    bt.save(obj, buffer, format="torch")
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


def assert_matches_torch(ours, theirs):
    assert ours.dtype.name == str(theirs.dtype).removeprefix("torch.")
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_array_equal(to_np(ours), theirs.detach().resolve_conj().resolve_neg().numpy())


def _values(torch, name: str, shape):
    count = int(np.prod(shape))
    raw = np.arange(count) * 37 % 251
    if name == "bool":
        return torch.from_numpy(raw % 2 == 1).reshape(shape)
    if name.startswith("complex"):
        values = torch.from_numpy(raw - 1j * raw / 3)
    elif name.startswith("float"):
        values = torch.from_numpy(raw / 7 - 10)
    else:
        values = torch.from_numpy(raw)
    return values.to(getattr(torch, name)).reshape(shape)


@pytest.mark.parametrize("name", DTYPES)
def test_torch_state_dict_dtypes_load(name):
    torch = pytest.importorskip("torch")
    if not _supported(name):
        pytest.skip(f"the {default_backend().name} backend has no {name}")
    state = {"w": _values(torch, name, (3, 4)), "scalar": _values(torch, name, ())}
    got = torch_to_bt(state)
    for key in state:
        assert_matches_torch(got[key], state[key])


def test_torch_module_and_optimizer_state_load():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(5, 3)).square().sum().backward()
    optimizer.step()
    checkpoint = {"model": model.state_dict(), "optim": optimizer.state_dict(), "epoch": 7}
    got = torch_to_bt(checkpoint)
    assert got["model"]._metadata == checkpoint["model"]._metadata
    assert list(got["model"]) == list(checkpoint["model"])
    for key, value in checkpoint["model"].items():
        assert_matches_torch(got["model"][key], value)
    assert got["optim"]["param_groups"] == checkpoint["optim"]["param_groups"]
    for index, state in checkpoint["optim"]["state"].items():
        assert set(got["optim"]["state"][index]) == set(state)
        for key, value in state.items():
            assert_matches_torch(got["optim"]["state"][index][key], value)
    assert got["epoch"] == 7


def test_torch_views_parameters_and_bits_load():
    torch = pytest.importorskip("torch")
    base = torch.arange(24.0).reshape(4, 6)
    obj = {
        "base": base, "t": base.t(), "slice": base[1:, ::2], "row": base[2],
        "expanded": torch.ones(3).expand(2, 3), "conj": torch.tensor([1 + 2j]).conj(),
        "neg": torch.tensor([1.0, 2.0])._neg_view(), "param": torch.nn.Parameter(torch.ones(2)),
        "frozen": torch.nn.Parameter(torch.ones(2), requires_grad=False),
        "grad": torch.ones(2, requires_grad=True), "empty": torch.zeros(0, 3),
    }  # fmt: skip
    obj["attributes"] = torch.ones(2)
    obj["attributes"].note = "saved through _rebuild_from_type_v2"
    got = torch_to_bt(obj)
    for key, value in obj.items():
        assert_matches_torch(got[key], value)
    assert type(got["param"]) is bt.nn.Parameter and type(got["frozen"]) is bt.nn.Parameter


@numpy_only
def test_torch_shared_storages_stay_shared():
    torch = pytest.importorskip("torch")
    base = torch.arange(24.0).reshape(4, 6)
    got = torch_to_bt({"base": base, "t": base.t(), "slice": base[1:, ::2]})
    assert got["t"].numpy().strides == (4, 24)
    for key in ("t", "slice"):
        assert np.shares_memory(got[key].numpy(), got["base"].numpy())


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(DTYPES),
    shape=st.lists(st.integers(0, 4), min_size=0, max_size=3),
    data=st.data(),
)
def test_random_torch_views_load(name, shape, data):
    torch = pytest.importorskip("torch")
    if not _supported(name):
        return
    t = _values(torch, name, shape)
    if t.ndim:
        t = t.permute(*data.draw(st.permutations(range(t.ndim))))
        t = t[tuple(slice(None, None, data.draw(st.integers(1, 2))) for _ in range(t.ndim))]
    assert_matches_torch(torch_to_bt({"x": t})["x"], t)


@pytest.mark.parametrize("name", DTYPES)
def test_bt_torch_format_loads_in_torch(name):
    pytest.importorskip("torch")
    if not _supported(name):
        pytest.skip(f"the {default_backend().name} backend has no {name}")
    dtype = bt._dtypes.BY_NAME[name]
    base = bt.tensor(np.arange(12).reshape(3, 4) % 2).to(dtype)
    obj = {"base": base, "t": base.t(), "row": base[1, :], "scalar": base[0, 1]}
    got = bt_to_torch(obj)
    for key, value in obj.items():
        assert_matches_torch(value, got[key])


def test_bt_checkpoint_loads_in_torch_with_sharing_and_python_values():
    torch = pytest.importorskip("torch")
    model = bt.nn.Module()
    model.weight = bt.nn.Parameter(bt.arange(6.0).reshape(2, 3))
    state = model.state_dict()
    base = bt.arange(8.0).reshape(2, 4)
    obj = {
        "model": state, "base": base, "view": base[:, 1:], "param": bt.nn.Parameter(bt.ones(2)),
        "grad": bt.ones(2, requires_grad=True),
        "optim": {"state": {0: {"step": bt.tensor(2.0)}}, "param_groups": [{"lr": 0.1,
                  "params": [0], "betas": (0.9, 0.99)}]},
        "values": [None, True, 3, 2.5, "s", b"b", bytearray(b"ba"), 1j, {1, 2}, 2**80],
        "torch types": [bt.Size([2, 3]), bt.float16, bt.device("cpu")],
    }  # fmt: skip
    got = bt_to_torch(obj)
    assert got["model"]._metadata == state._metadata
    assert_matches_torch(state["weight"], got["model"]["weight"])
    assert_matches_torch(obj["view"], got["view"])
    if default_backend().is_numpy:
        assert got["view"].untyped_storage().data_ptr() == got["base"].untyped_storage().data_ptr()
        assert got["view"].stride() == (4, 1) and got["view"].storage_offset() == 1
    assert type(got["param"]) is torch.nn.Parameter and got["param"].requires_grad
    assert got["grad"].requires_grad and got["grad"].is_leaf
    assert got["optim"]["param_groups"] == obj["optim"]["param_groups"]
    assert got["optim"]["state"][0]["step"].item() == 2.0
    assert got["values"] == obj["values"]
    assert got["torch types"] == [torch.Size([2, 3]), torch.float16, torch.device("cpu")]


def test_torch_refuses_the_malicious_file_we_refuse(tmp_path):
    torch = pytest.importorskip("torch")
    marker = tmp_path / "pwned"

    class RunsACommand:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    buffer = io.BytesIO()
    torch.save({"w": torch.ones(1), "evil": RunsACommand()}, buffer)
    for loader in (bt.load, lambda f: torch.load(f, weights_only=True)):
        buffer.seek(0)
        with pytest.raises(pickle.UnpicklingError):
            loader(buffer)
    assert not marker.exists()
