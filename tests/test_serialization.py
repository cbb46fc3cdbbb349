"""save/load: round trips in both formats, the file layouts, and refusals of bad files.

No torch here: PyTorch checkpoints are built byte by byte (see tests/_torch_pickle.py);
tests/test_serialization_oracle.py compares with torch itself.
"""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import pickle
import pickletools
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from bridgetensor._backend import default_backend
from bridgetensor.serialization import FormatError

from .conftest import numpy_only
from .helpers import default_device, to_np
from .torch_pickle import pickle_global, pickle_int, pickle_str, tensor_pickle, zip_archive

FORMATS = ["safetensors", "torch"]
ALL_DTYPES = [
    bt.bool, bt.uint8, bt.int8, bt.int16, bt.int32, bt.int64, bt.uint16, bt.uint32,
    bt.uint64, bt.float16, bt.float32, bt.float64, bt.complex64, bt.complex128,
]  # fmt: skip


def round_trip(obj, format, **load_args):
    buffer = io.BytesIO()
    bt.save(obj, buffer, format=format)
    buffer.seek(0)
    return bt.load(buffer, **load_args)


def assert_same_tensor(got, expected):
    assert isinstance(got, bt.Tensor)
    assert got.dtype is expected.dtype
    assert got.shape == expected.shape
    assert got.requires_grad == expected.requires_grad
    np.testing.assert_array_equal(to_np(got), to_np(expected))


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: d.name)
def test_every_dtype_round_trips(format, dtype):
    if dtype not in default_backend().native:
        pytest.skip(f"the {default_backend().name} backend has no {dtype.name}")
    values = np.array([[0, 1, 2], [3, 4, 250]]).astype(bt._dtypes.to_numpy_dtype(dtype))
    t = bt.tensor(values)
    assert_same_tensor(round_trip(t, format), t)


@pytest.mark.parametrize("format", FORMATS)
def test_shapes_0d_empty_and_noncontiguous(format):
    base = bt.arange(24.0).reshape(2, 3, 4)
    obj = [bt.tensor(7.0), bt.zeros(0, 3), base.permute(2, 0, 1), base[:, ::2, 1:]]
    for got, expected in zip(round_trip(obj, format), obj):
        assert_same_tensor(got, expected)


@pytest.mark.parametrize("format", FORMATS)
def test_special_floats_and_extremes(format):
    t = bt.tensor([math.nan, math.inf, -math.inf, -0.0, 5e-324], dtype=bt.float64)
    got = round_trip({"t": t, "x": math.nan, "y": -math.inf, "big": 2**70}, format)
    np.testing.assert_array_equal(to_np(got["t"]), to_np(t))
    assert np.signbit(to_np(got["t"])[3])
    assert math.isnan(got["x"]) and got["y"] == -math.inf and got["big"] == 2**70


def _model(fill: float):
    model = bt.nn.Module()
    model.weight = bt.nn.Parameter(bt.full((2, 3), fill))
    model.inner = bt.nn.Module()
    model.inner.steps = bt.nn.Buffer(bt.tensor([fill], dtype=bt.float64))
    return model


@pytest.mark.parametrize("format", FORMATS)
def test_state_dict_and_optimizer_state(format):
    model = _model(1.5)
    state = model.state_dict()
    optimizer = {
        "state": {
            0: {"step": bt.tensor(3.0), "exp_avg": bt.ones(2, 3)},
            1: {"step": bt.tensor(3.0)},
        },
        "param_groups": [{"params": [0, 1], "lr": 1e-3, "betas": (0.9, 0.999), "foreach": None}],
    }
    got = round_trip({"model": state, "optimizer": optimizer, "epoch": 4}, format)
    assert type(got["model"]) is OrderedDict
    assert list(got["model"]) == list(state)
    assert got["model"]._metadata == state._metadata
    for key in state:
        assert_same_tensor(got["model"][key], state[key])
    assert list(got["optimizer"]["state"]) == [0, 1]
    assert_same_tensor(got["optimizer"]["state"][0]["exp_avg"], bt.ones(2, 3))
    assert got["optimizer"]["param_groups"] == optimizer["param_groups"]
    assert type(got["optimizer"]["param_groups"][0]["betas"]) is tuple
    assert got["epoch"] == 4
    fresh = _model(0.0)
    fresh.load_state_dict(got["model"])
    np.testing.assert_array_equal(to_np(fresh.weight), to_np(model.weight))
    np.testing.assert_array_equal(to_np(fresh.inner.steps), [1.5])


