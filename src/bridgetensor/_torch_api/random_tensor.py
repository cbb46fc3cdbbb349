"""Sampling from tensors: normal, bernoulli, multinomial, poisson and the in-place fills
(uniform_, normal_, random_, bernoulli_, exponential_, geometric_, log_normal_, cauchy_).

An in-place fill visits the tensor's memory in torch's order (its TensorIterator walks a
non-contiguous tensor by decreasing stride), so a transposed tensor gets torch's numbers.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .. import _random_kernels as kernels
from .._creation import _to_backend
from .._interop import host_array
from ..autograd import _primitive
from ..ops._helpers import zeros_like
from ..random import resolve
from .random_checks import (
    C_NAMES,
    check_uniform,
    format_g,
    not_implemented,
    random_args,
    random_range,
    torch_type_name,
)

__all__ = [
    "RandomMethods",
    "host_values",
    "probabilities",
    "sampled",
]

# ---------------------------------------------------------------- zero-gradient outputs

_SAMPLED = {}


def _zero_gradient(g, out, *inputs, index, **static):
    return zeros_like(g)


def sampled(grad_name: str):
    """The primitive that outputs sampled `values` with zero gradient to its inputs.

    One per torch node name, so ``grad_fn`` prints as torch's (``NormalBackward3``).
    """
    found = _SAMPLED.get(grad_name)
    if found is None:

        def forward(*arrays, xp, values):
            return xp.asarray(values)

        found = _primitive.Primitive("sampled", forward, dtypes=None, grad_name=grad_name)
        found.defvjp_each(_zero_gradient, reads="meta")
        _SAMPLED[grad_name] = found
    return found


# ---------------------------------------------------------------- in-place fills


def _fill_order(t):
    """(contiguous, axes): whether torch would see `t` as contiguous, and the axis order its
    iterator walks (outermost first; None for the logical order).

    Strides are read from a zero-copy host view; device and lazy arrays count as
    contiguous (their layout is the library's business).
    """
    be = t._be
    if be.is_gpu or be.lazy:
        return True, None
    data = t._data if be.is_numpy else np.asarray(host_array(t._data, be))
    if data.flags.c_contiguous:
        return True, None
    strides = data.strides
    axes = sorted(range(data.ndim), key=lambda a: -abs(strides[a]) if data.shape[a] > 1 else 0)
    return False, (None if axes == list(range(data.ndim)) else axes)


def _arrange(values: np.ndarray, shape: tuple, axes) -> np.ndarray:
    """Values listed in iteration order, laid out in the logical `shape`."""
    if axes is None:
        return values.reshape(shape)
    host = np.empty(shape, values.dtype)
    np.transpose(host, axes)[...] = values.reshape([shape[a] for a in axes])
    return host


def _in_order(array: np.ndarray, axes) -> np.ndarray:
    """A logical-shape array listed in iteration order."""
    return (array if axes is None else np.transpose(array, axes)).reshape(-1)


def _write(t, grad_name: str, values: np.ndarray, axes):
    host = _arrange(values, tuple(t.shape), axes)
    array = _to_backend(host, t._be, t.device, copy=False)
    return sampled(grad_name).inplace(t, values=array)


def _fill_floating(t, kernel: str, grad_name: str, sample):
    """Fill a floating (or complex, as real pairs) tensor with `sample(n, dtype, contiguous)`."""
    dtype = t.dtype
    if not (dtype.is_floating_point or dtype.is_complex):
        raise not_implemented(kernel, dtype)
    contiguous, axes = _fill_order(t)
    n = t.numel()
    if dtype.is_complex:
        real = _dtypes.to_numpy_dtype(dtype.to_real())
        values = sample(2 * n, real, contiguous).view(_dtypes.to_numpy_dtype(dtype))
    else:
        values = sample(n, _dtypes.to_numpy_dtype(dtype), contiguous)
    return _write(t, grad_name, values, axes)


def _fill_cast(t, grad_name: str, values_of):
    """Fill with `values_of(n)` (in iteration order), cast to t's dtype as C++ casts."""
    _, axes = _fill_order(t)
    values = kernels.cast(values_of(t.numel()), _dtypes.to_numpy_dtype(t.dtype))
    return _write(t, grad_name, values, axes)


class RandomMethods:
    """Tensor's in-place sampling methods, with torch's stream, checks and node names."""

    __slots__ = ()

    def uniform_(self, from_=0.0, to=1.0, *, generator=None, **bounds):
        """Fill with uniform samples from [from, to).

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(3).uniform_(-1, 1)
        tensor([-0.0075,  0.5364, -0.8230])
        """
        low = float(bounds.pop("from", from_))
        high = float(bounds.pop("to", to))
        if bounds:
            raise TypeError(
                f"uniform_() got an unexpected keyword argument '{bounds.popitem()[0]}'"
            )
        if self.numel() == 0 and not self.dtype.is_complex:
            return self
        check_uniform(self.dtype, low, high)
        gen = resolve(generator)
        return _fill_floating(
            self,
            "check_uniform_bounds",
            "UniformBackward0",
            lambda n, dt, contiguous: kernels.uniform(gen, n, np.dtype(dt), low, high),
        )

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with normal samples N(mean, std**2).

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(2).normal_(10, 2)
        tensor([13.0820,  9.4131])
        """
        mean, std = float(mean), float(std)
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {format_g(std)}")
        if self.dtype.is_complex:
            std = std / math.sqrt(2.0)
        gen = resolve(generator)
        return _fill_floating(
            self,
            "normal_kernel_cpu",
            "NormalBackward0",
            lambda n, dt, contiguous: kernels.normal(gen, n, np.dtype(dt), mean, std, contiguous),
        )

    def random_(self, *args, generator=None, **kwargs):
        """Fill with integers from [from, to) (default: every integer the dtype holds exactly).

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(4, dtype=bt.int64).random_(0, 10)
        tensor([4, 9, 3, 0])
        """
        low, high = random_args(args, kwargs)
        dtype = self.dtype
        gen = resolve(generator)
        if low is None:
            if dtype.is_complex or dtype.name in ("uint16", "uint32", "uint64"):
                raise not_implemented("random_kernel_cpu", dtype)
            np_dtype = _dtypes.to_numpy_dtype(dtype)
            return _fill_cast(
                self, "RandomBackward0", lambda n: kernels.random_bits(gen, n, np_dtype)
            )
        span, base = random_range(dtype, low, high)
        return _fill_cast(
            self, "RandomBackward0", lambda n: kernels.random_from_to(gen, n, span, base)
        )

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 with probability `p` (a number or a tensor of probabilities), else 0.

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(5).bernoulli_(0.5)
        tensor([0., 0., 1., 0., 0.])
        """
        gen = resolve(generator)
        if self.dtype.is_complex:
            kernel = "bernoulli_tensor_cpu_self_" if _is_tensor(p) else "bernoulli_scalar_cpu_"
            raise not_implemented(kernel, self.dtype)
        if _is_tensor(p):
            probs = probabilities(p, tuple(self.shape))
            _, axes = _fill_order(self)
            values = kernels.bernoulli_tensor(gen, _in_order(probs, axes))
            values = kernels.cast(values, _dtypes.to_numpy_dtype(self.dtype))
            return _write(self, "BernoulliBackward1", values, axes)
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={format_g(p)}")
        return _fill_cast(self, "BernoulliBackward2", lambda n: kernels.bernoulli_scalar(gen, n, p))

    def exponential_(self, lambd=1.0, *, generator=None):
        """Fill with exponential samples of rate `lambd`.

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(2).exponential_()
        tensor([3.5083, 1.2304])
        """
        lambd = float(lambd)
        if not (lambd > 0.0 and math.isfinite(lambd)):
            raise RuntimeError(
                f"exponential_ expects lambda > 0.0, but found lambda={format_g(lambd)}"
            )
        if not self.dtype.is_floating_point:
            raise RuntimeError(
                "Exponential distribution is a continuous probability distribution. dtype must "
                f"be a floating point but you specified {torch_type_name(self.dtype)}"
            )
        gen = resolve(generator)
        return _fill_cast(
            self, "ExponentialBackward0", lambda n: kernels.exponential(gen, n, lambd)
        )

    def geometric_(self, p, *, generator=None):
        """Fill with the number of Bernoulli(p) trials up to the first success.

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(3).geometric_(0.5)
        tensor([1., 1., 2.])
        """
        p = float(p)
        if not 0.0 < p < 1.0:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={format_g(p)}")
        if self.dtype is _dtypes.bool or self.dtype.is_complex:
            raise not_implemented("geometric_cpu", self.dtype)
        gen = resolve(generator)
        return _fill_cast(self, "GeometricBackward0", lambda n: kernels.geometric(gen, n, p))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        """Fill with exp(N(mean, std**2)) samples.

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(2).log_normal_(0, 0.5)
        tensor([2.1608, 0.8635])
        """
        mean, std = float(mean), float(std)
        if not std > 0.0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={format_g(std)}")
        if not self.dtype.is_floating_point:
            raise not_implemented("log_normal_cpu", self.dtype)
        gen = resolve(generator)
        return _fill_cast(
            self, "LogNormalBackward0", lambda n: kernels.log_normal(gen, n, mean, std)
        )

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        """Fill with Cauchy samples around `median` of scale `sigma`.

        >>> import bridgetensor as bt
        >>> _ = bt.manual_seed(0); bt.empty(2).cauchy_()
        tensor([10.5977,  0.7648])
        """
        median, sigma = float(median), float(sigma)
        if not sigma > 0.0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={format_g(sigma)}")
        if not self.dtype.is_floating_point:
            raise RuntimeError(
                "Cauchy distribution is a continuous probability distribution. dtype must be a "
                f"floating point but you specified {C_NAMES.get(self.dtype.name, self.dtype.name)}"
            )
        gen = resolve(generator)
        return _fill_cast(self, "CauchyBackward0", lambda n: kernels.cauchy(gen, n, median, sigma))

    def bernoulli(self, *args, generator=None):
        from .random import bernoulli

        return bernoulli(self, *args, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        from .random import multinomial

        return multinomial(self, num_samples, replacement, generator=generator)


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def host_values(t) -> np.ndarray:
    return np.asarray(host_array(t._data, t._be))


def probabilities(p, shape) -> np.ndarray:
    if not (p.dtype.is_floating_point):
        raise not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
    try:
        probs = np.broadcast_to(host_values(p), shape)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({list(p.shape)}) must match the size of tensor b "
            f"({list(shape)})"
        ) from None
    if not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    return probs
