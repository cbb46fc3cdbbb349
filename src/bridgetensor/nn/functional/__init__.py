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
from .distance import cosine_similarity, normalize, pairwise_distance
from .dropout import dropout, dropout1d, dropout2d, dropout3d
from .linear import bilinear, linear
from .loss import cross_entropy, mse_loss
from .normalization import batch_norm, group_norm, instance_norm, layer_norm
from .padding import pad
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from .scaled_attention import scaled_dot_product_attention
from .softmax import log_softmax, softmax
from .sparse import embedding, one_hot
from .upsampling import interpolate, upsample, upsample_bilinear, upsample_nearest

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "bilinear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cosine_similarity",
    "cross_entropy",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "embedding",
    "fold",
    "group_norm",
    "instance_norm",
    "interpolate",
    "layer_norm",
    "linear",
    "log_softmax",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "mse_loss",
    "normalize",
    "one_hot",
    "pad",
    "pairwise_distance",
    "relu",
    "scaled_dot_product_attention",
    "softmax",
    "unfold",
    "upsample",
    "upsample_bilinear",
    "upsample_nearest",
]
