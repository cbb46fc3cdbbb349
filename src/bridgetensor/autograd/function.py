"""Custom differentiable operations: subclass ``Function`` with a forward and a backward.

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y

    y = Exp.apply(x)          # y.grad_fn is an ExpBackward node

As in torch, ``ctx`` *is* the graph node (``y.grad_fn``): each Function class gets a
Node subclass named ``<ClassName>Backward`` whose VJP calls the user's backward once
for all inputs. Saved outputs are kept as arrays plus version counters, never as the
output Tensor, so the node and its outputs form no reference cycle. A backward written
in bridgetensor ops is itself recorded under ``create_graph=True`` (double backward).
"""

from __future__ import annotations

import functools
import inspect
import warnings

from . import _mode, _primitive
from ._engine import sum_to
from ._graph import SECOND_BACKWARD, Node, version_error, version_of

__all__ = ["BackwardCFunction", "Function", "FunctionCtx", "once_differentiable"]

_state = _mode.state
_RELEASED = "released"  # a node's saved values after a backward without retain_graph


class FunctionCtx:
    """What ``forward``/``setup_context`` use to pass state to ``backward``."""

    __slots__ = ()

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors (or None) for backward, checked against in-place changes.

        Read them back with ``ctx.saved_tensors``. For anything else (shapes, flags,
        non-tensor values) set an attribute on ``ctx``.
        """
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, _primitive.Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(t).__name__}"
                )
        self.to_save = tensors

    def mark_dirty(self, *tensors) -> None:
        """Declare inputs that forward modified in place (and returns as outputs)."""
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Declare outputs that get no gradient (indices, masks); backward gets zeros."""
        self.non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = bool(value)


class _SavedInput:
    __slots__ = ("tensor", "version")

    def __init__(self, tensor) -> None:
        self.tensor = tensor
        self.version = version_of(tensor)


class _SavedOutput:
    """One of the node's own outputs: its array and version record, not the Tensor."""

    __slots__ = ("array", "backend", "nr", "version")

    def __init__(self, tensor, nr: int) -> None:
        self.array = tensor._data
        self.backend = tensor._be
        self.nr = nr
        self.version = version_of(tensor)


