"""Views: writes through them reach the base, version counters are shared, and in-place ops
on views update the base's autograd history (torch's CopySlices)."""

from __future__ import annotations

import numpy as np
import pytest

import bridgetensor as bt

from .conftest import numpy_only
from .helpers import to_np

aliasing = pytest.mark.skipif(
    not bt.zeros(1)._be.views_alias,
    reason="the backend's views do not alias their base (JAX cannot write in place; "
    "a Dask slice is a new graph)",
)

# (name, bridgetensor view, the NumPy view of the same elements)
VIEWS = [
    ("int", lambda x: x[1], lambda a: a[1]),
    ("slice", lambda x: x[:, 1:3], lambda a: a[:, 1:3]),
    ("step", lambda x: x[..., ::2], lambda a: a[..., ::2]),
    ("none", lambda x: x[None, 0], lambda a: a[None, 0]),
    ("view", lambda x: x.view(6, 4), lambda a: a.reshape(6, 4)),
    ("reshape", lambda x: x.reshape(-1), lambda a: a.reshape(-1)),
    ("flatten", lambda x: x.flatten(1), lambda a: a.reshape(2, 12)),
    ("unflatten", lambda x: x.unflatten(2, (2, 2)), lambda a: a.reshape(2, 3, 2, 2)),
    ("transpose", lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    ("permute", lambda x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    ("mT", lambda x: x.mT, lambda a: a.swapaxes(-1, -2)),
    ("movedim", lambda x: x.movedim(0, -1), lambda a: np.moveaxis(a, 0, -1)),
    ("unsqueeze", lambda x: x.unsqueeze(1), lambda a: a[:, None]),
    ("squeeze", lambda x: x[:1].squeeze(0), lambda a: a[0]),
    ("narrow", lambda x: x.narrow(2, 1, 2), lambda a: a[:, :, 1:3]),
    ("select", lambda x: x.select(1, -1), lambda a: a[:, -1]),
    ("split", lambda x: x.split(2, dim=2)[1], lambda a: a[:, :, 2:4]),
    ("chunk", lambda x: x.chunk(3, dim=1)[2], lambda a: a[:, 2:3]),
    ("tensor_split", lambda x: x.tensor_split([1], dim=1)[1], lambda a: a[:, 1:]),
    ("unbind", lambda x: x.unbind(2)[3], lambda a: a[:, :, 3]),
    ("chain", lambda x: x[1].t()[::2].unsqueeze(0), lambda a: a[1].T[::2][None]),
]


def _base():
    return bt.arange(24, dtype=bt.float64).reshape(2, 3, 4).clone()


@aliasing
@pytest.mark.parametrize("name,view,ref", VIEWS, ids=[v[0] for v in VIEWS])
def test_writes_through_views_reach_the_base(name, view, ref):
    x = _base()
    expected = np.arange(24.0).reshape(2, 3, 4)
    v = view(x)
    v.mul_(-1.0)
    ref(expected)[...] *= -1.0
    np.testing.assert_array_equal(to_np(x), expected)
    assert x._version == v._version == 1


@aliasing
@pytest.mark.parametrize("name,view,ref", VIEWS, ids=[v[0] for v in VIEWS])
def test_setitem_through_views_reaches_the_base(name, view, ref):
    x = _base()
    expected = np.arange(24.0).reshape(2, 3, 4)
    view(x)[...] = 7.0
    ref(expected)[...] = 7.0
    np.testing.assert_array_equal(to_np(x), expected)


@numpy_only
@pytest.mark.parametrize("name,view,ref", VIEWS, ids=[v[0] for v in VIEWS])
def test_views_share_memory_with_the_base(name, view, ref):
    x = _base()
    v = view(x)
    assert v._base is x
    assert np.shares_memory(bt.to_numpy(v), bt.to_numpy(x))


@numpy_only
def test_diagonal_is_a_writable_view():
    x = bt.zeros(3, 4, dtype=bt.float64)
    x.diagonal(1).add_(1.0)
    np.testing.assert_array_equal(to_np(x), np.eye(3, 4, 1))


COPIES = [
    ("flip", lambda x: x.flip(0)),
    ("roll", lambda x: x.roll(1, 0)),
    ("repeat", lambda x: x.repeat(1, 1, 1)),
    ("cat", lambda x: bt.cat([x])),
    ("advanced", lambda x: x[[0, 1]]),
    ("mask", lambda x: x[x > 3]),
    ("reshape_strided", lambda x: x.transpose(0, 1).reshape(-1)),
    ("diag", lambda x: x[0].diag()),
]


@pytest.mark.parametrize("name,op", COPIES, ids=[c[0] for c in COPIES])
def test_copies_do_not_write_through(name, op):
    x = _base()
    out = op(x)
    out.mul_(0.0)
    np.testing.assert_array_equal(to_np(x), np.arange(24.0).reshape(2, 3, 4))
    assert x._version == 0


def test_views_share_the_version_counter():
    x = _base()
    v = x[0].t()
    x.add_(1.0)
    assert v._version == 1
    v.add_(1.0)
    assert x._version == 2


def test_saved_view_modified_in_place_fails_backward():
    a = bt.ones(3, dtype=bt.float64, requires_grad=True)
    b = a * 1.0
    v = b[1:]
    y = (v * v).sum()
    b.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


# ---------------------------------------------------------------- autograd through views


def leaf(values):
    return bt.tensor(values, dtype=bt.float64, requires_grad=True)


@aliasing
def test_in_place_op_on_a_view_updates_the_base_history():
    a = leaf([1.0, 1.0, 1.0])
    b = a.clone()
    b[0].mul_(2.0)
    b.sum().backward()
    assert a.grad.tolist() == [2.0, 1.0, 1.0]
    assert b.grad_fn.name() == "CopySlices"


@aliasing
def test_view_history_after_an_in_place_op_is_a_view_of_the_updated_base():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    b = a * 1.0
    v = b[0]
    v.mul_(3.0)
    assert v.grad_fn.name() == "AsStridedBackward0"
    (v * v).sum().backward()
    # v = 3 * a[0]: d(sum v^2)/d a[0] = 2 * 9 * a[0]
    assert a.grad.tolist() == [[18.0, 36.0], [0.0, 0.0]]


@aliasing
def test_setitem_routes_gradients_to_the_base_and_the_value():
    a = leaf([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    y = leaf([5.0, 6.0])
    x = a * 1.0
    x[:, 0] = y
    weights = bt.arange(6, dtype=bt.float64).reshape(2, 3)
    (x * weights).sum().backward()
    assert a.grad.tolist() == [[0.0, 1.0, 2.0], [0.0, 4.0, 5.0]]
    assert y.grad.tolist() == [0.0, 3.0]
    assert x.grad_fn.name() == "CopySlices"


@aliasing
def test_setitem_with_an_index_tensor_records_index_put():
    a = leaf([1.0, 2.0, 3.0])
    y = leaf([10.0])
    x = a * 2.0
    x[bt.tensor([0, 2])] = y
    assert x.grad_fn.name() == "IndexPutBackward0"
    x.sum().backward()
    assert a.grad.tolist() == [0.0, 2.0, 0.0]
    assert y.grad.tolist() == [2.0]


@aliasing
def test_a_view_made_before_another_write_sees_that_write_in_its_history():
    a = leaf([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    b = a * 1.0
    column = b[:, 0]
    row = b[0]
    row.mul_(3.0)
    (column * 1.0).sum().backward()
    assert a.grad.tolist() == [[3.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    assert column.grad_fn.name() == "AsStridedBackward0"


@aliasing
def test_write_through_a_chain_of_views():
    a = leaf([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    b = a * 1.0
    v = b.t()[1:]
    v[0, 1] = 10.0
    b.sum().backward()
    assert a.grad.tolist() == [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0]]
    assert to_np(b).tolist() == [[0.0, 1.0, 2.0], [3.0, 10.0, 5.0]]


@aliasing
def test_a_view_of_a_base_without_grad_takes_a_value_that_requires_grad():
    y = leaf([2.0, 3.0])
    x = bt.zeros(2, 2, dtype=bt.float64)
    x[1].add_(y)
    assert x.requires_grad and x.grad_fn.name() == "CopySlices"
    (x * x).sum().backward()
    assert y.grad.tolist() == [4.0, 6.0]


@aliasing
def test_second_order_gradients_through_copy_slices():
    a = leaf([1.0, 2.0, 3.0])
    b = a * 1.0
    b[1:].mul_(a[:2])  # b = [a0, a1 * a0, a2 * a1]
    (g,) = bt.autograd.grad(b.sum(), a, create_graph=True)
    assert g.tolist() == [1.0 + 2.0, 1.0 + 3.0, 2.0]  # [1 + a1, a0 + a2, a1]
    (h,) = bt.autograd.grad(g.sum(), a)
    assert h.tolist() == [1.0, 2.0, 1.0]


def test_in_place_on_a_view_of_a_leaf_that_requires_grad_is_refused():
    a = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        a[0].mul_(2.0)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        a[0][...] = 5.0
    with pytest.raises(RuntimeError, match=r"^a leaf Variable that requires grad"):
        a[0] = 5.0
    assert a.tolist() == [1.0, 2.0]


def test_in_place_on_an_output_of_unbind_or_split_is_refused_under_autograd():
    b = leaf([[1.0, 2.0], [3.0, 4.0]]) * 1.0
    with pytest.raises(RuntimeError, match="Output 0 of Unbind is a view and is being modified"):
        b.unbind(0)[0].mul_(2.0)
    with pytest.raises(RuntimeError, match="Output 1 of Split is a view and is being modified"):
        b.split(1)[1].mul_(2.0)
    assert to_np(b).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with bt.no_grad():
        b.unbind(0)[0].mul_(2.0)
    assert to_np(b).tolist()[0] == [2.0, 4.0]


def test_in_place_on_a_view_made_under_no_grad_is_refused_with_grad_on():
    b = leaf([1.0, 2.0]) * 1.0
    with bt.no_grad():
        v = b[:1]
    with pytest.raises(RuntimeError, match="A view was created in no_grad mode"):
        v.mul_(2.0)


def test_writes_into_an_expanded_view_are_refused():
    x = bt.zeros(3, 1).expand(3, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.add_(1.0)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x[0] = 1.0
