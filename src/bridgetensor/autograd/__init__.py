"""Reverse-mode automatic differentiation: backward, grad, grad modes.

>>> import bridgetensor as bt
>>> x = bt.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward(); x.grad
tensor([2., 4.])
"""

from __future__ import annotations

import warnings

from . import graph
from ._mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .function import Function, FunctionCtx, once_differentiable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "Function",
    "FunctionCtx",
    "GradcheckError",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "graph",
    "inference_mode",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "once_differentiable",
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
        raise RuntimeError(f"got {len(outputs)} tensors and {len(given)} gradients")
    for i, (out, grad) in enumerate(zip(outputs, given)):
        if grad is None:
            if not out._requires_grad:
                raise RuntimeError(
                    f"element {i} of tensors does not require grad and does not have a grad_fn"
                )
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype}"
                )
            grad = ones_like(out)
        else:
            if not hasattr(grad, "_data"):
                from .._creation import tensor

                grad = tensor(grad, dtype=out.dtype, device=out.device)
            if tuple(grad.shape) != tuple(out.shape):
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and "
                    f"output[{i}] has a shape of {out.shape}."
                )
            if grad.dtype.is_complex != out.dtype.is_complex:
                raise RuntimeError(
                    "For complex Tensors, both grad_output and output are required to have "
                    f"the same dtype. Mismatch in dtype: grad_output[{i}] has a dtype of "
                    f"{grad.dtype} and output[{i}] has a dtype of {out.dtype}."
                )
            if not out._requires_grad:
                raise RuntimeError(
                    f"element {i} of tensors does not require grad and does not have a grad_fn"
                )
        if not create_graph:
            grad = grad.detach()
        grads.append(grad)
    return grads


_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak."
)


def backward(
    tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None
) -> None:
    """Accumulate the gradients of `tensors` into the ``.grad`` of the graph's leaves.

    With `inputs`, only those tensors (leaves or not) receive gradients.

    >>> import bridgetensor as bt
    >>> x = bt.ones(2, requires_grad=True)
    >>> bt.autograd.backward((x * 3).sum()); x.grad
    tensor([3., 3.])
    """
    from ._graph import run_backward

    outputs = _as_list(tensors)
    inputs = _as_list(inputs)
    if inputs is not None:
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        for t in inputs:
            if not t._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            if t._grad_fn is not None:
                # As torch: a non-leaf input gets its gradient in .grad by retaining it, for
                # this and every later backward.
                t.retain_grad()
    grads = _root_grads(outputs, _as_list(grad_tensors), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        warnings.warn(_CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
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
) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, returned (not accumulated).

    ``is_grads_batched=True`` treats the first dimension of each grad_output as a batch
    and returns gradients with the same leading dimension.

    >>> import bridgetensor as bt
    >>> x = bt.tensor(3.0, requires_grad=True)
    >>> bt.autograd.grad(x ** 2, x)
    (tensor(6.),)
    """
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        return _batched_grad(
            outputs, inputs, _as_list(grad_outputs), retain_graph, create_graph, allow_unused
        )
    found = _grad(outputs, inputs, _as_list(grad_outputs), retain_graph, create_graph)
    result = []
    for index, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if materialize_grads:
                from ..ops._helpers import zeros_like

                g = zeros_like(t)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
        result.append(g)
    return tuple(result)


def _grad(outputs, inputs, grad_outputs, retain_graph, create_graph):
    from ._graph import run_backward

    grads = _root_grads(outputs, grad_outputs, create_graph)
    return run_backward(outputs, grads, retain_graph, create_graph, inputs, accumulate_grad=False)


def _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused):
    """``grad`` once per row of the grad_outputs, stacked (torch does this with vmap)."""
    from .. import ops

    if grad_outputs is None or any(g is None for g in grad_outputs):
        raise RuntimeError("is_grads_batched=True needs a grad_output for every output")
    batch = grad_outputs[0].shape[0] if grad_outputs[0].ndim else 0
    for g in grad_outputs:
        if g.ndim == 0 or g.shape[0] != batch:
            raise RuntimeError(
                "is_grads_batched=True: every grad_output needs the same leading batch "
                f"dimension; got shapes {[tuple(g.shape) for g in grad_outputs]}"
            )
    rows = []
    for b in range(batch):
        keep = retain_graph or b < batch - 1
        rows.append(_grad(outputs, inputs, [g[b, ...] for g in grad_outputs], keep, create_graph))
    result = []
    for index in range(len(inputs)):
        column = [row[index] for row in rows]
        if any(g is None for g in column):
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
            result.append(None)
            continue
        stacked = ops.stack(*column, axis=0)
        result.append(stacked if create_graph else stacked.detach())
    return tuple(result)