class BackwardCFunction(Node, FunctionCtx):
    """The node (and ``ctx``) of one call of a custom Function."""

    prim = None  # the engine runs `_backward_grads` instead of primitive VJPs
    _forward_cls = None

    def name(self) -> str:
        return type(self).__name__

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``, checked for in-place changes."""
        entries = self._saved
        if entries is _RELEASED:
            raise RuntimeError(SECOND_BACKWARD)
        if not entries:
            return ()
        if self.hooks and "anomaly" in self.hooks:
            from ._anomaly import check_unchanged

            check_unchanged(self)
        found = []
        for entry in entries:
            if entry is None:
                found.append(None)
            elif type(entry) is _SavedInput:
                t = entry.tensor
                counter, version = entry.version
                if counter[0] != version:
                    fn = t._grad_fn
                    producer = fn.name() if fn is not None else None
                    raise version_error(
                        t.type(), t.shape, producer, t._output_nr, counter[0], version
                    )
                found.append(t)
            else:
                found.append(self._unpack_output(entry))
        return tuple(found)

    def _unpack_output(self, entry):

        counter, version = entry.version
        t = _primitive._wrap(entry.array, entry.backend, None)
        if counter[0] != version:
            raise version_error(t.type(), t.shape, self.name(), entry.nr, counter[0], version)
        t._vcount = counter
        t._grad_fn = self
        t._output_nr = entry.nr
        t._requires_grad = True
        return t

    @property
    def saved_variables(self) -> tuple:
        return self.saved_tensors

    def _backward_grads(self, slots):
        """Call the user's backward; return one gradient per edge (the engine's contract)."""
        grads = list(slots)
        if self.materialize_grads:
            for nr, g in enumerate(grads):
                info = self.outputs_info[nr]
                if g is None and info is not None:
                    shape, native, backend = info
                    grads[nr] = _primitive._wrap(
                        backend.xp.zeros(shape, dtype=native), backend, None
                    )
        cls = self._forward_cls
        backward = cls.backward if cls.backward is not Function.backward else cls.vjp
        result = backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self.needs_input_grad)
        if len(result) != expected:
            if len(result) > expected and all(g is None for g in result[expected:]):
                result = result[:expected]
            else:
                raise RuntimeError(
                    f"function {self.name()} returned an incorrect number of gradients "
                    f"(expected {expected}, got {len(result)})"
                )
        Tensor = _primitive.Tensor
        grads_out = []
        for position, g in enumerate(result):
            edge_index = self._edge_of[position]
            if edge_index is None:
                if g is not None:
                    raise RuntimeError(
                        f"function {self.name()} returned a gradient different than None at "
                        f"position {position + 1}, but the corresponding forward input was "
                        "not a Variable"
                    )
                continue
            if g is not None and not isinstance(g, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
            if g is not None and self.edges[edge_index] is not None:
                g = sum_to(g, self.inputs_info[edge_index], self, edge_index)
            else:
                g = None
            grads_out.append(g)
        return grads_out

    def _release(self) -> None:
        if self._saved:
            self._saved = _RELEASED
        if self.hooks and "anomaly" in self.hooks:
            from ._anomaly import release

            release(self)


class FunctionMeta(type):
    """Gives each Function subclass its node class, ``<ClassName>Backward``."""

    def __init__(cls, name, bases, namespace) -> None:
        super().__init__(name, bases, namespace)
        cls._backward_cls = type(
            name + "Backward",
            (BackwardCFunction,),
            {"_forward_cls": cls, "__module__": cls.__module__},
        )


class Function(FunctionCtx, metaclass=FunctionMeta):
    """Base class for custom differentiable operations; see the module docstring.

    >>> import bridgetensor as bt
    >>> class Square(bt.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return 2.0 * x * grad
    >>> x = bt.tensor([3.0], requires_grad=True)
    >>> y = Square.apply(x); y.backward(bt.ones(1)); x.grad
    tensor([6.])
    >>> y.grad_fn.name()
    'SquareBackward'
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs) -> None:
        warnings.warn(
            f"{type(self)} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(*args, **kwargs):
        """``forward(ctx, *args)``, or ``forward(*args)`` when setup_context is defined."""
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx, inputs: tuple, output) -> None:
        """torch 2 style: fill ``ctx`` from the inputs and the output of ``forward``."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """One gradient per forward input (None for non-tensors or where none is needed)."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward and, when an input requires grad, record the node."""
        uses_setup = cls.setup_context is not Function.setup_context
        if kwargs or uses_setup:
            args = _bind(cls, args, kwargs, uses_setup)
        return _apply(cls, args, uses_setup)


def _bind(cls, args, kwargs, uses_setup):
    """Positional arguments for forward, defaults filled in (torch binds the same way)."""
    signature = inspect.signature(cls.forward)
    if not uses_setup:
        params = list(signature.parameters.values())[1:]  # without ctx
        signature = signature.replace(parameters=params)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(f"{cls.__name__}.apply: keyword-only arguments are not supported")
    return bound.args


def _apply(cls, args, uses_setup):
    Tensor = _primitive.Tensor
    needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
    recording = _state.grad_enabled and any(needs)
    ctx = cls._backward_cls.__new__(cls._backward_cls)
    ctx.hooks = None
    ctx.released = False
    ctx.needs_input_grad = needs
    ctx.to_save = ()
    ctx.dirty_tensors = ()
    ctx.non_differentiable = ()
    ctx.materialize_grads = True
    ctx._saved = ()
    previous = _state.grad_enabled
    _state.grad_enabled = False
    try:
        if uses_setup:
            output = cls.forward(*args)
            cls.setup_context(ctx, args, output)
        else:
            output = cls.forward(ctx, *args)
    finally:
        _state.grad_enabled = previous
    is_tuple = isinstance(output, tuple)
    outputs = output if is_tuple else (output,)
    if recording:
        _record(ctx, args, needs)
    results = _wrap_outputs(ctx, args, outputs, recording)
    # These may hold the outputs, which point back to ctx: drop them (no reference cycle).
    ctx.dirty_tensors = ()
    ctx.non_differentiable = ()
    if recording:
        _save(ctx, results)
    return tuple(results) if is_tuple else results[0]


