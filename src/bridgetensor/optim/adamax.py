"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from ._functional import (
    as_float,
    bump_version,
    check_betas,
    check_lr,
    check_nonnegative,
    check_real,
    host_scalar,
    increment,
    lerp_,
    maximum_,
    run_closure,
    state_zeros,
)
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax (Kingma & Ba), as ``torch.optim.Adamax``.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.Adamax([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonnegative(epsilon=eps)
        check_betas(betas)
        check_nonnegative(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
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
        """One Adamax update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            beta1, beta2 = (as_float(b) for b in group["betas"])
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
                    state["exp_avg"] = state_zeros(p)
                    state["exp_inf"] = state_zeros(p)
                step = increment(state["step"])
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * data
                m_t = state["exp_avg"]
                m = m_t._data = lerp_(m_t._data, g, 1 - beta1)
                inf_t = state["exp_inf"]
                norm = inf_t._data
                norm *= beta2
                bound = p._be.xp.abs(g)
                bound += eps
                norm = inf_t._data = maximum_(norm, bound, p._be)
                update = m * (-lr / (1 - beta1**step))
                update /= norm
                data += update
                p._data = data
                bump_version(p)
        return loss
