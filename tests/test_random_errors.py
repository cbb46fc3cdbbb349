"""Every error the samplers raise: torch's exception type and message (tests/test_random_oracle.py
compares them with torch's own)."""

from __future__ import annotations

import math

import pytest

import bridgetensor as bt

from .helpers import to_np


def _values(t):
    return to_np(t).tolist()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: bt.rand(2.5),
            TypeError,
            "argument 'size' (position 1) must be tuple of ints, not float",
        ),
        (lambda: bt.rand(-1), RuntimeError, "negative dimension -1"),
        (lambda: bt.randn(), TypeError, 'randn() missing 1 required positional arguments: "size"'),
        (
            lambda: bt.rand(2, dtype=bt.int64),
            NotImplementedError,
            "\"check_uniform_bounds\" not implemented for 'Long'",
        ),
        (
            lambda: bt.randn(2, dtype=bt.int32),
            NotImplementedError,
            "\"normal_kernel_cpu\" not implemented for 'Int'",
        ),
        (
            lambda: bt.randint(5, 3, (2,)),
            RuntimeError,
            "random_ expects 'from' to be less than 'to', but got from=5 >= to=3",
        ),
        (
            lambda: bt.randint(2.5, (2,)),
            TypeError,
            "argument 'high' (position 1) must be int, not float",
        ),
        (
            lambda: bt.randint(5, 3),
            TypeError,
            "argument 'size' (position 2) must be tuple of ints, not int",
        ),
        (
            lambda: bt.randint(0, 300, (2,), dtype=bt.uint8),
            RuntimeError,
            "to - 1 is out of bounds for unsigned char",
        ),
        (
            lambda: bt.randint(-1, 5, (2,), dtype=bt.uint8),
            RuntimeError,
            "from is out of bounds for unsigned char",
        ),
        (lambda: bt.randperm(-1), RuntimeError, "negative dimension -1"),
        (
            lambda: bt.randperm(3, dtype=bt.bool),
            NotImplementedError,
            "\"randperm\" not implemented for 'Bool'",
        ),
        (lambda: bt.randperm(300, dtype=bt.uint8), RuntimeError, "without overflow"),
        (
            lambda: bt.empty(2).uniform_(1, 0),
            RuntimeError,
            "uniform_ expects to return a [from, to) range, but found from=1 > to=0",
        ),
        (
            lambda: bt.empty(2).uniform_(-math.inf, 0),
            RuntimeError,
            "from is out of bounds for float",
        ),
        (
            lambda: bt.empty(2, dtype=bt.float64).uniform_(-1e308, 1e308),
            RuntimeError,
            "uniform_ expects to-from <= std::numeric_limits<Double>::max()",
        ),
        (
            lambda: bt.empty(2, dtype=bt.int64).uniform_(),
            NotImplementedError,
            "\"check_uniform_bounds\" not implemented for 'Long'",
        ),
        (
            lambda: bt.empty(2).normal_(0, -1),
            RuntimeError,
            "normal expects std >= 0.0, but found std -1",
        ),
        (
            lambda: bt.empty(2, dtype=bt.int64).normal_(),
            NotImplementedError,
            "\"normal_kernel_cpu\" not implemented for 'Long'",
        ),
        (
            lambda: bt.normal(bt.zeros(2), -1.0),
            RuntimeError,
            "normal expects std >= 0.0, but found std -1",
        ),
        (
            lambda: bt.normal(bt.zeros(2), bt.tensor([1.0, -1.0])),
            RuntimeError,
            "normal expects all elements of std >= 0.0",
        ),
        (lambda: bt.normal(0.0, 1.0), TypeError, "give a size"),
        (
            lambda: bt.empty(2).bernoulli_(1.5),
            RuntimeError,
            "bernoulli_ expects p to be in [0, 1], but got p=1.5",
        ),
        (
            lambda: bt.bernoulli(bt.tensor([0.1, 2.0])),
            RuntimeError,
            "Expected p_in >= 0 && p_in <= 1 to be true",
        ),
        (
            lambda: bt.bernoulli(bt.tensor([0, 1])),
            NotImplementedError,
            "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'",
        ),
        (
            lambda: bt.empty(2, dtype=bt.complex64).bernoulli_(0.5),
            NotImplementedError,
            "\"bernoulli_scalar_cpu_\" not implemented for 'ComplexFloat'",
        ),
        (
            lambda: bt.empty(2).exponential_(0),
            RuntimeError,
            "exponential_ expects lambda > 0.0, but found lambda=0",
        ),
        (
            lambda: bt.empty(2, dtype=bt.int64).exponential_(),
            RuntimeError,
            "dtype must be a floating point but you specified Long",
        ),
        (
            lambda: bt.empty(2).geometric_(1.0),
            RuntimeError,
            "geometric_ expects p to be in (0, 1), but got p=1",
        ),
        (
            lambda: bt.empty(2, dtype=bt.bool).geometric_(0.5),
            NotImplementedError,
            "\"geometric_cpu\" not implemented for 'Bool'",
        ),
        (
            lambda: bt.empty(2).log_normal_(0, 0),
            RuntimeError,
            "log_normal_ expects std > 0.0, but found std=0",
        ),
        (
            lambda: bt.empty(2, dtype=bt.int64).log_normal_(),
            NotImplementedError,
            "\"log_normal_cpu\" not implemented for 'Long'",
        ),
        (
            lambda: bt.empty(2).cauchy_(0, -1),
            RuntimeError,
            "cauchy_ expects sigma > 0.0, but found sigma=-1",
        ),
        (lambda: bt.empty(2, dtype=bt.int64).cauchy_(), RuntimeError, "but you specified long int"),
        (
            lambda: bt.empty(2).random_(5, 2),
            RuntimeError,
            "random_ expects 'from' to be less than 'to', but got from=5 >= to=2",
        ),
        (
            lambda: bt.empty(2, dtype=bt.int8).random_(0, 300),
            RuntimeError,
            "to - 1 is out of bounds for signed char",
        ),
        (
            lambda: bt.empty(2, dtype=bt.bool).random_(5),
            RuntimeError,
            "to - 1 is out of bounds for bool",
        ),
        (
            lambda: bt.empty(2, dtype=bt.uint16).random_(),
            NotImplementedError,
            "\"random_kernel_cpu\" not implemented for 'UInt16'",
        ),
        (
            lambda: bt.empty(2, dtype=bt.complex64).random_(0, 5),
            RuntimeError,
            "check_random_bounds handles only integral",
        ),
        (
            lambda: bt.empty(2).random_(1.5),
            TypeError,
            "random_(): bounds must be integers; got float",
        ),
        (lambda: bt.multinomial(bt.ones(2, 2, 2), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
        (
            lambda: bt.multinomial(bt.tensor([1, 2]), 1),
            RuntimeError,
            "multinomial only supports floating-point dtypes for input, got: Long",
        ),
        (
            lambda: bt.multinomial(bt.ones(2), 0),
            RuntimeError,
            "cannot sample n_sample <= 0 samples",
        ),
        (
            lambda: bt.multinomial(bt.ones(2), 3),
            RuntimeError,
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement",
        ),
        (
            lambda: bt.multinomial(bt.tensor([-1.0, 2.0]), 1),
            RuntimeError,
            "probability tensor contains either `inf`, `nan` or element < 0",
        ),
        (
            lambda: bt.multinomial(bt.tensor([-1.0, 2.0]), 2, True),
            RuntimeError,
            "invalid multinomial distribution (encountering probability entry < 0)",
        ),
        (
            lambda: bt.multinomial(bt.tensor([math.nan, 2.0]), 2, True),
            RuntimeError,
            "encountering probability entry = infinity or NaN",
        ),
        (
            lambda: bt.multinomial(bt.zeros(2), 1),
            RuntimeError,
            "invalid multinomial distribution (sum of probabilities <= 0)",
        ),
        (
            lambda: bt.poisson(bt.tensor([-1.0])),
            RuntimeError,
            "invalid Poisson rate, expected rate to be non-negative",
        ),
        (
            lambda: bt.poisson(bt.tensor([1, 2])),
            NotImplementedError,
            "\"poisson_cpu\" not implemented for 'Long'",
        ),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)


def test_bad_input_leaves_the_tensor_and_stream_unchanged():
    t = bt.zeros(3)
    state = bt.get_rng_state()
    with pytest.raises(RuntimeError):
        t.bernoulli_(bt.tensor([0.5, 2.0, 0.5]))
    assert _values(t) == [0.0, 0.0, 0.0]
    assert to_np(bt.get_rng_state()).tolist() == to_np(state).tolist()


def test_random_beyond_float_precision_warns():
    with pytest.warns(UserWarning, match=r"to - 1 is out of bounds \[-\(2\^24\), 2\^24\]"):
        bt.empty(2).random_(0, 2**25)
