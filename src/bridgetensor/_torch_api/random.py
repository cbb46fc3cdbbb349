"""torch's random creation functions (rand, randn, randint, randperm, *_like), same numbers.

Values come from a `Generator`'s torch-compatible stream through the samplers in
`_random_kernels` (NumPy on the host), then move to the tensor's backend; every backend
therefore gets torch's CPU numbers. Sampled outputs depend on their inputs with zero
gradient, as in torch (``normal(mean, std)`` gives ``mean.grad == 0``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _dtypes
from .. import _random_kernels as kernels
from .._backend import backend_for_device
from .._creation import _to_backend
from ..autograd import _primitive
from ..random import resolve
from .random_checks import not_implemented, random_range, torch_type_name
from .random_tensor import host_values, probabilities, sampled

__all__ = [
    "bernoulli",
    "multinomial",
    "normal",
    "poisson",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
]

# ---------------------------------------------------------------- shared helpers


def _size(name: str, size) -> tuple:
    if not size:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if not isinstance(n, numbers.Integral) and not (
            isinstance(n, _primitive.Tensor) and n.ndim == 0
        ):
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                f"{type(n).__name__}"
            )
    shape = tuple(int(n) for n in size)
    for n in shape:
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape


def _numel(shape) -> int:
    return math.prod(shape)


def _finish(host: np.ndarray, device, requires_grad: bool):
    backend, dev = backend_for_device(device)
    t = _primitive._wrap(_to_backend(host, backend, dev, copy=False), backend, None)
    if requires_grad:
        t.requires_grad_(True)
    return t


def floating_values(kernel: str, sample, shape, dtype):
    """Values of a floating or complex `dtype`, complex ones as (real, imag) pairs."""
    if dtype.is_complex:
        real = _dtypes.to_numpy_dtype(dtype.to_real())
        return sample(2 * _numel(shape), real).view(_dtypes.to_numpy_dtype(dtype)).reshape(shape)
    if not dtype.is_floating_point:
        raise not_implemented(kernel, dtype)
    return sample(_numel(shape), _dtypes.to_numpy_dtype(dtype)).reshape(shape)


def _uniform_sampler(gen, low, high):
    return lambda n, np_dtype: kernels.uniform(gen, n, np.dtype(np_dtype), low, high)


def _normal_sampler(gen, mean, std, complex_=False):
    if complex_:
        std = std / math.sqrt(2.0)  # each of the real and imaginary parts
    return lambda n, np_dtype: kernels.normal(gen, n, np.dtype(np_dtype), mean, std)


# ---------------------------------------------------------------- creation


def rand(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """Uniform samples from [0, 1), the numbers torch's CPU generator gives.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.rand(2, 2)
    tensor([[0.4963, 0.7682],
            [0.0885, 0.1320]])
    """
    shape = _size("rand", size)
    dtype = dtype or _dtypes.get_default_dtype()
    gen = resolve(generator)
    host = floating_values("check_uniform_bounds", _uniform_sampler(gen, 0.0, 1.0), shape, dtype)
    return _finish(host, device, requires_grad)


def randn(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """Standard normal samples, the numbers torch's CPU generator gives.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.randn(3)
    tensor([ 1.5410, -0.2934, -2.1788])
    """
    shape = _size("randn", size)
    dtype = dtype or _dtypes.get_default_dtype()
    gen = resolve(generator)
    sampler = _normal_sampler(gen, 0.0, 1.0, dtype.is_complex)
    host = floating_values("normal_kernel_cpu", sampler, shape, dtype)
    return _finish(host, device, requires_grad)


def _randint_args(args, low, high, size):
    if len(args) == 3:
        low, high, size = args
    elif len(args) == 2:
        if size is None:
            high, size = args
        else:
            low, high = args
    elif len(args) == 1:
        if high is None and size is not None:
            high = args[0]
        elif size is None:
            high = args[0] if high is None else high
            size = None if high is args[0] else args[0]
        else:
            low = args[0]
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: expected (low=0, high, size)")
    for name, value, position in (("low", low, 0), ("high", high, 1)):
        if not isinstance(value, numbers.Integral):
            raise TypeError(
                f"randint(): argument '{name}' (position {position}) must be int, not "
                f"{type(value).__name__}"
            )
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"randint(): argument 'size' (position 2) must be tuple of ints, not "
            f"{type(size).__name__}"
        )
    return int(low), int(high), _size("randint", (tuple(size),))


def randint(
    *args,
    low=0,
    high=None,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or ``(low, high, size)``.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.randint(3, 10, (5,))
    tensor([7, 6, 3, 5, 4])
    """
    low, high, shape = _randint_args(args, low, high, size)
    dtype = dtype or _dtypes.int64
    span, base = random_range(dtype, low, high)
    values = kernels.random_from_to(resolve(generator), _numel(shape), span, base)
    host = kernels.cast(values, _dtypes.to_numpy_dtype(dtype)).reshape(shape)
    return _finish(host, device, requires_grad)


