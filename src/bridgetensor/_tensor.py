"""Tensor: one backend array plus autograd state. No math lives here.

The methods of each op family are mixins defined beside their torch-face functions
in `_torch_api/`; this module holds the slots, the properties, Python's scalar and
container protocols, and the autograd entry points.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import backend_of_array
from ._interop import InteropMethods
from ._numpy_protocols import NumpyProtocolMethods
from ._torch_api.conversion import ConversionMethods
from ._torch_api.creation import CreationMethods
from ._torch_api.indexing import IndexingMethods
from ._torch_api.inplace import InplaceMethods
from ._torch_api.linalg import LinalgMethods
from ._torch_api.math import MathMethods
from ._torch_api.random_tensor import RandomMethods
from ._torch_api.reduction import ReductionMethods
from ._torch_api.shape import ShapeMethods
from ._torch_api.sorting import SortingMethods
from .autograd import _primitive
from .autograd._graph import Node, _Handle

__all__ = ["Size", "Tensor"]


class Size(tuple):
    """A tensor's shape: a tuple that prints as torch's ``Size([2, 3])``.

    >>> import bridgetensor as bt
    >>> bt.zeros(2, 3).shape
    bridgetensor.Size([2, 3])
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"bridgetensor.Size({list(self)})"

    def numel(self) -> int:
        count = 1
        for n in self:
            count *= n
        return count

    def __getitem__(self, index):
        found = tuple.__getitem__(self, index)
        return Size(found) if isinstance(index, slice) else found


class _Meta:
    """A tensor's rarely used autograd state, made on first need to keep tensors light."""

    __slots__ = ("grad", "grad_dtype", "hooks", "name", "post_hooks", "retains_grad")

    def __init__(self) -> None:
        self.grad = None
        self.hooks = None
        self.post_hooks = None
        self.retains_grad = False
        self.name = None
        self.grad_dtype = None


