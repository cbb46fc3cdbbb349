"""The report: a text table, the machine facts above it, and a PNG chart of the ratios."""

from __future__ import annotations

import subprocess
from pathlib import Path

COLUMNS = ("bridgetensor", "torch", "numpy")
BLAS = ("openblas", "mkl", "blis")
TIMERS = {"wall": "wall-clock time (perf_counter)", "cpu": "CPU time (process_time)"}


def git_commit(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def amount(value: float | None, kind: str) -> str:
    if value is None:
        return "-"
    if kind.startswith("memory"):
        return f"{value / 1e6:.1f} MB"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def header(report: dict) -> str:
    m, s = report["machine"], report["settings"]
    lines = [f"machine: {m['cpu']}, {m['cores']} cores, {m['platform']}, {m['python']}"]
    numpy, torch, bt = m.get("numpy"), m.get("torch"), m.get("bridgetensor")
    if numpy:
        pools = numpy["thread_pools"]
        blas = (
            [p for p in pools if p.get("internal_api") in BLAS] if isinstance(pools, list) else []
        )
        kernel = ", ".join(
            f"{p['internal_api']} {p.get('version', '')} kernel {p.get('architecture', '?')}, "
            f"{p.get('num_threads')} thread(s)"
            for p in blas
        )
        lines.append(
            f"numpy {numpy['version']} ({numpy.get('blas_build', '?')}; {kernel or pools})"
        )
    if torch:
        lines.append(
            f"torch {torch['version']} ({torch['blas']}, {torch['cpu_capability']}, "
            f"{torch['num_threads']} thread(s))"
        )
    if bt:
        lines.append(f"bridgetensor {bt['version']} at {m['commit']}, backend {bt['backend']}")
    lines.append(
        f"{s['threads']} thread(s); {s['rounds']} round(s) of one process per library, "
        f"{s['samples']} samples each, {TIMERS[s['timer']]}; values are medians, "
        "ratios are what to compare"
    )
    shares = [x for r in report["results"] for x in r.get("cpu_share", {}).values()]
    load, end = m.get("load_average"), m.get("load_average_end")
    if shares and load:
        shares.sort()
        lines.append(
            f"load average {load[0]:g} at start, {end[0] if end else '?':g} at end; the "
            f"measured processes ran on a core {shares[len(shares) // 2]:.0%} of their wall "
            f"time (median; {shares[0]:.0%} at worst)"
        )
        if max(load[0], end[0] if end else 0) > m["cores"] and s["timer"] == "wall":
            lines.append(
                "WARNING: more runnable processes than cores: wall times include waiting for a "
                "core; ratios are noisy. Rerun on a quiet machine, or with --timer cpu."
            )
    if m.get("blas_env"):
        lines.append(f"WARNING: {m['blas_env']} is set, which may slow OpenBLAS")
    return "\n".join(lines)


def table(report: dict) -> str:
    head = f"{'workload':28}" + "".join(f"{c:>14}" for c in COLUMNS)
    head += f"{'bt/torch':>10}{'bt/numpy':>10}  target"
    rows, notes = [header(report), "", head, "-" * len(head) + "-" * 24], []
    for r in report["results"]:
        if "skipped" in r:
            notes.append(f"{r['name']}: skipped, {r['skipped']}")
            continue
        cells = "".join(f"{amount(r['values'].get(c), r['kind']):>14}" for c in COLUMNS)
        ratios = "".join(
            f"{r['ratios'][k]:>9.2f}x" if k in r["ratios"] else f"{'-':>10}"
            for k in ("torch", "numpy")
        )
        verdict = f"{r['target']} {r['status'] or ''}".strip()
        rows.append(f"{r['name']:28}{cells}{ratios}  {verdict}")
        for lib, facts in r.get("extras", {}).items():
            notes.append(
                f"{r['name']}: {lib} " + ", ".join(f"{k}={fmt(v)}" for k, v in facts.items())
            )
        for lib, error in r.get("errors", {}).items():
            notes.append(f"{r['name']}: {lib} FAILED: {error}")
    missing = sorted({m for r in report["results"] for m in r.get("missing", [])})
    notes += [f"not measured: {m}" for m in missing]
    return "\n".join(rows + (["", *notes] if notes else []))


def fmt(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def chart(report: dict, path: Path) -> str:
    """Bars of bt/torch and bt/numpy per workload on a log scale; returns a message."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return "matplotlib is not installed: no PNG chart written"
    rows = [r for r in report["results"] if r.get("ratios")]
    if not rows:
        return "no ratios to chart"
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.28 * len(rows)))
    ys = range(len(rows))
    for offset, ref, color in ((-0.2, "torch", "tab:orange"), (0.2, "numpy", "tab:blue")):
        ax.barh(
            [y + offset for y in ys],
            [r["ratios"].get(ref, 0) for r in rows],
            height=0.4,
            color=color,
            label=f"bridgetensor / {'PyTorch' if ref == 'torch' else 'NumPy'}",
        )
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%gx"))
    ax.set_yticks(list(ys), [r["name"] for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("ratio of time (memory for memory.*), lower is better", fontsize=8)
    m = report["machine"]
    fig.suptitle(
        f"bridgetensor at {m['commit']}, {report['settings']['threads']} thread(s), {m['cpu']}",
        fontsize=8,
    )
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return f"wrote {path}"
