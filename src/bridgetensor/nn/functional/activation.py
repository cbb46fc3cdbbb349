"""Piecewise-linear activations under torch's names: relu, leaky_relu, hardtanh, relu6,
threshold, hardsigmoid, hardswish, hardshrink, softshrink, prelu.

Smooth activations are in activation_smooth.py; softmax and friends in softmax.py.
"""

from __future__ import annotations

from ... import _dtypes, ops
from ..._torch_api._elementwise import floating_only, inplace_composite, torch_name

__all__ = [
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "softshrink",
    "threshold",
    "threshold_",
]


def apply_inplace(fn, input, *args):
    """fn(input, *args) written into input, with torch's in-place checks."""
    return inplace_composite(fn)(input, *args)


def _integer_scalar(input, value):
    """torch converts a Python number to an integer tensor's type by truncation."""
    if input.dtype.category < _dtypes.FLOATING and not isinstance(value, bool):
        return int(value)
    return value


def _no_bool(name: str, input) -> None:
    if input.dtype == _dtypes.bool:
        raise RuntimeError(f"{name}: Bool inputs not supported for {name}")


def relu(input, inplace: bool = False):
    """max(input, 0); gradient 0 at 0, as torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.relu(bt.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """
    return ops.relu.inplace(input) if inplace else ops.relu(input)


def relu_(input):
    """relu written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.relu_(bt.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return ops.relu.inplace(input)


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False):
    """input where positive, else negative_slope * input (gradient at 0: the slope).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.leaky_relu(bt.tensor([-2.0, 3.0]), 0.1)
    tensor([-0.2000,  3.0000])
    """
    floating_only("leaky_relu", input)
    if inplace:
        return ops.leaky_relu.inplace(input, negative_slope=negative_slope)
    return ops.leaky_relu(input, negative_slope=negative_slope)


def leaky_relu_(input, negative_slope: float = 0.01):
    """leaky_relu written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.leaky_relu_(bt.tensor([-2.0, 3.0]), 0.5)
    tensor([-1.,  3.])
    """
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
    """input clipped to [min_val, max_val]; gradient 0 at the bounds, as torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hardtanh(bt.tensor([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    _no_bool("hardtanh", input)
    bounds = {
        "min_val": _integer_scalar(input, min_val),
        "max_val": _integer_scalar(input, max_val),
    }
    return ops.hardtanh.inplace(input, **bounds) if inplace else ops.hardtanh(input, **bounds)


def hardtanh_(input, min_val: float = -1.0, max_val: float = 1.0):
    """hardtanh written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hardtanh_(bt.tensor([-2.0, 0.5]))
    tensor([-1.0000,  0.5000])
    """
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace: bool = False):
    """min(max(input, 0), 6): hardtanh with bounds 0 and 6.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.relu6(bt.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def _threshold(input, threshold, value):
    # NOTE: as torch, NaN is kept (and passes its gradient): only input <= threshold is replaced.
    return ops.where(input <= threshold, value, input)


def _apply_threshold(input, threshold, value, inplace):
    if input.dtype == _dtypes.bool or input.dtype.is_complex:
        raise NotImplementedError(
            f"threshold: expected a real, non-bool tensor; got {input.dtype.name} "
            f"(torch: not implemented for '{torch_name(input.dtype)}')"
        )
    threshold = _integer_scalar(input, threshold)
    value = _integer_scalar(input, value)
    if inplace:
        return apply_inplace(_threshold, input, threshold, value)
    return _threshold(input, threshold, value)


def threshold(input, threshold: float, value: float, inplace: bool = False):
    """input where input > threshold, else value.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.threshold(bt.tensor([0.1, 0.5, 2.0]), 0.5, -1.0)
    tensor([-1., -1.,  2.])
    """
    return _apply_threshold(input, threshold, value, inplace)


def threshold_(input, threshold: float, value: float):
    """threshold written into `input`.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.threshold_(bt.tensor([0.1, 2.0]), 0.5, 0.0)
    tensor([0., 2.])
    """
    return _apply_threshold(input, threshold, value, True)


def hardsigmoid(input, inplace: bool = False):
    """relu6(input + 3) / 6; gradient 0 at -3 and 3, as torch.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hardsigmoid(bt.tensor([-4.0, 0.0, 1.5, 4.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    floating_only("hardsigmoid", input)
    return ops.hardsigmoid.inplace(input) if inplace else ops.hardsigmoid(input)


def _hardswish(input):
    # NOTE: torch's gradient is 0 up to -3 (included), x / 3 + 1/2 below 3 and 1 from 3
    # on: hardtanh's zero gradient at its bounds gives exactly that.
    return input * ops.hardtanh(input + 3.0, min_val=0.0, max_val=6.0) / 6.0


def hardswish(input, inplace: bool = False):
    """input * relu6(input + 3) / 6.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hardswish(bt.tensor([-4.0, 0.0, 1.5, 4.0]))
    tensor([-0.0000, 0.0000, 1.1250, 4.0000])
    """
    floating_only("hardswish", input)
    return apply_inplace(_hardswish, input) if inplace else _hardswish(input)


def hardshrink(input, lambd: float = 0.5):
    """input where |input| > lambd, else 0.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.hardshrink(bt.tensor([-1.0, 0.3, 0.7]))
    tensor([-1.0000,  0.0000,  0.7000])
    """
    floating_only("hardshrink", input)
    # NOTE: as torch, the gradient is 0 on [-lambd, lambd], bounds included.
    inside = (input >= -lambd) & (input <= lambd)
    return ops.where(inside, 0.0, input)


def softshrink(input, lambd: float = 0.5):
    """input - lambd above lambd, input + lambd below -lambd, else 0.

    >>> import bridgetensor as bt
    >>> bt.nn.functional.softshrink(bt.tensor([-1.0, 0.3, 0.75]))
    tensor([-0.5000,  0.0000,  0.2500])
    """
    floating_only("softshrink", input)
    if not lambd >= 0:
        largest = float(_dtypes.finfo(input.dtype).max)
        raise RuntimeError(
            f"softshrink: lambda must be in range [0, {largest:g}] for input dtype "
            f"{torch_name(input.dtype)}, but found {lambd:g}"
        )
    return ops.softshrink(input, lambd=lambd)


def prelu(input, weight):
    """input where positive, else weight * input; weight has one value or one per channel
    (dimension 1).

    >>> import bridgetensor as bt
    >>> bt.nn.functional.prelu(bt.tensor([[-1.0, 2.0]]), bt.tensor([0.25]))
    tensor([[-0.2500,  2.0000]])
    """
    floating_only("prelu", input)
    if weight.ndim > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}"
        )
    if input.dtype is not weight.dtype:
        raise RuntimeError(
            f"prelu: Type promoting not supported. Got {torch_name(input.dtype)} and "
            f"{torch_name(weight.dtype)}"
        )
    count = weight.numel()
    if count != 1:
        if input.ndim == 0:
            raise RuntimeError("prelu: Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.ndim >= 2 else 1
        if count != channels:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter "
                f"numbers = {count} and channel size = {channels}."
            )
        # One slope per channel: shape (C, 1, ..., 1) lines it up with dimension 1.
        weight = ops.reshape(weight, shape=(count,) + (1,) * (input.ndim - 2))
    elif weight.ndim == 1 and input.ndim == 0:
        weight = ops.reshape(weight, shape=())
    # NOTE: as torch, the gradient at 0 is the slope's side (weight); weight's own
    # gradient is input * g where input <= 0.
    return ops.where(input > 0, input, weight * input)
