"""Check gradients against finite differences, as ``torch.autograd.gradcheck`` does.

The numerical Jacobian uses central differences, ``(f(x + eps) - f(x - eps)) / 2 eps``,
one input element at a time, computed in the inputs' own dtype (use float64 inputs, as
torch warns). The analytical Jacobian is built one output element at a time with
``autograd.grad``. Inputs are never written to: each perturbed evaluation gets new
tensors, so the check also works on backends with immutable arrays.
"""

from __future__ import annotations

import warnings

import numpy as np
from array_api_compat import device as array_device

from . import _primitive
from .function import Function

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Error raised by ``gradcheck`` and ``gradgradcheck``."""


def _as_tuple(x) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _is_tensor(x) -> bool:
    return isinstance(x, _primitive.Tensor)


def _numpy(t) -> np.ndarray:
    from .._interop import to_numpy

    return np.array(to_numpy(t.detach()), copy=True)


def _from_numpy(array: np.ndarray, like, requires_grad: bool = False):
    """A tensor over a copy of `array`, on the backend of `like`."""
    data = like._be.xp.asarray(array, device=array_device(like._data))
    t = _primitive._wrap(data, like._be, None)
    t._requires_grad = requires_grad
    return t


def _differentiable_outputs(x) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _check_inputs(inputs) -> None:
    any_requires_grad = False
    for index, inp in enumerate(inputs):
        if _is_tensor(inp) and inp.requires_grad:
            if inp.dtype.name not in ("float64", "complex128"):
                warnings.warn(
                    f"Input #{index} requires gradient and is not a double precision floating "
                    "point or complex. This check will likely fail if all the inputs are not of "
                    "double precision floating point or complex. ",
                    stacklevel=4,
                )
            if inp.dtype.is_complex:
                raise NotImplementedError(
                    f"gradcheck: input #{index} is complex; bridgetensor's gradcheck checks "
                    "real inputs only"
                )
            any_requires_grad = True
    if not any_requires_grad:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "them have requires_grad=True."
        )


def _evaluate(func, inputs) -> list:
    """func's outputs as NumPy arrays (non-tensor outputs are left out)."""
    return [_numpy(o) if _is_tensor(o) else None for o in _as_tuple(func(*inputs))]


def _numerical_jacobians(func, inputs, outputs, eps) -> list:
    """``jac[i][j]``: (numel of input j, numel of output i), for inputs that require grad."""
    jacobians = [[] for _ in outputs]
    for position, inp in enumerate(inputs):
        if not (_is_tensor(inp) and inp.requires_grad):
            continue
        original = _numpy(inp)
        n = original.size
        # As torch, only floating outputs have a Jacobian (an integer or bool output has
        # no derivative to compare).
        columns = [
            np.zeros((n, o.numel()), dtype=original.dtype)
            if _is_tensor(o) and o.dtype.is_floating_point
            else None
            for o in outputs
        ]
        for k in range(n):
            evaluated = []
            for sign in (-1.0, 1.0):
                shifted = original.copy()
                shifted.flat[k] = original.flat[k] + sign * eps
                args = list(inputs)
                args[position] = _from_numpy(shifted, inp, inp.requires_grad)
                evaluated.append(_evaluate(func, args))
            for i, (before, after) in enumerate(zip(*evaluated)):
                if columns[i] is None:
                    continue
                if before.shape != after.shape or before.dtype != after.dtype:
                    raise GradcheckError(
                        f"Expected output {i} to keep its shape and dtype under "
                        f"perturbation, got {before.shape} {before.dtype} and "
                        f"{after.shape} {after.dtype}"
                    )
                columns[i][k] = ((after - before) / (2 * eps)).reshape(-1)
        for i, column in enumerate(columns):
            jacobians[i].append(column)
    return jacobians


def _analytical_rows(output, diff_inputs):
    """``jac[j]`` of one output, plus whether every gradient had the input's dtype and shape."""
    from . import grad

    n_out = output.numel()
    jacobians = [np.zeros((x.numel(), n_out)) for x in diff_inputs]
    native = _numpy(output).dtype
    types_ok = sizes_ok = True
    for k in range(n_out):
        onehot = np.zeros(n_out, dtype=native)
        onehot[k] = 1
        g = _from_numpy(onehot.reshape(tuple(output.shape)), output)
        found = grad(output, diff_inputs, g, retain_graph=True, allow_unused=True)
        for j, (gi, x) in enumerate(zip(found, diff_inputs)):
            if gi is None:
                continue
            if gi.dtype is not x.dtype:
                types_ok = False
            if tuple(gi.shape) != tuple(x.shape):
                sizes_ok = False
                continue
            jacobians[j][:, k] = _numpy(gi).reshape(-1)
    return jacobians, types_ok, sizes_ok


def _analytical_jacobians(output, diff_inputs, nondet_tol, check_grad_dtypes) -> list:
    first, types_ok, sizes_ok = _analytical_rows(output, diff_inputs)
    second, _, _ = _analytical_rows(output, diff_inputs)
    reentrant = all(
        a.size == 0 or np.max(np.abs(a - b)) <= nondet_tol for a, b in zip(first, second)
    )
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError(
            "Backward is not reentrant, i.e., running backward with same input and "
            "grad_output multiple times gives different values, although analytical gradient "
            f"matches numerical gradient.The tolerance for nondeterminism was {nondet_tol}."
        )
    return first


def _show(matrix: np.ndarray, like) -> str:
    from .._creation import tensor

    return repr(tensor(matrix, dtype=like.dtype))


def _mismatch(analytical, numerical, i, j, like) -> str:
    return (
        f"Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
        f"numerical:{_show(numerical, like)}\nanalytical:{_show(analytical, like)}\n"
    )


