"""Zero-copy bridging: from_numpy and .numpy() allocate no array memory and take constant time.

Converts a NumPy float32 array to a Tensor with `from_numpy` and back with `.numpy()`,
for sizes from 4 KB to 400 MB, and prints for each: the time per round trip, the
memory traced by tracemalloc during it (NumPy reports its allocations there) and the
growth of the process's resident set size. A copy of 400 MB would show as 400 MB in
both and as milliseconds of time; the bridge shows bytes and microseconds.

Run: python benchmarks/bridge_memory.py
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bridgetensor as bt

SIZES_MB = (0.004, 4, 40, 400)
REPEATS = 200


def _rss_bytes() -> int:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def round_trip(array: np.ndarray) -> np.ndarray:
    return bt.from_numpy(array).numpy()


def _time_round_trips(array: np.ndarray) -> float:
    start = time.perf_counter()
    for _ in range(REPEATS):
        round_trip(array)
    return (time.perf_counter() - start) / REPEATS


def measure(megabytes: float) -> dict:
    array = np.ones(int(megabytes * 1e6) // 4, dtype=np.float32)
    round_trip(array)  # warm caches and imports
    gc.collect()
    rss_before = _rss_bytes()
    tracemalloc.start()
    for _ in range(REPEATS):
        back = round_trip(array)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = _rss_bytes() - rss_before
    # Timed apart from tracemalloc, which slows every allocation; the best of several runs.
    seconds = min(_time_round_trips(array) for _ in range(5))
    copy_start = time.perf_counter()
    array.copy()
    copy_seconds = time.perf_counter() - copy_start
    return {
        "MB": megabytes,
        "shared": np.shares_memory(back, array),
        "us_per_round_trip": seconds * 1e6,
        "traced_peak_bytes": traced_peak,
        "rss_growth_bytes": rss_growth,
        "us_for_one_copy": copy_seconds * 1e6,
    }


def main() -> None:
    print(f"bridgetensor {bt.__version__}, NumPy {np.__version__}, {REPEATS} round trips each")
    header = (
        f"{'size':>10} {'shared':>7} {'round trip':>12} {'traced peak':>12} "
        f"{'RSS growth':>11} {'one copy':>11}"
    )
    print(header)
    rows = [measure(mb) for mb in SIZES_MB]
    for row in rows:
        print(
            f"{row['MB']:>8g}MB {row['shared']!s:>7} {row['us_per_round_trip']:>10.2f}us "
            f"{row['traced_peak_bytes']:>11}B {row['rss_growth_bytes']:>10}B "
            f"{row['us_for_one_copy']:>9.0f}us"
        )
    largest = rows[-1]
    assert largest["shared"], "the round trip must return the same memory"
    assert largest["traced_peak_bytes"] < 1e6, "the round trip allocated array memory"
    ratio = largest["us_per_round_trip"] / rows[0]["us_per_round_trip"]
    print(f"time ratio 400 MB / 4 KB: {ratio:.2f} (constant time: about 1)")


if __name__ == "__main__":
    main()
