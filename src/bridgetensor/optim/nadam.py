"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule."""

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

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam (Dozat), as ``torch.optim.NAdam``, with ``momentum_decay`` and optional
    decoupled weight decay.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.NAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.8944], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
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
        check_nonnegative(weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)

    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            beta1, beta2 = (as_float(b) for b in group["betas"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            momentum_decay = as_float(group["momentum_decay"])
            decoupled = group["decoupled_weight_decay"]
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
                    state["mu_product"] = host_scalar(p, 1.0)
                    state["exp_avg"] = state_zeros(p)
                    state["exp_avg_sq"] = state_zeros(p)
                step = increment(state["step"])
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                bias_correction2 = 1 - beta2**step
                if weight_decay != 0:
                    if decoupled:
                        data *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * data
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                # NOTE: torch keeps the running product in the scalar dtype (float32),
                # rounding it at every step; so does this one.
                product_t = state["mu_product"]
                product = product_t._data
                product *= mu
                product_t._data = product
                mu_product = float(product)
                m_t = state["exp_avg"]
                m = m_t._data = lerp_(m_t._data, g, 1 - beta1)
                v_t = state["exp_avg_sq"]
                v = v_t._data
                v *= beta2
                square = (1 - beta2) * g
                square *= g
                v += square
                v_t._data = v
                denom = p._be.xp.sqrt(v / bias_correction2)
                denom += eps
                update = (-lr * (1.0 - mu) / (1.0 - mu_product)) * g
                update /= denom
                data += update
                update = ((-lr * mu_next) / (1.0 - mu_product * mu_next)) * m
                update /= denom
                data += update
                p._data = data
                bump_version(p)
        return loss
