"""bridgetensor.nn: Module, layers, activations, losses, functional and init (torch's API).

>>> import bridgetensor as bt
>>> net = bt.nn.Sequential(bt.nn.Linear(3, 2), bt.nn.ReLU())
>>> [name for name, _ in net.named_parameters()]
['0.weight', '0.bias']
"""

from . import functional, init, utils
from .modules import (
    CrossEntropyLoss,
    Identity,
    Linear,
    Module,
    ModuleDict,
    ModuleList,
    MSELoss,
    ParameterDict,
    ParameterList,
    ReLU,
    Sequential,
)
from .parameter import Buffer, Parameter

__all__ = [
    "Buffer",
    "CrossEntropyLoss",
    "Identity",
    "Linear",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "Parameter",
    "ParameterDict",
    "ParameterList",
    "ReLU",
    "Sequential",
    "functional",
    "init",
    "utils",
]
