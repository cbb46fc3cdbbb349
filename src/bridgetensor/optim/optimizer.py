"""Optimizer: parameter groups, per-parameter state, state_dict and hooks (torch's base class).

A subclass gives its defaults and a ``step`` that updates each parameter's array in place;
this base class wraps every subclass's ``step`` once (at class creation) so step hooks run
and learning-rate schedulers can tell that the optimizer has stepped.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

from .._backend import persist
from .._tensor import Tensor
from ..nn.modules.module import _add_hook

__all__ = [
    "Optimizer",
    "register_optimizer_step_post_hook",
    "register_optimizer_step_pre_hook",
    "required",
]


class _RequiredParameter:
    """The default of a hyperparameter every parameter group must give itself."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

_global_step_pre_hooks: OrderedDict = OrderedDict()
_global_step_post_hooks: OrderedDict = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """``hook(optimizer, args, kwargs)`` runs before every optimizer's step.

    >>> import bridgetensor as bt
    >>> handle = bt.optim.optimizer.register_optimizer_step_pre_hook(lambda o, a, k: None)
    >>> handle.remove()
    """
    return _add_hook(_global_step_pre_hooks, hook, False)


def register_optimizer_step_post_hook(hook):
    """``hook(optimizer, args, kwargs)`` runs after every optimizer's step.

    >>> import bridgetensor as bt
    >>> handle = bt.optim.optimizer.register_optimizer_step_post_hook(lambda o, a, k: None)
    >>> handle.remove()
    """
    return _add_hook(_global_step_post_hooks, hook, False)


def _with_step_hooks(step):
    """`step` wrapped to run the step hooks and to record that the optimizer stepped."""

    @functools.wraps(step)
    def hooked_step(*args, **kwargs):
        self = args[0]
        self._opt_called = True
        if self.__dict__.get("_in_step"):
            # A subclass's step calling super().step(): the hooks run once, outside.
            return step(*args, **kwargs)
        if self._optimizer_step_pre_hooks or _global_step_pre_hooks:
            for hook in chain(
                _global_step_pre_hooks.values(), self._optimizer_step_pre_hooks.values()
            ):
                result = hook(self, args, kwargs)
                if result is None:
                    continue
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"{step} must return None or a tuple of (new_args, new_kwargs), "
                        f"but got {result}."
                    )
                args, kwargs = result
        self._in_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_step = False
        _compute_lazy_step(self)
        if self._optimizer_step_post_hooks or _global_step_post_hooks:
            for hook in chain(
                self._optimizer_step_post_hooks.values(), _global_step_post_hooks.values()
            ):
                hook(self, args, kwargs)
        return out

    hooked_step._with_step_hooks = True
    return hooked_step


def _compute_lazy_step(optimizer) -> None:
    """On a lazy backend (Dask), evaluate the parameters and the optimizer's state once the
    step is made: otherwise each step would add its ops to every parameter's graph, and
    each later value would recompute all the steps before it."""
    params = [p for group in optimizer.param_groups for p in group["params"]]
    if not any(p._be.lazy for p in params):
        return
    state = [v for p in params for v in optimizer.state.get(p, {}).values()]
    persist(*params, *(v for v in state if isinstance(v, Tensor)))


def _typename(obj) -> str:
    """torch.typename: the legacy tensor type name, or the object's qualified type name."""
    if isinstance(obj, Tensor):
        return obj.type()
    kind = type(obj)
    module = kind.__module__
    if module in ("builtins", "__builtin__", None):
        return kind.__qualname__
    return f"{module}.{kind.__qualname__}"


