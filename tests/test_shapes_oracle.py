"""Shape, indexing and view ops compared with PyTorch on hypothesis-drawn shapes: values,
dtypes, gradients, which results are views, and the exception types."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt

from .helpers import to_np

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

SETTINGS = settings(max_examples=20, deadline=None)
shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _run(lib, op, arrays, grad):
    inputs = [
        lib.tensor(a, requires_grad=grad and a.dtype.kind == "f")
        if isinstance(a, np.ndarray)
        else a
        for a in arrays
    ]
    try:
        out = op(lib, *inputs)
    except Exception as error:  # compared with torch's below
        return error, inputs
    return out, inputs


def _as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def compare(op, *arrays, grad=True, views=True):
    """Run `op(lib, *tensors)` with torch and bridgetensor; compare everything observable."""
    theirs, their_inputs = _run(torch, op, arrays, grad)
    ours, our_inputs = _run(bt, op, arrays, grad)
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"torch raised {theirs!r}; we returned {ours!r}"
        expected = type(theirs)
        if expected is torch.OutOfMemoryError:  # never expected here
            raise theirs
        assert isinstance(ours, expected), f"torch raised {theirs!r}; we raised {ours!r}"
        return
    if isinstance(ours, Exception):
        raise AssertionError(f"torch returned; we raised {ours!r}") from ours
    theirs, ours = _as_tuple(theirs), _as_tuple(ours)
    assert len(theirs) == len(ours)
    for t, o in zip(theirs, ours):
        assert tuple(o.shape) == tuple(t.shape)
        assert o.dtype.name == str(t.dtype).removeprefix("torch.")
        np.testing.assert_allclose(to_np(o), t.detach().numpy(), rtol=1e-12, atol=1e-12)
        if views:
            assert (o._base is not None) == (t._base is not None), "view or copy differs"
    if not grad:
        return
    rng = np.random.default_rng(1)
    cotangents = [rng.standard_normal(tuple(t.shape)) for t in theirs]
    pairs = [(t, o, c) for t, o, c in zip(theirs, ours, cotangents) if t.requires_grad]
    if not pairs:
        return
    sum(((t * torch.tensor(c)).sum() for t, _, c in pairs), torch.tensor(0.0)).backward()
    sum(((o * bt.tensor(c)).sum() for _, o, c in pairs), bt.tensor(0.0)).backward()
    for t, o in zip(their_inputs, our_inputs):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            want = t.grad.numpy() if t.grad is not None else np.zeros(tuple(t.shape))
            got = to_np(o.grad) if o.grad is not None else np.zeros(tuple(o.shape))
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def dim_of(data, ndim, extra=1):
    """A dimension, sometimes out of range (to compare errors)."""
    return data.draw(st.integers(-ndim - extra, ndim - 1 + extra))


# ---------------------------------------------------------------- views and reshapes


@SETTINGS
@given(shapes, st.data())
def test_reshape_family(shape, data):
    x = _data(shape)
    numel = x.size
    divisors = [d for d in range(1, numel + 1) if numel % d == 0]
    first = data.draw(st.sampled_from(divisors))
    compare(lambda m, t: t.view(first, -1), x)
    compare(lambda m, t: m.reshape(t, (-1, first)), x)
    compare(lambda m, t: t.transpose(0, -1).reshape(first, -1), x)
    start, end = dim_of(data, len(shape), 0), dim_of(data, len(shape), 0)
    compare(lambda m, t: m.flatten(t, start, end), x)
    compare(lambda m, t: t.ravel(), x)
    d = dim_of(data, len(shape), 0)
    compare(lambda m, t: t.unflatten(d, (1, shape[d], 1)), x)
    size = data.draw(st.integers(1, 30))
    compare(lambda m, t: t.view(size), x)


@SETTINGS
@given(shapes, st.data())
def test_dimension_reordering(shape, data):
    x = _data(shape)
    ndim = len(shape)
    perm = data.draw(st.permutations(range(ndim)))
    compare(lambda m, t: t.permute(*perm), x)
    d0, d1 = dim_of(data, ndim), dim_of(data, ndim)
    compare(lambda m, t: m.transpose(t, d0, d1), x)
    compare(lambda m, t: t.swapaxes(d0, d1), x)
    compare(lambda m, t: m.movedim(t, d0, d1), x)
    compare(lambda m, t: t.mT, x)
    compare(lambda m, t: t.T if t.ndim in (0, 2) else t.permute(*reversed(range(t.ndim))), x)
    compare(lambda m, t: t[(0,) * max(ndim - 2, 0)].t(), x)


@SETTINGS
@given(st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple), st.data())
def test_squeeze_unsqueeze_expand(shape, data):
    x = _data(shape)
    ndim = len(shape)
    d = dim_of(data, ndim)
    compare(lambda m, t: t.squeeze(), x)
    compare(lambda m, t: t.squeeze(d), x)
    dims = tuple(data.draw(st.lists(st.integers(-ndim, ndim - 1), max_size=2, unique=True)))
    compare(lambda m, t: t.squeeze(dims), x)
    new = dim_of(data, ndim + 1)
    compare(lambda m, t: m.unsqueeze(t, new), x)
    target = tuple(data.draw(st.sampled_from([n, -1] if n != 1 else [1, 3, -1])) for n in shape)
    lead = tuple(data.draw(st.lists(st.integers(1, 2), max_size=2)))
    compare(lambda m, t: t.expand(*lead, *target), x)


@SETTINGS
@given(shapes, st.data())
def test_narrow_select_diagonal(shape, data):
    x = _data(shape)
    ndim = len(shape)
    d = dim_of(data, ndim, 0)
    n = shape[d]
    start = data.draw(st.integers(-n, n))
    length = data.draw(st.integers(0, n + 1))
    compare(lambda m, t: m.narrow(t, d, start, length), x)
    index = data.draw(st.integers(-n - 1, n))
    compare(lambda m, t: t.select(d, index), x)
    if ndim >= 2:
        d1, d2 = dim_of(data, ndim, 0), dim_of(data, ndim, 0)
        offset = data.draw(st.integers(-3, 3))
        compare(lambda m, t: m.diagonal(t, offset, d1, d2), x)


# ---------------------------------------------------------------- splits and joins


@SETTINGS
@given(shapes, st.data())
def test_splits(shape, data):
    x = _data(shape)
    ndim = len(shape)
    d = dim_of(data, ndim, 0)
    n = shape[d]
    size = data.draw(st.integers(1, n + 1))
    compare(lambda m, t: t.split(size, d), x)
    sizes = data.draw(st.lists(st.integers(0, n), min_size=1, max_size=3))
    compare(lambda m, t: m.split(t, sizes, d), x)
    chunks, sections = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    compare(lambda m, t: t.chunk(chunks, d), x)
    compare(lambda m, t: m.tensor_split(t, sections, d), x)
    cuts = data.draw(st.lists(st.integers(-n, n + 1), max_size=3))
    compare(lambda m, t: t.tensor_split(cuts, d), x)
    compare(lambda m, t: m.unbind(t, d), x)
    parts = data.draw(st.integers(1, 3))
    compare(lambda m, t: m.hsplit(t, parts), x)
    compare(lambda m, t: m.vsplit(t, parts), x)


@SETTINGS
@given(shapes, st.data())
def test_joins(shape, data):
    x = _data(shape)
    ndim = len(shape)
    d = dim_of(data, ndim)
    other = list(shape)
    other[d % ndim] = data.draw(st.integers(1, 3))
    y = _data(tuple(other), 2)
    compare(lambda m, a, b: m.cat([a, b], d), x, y)
    compare(lambda m, a, b: m.stack([a, a * 2, b], d), x, y)
    compare(lambda m, a, b: m.hstack([a, b]), x, y)
    compare(lambda m, a, b: m.vstack([a, b]), x, y)
    compare(lambda m, a, b: m.dstack([a, b]), x, y)
    compare(lambda m, a, b: m.column_stack([a, b]), x, y)


@SETTINGS
@given(shapes, st.data())
def test_repeats_flips_triangles(shape, data):
    x = _data(shape)
    ndim = len(shape)
    reps = tuple(data.draw(st.lists(st.integers(1, 2), min_size=ndim - 1, max_size=ndim + 1)))
    compare(lambda m, t: t.repeat(*reps), x)
    compare(lambda m, t: m.tile(t, reps), x)
    d = data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1)))
    times = data.draw(st.integers(0, 2))
    # torch's repeat_interleave returns a view of a temporary: its _base says nothing.
    compare(lambda m, t: m.repeat_interleave(t, times, d), x, views=False)
    if d is not None:
        counts = np.random.default_rng(3).integers(0, 3, shape[d])
        compare(lambda m, t: t.repeat_interleave(m.tensor(counts), dim=d), x, views=False)
    dims = tuple(data.draw(st.lists(st.integers(-ndim, ndim - 1), max_size=2)))
    compare(lambda m, t: m.flip(t, dims), x)
    shifts = data.draw(st.integers(-5, 5))
    compare(lambda m, t: m.roll(t, shifts, d), x)
    k = data.draw(st.integers(-3, 3))
    compare(lambda m, t: m.tril(t, k), x)
    compare(lambda m, t: t.triu(k), x)
    compare(lambda m, t: m.diag(t, k), x)
    dims = data.draw(st.sampled_from([(-2, -1), (0, 2), (1, 0)]))
    compare(lambda m, t: m.diag_embed(t, k, *dims), x)


# ---------------------------------------------------------------- indexing


def basic_keys(shape):
    entry = st.one_of(
        st.integers(-5, 5),
        st.builds(
            slice,
            st.none() | st.integers(-5, 5),
            st.none() | st.integers(-5, 5),
            st.none() | st.integers(1, 3),
        ),
        st.none(),
        st.just(Ellipsis),
    )
    # torch expands a second ellipsis into axes that do not exist; we refuse such keys
    return (
        st.lists(entry, max_size=len(shape) + 1).filter(lambda k: k.count(Ellipsis) < 2).map(tuple)
    )


@SETTINGS
@given(shapes, st.data())
def test_basic_reads_and_writes(shape, data):
    x = _data(shape)
    key = data.draw(basic_keys(shape))
    compare(lambda m, t: t[key], x)

    def write(m, t, v):
        y = t * 1.0
        y[key] = v
        return y

    try:
        target = x[key]
        value = _data(np.shape(target)[data.draw(st.integers(0, max(np.ndim(target), 0))) :], 4)
    except IndexError:
        value = _data((1,), 4)
    compare(write, x, value, views=False)


@SETTINGS
@given(shapes, st.data())
def test_advanced_reads_and_writes(shape, data):
    x = _data(shape)
    ndim = len(shape)
    key = []
    for n in shape[: data.draw(st.integers(1, ndim))]:
        kind = data.draw(st.sampled_from(["array", "int", "slice", "mask"]))
        if kind == "array":
            key.append(
                np.random.default_rng(len(key)).integers(-n, n, data.draw(st.integers(0, 3)))
            )
        elif kind == "int":
            key.append(data.draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            key.append(slice(data.draw(st.integers(0, n)), None))
        else:
            key.append(np.random.default_rng(7).random(n) > 0.4)
    arrays = [k for k in key if isinstance(k, np.ndarray) and k.dtype != bool]
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        arrays_ok = False
    else:
        arrays_ok = True

    def as_key(m):
        return tuple(m.tensor(k) if isinstance(k, np.ndarray) else k for k in key)

    compare(lambda m, t: t[as_key(m)], x)
    if arrays_ok:

        def write(m, t, v):
            y = t * 1.0
            y[as_key(m)] = v
            return y

        compare(write, x, _data((1,), 5), views=False)

        def accumulate(m, t, v):
            return t.index_put(
                tuple(k for k in as_key(m) if not isinstance(k, (int, slice))), v, True
            )

        if all(not isinstance(k, (int, slice)) for k in key):
            compare(accumulate, x, _data((1,), 6), views=False)


@SETTINGS
@given(shapes, st.data())
def test_gathers_and_scatters(shape, data):
    x = _data(shape)
    ndim = len(shape)
    d = dim_of(data, ndim, 0)
    rng = np.random.default_rng(data.draw(st.integers(0, 100)))
    index_shape = tuple(int(rng.integers(1, n + 1)) for n in shape)
    index = rng.integers(0, shape[d], index_shape)
    src = _data(index_shape, 8)
    compare(lambda m, t, s: m.gather(t, d, m.tensor(index)), x, src)
    compare(lambda m, t, s: t.scatter(d, m.tensor(index), s), x, src)
    compare(lambda m, t, s: m.scatter(t, d, m.tensor(index), 2.5), x, src)
    compare(lambda m, t, s: m.scatter_add(t, d, m.tensor(index), s), x, src)
    compare(lambda m, t, s: m.take_along_dim(t, m.tensor(index), d), x, src)
    picks = rng.integers(-shape[d], shape[d], int(rng.integers(0, 4)))
    compare(lambda m, t: m.index_select(t, d, m.tensor(picks % shape[d])), x)
    source_shape = list(shape)
    source_shape[d] = len(picks)
    source = _data(tuple(source_shape), 9)
    compare(lambda m, t, s: t.index_add(d, m.tensor(picks % shape[d]), s, alpha=2.0), x, source)
    unique = np.unique(picks % shape[d])
    source_shape[d] = len(unique)
    compare(lambda m, t, s: m.index_copy(t, d, m.tensor(unique), s), x, _data(tuple(source_shape)))
    compare(lambda m, t: t.index_fill(d, m.tensor(picks % shape[d]), -1.0), x)
    flat = rng.integers(-x.size, x.size, int(rng.integers(0, 4)))
    compare(lambda m, t: m.take(t, m.tensor(flat)), x)
    compare(lambda m, t, s: t.put(m.tensor(flat), s, True), x, _data(flat.shape, 10))
    mask = rng.random(shape[-data.draw(st.integers(1, ndim)) :]) > 0.5
    compare(lambda m, t: m.masked_select(t, m.tensor(mask)), x)
    compare(lambda m, t, s: t.masked_scatter(m.tensor(mask), s), x, _data((x.size,), 11))


# ---------------------------------------------------------------- in-place ops on views


VIEW_STEPS = [
    lambda t: t[0],
    lambda t: t[..., 1:],
    lambda t: t.transpose(0, -1),
    lambda t: t.unsqueeze(0),
    lambda t: t.reshape(-1),
    lambda t: t.narrow(-1, 0, 1),
    lambda t: t.diagonal() if t.ndim >= 2 else t,
]


@SETTINGS
@given(
    st.lists(st.integers(1, 3), min_size=2, max_size=3).map(tuple),
    st.lists(st.integers(0, len(VIEW_STEPS) - 1), min_size=1, max_size=3),
    st.sampled_from(["mul_", "add_", "setitem", "exp_", "index_add_"]),
    st.booleans(),
)
def test_in_place_ops_on_views_update_gradients_like_torch(shape, steps, op, other_view):
    x = _data(shape)

    def run(m, a, v):
        b = a * 1.0
        view = b
        for s in steps:
            if view.ndim == 0:
                break
            view = VIEW_STEPS[s](view)
        sibling = b[..., :1] if other_view else b
        value = v.reshape(-1)[0]
        if op == "mul_" or not view.numel() or (op == "index_add_" and not view.ndim):
            view.mul_(value)
        elif op == "add_":
            view.add_(value * 2.0)
        elif op == "exp_":
            view.exp_() if m is torch else bt.ops.exp.inplace(view)
        elif op == "index_add_" and view.numel() and view.ndim:  # torch fails on empty ones
            view.index_add_(-1, m.tensor([0, 0]), value.expand(*view.shape[:-1], 2))
        else:
            view[...] = value
        return b * 1.0, view * 1.0, sibling * 3.0

    compare(run, x, _data((1,), 12), views=False)
