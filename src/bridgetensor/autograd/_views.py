"""Views, and in-place writes through them that autograd must see.

A view (slicing, ``view``, ``transpose``, ``unsqueeze``, ...) shares its base's memory and
version counter, and records in ``Tensor._view`` how to re-derive it from its base: a
chain of (primitive, static arguments, output index) links, replayable on any array of
the base's shape. An in-place op on a view whose result autograd needs then becomes what
torch calls CopySlices:

    new view value = op(old view)                          the op's own node
    base history   = copy_slices(old base, new value)      VJPs: g with the view's region
                                                           zeroed (base); g's view (value)
    view history   = view_replay(new base)                 AsStridedBackward0, as in torch

Other views of the same base see that the base's history moved on (their `base_fn` is no
longer the base's grad_fn) and re-derive theirs the same way when next used in an op.

Backends without in-place writes (JAX) rebind the written tensor's array instead: there a
view does not see writes made through its base or through other views.
"""

from __future__ import annotations

import math

from .. import _dtypes
from . import _mode
from ._primitive import _record, _wrap, primitive, write_into

__all__ = ["ViewInfo", "copy_slices", "mark", "rebase_view", "rebase_view_write", "view_replay"]

_state = _mode.state

MULTI_OUTPUT = (
    "Output {nr} of {name} is a view and is being modified inplace. This view is the output "
    "of a function that returns multiple views. Such functions do not allow the output views "
    "to be modified inplace. You should replace the inplace operation by an out-of-place one."
)
NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace "
    "to be tracked)."
)


class ViewInfo:
    """How a view derives from its base, and what torch forbids writing through it."""

    __slots__ = ("base_fn", "chain", "multi", "no_grad", "overlapping")

    def __init__(self, chain, base_fn, multi=None, no_grad=False, overlapping=False) -> None:
        self.chain = chain  # ((primitive, static, output index), ...) from the base
        self.base_fn = base_fn  # the base's grad_fn this view's history was derived from
        self.multi = multi  # (op name, output index) when made by split/unbind/...
        self.no_grad = no_grad  # made in no_grad mode from a base that requires grad
        self.overlapping = overlapping  # expanded: several elements share one location

    def refresh(self, view) -> None:
        """Re-derive `view`'s history from its base's current one (AsStridedBackward0)."""
        base = view._base
        if base._requires_grad and base._be.kinds[base._data.dtype] in "fc":
            _record(view_replay, (base,), {"chain": self.chain}, (view,))
        view._view = ViewInfo(self.chain, base._grad_fn, self.multi, False, self.overlapping)


def mark(prim, static, results, source) -> None:
    """Make each of `results` (outputs of view primitive `prim` on `source`) a view."""
    base = source._base
    info = source._view
    if base is None:
        base = source
        chain = ()
        base_fn = source._grad_fn
        multi, no_grad, overlapping = None, False, False
    elif info is None:  # a view made outside the op mechanism: shared memory, no chain
        for r in results:
            r._base = base
        return
    else:
        chain, base_fn = info.chain, info.base_fn
        multi, no_grad, overlapping = info.multi, info.no_grad, info.overlapping
    if not _state.grad_enabled and base._requires_grad:
        no_grad = True
    if prim.__dict__.get("expands") and _numel(results[0]._data.shape) > _numel(source._data.shape):
        overlapping = True
    several = len(results) > 1
    for nr, r in enumerate(results):
        r._base = base
        r._view = ViewInfo(
            (*chain, (prim, static, nr)),
            base_fn,
            (prim.node_class.__name__.removesuffix("Backward0"), nr) if several else multi,
            no_grad,
            overlapping,
        )


def _numel(shape) -> int:
    return math.prod(shape)


# ---------------------------------------------------------------- in-place writes


def check_rebase(target) -> ViewInfo:
    """torch's refusals for an in-place op on a view that autograd must record."""
    info = target._view
    if info.base_fn is not target._base._grad_fn:
        info.refresh(target)
        info = target._view
    if info.no_grad:
        raise RuntimeError(NO_GRAD_VIEW)
    if info.multi is not None:
        name, nr = info.multi
        raise RuntimeError(MULTI_OUTPUT.format(nr=nr, name=name))
    return info