def _record(ctx, args, needs) -> None:
    Tensor = _primitive.Tensor
    ctx.seq = next(_primitive._sequence)
    edges, infos, edge_of = [], [], []
    for a, need in zip(args, needs):
        if not isinstance(a, Tensor):
            edge_of.append(None)
            continue
        edge_of.append(len(edges))
        if need:
            fn = a._grad_fn
            edges.append((fn, a._output_nr) if fn is not None else (a, 0))
        else:
            edges.append(None)
        infos.append((a._data.shape, a._data.dtype, a._be))
    ctx.edges = edges
    ctx.inputs_info = infos
    ctx._edge_of = edge_of
    ctx.saved = ()
    ctx.versions = ()
    ctx.out = None
    ctx.static = None


def _wrap_outputs(ctx, args, outputs, recording) -> list:
    """The tensors returned to the caller, attached to the node where differentiable."""

    Tensor = _primitive.Tensor
    dirty = {id(t) for t in ctx.dirty_tensors}
    non_diff = {id(t) for t in ctx.non_differentiable}
    input_ids = {id(a) for a in args if isinstance(a, Tensor)}
    results = []
    infos = []
    for nr, o in enumerate(outputs):
        if not isinstance(o, Tensor):
            results.append(o)
            infos.append(None)
            continue
        infos.append((o._data.shape, o._data.dtype, o._be))
        if id(o) in dirty:
            if recording and o._grad_fn is None and o._requires_grad:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation."
                )
            _primitive.bump_version(o)
            result = o
        elif id(o) in input_ids:
            # An input returned as it is: the output is a new tensor over the same memory
            # (torch's view), so recording history does not overwrite the input's.
            result = _primitive._wrap(o._data, o._be, None)
            root = o._base if o._base is not None else o
            result._vcount = _primitive.version_counter(root)
            if recording:
                result._base = root
        else:
            result = o
        if recording:
            differentiable = id(o) not in non_diff and o._be.kinds[o._data.dtype] in "fc"
            if differentiable:
                result._grad_fn = ctx
                result._output_nr = nr
                result._requires_grad = True
            elif id(o) in dirty or result is not o:
                result._requires_grad = False
        results.append(result)
    if recording:
        ctx.outputs_info = infos
    return results


def _save(ctx, results) -> None:
    """Turn ``ctx.to_save`` into saved entries: inputs by reference, own outputs as arrays."""
    entries = []
    for t in ctx.to_save or ():
        if t is None:
            entries.append(None)
            continue
        nr = next(
            (i for i, r in enumerate(results) if r is t and t._grad_fn is ctx),
            None,
        )
        entries.append(_SavedInput(t) if nr is None else _SavedOutput(t, nr))
    ctx._saved = entries
    ctx.to_save = ()
    if _state.anomaly:
        from ._anomaly import record

        snap = record(ctx)
        for position, entry in enumerate(entries):
            if type(entry) is _SavedInput:
                snap.add_tensor(f"its saved tensor {position}", entry.tensor)
            elif entry is not None:
                snap.add_array(
                    f"its saved tensor {position} (output {entry.nr})",
                    _saved_array,
                    position,
                    entry.array,
                    entry.backend,
                )


def _saved_array(node, position):
    return node._saved[position].array


# ---------------------------------------------------------------- once_differentiable


class _DelayedError(Function):
    """Stands between a once-differentiable backward's results and any second backward."""

    @staticmethod
    def forward(ctx, *grads):
        return grads if len(grads) != 1 else grads[0]

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def once_differentiable(fn):
    """Mark a backward as not differentiable: it runs without recording, and a second
    backward through it raises instead of returning a wrong (zero) gradient.

    >>> import bridgetensor as bt
    >>> class Cube(bt.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     @bt.autograd.once_differentiable
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return 3.0 * x * x * grad
    >>> x = bt.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).sum().backward(); x.grad
    tensor([12.])
    """

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with _mode.no_grad():
            outputs = fn(ctx, *args)
        if not _state.grad_enabled:
            return outputs
        Tensor = _primitive.Tensor
        if not any(isinstance(a, Tensor) and a._requires_grad for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        items = (outputs,) if single else outputs
        fakes = []
        for g in items:
            if isinstance(g, Tensor):
                g = g.detach()
                g._requires_grad = True
            fakes.append(g)
        guarded = _DelayedError.apply(*fakes)
        return guarded if single or len(fakes) != 1 else (guarded,)

    return wrapper
