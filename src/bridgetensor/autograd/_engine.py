"""The backward walk: from output gradients to leaves' ``.grad`` (or to ``autograd.grad``).

Nodes wait in a heap keyed by creation order, and a node is processed only after every
node created later, which is after all of its consumers. That needs no recursion (a
100,000-op chain is fine) and makes the order deterministic. Each node's gradient slots
are summed before its VJPs run; its saved values are dropped right after, unless the
graph is retained, so memory falls as the walk goes.
"""

from __future__ import annotations

import heapq

from . import _mode
from ._graph import SECOND_BACKWARD, Node, _check_versions, _with_metadata

__all__ = ["accumulate", "run_backward"]

_state = _mode.state


def sum_to(grad, info, node, index):
    """Reduce a broadcast gradient to its input's shape and cast it to its dtype."""
    shape, native, _ = info
    data = grad._data
    if data.shape != shape:
        from .. import ops

        lead = data.ndim - len(shape)
        if lead < 0 or any(n != 1 and data.shape[lead + i] != n for i, n in enumerate(shape)):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(data.shape)} but expected shape compatible with {list(shape)}"
            )
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and data.shape[lead + i] != 1
        )
        grad = ops.sum(grad, axis=axes, keepdims=True) if axes else grad
        if lead:
            grad = ops.reshape(grad, shape=shape)
    if grad._data.dtype != native:
        from .. import ops

        kinds = grad._be.kinds
        if kinds[grad._data.dtype] == "c" and kinds[native] != "c":
            grad = ops.real(grad)  # a real input's gradient is the real part, as in torch
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
    """Nodes whose VJPs lead to a requested input (the others need not run).

    A node that produced a requested input but leads to no other one is visited (its
    gradient is captured) without running its VJPs.
    """
    needed = set()
    done = set()
    stack = [(node, False) for node in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            done.add(node)
            for e in node.edges:
                if e is None:
                    continue
                target = e[0]
                if isinstance(target, Node):
                    if target in needed or target in input_nodes:
                        needed.add(node)
                        break
                elif id(target) in input_leaves:
                    needed.add(node)
                    break
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
    given, non-leaf inputs included); without, they are returned, one per input
    (``autograd.grad``).
    """
    input_leaves, input_nodes = {}, {}
    for i, t in enumerate(inputs or ()):
        if t._grad_fn is None:
            input_leaves[id(t)] = i
        else:
            input_nodes[(t._grad_fn, t._output_nr)] = i
    capture_nodes = {n for n, _ in input_nodes}
    walk = _Walk(inputs, input_leaves, accumulate_grad, create_graph, retain_graph, grads)
    buffers = walk.buffers
    heap = walk.heap
    for out, grad in zip(outputs, grads):
        fn = out._grad_fn
        if fn is None:
            walk.deliver_leaf(out, grad, owned=False)
            continue
        walk.send(fn, out._output_nr, grad)
    needed = None
    if inputs is not None:
        needed = _needed_nodes([fn for _, fn in heap], capture_nodes, input_leaves)
    previous_mode = _state.grad_enabled
    _state.grad_enabled = create_graph
    node = None
    plain = needed is None and not _state.anomaly
    pop = heapq.heappop
    try:
        while heap:
            _, node = pop(heap)
            slots = buffers.pop(node)
            if plain and node.hooks is None and _fast_process(node, slots, walk):
                continue
            if needed is not None and node not in needed and node not in capture_nodes:
                continue
            slots = _run_tensor_hooks(node, slots)
            if node in capture_nodes:
                walk.capture(node, slots, input_nodes)
                # As torch: backward(inputs=) runs the VJPs of a non-leaf input's node (its
                # hooks fire), autograd.grad only captures the gradient there.
                if node not in needed and not walk.accumulate_grad:
                    continue
            if node.hooks and "pre_node" in node.hooks:
                slots = _run_pre_hooks(node, slots)
            _process(node, slots, walk)
        node = None
    except BaseException:
        if node is not None and node.hooks and "anomaly" in node.hooks:
            from ._anomaly import warn_forward_trace

            warn_forward_trace(node)
        raise
    finally:
        _state.grad_enabled = previous_mode
    return walk.captured


class _Walk:
    """The state of one backward call: pending gradients and where results go."""

    __slots__ = (
        "accumulate_grad",
        "buffers",
        "captured",
        "create_graph",
        "heap",
        "input_leaves",
        "inputs",
        "retain_graph",
        "root_grads",
    )

    def __init__(self, inputs, input_leaves, accumulate_grad, create_graph, retain_graph, roots):
        self.inputs = inputs
        self.input_leaves = input_leaves
        self.accumulate_grad = accumulate_grad
        self.create_graph = create_graph
        self.retain_graph = retain_graph
        self.root_grads = list(roots)
        self.captured = [None] * len(inputs or ())
        self.buffers = {}
        self.heap = []

    def send(self, node, nr, grad) -> None:
        """Add `grad` to the pending gradient of `node`'s output `nr`."""
        slots = self.buffers.get(node)
        if slots is None:
            slots = self.buffers[node] = [None] * len(node.outputs_info)
            heapq.heappush(self.heap, (-node.seq, node))
        slots[nr] = _add_grads(slots[nr], grad)

    def capture(self, node, slots, input_nodes) -> None:
        """Record the gradients of non-leaf tensors named in ``inputs``.

        (``backward(inputs=)`` makes them retain their grad, which stores it in ``.grad``.)
        """
        for nr, g in enumerate(slots):
            index = input_nodes.get((node, nr))
            if index is not None and g is not None:
                self.captured[index] = _add_grads(self.captured[index], g)

    def deliver_leaf(self, leaf, grad, owned) -> None:
        if self.inputs is not None:
            index = self.input_leaves.get(id(leaf))
            if index is None:
                return
            if not self.accumulate_grad:
                meta = leaf._meta
                if meta is not None and meta.hooks:
                    for hook in list(meta.hooks):
                        replaced = hook(grad)
                        if replaced is not None:
                            grad = replaced
                self.captured[index] = _add_grads(self.captured[index], grad)
                return
        if self.accumulate_grad:
            accumulate(leaf, grad, self.create_graph, owned)


