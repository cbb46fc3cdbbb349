"""The graph and the backward engine.

A `Node` is what an op leaves behind when it needs a gradient: edges to where each
input's gradient goes (another Node, or a leaf Tensor to accumulate into), the
inputs its VJPs read, and a record of its output (its array and version, never the
output Tensor itself, so a Node and its output form no reference cycle).

The backward walk is iterative: nodes wait in a heap keyed by creation order, and
a node is processed only after every node created later, which is after all of its
consumers. That needs no recursion (a 100,000-op chain is fine) and makes the order
deterministic.
"""

from __future__ import annotations

import heapq
import weakref

from . import _mode

__all__ = ["Node", "SavedOutput", "run_backward", "version_of"]

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
        """Anomaly mode: remember the saved arrays' contents to catch writes torch misses."""
        copies = []
        for t in self.saved:
            if hasattr(t, "_data") and hasattr(t._data, "dtype"):
                copies.append((t, t._be.xp.asarray(t._data, copy=True)))
        self._hooks()["anomaly"] = copies


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
    counter = (tensor._base if tensor._base is not None else tensor)._meta_or_new().counter
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
        from . import _primitive

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
    levels = node.prim.saves
    if node.prim.saves_all or 1 not in tuple(levels[i] for i in range(len(saved))):
        return saved
    return tuple(
        TensorInfo(*info) if level == 1 and info is not None else value
        for value, level, info in zip(saved, levels, node.inputs_info)
    )


def _check_versions(node) -> None:
    records = list(node.versions)
    if node.out is not None:
        records += node.out.versions
    for counter, version in records:
        if counter[0] != version:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: a tensor saved by {node.name()} is at version "
                f"{counter[0]}; expected version {version} instead. Hint: the operation "
                "that failed to compute its gradient is the one above; find the in-place write "
                "to its input or output."
            )
    if node.hooks and "anomaly" in node.hooks:
        for t, copy in node.hooks["anomaly"]:
            xp = t._be.xp
            same = xp.all((t._data == copy) | ((t._data != t._data) & (copy != copy)))
            if not bool(same):
                raise RuntimeError(
                    f"detect_anomaly: an input saved by {node.name()} was changed after the "
                    "forward pass without an in-place bridgetensor op (for example through a "
                    "NumPy array sharing its memory); its gradient would be wrong."
                )


def _sum_to(grad, info, node, index):
    """Reduce a broadcast gradient to its input's shape and cast it to its dtype."""
    shape, native, _ = info
    data = grad._data
    if data.shape != shape:
        from .. import ops

        lead = data.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and data.shape[lead + i] != 1
        )
        if lead < 0 or any(n != 1 and data.shape[lead + i] != n for i, n in enumerate(shape)):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(data.shape)} but expected shape compatible with {list(shape)}"
            )
        grad = ops.sum(grad, axis=axes, keepdims=True) if axes else grad
        if lead:
            grad = ops.reshape(grad, shape=shape)
    if grad._data.dtype != native:
        from .. import ops

        grad = ops.astype(grad, dtype=grad._be.from_native[native])
    return grad


def _add_grads(a, b):
    if a is None:
        return b
    return a + b


def _owned(grad, incoming) -> bool:
    """Whether `grad`'s memory belongs to nobody else, so a leaf may keep it uncopied."""
    if grad._base is not None:
        return False
    return all(grad is not g for g in incoming)


def accumulate(leaf, grad, create_graph: bool, owned: bool) -> None:
    """Add `grad` into ``leaf.grad`` as torch's AccumulateGrad does."""
    meta = leaf._meta_or_new()
    if meta.hooks:
        for hook in list(meta.hooks):
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
                owned = False
    if meta.grad is None:
        if create_graph:
            meta.grad = grad if owned else grad.clone()
        else:
            meta.grad = grad.detach() if owned else grad.detach().clone()
    elif create_graph:
        meta.grad = meta.grad + grad
    else:
        target = meta.grad
        data = target._data
        data += grad._data
        target._data = data
    for hook in list(meta.post_hooks or ()):
        hook(leaf)


