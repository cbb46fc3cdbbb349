"""Creation against PyTorch itself: dtypes, values bit for bit, and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from bridgetensor._backend import default_backend

from .helpers import to_np

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

FLOATS = ("float32", "float64")


def _same_bits(ours, theirs) -> None:
    expected = theirs.numpy()
    got = to_np(ours)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert got.shape == expected.shape
    assert got.tobytes() == expected.tobytes(), np.nonzero(got != expected)


def _outcome(make):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make()
    except Exception as error:
        return error


def _compare(ours_make, theirs_make):
    theirs = _outcome(theirs_make)
    if not isinstance(theirs, Exception):
        name = str(theirs.dtype).split(".")[-1]
        if getattr(bt, name) not in default_backend().native:
            pytest.skip(f"the {default_backend().name} backend has no {name}")
    ours = _outcome(ours_make)
    if isinstance(theirs, Exception):
        assert type(ours) is type(theirs), f"{ours!r} vs {theirs!r}"
        assert str(ours) == str(theirs)
    else:
        assert not isinstance(ours, Exception), ours
        _same_bits(ours, theirs)


finite = st.floats(-1e3, 1e3, allow_nan=False, width=64)


@settings(max_examples=30, deadline=None)
@given(
    start=finite,
    step=st.floats(1e-3, 50),
    count=st.integers(0, 3000),
    dtype=st.sampled_from(FLOATS),
    up=st.booleans(),
)
def test_arange_floats_bit_for_bit(start, step, count, dtype, up):
    step = step if up else -step
    end = start + step * count
    _compare(
        lambda: bt.arange(start, end, step, dtype=getattr(bt, dtype)),
        lambda: torch.arange(start, end, step, dtype=getattr(torch, dtype)),
    )


@pytest.mark.parametrize(
    "args",
    [
        (0, 1, 0.1),
        (1, 4, 0.5),
        (0.0, 5),
        (-3.3, 100, 0.37),
        (10, 0, -3),
        (5, 5),
        (0, 10, 3),
        (0.5, 3),
        (np.float64(3),),
        (True,),
    ],
)
def test_arange_default_dtypes(args):
    _compare(lambda: bt.arange(*args), lambda: torch.arange(*args))


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8", "float16"])
@pytest.mark.parametrize("args", [(0.5, 3), (-0.5, 3, 1), (0, 5, 1.5), (0, 1, 0.3), (0, 1, 0.5)])
def test_arange_other_dtypes(args, dtype):
    _compare(
        lambda: bt.arange(*args, dtype=getattr(bt, dtype)),
        lambda: torch.arange(*args, dtype=getattr(torch, dtype)),
    )


def test_arange_long_output_split_across_threads():
    # Past torch's grain size the kernel's vector blocks restart at each thread's chunk.
    _compare(
        lambda: bt.arange(-3.3, 7e4 * 0.37, 0.37), lambda: torch.arange(-3.3, 7e4 * 0.37, 0.37)
    )


@pytest.mark.parametrize(
    "args", [(0, 5, 0), (0, 5, -1), (1, float("inf")), (float("nan"),), (0, 1j)]
)
def test_arange_errors(args):
    _compare(lambda: bt.arange(*args), lambda: torch.arange(*args))


@settings(max_examples=30, deadline=None)
@given(start=finite, end=finite, steps=st.integers(0, 3000), dtype=st.sampled_from(FLOATS))
def test_linspace_bit_for_bit(start, end, steps, dtype):
    _compare(
        lambda: bt.linspace(start, end, steps, dtype=getattr(bt, dtype)),
        lambda: torch.linspace(start, end, steps, dtype=getattr(torch, dtype)),
    )


@settings(max_examples=25, deadline=None)
@given(
    start=st.floats(-4, 4),
    end=st.floats(-4, 4),
    steps=st.integers(0, 300),
    base=st.sampled_from([10.0, 2.0, 0.5, 3.7]),
    dtype=st.sampled_from(FLOATS),
)
def test_logspace_bit_for_bit(start, end, steps, base, dtype):
    _compare(
        lambda: bt.logspace(start, end, steps, base, dtype=getattr(bt, dtype)),
        lambda: torch.logspace(start, end, steps, base, dtype=getattr(torch, dtype)),
    )


@pytest.mark.parametrize(
    "call",
    [
        ("linspace", (0, 1, 5), {}),
        ("linspace", (0, 1, 1), {}),
        ("linspace", (0, 10, 5), {"dtype": "int64"}),
        ("linspace", (3, 1, 4), {"dtype": "int64"}),
        ("linspace", (0.5, 3.7, 3), {"dtype": "int64"}),
        ("linspace", (0, 255, 4), {"dtype": "uint8"}),
        ("linspace", (0j, 1 + 1j, 3), {}),
        ("linspace", (0, 1, -1), {}),
        ("linspace", (0, 5, 3), {"dtype": "bool"}),
        ("logspace", (0, 2, 3), {"base": 2}),
        ("logspace", (0.5, 2.7, 3), {"dtype": "int64"}),
        ("logspace", (0, 2, 3), {"base": -2.0}),
        ("logspace", (0, 1, 1), {}),
    ],
)
def test_range_cases(call):
    name, args, options = call

    def run(lib):
        kwargs = {k: getattr(lib, v) if k == "dtype" else v for k, v in options.items()}
        return getattr(lib, name)(*args, **kwargs)

    _compare(lambda: run(bt), lambda: run(torch))


TENSOR_DATA = [
    [[1, 2], [3, 4]],
    [1, 2.0],
    [True, 1],
    [1, 2j],
    [True, 1.5],
    np.float64(1.0),
    [np.float64(1)],
    [1.0, np.float32(2)],
    [np.int32(2), 1],
    [np.int32(2)],
    [1, np.float16(2)],
    [True, np.int8(2)],
    [np.uint8(2), np.int8(2)],
    [1j, np.float64(2)],
    [2.0, np.float16(2)],
    np.uint16(3),
    [np.array([1, 2]), np.array([3, 4])],
    [np.array([1.0, 2], dtype=np.float32), np.array([3, 4])],
    [np.array([1, 2]), [3, 4]],
    [],
    [[]],
    [[], []],
    [[], [1]],
    (),
    range(3),
    -(2**63),
    [[1, 2], [3]],
    [[1], [2, 3]],
    [[[1, 2]], [[3]]],
    [[1, 2], 3],
    [1, [2]],
    "a",
    ["a"],
    [[1, 2], [3, "a"]],
    [None],
    None,
    {1, 2},
    [2**63],
    2**64,
    [np.uint64(2), np.int8(2)],
    np.array(["a"]),
]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=repr)
def test_tensor_inference_values_and_errors(data):
    _compare(lambda: bt.tensor(data), lambda: torch.tensor(data))


@pytest.mark.parametrize(
    "data, dtype",
    [
        ([-1], "uint8"),
        ([300], "uint8"),
        (1 + 2j, "float32"),
        ([1.5, float("nan")], "int64"),
        ([2**40], "int32"),
        ([[1, 2], [3, 4.0]], "int32"),
        (3.7, "int64"),
        ([1, 2], "bool"),
        (1e300, "float32"),
        ([[1, 2], [3, 4]], "float16"),
    ],
)
def test_tensor_with_dtype(data, dtype):
    _compare(
        lambda: bt.tensor(data, dtype=getattr(bt, dtype)),
        lambda: torch.tensor(data, dtype=getattr(torch, dtype)),
    )


def test_tensor_of_tensors_inside_lists():
    _compare(
        lambda: bt.tensor([bt.tensor(1.0), bt.tensor(2.0)]),
        lambda: torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]),
    )
    _compare(
        lambda: bt.tensor([bt.tensor(1, dtype=bt.int32), 2.5]),
        lambda: torch.tensor([torch.tensor(1, dtype=torch.int32), 2.5]),
    )
    _compare(lambda: bt.tensor([1, bt.tensor([2])]), lambda: torch.tensor([1, torch.tensor([2])]))
    _compare(
        lambda: bt.tensor([bt.ones(2), bt.ones(2)]),
        lambda: torch.tensor([torch.ones(2), torch.ones(2)]),
    )


@pytest.mark.parametrize(
    "call",
    [
        ("zeros", (-1,), {}),
        ("zeros", (2, -3), {}),
        ("zeros", ((2, 3),), {}),
        ("zeros", (2.0,), {}),
        ("zeros", ((2, 3.0),), {}),
        ("zeros", ("a",), {}),
        ("zeros", ((),), {}),
        ("ones", ([2, 3],), {"dtype": "int32"}),
        ("empty", ((2, 3),), {"dtype": "int32"}),
        ("full", ((2,), 7), {}),
        ("full", ((2,), True), {}),
        ("full", ((2,), 1.5), {}),
        ("full", ((2,), 1j), {}),
        ("full", (2, 1.0), {}),
        ("full", ([2], np.float64(1.0)), {}),
        ("full", ((2,), 2.5), {"dtype": "int64"}),
        ("full", ((2,), np.int32(2)), {}),
        ("eye", (2,), {}),
        ("eye", (2, 3), {"dtype": "bool"}),
        ("eye", (-1,), {}),
        ("eye", (2, -1), {}),
        ("eye", (2.0,), {}),
        ("ones", (2,), {"dtype": "int64", "requires_grad": True}),
        ("zeros", (2,), {"dtype": "complex64", "requires_grad": True}),
    ],
)
def test_filled_tensors(call):
    name, args, options = call

    def run(lib):
        kwargs = {k: getattr(lib, v) if k == "dtype" else v for k, v in options.items()}
        result = getattr(lib, name)(*args, **kwargs)
        return result.detach() if name != "empty" else lib.zeros_like(result)

    _compare(lambda: run(bt), lambda: run(torch))


@pytest.mark.parametrize(
    "args",
    [
        ([1, 2],),
        (),
        ((2, 3),),
        (np.array([1, 2]),),
        ([[1], [2, 3]],),
        ("a",),
        (-1,),
        (2.5,),
        ([True],),
        (np.float64(3.5),),
    ],
)
def test_legacy_constructor(args):
    _compare(lambda: bt.Tensor(*args), lambda: torch.Tensor(*args))


def test_legacy_constructor_sizes():
    assert bt.Tensor(2, 3).shape == tuple(torch.Tensor(2, 3).shape)
    assert bt.Tensor(np.int64(3)).shape == tuple(torch.Tensor(np.int64(3)).shape)
    assert bt.Tensor(bt.Size([2, 3])).shape == (2, 3)
    assert bt.Tensor(bt.tensor([1, 2])).dtype is bt.int64  # torch keeps a tensor's dtype


@pytest.mark.parametrize(
    "obj, options",
    [
        ([1, 2.0], {}),
        (b"ab", {}),
        (b"abcd", {"dtype": "uint8"}),
        (bytearray(b"abcd"), {"dtype": "uint8"}),
        (memoryview(b"abcd"), {}),
        (np.ones(2), {"copy": False, "dtype": "float32"}),
        ([1, 2], {"copy": False}),
        (3, {}),
        (3.5, {}),
        (np.float64(3.5), {}),
        ([np.float64(3.5)], {}),
        ([1, 2], {"requires_grad": True}),
    ],
)
def test_asarray(obj, options):
    def run(lib):
        kwargs = {k: getattr(lib, v) if k == "dtype" else v for k, v in options.items()}
        return lib.asarray(obj, **kwargs).detach()

    _compare(lambda: run(bt), lambda: run(torch))


def test_asarray_of_tensors_keeps_the_graph_as_torch():
    for lib in (bt, torch):
        leaf = lib.ones(2, requires_grad=True)
        assert lib.asarray(leaf * 2, requires_grad=True).is_leaf is False
        assert lib.as_tensor(leaf * 2).requires_grad
        assert type(lib.asarray(leaf, dtype=lib.float64).grad_fn).__name__ == "ToCopyBackward0"
        assert type(lib.asarray(leaf, copy=True).grad_fn).__name__ == "CloneBackward0"
        assert lib.tensor(leaf).requires_grad is False
    _compare(
        lambda: bt.asarray(bt.ones(2), dtype=bt.int64, copy=False),
        lambda: torch.asarray(torch.ones(2), dtype=torch.int64, copy=False),
    )


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
def test_like_functions(name):
    for dtype in ("int32", "float64"):
        ours = getattr(bt, name)(bt.ones(2, 3, dtype=getattr(bt, dtype)))
        theirs = getattr(torch, name)(torch.ones(2, 3, dtype=getattr(torch, dtype)))
        assert ours.dtype.name == dtype and tuple(ours.shape) == tuple(theirs.shape)
    _compare(lambda: getattr(bt, name)([1, 2]), lambda: getattr(torch, name)([1, 2]))
    _compare(
        lambda: bt.full_like(bt.ones(2, dtype=bt.int64), 2.7),
        lambda: torch.full_like(torch.ones(2, dtype=torch.int64), 2.7),
    )
