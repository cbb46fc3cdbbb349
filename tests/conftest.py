"""Shared fixtures. The whole suite runs once per backend: tox sets BRIDGETENSOR_BACKEND
(and, for array-api-strict's fake devices, BRIDGETENSOR_DEVICE).

Tests build tensors through bridgetensor's own API, so they exercise whichever backend is
the default; `backend` tells a test which one that is, and `numpy_only` marks the few that
depend on memory shared with NumPy arrays.

Each backend's known differences are listed in tests/backends/<backend>.txt (and
<backend>-<device>.txt for a device run): one test id per line, then ``  # `` and the
reason. Listed tests are marked xfail(strict=True), so a test that starts passing fails
the run until its line is removed; a reason starting with ``skip:`` skips the test
instead (for the few that would not finish in time on that backend).
"""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import Phase, settings

import bridgetensor as bt
from bridgetensor._backend import default_device

BACKEND = bt.get_default_backend()
DEVICE = default_device()
LISTS = pathlib.Path(__file__).parent / "backends"


# Off NumPy, failing property tests (the listed expected failures among them) report
# their first failing example instead of shrinking it, which on a slow backend such as
# Dask takes minutes per test.
# Under tox (CI) the examples are derandomised: a run is reproducible, and a change is
# judged on the examples every earlier run drew too. Plain pytest runs keep exploring
# new examples (and found, among others, cumprod's gradient past a second zero).
_PINNED = {"derandomize": True, "database": None} if "TOX_ENV_NAME" in os.environ else {}
settings.register_profile("pinned", **_PINNED)
settings.register_profile(
    "backends", phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target], **_PINNED
)
settings.load_profile("pinned" if BACKEND == "numpy" else "backends")

# Backends whose per-op cost is large (Dask builds a graph and runs a scheduler for each
# value it shows; JAX compiles every op for every new shape) run fewer examples per
# property test, so that their whole suite fits CI's time. NumPy, strict and torch run
# every test as written.
EXAMPLE_CAP = {"dask": 4, "jax": 4}.get(BACKEND)


def _cap_examples(item) -> None:
    # Hypothesis reads a test's settings from this attribute each time the test runs.
    found = getattr(item.obj, "_hypothesis_internal_use_settings", None)
    if found is not None and found.max_examples > EXAMPLE_CAP:
        item.obj._hypothesis_internal_use_settings = settings(found, max_examples=EXAMPLE_CAP)


@pytest.fixture
def backend() -> str:
    """The name of the backend this run tests ("numpy", "array_api_strict", "torch", ...)."""
    return BACKEND


numpy_only = pytest.mark.skipif(
    BACKEND != "numpy", reason="checks memory shared with NumPy arrays (NumPy backend only)"
)


def expected_failures(backend: str = BACKEND, device=DEVICE) -> dict[str, str]:
    """{test id: reason} from the backend's list files (missing files list nothing)."""
    names = [backend] + ([f"{backend}-{device}"] if device is not None else [])
    found = {}
    for name in names:
        path = LISTS / f"{name}.txt"
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            test_id, sep, reason = line.partition("  # ")
            if not sep or not reason.strip():
                raise pytest.UsageError(f"{path.name}:{number}: expected 'test id  # reason'")
            found[test_id.strip()] = reason.strip()
    return found


# The oracle tests pin PyTorch's numbers, messages and reprs to this release (what tox
# installs); another release (a GPU machine's own, say) differs in details they check.
ORACLE_TORCH = "2.13."


def _skip_oracle_on_other_torch(items) -> None:
    try:
        import torch
    except ImportError:
        return
    if torch.__version__.startswith(ORACLE_TORCH):
        return
    skip = pytest.mark.skip(
        reason=f"oracle pinned to torch {ORACLE_TORCH}x, not {torch.__version__}"
    )
    for item in items:
        if item.get_closest_marker("oracle") is not None:
            item.add_marker(skip)


def pytest_collection_modifyitems(config, items):
    _skip_oracle_on_other_torch(items)
    if EXAMPLE_CAP is not None:
        for item in items:
            _cap_examples(item)
    listed = expected_failures()
    if not listed:
        return
    seen = set()
    for item in items:
        reason = listed.get(item.nodeid)
        if reason is None:
            continue
        seen.add(item.nodeid)
        if reason.startswith("skip:"):
            item.add_marker(pytest.mark.skip(reason=f"{BACKEND}: {reason[5:].strip()}"))
        else:
            item.add_marker(pytest.mark.xfail(reason=f"{BACKEND}: {reason}", strict=True))
    # Entries whose test file ran but which match no test are stale: say so.
    files = {item.nodeid.partition("::")[0] for item in items}
    stale = [t for t in listed if t not in seen and t.partition("::")[0] in files]
    config._bridgetensor_stale = stale if not config.getoption("keyword") else []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stale = getattr(config, "_bridgetensor_stale", [])
    if stale:
        terminalreporter.section("stale expected-failure entries", yellow=True)
        for test_id in stale:
            terminalreporter.line(f"{test_id} (listed for {BACKEND}, not collected)")


def pytest_report_header(config):
    chosen = os.environ.get("BRIDGETENSOR_BACKEND")
    where = "" if DEVICE is None else f", device {DEVICE}"
    return f"bridgetensor backend: {BACKEND}{where} (BRIDGETENSOR_BACKEND={chosen})"
