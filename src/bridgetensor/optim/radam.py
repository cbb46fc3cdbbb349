"""RAdam: Adam with the variance of the adaptive learning rate rectified."""

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
    run_closure,
    state_zeros,
)
from .optimizer import Optimizer

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """RAdam (Liu et al.), as ``torch.optim.RAdam``; plain momentum SGD until the
    rectification term is defined (``rho_t > 5``).

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.RAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.8000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
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
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("capturable", False)

    def step(self, closure=None):
        """One RAdam update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            beta1, beta2 = (as_float(b) for b in group["betas"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            rho_inf = 2 / (1 - beta2) - 1
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
                    state["exp_avg_sq"] = state_zeros(p)
                step = increment(state["step"])
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    if decoupled:
                        data *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * data
                m_t = state["exp_avg"]
                m = m_t._data = lerp_(m_t._data, g, 1 - beta1)
                v_t = state["exp_avg_sq"]
                v = v_t._data
                v *= beta2
                square = (1 - beta2) * g
                square *= g
                v += square
                v_t._data = v
                bias_correction1 = 1 - beta1**step
                bias_correction2 = 1 - beta2**step
                update = m / bias_correction1
                update *= lr
                rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
                if rho_t > 5.0:
                    rect = (
                        (rho_t - 4)
                        * (rho_t - 2)
                        * rho_inf
                        / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
                    ) ** 0.5
                    root = p._be.xp.sqrt(v)
                    root += eps
                    update *= bias_correction2**0.5 / root
                    update *= rect
                data -= update
                p._data = data
                bump_version(p)
        return loss