@pytest.mark.parametrize("format", FORMATS)
def test_python_values(format):
    obj = {
        "none": None, "bools": [True, False], "str": "żółw", "bytes": b"\x00\xff",
        "bytearray": bytearray(b"ab"), "complex": 1.5 - 2j, "set": {1, 2}, "tuple": (1, (2,)),
        "size": bt.Size([2, 3]), "dtype": bt.float16, "device": bt.device("cpu"),
        "numpy scalar": np.float32(1.5), 3: "int key", (1, 2): "tuple key",
    }  # fmt: skip
    got = round_trip(obj, format)
    expected = dict(obj, **{"numpy scalar": 1.5})
    assert got == expected
    for key, value in expected.items():
        assert type(got[key]) is type(value)


@pytest.mark.parametrize("format", FORMATS)
def test_parameter_and_requires_grad(format):
    p = bt.nn.Parameter(bt.ones(2))
    frozen = bt.nn.Parameter(bt.ones(2), requires_grad=False)
    leaf = bt.ones(3, requires_grad=True)
    got = round_trip([p, frozen, leaf, leaf * 2], format)
    assert type(got[0]) is bt.nn.Parameter and got[0].requires_grad
    assert type(got[1]) is bt.nn.Parameter and not got[1].requires_grad
    assert type(got[2]) is bt.Tensor and got[2].requires_grad and got[2].is_leaf
    assert got[3].requires_grad and got[3].is_leaf  # saved without its graph, as torch does


@pytest.mark.parametrize("format", FORMATS)
def test_one_tensor_saved_twice_loads_as_one(format):
    t = bt.ones(2)
    got = round_trip({"a": t, "b": [t]}, format)
    assert got["a"] is got["b"][0]


@numpy_only
def test_torch_format_keeps_views_sharing_memory():
    base = bt.arange(12.0).reshape(3, 4)
    got = round_trip({"base": base, "t": base.t(), "row": base[1]}, "torch")
    assert np.shares_memory(got["t"].numpy(), got["base"].numpy())
    assert np.shares_memory(got["row"].numpy(), got["base"].numpy())
    got["base"][1, 0] = 100.0
    assert got["row"][0].item() == 100.0 and got["t"][0, 1].item() == 100.0


@numpy_only
def test_safetensors_format_copies_views():
    base = bt.arange(6.0)
    got = round_trip({"base": base, "view": base[2:]}, "safetensors")
    assert not np.shares_memory(got["base"].numpy(), got["view"].numpy())


@numpy_only
def test_loaded_tensors_are_writable_numpy_arrays():
    for format in FORMATS:
        got = round_trip(bt.zeros(3), format)
        got += 1
        np.testing.assert_array_equal(got.numpy(), [1, 1, 1])


def test_paths_and_file_objects(tmp_path):
    obj = {"w": bt.ones(2)}
    for format in FORMATS:
        for target in (str(tmp_path / "a.bin"), tmp_path / "b.bin"):
            bt.save(obj, target, format=format)
            assert_same_tensor(bt.load(target)["w"], obj["w"])
        with open(tmp_path / "c.bin", "wb") as f:
            bt.save(obj, f, format=format)
        with open(tmp_path / "c.bin", "rb") as f:
            assert_same_tensor(bt.load(f)["w"], obj["w"])


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, b):
        return self.inner.readinto(b)


