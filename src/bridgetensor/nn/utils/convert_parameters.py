"""Parameters flattened into one vector, and a vector split back into parameters."""

from __future__ import annotations

from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _device_index(param, previous):
    """torch's check that all parameters live on one device (CPU counts as -1)."""
    index = (param.device.index or 0) if param.device.type == "cuda" else -1
    if previous is not None and index != previous:
        raise TypeError(
            "Found two parameters on different devices, this is currently not supported."
        )
    return index


def parameters_to_vector(parameters):
    """All parameters flattened and joined into one vector (differentiable).

    >>> import bridgetensor as bt
    >>> bt.nn.utils.parameters_to_vector([bt.ones(2, 2), bt.zeros(1)])
    tensor([1., 1., 1., 1., 0.])
    """
    from ..._torch_api.joining import cat

    device = None
    pieces = []
    for param in parameters:
        device = _device_index(param, device)
        pieces.append(param.reshape(-1))
    return cat(pieces)


def vector_to_parameters(vec, parameters) -> None:
    """Point each parameter's data at its slice of `vec` (shared memory, no graph).

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.zeros(2)); b = bt.nn.Parameter(bt.zeros(1))
    >>> bt.nn.utils.vector_to_parameters(bt.tensor([1.0, 2.0, 3.0]), [w, b]); b
    Parameter containing:
    tensor([3.], requires_grad=True)
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    device = None
    pointer = 0
    for param in parameters:
        device = _device_index(param, device)
        count = param.numel()
        param.data = vec[pointer : pointer + count].reshape(param.shape).data
        pointer += count


def _typename(obj) -> str:
    kind = type(obj)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"
