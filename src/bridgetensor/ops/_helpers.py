"""Small tools the op modules share: type tests, constants of a tensor's kind, axes."""

from __future__ import annotations

from ..autograd import _primitive


def is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def wrap(array, backend):
    """A tensor over a raw array of `backend` (no copy, no graph)."""
    return _primitive._wrap(array, backend, None)


def zeros_like(x):
    """Zeros of x's shape, dtype and backend, outside the graph."""
    return wrap(x._be.xp.zeros_like(x._data), x._be)


def ones_like(x):
    return wrap(x._be.xp.ones_like(x._data), x._be)


def normalize_axis(axis: int, ndim: int, op: str = "") -> int:
    """A dimension index in [0, ndim), with torch's IndexError for one out of range."""
    n = max(ndim, 1)
    if not -n <= axis < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {axis})"
        )
    return axis % n


def normalize_axes(axis, ndim: int) -> tuple:
    """Axes as a sorted tuple of non-negative ints (None: all of them)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (normalize_axis(axis, ndim),)
    axes = tuple(normalize_axis(a, ndim) for a in axis)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"dim {axes} appears multiple times in the list of dims")
    return tuple(sorted(axes))


def variant(prim, grad_name: str, *, copy: bool = False):
    """The same primitive under another grad_fn name (torch names ops by their entry point:
    ``transpose`` gives TransposeBackward0 where ``permute`` gives PermuteBackward0).

    With `copy`, a view primitive's twin returns a copy instead (torch's ``diag``).
    """
    from ..autograd._primitive import Primitive

    forward = prim.forward
    if copy:

        def forward(*arrays, xp, **static):
            return xp.asarray(prim.forward(*arrays, xp=xp, **static), copy=True)

    twin = Primitive(
        prim.name,
        forward,
        dtypes=prim.dtypes,
        grad_name=grad_name,
        view=prim.view and not copy,
        outputs=prim.outputs,
        promote=prim.promote,
    )
    twin.takes_xp = prim.takes_xp
    twin.__dict__.update(prim.__dict__)
    if isinstance(prim.vjps, tuple):
        twin.defvjp(*prim.vjps)
    else:
        twin.defvjp_each(prim.vjps.rule, reads="full" if prim.saves_all else "meta")
    return twin
