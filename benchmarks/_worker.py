"""One measurement: one workload, one library, in this fresh process.

Run by the driver as ``python -m benchmarks._worker '<json spec>'``; prints one JSON line.
The driver has already set OMP/MKL/OPENBLAS_NUM_THREADS in the environment, before any
library loads; here the BLAS pools are capped again through threadpoolctl and torch's pool
through torch.set_num_threads.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import traceback

from ._machine import lib_facts


def limit_threads(lib: str, threads: int) -> None:
    if lib == "torch":
        import torch

        torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the environment variables still hold
        return
    threadpool_limits(limits=threads)


def time_step(step, spec) -> tuple[int, list[float], list[float]]:
    """(calls per sample, wall seconds per call of each sample, CPU seconds likewise)."""
    start = time.perf_counter()
    calls = 0
    while calls < 2 or (time.perf_counter() - start < spec["warmup"] and calls < 1000):
        step()
        calls += 1
    n = 1
    while True:  # calls per sample: enough to exceed min_time
        elapsed = _timed(step, n)[0]
        if elapsed >= spec["min_time"]:
            break
        n = max(n * 2, min(n * 100, int(n * spec["min_time"] * 1.2 / max(elapsed, 1e-9))))
    samples = [_timed(step, n) for _ in range(spec["samples"])]
    return n, [wall / n for wall, _ in samples], [cpu / n for _, cpu in samples]


def _timed(step, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of n calls; CPU time leaves out time spent waiting for a core."""
    loop = range(n)
    cpu, start = time.process_time(), time.perf_counter()
    for _ in loop:
        step()
    return time.perf_counter() - start, time.process_time() - cpu


def peak_traced(workload, lib, spec) -> list[float]:
    """Peak bytes traced by tracemalloc (NumPy reports its buffers to it) during a step."""
    import tracemalloc

    tracemalloc.start()
    step = workload.build(lib)
    step()
    peaks = []
    for _ in range(spec["samples"]):
        tracemalloc.reset_peak()
        step()
        peaks.append(float(tracemalloc.get_traced_memory()[1]))
    tracemalloc.stop()
    return peaks


def peak_rss(workload, lib, spec) -> list[float]:
    """Resident-set high-water during a step, above the resident set before building it."""
    from .workloads.system import rss_bytes

    base = rss_bytes()
    step = workload.build(lib)
    step()
    peaks = []
    for _ in range(spec["samples"]):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident set (Linux >= 4.0)
        step()
        with open("/proc/self/status") as f:
            hwm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))
        peaks.append(float(hwm - base))
    return peaks


IMPORT_PROBE = (
    "import time; c, t = time.process_time(), time.perf_counter(); import {lib}; "
    "t, c = time.perf_counter() - t, time.process_time() - c; import json, sys; "
    "print(json.dumps([t, c, [m for m in {forbidden!r} if m in sys.modules]]))"
)


def fresh_imports(workload, lib, spec) -> dict:
    """Seconds of `import lib`, each in a new interpreter, and what else it imported."""
    code = IMPORT_PROBE.format(lib=lib, forbidden=workload.forbidden)
    times, cpu_times, leaked = [], [], set()
    for _ in range(spec["samples"]):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(out.stderr.strip().splitlines()[-1])
        seconds, cpu, imported = json.loads(out.stdout)
        times.append(seconds)
        cpu_times.append(cpu)
        leaked.update(imported)
    extras = {"imported": sorted(leaked)} if lib == "bridgetensor" else {}
    return {"samples": times, "cpu_samples": cpu_times, "extras": extras}


def measure(spec) -> dict:
    from .workloads import REGISTRY

    workload, lib = REGISTRY[spec["name"]], spec["lib"]
    if workload.kind == "import":
        return fresh_imports(workload, lib, spec)
    limit_threads(lib, spec["threads"])
    if workload.kind == "memory-traced":
        return {"samples": peak_traced(workload, lib, spec)}
    if workload.kind == "memory-rss":
        return {"samples": peak_rss(workload, lib, spec)}
    step = workload.build(lib)
    calls, samples, cpu_samples = time_step(step, spec)
    extras = workload.extras(lib, step)
    return {
        "calls": calls,
        "samples": samples,
        "cpu_samples": cpu_samples,
        "extras": extras,
        "facts": lib_facts(lib),
    }


def main() -> None:
    spec = json.loads(sys.argv[1])
    try:
        result = measure(spec)
        result["median"] = statistics.median(result["samples"])
        if "cpu_samples" in result:
            result["cpu_median"] = statistics.median(result["cpu_samples"])
    except Exception as exc:  # reported, not raised: one failure must not stop the run
        result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
