"""Machine facts for the report: the host's, from the driver, and each library's, from the
worker processes that measured it (so they show the thread pools as measured)."""

from __future__ import annotations

import os
import platform
import re


def host_facts(threads: int) -> dict:
    found = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "threads": threads,
        "load_average": load_average(),
    }
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    if env:
        found["blas_env"] = env
    return found


def load_average() -> list | None:
    """The 1/5/15-minute load averages: over the core count, processes waited for a core."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def lib_facts(lib: str) -> dict:
    """Version, BLAS and thread pools of `lib`, already imported in this worker."""
    if lib == "bridgetensor":
        import bridgetensor

        return {
            "version": bridgetensor.__version__,
            "path": os.path.dirname(bridgetensor.__file__),
            "backend": bridgetensor.get_default_backend(),
        }
    if lib == "torch":
        import torch

        blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
        return {
            "version": torch.__version__,
            "blas": blas.group(1) if blas else "unknown",
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "num_threads": torch.get_num_threads(),
        }
    import numpy as np

    found = {"version": np.__version__, "thread_pools": thread_pools()}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        found["blas_build"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # show_config's layout varies between NumPy versions
        pass
    return found


def thread_pools():
    """threadpoolctl's view: each native pool, its threads and (for BLAS) its kernel."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl is not installed: BLAS kernel and threads unknown"
    keys = ("internal_api", "version", "architecture", "num_threads")
    return [{k: pool[k] for k in keys if pool.get(k) is not None} for pool in threadpool_info()]