def _run_tensor_hooks(node, slots):
    hooks = node.hooks
    if not hooks:
        return slots
    for nr in range(len(slots)):
        # As torch, tensor hooks are called even with an undefined (None) gradient.
        for hook in list(hooks.get(("tensor", nr), ())):
            replaced = hook(slots[nr])
            if replaced is not None:
                slots[nr] = replaced
        ref = hooks.get(("retain", nr))
        tensor = ref() if ref is not None else None
        if tensor is not None and slots[nr] is not None:
            accumulate(tensor, slots[nr], _state.grad_enabled, owned=False)
    return slots


def _run_pre_hooks(node, slots):
    for hook in list(node.hooks.get("pre_node", ())):
        replaced = hook(tuple(slots))
        if replaced is not None:
            slots = list(replaced)
    return slots


def _primitive_vjps(node, slots):
    """The gradients of a primitive's inputs (None where an input needs none)."""
    prim = node.prim
    if node.released:
        raise RuntimeError(SECOND_BACKWARD)
    _check_versions(node)
    if len(slots) == 1:
        grad_out = slots[0]
        if grad_out is None:
            return [None] * len(node.edges)
    else:
        if all(g is None for g in slots):
            return [None] * len(node.edges)
        grad_out = tuple(g if g is not None else _zeros(node, nr) for nr, g in enumerate(slots))
    out = node.out.tensors(node) if node.out is not None else None
    saved = _with_metadata(node)
    static = node.static
    conjugate = _conjugated(prim, grad_out)
    results = []
    for index, edge in enumerate(node.edges):
        if edge is None:
            results.append(None)
            continue
        grad = _vjp(prim.vjps[index], conjugate, grad_out, out, saved, static)
        if grad is not None:
            info = node.inputs_info[index]
            data = grad._data
            if data.shape != info[0] or data.dtype != info[1]:
                grad = sum_to(grad, info, node, index)
        results.append(grad)
    return results


def _process(node, slots, walk):
    prim = node.prim
    if prim is None:  # a custom autograd.Function
        results = node._backward_grads(slots)
    else:
        results = _primitive_vjps(node, slots)
    if node.hooks and "post" in node.hooks:
        for hook in list(node.hooks["post"]):
            replaced = hook(tuple(results), tuple(slots))
            if replaced is not None:
                results = list(replaced)
    if _state.anomaly and _state.check_nan:
        for index, grad in enumerate(results):
            if grad is not None:
                _check_nan(node, index, grad)
    incoming = None
    buffers = walk.buffers
    for edge, grad in zip(node.edges, results):
        if edge is None:
            continue
        target, nr = edge
        if grad is None:
            # As torch, an undefined gradient still reaches the next node, which runs (a
            # custom Function may see it as None or zeros); leaves ignore it.
            if isinstance(target, Node) and target not in buffers:
                buffers[target] = [None] * len(target.outputs_info)
                heapq.heappush(walk.heap, (-target.seq, target))
            continue
        if isinstance(target, Node):
            slots_of_target = buffers.get(target)
            if slots_of_target is None:
                slots_of_target = buffers[target] = [None] * len(target.outputs_info)
                heapq.heappush(walk.heap, (-target.seq, target))
                slots_of_target[nr] = grad
            else:
                slots_of_target[nr] = _add_grads(slots_of_target[nr], grad)
        else:
            if incoming is None:
                incoming = slots + walk.root_grads
            # A custom backward may return a tensor it keeps elsewhere: never adopt it.
            owned = prim is not None and _owned(grad, incoming)
            walk.deliver_leaf(target, grad, owned=owned)
            incoming.append(grad)
    if not walk.retain_graph:
        if prim is None:
            node._release()
        elif prim.keeps_arrays:
            node.saved = ()
            node.out = None
            node.released = True
            if node.hooks and "anomaly" in node.hooks:
                from ._anomaly import release

                release(node)


