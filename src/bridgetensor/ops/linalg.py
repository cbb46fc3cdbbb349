"""Linear-algebra primitives (`matmul` and the `linalg` extension)."""

from __future__ import annotations

from ..autograd._primitive import primitive
from .manipulation import expand_dims, squeeze

__all__ = ["matmul", "matrix_transpose"]


def _mT(x):
    from .manipulation import permute_dims

    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return permute_dims(x, axes=tuple(axes))


matrix_transpose = _mT


@primitive(grad_name="MmBackward0")
def matmul(x, y, /, *, xp):
    return xp.matmul(x, y)


def _matmul_x(g, out, x, y):
    if y.ndim == 1:
        gx = expand_dims(g, axis=-1) * y if x.ndim > 1 else g * y
        return gx
    if x.ndim == 1:
        return squeeze(matmul(expand_dims(g, axis=0), _mT(y)), axis=-2)
    return matmul(g, _mT(y))


def _matmul_y(g, out, x, y):
    if x.ndim == 1:
        if y.ndim == 1:
            return g * x
        return expand_dims(x, axis=-1) * expand_dims(g, axis=-2)
    if y.ndim == 1:
        return squeeze(matmul(_mT(x), expand_dims(g, axis=-1)), axis=-1)
    return matmul(_mT(x), g)


matmul.defvjp(_matmul_x, _matmul_y)
