"""torch's tensor repr: modes, widths, summarisation, wrapping, suffixes and print options.

The expected strings are torch 2.13's output for the same tensors (tests/test_printing_oracle.py
compares against torch itself on random tensors). Off the host, torch's reprs name the
device first among the suffixes (device='cuda:0'): `without_device` checks that suffix
and removes it, so the same expected text serves every device.
"""

from __future__ import annotations

import math

import pytest

import bridgetensor as bt

from .helpers import without_device

needs_half = pytest.mark.skipif(
    bt.float16 not in bt.zeros(1)._be.native, reason="the backend has no float16"
)


@pytest.fixture(autouse=True)
def _default_options():
    yield
    bt.set_printoptions(profile="default")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: bt.tensor([1.5, 2.25, 3.0]), "tensor([1.5000, 2.2500, 3.0000])"),
        (lambda: bt.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (
            lambda: bt.tensor([1e10, 1.0], dtype=bt.float64),
            "tensor([1.0000e+10, 1.0000e+00], dtype=bridgetensor.float64)",
        ),
        (lambda: bt.tensor([[1, 2], [3, 4]]), "tensor([[1, 2],\n        [3, 4]])"),
        (lambda: bt.tensor([True, False]), "tensor([ True, False])"),
        (lambda: bt.zeros(0, 3), "tensor([], size=(0, 3))"),
        (lambda: bt.tensor([], dtype=bt.int64), "tensor([], dtype=bridgetensor.int64)"),
        (lambda: bt.tensor(3.5), "tensor(3.5000)"),
        (lambda: bt.tensor([1 + 2j, 3 - 4.5j]), "tensor([1.+2.0000j, 3.-4.5000j])"),
        (lambda: bt.tensor([math.nan, math.inf, -math.inf, 1.0]), "tensor([nan, inf, -inf, 1.])"),
        pytest.param(
            lambda: bt.tensor([0.1, 0.2], dtype=bt.float16),
            "tensor([0.1000, 0.2000], dtype=bridgetensor.float16)",
            marks=needs_half,
        ),
        (
            lambda: bt.tensor([1.0, 2.0], requires_grad=True),
            "tensor([1., 2.], requires_grad=True)",
        ),
        (lambda: bt.arange(1001), "tensor([   0,    1,    2,  ...,  998,  999, 1000])"),
    ],
)
def test_repr(make, expected):
    assert without_device(repr(make())) == expected


def test_summarised_matrix_keeps_edges_and_wraps():
    text = without_device(repr(bt.arange(2000.0).reshape(40, 50)))
    lines = text.split("\n")
    assert lines[0] == "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,"
    assert lines[1] == "         4.9000e+01],"
    assert lines[6] == "        ...,"
    assert lines[-1] == "         1.9990e+03]])"
    assert len(lines) == 13


def test_grad_fn_suffix_names_the_node():
    y = bt.tensor([1.5, -2.0], requires_grad=True) * 2
    assert without_device(repr(y)) == "tensor([ 3., -4.], grad_fn=<MulBackward0>)"


def test_str_is_repr():
    t = bt.tensor([0.25, 4.0])
    assert str(t) == repr(t)


def test_set_printoptions_precision_and_linewidth():
    bt.set_printoptions(precision=2)
    assert without_device(repr(bt.tensor([1.2345, 2.5]))) == "tensor([1.23, 2.50])"
    bt.set_printoptions(profile="default", linewidth=20)
    assert without_device(repr(bt.arange(10.0))) == (
        "tensor([0., 1., 2.,\n        3., 4., 5.,\n        6., 7., 8.,\n        9.])"
    )


def test_profiles_and_unknown_profile():
    bt.set_printoptions(profile="short")
    assert bt.get_printoptions()["precision"] == 2
    assert bt.get_printoptions()["edgeitems"] == 2
    bt.set_printoptions(profile="full")
    assert bt.get_printoptions()["threshold"] == math.inf
    before = bt.get_printoptions()
    bt.set_printoptions(profile="no-such-profile")  # torch ignores unknown names
    assert bt.get_printoptions() == before


def test_printoptions_context_restores():
    before = bt.get_printoptions()
    with bt.printoptions(precision=1, sci_mode=True):
        assert bt.get_printoptions()["precision"] == 1
        assert without_device(repr(bt.tensor([2.0, 3.5]))) == "tensor([2.0e+00, 3.5e+00])"
    assert bt.get_printoptions() == before


def test_sci_mode_is_not_forced_on_all_zero_tensors():
    bt.set_printoptions(sci_mode=True)
    assert without_device(repr(bt.zeros(2))) == "tensor([0., 0.])"


def test_edgeitems_zero_prints_size():
    bt.set_printoptions(threshold=5, edgeitems=0)
    assert without_device(repr(bt.arange(6))) == "tensor([...], size=(6,))"


def test_subclass_prints_its_name():
    class Special(bt.Tensor):
        pass

    t = bt.tensor([1.0, 2.0])
    special = Special.__new__(Special)
    for slot in ("_data", "_be", "_requires_grad", "_grad_fn", "_output_nr", "_base", "_meta"):
        setattr(special, slot, getattr(t, slot))
    assert without_device(repr(special)) == "Special([1., 2.])"


def test_size_repr():
    assert repr(bt.zeros(2, 3).shape) == "bridgetensor.Size([2, 3])"
    assert repr(bt.zeros(()).shape) == "bridgetensor.Size([])"


def test_format_of_a_scalar_tensor_uses_the_spec():
    assert f"{bt.tensor(2.5):.2f}" == "2.50"
    assert without_device(f"{bt.tensor([1.0])}") == "tensor([1.])"


def test_device_suffix_for_data_off_the_host():
    from bridgetensor._printing import tensor_repr

    class OnGpu(bt.Tensor):
        device = property(lambda self: bt.device("cuda", 0))

    t = bt.tensor([1.0, 2.0])
    gpu = OnGpu.__new__(OnGpu)
    for slot in ("_data", "_be", "_requires_grad", "_grad_fn", "_output_nr", "_base", "_meta"):
        setattr(gpu, slot, getattr(t, slot))
    assert tensor_repr(gpu, prefix="tensor(") == "tensor([1., 2.], device='cuda:0')"