def test_unseekable_and_offset_streams():
    for format in FORMATS:
        buffer = io.BytesIO()
        bt.save(bt.ones(2), buffer, format=format)
        assert_same_tensor(bt.load(_Unseekable(buffer.getvalue())), bt.ones(2))
        shifted = io.BytesIO(b"junk" + buffer.getvalue())
        shifted.seek(4)
        assert_same_tensor(bt.load(shifted), bt.ones(2))


def test_map_location():
    # A dict renames the device a file records: torch's files record where each tensor was
    # ("cuda:0" for a GPU tensor, else "cpu"); safetensors' record none, so their tensors
    # load to the default device.
    renamed = {"cpu": "cpu", "cuda:0": "cpu"}
    for format in FORMATS:
        for where in ("cpu", bt.device("cpu")):
            assert round_trip(bt.ones(1), format, map_location=where).device == bt.device("cpu")
        expected = bt.device("cpu") if format == "torch" else default_device()
        assert round_trip(bt.ones(1), format, map_location=renamed).device == expected
    with pytest.raises(TypeError, match="map_location as a function is not supported"):
        round_trip(bt.ones(1), "torch", map_location=lambda storage, location: storage)
    with pytest.raises(TypeError, match="map_location must be a device, a string or a dict"):
        round_trip(bt.ones(1), "torch", map_location=3)


# ---------------------------------------------------------------- the file layouts


def _safetensors_header(data: bytes) -> dict:
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    return json.loads(data[8 : 8 + length])


def test_safetensors_layout():
    buffer = io.BytesIO()
    t = bt.tensor([[1.0, 2.0]])
    bt.save({"layer.weight": t, "n": bt.tensor([1, 2], dtype=bt.int16)}, buffer)
    data = buffer.getvalue()
    header = _safetensors_header(data)
    meta = header.pop("__metadata__")
    assert meta["format"] == "pt" and meta["bridgetensor.version"] == "1"
    assert header["layer.weight"] == {"dtype": "F32", "shape": [1, 2], "data_offsets": [0, 8]}
    assert header["n"] == {"dtype": "I16", "shape": [2], "data_offsets": [8, 12]}
    start = 8 + struct.unpack("<Q", data[:8])[0]
    assert np.frombuffer(data[start : start + 8], "<f4").tolist() == [1.0, 2.0]
    assert len(data) == start + 12
    assert json.loads(meta["bridgetensor.structure"]) == {
        "dict": [["layer.weight", {"tensor": "layer.weight"}], ["n", {"tensor": "n"}]]
    }


def _plain_safetensors(tensors: dict, metadata=None) -> bytes:
    header, blobs, offset = {}, [], 0
    for name, (code, array) in tensors.items():
        blob = array.tobytes()
        span = [offset, offset + len(blob)]
        header[name] = {"dtype": code, "shape": list(array.shape), "data_offsets": span}
        blobs.append(blob)
        offset += len(blob)
    if metadata is not None:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + b"".join(blobs)


def test_plain_safetensors_file_loads_as_a_dict():
    data = _plain_safetensors(
        {"b": ("I64", np.array([1, 2], "<i8")), "a": ("F32", np.ones((2, 2), "<f4"))},
        metadata={"format": "pt"},
    )
    got = bt.load(io.BytesIO(data))
    assert list(got) == ["b", "a"]
    assert got["b"].dtype is bt.int64 and got["b"].tolist() == [1, 2]
    assert got["a"].dtype is bt.float32 and got["a"].shape == (2, 2)


