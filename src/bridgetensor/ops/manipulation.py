"""Shape and layout primitives, named as in the array-API standard.

Those marked ``view=True`` return views where the backend does (NumPy always for these,
except a reshape that must copy), so writes through them reach their base, as in torch.
Primitives that are not views copy even where the library would alias (NumPy's flip).
"""

from __future__ import annotations

from .._backend import backend_of_array
from ..autograd._primitive import primitive
from ._helpers import normalize_axes, normalize_axis

__all__ = [
    "astype",
    "broadcast_arrays",
    "broadcast_to",
    "clone",
    "diagonal",
    "diagonal_scatter",
    "expand_dims",
    "flip",
    "moveaxis",
    "permute_dims",
    "reshape",
    "roll",
    "split_axis",
    "squeeze",
    "unbind",
    "unstack",
]

FULL = slice(None)


@primitive(dtypes=None, grad_name="ToCopyBackward0")
def astype(x, /, *, xp, dtype, copy=True):
    """Cast to a bridgetensor dtype; the gradient is cast back by the engine."""
    native = backend_of_array(x).native[dtype]
    if not copy and x.dtype == native:
        return x
    return xp.astype(x, native, copy=copy)


astype.defvjp(lambda g, out, x, *, dtype, copy=True: g)


@primitive(dtypes=None, grad_name="CloneBackward0")
def clone(x, /, *, xp):
    return xp.asarray(x, copy=True)


clone.defvjp(lambda g, out, x: g)


@primitive(dtypes=None, view=True, grad_name="ViewBackward0")
def reshape(x, /, *, xp, shape, copy=None):
    return xp.reshape(x, shape) if copy is None else xp.reshape(x, shape, copy=copy)


reshape.defvjp(lambda g, out, x, *, shape, copy=None: reshape(g, shape=x.shape))


@primitive(dtypes=None, view=True, grad_name="PermuteBackward0")
def permute_dims(x, /, *, xp, axes):
    return xp.permute_dims(x, axes)


def _inverse(axes) -> tuple:
    inverse = [0] * len(axes)
    for i, a in enumerate(axes):
        inverse[a] = i
    return tuple(inverse)


permute_dims.defvjp(lambda g, out, x, *, axes: permute_dims(g, axes=_inverse(axes)))


def moveaxis(x, source, destination):
    """Move axes to new places, keeping the others' order (a view).

    >>> import bridgetensor as bt
    >>> bt.ops.moveaxis(bt.zeros(2, 3, 4), 0, -1).shape
    bridgetensor.Size([3, 4, 2])
    """
    ndim = x.ndim
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(source) != len(destination):
        raise ValueError(
            f"movedim: Invalid source or destination dims: source ({list(source)} dims) should "
            f"contain the same number of dims as destination ({list(destination)} dims)"
        )
    src = [normalize_axis(a, ndim) for a in source]
    dst = [normalize_axis(a, ndim) for a in destination]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(source)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(destination)})")
    rest = iter(a for a in range(ndim) if a not in src)
    placed = dict(zip(dst, src))
    axes = tuple(placed[i] if i in placed else next(rest) for i in range(ndim))
    return permute_dims(x, axes=axes)


@primitive(dtypes=None, view=True, grad_name="UnsqueezeBackward0")
def expand_dims(x, /, *, xp, axis=0):
    # A reshape: the 2024.12 standard takes a tuple of axes, which older libraries lack.
    return xp.reshape(x, _expanded_shape(x.shape, axis))


def _expanded_shape(shape, axis) -> tuple:
    if type(axis) is int and -len(shape) - 1 <= axis <= len(shape):  # the usual unsqueeze
        at = axis % (len(shape) + 1)
        return (*shape[:at], 1, *shape[at:])
    ndim = len(shape) + (len(axis) if isinstance(axis, tuple) else 1)
    axes = normalize_axes(axis, ndim) if isinstance(axis, tuple) else (axis % ndim,)
    if isinstance(axis, int) and not -ndim <= axis < ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but "
            f"got {axis})"
        )
    rest = iter(shape)
    return tuple(1 if i in axes else next(rest) for i in range(ndim))


expand_dims.defvjp(lambda g, out, x, *, axis=0: reshape(g, shape=x.shape))


@primitive(dtypes=None, view=True, grad_name="SqueezeBackward0")
def squeeze(x, /, *, xp, axis):
    return xp.squeeze(x, axis=axis)


squeeze.defvjp(lambda g, out, x, *, axis: reshape(g, shape=x.shape))


@primitive(dtypes=None, view=True, grad_name="ExpandBackward0")
def broadcast_to(x, /, *, xp, shape):
    return xp.broadcast_to(x, tuple(shape))


# The engine sums every gradient back to its input's shape, which is this rule.
broadcast_to.defvjp(lambda g, out, x, *, shape: g)
broadcast_to.expands = True  # its views may repeat elements: torch refuses writes to them


def broadcast_arrays(*arrays):
    """The arrays broadcast against each other (views).

    >>> import bridgetensor as bt
    >>> [t.shape for t in bt.ops.broadcast_arrays(bt.zeros(3, 1), bt.zeros(4))]
    [bridgetensor.Size([3, 4]), bridgetensor.Size([3, 4])]
    """
    shape = broadcast_shapes(*(tuple(a.shape) for a in arrays))
    return [a if tuple(a.shape) == shape else broadcast_to(a, shape=shape) for a in arrays]


