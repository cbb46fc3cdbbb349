"""The driver: ``python -m benchmarks [--quick] [--only NAME ...] [--rounds N] [--threads N]``.

Every measurement is a fresh process running one workload for one library. Rounds go over
all selected workloads, and within a round the libraries take turns in a rotating order, so
slow drift of a shared machine falls on every library alike. A library's value is the median
over rounds of each process's median sample; the reported quantities are the ratios.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import _machine, _report
from .workloads import LIBS, REGISTRY, missing_features

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
THREAD_VARS += ("VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke test: 1 round, short samples")
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="a workload name, a prefix (op.add) or a glob (op.*.n100); repeatable",
    )
    p.add_argument("--rounds", type=int, help="processes per library and workload (default 5)")
    p.add_argument("--threads", type=int, default=1, help="threads per library (default 1)")
    p.add_argument(
        "--timer",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter (default); cpu: time.process_time, which leaves out "
        "time spent waiting for a core on a loaded machine (--threads 1 only)",
    )
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--list", action="store_true", help="list the workloads and exit")
    return p.parse_args(argv)


def matches(name: str, patterns) -> bool:
    """An exact name selects itself alone; otherwise a prefix (op.add) or a glob (op.*.n100)."""
    return any(
        name == p
        or (p not in REGISTRY and (name.startswith(p + ".") or fnmatch.fnmatchcase(name, p)))
        for p in patterns
    )


def child_env(threads: int, kind: str) -> dict:
    env = dict(os.environ)
    env.update(dict.fromkeys(THREAD_VARS, str(threads)))
    env["BRIDGETENSOR_BACKEND"] = "numpy"
    paths = [str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    if kind == "memory-rss":
        # A fixed threshold stops glibc from keeping freed large buffers in its heap, where
        # the next step would reuse them unseen by the resident-set high-water mark.
        env["MALLOC_MMAP_THRESHOLD_"] = "65536"
    return env


def run_worker(spec: dict, env: dict, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks._worker", json.dumps(spec)]
    try:
        out = subprocess.run(
            cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = out.stdout.strip().splitlines()
    if out.returncode or not lines:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"worker exited {out.returncode}: {tail}"}
    return json.loads(lines[-1])


def available_libs() -> dict:
    """{library: None if importable else why not}, checked without importing it here."""
    import importlib.util

    return {
        lib: None if importlib.util.find_spec(lib) else f"{lib} is not installed" for lib in LIBS
    }


def select(args) -> list:
    chosen = (
        [w for w in REGISTRY.values() if matches(w.name, args.only)]
        if args.only
        else [w for w in REGISTRY.values() if w.quick or not args.quick]
    )
    if not chosen:
        raise SystemExit(f"no workload matches {args.only}; see --list")
    return chosen


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.list:
        for w in REGISTRY.values():
            print(f"{w.name:28} {w.group:9} {w.description}")
        return 0
    if args.timer == "cpu" and args.threads != 1:
        raise SystemExit("--timer cpu adds up every thread's time: use it with --threads 1")
    rounds = args.rounds or (1 if args.quick else 5)
    settings = {
        "rounds": rounds,
        "threads": args.threads,
        "timer": args.timer,
        "quick": args.quick,
        "samples": 3 if args.quick else 5,
        "min_time": 0.002 if args.quick else 0.02,
        "warmup": 0.01 if args.quick else 0.1,
    }
    sys.path.insert(0, str(ROOT / "src"))
    import bridgetensor

    workloads = select(args)
    libs_missing = available_libs()
    skipped = {}
    for w in workloads:
        missing = missing_features(bridgetensor, w.needs)
        if missing:
            skipped[w.name] = "not available yet: needs bridgetensor." + ", ".join(missing)
    facts = _machine.host_facts(args.threads)
    active = [w for w in workloads if w.name not in skipped]
    runs = measure(active, settings, libs_missing, len(skipped))
    facts["load_average_end"] = _machine.load_average()
    facts["commit"] = _report.git_commit(ROOT)
    for lib in LIBS:  # as the first worker that measured it saw it
        found = (res.get("facts") for libs in runs.values() for res in libs.get(lib, ()))
        facts[lib] = next((f for f in found if f), None)
    results = [
        summarise(w, runs.get(w.name, {}), skipped.get(w.name), libs_missing, args.timer)
        for w in workloads
    ]
    report = {"machine": facts, "settings": settings, "results": results}
    print(_report.table(report))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"\nwrote {args.out / 'latest.json'}", file=sys.stderr)
    print(_report.chart(report, args.out / "latest.png"), file=sys.stderr)
    return 1 if any(r.get("errors") for r in results) else 0


def measure(active, settings, libs_missing, skipped: int) -> dict:
    """{workload: {library: [one worker result per round]}}, libraries interleaved."""
    rounds = settings["rounds"]
    print(
        f"{len(active)} workloads x {rounds} rounds, {settings['threads']} thread(s); "
        f"{skipped} skipped",
        file=sys.stderr,
    )
    runs = {w.name: {lib: [] for lib in w.libs} for w in active}
    started = time.perf_counter()
    for r in range(rounds):
        for w in active:
            libs = [lib for lib in w.libs if libs_missing[lib] is None]
            env = child_env(settings["threads"], w.kind)
            for lib in libs[r % len(libs) :] + libs[: r % len(libs)]:
                spec = {"name": w.name, "lib": lib, **settings}
                runs[w.name][lib].append(run_worker(spec, env, timeout=600))
            print(f"\rround {r + 1}/{rounds}: {w.name:30}", end="", file=sys.stderr, flush=True)
    print(f"\rdone in {time.perf_counter() - started:.0f} s{' ' * 40}", file=sys.stderr)
    return runs


def summarise(w, runs: dict, skipped: str | None, libs_missing: dict, timer: str) -> dict:
    """One row: per-library medians of process medians, ratios, checks, raw samples."""
    row = {
        "name": w.name,
        "group": w.group,
        "kind": w.kind,
        "description": w.description,
        "target": w.target_text(),
    }
    if skipped:
        return {**row, "skipped": skipped}
    key = "cpu_median" if timer == "cpu" else "median"
    values, extras, errors, raw, cpu_share = {}, {}, {}, {}, {}
    for lib, results in runs.items():
        good = [res for res in results if "error" not in res]
        if len(good) < len(results):
            errors[lib] = next(res["error"] for res in results if "error" in res)
        if good:
            values[lib] = statistics.median(res.get(key, res["median"]) for res in good)
            extras[lib] = good[0].get("extras") or {}
            raw[lib] = [res["samples"] for res in good]
            if "cpu_median" in good[0]:
                cpu_share[lib] = statistics.median(
                    res["cpu_median"] / res["median"] for res in good
                )
    bt = values.get("bridgetensor")
    ratios = {
        ref: bt / values[ref] for ref in ("torch", "numpy") if bt is not None and values.get(ref)
    }
    row.update(
        values=values,
        ratios=ratios,
        status=w.check(values, ratios, extras),
        extras={k: v for k, v in extras.items() if v},
        cpu_share=cpu_share,
        samples=raw,
    )
    if errors:
        row["errors"] = errors
    absent = [libs_missing[lib] for lib in runs if libs_missing[lib]]
    if absent:
        row["missing"] = absent
    return row
