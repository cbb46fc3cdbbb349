"""The op mechanism: a primitive is a forward on raw arrays plus one VJP per input.

    exp = primitive("exp", dtypes="float")
    exp.defvjp(lambda g, out, x: g * out)

The engine here does, once for every op, the work op authors must never repeat:
find the backend, promote dtypes by torch's rules (Python scalars and 0-d tensors
included), call the forward with the backend's `xp`, turn 0-d results into arrays,
wrap the result, and record a graph `Node` only when grad mode is on and an input
requires grad. It keeps for the backward pass only the inputs and output that some
VJP actually reads (found once, from the rules' bytecode), so an op like `add`
holds no arrays alive.
"""

from __future__ import annotations

import dis
import functools
import itertools
from itertools import repeat as _repeat

import numpy as np

from .. import _dtypes
from .._dtypes import FLOATING, category_of_scalar
from . import _mode
from ._graph import Node, SavedOutput

__all__ = ["Primitive", "primitive"]

# Bound by _tensor.py once the class exists: the op path needs it, and it needs the ops.
Tensor = None
_new = object.__new__
_state = _mode.state
_sequence = itertools.count()
_SCALARS = (int, float, bool, complex)
_ndarray = np.ndarray
_SINGLE_OUTPUT = (None,)  # a node's output record: only multi-output nodes need shapes

# dtypes= choices: how the inputs' dtypes combine before the forward runs.
#   "promote": torch's result type over tensors and scalars; every array is cast to it.
#   "float":   as "promote", then integer and bool become the default float (sin(int64) is float32).
#   None:      inputs go to the forward as they are (shape ops, indexing, casts).
_DTYPE_RULES = ("promote", "float", None)

_LOADS = {
    "LOAD_FAST",
    "LOAD_FAST_CHECK",
    "LOAD_FAST_AND_CLEAR",
    "LOAD_FAST_LOAD_FAST",
    "LOAD_FAST_BORROW",
    "LOAD_FAST_BORROW_LOAD_FAST_BORROW",
    "LOAD_DEREF",
    "LOAD_CLOSURE",
    "STORE_FAST_LOAD_FAST",
}


# Attributes a rule may read from an input without the engine keeping its data.
_META_ATTRS = {"shape", "dtype", "ndim", "device"}
NOT_READ, META, FULL = 0, 1, 2


def _uses(code) -> tuple[set, set]:
    """(names read in full, names read only for .shape/.dtype/.ndim/.device) in a function."""
    full, meta = set(), set()
    instructions = list(dis.get_instructions(code))
    for i, instr in enumerate(instructions):
        if instr.opname not in _LOADS:
            continue
        names = instr.argval if isinstance(instr.argval, tuple) else (instr.argval,)
        following = instructions[i + 1] if i + 1 < len(instructions) else None
        attr_only = (
            following is not None
            and following.opname == "LOAD_ATTR"
            and following.argval in _META_ATTRS
            and instr.opname.startswith("LOAD_FAST")
        )
        for j, name in enumerate(names):
            (meta if attr_only and j == len(names) - 1 else full).add(name)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            nested_full, nested_meta = _uses(const)
            full |= nested_full | nested_meta | set(const.co_freevars)
    return full, meta - full


def _reads(rule, count: int) -> tuple[bool, list[int]]:
    """Whether a VJP rule reads `out`, and how it reads each input (NOT_READ, META, FULL).

    Found once from the rule's bytecode, so the engine keeps alive only what rules use:
    `sum`'s rule reads `x.shape` alone, so `sum` keeps no array. Unsure means FULL.
    """
    code = rule.__code__
    params = code.co_varnames[: code.co_argcount]
    if code.co_flags & 0x04 or len(params) < 2:  # *args: could read anything
        return True, [FULL] * count
    full, meta = _uses(code)
    reads = []
    for i in range(count):
        if i + 2 >= len(params):
            reads.append(FULL)
        else:
            name = params[i + 2]
            reads.append(FULL if name in full else META if name in meta else NOT_READ)
    return params[1] in full or params[1] in meta, reads


class _EachInput:
    """The rules of a primitive with any number of inputs: one rule, told the index."""

    __slots__ = ("rule",)

    def __init__(self, rule) -> None:
        self.rule = rule

    def __getitem__(self, index: int):
        rule = self.rule
        return lambda g, out, *inputs, **static: rule(g, out, *inputs, index=index, **static)


