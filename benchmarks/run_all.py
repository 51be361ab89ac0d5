"""Every speed benchmark in one command: medians of several runs, against the targets, as a Markdown table.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/run_all.py            # 3 runs each (~10 min)
    .venv/bin/python benchmarks/run_all.py --quick      # 1 run each, smaller sizes (~1 min): a smoke run
    .venv/bin/python benchmarks/run_all.py --only ledger_writes,http_ack --runs 5

Each benchmark runs in a fresh process per run (``--json``), so memory and
caches start cold the same way every time; each figure in the table is the
median of the runs. ``benchmarks/report_1m.py`` (the 1-million-row report) runs
too when present; its ledger is built once and cached. Say how the machine was
loaded when you quote the table: these are latencies, and other processes on
the same cores lengthen them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Target:
    """``metric`` must stay at or under ``limit`` for rows where ``where`` holds."""

    where: dict
    metric: str
    limit: float


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    case: tuple[str, ...]  # the fields that name a row (library size, writer count ...)
    shown: tuple[str, ...]  # the figures the table shows, besides p50 and p99
    targets: tuple[Target, ...] = field(default=())


BENCHMARKS = (
    Benchmark("match_decide", "match_decide.py", (), ("--sizes", "50,500,sample", "--situations", "100"),
              case=("library",), shown=("cpu_p50_ms", "cpu_p99_ms", "build_s", "index_mb", "rss_growth_mb"),
              targets=(Target({"library": "500"}, "p99_ms", 10), Target({"library": "5000"}, "p99_ms", 50))),
    Benchmark("ledger_writes", "ledger_writes.py", (), ("--writes", "40", "--prefill", "0"),
              case=("writers", "pace"), shown=("max_ms", "writes_per_s"),
              targets=(Target({"writers": 8}, "p99_ms", 20),)),
    Benchmark("ledger_writes", "ledger_writes.py", ("--writers", "8", "--pace", "10", "--writes", "300"),
              ("--writers", "8", "--pace", "10", "--writes", "30", "--prefill", "0"),
              case=("writers", "pace"), shown=("max_ms", "writes_per_s"),
              targets=(Target({"writers": 8}, "p99_ms", 20),)),
    Benchmark("http_ack", "http_ack.py", (), ("--requests", "40"), case=("in_flight",), shown=("answers_per_s",),
              targets=(Target({}, "p99_ms", 300),)),
)
REPORT_1M = HERE / "report_1m.py"
REPORT_LINE = re.compile(r"build_report\s+(\d+)d.*?median\s+([\d.]+)\s*s")
REPORT_TARGET_S = 2.0


def run_once(benchmark: Benchmark, *, quick: bool) -> list[dict]:
    """One fresh process of one benchmark; its JSON rows."""
    command = [sys.executable, str(HERE / benchmark.script), *(benchmark.quick if quick else benchmark.full), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=_environment())
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def medians(runs: list[list[dict]], case: tuple[str, ...]) -> list[dict]:
    """Rows of the same case across runs -> one row of medians (numbers only), in first-run order.

    >>> medians([[{"n": 1, "p99_ms": 3.0}], [{"n": 1, "p99_ms": 5.0}], [{"n": 1, "p99_ms": 4.0}]], ("n",))
    [{'n': 1, 'p99_ms': 4.0, 'runs': 3}]
    """
    groups: dict[tuple, list[dict]] = {}
    for rows in runs:
        for row in rows:
            groups.setdefault(tuple(row[k] for k in case), []).append(row)
    out = []
    for key, rows in groups.items():
        merged = {k: v for k, v in zip(case, key)}
        for metric, value in rows[0].items():
            if metric not in merged and isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[metric] = statistics.median(row[metric] for row in rows)
        out.append({**merged, "runs": len(rows)})
    return out


def verdicts(benchmark: Benchmark, row: dict) -> list[str]:
    """'p99_ms <= 10: met' for every target that applies to this row."""
    found = []
    for target in benchmark.targets:
        if all(row.get(k) == v for k, v in target.where.items()) and target.metric in row:
            met = row[target.metric] <= target.limit
            found.append(f"{target.metric.removesuffix('_ms')} ≤ {target.limit:g} ms: {'met' if met else 'MISSED'}")
    return found


def table_rows(benchmark: Benchmark, rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        case = ", ".join(f"{k} {row[k]}" for k in benchmark.case)
        extra = ", ".join(f"{k} {_short(row[k])}" for k in benchmark.shown if k in row)
        lines.append(f"| {benchmark.name} | {case} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {extra} "
                     f"| {'; '.join(verdicts(benchmark, row)) or '-'} | {row['runs']} |")
    return lines


def report_1m(*, quick: bool, runs: int) -> list[str]:
    """``benchmarks/report_1m.py`` when it exists: its medians, as table rows (quick: 20,000 rows, one run)."""
    if not REPORT_1M.exists():
        return []
    with tempfile.TemporaryDirectory(prefix="leeway-bench-") as workdir:
        options = ["--rows", "20000", "--runs", "1", "--db", str(Path(workdir) / "r.db")] if quick else [
            "--runs", str(runs)]
        done = subprocess.run([sys.executable, str(REPORT_1M), *options], capture_output=True, text=True,
                              env=_environment())
    found = REPORT_LINE.findall(done.stdout)
    if done.returncode != 0 or not found:
        problem = _one_line(done.stderr or done.stdout)
        return [f"| report_1m | - | - | - | failed (exit {done.returncode}): {problem} | - | - |"]
    rows, runs = ("20,000", 1) if quick else ("1,000,000", runs)
    lines = []
    for days, seconds in ((days, float(s)) for days, s in found):
        met = "met" if seconds <= REPORT_TARGET_S else "MISSED"
        lines.append(f"| report_1m | {rows} rows, {days} days | {seconds * 1000:.0f} | - | median of {runs} runs "
                     f"| {seconds:.2f} s ≤ {REPORT_TARGET_S:g} s: {met} | - |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="every speed benchmark: medians of several runs against the targets")
    parser.add_argument("--quick", action="store_true", help="one run each, smaller sizes (a smoke run)")
    parser.add_argument("--runs", type=int, help="runs per benchmark (default 3, quick 1)")
    parser.add_argument("--only", type=lambda s: s.split(","), help="comma-separated benchmark names")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    started = time.monotonic()
    lines = ["| benchmark | case | p50 ms | p99 ms | also | target | runs |", "|---|---|---|---|---|---|---|"]
    for benchmark in chosen:
        print(f"running {benchmark.name} x{runs} ...", file=sys.stderr, flush=True)
        lines += table_rows(benchmark, medians([run_once(benchmark, quick=args.quick) for _ in range(runs)],
                                               benchmark.case))
    if not args.only or "report_1m" in args.only:
        print("running report_1m ...", file=sys.stderr, flush=True)
        lines += report_1m(quick=args.quick, runs=runs)
    print(f"command: {shlex.join(_invocation(argv))}")
    print(f"medians of {runs} run(s); {os.cpu_count()} CPUs; load average (1 min) at the end "
          f"{os.getloadavg()[0]:.1f}; {time.monotonic() - started:.0f} s in all\n")
    print("\n".join(lines))


def _environment() -> dict:
    """One BLAS thread unless told otherwise: the benchmarks time one query at a time, as the app runs them."""
    return {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}


def _invocation(argv: list[str] | None) -> list[str]:
    prefix = [f"{k}={os.environ[k]}" for k in ("OPENBLAS_NUM_THREADS",) if k in os.environ]
    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    pinned = ["taskset", "-c", ",".join(map(str, affinity))] if 0 < len(affinity) < (os.cpu_count() or 1) else []
    return [*prefix, *pinned, "python", "benchmarks/run_all.py", *(sys.argv[1:] if argv is None else argv)]


def _short(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.strip().splitlines()[-1:])[:200]


if __name__ == "__main__":
    main()
