"""softmax, log_softmax and softmin along a dimension.

One implementation: these are torch's functional spellings of `bridgetensor.softmax`
and `bridgetensor.log_softmax` (stable composites in ops/statistics.py), adding the
legacy implicit `dim` and its warning.
"""

from __future__ import annotations

import warnings

from ..._torch_api import statistics

__all__ = ["log_softmax", "softmax", "softmin"]


def _implicit_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        stacklevel=stacklevel,
    )
    # torch's legacy choice: 0 for 0-, 1- and 3-D input, else 1.
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(input) normalised to sum to 1 along `dim`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softmax(bt.tensor([0.0, 0.0]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if dim is None:
        dim = _implicit_dim("softmax", input.ndim, _stacklevel)
    return statistics.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(input)) along `dim`, computed as x - max - log(sum(exp(x - max))).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.log_softmax(bt.tensor([0.0, 0.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _implicit_dim("log_softmax", input.ndim, _stacklevel)
    return statistics.log_softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-input) along `dim`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softmin(bt.tensor([0.0, 1.0]), dim=0)
    tensor([0.7311, 0.2689])
    """
    if dim is None:
        dim = _implicit_dim("softmin", input.ndim, _stacklevel)
    return statistics.softmax(-input, dim, dtype)
