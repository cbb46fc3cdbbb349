"""Activation primitives: the nn activations that need a rule of their own.

Each is one node where the composite would be three to six, and each has a reason
beyond speed: `leaky_relu`, `elu` and `hardtanh` follow torch's gradient at their
kinks (hardtanh's differs from clamp's at the bounds); `softplus` and `log_sigmoid`
must stay finite for inputs of any size, which a composite can only do by putting
an overflow guard into the graph. The other activations (silu, gelu, mish, hardswish,
softsign, ...) are composites in nn/functional.
"""

from __future__ import annotations

from ..autograd._primitive import primitive
from .elementwise import exp, where
from .elementwise_math import sigmoid

__all__ = ["elu", "hardsigmoid", "hardtanh", "leaky_relu", "log_sigmoid", "softplus", "softshrink"]

# torch's hardsigmoid backward multiplies by 1/6 rounded to float32, in every dtype.
_ONE_SIXTH_FLOAT32 = 0.16666667163372040


@primitive(grad_name="LeakyReluBackward0")
def leaky_relu(x, /, *, xp, negative_slope=0.01):
    """x where x > 0, else negative_slope * x."""
    return xp.where(x > 0, x, x * negative_slope)


# NOTE: as torch, the gradient at 0 is the negative slope.
leaky_relu.defvjp(lambda g, out, x, *, negative_slope=0.01: where(x > 0, g, g * negative_slope))


@primitive(grad_name="EluBackward0")
def elu(x, /, *, xp, alpha=1.0, scale=1.0, input_scale=1.0):
    """scale * x where x > 0, else scale * alpha * (exp(input_scale * x) - 1).

    One kernel for elu, selu and celu, as in torch.
    """
    # The exponential of the positive side is never used; clipping it avoids overflow.
    negative = xp.expm1(xp.minimum(x, 0) * input_scale) * (alpha * scale)
    return xp.where(x > 0, x * scale, negative)


def _elu_rule(g, out, x, *, alpha=1.0, scale=1.0, input_scale=1.0):
    # NOTE: as torch, x == 0 takes the negative side's slope, alpha * scale * input_scale,
    # and NaN the positive side's. The inner where keeps exp of large positive x (unused)
    # from making nan in higher-order gradients.
    negative = x <= 0
    slope = exp(where(negative, x, 0.0) * input_scale) * (alpha * scale * input_scale)
    return where(negative, g * slope, g * scale)


elu.defvjp(_elu_rule)


@primitive(grad_name="HardtanhBackward0")
def hardtanh(x, /, *, xp, min_val=-1.0, max_val=1.0):
    """x limited to [min_val, max_val] (NaN stays NaN)."""
    return xp.minimum(xp.maximum(x, min_val), max_val)


# NOTE: torch's hardtanh (and relu6) has gradient 0 at the bounds, unlike clamp, and
# passes the gradient of NaN.
hardtanh.defvjp(
    lambda g, out, x, *, min_val=-1.0, max_val=1.0: where((x <= min_val) | (x >= max_val), 0.0, g)
)


@primitive(grad_name="HardsigmoidBackward0")
def hardsigmoid(x, /, *, xp):
    """min(max(x + 3, 0), 6) / 6."""
    return xp.minimum(xp.maximum(x + 3.0, 0.0), 6.0) / 6.0


# NOTE: as torch, the gradient is 0 at -3 and 3 (and for NaN), and inside it is the
# float32 value of 1/6 even for float64 input.
hardsigmoid.defvjp(lambda g, out, x: where((x > -3.0) & (x < 3.0), g * _ONE_SIXTH_FLOAT32, 0.0))


@primitive(grad_name="SoftshrinkBackward0")
def softshrink(x, /, *, xp, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, else 0 (NaN stays NaN)."""
    # The clipped x times 0 rather than 0: it keeps NaN and the sign of zero, as torch
    # does (clipping first keeps inf * 0 out).
    small = xp.minimum(xp.maximum(x, -lambd), lambd) * 0.0
    return xp.where(x > lambd, x - lambd, xp.where(x < -lambd, x + lambd, small))


# NOTE: as torch, the gradient is 0 on [-lambd, lambd], bounds included, and g for NaN.
softshrink.defvjp(lambda g, out, x, *, lambd=0.5: where((x >= -lambd) & (x <= lambd), 0.0, g))


@primitive(grad_name="SoftplusBackward0")
def softplus(x, /, *, xp, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold."""
    scaled = x * beta
    # exp is taken of at most the threshold: the side it would overflow on is not used.
    smooth = xp.log1p(xp.exp(xp.minimum(scaled, threshold))) / beta
    return xp.where(scaled > threshold, x, smooth)


softplus.defvjp(
    lambda g, out, x, *, beta=1.0, threshold=20.0: where(
        x * beta > threshold, g, g * sigmoid(x * beta)
    )
)


@primitive(grad_name="LogSigmoidBackward0")
def log_sigmoid(x, /, *, xp):
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): finite for inputs of any size."""
    return xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))


log_sigmoid.defvjp(lambda g, out, x: g * sigmoid(-x))
