"""Grad mode, inference mode and anomaly detection: thread-local switches.

Each switch is a context manager and a decorator, as in torch. The state lives in a
`threading.local` whose class attributes are the defaults, so a new thread starts
with grad enabled and reading the flag costs one attribute lookup.
"""

from __future__ import annotations

import functools
import inspect
import threading

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "inference_mode",
    "is_inference_mode_enabled",
    "detect_anomaly",
    "set_detect_anomaly",
    "is_anomaly_enabled",
]


class _State(threading.local):
    grad_enabled = True
    inference = False
    anomaly = False


state = _State()


def is_grad_enabled() -> bool:
    """Whether ops record the graph for autograd in this thread."""
    return state.grad_enabled


def is_inference_mode_enabled() -> bool:
    return state.inference


def is_anomaly_enabled() -> bool:
    return state.anomaly


class _Switch:
    """A context manager that sets thread-local flags and restores them; also a decorator."""

    _flags: dict = {}

    def __enter__(self):
        self._saved = {name: getattr(state, name) for name in self._flags}
        for name, value in self._flags.items():
            setattr(state, name, value)
        return self

    def __exit__(self, *exc_info) -> None:
        for name, value in self._saved.items():
            setattr(state, name, value)

    def clone(self):
        return type(self)()

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def generator(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    with self.clone():
                        response = gen.send(request)

            return generator

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Run without recording the graph (as a ``with`` block or a decorator).

    >>> import bridgetensor as bt
    >>> x = bt.ones(2, requires_grad=True)
    >>> with bt.no_grad():
    ...     (x * 2).requires_grad
    False
    """

    def __init__(self) -> None:
        self._flags = {"grad_enabled": False}


class enable_grad(_Switch):
    """Record the graph again inside a ``no_grad`` region.

    >>> import bridgetensor as bt
    >>> with bt.no_grad(), bt.enable_grad():
    ...     (bt.ones(1, requires_grad=True) * 2).requires_grad
    True
    """

    def __init__(self) -> None:
        self._flags = {"grad_enabled": True}


class set_grad_enabled(_Switch):
    """Switch graph recording on or off; takes effect at once and as a context manager.

    >>> import bridgetensor as bt
    >>> with bt.set_grad_enabled(False):
    ...     bt.is_grad_enabled()
    False
    """

    def __init__(self, mode: bool) -> None:
        self._flags = {"grad_enabled": bool(mode)}
        self._saved = {"grad_enabled": state.grad_enabled}
        state.grad_enabled = bool(mode)

    def __enter__(self):
        return self

    def clone(self):
        return set_grad_enabled(self._flags["grad_enabled"])


class inference_mode(_Switch):
    """Like ``no_grad``; tensors made inside are marked as inference tensors.

    >>> import bridgetensor as bt
    >>> with bt.inference_mode():
    ...     bt.ones(1, requires_grad=True).mul(2).requires_grad
    False
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)
        self._flags = {"grad_enabled": False, "inference": True} if mode else {"inference": False}

    def clone(self):
        return inference_mode(self.mode)


class detect_anomaly(_Switch):
    """Check during backward that no saved input was changed since the forward pass.

    Beyond torch's version-counter check, this also notices writes made through
    memory shared with NumPy (``from_numpy``), which no counter sees.

    >>> import bridgetensor as bt
    >>> with bt.autograd.detect_anomaly():
    ...     bt.is_anomaly_enabled()
    True
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self._flags = {"anomaly": True}


class set_detect_anomaly(_Switch):
    """Turn anomaly detection on or off; takes effect at once and as a context manager."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._flags = {"anomaly": bool(mode)}
        self._saved = {"anomaly": state.anomaly}
        state.anomaly = bool(mode)

    def __enter__(self):
        return self