class _AnyCount(tuple):
    """The same read level for every input, however many there are."""

    def __new__(cls, level: int):
        return super().__new__(cls, (level,))

    def __getitem__(self, index):
        return tuple.__getitem__(self, 0)

    def __iter__(self):
        return _repeat(tuple.__getitem__(self, 0))


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


class Primitive:
    """A differentiable operation on raw arrays; see the module docstring."""

    __slots__ = (
        "__dict__",
        "__weakref__",
        "conjugate_rules",
        "differentiable",
        "dtypes",
        "forward",
        "impls",
        "keeps_arrays",
        "name",
        "node_class",
        "outputs",
        "promote",
        "reads_meta",
        "saves",
        "saves_all",
        "saves_out",
        "takes_xp",
        "view",
        "vjps",
    )

    def __init__(
        self,
        name: str,
        forward=None,
        *,
        dtypes: str | None = "promote",
        grad_name: str | None = None,
        view: bool = False,
        outputs: int = 1,
        promote: tuple | None = None,
    ) -> None:
        if dtypes not in _DTYPE_RULES:
            raise ValueError(f"primitive {name}: dtypes must be one of {_DTYPE_RULES}")
        self.name = name
        self.forward = forward
        self.takes_xp = forward is not None
        self.dtypes = dtypes
        self.view = view
        self.outputs = outputs
        self.promote = promote  # positions that take part in promotion (None: all)
        self.vjps = ()
        self.saves_out = False
        self.saves = ()
        self.saves_all = False
        self.keeps_arrays = False
        self.reads_meta = False
        self.differentiable = False
        self.impls = {}
        # Rules written as g * f'(z): the engine conjugates around them for complex
        # gradients (torch's convention); False where a rule writes that convention itself.
        self.conjugate_rules = True
        self.__doc__ = getattr(forward, "__doc__", None)  # per-instance, via __dict__
        grad_name = grad_name or _camel(name) + "Backward0"
        self.node_class = type(grad_name, (Node,), {"__slots__": (), "prim": self})

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"

    def defvjp(self, *rules):
        """Give one VJP per input (None for a non-differentiable input).

        A rule is ``rule(g, out, *inputs, **static) -> gradient``, written in Tensor ops,
        so that it is itself differentiable. Used with one rule it also works as a decorator.
        """
        self.vjps = rules
        self.differentiable = any(rule is not None for rule in rules)
        self.saves_out = False
        saves = [NOT_READ] * len(rules)
        for rule in rules:
            if rule is None:
                continue
            out_read, inputs_read = _reads(rule, len(rules))
            self.saves_out |= out_read
            saves = [max(a, b) for a, b in zip(saves, inputs_read)]
        self.saves = tuple(saves)
        self.saves_all = all(level == FULL for level in saves)
        self.keeps_arrays = self.saves_out or FULL in saves
        self.reads_meta = META in saves
        return rules[0] if len(rules) == 1 else None

    def defvjp_each(self, rule, *, reads: str = "full"):
        """One rule for every input of a primitive that takes any number of arrays.

        It is called as ``rule(g, out, *inputs, index=i, **static)``. `reads` says what it
        reads of the inputs: "full" (their data) or "meta" (only shapes and dtypes).
        """
        self.vjps = _EachInput(rule)
        self.differentiable = True
        self.saves_out = _reads(rule, 0)[0]
        self.saves = _AnyCount(FULL if reads == "full" else META)
        self.saves_all = reads == "full"
        self.keeps_arrays = self.saves_out or self.saves_all
        self.reads_meta = reads != "full"
        return rule

    def impl(self, backend):
        """The forward for one backend: the backend layer's own forward for this primitive if
        it has one (a measured speed-up, see _numpy_xp.py), else the custom forward, else
        xp's function of our name."""
        found = self.impls.get(backend)
        if found is None:
            found = getattr(backend.xp, "primitive_forwards", {}).get(self.name)
            if found is None and self.takes_xp:
                found = functools.partial(self.forward, xp=backend.xp)
            elif found is None:
                found = getattr(backend.xp, self.name)
            self.impls[backend] = found
        return found

    def __call__(self, *args, **static):
        if len(args) == 2 and not static:
            return apply2(self, args[0], args[1])
        if len(args) == 1:
            return apply1(self, args[0], static)
        return apply(self, args, static)

    def inplace(self, target, *args, **static):
        """Run the op out of place, then write the result into `target` (``add_``, ``+=``)."""
        return apply_inplace(self, target, args, static)