def broadcast_shapes(*shapes) -> tuple:
    """The shape the given shapes broadcast to (torch's RuntimeError when they cannot)."""
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s):
            j = ndim - len(s) + i
            if n != 1 and result[j] != n:
                if result[j] != 1:
                    raise RuntimeError(
                        f"shape mismatch: objects cannot be broadcast to a single shape. "
                        f"Mismatch is between {list(shapes[0])} and {list(s)}"
                    )
                result[j] = n
    return tuple(result)


@primitive(dtypes=None, grad_name="FlipBackward0")
def flip(x, /, *, xp, axis=None):
    # NumPy's flip is a view with negative strides; torch's is a copy (writes must not alias).
    return xp.asarray(xp.flip(x, axis=axis), copy=True)


flip.defvjp(lambda g, out, x, *, axis=None: flip(g, axis=axis))


@primitive(dtypes=None, grad_name="RollBackward0")
def roll(x, /, *, xp, shift, axis=None):
    return xp.roll(x, shift, axis=axis)


def _negated(shift):
    return tuple(-s for s in shift) if isinstance(shift, tuple) else -shift


roll.defvjp(lambda g, out, x, *, shift, axis=None: roll(g, shift=_negated(shift), axis=axis))


# ---------------------------------------------------------------- several views


@primitive(dtypes=None, view=True, outputs=2, grad_name="UnbindBackward0")
def unbind(x, /, *, xp, axis=0):
    """The views x[..., i, ...] along `axis` (torch's unbind; see `unstack`)."""
    lead = (FULL,) * axis
    return tuple(x[(*lead, i, ...)] for i in range(x.shape[axis]))


def _stack_grads(g, out, x, *, axis=0):
    from .joining import stack

    return stack(*(g if isinstance(g, tuple) else (g,)), axis=axis)


unbind.defvjp(_stack_grads)


def unstack(x, /, *, axis=0):
    """The slices of x along `axis`, as a tuple of views.

    >>> import bridgetensor as bt
    >>> bt.ops.unstack(bt.tensor([[1, 2], [3, 4]]))
    (tensor([1, 2]), tensor([3, 4]))
    """
    axis = normalize_axis(axis, x.ndim)
    if x.shape[axis] == 0:
        return ()
    return unbind(x, axis=axis)


@primitive(dtypes=None, view=True, outputs=2, grad_name="SplitWithSizesBackward0")
def split_axis(x, /, *, xp, bounds, axis=0):
    """Views of x between the (start, stop) `bounds` along `axis` (torch's split)."""
    lead = (FULL,) * axis
    return tuple(x[(*lead, slice(start, stop), ...)] for start, stop in bounds)


def _concat_grads(g, out, x, *, bounds, axis=0):
    from .joining import concat

    return concat(*(g if isinstance(g, tuple) else (g,)), axis=axis)


split_axis.defvjp(_concat_grads)


# ---------------------------------------------------------------- diagonals


def _diagonal_axes(ndim, offset, axis1, axis2, op="diagonal"):
    a1, a2 = normalize_axis(axis1, ndim), normalize_axis(axis2, ndim)
    if a1 == a2:
        raise RuntimeError(
            f"{op}(): dim1 and dim2 cannot be equal, got both equal to {axis1}"
            if op == "diagonal"
            else f"{op}(): diagonal dimensions cannot be identical {axis1}, {axis2}"
        )
    return a1, a2


def _diagonal_positions(xp, n1, n2, offset):
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    line = xp.arange(length)
    return (line, line + offset) if offset >= 0 else (line - offset, line)


@primitive(dtypes=None, view=True, grad_name="DiagonalBackward0")
def diagonal(x, /, *, xp, offset=0, axis1=0, axis2=1):
    """The diagonal of x over axes (axis1, axis2), as a last axis (torch's convention)."""
    a1, a2 = _diagonal_axes(x.ndim, offset, axis1, axis2)
    rest = [i for i in range(x.ndim) if i not in (a1, a2)]
    moved = xp.permute_dims(x, (*rest, a1, a2))
    out = xp.linalg.diagonal(moved, offset=offset)
    return backend_of_array(x).writable(out, x)


diagonal.defvjp(
    lambda g, out, x, *, offset=0, axis1=0, axis2=1: diagonal_scatter(
        g, shape=x.shape, offset=offset, axis1=axis1, axis2=axis2
    )
)


@primitive(dtypes=None, grad_name="DiagonalBackwardBackward0")
def diagonal_scatter(values, /, *, xp, shape, offset=0, axis1=0, axis2=1):
    """Zeros of `shape` with `values` (diagonal last) on the diagonal over (axis1, axis2)."""
    ndim = len(shape)
    a1, a2 = _diagonal_axes(ndim, offset, axis1, axis2, "diag_embed")
    rows, cols = _diagonal_positions(xp, shape[a1], shape[a2], offset)
    key = tuple(rows if i == a1 else cols if i == a2 else FULL for i in range(ndim))
    # The diagonal axis lands where the two index arrays are, if adjacent, else first.
    at = min(a1, a2) if abs(a1 - a2) == 1 else 0
    last = values.ndim - 1
    order = list(range(last))
    order.insert(at, last)
    values = xp.permute_dims(values, tuple(order))
    zeros = xp.zeros(tuple(shape), dtype=values.dtype)
    return backend_of_array(values).index_put(zeros, key, values)


diagonal_scatter.defvjp(
    lambda g, out, values, *, shape, offset=0, axis1=0, axis2=1: diagonal(
        g, offset=offset, axis1=axis1, axis2=axis2
    )
)