def rebase_view(prim, target, out, full_args, static):
    """``view.op_(...)`` with autograd: write `out` through the view and record CopySlices."""
    info = check_rebase(target)
    old = full_args[0]
    if old is not target:  # a snapshot of the old value: give it the view's current history
        old._grad_fn = target._grad_fn
        old._output_nr = target._output_nr
        old._requires_grad = target._requires_grad
    new_value = _wrap(out, target._be, None)
    _record(prim, full_args, static, (new_value,))
    write_into(target, out)
    _rebase(target, new_value, info)
    return target


def rebase_view_write(target, prim, args, static) -> None:
    """Record a write already made through view `target` (``view[key] = value``).

    `prim` with `args` (the view first) and `static` computes the view's new value out of
    place; its rules must read only shapes, since the old value is gone. Call
    `check_rebase(target)` before writing.
    """
    new_value = _wrap(target._data, target._be, None)
    _record(prim, args, static, (new_value,))
    _rebase(target, new_value, target._view)


def _rebase(target, new_value, info) -> None:
    base = target._base
    _record(copy_slices, (base, new_value), {"chain": info.chain}, (base,))
    _record(view_replay, (base,), {"chain": info.chain}, (target,))
    target._view = ViewInfo(info.chain, base._grad_fn, None, False, info.overlapping)


# ---------------------------------------------------------------- the primitives


def replay(array, chain, backend):
    """Apply a view chain's forwards to a raw array of the base's shape."""
    for prim, static, nr in chain:
        array = prim.impl(backend)(array, **static)
        if prim.outputs > 1:
            array = array[nr]
    return array


def _positions(xp, backend, shape, chain):
    """The flat (C-order) base position of every element of the view, in the view's shape."""
    count = _numel(shape)
    flat = xp.arange(count, dtype=backend.native[_dtypes.int64])
    return replay(xp.reshape(flat, tuple(shape)), chain, backend)


def _put(xp, backend, base, value, chain, accumulate):
    positions = _positions(xp, backend, base.shape, chain)
    flat = xp.reshape(xp.asarray(base, copy=True), (-1,))
    key = (xp.reshape(positions, (-1,)),)
    if isinstance(value, (int, float, bool, complex)):
        value = xp.full(positions.shape, value, dtype=base.dtype)
    values = xp.reshape(xp.broadcast_to(value, positions.shape), (-1,))
    if accumulate:
        flat = backend.scatter_add(flat, key, values)
    else:
        flat = backend.index_put(flat, key, values)
    return xp.reshape(flat, base.shape)


def _backend_of(array):
    from .._backend import backend_of_array

    return backend_of_array(array)


@primitive(dtypes=None, grad_name="AsStridedBackward0")
def view_replay(base, /, *, xp, chain):
    """The view of `base` that `chain` describes (a view's history after a write)."""
    return replay(base, chain, _backend_of(base))


view_replay.defvjp(lambda g, out, base, *, chain: view_scatter(g, shape=base.shape, chain=chain))


@primitive(dtypes=None, grad_name="AsStridedScatterBackward0")
def view_scatter(value, /, *, xp, shape, chain):
    """Zeros of `shape` with `value` added through the view `chain` (view_replay's VJP)."""
    backend = _backend_of(value)
    zeros = xp.zeros(tuple(shape), dtype=value.dtype)
    return _put(xp, backend, zeros, value, chain, accumulate=True)


view_scatter.defvjp(lambda g, out, value, *, shape, chain: view_replay(g, chain=chain))


@primitive(dtypes=None, grad_name="CopySlices")
def copy_slices(base, value, /, *, xp, chain):
    """A copy of `base` with the view `chain` describes overwritten by `value`."""
    return _put(xp, _backend_of(base), base, value, chain, accumulate=False)


copy_slices.defvjp(
    lambda g, out, base, value, *, chain: copy_slices(g, 0.0, chain=chain),
    lambda g, out, base, value, *, chain: view_replay(g, chain=chain),
)
