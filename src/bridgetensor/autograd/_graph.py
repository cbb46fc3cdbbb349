"""The graph: nodes, their saved values, and the checks made before a node's VJPs run.

A `Node` is what an op leaves behind when it needs a gradient: edges to where each
input's gradient goes (another Node, or a leaf Tensor to accumulate into), the
inputs its VJPs read, and a record of its output (its array and version, never the
output Tensor itself, so a Node and its output form no reference cycle). The
backward walk itself is in `_engine`.
"""

from __future__ import annotations

import re
import weakref

from . import _mode

__all__ = ["Node", "SavedOutput", "accumulate", "run_backward", "version_error", "version_of"]

_state = _mode.state

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """A recorded op (``grad_fn``); its class name is torch's, e.g. ``MulBackward0``."""

    __slots__ = (
        "__weakref__",
        "edges",
        "hooks",
        "inputs_info",
        "out",
        "outputs_info",
        "released",
        "saved",
        "seq",
        "static",
        "versions",
    )
    prim = None  # set per primitive on its Node subclass

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple:
        """(grad_fn, output_nr) per input; leaves appear as ``AccumulateGrad``."""
        found = []
        for edge in self.edges:
            if edge is None:
                found.append((None, 0))
            elif isinstance(edge[0], Node):
                found.append(edge)
            else:
                found.append((AccumulateGrad(edge[0]), 0))
        return tuple(found)

    @property
    def metadata(self) -> dict:
        return self._hooks().setdefault("metadata", {})

    def _hooks(self) -> dict:
        if self.hooks is None:
            self.hooks = {}
        return self.hooks

    def register_hook(self, hook):
        """``hook(grad_inputs, grad_outputs)`` runs after this node's VJPs."""
        return _Handle(self._hooks().setdefault("post", []), hook)

    def register_prehook(self, hook):
        """``hook(grad_outputs)`` runs before this node's VJPs; may return new grads."""
        return _Handle(self._hooks().setdefault("pre_node", []), hook)

    def add_tensor_hook(self, output_nr: int, hook):
        return _Handle(self._hooks().setdefault(("tensor", output_nr), []), hook)

    def retain(self, output_nr: int, tensor) -> None:
        self._hooks()[("retain", output_nr)] = weakref.ref(tensor)

    def snapshot_inputs(self) -> None:
        """Anomaly mode: remember the call site and copies of what backward will read."""
        from . import _anomaly

        _anomaly.record(self, self.saved, self.out)


class AccumulateGrad:
    """The end of an edge into a leaf tensor, as torch shows it in ``next_functions``."""

    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple:
        return ()


class _Handle:
    """What ``register_hook`` returns; ``remove()`` takes the hook out again."""

    __slots__ = ("hook", "hooks")

    def __init__(self, hooks: list, hook) -> None:
        self.hooks = hooks
        self.hook = hook
        hooks.append(hook)

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.remove()


def version_of(tensor) -> tuple:
    """(version record, current version) of a tensor; views share their base's record."""
    counter = _primitive.version_counter(tensor)
    return counter, counter[0]


class SavedOutput:
    """A node's own output(s), kept as arrays plus versions (no Tensor, so no cycle)."""

    __slots__ = ("arrays", "backend", "versions")

    def __init__(self, results) -> None:
        self.arrays = [r._data for r in results]
        self.backend = results[0]._be
        self.versions = [version_of(r) for r in results]

    def tensors(self, node):
        """Tensors standing for the outputs, attached to `node` for higher-order gradients."""
        found = []
        for nr, array in enumerate(self.arrays):
            t = _primitive._wrap(array, self.backend, None)
            if self.backend.kinds[array.dtype] in "fc":
                t._grad_fn = node
                t._output_nr = nr
                t._requires_grad = True
            found.append(t)
        return found[0] if len(found) == 1 else tuple(found)


class TensorInfo:
    """Stands for an input whose rules read only its shape, dtype, ndim or device."""

    __slots__ = ("device", "dtype", "ndim", "shape")

    def __init__(self, shape, native, backend) -> None:
        from .._tensor import Size

        self.shape = Size(shape)
        self.ndim = len(shape)
        self.dtype = backend.dtype_from_native(native)
        self.device = None


def _with_metadata(node):
    """The node's saved inputs, with stand-ins where the rules read only metadata."""
    saved = node.saved
    if not node.prim.reads_meta:
        return saved
    levels = node.prim.saves
    return tuple(
        TensorInfo(*info) if level == 1 and info is not None else value
        for value, level, info in zip(saved, levels, node.inputs_info)
    )


def short_name(name: str) -> str:
    """torch's name for a node in version errors: ``MulBackward0`` is ``Mul``."""
    return re.sub(r"Backward\d*$", "", name)


def version_error(type_name, shape, producer, output_nr, current, expected) -> RuntimeError:
    """torch's error for a saved tensor written in place between forward and backward."""
    where = f", which is output {output_nr} of {short_name(producer)}," if producer else ""
    hint = ANOMALY_HINT if _state.anomaly else HINT
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{type_name} {list(shape)}]{where} is at version {current}; "
        f"expected version {expected} instead. {hint}"
    )


HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with bridgetensor.autograd.set_detect_anomaly(True, check_nan=False)."
)
ANOMALY_HINT = (
    "Hint: the backtrace further above shows the operation that failed to compute its "
    "gradient. The variable in question was changed in there or anywhere later. Good luck!"
)


def _check_versions(node) -> None:
    if not node.versions and node.out is None and not node.hooks:
        return
    for index, (counter, version) in enumerate(node.versions):
        if counter[0] != version:
            t = [a for a in node.saved if hasattr(a, "_data")][index]
            fn = t._grad_fn
            producer = fn.name() if fn is not None else None
            raise version_error(t.type(), t.shape, producer, t._output_nr, counter[0], version)
    out = node.out
    if out is not None:
        for nr, (counter, version) in enumerate(out.versions):
            if counter[0] != version:
                t = _primitive._wrap(out.arrays[nr], out.backend, None)
                raise version_error(t.type(), t.shape, node.name(), nr, counter[0], version)
    if node.hooks and "anomaly" in node.hooks:
        from ._anomaly import check_unchanged

        check_unchanged(node)


# The backward walk lives in _engine; these names stay importable from here.
from . import _primitive  # noqa: E402
from ._engine import accumulate, run_backward  # noqa: E402
from ._engine import sum_to as _sum_to  # noqa: E402, F401
