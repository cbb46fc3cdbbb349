"""Grad mode, inference mode and anomaly detection: thread-local switches.

Each switch is a context manager and a decorator, as in torch (generator functions
included: the mode holds while the generator runs, not while its caller does). The
state lives in a `threading.local` whose class attributes are the defaults, so a new
thread starts with grad enabled and reading the flag costs one attribute lookup.
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings

__all__ = [
    "detect_anomaly",
    "enable_grad",
    "inference_mode",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
]


class _State(threading.local):
    grad_enabled = True
    inference = False
    anomaly = False
    check_nan = True


state = _State()


def is_grad_enabled() -> bool:
    """Whether ops record the graph for autograd in this thread.

    >>> import bridgetensor as bt
    >>> bt.is_grad_enabled()
    True
    """
    return state.grad_enabled


def is_inference_mode_enabled() -> bool:
    """Whether this thread is inside ``inference_mode()``.

    >>> import bridgetensor as bt
    >>> bt.is_inference_mode_enabled()
    False
    """
    return state.inference


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on in this thread.

    >>> import bridgetensor as bt
    >>> bt.autograd.is_anomaly_enabled()
    False
    """
    return state.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection also checks backward results for NaN.

    >>> import bridgetensor as bt
    >>> bt.autograd.is_anomaly_check_nan_enabled()
    True
    """
    return state.check_nan


def _wrap_generator(switch, func):
    """A generator function that runs each step of `func`'s generator under the switch."""

    @functools.wraps(func)
    def generator(*args, **kwargs):
        gen = func(*args, **kwargs)
        try:
            with switch.clone():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with switch.clone():
                        gen.close()
                    raise
                except BaseException as exc:
                    with switch.clone():
                        response = gen.throw(exc)
                else:
                    with switch.clone():
                        response = gen.send(request)
        except StopIteration as stop:
            # Returning (not re-raising) is how a generator reports it is done (PEP 479).
            return stop.value

    return generator


class _Switch:
    """A context manager that sets thread-local flags and restores them; also a decorator."""

    _flags: dict = {}

    def __enter__(self):
        self._saved = {name: getattr(state, name) for name in self._flags}
        for name, value in self._flags.items():
            setattr(state, name, value)
        return None

    def __exit__(self, *exc_info) -> None:
        for name, value in self._saved.items():
            setattr(state, name, value)

    def clone(self):
        return type(self)()

    def __call__(self, func):
        if inspect.isclass(func):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior of "
                "class decoration, you can directly decorate the `__init__` method and nothing "
                "else.",
                FutureWarning,
                stacklevel=2,
            )
            cls = func

            def func(*args, **kwargs):
                return cls(*args, **kwargs)

        if inspect.isgeneratorfunction(func):
            return _wrap_generator(self, func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper


class _NoArgSwitch(_Switch):
    """A switch that also decorates without parentheses: ``@no_grad`` as ``@no_grad()``."""

    def __new__(cls, func=None):
        if func is None:
            return super().__new__(cls)
        return cls()(func)


class no_grad(_NoArgSwitch):
    """Run without recording the graph (as a ``with`` block or a decorator).

    >>> import bridgetensor as bt
    >>> x = bt.ones(2, requires_grad=True)
    >>> with bt.no_grad():
    ...     (x * 2).requires_grad
    False
    """

    _flags = {"grad_enabled": False}

    def __init__(self, func=None) -> None:
        pass


class enable_grad(_NoArgSwitch):
    """Record the graph again inside a ``no_grad`` region.

    >>> import bridgetensor as bt
    >>> with bt.no_grad(), bt.enable_grad():
    ...     (bt.ones(1, requires_grad=True) * 2).requires_grad
    True
    """

    _flags = {"grad_enabled": True}

    def __init__(self, func=None) -> None:
        pass


class set_grad_enabled(_Switch):
    """Switch graph recording on or off: at once, as a context manager, or as a decorator.

    >>> import bridgetensor as bt
    >>> with bt.set_grad_enabled(False):
    ...     bt.is_grad_enabled()
    False
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._flags = {"grad_enabled": self.mode}
        # As in torch, the call itself switches the mode (``set_grad_enabled(False)`` alone
        # is a statement); leaving a ``with`` block restores what was there before the call.
        self._saved = {"grad_enabled": state.grad_enabled}
        state.grad_enabled = self.mode

    def __enter__(self):
        state.grad_enabled = self.mode
        return None

    def __call__(self, func):
        # Used as a decorator, the call must not leave the mode switched.
        state.grad_enabled = self._saved["grad_enabled"]
        return super().__call__(func)

    def clone(self):
        return set_grad_enabled(self.mode)

    def __repr__(self) -> str:
        return f"bridgetensor.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


class inference_mode(_Switch):
    """Like ``no_grad``, for code that will never need gradients; also a decorator.

    ``inference_mode(False)`` turns it off again inside (and re-enables grad mode).

    >>> import bridgetensor as bt
    >>> with bt.inference_mode():
    ...     bt.ones(1, requires_grad=True).mul(2).requires_grad
    False
    """

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __init__(self, mode=True) -> None:
        self.mode = mode
        self._flags = {"grad_enabled": not mode, "inference": mode}

    def clone(self):
        return inference_mode(self.mode)


_ANOMALY_WARNING = (
    "Anomaly Detection has been enabled. This mode will increase the runtime and should only "
    "be enabled for debugging."
)


class detect_anomaly(_Switch):
    """Debug mode for backward: find the forward op behind a failing backward, and more.

    Under it, the forward records where each op was called, an error in backward warns
    with that place, a NaN gradient raises (``check_nan``), and, beyond torch, backward
    checks that no saved tensor changed since the forward pass, which also catches
    writes through memory shared with NumPy (``from_numpy``) that no version counter sees.

    >>> import bridgetensor as bt
    >>> x = bt.tensor([0.0], requires_grad=True)
    >>> with bt.autograd.detect_anomaly():  # doctest: +SKIP
    ...     (x * x.log()).sum().backward()
    Traceback (most recent call last):
    RuntimeError: Function 'LogBackward0' returned nan values in its 0th output.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = bool(check_nan)
        self._flags = {"anomaly": True, "check_nan": self.check_nan}
        warnings.warn(_ANOMALY_WARNING, UserWarning, stacklevel=2)

    def clone(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return detect_anomaly(self.check_nan)


class set_detect_anomaly(_Switch):
    """Turn anomaly detection on or off: at once, and until the ``with`` block ends.

    >>> import bridgetensor as bt
    >>> with bt.autograd.set_detect_anomaly(False):
    ...     bt.autograd.is_anomaly_enabled()
    False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.mode = bool(mode)
        self.check_nan = bool(check_nan)
        self._flags = {"anomaly": self.mode, "check_nan": self.check_nan}
        self._saved = {"anomaly": state.anomaly, "check_nan": state.check_nan}
        state.anomaly = self.mode
        state.check_nan = self.check_nan

    def __enter__(self):
        return None

    def clone(self):
        return set_detect_anomaly(self.mode, self.check_nan)
