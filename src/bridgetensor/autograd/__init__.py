"""Reverse-mode automatic differentiation: backward, grad, grad modes.

>>> import bridgetensor as bt
>>> x = bt.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward(); x.grad
tensor([2., 4.])
"""

from __future__ import annotations

from ._mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)

__all__ = [
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
]


def _as_list(value):
    if value is None:
        return None
    from ._primitive import Tensor

    if isinstance(value, Tensor):
        return [value]
    return list(value)


def _root_grads(outputs, grad_outputs, create_graph):
    """One gradient per output: given, or ones for scalars (torch's errors otherwise)."""
    from ..ops._helpers import ones_like

    grads = []
    given = grad_outputs if grad_outputs is not None else [None] * len(outputs)
    if len(given) != len(outputs):
        raise RuntimeError(
            f"grad can be implicitly created only for scalar outputs; got {len(given)} "
            f"gradients for {len(outputs)} outputs"
        )
    for i, (out, grad) in enumerate(zip(outputs, given)):
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if grad is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point and not out.dtype.is_complex:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype}"
                )
            grad = ones_like(out)
        elif not hasattr(grad, "_data"):
            from .._creation import tensor

            grad = tensor(grad, dtype=out.dtype, device=out.device)
        elif tuple(grad.shape) != tuple(out.shape):
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and "
                f"output[{i}] has a shape of {out.shape}."
            )
        if not create_graph:
            grad = grad.detach()
        grads.append(grad)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of `tensors` into the ``.grad`` of the graph's leaves.

    >>> import bridgetensor as bt
    >>> x = bt.ones(2, requires_grad=True)
    >>> bt.autograd.backward((x * 3).sum()); x.grad
    tensor([3., 3.])
    """
    from ._graph import run_backward

    outputs = _as_list(tensors)
    grads = _root_grads(outputs, _as_list(grad_tensors), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    inputs = _as_list(inputs)
    if inputs is not None and not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    run_backward(outputs, grads, retain_graph, create_graph, inputs, accumulate_grad=True)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """The gradients of `outputs` with respect to `inputs`, returned (not accumulated).

    >>> import bridgetensor as bt
    >>> x = bt.tensor(3.0, requires_grad=True)
    >>> bt.autograd.grad(x ** 2, x)
    (tensor(6.),)
    """
    from ._graph import run_backward

    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outputs, _as_list(grad_outputs), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    found = run_backward(outputs, grads, retain_graph, create_graph, inputs, accumulate_grad=False)
    result = []
    for t, g in zip(inputs, found):
        if g is None:
            if materialize_grads:
                from ..ops._helpers import zeros_like

                g = zeros_like(t)
            elif not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
        result.append(g)
    return tuple(result)
