"""Parameter: a Tensor that a Module registers as a learnable weight."""

from __future__ import annotations

from .. import _creation
from .._tensor import Tensor, _copy_slots
from ..autograd import _primitive

__all__ = ["Buffer", "Parameter"]


class Parameter(Tensor):
    """A leaf Tensor that requires grad and that Modules collect in ``parameters()``.

    It shares memory with the tensor it is made from.

    >>> import bridgetensor as bt
    >>> bt.nn.Parameter(bt.ones(2))
    Parameter containing:
    tensor([1., 1.], requires_grad=True)
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = _creation.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter: expected a Tensor as data; got {type(data).__name__}")
        p = object.__new__(cls)
        _copy_slots(p, _primitive._wrap(data._data, data._be, None))
        p.requires_grad_(requires_grad)
        return p

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # all done in __new__, which also serves copy and pickle

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        from .._interop import to_numpy

        return (_rebuild_parameter, (to_numpy(self.detach()), self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        copy = Parameter(self.detach().clone(), self._requires_grad)
        if self.grad is not None:
            copy.grad = self.grad.clone()
        memo[id(self)] = copy
        return copy


def _rebuild_parameter(array, requires_grad):
    return Parameter(Tensor._wrap_array(array), requires_grad)


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a Module attribute.

    >>> import bridgetensor as bt
    >>> m = bt.nn.Module(); m.steps = bt.nn.Buffer(bt.zeros(1)); list(m.state_dict())
    ['steps']
    """

    __slots__ = ("persistent",)

    def __new__(cls, data: Tensor, *, persistent: bool = True):
        b = object.__new__(cls)
        for slot in ("_data", "_be", "_requires_grad", "_grad_fn", "_output_nr", "_base", "_meta"):
            setattr(b, slot, getattr(data, slot))
        b.persistent = persistent
        return b

    def __init__(self, data: Tensor, *, persistent: bool = True) -> None:
        pass


_primitive.TENSOR_TYPES.add(Parameter)
_primitive.TENSOR_TYPES.add(Buffer)
