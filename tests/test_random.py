"""Random numbers: seeding, state, determinism, shapes and dtypes, errors, gradients.

Literal expected values are torch 2.13's outputs for the same seeds (tests/test_random_oracle.py
checks every sampler against torch itself).
"""

from __future__ import annotations

import math

import pytest

import bridgetensor as bt

from .conftest import numpy_only
from .helpers import to_np, without_device


def _values(t):
    return to_np(t).tolist()


# ---------------------------------------------------------------- torch's numbers


def test_known_values_of_torch_streams():
    bt.manual_seed(0)
    assert _values(bt.rand(3)) == [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]
    bt.manual_seed(0)
    assert _values(bt.randn(3)) == [1.5409960746765137, -0.293428897857666, -2.1787893772125244]
    bt.manual_seed(0)
    block = _values(bt.randn(20))  # the 16-at-a-time path, with a recomputed tail
    assert block[:3] == [-1.1258398294448853, -1.152360200881958, -0.2505785822868347]
    assert block[-3:] == [1.2590092420578003, 2.0049805641174316, 0.05373690277338028]
    bt.manual_seed(0)
    assert _values(bt.randint(0, 10, (6,))) == [4, 9, 3, 0, 3, 9]
    bt.manual_seed(0)
    assert _values(bt.randperm(8)) == [4, 0, 7, 3, 2, 5, 1, 6]
    g = bt.Generator().manual_seed(42)
    assert _values(bt.rand(2, dtype=bt.float64, generator=g)) == [
        0.05815448596142969,
        0.06291016742457756,
    ]