def _conjugated(prim, grad_out) -> bool:
    """Whether this node's rules run between conjugations: a complex gradient reaching a
    primitive whose rules are written as g * f'(z) (see `_conjugated_vjp`)."""
    if not prim.conjugate_rules or type(grad_out) is tuple:
        return False
    return grad_out._be.kinds[grad_out._data.dtype] == "c"


def _vjp(rule, conjugate: bool, grad_out, out, saved, static):
    """One input's gradient from its rule (None for a non-differentiable input)."""
    if rule is None:
        return None
    if conjugate:
        return _conjugated_vjp(rule, grad_out, out, saved, static)
    return rule(grad_out, out, *saved, **static)


def _conjugated_vjp(rule, grad_out, out, saved, static):
    """torch's complex convention from a rule written as g * f'(z).

    For a real loss, torch's gradient of a complex input is g * conj(f'(z)) (the conjugate
    Wirtinger derivative, doubled). A rule that is linear in g with holomorphic
    coefficients gives it as conj(rule(conj(g))): the rules stay as they are for real
    inputs. Non-holomorphic primitives (abs, real, imag, angle, conj, the FFTs) write
    torch's convention themselves and opt out (`conjugate_rules = False`).
    """
    from ..ops.elementwise_math import conj

    grad = rule(conj(grad_out), out, *saved, **static)
    return None if grad is None else conj(grad)


def _fast_process(node, slots, walk) -> bool:
    """The common node, done with the least work: a primitive's single output with a defined
    gradient, no hooks, no anomaly mode. Returns False (having done nothing) otherwise, and
    `_process` handles the node."""
    prim = node.prim
    grad_out = slots[0]
    if prim is None or grad_out is None or len(slots) != 1 or _conjugated(prim, grad_out):
        return False  # (complex gradients take `_process`, which conjugates around rules)
    if node.released:
        raise RuntimeError(SECOND_BACKWARD)
    if node.versions or node.out is not None:
        _check_versions(node)
    out = node.out.tensors(node) if node.out is not None else None
    saved = _with_metadata(node) if prim.reads_meta else node.saved
    static = node.static
    vjps = prim.vjps
    infos = node.inputs_info
    buffers = walk.buffers
    incoming = None
    for index, edge in enumerate(node.edges):
        if edge is None:
            continue
        rule = vjps[index]
        grad = rule(grad_out, out, *saved, **static) if rule is not None else None
        target, nr = edge
        if grad is None:
            if isinstance(target, Node) and target not in buffers:
                buffers[target] = [None] * len(target.outputs_info)
                heapq.heappush(walk.heap, (-target.seq, target))
            continue
        info = infos[index]
        data = grad._data
        if data.shape != info[0] or data.dtype != info[1]:
            grad = sum_to(grad, info, node, index)
        if isinstance(target, Node):
            pending = buffers.get(target)
            if pending is None:
                pending = buffers[target] = [None] * len(target.outputs_info)
                heapq.heappush(walk.heap, (-target.seq, target))
                pending[nr] = grad
            elif pending[nr] is None:
                pending[nr] = grad
            else:
                pending[nr] = pending[nr] + grad
        else:
            if incoming is None:
                incoming = slots + walk.root_grads
            walk.deliver_leaf(target, grad, owned=_owned(grad, incoming))
            incoming.append(grad)
    if not walk.retain_graph and prim.keeps_arrays:
        node.saved = ()
        node.out = None
        node.released = True
    return True


def _zeros(node, nr):
    from ._primitive import _wrap

    shape, native, backend = node.outputs_info[nr]
    return _wrap(backend.xp.zeros(shape, dtype=native), backend, None)


def _check_nan(node, index, grad) -> None:
    xp = grad._be.xp
    if bool(xp.any(xp.isnan(grad._data))):
        raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")
