"""Adam and AdamW (decoupled weight decay), with AMSGrad and maximize."""

from __future__ import annotations

from .._tensor import Tensor
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

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam (Kingma & Ba), as ``torch.optim.Adam``: bias-corrected moment estimates,
    optional AMSGrad, L2 or (``decoupled_weight_decay=True``) AdamW-style weight decay.

    ``foreach``, ``fused``, ``capturable`` and ``differentiable`` are accepted and ignored.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0, -2.0]))
    >>> opt = bt.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonnegative(epsilon=eps)
        check_betas(betas)
        check_nonnegative(weight_decay=weight_decay)
        both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
        if not (both_floats or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            beta1, beta2 = (as_float(b) for b in group["betas"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            amsgrad = group["amsgrad"]
            maximize = group["maximize"]
            decoupled = group["decoupled_weight_decay"]
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
                    if amsgrad:
                        state["max_exp_avg_sq"] = state_zeros(p)
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
                # torch's addcmul computes (value * g) * g.
                square = (1 - beta2) * g
                square *= g
                v += square
                v_t._data = v
                bias_correction1 = 1 - beta1**step
                bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                if amsgrad:
                    top_t = state["max_exp_avg_sq"]
                    v = top_t._data = maximum_(top_t._data, v, p._be)
                denom = p._be.xp.sqrt(v)
                denom /= bias_correction2_sqrt
                denom += eps
                # torch's addcdiv computes param + (value * exp_avg) / denom.
                update = m * (-lr / bias_correction1)
                update /= denom
                data += update
                p._data = data
                bump_version(p)
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), as ``torch.optim.AdamW``.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.8500], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
