"""Smooth activations under torch's names: elu, selu, celu, gelu, silu, mish, softplus,
logsigmoid, softsign, tanhshrink, sigmoid, tanh, glu.
"""

from __future__ import annotations

import math

from ... import _dtypes, ops
from ..._torch_api._dims import dim_axis
from ..._torch_api._elementwise import floating_only
from .activation import apply_inplace

__all__ = [
    "celu",
    "celu_",
    "elu",
    "elu_",
    "gelu",
    "glu",
    "logsigmoid",
    "mish",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "softplus",
    "softsign",
    "tanh",
    "tanhshrink",
]

# torch's SELU constants (Klambauer et al., 2017).
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _elu(name, input, inplace, **coefficients):
    floating_only(name, input)
    if inplace:
        return ops.elu.inplace(input, **coefficients)
    return ops.elu(input, **coefficients)


def elu(input, alpha: float = 1.0, inplace: bool = False):
    """input where positive, else alpha * (exp(input) - 1).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.elu(bt.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return _elu("elu", input, inplace, alpha=alpha)


def elu_(input, alpha: float = 1.0):
    """elu written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.elu_(bt.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return _elu("elu", input, True, alpha=alpha)


def selu(input, inplace: bool = False):
    """scale * elu(input, alpha) with torch's self-normalising constants.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.selu(bt.tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    return _elu("selu", input, inplace, alpha=_SELU_ALPHA, scale=_SELU_SCALE)


def selu_(input):
    """selu written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.selu_(bt.tensor([1.0]))
    tensor([1.0507])
    """
    return selu(input, inplace=True)


def celu(input, alpha: float = 1.0, inplace: bool = False):
    """input where positive, else alpha * (exp(input / alpha) - 1).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.celu(bt.tensor([-1.0, 2.0]), alpha=2.0)
    tensor([-0.7869,  2.0000])
    """
    if alpha == 0:
        raise RuntimeError("celu: ZeroDivisionError: alpha cannot be 0 for CELU")
    return _elu("celu", input, inplace, alpha=alpha, input_scale=1.0 / alpha)


def celu_(input, alpha: float = 1.0):
    """celu written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.celu_(bt.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return celu(input, alpha, inplace=True)


# sqrt(2 / pi), as torch writes it (M_SQRT2 * M_2_SQRTPI * 0.5), and the cubic term's weight.
_GELU_BETA = math.sqrt(2.0) * (2.0 / math.sqrt(math.pi)) * 0.5
_GELU_KAPPA = 0.044715


def gelu(input, approximate: str = "none"):
    """input * Phi(input), Phi the standard normal CDF ('none', through erf) or its tanh
    approximation ('tanh').

    >>> import bridgetensor as bt
    >>> bt.nn.functional.gelu(bt.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError(
            f"gelu: approximate argument must be either none or tanh; got {approximate!r}"
        )
    floating_only("gelu", input)
    if approximate == "tanh":
        inner = _GELU_BETA * (input + _GELU_KAPPA * (input * input * input))
        return 0.5 * input * (1.0 + ops.tanh(inner))
    return input * 0.5 * (1.0 + ops.erf(input * math.sqrt(0.5)))


def _silu(input):
    return input * ops.sigmoid(input)


def silu(input, inplace: bool = False):
    """input * sigmoid(input) (also called swish).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.silu(bt.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.2689,  0.0000,  0.7311])
    """
    floating_only("silu", input)
    return apply_inplace(_silu, input) if inplace else _silu(input)


def _mish(input):
    return input * ops.tanh(ops.softplus(input))


def mish(input, inplace: bool = False):
    """input * tanh(softplus(input)).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.mish(bt.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.3034,  0.0000,  0.8651])
    """
    floating_only("mish", input)
    return apply_inplace(_mish, input) if inplace else _mish(input)


def softplus(input, beta: float = 1.0, threshold: float = 20.0):
    """log(1 + exp(beta * input)) / beta, reverting to input where beta * input > threshold;
    finite for inputs of any size.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softplus(bt.tensor([-1e4, 0.0, 1e4]))
    tensor([0.0000e+00, 6.9315e-01, 1.0000e+04])
    """
    floating_only("softplus", input)
    return ops.softplus(input, beta=beta, threshold=threshold)


def logsigmoid(input):
    """log(sigmoid(input)), finite for inputs of any size.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.logsigmoid(bt.tensor([-1e4, 0.0]))
    tensor([-1.0000e+04, -6.9315e-01])
    """
    floating_only("log_sigmoid", input)
    return ops.log_sigmoid(input)


def softsign(input):
    """input / (1 + |input|).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softsign(bt.tensor([-3.0, 1.0]))
    tensor([-0.7500,  0.5000])
    """
    if input.dtype == _dtypes.bool:
        raise NotImplementedError(
            'softsign: expected a numeric tensor; got bool (torch: "abs_cpu" not '
            "implemented for 'Bool')"
        )
    return input / (ops.abs(input) + 1)


def tanhshrink(input):
    """input - tanh(input).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.tanhshrink(bt.tensor([0.0, 1.0]))
    tensor([0.0000, 0.2384])
    """
    return input - ops.tanh(input)


def sigmoid(input):
    """1 / (1 + exp(-input)).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.sigmoid(bt.tensor([0.0]))
    tensor([0.5000])
    """
    return ops.sigmoid(input)


def tanh(input):
    """The hyperbolic tangent.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.tanh(bt.tensor([0.0]))
    tensor([0.])
    """
    return ops.tanh(input)


def glu(input, dim: int = -1):
    """The gated linear unit: a * sigmoid(b), where a and b are the halves of `input`
    along `dim`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.glu(bt.tensor([1.0, 2.0, 0.0, 100.0]))
    tensor([0.5000, 2.0000])
    """
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = dim_axis(input, dim)
    size = input.shape[axis]
    if size % 2:
        raise RuntimeError(
            f"glu: Halving dimension must be even, but dimension {axis} is size {size}"
        )
    floating_only("glu", input)
    lead = (slice(None),) * axis
    half = size // 2
    first, second = (*lead, slice(0, half), ...), (*lead, slice(half, size), ...)
    return input[first] * ops.sigmoid(input[second])
