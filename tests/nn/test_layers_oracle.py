"""The layer functions of nn.functional against torch's: values, dtypes and gradients of
every float input, in float32 and float64, over their options."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .layers_oracle import Bool, Const, Fl, Int, Spec, compare

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

CASES = [
    ("conv1d", [Fl(2, 3, 7), Fl(4, 3, 3), Fl(4)], {"stride": 2, "padding": 1}),
    ("conv1d", [Fl(3, 7), Fl(4, 3, 2)], {"padding": "same", "dilation": 2}),
    ("conv2d", [Fl(2, 3, 7, 6), Fl(4, 3, 3, 2), Fl(4)], {}),
    (
        "conv2d",
        [Fl(2, 4, 6, 6), Fl(6, 2, 3, 3), Fl(6)],
        {"stride": (2, 1), "padding": (1, 2), "dilation": (2, 1), "groups": 2},
    ),
    ("conv2d", [Fl(2, 8, 4, 4), Fl(6, 8, 3, 3)], {"padding": "same"}),
    ("conv2d", [Fl(2, 3, 5, 5), Fl(4, 3, 2, 2)], {"padding": "same"}),
    ("conv2d", [Fl(2, 3, 5, 5), Fl(4, 3, 3, 3)], {"padding": "valid", "stride": 2}),
    ("conv2d", [Fl(3, 5, 5), Fl(4, 3, 3, 3), Fl(4)], {"padding": 1}),
    ("conv3d", [Fl(1, 2, 4, 4, 3), Fl(3, 2, 2, 2, 2), Fl(3)], {"padding": 1}),
    (
        "conv_transpose1d",
        [Fl(2, 3, 5), Fl(3, 2, 3), Fl(2)],
        {"stride": 2, "padding": 1, "output_padding": 1},
    ),
    (
        "conv_transpose2d",
        [Fl(2, 4, 3, 4), Fl(4, 3, 3, 2), Fl(6)],
        {"stride": 2, "padding": (1, 0), "output_padding": (1, 0), "groups": 2, "dilation": (1, 2)},
    ),
    ("conv_transpose2d", [Fl(2, 4, 2, 2), Fl(4, 8, 3, 3)], {"stride": 2}),
    ("conv_transpose2d", [Fl(4, 3, 3), Fl(4, 2, 2, 2)], {}),
    ("conv_transpose3d", [Fl(1, 2, 2, 3, 2), Fl(2, 1, 2, 2, 2)], {"stride": 2}),
    (
        "unfold",
        [Fl(2, 3, 6, 5)],
        {"kernel_size": (2, 3), "dilation": (1, 2), "padding": 1, "stride": 2},
    ),
    ("fold", [Fl(2, 12, 42)], {"output_size": (6, 5), "kernel_size": 2, "padding": 1}),
    (
        "max_pool1d",
        [Fl(2, 3, 9)],
        {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True},
    ),
    ("max_pool2d", [Fl(2, 3, 7, 7)], {"kernel_size": 2}),
    (
        "max_pool2d",
        [Fl(2, 3, 7, 8)],
        {
            "kernel_size": (3, 2),
            "stride": (2, 1),
            "padding": 1,
            "dilation": (1, 2),
            "ceil_mode": True,
            "return_indices": True,
        },
    ),
    ("max_pool2d", [Fl(3, 6, 6)], {"kernel_size": 2, "return_indices": True}),
    ("max_pool3d", [Fl(1, 2, 5, 5, 4)], {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
    (
        "avg_pool1d",
        [Fl(2, 3, 9)],
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ("avg_pool2d", [Fl(2, 3, 7, 7)], {"kernel_size": 3, "stride": 2, "padding": 1}),
    (
        "avg_pool2d",
        [Fl(2, 3, 7, 7)],
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ("avg_pool2d", [Fl(2, 3, 6, 6)], {"kernel_size": 2, "divisor_override": 3}),
    ("avg_pool3d", [Fl(1, 2, 4, 4, 4)], {"kernel_size": 2}),
    ("adaptive_avg_pool1d", [Fl(2, 3, 10)], {"output_size": 4}),
    ("adaptive_avg_pool2d", [Fl(2, 3, 7, 9)], {"output_size": (3, 4)}),
    ("adaptive_avg_pool2d", [Fl(2, 3, 8, 6)], {"output_size": (4, None)}),
    ("adaptive_avg_pool2d", [Fl(3, 5, 5)], {"output_size": 1}),
    ("adaptive_avg_pool3d", [Fl(1, 2, 5, 4, 6)], {"output_size": (2, 3, 2)}),
    ("pad", [Fl(2, 3, 4, 4)], {"pad": (1, 2, 0, 3)}),
    ("pad", [Fl(2, 3, 4, 4)], {"pad": (-1, 2, 1, -2), "value": 1.5}),
    ("pad", [Fl(2, 3, 4, 5)], {"pad": (3, 1, 2, 2), "mode": "reflect"}),
    ("pad", [Fl(3, 4)], {"pad": (2, 3), "mode": "replicate"}),
    ("pad", [Fl(1, 2, 3, 3, 3)], {"pad": (1, 1, 2, 0, 0, 1), "mode": "replicate"}),
    ("pad", [Fl(2, 3, 4, 5)], {"pad": (3, 1, 4, 2), "mode": "circular"}),
    ("linear", [Fl(4, 3), Fl(5, 3), Fl(5)], {}),
    ("linear", [Fl(2, 4, 3), Fl(5, 3)], {}),
    ("linear", [Fl(3), Fl(5, 3), Fl(5)], {}),
    ("bilinear", [Fl(4, 3), Fl(4, 2), Fl(5, 3, 2), Fl(5)], {}),
    ("bilinear", [Fl(2, 4, 3), Fl(2, 4, 2), Fl(5, 3, 2)], {}),
    ("batch_norm", [Fl(4, 3), Const(None), Const(None), Fl(3), Fl(3)], {"training": True}),
    (
        "batch_norm",
        [
            Fl(4, 3, 5, 2),
            Spec((3,), grad=False),
            Spec((3,), "positive", grad=False),
            Fl(3),
            Fl(3),
        ],
        {"training": False, "eps": 1e-3},
    ),
    ("layer_norm", [Fl(2, 3, 4), Const((3, 4)), Fl(3, 4), Fl(3, 4)], {"eps": 1e-6}),
    ("layer_norm", [Fl(5, 4), Const([4])], {}),
    ("group_norm", [Fl(2, 6, 3, 2), Const(3), Fl(6), Fl(6)], {}),
    ("group_norm", [Fl(2, 4, 5), Const(1)], {"eps": 1e-3}),
    ("instance_norm", [Fl(2, 3, 5, 4)], {}),
    ("embedding", [Int(3, 4, high=6), Fl(6, 3)], {}),
    ("embedding", [Int(3, 4, high=6), Fl(6, 3)], {"padding_idx": 2}),
    ("embedding", [Int(10, high=6), Fl(6, 3)], {"scale_grad_by_freq": True}),
    ("one_hot", [Int(3, 4, high=5)], {"num_classes": 6}),
    ("one_hot", [Int(7, high=5)], {}),
    ("normalize", [Fl(3, 4)], {}),
    ("normalize", [Fl(3, 4, 2)], {"p": 1.0, "dim": -1}),
    ("cosine_similarity", [Fl(3, 4), Fl(1, 4)], {}),
    ("cosine_similarity", [Fl(2, 3, 4), Fl(2, 3, 4)], {"dim": -1, "eps": 1e-6}),
    ("pairwise_distance", [Fl(3, 4), Fl(3, 4)], {}),
    ("pairwise_distance", [Fl(3, 4), Fl(4)], {"p": 1.0, "keepdim": True}),
    ("interpolate", [Fl(2, 3, 4)], {"scale_factor": 2}),
    ("interpolate", [Fl(2, 3, 4, 5)], {"size": (7, 3)}),
    ("interpolate", [Fl(2, 3, 4, 5)], {"scale_factor": 1.7}),
    ("interpolate", [Fl(2, 3, 4, 5)], {"scale_factor": (1.5, 0.6), "mode": "nearest-exact"}),
    ("interpolate", [Fl(2, 3, 5)], {"size": 8, "mode": "linear"}),
    ("interpolate", [Fl(2, 3, 5)], {"size": 8, "mode": "linear", "align_corners": True}),
    ("interpolate", [Fl(2, 3, 4, 5)], {"scale_factor": 2, "mode": "bilinear"}),
    ("interpolate", [Fl(2, 3, 4, 5)], {"size": (3, 7), "mode": "bilinear", "align_corners": True}),
    (
        "interpolate",
        [Fl(2, 3, 4, 5)],
        {"scale_factor": 1.5, "mode": "bilinear", "recompute_scale_factor": True},
    ),
    ("interpolate", [Fl(1, 2, 3, 4, 2)], {"scale_factor": 2, "mode": "trilinear"}),
    ("interpolate", [Fl(2, 3, 6, 6)], {"size": (3, 4), "mode": "area"}),
    ("scaled_dot_product_attention", [Fl(2, 3, 4, 8), Fl(2, 3, 5, 8), Fl(2, 3, 5, 6)], {}),
    (
        "scaled_dot_product_attention",
        [Fl(2, 4, 8), Fl(2, 5, 8), Fl(2, 5, 6), Bool(4, 5)],
        {"scale": 0.3},
    ),
    (
        "scaled_dot_product_attention",
        [Fl(2, 4, 8), Fl(2, 5, 8), Fl(2, 5, 6), Fl(4, 5, grad=False)],
        {},
    ),
    ("scaled_dot_product_attention", [Fl(2, 4, 8), Fl(2, 4, 8), Fl(2, 4, 6)], {"is_causal": True}),
]


def _id(case) -> str:
    name, _, kwargs = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_functional_matches_torch(case, dtype):
    name, specs, kwargs = case
    compare(torch, name, specs, kwargs, dtype)


@pytest.mark.parametrize(
    "name, shape, kwargs",
    [
        ("dropout", (5, 6), {"p": 0.3}),
        ("dropout", (4, 3), {"p": 1.0}),
        ("dropout", (4, 3), {"p": 0.5, "training": False}),
        ("dropout1d", (2, 3, 4), {"p": 0.5}),
        ("dropout1d", (3, 4), {"p": 0.5}),
        ("dropout2d", (2, 3, 4, 2), {"p": 0.4}),
        ("dropout3d", (2, 3, 2, 2, 2), {"p": 0.4}),
        ("dropout3d", (3, 2, 2, 2), {"p": 0.4}),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_draws_torch_masks(name, shape, kwargs, dtype):
    compare(torch, name, [Fl(*shape)], kwargs, dtype, seed=3, exact=True)


def test_pooled_indices_and_values_are_exact():
    # Ties and NaN: the first maximum (the last NaN) takes the index and the gradient.
    compare(torch, "max_pool2d", [Fl(2, 3, 6, 6)], {"kernel_size": 2, "return_indices": True})
    import numpy as np

    import bridgetensor as bt

    x = np.round(np.random.default_rng(0).standard_normal((2, 2, 6, 7)))
    x[0, 0, 1, 1] = np.nan
    x[0, 0, 0, 0] = np.nan
    for kwargs in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1}):
        ours, theirs = bt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        a = bt.nn.functional.max_pool2d(ours, return_indices=True, **kwargs)
        b = torch.nn.functional.max_pool2d(theirs, return_indices=True, **kwargs)
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
        a[0].sum().backward()
        b[0].sum().backward()
        np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


@st.composite
def _conv_case(draw):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in = groups * draw(st.integers(1, 3))
    c_out = groups * draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    size = [
        draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 7))
        for k, d, p in zip(kernel, dilation, padding)
    ]
    specs = [Fl(2, c_in, *size), Fl(c_out, c_in // groups, *kernel), Fl(c_out)]
    kwargs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    return specs, kwargs


@settings(max_examples=20, deadline=None)
@given(_conv_case())
def test_conv2d_geometry_matches_torch(case):
    specs, kwargs = case
    compare(torch, "conv2d", specs, kwargs, "float64")


@st.composite
def _pool_case(draw):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    # torch bounds pooling's padding by half the undilated kernel
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    size = [draw(st.integers(d * (k - 1) + 1, 7)) for k, d in zip(kernel, dilation)]
    kwargs = {
        "kernel_size": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": draw(st.booleans()),
        "return_indices": True,
    }
    return [Fl(2, 2, *size)], kwargs


@settings(max_examples=20, deadline=None)
@given(_pool_case())
def test_max_pool2d_geometry_matches_torch(case):
    specs, kwargs = case
    compare(torch, "max_pool2d", specs, kwargs, "float64")
    avg = {k: v for k, v in kwargs.items() if k in ("kernel_size", "stride", "ceil_mode")}
    avg["padding"] = tuple(min(p, k // 2) for p, k in zip(kwargs["padding"], kwargs["kernel_size"]))
    compare(torch, "avg_pool2d", specs, avg, "float64")