class Tensor(
    MathMethods,
    ReductionMethods,
    ShapeMethods,
    IndexingMethods,
    SortingMethods,
    LinalgMethods,
    ConversionMethods,
    CreationMethods,
    InplaceMethods,
    InteropMethods,
    NumpyProtocolMethods,
    RandomMethods,
):
    """A multi-dimensional array with autograd, wrapping one backend array without copying.

    Build tensors with ``bridgetensor.tensor``, ``from_numpy``, ``zeros`` and friends;
    ``Tensor(data)`` and ``Tensor(*sizes)`` are torch's legacy float constructors.

    >>> import bridgetensor as bt
    >>> bt.Tensor([1, 2]).dtype
    bridgetensor.float32
    """

    __slots__ = (
        "__weakref__",
        "_base",
        "_be",
        "_data",
        "_grad_fn",
        "_meta",
        "_output_nr",
        "_requires_grad",
        "_vcount",
        "_view",
    )
    __array_priority__ = 1000  # NumPy defers `ndarray + Tensor` to Tensor.__radd__

    def __init__(self, *args, device=None) -> None:
        from ._creation import legacy_tensor_data

        data, be = legacy_tensor_data(args, device)
        self._data = data
        self._be = be
        self._requires_grad = False
        self._grad_fn = None
        self._output_nr = 0
        self._base = None
        self._meta = None
        self._view = None
        self._vcount = None

    @classmethod
    def _wrap_array(cls, array, requires_grad: bool = False) -> Tensor:
        """A tensor over `array` (no copy); NumPy scalars become 0-d arrays."""
        if isinstance(array, np.generic):
            array = np.asarray(array)
        t = _primitive._wrap(array, backend_of_array(array), None)
        t._requires_grad = requires_grad
        return t

    def _meta_or_new(self) -> _Meta:
        meta = self._meta
        if meta is None:
            meta = self._meta = _Meta()
        return meta

    def _snapshot(self) -> Tensor:
        """A copy of the data that keeps this tensor's place in the graph."""
        t = _primitive._wrap(self._be.xp.asarray(self._data, copy=True), self._be, None)
        t._grad_fn = self._grad_fn
        t._output_nr = self._output_nr
        t._requires_grad = self._requires_grad
        return t

    # ------------------------------------------------------------ properties

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> _dtypes.dtype:
        native = self._data.dtype
        found = self._be.from_native.get(native)
        return found if found is not None else self._be.dtype_from_native(native)

    @property
    def device(self):
        return self._be.device_of(self._data)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def is_cuda(self) -> bool:
        return self._be.is_gpu

    @property
    def backend(self) -> str:
        """The name of the array library holding the data ("numpy", "cupy", ...)."""
        return self._be.name

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self._set_requires_grad(value, "floating point and complex dtype")

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient tracking for a leaf tensor; returns self."""
        # torch words the refusal differently here than in the property setter.
        return self._set_requires_grad(requires_grad, "floating point dtype")

    def _set_requires_grad(self, requires_grad, kinds: str) -> Tensor:
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return self
        if requires_grad and self._be.kinds[self._data.dtype] not in "fc":
            raise RuntimeError(f"only Tensors of {kinds} can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        meta = self._meta
        found = None if meta is None else meta.grad
        if found is None and self._grad_fn is not None and not self.retains_grad:
            import warnings

            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return found

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{value.dtype.name}' to a "
                    f"tensor with dtype '{self.dtype.name}'. The gradient must match the "
                    "tensor's dtype."
                )
        self._meta_or_new().grad = value

    @grad.deleter
    def grad(self) -> None:
        self._meta_or_new().grad = None

    @property
    def grad_fn(self) -> Node | None:
        view = self._view
        if view is not None and view.base_fn is not self._base._grad_fn:
            view.refresh(self)
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def retains_grad(self) -> bool:
        return self._meta is not None and self._meta.retains_grad

    @property
    def _version(self) -> int:
        root = self._base if self._base is not None else self
        return 0 if root._vcount is None else root._vcount[0]

    @property
    def data(self) -> Tensor:
        """The same data, detached from the graph (writes to it are not tracked)."""
        # Unlike detach(), .data shares no version counter: writes to it go untracked.
        return _primitive._wrap(self._data, self._be, None)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor; got {type(value).__name__}")
        self._data = value._data
        self._be = value._be

    @property
    def name(self):
        return None if self._meta is None else self._meta.name

    # ------------------------------------------------------------ sizes

    def size(self, dim: int | None = None):
        """The shape, or the length of dimension `dim`."""
        if dim is None:
            return self.shape
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[_normalize_dim(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        count = 1
        for n in self._data.shape:
            count *= n
        return count

    nelement = numel

    def element_size(self) -> int:
        return self.dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self.dtype.itemsize

    # ------------------------------------------------------------ Python protocols

    def item(self):
        """The value of a one-element tensor as a Python number."""
        count = self.numel()
        if count != 1:
            raise RuntimeError(f"a Tensor with {count} elements cannot be converted to Scalar")
        return _to_python(self._be, self._data).reshape(()).item()

    def tolist(self):
        """The data as (nested) Python lists of Python numbers."""
        return _to_python(self._be, self._data).tolist()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        # Each row is a view of this tensor, as torch's unbind(0) gives.
        return (self[i, ...] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        count = self.numel()
        if count != 1:
            amount = "no values" if count == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self.item())

    def _scalar(self, kind, c_name: str):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        value = self.item()
        if isinstance(value, complex) and kind is not complex:
            if value.imag != 0:
                raise RuntimeError(f"value cannot be converted to type {c_name} without overflow")
            value = value.real
        return kind(value)

    def __int__(self) -> int:
        return self._scalar(int, "int64_t")

    def __float__(self) -> float:
        return self._scalar(float, "double")

    def __complex__(self) -> complex:
        return self._scalar(complex, "complex<double>")

    def __index__(self) -> int:
        if self.numel() != 1 or self._be.kinds[self._data.dtype] not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        from ._printing import tensor_repr

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)

    def __reduce_ex__(self, protocol):
        from ._interop import to_numpy

        return (_rebuild, (to_numpy(self.detach()), self._requires_grad))

    def __deepcopy__(self, memo):
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment."
            )
        copy = type(self).__new__(type(self))
        _copy_slots(copy, self.detach().clone())
        copy._requires_grad = self._requires_grad
        if self.grad is not None:
            copy._meta_or_new().grad = self.grad.clone()
        memo[id(self)] = copy
        return copy

    # ------------------------------------------------------------ autograd

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see autograd.backward)."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same data, cut from the graph (shares memory and the version counter)."""
        t = _primitive._wrap(self._data, self._be, None)
        t._vcount = _primitive.version_counter(self)
        return t

    def detach_(self) -> Tensor:
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view "
                "is set as True, gradients are views of DDP buckets, and hence detach_() "
                "cannot be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if self._grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        meta = self._meta_or_new()
        if not meta.retains_grad:
            meta.retains_grad = True
            self._grad_fn.retain(self._output_nr, self)

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            return self._grad_fn.add_tensor_hook(self._output_nr, hook)
        meta = self._meta_or_new()
        if meta.hooks is None:
            meta.hooks = []
        return _Handle(meta.hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after a leaf's ``.grad`` has been accumulated."""
        if self._grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        meta = self._meta_or_new()
        if meta.post_hooks is None:
            meta.post_hooks = []
        return _Handle(meta.post_hooks, hook)


_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


def _copy_slots(target: Tensor, source: Tensor) -> None:
    for slot in (
        "_data",
        "_be",
        "_requires_grad",
        "_grad_fn",
        "_output_nr",
        "_base",
        "_meta",
        "_view",
        "_vcount",
    ):
        setattr(target, slot, getattr(source, slot))


def _rebuild(array, requires_grad):
    t = Tensor._wrap_array(array)
    t._requires_grad = requires_grad
    return t


def _to_python(be, array):
    """A NumPy view or copy of `array` for item()/tolist() (device data is fetched)."""
    if be.is_numpy:
        return array
    from ._interop import host_array

    return host_array(array, be)


def _normalize_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


_primitive.Tensor = Tensor
_primitive.TENSOR_TYPES.add(Tensor)
