"""Edge cases of reductions, statistics and scans: ties, NaN, empty and 0-d inputs, dims,
dtypes, torch's gradient conventions, and every error these functions raise."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor import autograd, ops

from .helpers import to_np

nan, inf = float("nan"), float("inf")


def leaf(values, dtype=bt.float64):
    return bt.tensor(values, dtype=dtype, requires_grad=True)


def grad_of(f, values):
    x = leaf(values)
    (g,) = autograd.grad(f(x), [x])
    return to_np(g).tolist()


def same(t, expected):
    np.testing.assert_array_equal(to_np(t), np.asarray(expected))


# ------------------------------------------------------------------ dtypes and dims


@pytest.mark.parametrize("dtype", [bt.int8, bt.int32, bt.uint8, bt.bool])
def test_integer_and_bool_sums_and_products_are_int64(dtype):
    x = bt.tensor([1, 1, 0], dtype=dtype)
    for f in (bt.sum, bt.prod, bt.nansum):
        assert f(x).dtype is bt.int64
    assert bt.cumsum(x, 0).dtype is bt.int64
    assert bt.cumprod(x, 0).dtype is bt.int64
    assert bt.sum(x, dtype=bt.float32).dtype is bt.float32


def test_mean_of_integers_needs_a_dtype():
    x = bt.tensor([1, 2])
    with pytest.raises(RuntimeError, match=r"mean\(\): could not infer output dtype.*Got: Long"):
        bt.mean(x)
    with pytest.raises(RuntimeError, match=r"nanmean\(\): expected input .* got Long"):
        bt.nanmean(x)
    assert bt.mean(x, dtype=bt.float64).item() == 1.5


def test_dims_negative_tuples_lists_and_keepdim():
    x = bt.arange(24.0).reshape(2, 3, 4)
    same(bt.sum(x, -1), to_np(x).sum(-1))
    same(bt.sum(x, (0, -1), keepdim=True), to_np(x).sum((0, 2), keepdims=True))
    same(bt.amax(x, [1, 2]), to_np(x).max((1, 2)))
    same(bt.mean(x, ()), to_np(x).mean())


def test_zero_dim_tensors_accept_dim_0_and_minus_1():
    x = bt.tensor(3.0)
    for f in (bt.sum, bt.mean, bt.amax, bt.logsumexp):
        assert f(x, 0).item() == pytest.approx(3.0)
    values, indices = bt.max(x, -1)
    assert values.item() == 3.0 and indices.item() == 0
    assert bt.cumsum(x, 0).shape == () and bt.cummax(x, 0).indices.item() == 0
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)",
    ):
        bt.sum(x, 1)


def test_bad_dims_raise_as_torch():
    x = bt.ones(2, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        bt.sum(x, 2)
    with pytest.raises(RuntimeError, match="appears multiple times in the list of dims"):
        bt.sum(x, (0, 0))
    with pytest.raises(TypeError, match=r"prod\(\): argument 'dim' must be int, not tuple"):
        bt.prod(x, (0,))
    with pytest.raises(TypeError, match=r"max\(\): argument 'dim' must be int, not tuple"):
        bt.max(x, (0,))


def test_all_any_keep_uint8_and_count_nonzero():
    x = bt.tensor([1, 2, 0], dtype=bt.uint8)
    assert bt.all(x).dtype is bt.uint8 and bt.all(x).item() == 0
    assert bt.any(bt.tensor([0.0, 2.0])).dtype is bt.bool
    assert bt.count_nonzero(bt.tensor([[0.0, nan], [2.0, 0.0]])).item() == 2
    same(bt.tensor([[0, 1], [2, 3]]).count_nonzero(dim=1), [1, 2])


# ------------------------------------------------------------------ max / min conventions


def test_full_max_and_amax_share_ties_evenly():
    assert grad_of(lambda x: x.max(), [1.0, 3.0, 3.0, 2.0]) == [0.0, 0.5, 0.5, 0.0]
    assert grad_of(lambda x: x.amin(), [1.0, 3.0, 1.0, 2.0]) == [0.5, 0.0, 0.5, 0.0]
    assert grad_of(lambda x: x.amax(1).sum(), [[2.0, 2.0], [1.0, 0.0]]) == [[0.5, 0.5], [1.0, 0.0]]


def test_full_max_with_nan_gives_the_gradient_to_the_nans():
    assert grad_of(lambda x: x.max(), [1.0, nan, 3.0, nan]) == [0.0, 0.5, 0.0, 0.5]


def test_max_with_dim_gives_the_gradient_to_the_first_index():
    result = bt.max(bt.tensor([[1.0, 3.0, 3.0]]), 1, keepdim=True)
    assert result._fields == ("values", "indices") and result.indices.tolist() == [[1]]
    assert "return_types.max(" in repr(result)
    assert grad_of(lambda x: x.max(0).values, [1.0, 3.0, 3.0]) == [0.0, 1.0, 0.0]
    assert grad_of(lambda x: x.min(0).values, [nan, 1.0, nan]) == [1.0, 0.0, 0.0]


def test_binary_max_is_the_elementwise_maximum():
    same(bt.max(bt.tensor([1.0, 5.0]), bt.tensor([3.0, 2.0])), [3.0, 5.0])
    same(bt.min(bt.tensor([1, 5]), bt.tensor([3, 2])), [1, 2])


def test_argmax_keepdim_without_dim_and_its_refusals():
    assert bt.argmax(bt.ones(2, 3), keepdim=True).shape == (1, 1)
    with pytest.raises(RuntimeError, match=r"argmax\(\): does not support bool input"):
        bt.argmax(bt.tensor([True]))


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_extremes_of_empty_inputs_raise(name):
    f = getattr(bt, name)
    with pytest.raises(
        RuntimeError,
        match=rf"{name}\(\): Expected reduction dim to be specified for input.numel\(\) == 0",
    ):
        f(bt.zeros(0))
    with pytest.raises(
        IndexError, match=rf"{name}\(\): Expected reduction dim 0 to have non-zero size"
    ):
        f(bt.zeros(0, 2), 0)
    result = f(bt.zeros(0, 2), 1)
    assert (result[0] if name in ("max", "min") else result).shape == (0,)


def test_empty_arg_extremes_and_aminmax_raise():
    with pytest.raises(IndexError, match=r"argmin\(\): Expected reduction dim to be specified"):
        bt.argmin(bt.zeros(0))
    with pytest.raises(RuntimeError, match=r"aminmax\(\): cannot compute aminmax over an empty"):
        bt.aminmax(bt.zeros(0))
    result = bt.aminmax(bt.tensor([[1, 3], [0, 2]]), dim=0, keepdim=True)
    assert result._fields == ("min", "max")
    same(result.min, [[0, 2]])


def test_prod_gradient_is_exact_at_zeros():
    assert grad_of(lambda x: x.prod(), [0.0, 3.0, 1.0, 2.0]) == [6.0, 0.0, 0.0, 0.0]
    assert grad_of(lambda x: x.prod(), [0.0, 3.0, 0.0, 2.0]) == [0.0, 0.0, 0.0, 0.0]


def test_nansum_and_nanmean_ignore_nan_with_zero_gradient():
    assert grad_of(lambda x: bt.nansum(x), [1.0, nan, 2.0]) == [1.0, 0.0, 1.0]
    assert grad_of(lambda x: bt.nanmean(x), [1.0, nan, 3.0]) == [0.5, 0.0, 0.5]
    assert math.isnan(bt.nanmean(bt.tensor([nan, nan])).item())


# ------------------------------------------------------------------ var / std


def test_var_and_std_are_unbiased_by_default_and_accept_torch_overloads():
    x = bt.tensor([1.0, 2.0, 4.0])
    assert bt.var(x).item() == pytest.approx(7 / 3)
    assert bt.var(x, False).item() == pytest.approx(14 / 9)
    assert bt.var(x, 0, False, True).shape == (1,)
    assert bt.var(x, correction=2).item() == pytest.approx(14 / 3)
    assert x.std(unbiased=False).item() == pytest.approx(math.sqrt(14 / 9))
    var, mean = bt.var_mean(x, correction=0)
    assert var.item() == pytest.approx(14 / 9) and mean.item() == pytest.approx(7 / 3)
    std, mean = bt.std_mean(bt.ones(2, 3), dim=1, keepdim=True)
    assert std.shape == mean.shape == (2, 1)


def test_var_without_degrees_of_freedom_warns_and_gives_nan_or_inf():
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
        assert math.isnan(bt.var(bt.tensor([1.0])).item())
    with pytest.warns(UserWarning, match=r"std\(\): degrees of freedom is <= 0"):
        assert bt.std(bt.tensor([1.0, 2.0]), correction=3).item() == inf


def test_std_gradient_is_zero_for_constant_input():
    assert grad_of(lambda x: x.std(), [2.0, 2.0, 2.0]) == [0.0, 0.0, 0.0]


def test_var_refusals():
    with pytest.raises(
        RuntimeError, match="std and var only support floating point and complex dtypes"
    ):
        bt.var(bt.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"var\(\): pass either unbiased or correction, not both"):
        bt.var(bt.ones(3), 0, True, correction=1)


# ------------------------------------------------------------------ logsumexp / softmax


def test_logsumexp_is_stable_and_handles_infinities():
    assert bt.logsumexp(bt.tensor([1000.0, 1000.0]), 0).item() == pytest.approx(1000 + math.log(2))
    assert bt.logsumexp(bt.tensor([-inf, -inf]), 0).item() == -inf
    assert bt.logsumexp(bt.tensor([inf, 1.0]), 0).item() == inf
    same(bt.logsumexp(bt.zeros(0, 2), 0), [-inf, -inf])
    assert bt.logsumexp(bt.tensor([1, 2]), 0).dtype is bt.float32


def test_logsumexp_gradient_is_the_softmax():
    x = [0.0, math.log(3.0)]
    assert grad_of(lambda x: bt.logsumexp(x, 0), x) == pytest.approx([0.25, 0.75])


def test_softmax_and_log_softmax_are_stable():
    x = bt.tensor([[1000.0, 1000.0], [-inf, 0.0]])
    same(bt.softmax(x, 1), [[0.5, 0.5], [0.0, 1.0]])
    same(x.log_softmax(1)[1, :], [-inf, 0.0])
    assert grad_of(lambda x: bt.log_softmax(x, 0).sum(), [-inf, 0.0]) == [1.0, -1.0]
    assert bt.softmax(bt.tensor([1, 2]), 0, dtype=bt.float64).dtype is bt.float64
    assert bt.softmax(bt.tensor(3.0), 0).item() == 1.0


def test_softmax_refusals():
    with pytest.raises(
        TypeError, match=r"softmax\(\): argument 'dim' \(position 2\) must be int, not NoneType"
    ):
        bt.softmax(bt.ones(2), None)
    with pytest.raises(NotImplementedError, match="\"log_softmax\" not implemented for 'Long'"):
        bt.log_softmax(bt.tensor([1, 2]), 0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        bt.ones(2).softmax(1)


# ------------------------------------------------------------------ median, quantile, mode


def test_median_is_the_lower_middle_and_propagates_nan():
    assert bt.median(bt.tensor([4.0, 1.0, 3.0, 2.0])).item() == 2.0
    assert math.isnan(bt.median(bt.tensor([1.0, nan, 3.0])).item())
    assert bt.nanmedian(bt.tensor([1.0, nan, 3.0, 2.0])).item() == 2.0
    values, indices = bt.median(bt.tensor([[1.0, nan, 3.0, nan]]), 1)
    assert math.isnan(values.item()) and indices.item() == 1
    assert bt.nanmedian(bt.tensor([nan, nan]), 0).indices.item() == 0
    assert math.isnan(bt.median(bt.zeros(0)).item())
    with pytest.raises(
        IndexError, match=r"median\(\): Expected reduction dim 0 to have non-zero size"
    ):
        bt.nanmedian(bt.zeros(0, 2), 0)


def test_median_gradient_ties_share_without_dim_and_go_to_the_index_with_it():
    assert grad_of(lambda x: x.median(), [2.0, 1.0, 2.0, 2.0]) == pytest.approx(
        [1 / 3, 0, 1 / 3, 1 / 3]
    )
    x = leaf([2.0, 1.0, 2.0, 2.0])
    values, indices = x.median(0)
    values.backward()
    assert to_np(x.grad).tolist() == [1.0 if i == indices.item() else 0.0 for i in range(4)]


def test_quantile_interpolates_like_torch():
    x = bt.tensor([1.0, 2.0, 3.0, 4.0])
    # rank 0.4 * 3 = 1.2: between 2 and 3.
    expected = {"linear": 2.2, "lower": 2.0, "higher": 3.0, "midpoint": 2.5, "nearest": 2.0}
    for method, value in expected.items():
        assert bt.quantile(x, 0.4, interpolation=method).item() == pytest.approx(value)
    q = bt.tensor([0.0, 1.0])
    assert bt.quantile(bt.ones(2, 3), q, dim=1, keepdim=True).shape == (2, 2, 1)
    assert bt.quantile(bt.ones(2, 3), q, keepdim=True).shape == (2, 1, 1)
    assert math.isnan(bt.quantile(bt.tensor([1.0, nan]), 0.5).item())
    assert bt.nanquantile(bt.tensor([1.0, nan, 3.0]), 0.5).item() == 2.0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            (bt.tensor([1, 2]), 0.5),
            {},
            r"quantile\(\) input tensor must be either float or double dtype",
        ),
        ((bt.ones(2), 1.5), {}, r"quantile\(\) q must be in the range \[0, 1\] but got 1.5"),
        (
            (bt.ones(2), bt.tensor([-0.5])),
            {},
            r"quantile\(\) q values must be in the range \[0, 1\]",
        ),
        ((bt.ones(2), bt.ones(1, 1)), {}, r"quantile\(\) q must be a scalar or 1D tensor"),
        (
            (bt.ones(2), bt.ones(1, dtype=bt.float64)),
            {},
            "q tensor must be same dtype as the input",
        ),
        ((bt.zeros(0), 0.5), {}, r"quantile\(\) input tensor must be non-empty"),
        ((bt.ones(2), 0.5), {"interpolation": "cubic"}, "interpolation must be one of linear"),
    ],
)
def test_quantile_refusals(args, kwargs, message):
    with pytest.raises(RuntimeError, match=message):
        bt.quantile(*args, **kwargs)


def test_mode_takes_the_smallest_most_frequent_value_at_its_last_index():
    result = bt.mode(bt.tensor([[1.0, 2.0, 2.0, 3.0, 3.0, 1.0]]))
    assert result.values.item() == 1.0 and result.indices.item() == 5
    assert bt.tensor([3, 3, 1]).mode().indices.item() == 1
    assert grad_of(lambda x: x.mode().values, [1.0, 3.0, 3.0, 2.0]) == [0.0, 0.0, 1.0, 0.0]
    with pytest.raises(
        IndexError, match=r"mode\(\): Expected reduction dim 0 to have non-zero size"
    ):
        bt.mode(bt.zeros(0))


# ------------------------------------------------------------------ scans


def test_cumprod_gradient_is_exact_at_zeros():
    g = bt.tensor([1.0, 2.0, 3.0, 4.0])

    def grad(values):
        x = leaf(values)
        (result,) = autograd.grad(bt.cumprod(x, 0), [x], g[: len(values)])
        return to_np(result).tolist()

    # By hand: d/dx1 of [2, 2 x1, 6 x1, 24 x1] against g is 2*2 + 3*6 + 4*24 = 118.
    assert grad([2.0, 0.0, 3.0, 4.0]) == [1.0, 118.0, 0.0, 0.0]
    assert grad([2.0, 0.0, 0.0, 4.0]) == [1.0, 4.0, 0.0, 0.0]
    # Past the second zero no output depends on the first zero, a nan there included:
    # d/dx1 of [2, 2 x1, 0, nan] against g is 2*2 (torch gives the same).
    assert grad([2.0, 0.0, 0.0, math.nan]) == [1.0, 4.0, 0.0, 0.0]
    assert grad([1.0, 2.0, 3.0]) == [1 + 4 + 18, 2 + 9, 6]


def test_cumsum_in_place_and_dtype():
    x = bt.tensor([1.0, 2.0, 3.0])
    assert x.cumsum_(0) is x and x.tolist() == [1.0, 3.0, 6.0]
    same(bt.cumsum(bt.tensor([1, 2]), 0, dtype=bt.float32), [1.0, 3.0])


def test_cummax_and_cummin_take_the_latest_tie_and_propagate_nan():
    result = bt.cummax(bt.tensor([1.0, 3.0, 3.0, 2.0]), 0)
    assert result._fields == ("values", "indices") and result.indices.tolist() == [0, 1, 2, 2]
    same(bt.cummin(bt.tensor([1.0, nan, 0.0]), 0).indices, [0, 1, 1])
    assert grad_of(lambda x: x.cummax(0).values.sum(), [1.0, 3.0, 3.0, 2.0]) == [1.0, 1.0, 2.0, 0.0]


def test_logcumsumexp_is_stable():
    same(bt.logcumsumexp(bt.tensor([-1000.0, 0.0, 1000.0]), 0), [-1000.0, 0.0, 1000.0])
    same(bt.logcumsumexp(bt.tensor([-inf, -inf, 1.0]), 0), [-inf, -inf, 1.0])
    with pytest.raises(NotImplementedError, match="\"logcumsumexp\" not implemented for 'Long'"):
        bt.logcumsumexp(bt.tensor([1, 2]), 0)


def test_diff_orders_bools_and_padding():
    same(bt.diff(bt.tensor([1, 3, 6, 10]), n=2), [1, 1])
    same(bt.diff(bt.tensor([1.0, 2.0]), n=0), [1.0, 2.0])
    assert bt.diff(bt.tensor([1, 3]), n=3).shape == (0,)
    same(bt.diff(bt.tensor([True, False, False])), [True, False])
    padded = bt.diff(
        bt.tensor([[1.0, 3.0]]), dim=1, prepend=bt.tensor([[0.0]]), append=bt.tensor([[7.0]])
    )
    same(padded, [[1.0, 2.0, 4.0]])
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        bt.diff(bt.tensor(1.0))
    with pytest.raises(RuntimeError, match="order must be non-negative but got -1"):
        bt.diff(bt.ones(2), n=-1)
    with pytest.raises(
        RuntimeError, match="diff expects prepend or append to be the same dimension"
    ):
        bt.diff(bt.ones(2), prepend=bt.ones(1, 1))


def test_ops_level_scans_need_an_axis_beyond_1d():
    with pytest.raises(ValueError, match="cumulative_sum: axis must be given for a 2-d array"):
        ops.cumulative_sum(bt.ones(2, 2))
    same(ops.cumulative_prod(bt.tensor([2, 3]), include_initial=True), [1, 2, 6])


def test_methods_match_functions():
    x = bt.tensor([[3.0, 1.0], [2.0, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pairs = [
            (x.var(1), bt.var(x, 1)),
            (x.logsumexp(0), bt.logsumexp(x, 0)),
            (x.nanmedian(), bt.nanmedian(x)),
            (x.quantile(0.5, 1), bt.quantile(x, 0.5, 1)),
            (x.cumprod(1), bt.cumprod(x, 1)),
            (x.logcumsumexp(0), bt.logcumsumexp(x, 0)),
            (x.diff(dim=0), bt.diff(x, dim=0)),
            (x.nansum(0), bt.nansum(x, 0)),
        ]
    for a, b in pairs:
        same(a, to_np(b))