def _zeros_for(outputs) -> list:
    from ..ops._helpers import zeros_like

    return [zeros_like(o) for o in outputs]


def _check_backward_multiplies_grad_output(outputs, diff_inputs) -> None:
    from . import grad

    zeros = _zeros_for(outputs)
    found = grad(outputs, diff_inputs, zeros, allow_unused=True)
    for gi, x in zip(found, diff_inputs):
        if gi is None:
            continue
        if np.any(_numpy(gi) != 0):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype is not x.dtype:
            raise GradcheckError("grad is incorrect type")
        if tuple(gi.shape) != tuple(x.shape):
            raise GradcheckError("grad is incorrect size")


class _UndefinedGrad(Function):
    """Passes its input through; its backward sends no gradient (torch's UndefinedGrad)."""

    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, grad):
        return None


def _warn_undefined_check() -> None:
    warnings.warn(
        "Backwards compatibility: New undefined gradient support checking feature is enabled by "
        "default, but it may break existing callers of this function. If this is true for you, "
        'you can call this function with "check_undefined_grad=False" to disable the feature',
        stacklevel=5,
    )


def _check_undefined_grads(func, inputs, diff_inputs) -> None:
    from . import grad

    def supported(outputs) -> None:
        zeros = _zeros_for(outputs)
        try:
            found = grad(outputs, diff_inputs, zeros, allow_unused=True)
        except RuntimeError as error:
            _warn_undefined_check()
            raise GradcheckError(
                "Expected backward function to handle undefined output grads. Please look at "
                '"Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"'
            ) from error
        for gi in found:
            if gi is not None and np.any(_numpy(gi) != 0):
                _warn_undefined_check()
                raise GradcheckError(
                    "Expected all input grads to be undefined or zero when all output grads "
                    'are undefined or zero. Please look at "Notes about undefined output '
                    'gradients" in "tools/autograd/derivatives.yaml"'
                )

    outputs = _differentiable_outputs(func(*inputs))
    supported([_UndefinedGrad.apply(o) for o in outputs])
    if len(outputs) > 1:
        for undefined in range(len(outputs)):
            fresh = _differentiable_outputs(func(*inputs))
            supported(
                [_UndefinedGrad.apply(o) if i == undefined else o for i, o in enumerate(fresh)]
            )


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """Compare the gradients of `func` at `inputs` with central finite differences.

    Returns True, or raises GradcheckError (or returns False with
    ``raise_exception=False``). ``fast_mode`` is accepted and runs the full check.

    >>> import bridgetensor as bt
    >>> x = bt.tensor([0.5, 1.5], dtype=bt.float64, requires_grad=True)
    >>> bt.autograd.gradcheck(lambda t: (t * t).sin(), (x,))
    True
    """
    if check_forward_ad or check_batched_forward_grad:
        raise NotImplementedError("gradcheck: bridgetensor has no forward-mode AD to check")
    if check_batched_grad:
        raise NotImplementedError("gradcheck: check_batched_grad needs vmap, which is missing")
    try:
        return _gradcheck(
            func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes
        )
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_dtypes):
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    outputs = _differentiable_outputs(func_out)
    if not outputs:
        for per_output in _numerical_jacobians(func, inputs, func_out, eps):
            for jacobian in per_output:
                if jacobian is not None and np.any(jacobian != 0):
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    numerical = [
        per_output
        for o, per_output in zip(func_out, _numerical_jacobians(func, inputs, func_out, eps))
        if o.requires_grad
    ]
    diff_inputs = [x for x in inputs if _is_tensor(x) and x.requires_grad]
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobians(o, diff_inputs, nondet_tol, check_dtypes)
        for j, (a, n) in enumerate(zip(analytical, numerical[i])):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(_mismatch(a, n, i, j, diff_inputs[j]))
    _check_backward_multiplies_grad_output(outputs, diff_inputs)
    if check_undefined_grad:
        _check_undefined_grads(func, inputs, diff_inputs)
    return True


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Check second-order gradients: gradcheck of the gradients of `func`.

    Without `grad_outputs`, random ones in [-1, 1) are drawn (from a fixed seed, so a
    check is reproducible).

    >>> import bridgetensor as bt
    >>> x = bt.tensor([0.5, 1.5], dtype=bt.float64, requires_grad=True)
    >>> bt.autograd.gradgradcheck(lambda t: t.exp() * t, (x,))
    True
    """
    if check_fwd_over_rev:
        raise NotImplementedError("gradgradcheck: bridgetensor has no forward-mode AD to check")
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        made = []
        for o in _differentiable_outputs(func(*inputs)):
            native = _numpy(o).dtype if o.dtype.is_floating_point else np.float64
            values = rng.uniform(-1.0, 1.0, size=tuple(o.shape)).astype(native)
            made.append(_from_numpy(values, o, requires_grad=True))
        grad_outputs = tuple(made)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    count = len(grad_outputs)
    diff_inputs = {i for i, x in enumerate(inputs) if _is_tensor(x) and x.requires_grad}

    def first_derivatives(*args):
        from . import grad

        input_args = args[:-count]
        outputs = _differentiable_outputs(func(*input_args))
        wrt = tuple(x for i, x in enumerate(input_args) if i in diff_inputs)
        found = grad(outputs, wrt, args[-count:], create_graph=True, allow_unused=True)
        return tuple(g for g in found if g is not None)

    return gradcheck(
        first_derivatives,
        inputs + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_undefined_grad=check_undefined_grad,
        check_grad_dtypes=check_grad_dtypes,
        check_batched_grad=check_batched_grad,
    )