def randperm(
    n,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """A random permutation of 0..n-1, as torch's CPU randperm shuffles it.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.randperm(5)
    tensor([4, 0, 1, 3, 2])
    """
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = dtype or _dtypes.int64
    if dtype is _dtypes.bool or dtype.is_complex:
        raise not_implemented("randperm", dtype)
    if dtype.is_floating_point:
        limit = 2 ** (np.finfo(_dtypes.to_numpy_dtype(dtype)).nmant + 1) + 1
        if n > limit:
            raise RuntimeError(
                f"n cannot be greater than {limit} for {torch_type_name(dtype)} type."
            )
    elif n > int(np.iinfo(_dtypes.to_numpy_dtype(dtype)).max) + 1:
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")
    host = kernels.cast(kernels.randperm(resolve(generator), n), _dtypes.to_numpy_dtype(dtype))
    return _finish(host, device, requires_grad)


def _like(input, dtype, device):
    return dtype or input.dtype, device or input.device


def rand_like(
    input,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
):
    """Uniform [0, 1) samples shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.rand_like(bt.zeros(2, 3)).shape
    bridgetensor.Size([2, 3])
    """
    dtype, device = _like(input, dtype, device)
    return rand(
        *input.shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad
    )


def randn_like(
    input,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
):
    """Standard normal samples shaped like `input`.

    >>> import bridgetensor as bt
    >>> bt.randn_like(bt.zeros(4)).shape
    bridgetensor.Size([4])
    """
    dtype, device = _like(input, dtype, device)
    return randn(
        *input.shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad
    )


def randint_like(
    input,
    low=0,
    high=None,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
):
    """Integers from [low, high) shaped like `input`, in its dtype: ``randint_like(x, high)``.

    >>> import bridgetensor as bt
    >>> bt.randint_like(bt.zeros(3), 5).dtype
    bridgetensor.float32
    """
    if high is None:
        low, high = 0, low
    dtype, device = _like(input, dtype, device)
    return randint(
        low,
        high,
        tuple(input.shape),
        generator=generator,
        dtype=dtype,
        device=device,
        requires_grad=requires_grad,
    )


# ---------------------------------------------------------------- sampling from tensors


def _output(host: np.ndarray, like, grad_name: str, inputs: tuple):
    """`host` on `like`'s backend; a node with zero gradient when an input needs one."""
    array = _to_backend(host, like._be, like.device, copy=False)
    return sampled(grad_name)(*inputs, values=array)


def _as_dtype(host: np.ndarray, t, out_dtype) -> np.ndarray:
    # A 0-d tensor does not raise the computation's precision (torch's promotion).
    return host.astype(out_dtype) if t.ndim == 0 else host


def normal(
    mean,
    std=1.0,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """Normal samples: ``normal(mean_tensor, std_tensor)``, tensor/float mixes, or
    ``normal(mean, std, size)``; gradients to mean and std are zero, as in torch.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.normal(bt.tensor([0.0, 10.0]), 1.0)
    tensor([1.5410, 9.7066])
    """
    gen = resolve(generator)
    mean_is_tensor, std_is_tensor = _is_tensor(mean), _is_tensor(std)
    if not (mean_is_tensor or std_is_tensor):
        if size is None:
            raise TypeError(
                "normal() received an invalid combination of arguments: with float "
                "mean and std, give a size"
            )
        std = float(std)
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        dtype = dtype or _dtypes.get_default_dtype()
        sampler = _normal_sampler(gen, float(mean), std, dtype.is_complex)
        shape = _size("normal", (size,))
        host = floating_values("normal_kernel_cpu", sampler, shape, dtype)
        return _finish(host, device, requires_grad)
    like = mean if mean_is_tensor else std
    out_dtype = _dtypes.to_numpy_dtype(like.dtype)
    if not like.dtype.is_floating_point:
        raise not_implemented("normal_kernel_cpu", like.dtype)
    if std_is_tensor:
        std_host = host_values(std)
        if not (std_host >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(mean.shape, std.shape) if mean_is_tensor else std.shape
        z = kernels.normal(gen, _numel(shape), out_dtype, 0.0, 1.0).reshape(shape)
        values = np.multiply(z, _as_dtype(std_host, std, out_dtype)).astype(out_dtype)
        if mean_is_tensor:
            values = np.add(values, _as_dtype(host_values(mean), mean, out_dtype))
            return _output(values.astype(out_dtype), like, "NormalBackward3", (mean, std))
        values = values + out_dtype.type(mean)
        return _output(values.astype(out_dtype), like, "NormalBackward2", (std,))
    std = float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    shape = tuple(mean.shape)
    z = kernels.normal(gen, _numel(shape), out_dtype, 0.0, std).reshape(shape)
    values = (z + host_values(mean)).astype(out_dtype)
    return _output(values, like, "NormalBackward1", (mean,))


def _is_tensor(value) -> bool:
    return isinstance(value, _primitive.Tensor)


def bernoulli(input, p=None, *, generator=None, out=None):
    """0/1 samples: probability `input` per element, or the number `p` for every element.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.bernoulli(bt.tensor([0.1, 0.9, 0.5]))
    tensor([0., 1., 1.])
    """
    gen = resolve(generator)
    out_dtype = _dtypes.to_numpy_dtype(input.dtype)
    if p is None:
        if input.dtype.is_complex:
            raise not_implemented("bernoulli_tensor_cpu_self_", input.dtype)
        probs = probabilities(input, tuple(input.shape))
        values = kernels.bernoulli_tensor(gen, np.ascontiguousarray(probs)).astype(out_dtype)
        return _output(values, input, "BernoulliBackward0", (input,))
    if input.dtype.is_complex:
        raise not_implemented("bernoulli_scalar_cpu_", input.dtype)
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    values = kernels.bernoulli_scalar(gen, input.numel(), p).astype(out_dtype)
    return _output(values.reshape(tuple(input.shape)), input, "BernoulliBackward2", (input,))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices drawn from the categories of each row, weighted by its values.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.multinomial(bt.tensor([0.1, 0.0, 0.9]), 4, replacement=True)
    tensor([2, 2, 2, 2])
    """
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: "
            f"{torch_type_name(input.dtype)}"
        )
    num_samples = int(num_samples)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = input.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if categories > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    probs = np.ascontiguousarray(host_values(input)).reshape(-1, categories)
    _check_weights(probs, replacement and num_samples > 1)
    values = kernels.multinomial(resolve(generator), probs, num_samples, replacement)
    if input.ndim == 1:
        values = values.reshape(num_samples)
    return _primitive._wrap(
        _to_backend(values, input._be, input.device, copy=False), input._be, None
    )


def _check_weights(probs: np.ndarray, with_replacement: bool) -> None:
    if probs.size == 0:
        return
    if with_replacement:
        if (probs < 0).any():
            raise RuntimeError(
                "invalid multinomial distribution (encountering probability entry < 0)"
            )
        if not np.isfinite(probs).all():
            raise RuntimeError(
                "invalid multinomial distribution (encountering probability entry = infinity "
                "or NaN)"
            )
    elif not (np.isfinite(probs).all() and (probs >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (probs.sum(axis=-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def poisson(input, generator=None):
    """Poisson samples with the rates in `input`.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); bt.poisson(bt.tensor([1.0, 20.0]))
    tensor([ 2., 28.])
    """
    if not input.dtype.is_floating_point:
        raise not_implemented("poisson_cpu", input.dtype)
    rates = host_values(input).astype(np.float64)
    if not (rates >= 0).all():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    values = kernels.poisson(resolve(generator), np.ascontiguousarray(rates))
    out_dtype = _dtypes.to_numpy_dtype(input.dtype)
    return _output(kernels.cast(values, out_dtype), input, "PoissonBackward0", (input,))