class Optimizer:
    """Base class of all optimizers: ``params`` (tensors, ``(name, tensor)`` pairs, or dicts
    of parameter groups) and ``defaults`` (each group's hyperparameters where it gives none).

    ``state`` maps each parameter to its state dict; ``state_dict()`` numbers the
    parameters in group order, as torch does, so the two map one to one.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.ones(2))
    >>> opt = bt.optim.SGD([w], lr=0.5)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    """

    def __init__(self, params, defaults: dict) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + _typename(params)
            )
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_with_step_hooks", False):
            cls.step = _with_step_hooks(step)

    def __getstate__(self) -> dict:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        for name in (
            "_optimizer_step_pre_hooks",
            "_optimizer_step_post_hooks",
            "_optimizer_state_dict_pre_hooks",
            "_optimizer_state_dict_post_hooks",
            "_optimizer_load_state_dict_pre_hooks",
            "_optimizer_load_state_dict_post_hooks",
        ):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self.defaults.setdefault("differentiable", False)

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # ------------------------------------------------------------ parameter groups

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (defaults fill the rest).

        >>> import bridgetensor as bt
        >>> opt = bt.optim.SGD([bt.nn.Parameter(bt.ones(1))], lr=0.1)
        >>> opt.add_param_group({"params": [bt.nn.Parameter(bt.ones(1))], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        tensors, names = [], []
        for param in params:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + _typename(param)
                )
            if not self.defaults.get("differentiable", None) and not (
                param.is_leaf or param.retains_grad
            ):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        # Tensors hash by identity, but sets would compare them by value on a collision.
        ids = [id(p) for p in tensors]
        if len(ids) != len(set(ids)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                "more information",
                stacklevel=3,
            )
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param "
                    f"group {which} to the optimizer"
                )
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors: to None (default) or to zeros.

        >>> import bridgetensor as bt
        >>> w = bt.nn.Parameter(bt.ones(2)); opt = bt.optim.SGD([w], lr=0.1)
        >>> w.sum().backward(); opt.zero_grad(); print(w.grad)
        None
        """
        for group in self.param_groups:
            for p in group["params"]:
                meta = p._meta
                if meta is None or meta.grad is None:
                    continue
                if set_to_none:
                    meta.grad = None
                    continue
                grad = meta.grad
                if grad.grad_fn is not None:
                    grad.detach_()
                else:
                    grad.requires_grad_(False)
                grad.zero_()

    def step(self, closure=None):
        """Update the parameters once; `closure` re-evaluates the model and returns the loss."""
        raise NotImplementedError

    # ------------------------------------------------------------ hooks

    def register_step_pre_hook(self, hook):
        """``hook(optimizer, args, kwargs)`` runs before ``step``; it may return new
        ``(args, kwargs)``."""
        return _add_hook(self._optimizer_step_pre_hooks, hook, False)

    def register_step_post_hook(self, hook):
        """``hook(optimizer, args, kwargs)`` runs after ``step``."""
        return _add_hook(self._optimizer_step_post_hooks, hook, False)

    def register_state_dict_pre_hook(self, hook, prepend: bool = False):
        """``hook(optimizer)`` runs before ``state_dict()`` builds its result."""
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend: bool = False):
        """``hook(optimizer, state_dict)`` runs after ``state_dict()``; it may return a new one."""
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend: bool = False):
        """``hook(optimizer, state_dict)`` runs before loading; it may return a new one."""
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend: bool = False):
        """``hook(optimizer)`` runs after ``load_state_dict``."""
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------ state_dict

    def state_dict(self) -> dict:
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Parameters are numbered in group order; the state dicts and their tensors are the
        optimizer's own (not copies), as in torch.

        >>> import bridgetensor as bt
        >>> opt = bt.optim.SGD([bt.nn.Parameter(bt.ones(1))], lr=0.1)
        >>> opt.state_dict()["param_groups"][0]["params"]
        [0]
        """
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index_of: dict[int, int] = {}
        start = 0
        param_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index_of.setdefault(id(p), i)
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            start += len(packed["params"])
            param_groups.append(packed)
        state = {
            (index_of[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()
        }
        state_dict = {"state": state, "param_groups": param_groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a ``state_dict()`` of this library, or of torch (its tensors are copied).

        State tensors are cast to their parameter's dtype and backend, except ``step``; as
        in torch, tensors that already fit are kept, not copied.

        >>> import bridgetensor as bt
        >>> w = bt.nn.Parameter(bt.ones(1)); opt = bt.optim.Adam([w], lr=0.1)
        >>> opt.load_state_dict(opt.state_dict()); opt.param_groups[0]["lr"]
        0.1
        """
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        param_of = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state: defaultdict = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                param = param_of[key]
                state[param] = _cast(param, value)
            else:
                state[key] = value
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)


def _cast(param, value, key=None):
    """`value` made to fit `param`: tensors on its backend and (floats) in its dtype.

    As in torch, a tensor already right is kept, not copied; ``step`` keeps its dtype.
    """
    if isinstance(value, Tensor) or _is_foreign_tensor(value):
        return _cast_tensor(param, value, key)
    if isinstance(value, dict):
        return {k: _cast(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v) for v in value)
    return value


def _is_foreign_tensor(value) -> bool:
    """A tensor of another library (a torch state_dict's), convertible through DLPack."""
    return hasattr(value, "__dlpack__") and hasattr(value, "shape")


def _cast_tensor(param, value, key):
    if not isinstance(value, Tensor):
        from .._interop import from_dlpack

        # detach(): torch refuses to export a tensor that requires grad. The copy keeps
        # the other library's live optimizer state apart from ours.
        value = from_dlpack(value.detach() if hasattr(value, "detach") else value).clone()
    if key == "step":
        return value
    if value._be is not param._be:
        from .._interop import host_array

        be = param._be
        value = Tensor._wrap_array(be.xp.asarray(host_array(value._data, value._be)))
    if param.is_floating_point() and value.dtype is not param.dtype:
        value = value.to(param.dtype)
    return value