def primitive(name_or_forward=None, /, forward=None, **options):
    """Declare a primitive: ``primitive("exp", dtypes="float")`` or as a decorator.

    As a decorator the function is the forward, ``f(*arrays, xp, **static)``, and its
    name is the op's name.
    """
    if callable(name_or_forward):
        return Primitive(name_or_forward.__name__, name_or_forward, **options)
    if name_or_forward is None:
        return lambda f: Primitive(f.__name__, f, **options)
    return Primitive(name_or_forward, forward, **options)


# ---------------------------------------------------------------- the op path


class OperandTypeError(TypeError):
    """An operand no op accepts; Python operators turn it into NotImplemented."""


def _operand_error(prim, value):
    return OperandTypeError(
        f"{prim.name}: expected a Tensor or a Python number; got {type(value).__name__}"
    )


def _promote(prim, args, be, tensors):
    """torch's result dtype of the op's operands."""
    first = None
    same = True
    scalar_category = -1
    for a in args:
        if type(a) in _SCALARS:
            category = category_of_scalar(a)
            if category > scalar_category:
                scalar_category = category
        elif a is not None:
            native = a._data.dtype
            if first is None:
                first = native
            elif native != first:
                same = False
    if first is None:
        raise TypeError(f"{prim.name}: expected at least one Tensor argument")
    if same:
        result = be.from_native.get(first) or be.dtype_from_native(first)
        if scalar_category > result.category:
            result = _dtypes.result_type([result], [], [a for a in args if type(a) in _SCALARS])
    else:
        dims, zero_dims, scalars = [], [], []
        for a in args:
            if type(a) in _SCALARS:
                scalars.append(a)
            elif a is not None:
                (dims if a._data.ndim else zero_dims).append(be.dtype_from_native(a._data.dtype))
        result = _dtypes.result_type(dims, zero_dims, scalars)
    if prim.dtypes == "float" and result.category < FLOATING:
        result = _dtypes.get_default_dtype()
    return result


def _unwrap(prim, args):
    """(backend, arrays, tensors) of the operands; raw arrays and NumPy scalars are wrapped."""
    be = None
    arrays = []
    tensors = []
    for a in args:
        if isinstance(a, Tensor):
            if be is None:
                be = a._be
            elif a._be is not be:
                raise RuntimeError(
                    f"{prim.name}: expected all tensors on the same backend, "
                    f"but found {be.name} and {a._be.name}"
                )
            arrays.append(a._data)
            tensors.append(a)
        elif type(a) in _SCALARS:
            arrays.append(a)
        elif a is None:
            arrays.append(None)
        else:
            raise _operand_error(prim, a)
    if be is None:
        raise TypeError(f"{prim.name}: expected at least one Tensor argument")
    return be, arrays, tensors


def _normalise_args(prim, args):
    """Replace NumPy scalars by Python numbers and ndarrays by Tensors (NumPy interop)."""
    fixed = []
    for a in args:
        if isinstance(a, np.generic):
            a = a.item()
        elif isinstance(a, _ndarray):
            a = Tensor._wrap_array(a)
        elif not (isinstance(a, Tensor) or type(a) in _SCALARS or a is None):
            raise _operand_error(prim, a)
        fixed.append(a)
    return tuple(fixed)


def _forward(prim, args, static):
    """Run the forward; returns (backend, output array(s), tensor operands, args)."""
    try:
        be, arrays, tensors = _unwrap(prim, args)
    except TypeError:
        args = _normalise_args(prim, args)
        be, arrays, tensors = _unwrap(prim, args)
    if prim.dtypes is not None:
        positions = prim.promote or range(len(args))
        promoted = [args[i] for i in positions] if prim.promote else args
        target = _promote(prim, promoted, be, tensors)
        native = be.native[target]
        xp = be.xp
        for i in positions:
            a = arrays[i]
            if a is not None and type(a) not in _SCALARS and a.dtype != native:
                arrays[i] = xp.astype(a, native)
    out = prim.impl(be)(*arrays, **static)
    if be.is_numpy:
        if prim.outputs == 1:
            if type(out) is not _ndarray:
                out = np.asarray(out)
        else:
            out = tuple(o if type(o) is _ndarray else np.asarray(o) for o in out)
    return be, out, tensors, args


def _wrap(out, be, base):
    t = _new(Tensor)
    t._data = out
    t._be = be
    t._requires_grad = False
    t._grad_fn = None
    t._output_nr = 0
    t._base = base
    t._meta = None
    t._vcount = None
    t._view = None
    return t