def test_torch_layout_uses_only_weights_only_globals():
    buffer = io.BytesIO()
    obj = OrderedDict(w=bt.ones(2), u=bt.tensor([1], dtype=bt.uint32), b=b"x", s={1}, c=1j)
    bt.save({"sd": obj, "p": bt.nn.Parameter(bt.ones(1))}, buffer, format="torch")
    archive = zipfile.ZipFile(buffer)
    names = archive.namelist()
    assert names[:4] == [
        "archive/data.pkl", "archive/.format_version", "archive/.storage_alignment",
        "archive/byteorder",
    ]  # fmt: skip
    assert archive.read("archive/byteorder") == b"little"
    assert archive.read("archive/version") == b"3\n"
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        local = buffer.getvalue()[info.header_offset : info.header_offset + 30]
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        assert (info.header_offset + 30 + name_length + extra_length) % 64 == 0
    found = {
        arg for op, arg, _ in pickletools.genops(archive.read("archive/data.pkl"))
        if op.name == "GLOBAL"
    }  # fmt: skip
    assert found == {
        "collections OrderedDict", "torch._utils _rebuild_tensor_v2",
        "torch._utils _rebuild_tensor_v3", "torch._utils _rebuild_parameter",
        "torch FloatStorage", "torch.storage UntypedStorage", "torch uint32",
        "_codecs encode", "__builtin__ set", "__builtin__ complex",
    }  # fmt: skip


def test_hand_built_torch_checkpoint_loads():
    storage = np.arange(6, dtype="<f4").tobytes()
    data = zip_archive(tensor_pickle(6, offset=1, size=(2, 2), stride=(1, 2)), {"0": storage})
    got = bt.load(io.BytesIO(data))
    np.testing.assert_array_equal(to_np(got), [[1.0, 3.0], [2.0, 4.0]])


def test_big_endian_torch_checkpoint_loads():
    storage = np.arange(3, dtype=">f4").tobytes()
    data = zip_archive(tensor_pickle(3, size=(3,), stride=(1,)), {"0": storage}, order=b"big")
    np.testing.assert_array_equal(to_np(bt.load(io.BytesIO(data))), [0.0, 1.0, 2.0])


def test_torch_checkpoint_on_cuda_needs_map_location():
    data = zip_archive(tensor_pickle(1, size=(1,), stride=(1,), location="cuda:0"), {"0": bytes(4)})
    assert bt.load(io.BytesIO(data), map_location="cpu").device == bt.device("cpu")
    try:
        import cupy  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="pass map_location='cpu'"):
            bt.load(io.BytesIO(data))


# ---------------------------------------------------------------- refusals on save


@pytest.mark.parametrize("format", FORMATS)
def test_save_refuses_other_objects_before_touching_the_file(format, tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(TypeError, match=r"save: cannot store a .*\.Module"):
        bt.save({"model": bt.nn.Module()}, target, format=format)
    assert not target.exists()
    with pytest.raises(TypeError, match="a tensor cannot be a dict key"):
        bt.save({bt.ones(1): 1}, io.BytesIO(), format=format)


def test_save_refusals():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match=r"save: obj\[0\] contains itself"):
        bt.save(loop, io.BytesIO())
    with pytest.raises(ValueError, match="save: format must be 'safetensors' or 'torch'; got 'pt'"):
        bt.save(bt.ones(1), io.BytesIO(), format="pt")
    with pytest.raises(TypeError, match=r"save: cannot store a builtins.frozenset in the torch"):
        bt.save(frozenset(), io.BytesIO(), format="torch")
    with pytest.raises(TypeError, match=r"f must be a path or a binary file object with .write"):
        bt.save(bt.ones(1), 3)
    with pytest.raises(TypeError, match="needs a binary file object"):
        bt.save(bt.ones(1), io.StringIO())


def test_torch_format_keeps_cycles_like_pickle():
    loop: list = [bt.ones(1)]
    loop.append(loop)
    got = round_trip(loop, "torch")
    assert got[1] is got


# ---------------------------------------------------------------- refusals on load

_MARKER = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "bridgetensor-pwned"


class _RunsACommand:
    def __reduce__(self):
        return (os.system, (f"touch {_MARKER}",))


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_malicious_pickle_is_refused_and_never_runs(protocol):
    _MARKER.unlink(missing_ok=True)
    data = zip_archive(pickle.dumps({"w": _RunsACommand()}, protocol=protocol))
    with pytest.raises(pickle.UnpicklingError, match=r"refusing the global '(posix|nt)\.system'"):
        bt.load(io.BytesIO(data))
    assert not _MARKER.exists()


