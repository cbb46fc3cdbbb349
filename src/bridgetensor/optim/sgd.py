"""SGD: stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from ._functional import as_float, bump_version, check_lr, run_closure, wrap
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum, as ``torch.optim.SGD``.

    ``foreach``, ``fused`` and ``differentiable`` are accepted and ignored: every step
    updates the parameters' arrays in place, outside the graph.

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([1.0, -2.0]))
    >>> opt = bt.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay=0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        all_state = self.state
        for group in self.param_groups:
            lr = as_float(group["lr"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            weight_decay = as_float(group["weight_decay"])
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            for p in group["params"]:
                meta = p._meta
                grad = None if meta is None else meta.grad
                if grad is None:
                    continue
                g = grad._data
                data = p._data
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * data
                if momentum != 0:
                    state = all_state[p]
                    buf_t = state.get("momentum_buffer")
                    if buf_t is None:
                        # torch's first buffer is a copy of the (decayed) gradient.
                        buf = p._be.xp.asarray(g, copy=True)
                        state["momentum_buffer"] = wrap(buf, p._be, None)
                    else:
                        buf = buf_t._data
                        buf *= momentum
                        buf += g if dampening == 0 else (1 - dampening) * g
                        buf_t._data = buf
                    g = g + momentum * buf if nesterov else buf
                data -= lr * g
                p._data = data
                bump_version(p)
        return loss