def _mark_views(prim, static, be, results, source):
    """Make `results` views of `source`'s base, recording how to re-derive them from it."""
    if not be.may_share_memory(results[0]._data, source._data):
        return  # the backend copied (a reshape of a non-contiguous array): not a view
    _views.mark(prim, static, results, source)


def apply(prim, args, static):
    be, out, tensors, args = _forward(prim, args, static)
    if prim.outputs == 1:
        result = _wrap(out, be, None)
        results = (result,)
    else:
        results = tuple(_wrap(o, be, None) for o in out)
        result = results
    if prim.view:
        _mark_views(prim, static, be, results, tensors[0])
    if prim.differentiable and _state.grad_enabled:
        for t in tensors:
            if t._requires_grad:
                _record(prim, args, static, results)
                break
    return result


# ---------------------------------------------------------------- fast paths
# The common calls (one or two tensors of one dtype, or a tensor and a Python number of
# no higher kind) skip the general unwrapping and promotion above; everything else, and
# every unusual case, goes through `apply`. Measured in benchmarks/: they halve the
# per-op cost of `a + b` on 100 elements.

TENSOR_TYPES = set()  # Tensor and its subclasses (Parameter), registered by _tensor.py


def _wrap_fast(out, be):
    t = _new(Tensor)
    t._data = out
    t._be = be
    t._requires_grad = False
    t._grad_fn = None
    t._output_nr = 0
    t._base = None
    t._meta = None
    t._view = None
    t._vcount = None
    return t


def apply1(prim, x, static):
    if type(x) not in TENSOR_TYPES or prim.outputs != 1:
        return apply(prim, (x,), static)
    data = x._data
    if prim.dtypes == "float" and x._be.kinds[data.dtype] not in "fc":
        return apply(prim, (x,), static)
    be = x._be
    impl = prim.impls.get(be) or prim.impl(be)
    out = impl(data, **static) if static else impl(data)
    if type(out) is not _ndarray and be.is_numpy:
        out = np.asarray(out)
    t = _wrap_fast(out, be)
    if prim.view:
        _mark_views(prim, static, be, (t,), x)
    if x._requires_grad and prim.differentiable and _state.grad_enabled:
        _record(prim, (x,), static, (t,))
    return t


def apply2(prim, x, y):
    if type(x) in TENSOR_TYPES:
        be = x._be
        xd = x._data
        kind = be.kinds[xd.dtype]
        if type(y) in TENSOR_TYPES:
            yd = y._data
            if y._be is not be or (xd.dtype is not yd.dtype and xd.dtype != yd.dtype):
                return apply(prim, (x, y), {})
            grad = x._requires_grad or y._requires_grad
        elif (type(y) is float and kind in "fc") or (type(y) is int and kind in "iufc"):
            yd = y
            grad = x._requires_grad
        else:
            return apply(prim, (x, y), {})
    elif type(y) in TENSOR_TYPES and type(x) in (float, int):
        be = y._be
        xd = x
        yd = y._data
        kind = be.kinds[yd.dtype]
        if kind not in ("fc" if type(x) is float else "iufc"):
            return apply(prim, (x, y), {})
        grad = y._requires_grad
    else:
        return apply(prim, (x, y), {})
    if (prim.dtypes == "float" and kind not in "fc") or prim.view or prim.outputs != 1:
        return apply(prim, (x, y), {})
    impl = prim.impls.get(be) or prim.impl(be)
    out = impl(xd, yd)
    if type(out) is not _ndarray and be.is_numpy:
        out = np.asarray(out)
    t = _wrap_fast(out, be)
    if grad and prim.differentiable and _state.grad_enabled:
        _record(prim, (x, y), {}, (t,))
    return t


