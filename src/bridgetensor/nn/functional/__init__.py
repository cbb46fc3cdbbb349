"""bridgetensor.nn.functional: layers, activations and losses as functions (torch's names).

>>> import bridgetensor as bt
>>> import bridgetensor.nn.functional as F
>>> F.relu(bt.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

from .activation import relu
from .conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    unfold,
)
from .linear import linear
from .loss import cross_entropy, mse_loss
from .softmax import log_softmax, softmax

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cross_entropy",
    "fold",
    "linear",
    "log_softmax",
    "mse_loss",
    "relu",
    "softmax",
    "unfold",
]