P2, G, S, I = b"\x80\x02", pickle_global, pickle_str, pickle_int


@pytest.mark.parametrize(
    "payload, message",
    [
        (P2 + G("builtins", "eval") + S("1") + b"\x85R.", "refusing the global 'builtins.eval'"),
        (P2 + G("__builtin__", "getattr") + b".", "refusing the global 'builtins.getattr'"),
        (P2 + G("numpy", "dtype") + b".", "refusing the global 'numpy.dtype'"),
        (P2 + G("collections", "OrderedDict") + b")R}" + S("keys") + b"Nsb.", "only an Ordered"),
        (P2 + b"]}b.", "refusing to set state {} on a list"),
        (P2 + S("x") + b"Q.", "unsupported persistent id 'x'"),
        (P2 + G("_codecs", "encode") + S("x") + S("rot13") + b"\x86R.", "_codecs.encode is"),
        (P2 + G("__builtin__", "bytearray") + I(2**30) + b"\x85R.", "bytearray is allowed only"),
        (P2 + b"]", "data.pkl is corrupted or malformed"),
        (P2 + G("torch", "device") + S("cuda:x") + b"\x85R.", "invalid device"),
        (
            P2
            + G("torch._tensor", "_rebuild_from_type_v2")
            + b"("
            + G("__builtin__", "set")
            + G("torch", "Tensor")
            + b")}tR.",
            "_rebuild_from_type_v2 only rebuilds torch tensors",
        ),
    ],
)
def test_refused_pickles(payload, message):
    with pytest.raises(pickle.UnpicklingError, match=message):
        bt.load(io.BytesIO(zip_archive(payload)))


def test_unsupported_torch_contents_say_so():
    with pytest.raises(FormatError, match=r"holds bfloat16 data \(torch.bfloat16\)"):
        bt.load(io.BytesIO(zip_archive(b"\x80\x02ctorch\nbfloat16\n.")))
    data = zip_archive(tensor_pickle(1, size=(1,), stride=(1,), storage="BFloat16Storage"))
    with pytest.raises(FormatError, match="holds BFloat16 data"):
        bt.load(io.BytesIO(data))
    sparse = b"\x80\x02ctorch._utils\n_rebuild_sparse_tensor\n."
    with pytest.raises(FormatError, match="sparse tensor tensors"):
        bt.load(io.BytesIO(zip_archive(sparse)))


@pytest.mark.parametrize(
    "numel, offset, size, stride, record, message",
    [
        (6, 0, (2, 4), (4, 1), 24, "reaches element 7 of a storage of 6"),
        (6, 5, (2,), (1,), 24, "reaches element 6 of a storage of 6"),
        (6, 0, (3,), (1,), 20, "holds 20 bytes, but its tensors need 24"),
    ],
)
def test_storage_bounds_are_checked(numel, offset, size, stride, record, message):
    data = zip_archive(tensor_pickle(numel, offset, size, stride), {"0": bytes(record)})
    with pytest.raises(FormatError, match=message):
        bt.load(io.BytesIO(data))


def test_invalid_tensor_geometry_and_missing_records():
    with pytest.raises(pickle.UnpicklingError, match="invalid tensor stride"):
        bt.load(io.BytesIO(zip_archive(tensor_pickle(4, 0, (2,), (-1,)), {"0": bytes(16)})))
    with pytest.raises(FormatError, match="lacks the storage record 'archive/data/0'"):
        bt.load(io.BytesIO(zip_archive(tensor_pickle(4, 0, (2,), (1,)))))


