"""bridgetensor.nn.functional: layers, activations and losses as functions (torch's names).

>>> import bridgetensor as bt
>>> import bridgetensor.nn.functional as F
>>> F.relu(bt.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

from .activation import (
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    prelu,
    relu,
    relu6,
    relu_,
    softshrink,
    threshold,
    threshold_,
)
from .activation_smooth import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    glu,
    logsigmoid,
    mish,
    selu,
    selu_,
    sigmoid,
    silu,
    softplus,
    softsign,
    tanh,
    tanhshrink,
)
from .attention import multi_head_attention_forward, scaled_dot_product_attention
from .linear import linear
from .loss import cross_entropy, mse_loss
from .softmax import log_softmax, softmax, softmin

__all__ = [
    "celu",
    "celu_",
    "cross_entropy",
    "elu",
    "elu_",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "linear",
    "log_softmax",
    "logsigmoid",
    "mish",
    "mse_loss",
    "multi_head_attention_forward",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "scaled_dot_product_attention",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
]
