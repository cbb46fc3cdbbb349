"""RMSprop: gradients scaled by a running root mean square, optionally centered, with momentum."""

from __future__ import annotations

from ._functional import (
    as_float,
    bump_version,
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

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton), as ``torch.optim.RMSprop``: ``alpha`` smooths the squared gradients,
    ``centered`` subtracts the squared mean gradient, ``momentum`` adds a velocity buffer.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0]))
    >>> opt = bt.optim.RMSprop([w], lr=0.01)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonnegative(epsilon=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            alpha = as_float(group["alpha"])
            eps = as_float(group["eps"])
            weight_decay = as_float(group["weight_decay"])
            momentum = as_float(group["momentum"])
            centered = group["centered"]
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
                    if momentum > 0:
                        state["momentum_buffer"] = state_zeros(p)
                    if centered:
                        state["grad_avg"] = state_zeros(p)
                increment(state["step"])
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * data
                sq_t = state["square_avg"]
                sq = sq_t._data
                sq *= alpha
                square = (1 - alpha) * g
                square *= g
                sq += square
                sq_t._data = sq
                if centered:
                    mean_t = state["grad_avg"]
                    mean = mean_t._data = lerp_(mean_t._data, g, 1 - alpha)
                    avg = p._be.xp.sqrt(sq - mean * mean)
                else:
                    avg = p._be.xp.sqrt(sq)
                avg += eps
                if momentum > 0:
                    buf_t = state["momentum_buffer"]
                    buf = buf_t._data
                    buf *= momentum
                    buf += g / avg
                    buf_t._data = buf
                    data -= lr * buf
                else:
                    update = -lr * g
                    update /= avg
                    data += update
                p._data = data
                bump_version(p)
        return loss