def test_linear_layer_initialisation_of_the_seed_notebook():
    # nn.Linear(3, 4) after manual_seed(20240305): kaiming_uniform_(a=sqrt(5)) on the
    # weight, then uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias.
    bt.manual_seed(20240305)
    fan_in = 3
    gain = math.sqrt(2.0 / (1 + 5))
    bound = math.sqrt(3.0) * gain / math.sqrt(fan_in)
    weight = bt.empty(4, 3).uniform_(-bound, bound)
    bias = bt.empty(4).uniform_(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
    assert without_device(repr(weight)) == (
        "tensor([[ 0.3830,  0.3132, -0.4861],\n"
        "        [ 0.3464, -0.4345, -0.4673],\n"
        "        [ 0.0303,  0.3445,  0.0182],\n"
        "        [-0.1550,  0.4523, -0.1824]])"
    )
    assert without_device(repr(bias)) == "tensor([-0.1304, -0.0389, -0.1370, -0.2898])"


# ---------------------------------------------------------------- seeding and state


def test_a_new_generator_starts_from_torchs_default_seed():
    assert bt.Generator().initial_seed() == 67280421310721
    assert bt.Generator().device == bt.device("cpu")


def test_manual_seed_returns_the_generator_and_records_the_seed():
    g = bt.Generator()
    assert g.manual_seed(123) is g
    assert g.initial_seed() == 123
    assert bt.manual_seed(5) is bt.default_generator
    assert bt.initial_seed() == 5


def test_only_the_low_32_bits_reach_the_stream():
    a = bt.rand(4, generator=bt.Generator().manual_seed(2**32 + 7))
    b = bt.rand(4, generator=bt.Generator().manual_seed(7))
    assert _values(a) == _values(b)


def test_negative_seeds_wrap_and_overflow_raises():
    assert bt.Generator().manual_seed(-1).initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        bt.manual_seed(2**64)


def test_seed_draws_a_64_bit_seed():
    g = bt.Generator()
    value = g.seed()
    assert 0 <= value < 2**64
    assert g.initial_seed() == value


def test_generators_are_independent_of_the_default_one():
    bt.manual_seed(3)
    expected = _values(bt.rand(5))
    bt.manual_seed(3)
    bt.rand(7, generator=bt.Generator().manual_seed(9))
    assert _values(bt.rand(5)) == expected


def test_state_round_trip_includes_the_cached_normal():
    g = bt.Generator().manual_seed(7)
    bt.randn(3, generator=g)  # leaves the pair's second value cached
    state = g.get_state()
    assert state.dtype is bt.uint8
    assert tuple(state.shape) == (5056,)
    first = _values(bt.randn(3, dtype=bt.float64, generator=g))
    other = bt.Generator().set_state(state)
    assert _values(bt.randn(3, dtype=bt.float64, generator=other)) == first


def test_rng_state_functions_and_fork_rng():
    state = bt.get_rng_state()
    first = _values(bt.rand(4))
    bt.set_rng_state(state)
    assert _values(bt.rand(4)) == first
    with bt.random.fork_rng():
        bt.rand(10)
    assert _values(bt.rand(4)) != first  # the stream went on from before the block
    bt.set_rng_state(state)
    bt.rand(4)
    after = _values(bt.rand(4))
    bt.set_rng_state(state)
    bt.rand(4)
    with bt.random.fork_rng():
        bt.randn(100)
    assert _values(bt.rand(4)) == after


def test_clone_state_draws_the_same_numbers():
    g = bt.Generator().manual_seed(4)
    bt.randn(5, generator=g)
    twin = g.clone_state()
    assert _values(bt.randn(7, generator=twin)) == _values(bt.randn(7, generator=g))


def test_set_state_errors():
    g = bt.Generator()
    with pytest.raises(TypeError, match=r"expected a torch\.ByteTensor, but got list"):
        g.set_state([1, 2])
    with pytest.raises(TypeError, match=r"RNG state must be a torch\.ByteTensor"):
        g.set_state(bt.zeros(5056, dtype=bt.int64))
    with pytest.raises(
        RuntimeError, match="of size 5056 but found the input RNG state size to be 10"
    ):
        g.set_state(bt.zeros(10, dtype=bt.uint8))


def test_generator_argument_must_be_a_generator():
    with pytest.raises(TypeError, match=r"generator must be a bridgetensor\.Generator; got int"):
        bt.rand(2, generator=5)


# ---------------------------------------------------------------- shapes and dtypes


@pytest.mark.parametrize(
    ("make", "shape", "dtype"),
    [
        (lambda: bt.rand(2, 3), (2, 3), bt.float32),
        (lambda: bt.rand((2, 3)), (2, 3), bt.float32),
        (lambda: bt.rand([4]), (4,), bt.float32),
        (lambda: bt.rand(()), (), bt.float32),
        (lambda: bt.randn(2, dtype=bt.float64), (2,), bt.float64),
        (lambda: bt.rand(3, dtype=bt.complex64), (3,), bt.complex64),
        (lambda: bt.randn(3, dtype=bt.complex128), (3,), bt.complex128),
        (lambda: bt.randint(5, (3,)), (3,), bt.int64),
        (lambda: bt.randint(2, 5, (3,), dtype=bt.int32), (3,), bt.int32),
        (lambda: bt.randint(0, 2, (3,), dtype=bt.bool), (3,), bt.bool),
        (lambda: bt.randperm(4), (4,), bt.int64),
        (lambda: bt.randperm(4, dtype=bt.float32), (4,), bt.float32),
        (lambda: bt.rand_like(bt.zeros(2, dtype=bt.float64)), (2,), bt.float64),
        (lambda: bt.randn_like(bt.zeros(2, 2)), (2, 2), bt.float32),
        (lambda: bt.randint_like(bt.zeros(3), 4), (3,), bt.float32),
        (lambda: bt.randint_like(bt.zeros(3, dtype=bt.int64), 1, 4), (3,), bt.int64),
        (lambda: bt.normal(0.0, 1.0, (2, 5)), (2, 5), bt.float32),
        (lambda: bt.normal(bt.zeros(3, 1), bt.ones(1, 4)), (3, 4), bt.float32),
        (lambda: bt.bernoulli(bt.full((2,), 0.5)), (2,), bt.float32),
        (lambda: bt.bernoulli(bt.zeros(2, dtype=bt.int64), 0.5), (2,), bt.int64),
        (lambda: bt.multinomial(bt.ones(2, 5), 3), (2, 3), bt.int64),
        (lambda: bt.multinomial(bt.ones(5), 7, replacement=True), (7,), bt.int64),
        (lambda: bt.poisson(bt.ones(2, 2)), (2, 2), bt.float32),
    ],
)
def test_shape_and_dtype(make, shape, dtype):
    t = make()
    assert tuple(t.shape) == shape
    assert t.dtype is dtype


def test_requires_grad_and_empty_sizes():
    assert bt.rand(2, requires_grad=True).requires_grad
    assert tuple(bt.randn(0, 3).shape) == (0, 3)
    assert tuple(bt.randperm(0).shape) == (0,)


def test_in_place_fills_keep_dtype_and_return_self():
    for fill in (
        lambda t: t.uniform_(-1, 1),
        lambda t: t.normal_(2, 3),
        lambda t: t.random_(0, 5),
        lambda t: t.bernoulli_(0.3),
        lambda t: t.exponential_(2.0),
        lambda t: t.geometric_(0.4),
        lambda t: t.log_normal_(0.0, 0.5),
        lambda t: t.cauchy_(),
    ):
        t = bt.zeros(5, dtype=bt.float64)
        assert fill(t) is t
        assert t.dtype is bt.float64


# ---------------------------------------------------------------- statistics and structure


def test_distributions_look_right():
    bt.manual_seed(1)
    normal = to_np(bt.randn(20000))
    assert abs(normal.mean()) < 0.03 and abs(normal.std() - 1) < 0.03
    uniform = to_np(bt.rand(20000, dtype=bt.float64))
    assert uniform.min() >= 0 and uniform.max() < 1 and abs(uniform.mean() - 0.5) < 0.01
    ints = to_np(bt.randint(-3, 4, (5000,)))
    assert ints.min() == -3 and ints.max() == 3
    assert sorted(to_np(bt.randperm(50)).tolist()) == list(range(50))
    assert abs(to_np(bt.empty(20000).bernoulli_(0.25)).mean() - 0.25) < 0.02
    assert abs(to_np(bt.empty(20000).exponential_(4.0)).mean() - 0.25) < 0.01
    assert abs(to_np(bt.poisson(bt.full((5000,), 12.0))).mean() - 12) < 0.3
    rows = to_np(bt.multinomial(bt.rand(6, 10) + 0.01, 10))
    assert all(sorted(row) == list(range(10)) for row in rows.tolist())


def test_multinomial_never_picks_zero_weight_categories():
    draws = to_np(bt.multinomial(bt.tensor([0.0, 1.0, 0.0, 3.0]), 200, replacement=True))
    assert set(draws.tolist()) <= {1, 3}


@numpy_only
def test_fill_of_a_transposed_view_walks_memory_order():
    bt.manual_seed(0)
    base = bt.empty(5, 7)
    base.t().uniform_()
    bt.manual_seed(0)
    assert _values(base) == _values(bt.rand(5, 7))


# ---------------------------------------------------------------- gradients


def test_normal_gives_zero_gradients_like_torch():
    mean = bt.zeros(3, requires_grad=True)
    std = bt.ones(3, requires_grad=True)
    out = bt.normal(mean, std)
    assert type(out.grad_fn).__name__ == "NormalBackward3"
    out.sum().backward()
    assert _values(mean.grad) == [0.0, 0.0, 0.0]
    assert _values(std.grad) == [0.0, 0.0, 0.0]
    assert type(bt.normal(mean, 2.0).grad_fn).__name__ == "NormalBackward1"
    assert type(bt.normal(0.0, std).grad_fn).__name__ == "NormalBackward2"


def test_in_place_fill_of_a_non_leaf_cuts_the_gradient():
    x = bt.ones(3, requires_grad=True)
    y = x * 2
    y.uniform_()
    assert type(y.grad_fn).__name__ == "UniformBackward0"
    y.sum().backward()
    assert _values(x.grad) == [0.0, 0.0, 0.0]


def test_bernoulli_of_probabilities_has_zero_gradient():
    p = bt.full((4,), 0.5, requires_grad=True)
    bt.bernoulli(p).sum().backward()
    assert _values(p.grad) == [0.0] * 4


def test_in_place_fill_of_a_leaf_that_requires_grad_raises():
    w = bt.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.uniform_()
    with bt.no_grad():
        w.uniform_()  # what nn.init does
