"""Adadelta: steps sized by the ratio of running update and gradient magnitudes."""

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
    state_zeros,
)
from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler), as ``torch.optim.Adadelta``; ``rho`` smooths both running averages.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.Adadelta([w])
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.9968], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonnegative(epsilon=eps, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            rho = as_float(group["rho"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            maximize = group["maximize"]
            for p in group["params"]:
                meta = p._meta
                grad = None if meta is None else meta.grad
                if grad is None:
                    continue
                state = all_state[p]
                if len(state) == 0:
                    check_real(p, type(self).__name__)
                    state["step"] = host_scalar(p, 0.0)
                    state["square_avg"] = state_zeros(p)
                    state["acc_delta"] = state_zeros(p)
                increment(state["step"])
                xp = p._be.xp
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * data
                sq_t = state["square_avg"]
                sq = sq_t._data
                sq *= rho
                square = (1 - rho) * g
                square *= g
                sq += square
                sq_t._data = sq
                acc_t = state["acc_delta"]
                acc = acc_t._data
                delta = xp.sqrt(acc + eps)
                delta /= xp.sqrt(sq + eps)
                delta *= g
                acc *= rho
                square = (1 - rho) * delta
                square *= delta
                acc += square
                acc_t._data = acc
                data -= lr * delta
                p._data = data
                bump_version(p)
        return loss
