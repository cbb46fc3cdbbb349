"""bridgetensor.nn: Module, layers, activations, losses, functional and init (torch's API).

>>> import bridgetensor as bt
>>> net = bt.nn.Sequential(bt.nn.Linear(3, 2), bt.nn.ReLU())
>>> [name for name, _ in net.named_parameters()]
['0.weight', '0.bias']
"""

from . import functional, init, utils
from .modules import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    Bilinear,
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    CrossEntropyLoss,
    Flatten,
    Identity,
    Linear,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    Module,
    ModuleDict,
    ModuleList,
    MSELoss,
    ParameterDict,
    ParameterList,
    ReLU,
    Sequential,
    Unflatten,
)
from .parameter import Buffer, Parameter

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "Bilinear",
    "Buffer",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "CrossEntropyLoss",
    "Flatten",
    "Identity",
    "Linear",
    "MSELoss",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "Module",
    "ModuleDict",
    "ModuleList",
    "Parameter",
    "ParameterDict",
    "ParameterList",
    "ReLU",
    "Sequential",
    "Unflatten",
    "functional",
    "init",
    "utils",
]
