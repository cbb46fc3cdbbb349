"""L-BFGS with an optional strong-Wolfe line search (torch's port of minFunc).

The algorithm works on one flat vector of all parameters. Its scalars (dot products,
curvature ratios, step sizes) stay 0-d arrays of the parameters' dtype, as torch keeps
them 0-d tensors, so the comparisons that steer it round the way torch's do.
"""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd._primitive import write_into
from ._functional import as_float, bump_version, check_lr, check_real, wrap
from .optimizer import Optimizer

__all__ = ["LBFGS"]

# What a step leaves in the state for the next one, in torch's order ("al" comes when made).
_ARRAY_STATE = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad")


def _cubic_interpolate(xp, x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through two points with their derivatives, clamped."""
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = xp.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(
    xp, obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25
):
    """A step length meeting the strong Wolfe conditions: bracket, then zoom."""
    d_norm = xp.max(xp.abs(d))
    g = xp.asarray(g, copy=True)
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = xp.vecdot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket_gtd = None
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket = [t_prev, t]
            bracket_f = [f_prev, f_new]
            bracket_g = [g_prev, xp.asarray(g_new, copy=True)]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket = [t_prev, t]
            bracket_f = [f_prev, f_new]
            bracket_g = [g_prev, xp.asarray(g_new, copy=True)]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        # extrapolate between the current step and ten times it
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        previous = t
        t = _cubic_interpolate(
            xp, t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
        )
        t_prev, f_prev, g_prev, gtd_prev = previous, f_new, xp.asarray(g_new, copy=True), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = xp.vecdot(g_new, d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom in on the bracket until its points are close or the conditions hold
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            xp, bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # NOTE: torch's safeguard: a point too close to an end of the bracket moves inward
        # once progress stalls.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = xp.vecdot(g_new, d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos] = t
            bracket_f[high_pos] = f_new
            bracket_g[high_pos] = xp.asarray(g_new, copy=True)
            bracket_gtd[high_pos] = gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos] = bracket[low_pos]
                bracket_f[high_pos] = bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos] = t
            bracket_f[low_pos] = f_new
            bracket_g[low_pos] = xp.asarray(g_new, copy=True)
            bracket_gtd[low_pos] = gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


class LBFGS(Optimizer):
    """L-BFGS, as ``torch.optim.LBFGS``: one parameter group; ``step(closure)`` runs up to
    ``max_iter`` iterations, re-evaluating ``closure`` (which must zero the gradients,
    compute the loss, call backward and return the loss).

    >>> import bridgetensor as bt
    >>> w = bt.nn.Parameter(bt.tensor([3.0, -1.0]))
    >>> opt = bt.optim.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad(); d = w - 1.0; loss = (d * d).sum(); loss.backward(); return loss
    >>> _ = opt.step(closure); w
    Parameter containing:
    tensor([1., 1.], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        check_lr(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        for p in self._params:
            check_real(p, "LBFGS")
        self._numel_cache = None

    def _numel(self) -> int:
        if self._numel_cache is None:
            self._numel_cache = sum(p.numel() for p in self._params)
        return self._numel_cache

    def _gather_flat_grad(self, xp):
        views = []
        for p in self._params:
            grad = p.grad
            if grad is None:
                views.append(xp.zeros((p.numel(),), dtype=p._data.dtype))
            else:
                views.append(xp.reshape(grad._data, (-1,)))
        return xp.concat(views)

    def _add_grad(self, xp, step_size, update) -> None:
        offset = 0
        for p in self._params:
            numel = p.numel()
            data = p._data
            data += step_size * xp.reshape(update[offset : offset + numel], data.shape)
            p._data = data
            bump_version(p)
            offset += numel

    def _set_param(self, params_data) -> None:
        for p, data in zip(self._params, params_data):
            write_into(p, data)

    def _directional_evaluate(self, xp, closure, x, t, d):
        self._add_grad(xp, t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad(xp)
        self._set_param(x)
        return loss, flat_grad

    def step(self, closure):
        """Run up to ``max_iter`` L-BFGS iterations; returns the closure's first loss."""
        from ..autograd import _mode

        def evaluate():
            with _mode.enable_grad():
                return closure()

        group = self.param_groups[0]
        lr = as_float(group["lr"])
        max_iter = group["max_iter"]
        max_eval = group["max_eval"]
        tolerance_grad = group["tolerance_grad"]
        tolerance_change = group["tolerance_change"]
        line_search_fn = group["line_search_fn"]
        history_size = group["history_size"]
        xp = self._params[0]._be.xp
        be = self._params[0]._be

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = evaluate()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1

        flat_grad = self._gather_flat_grad(xp)
        if xp.max(xp.abs(flat_grad)) <= tolerance_grad:
            return orig_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad = (
            _unwrap(state.get(key)) for key in _ARRAY_STATE
        )
        al = _unwrap(state.get("al"))
        prev_loss = state.get("prev_loss")

        opt_cond = False
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                # the two-loop recursion over the stored curvature pairs
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = xp.vecdot(y, s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / xp.vecdot(y, y)
                num_old = len(old_dirs)
                if al is None:
                    al = state["al"] = [None] * history_size
                q = -flat_grad
                for i in range(num_old - 1, -1, -1):
                    al[i] = xp.vecdot(old_stps[i], q) * ro[i]
                    q -= al[i] * old_dirs[i]
                r = q * H_diag
                for i in range(num_old):
                    be_i = xp.vecdot(old_dirs[i], r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
                d = r
            prev_flat_grad = xp.asarray(flat_grad, copy=True)
            prev_loss = loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / xp.sum(xp.abs(flat_grad))) * lr
            else:
                t = lr
            gtd = xp.vecdot(flat_grad, d)
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [xp.asarray(p._data, copy=True) for p in self._params]

                def obj_func(x, t, d):
                    return self._directional_evaluate(xp, evaluate, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    xp,
                    obj_func,
                    x_init,
                    t,
                    d,
                    loss,
                    flat_grad,
                    gtd,
                    max_ls=max_eval - current_evals,
                )
                self._add_grad(xp, t, d)
                opt_cond = xp.max(xp.abs(flat_grad)) <= tolerance_grad
            else:
                self._add_grad(xp, t, d)
                if n_iter != max_iter:
                    loss = float(evaluate())
                    flat_grad = self._gather_flat_grad(xp)
                    opt_cond = xp.max(xp.abs(flat_grad)) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if xp.max(xp.abs(d * t)) <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        for key, value in zip(_ARRAY_STATE, (d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad)):
            state[key] = _wrap_value(value, be)
        if al is not None:
            state["al"] = _wrap_value(al, be)
        state["prev_loss"] = prev_loss
        return orig_loss


def _wrap_value(value, be):
    """Arrays (and lists of them) as Tensors for the state dict; numbers stay numbers."""
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return [_wrap_value(v, be) for v in value]
    if not hasattr(value, "shape"):
        return value
    return wrap(be.xp.asarray(value), be, None)


def _unwrap(value):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value