def _record(prim, args, static, results):
    """Attach a Node to the op's outputs; the caller knows an input requires grad."""
    node = _new(prim.node_class)
    node.seq = next(_sequence)
    # One pass over the operands: where each gradient goes, each input's shape and dtype
    # (to sum gradients back and cast them), and what the rules need kept, with versions.
    edges = []
    infos = []
    versions = []
    levels = prim.saves
    keep_all = prim.saves_all
    saved = args if keep_all else []
    for i, a in enumerate(args):
        if type(a) in TENSOR_TYPES or isinstance(a, Tensor):
            data = a._data
            infos.append((data.shape, data.dtype, a._be))
            if a._requires_grad:
                view = a._view
                if view is not None and view.base_fn is not a._base._grad_fn:
                    view.refresh(a)  # its base was written in place since: re-derive history
                fn = a._grad_fn
                edges.append((fn, a._output_nr) if fn is not None else (a, 0))
            else:
                edges.append(None)
            if keep_all or levels[i] == FULL:
                counter = version_counter(a)
                versions.append((counter, counter[0]))
                if not keep_all:
                    saved.append(a)
            elif not keep_all:
                saved.append(None)
        else:
            infos.append(None)
            edges.append(None)
            if not keep_all:
                saved.append(a)
    node.edges = edges
    node.inputs_info = infos
    node.saved = saved
    node.versions = versions
    node.static = static
    node.out = SavedOutput(results) if prim.saves_out else None
    node.outputs_info = (
        _SINGLE_OUTPUT
        if len(results) == 1
        else [(r._data.shape, r._data.dtype, r._be) for r in results]
    )
    node.hooks = None
    node.released = False
    if _state.anomaly:
        node.snapshot_inputs()
    for nr, r in enumerate(results):
        if r._be.kinds[r._data.dtype] in "fc":
            r._grad_fn = node
            r._output_nr = nr
            r._requires_grad = True
    return node


# ---------------------------------------------------------------- in-place ops


def check_inplace_target(name, target):
    """torch's refusals for writing into a tensor autograd needs as it is."""
    view = target._view
    if view is not None and view.overlapping:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    data = target._data
    if type(data) is _ndarray and not data.flags.writeable:
        # torch writes into such memory anyway (undefined behaviour); we refuse.
        raise RuntimeError(
            f"{name}: the tensor's memory is read-only (it wraps a read-only NumPy array or "
            "buffer, such as bytes); clone() it to write"
        )
    if not _state.grad_enabled:
        return
    if target._grad_fn is None and target._requires_grad:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    base = target._base
    if base is not None and base._grad_fn is None and base._requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )


def write_into(target, array):
    """Store `array` in `target`'s memory (seen through its views), or rebind when immutable."""
    be = target._be
    if be.mutable:
        data = target._data
        if be.is_numpy:
            np.copyto(data, array, casting="unsafe")
        else:
            be.write_whole(data, array)
    else:
        target._data = array
    bump_version(target)


def bump_version(target):
    version_counter(target)[0] += 1


def version_counter(tensor) -> list:
    """The version counter of a tensor: a one-element list its views and detached aliases
    share (kept on the base tensor, made on first need)."""
    root = tensor._base if tensor._base is not None else tensor
    counter = root._vcount
    if counter is None:
        counter = root._vcount = [0]
    return counter


def apply_inplace(prim, target, args, static):
    """``target.op_(*args)``: compute out of place, cast back, write through, rebase history."""
    if not isinstance(target, Tensor):
        raise TypeError(f"{prim.name}_: expected a Tensor to write into")
    check_inplace_target(prim.name + "_", target)
    full_args = (target, *args)
    needs_graph = (
        prim.differentiable
        and _state.grad_enabled
        and (
            any(isinstance(a, Tensor) and a._requires_grad for a in full_args)
            or (target._view is not None and target._base._requires_grad)
        )
    )
    if needs_graph and prim.saves and prim.saves[0] == FULL:
        # The rule reads the old value, which the write is about to destroy.
        full_args = (target._snapshot(), *args)
    be, out, _, full_args = _forward(prim, full_args, static)
    target_dtype = be.dtype_from_native(target._data.dtype)
    out_dtype = be.dtype_from_native(out.dtype)
    if out_dtype is not target_dtype:
        if out_dtype.category > target_dtype.category:
            raise RuntimeError(
                f"result type {_dtypes_name(out_dtype)} can't be cast to the desired output "
                f"type {_dtypes_name(target_dtype)}"
            )
        out = be.xp.astype(out, be.native[target_dtype])
    if needs_graph and target._view is not None:
        # A view: the write changes its base, whose history must record it (CopySlices).
        return _views.rebase_view(prim, target, out, full_args, static)
    write_into(target, out)
    if needs_graph:
        _record(prim, full_args, static, (target,))
    return target


def _dtypes_name(d) -> str:
    return {
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
        "complex64": "ComplexFloat",
        "complex128": "ComplexDouble",
    }.get(d.name, d.name)


# Last: _views builds its own primitives from this module.
from . import _views  # noqa: E402