def _needed_nodes(roots, input_nodes, input_leaves) -> set:
    """Nodes from which some requested input can be reached (others need no VJP)."""
    needed = set()
    done = set()
    stack = [(node, False) for node in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            done.add(node)
            if node in input_nodes or any(
                e is not None and (e[0] in needed or id(e[0]) in input_leaves) for e in node.edges
            ):
                needed.add(node)
            continue
        if node in done:
            continue
        stack.append((node, True))
        for e in node.edges:
            if e is not None and isinstance(e[0], Node) and e[0] not in done:
                stack.append((e[0], False))
    return needed


def run_backward(outputs, grads, retain_graph, create_graph, inputs=None, accumulate_grad=True):
    """Propagate `grads` from `outputs` through the graph.

    With ``accumulate_grad`` the gradients land in leaves' ``.grad`` (only in `inputs`' when
    given); without, they are returned, one per input (``autograd.grad``).
    """
    input_leaves, input_nodes = {}, {}
    for i, t in enumerate(inputs or ()):
        if t._grad_fn is None:
            input_leaves[id(t)] = i
        else:
            input_nodes[(t._grad_fn, t._output_nr)] = i
    captured = [None] * len(inputs or ())
    buffers: dict = {}
    heap: list = []
    root_grads = list(grads)
    for out, grad in zip(outputs, grads):
        fn = out._grad_fn
        if fn is None:
            _deliver_leaf(
                out,
                grad,
                inputs,
                input_leaves,
                captured,
                accumulate_grad,
                create_graph,
                owned=False,
            )
            continue
        slots = buffers.get(fn)
        if slots is None:
            slots = buffers[fn] = [None] * len(fn.outputs_info)
            heapq.heappush(heap, (-fn.seq, fn))
        slots[out._output_nr] = _add_grads(slots[out._output_nr], grad)
    needed = None
    if inputs is not None:
        needed = _needed_nodes([fn for _, fn in heap], {n for n, _ in input_nodes}, input_leaves)
    previous_mode = _state.grad_enabled
    _state.grad_enabled = create_graph
    try:
        while heap:
            _, node = heapq.heappop(heap)
            slots = buffers.pop(node)
            if needed is not None and node not in needed:
                continue
            slots = _run_tensor_hooks(node, slots)
            if input_nodes:
                for nr, g in enumerate(slots):
                    index = input_nodes.get((node, nr))
                    if index is not None and g is not None:
                        captured[index] = _add_grads(captured[index], g)
                        if accumulate_grad:
                            tensor = inputs[index]
                            accumulate(tensor, g, create_graph, owned=False)
            _process(
                node,
                slots,
                buffers,
                heap,
                inputs,
                input_leaves,
                captured,
                accumulate_grad,
                create_graph,
                retain_graph,
                root_grads,
            )
    finally:
        _state.grad_enabled = previous_mode
    return captured


def _run_tensor_hooks(node, slots):
    hooks = node.hooks
    if not hooks:
        return slots
    for nr in range(len(slots)):
        for hook in list(hooks.get(("tensor", nr), ())):
            if slots[nr] is not None:
                replaced = hook(slots[nr])
                if replaced is not None:
                    slots[nr] = replaced
        ref = hooks.get(("retain", nr))
        tensor = ref() if ref is not None else None
        if tensor is not None and slots[nr] is not None:
            accumulate(tensor, slots[nr], _state.grad_enabled, owned=False)
    for hook in list(hooks.get("pre_node", ())):
        replaced = hook(tuple(slots))
        if replaced is not None:
            slots = list(replaced)
    return slots


def _process(
    node,
    slots,
    buffers,
    heap,
    inputs,
    input_leaves,
    captured,
    accumulate_grad,
    create_graph,
    retain_graph,
    root_grads,
):
    prim = node.prim
    if node.released:
        raise RuntimeError(SECOND_BACKWARD)
    _check_versions(node)
    if len(slots) == 1:
        if slots[0] is None:
            return
        grad_out = slots[0]
    else:
        if all(g is None for g in slots):
            return
        grad_out = tuple(g if g is not None else _zeros(node, nr) for nr, g in enumerate(slots))
    out = node.out.tensors(node) if node.out is not None else None
    saved = _with_metadata(node)
    static = node.static
    incoming = slots + root_grads
    results = []
    for index, edge in enumerate(node.edges):
        if edge is None:
            results.append(None)
            continue
        rule = prim.vjps[index]
        grad = rule(grad_out, out, *saved, **static) if rule is not None else None
        if grad is not None:
            grad = _sum_to(grad, node.inputs_info[index], node, index)
            if _state.anomaly:
                _check_nan(node, index, grad)
        results.append(grad)
    if node.hooks and "post" in node.hooks:
        for hook in list(node.hooks["post"]):
            replaced = hook(tuple(results), tuple(slots))
            if replaced is not None:
                results = list(replaced)
    for edge, grad in zip(node.edges, results):
        if edge is None or grad is None:
            continue
        target, nr = edge
        if isinstance(target, Node):
            target_slots = buffers.get(target)
            if target_slots is None:
                target_slots = buffers[target] = [None] * len(target.outputs_info)
                heapq.heappush(heap, (-target.seq, target))
            target_slots[nr] = _add_grads(target_slots[nr], grad)
        else:
            _deliver_leaf(
                target,
                grad,
                inputs,
                input_leaves,
                captured,
                accumulate_grad,
                create_graph,
                owned=_owned(grad, incoming),
            )
            incoming.append(grad)
    if not retain_graph and prim.keeps_arrays:
        node.saved = ()
        node.out = None
        node.released = True


def _deliver_leaf(leaf, grad, inputs, input_leaves, captured, accumulate_grad, create_graph, owned):
    if inputs is not None:
        index = input_leaves.get(id(leaf))
        if index is None:
            return
        if not accumulate_grad:
            meta = leaf._meta
            if meta is not None and meta.hooks:
                for hook in list(meta.hooks):
                    replaced = hook(grad)
                    if replaced is not None:
                        grad = replaced
            captured[index] = _add_grads(captured[index], grad)
            return
    if accumulate_grad:
        accumulate(leaf, grad, create_graph, owned)


def _zeros(node, nr):
    from ._primitive import _wrap

    shape, native, backend = node.outputs_info[nr]
    return _wrap(backend.xp.zeros(shape, dtype=native), backend, None)


def _check_nan(node, index, grad) -> None:
    xp = grad._be.xp
    if bool(xp.any(xp.isnan(grad._data))):
        raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")
