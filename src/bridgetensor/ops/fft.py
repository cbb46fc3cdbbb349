"""Discrete Fourier transforms, named as in the standard's `fft` extension.

Three primitives, named after torch's kernels, do the transforms on inputs already cut
or padded to size: `fft_c2c` (complex to complex, either direction), `fft_r2c` (real to
half spectrum) and `fft_c2r` (half spectrum to real). The standard's functions (`fft`,
`fftn`, `rfft`, `hfft`, ..., with their `n=`/`s=` padding) are composites of them and of
other primitives.

Gradients follow torch's convention for complex numbers (the gradient of a real loss L
is dL/d(re) + i dL/d(im)), so a linear transform's VJP is its adjoint: the transform
in the other direction with the dual normalisation ("backward" <-> "forward").
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from ._helpers import normalize_axis
from .elementwise import multiply
from .elementwise_math import conj, real
from .indexing import getitem
from .joining import concat
from .manipulation import astype, roll

__all__ = [
    "fft",
    "fft_c2c",
    "fft_c2r",
    "fft_r2c",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfftn",
    "rfft",
    "rfftfreq",
    "rfftn",
]

_NORMS = ("backward", "ortho", "forward")
_DUAL = {"backward": "forward", "ortho": "ortho", "forward": "backward"}
FULL = slice(None)


def _check_norm(name: str, norm: str) -> None:
    if norm not in _NORMS:
        raise ValueError(f"{name}: norm must be one of {_NORMS}; got {norm!r}")


# ---------------------------------------------------------------- primitives


@primitive(dtypes=None, grad_name="FftC2CBackward0")
def fft_c2c(x, /, *, xp, axes, norm="backward", forward=True):
    """The complex transform over `axes`, or its inverse (sizes as they are)."""
    if forward:
        return xp.fft.fftn(x, axes=axes, norm=norm)
    return xp.fft.ifftn(x, axes=axes, norm=norm)


# The adjoint of a transform is the transform the other way with the dual normalisation.
fft_c2c.defvjp(
    lambda g, out, x, *, axes, norm="backward", forward=True: fft_c2c(
        g, axes=axes, norm=_DUAL[norm], forward=not forward
    )
)


@primitive(dtypes=None, grad_name="FftR2CBackward0")
def fft_r2c(x, /, *, xp, axes, norm="backward"):
    """The transform of real `x` over `axes`, the last one halved (n // 2 + 1 bins)."""
    return xp.fft.rfftn(x, axes=axes, norm=norm)


def _r2c_rule(g, out, x, *, axes, norm="backward"):
    # The bins left out of the half spectrum contribute nothing: pad them with zeros, then
    # take the adjoint of the full complex transform; x is real, so is its gradient.
    last = axes[-1]
    missing = x.shape[last] - g.shape[last]
    if missing:
        padding = (*g.shape[:last], missing, *g.shape[last + 1 :])
        zeros = _zeros(g, padding)
        g = concat(g, zeros, axis=last)
    return real(fft_c2c(g, axes=axes, norm=_DUAL[norm], forward=False))


fft_r2c.defvjp(_r2c_rule)


@primitive(dtypes=None, grad_name="FftC2RBackward0")
def fft_c2r(x, /, *, xp, axes, n, norm="backward"):
    """The real inverse of `fft_r2c` over `axes`, with `n` values along the last one."""
    sizes = [x.shape[a] for a in axes[:-1]] + [n]
    return xp.fft.irfftn(x, s=sizes, axes=axes, norm=norm)


def _c2r_rule(g, out, x, *, axes, n, norm="backward"):
    # NOTE: as torch's fft_c2r backward: the half-spectrum transform of g with the same
    # scale, and the bins that stand for two (a value and its conjugate) counted twice.
    found = fft_r2c(g, axes=axes, norm=_DUAL[norm])
    last = axes[-1]
    doubled = n - found.shape[last]
    if doubled <= 0:
        return found
    size = found.shape[last]
    weights = [1.0] + [2.0] * doubled + [1.0] * (size - 1 - doubled)
    shape = [1] * found.ndim
    shape[last] = size
    from .._creation import tensor

    scale = tensor(weights, dtype=found.dtype.to_real(), device=found.device)
    from .manipulation import reshape

    return multiply(found, reshape(scale, shape=tuple(shape)))


fft_c2r.defvjp(_c2r_rule)

# The FFT rules are the adjoint transforms, torch's complex convention already.
for _prim in (fft_c2c, fft_r2c, fft_c2r):
    _prim.conjugate_rules = False


def _zeros(like, shape):
    from ._helpers import wrap

    xp = like._be.xp
    return wrap(xp.zeros(tuple(shape), dtype=like._data.dtype), like._be)


# ---------------------------------------------------------------- composites


def _fit(x, size: int, axis: int):
    """x cut or zero-padded to `size` along `axis` (differentiable)."""
    have = x.shape[axis]
    if size == have:
        return x
    if size < have:
        return getitem(x, key=(FULL,) * axis + (slice(0, size),))
    padding = (*x.shape[:axis], size - have, *x.shape[axis + 1 :])
    return concat(x, _zeros(x, padding), axis=axis)


def _as_complex(name, x):
    dtype = x.dtype
    if dtype.is_complex:
        return x
    if not dtype.is_floating_point:
        raise TypeError(f"{name}: expected a floating-point or complex array; got {dtype.name}")
    return astype(x, dtype=dtype.to_complex())


def _as_real(name, x):
    if not x.dtype.is_floating_point:
        raise TypeError(f"{name}: expected a real floating-point array; got {x.dtype.name}")
    return x


def _axes_and_sizes(name, x, s, axes):
    """Normalised axes and output sizes for the n-dimensional transforms."""
    if axes is None:
        axes = tuple(range(x.ndim)) if s is None else tuple(range(x.ndim - len(s), x.ndim))
    axes = tuple(normalize_axis(a, x.ndim) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}: axes must be unique; got {axes}")
    if s is None:
        sizes = [x.shape[a] for a in axes]
    else:
        if len(s) != len(axes):
            raise ValueError(f"{name}: s and axes must have the same length; got {s} and {axes}")
        sizes = [x.shape[a] if n == -1 else int(n) for a, n in zip(axes, s)]
    for n in sizes:
        if n < 1:
            raise ValueError(f"{name}: transform sizes must be positive; got {sizes}")
    return axes, sizes


def _one_axis(name, x, n, axis):
    axis = normalize_axis(axis, x.ndim)
    if n is not None and n < 1:
        raise ValueError(f"{name}: n must be positive; got {n}")
    return axis, (x.shape[axis] if n is None else n)


def fft(x, /, *, n=None, axis=-1, norm="backward"):
    """The one-dimensional discrete Fourier transform along `axis`.

    >>> import bridgetensor as bt
    >>> bt.ops.fft(bt.tensor([1.0, 0.0, 0.0, 0.0]))
    tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    _check_norm("fft", norm)
    axis, n = _one_axis("fft", x, n, axis)
    return fft_c2c(_fit(_as_complex("fft", x), n, axis), axes=(axis,), norm=norm)


def ifft(x, /, *, n=None, axis=-1, norm="backward"):
    """The one-dimensional inverse discrete Fourier transform along `axis`.

    >>> import bridgetensor as bt
    >>> bt.ops.ifft(bt.tensor([4.0, 0.0, 0.0, 0.0])).real
    tensor([1., 1., 1., 1.])
    """
    _check_norm("ifft", norm)
    axis, n = _one_axis("ifft", x, n, axis)
    return fft_c2c(_fit(_as_complex("ifft", x), n, axis), axes=(axis,), norm=norm, forward=False)


def _fit_all(x, axes, sizes):
    for a, n in zip(axes, sizes):
        x = _fit(x, n, a)
    return x


def fftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-dimensional discrete Fourier transform.

    >>> import bridgetensor as bt
    >>> bt.ops.fftn(bt.ones(2, 2)).real
    tensor([[4., 0.],
            [0., 0.]])
    """
    _check_norm("fftn", norm)
    x = _as_complex("fftn", x)
    axes, sizes = _axes_and_sizes("fftn", x, s, axes)
    return fft_c2c(_fit_all(x, axes, sizes), axes=axes, norm=norm)


def ifftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-dimensional inverse discrete Fourier transform.

    >>> import bridgetensor as bt
    >>> bt.ops.ifftn(bt.ones(2, 2)).real
    tensor([[1., 0.],
            [0., 0.]])
    """
    _check_norm("ifftn", norm)
    x = _as_complex("ifftn", x)
    axes, sizes = _axes_and_sizes("ifftn", x, s, axes)
    return fft_c2c(_fit_all(x, axes, sizes), axes=axes, norm=norm, forward=False)


def rfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The transform of real `x` along `axis`: the n // 2 + 1 non-negative frequencies.

    >>> import bridgetensor as bt
    >>> bt.ops.rfft(bt.tensor([1.0, 1.0, 1.0, 1.0]))
    tensor([4.+0.j, 0.+0.j, 0.+0.j])
    """
    _check_norm("rfft", norm)
    axis, n = _one_axis("rfft", x, n, axis)
    return fft_r2c(_fit(_as_real("rfft", x), n, axis), axes=(axis,), norm=norm)


def irfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of `rfft`: `n` real values (default 2 * (m - 1) for m input bins).

    >>> import bridgetensor as bt
    >>> bt.ops.irfft(bt.tensor([4.0, 0.0, 0.0]))
    tensor([1., 1., 1., 1.])
    """
    _check_norm("irfft", norm)
    axis = normalize_axis(axis, x.ndim)
    n = 2 * (x.shape[axis] - 1) if n is None else n
    if n < 1:
        raise ValueError(f"irfft: the output length must be positive; got {n}")
    half = _fit(_as_complex("irfft", x), n // 2 + 1, axis)
    return fft_c2r(half, axes=(axis,), n=n, norm=norm)


def rfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-dimensional transform of real `x`.

    >>> import bridgetensor as bt
    >>> bt.ops.rfftn(bt.ones(2, 2)).shape
    bridgetensor.Size([2, 2])
    """
    _check_norm("rfftn", norm)
    axes, sizes = _axes_and_sizes("rfftn", _as_real("rfftn", x), s, axes)
    return fft_r2c(_fit_all(x, axes, sizes), axes=axes, norm=norm)


def irfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The inverse of `rfftn`.

    >>> import bridgetensor as bt
    >>> bt.ops.irfftn(bt.ones(2, 2)).shape
    bridgetensor.Size([2, 2])
    """
    _check_norm("irfftn", norm)
    x = _as_complex("irfftn", x)
    if s is None:
        axes, sizes = _axes_and_sizes("irfftn", x, None, axes)
        sizes[-1] = 2 * (sizes[-1] - 1)
    else:
        axes, sizes = _axes_and_sizes("irfftn", x, s, axes)
    n = sizes[-1]
    if n < 1:
        raise ValueError(f"irfftn: the output length must be positive; got {n}")
    x = _fit_all(x, axes[:-1], sizes[:-1])
    x = _fit(x, n // 2 + 1, axes[-1])
    return fft_c2r(x, axes=axes, n=n, norm=norm)


def hfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The transform of a Hermitian-symmetric signal given by its first half: real output.

    >>> import bridgetensor as bt
    >>> bt.ops.hfft(bt.tensor([1.0, 0.0, 0.0]))
    tensor([1., 1., 1., 1.])
    """
    _check_norm("hfft", norm)
    return irfft(conj(_as_complex("hfft", x)), n=n, axis=axis, norm=_DUAL[norm])


def ihfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of `hfft` for real `x`: a half spectrum.

    >>> import bridgetensor as bt
    >>> bt.ops.ihfft(bt.tensor([1.0, 1.0, 1.0, 1.0]))
    tensor([1.-0.j, 0.-0.j, 0.-0.j])
    """
    _check_norm("ihfft", norm)
    return conj(rfft(x, n=n, axis=axis, norm=_DUAL[norm]))


# ---------------------------------------------------------------- frequencies and shifts


def _frequencies(values, n, d, dtype, device):
    from .. import _dtypes
    from .._creation import tensor

    dtype = dtype or _dtypes.get_default_dtype()
    scale = 1.0 / (n * d)
    return tensor([v * scale for v in values], dtype=dtype, device=device)


def fftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The sample frequencies of an n-point transform: [0, 1, ..., -1] / (d * n).

    >>> import bridgetensor as bt
    >>> bt.ops.fftfreq(4)
    tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
    """
    if n < 1:
        raise ValueError(f"fftfreq: n must be positive; got {n}")
    values = list(range((n - 1) // 2 + 1)) + list(range(-(n // 2), 0))
    return _frequencies(values, n, d, dtype, device)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The non-negative sample frequencies of an n-point real transform.

    >>> import bridgetensor as bt
    >>> bt.ops.rfftfreq(4)
    tensor([0.0000, 0.2500, 0.5000])
    """
    if n < 1:
        raise ValueError(f"rfftfreq: n must be positive; got {n}")
    return _frequencies(list(range(n // 2 + 1)), n, d, dtype, device)


def _shift(x, axes, sign):
    if axes is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axes, int):
        axes = (axes,)
    axes = tuple(normalize_axis(a, x.ndim) for a in axes)
    if not axes:
        return x
    shifts = tuple(sign * (x.shape[a] // 2) for a in axes)
    return roll(x, shift=shifts, axis=axes)


def fftshift(x, /, *, axes=None):
    """The zero frequency moved to the centre (a roll by half of each axis).

    >>> import bridgetensor as bt
    >>> bt.ops.fftshift(bt.tensor([0, 1, 2, -2, -1]))
    tensor([-2, -1,  0,  1,  2])
    """
    return _shift(x, axes, 1)


def ifftshift(x, /, *, axes=None):
    """The inverse of `fftshift`.

    >>> import bridgetensor as bt
    >>> bt.ops.ifftshift(bt.tensor([-2, -1, 0, 1, 2]))
    tensor([ 0,  1,  2, -2, -1])
    """
    return _shift(x, axes, -1)