@pytest.mark.parametrize("format", FORMATS)
def test_truncated_files(format):
    buffer = io.BytesIO()
    bt.save({"w": bt.arange(64.0)}, buffer, format=format)
    data = buffer.getvalue()
    for cut in (0, 5, 12, len(data) // 2, len(data) - 1):
        with pytest.raises((FormatError, pickle.UnpicklingError), match="load: "):
            bt.load(io.BytesIO(data[:cut]))


def test_corrupted_torch_storage_fails_its_checksum():
    buffer = io.BytesIO()
    bt.save({"w": bt.arange(64.0)}, buffer, format="torch")
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("archive/data/0")
    data[info.header_offset + 200] ^= 0xFF
    with pytest.raises(FormatError, match="Bad CRC-32"):
        bt.load(io.BytesIO(bytes(data)))


@pytest.mark.parametrize(
    "header, message",
    [
        ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, "span 4"),
        ({"a": {"dtype": "BF16", "shape": [1], "data_offsets": [0, 2]}}, "dtype bfloat16"),
        ({"a": {"dtype": "X9", "shape": [1], "data_offsets": [0, 2]}}, "unknown dtype code 'X9'"),
        ({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, "invalid shape"),
        ({"a": {"dtype": "F32", "shape": [1]}}, "must have dtype, shape and data_offsets"),
        ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, "truncated"),
        ({"__metadata__": {"bridgetensor.structure": '{"tensor": "b"}'}}, "lacks"),
        ({"__metadata__": {"bridgetensor.structure": '{"eval": "1"}'}}, "unknown structure node"),
        ({"__metadata__": {"bridgetensor.structure": '{"float": "1e5"}'}}, "invalid float"),
        ({"__metadata__": {"bridgetensor.structure": "[[[["}}, "structure is corrupted"),
        ({"__metadata__": []}, "__metadata__ in the header is not an object"),
    ],
)
def test_bad_safetensors_headers(header, message):
    raw = json.dumps(header).encode()
    with pytest.raises(FormatError, match=message):
        bt.load(io.BytesIO(struct.pack("<Q", len(raw)) + raw))


def test_bad_safetensors_framing():
    with pytest.raises(FormatError, match="header length 18446744073709551615 exceeds"):
        bt.load(io.BytesIO(b"\xff" * 8 + b"{}"))
    with pytest.raises(FormatError, match="JSON header is corrupted"):
        bt.load(io.BytesIO(struct.pack("<Q", 2) + b"{x"))
    with pytest.raises(FormatError, match="duplicate key 'a'"):
        raw = b'{"a": {}, "a": {}}'
        bt.load(io.BytesIO(struct.pack("<Q", len(raw)) + raw))


def test_other_files_get_clear_errors():
    legacy = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.\x80\x02M\xe9\x03."
    with pytest.raises(FormatError, match="legacy PyTorch file"):
        bt.load(io.BytesIO(legacy))
    with pytest.raises(FormatError, match="plain pickle file"):
        bt.load(io.BytesIO(pickle.dumps({"a": 1})))
    with pytest.raises(FormatError, match="empty or truncated"):
        bt.load(io.BytesIO(b""))
    with pytest.raises(FormatError, match="unrecognised file format"):
        bt.load(io.BytesIO(b"hello, this is text"))
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(FormatError, match="has no <name>/data.pkl"):
        bt.load(io.BytesIO(other_zip.getvalue()))
    script = zip_archive(b"\x80\x02N.", {}, extra={"archive/constants.pkl": b"", "x/data.pkl": b""})
    with pytest.raises(FormatError, match="TorchScript archive"):
        bt.load(io.BytesIO(script))
    with pytest.raises(TypeError, match=r"f must be a path or a binary file object with .read"):
        bt.load(3)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_random_corruption_never_escapes_the_format_errors(data):
    format = data.draw(st.sampled_from(FORMATS))
    buffer = io.BytesIO()
    bt.save({"w": bt.arange(6.0).reshape(2, 3), "n": [1, 2.5, "x"]}, buffer, format=format)
    corrupted = bytearray(buffer.getvalue())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(corrupted) - 1))
        corrupted[position] = data.draw(st.integers(0, 255))
    try:
        bt.load(io.BytesIO(bytes(corrupted)))
    except (FormatError, pickle.UnpicklingError) as error:
        assert str(error).startswith("load: ")
