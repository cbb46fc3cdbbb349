"""Adagrad: per-coordinate steps scaled by the root of the summed squared gradients."""

from __future__ import annotations

from ._functional import (
    as_float,
    bump_version,
    check_lr,
    check_nonnegative,
    check_real,
    host_scalar,
    increment,
    run_closure,
    wrap,
)
from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.), as ``torch.optim.Adagrad``, with ``lr_decay`` and
    ``initial_accumulator_value``. Its state exists from construction on, as in torch.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.Adagrad([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_lr(lr)
        check_nonnegative(
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            epsilon=eps,
        )
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                check_real(p, "Adagrad")
                state = self.state[p]
                state["step"] = host_scalar(p, 0.0)
                xp = p._be.xp
                state["sum"] = wrap(
                    xp.full_like(p._data, float(initial_accumulator_value)), p._be, None
                )

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            lr_decay = as_float(group["lr_decay"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            maximize = group["maximize"]
            for p in group["params"]:
                meta = p._meta
                grad = None if meta is None else meta.grad
                if grad is None:
                    continue
                state = all_state[p]
                step = increment(state["step"])
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * data
                clr = lr / (1 + (step - 1) * lr_decay)
                sum_t = state["sum"]
                total = sum_t._data
                total += g * g
                sum_t._data = total
                std = p._be.xp.sqrt(total)
                std += eps
                update = -clr * g
                update /= std
                data += update
                p._data = data
                bump_version(p)
        return loss
