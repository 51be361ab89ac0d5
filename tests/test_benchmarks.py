"""Every speed benchmark runs in its smallest size and produces figures.

Speed is proven by ``python benchmarks/run_all.py``, not by timed tests on a
shared machine: these only check that each benchmark still runs against the
current code and reports the numbers the README quotes.
"""

from __future__ import annotations

import doctest
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import run_all, synthetic, timing  # noqa: E402

FIGURES = {"p50_ms", "p99_ms"}
FIXTURE = REPO / "tests" / "fixtures" / "valid"  # a small policy set: the real playbooks take seconds to read


def rows_of(script: str, *options: str) -> list[dict]:
    """Run a benchmark as the README says (its own process, one BLAS thread) and read its JSON rows."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *options, "--json"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_match_decide_reports_latency_build_time_and_memory():
    (row,) = rows_of("match_decide.py", "--sizes", "50", "--situations", "30", "--policies-from", str(FIXTURE))
    assert FIGURES | {"build_s", "index_mb", "rss_growth_mb", "decide_p99_ms"} <= set(row)
    assert row["playbooks"] == 50 and 0 < row["p50_ms"] <= row["p99_ms"]
    assert row["decided"] > 0.3  # the synthetic playbooks have actions and limits: most situations get a verdict


def test_the_synthetic_library_with_actions_keeps_its_examples():
    """``matching_latency.py`` measures the library without actions; adding them must not change what it matches."""
    plain = synthetic.synthetic_library(20)
    with_actions = synthetic.synthetic_library(20, actions=["refund", "discount", "replacement"])
    assert [p.examples for p in plain.values()] == [p.examples for p in with_actions.values()]
    assert all(2 <= len(p.actions) <= 3 for p in with_actions.values()) and not any(p.actions for p in plain.values())


def test_ledger_writes_times_every_check_and_record_of_concurrent_writers():
    rows = rows_of("ledger_writes.py", "--writers", "1,3", "--writes", "8", "--prefill", "4",
                   "--policies-from", str(FIXTURE))
    assert [(r["writers"], r["writes"]) for r in rows] == [(1, 8), (3, 24)]
    assert all(FIGURES <= set(r) and r["p99_ms"] > 0 for r in rows)


def test_http_ack_serves_the_real_command_and_times_the_acks():
    (row,) = rows_of("http_ack.py", "--requests", "4", "--in-flight", "2")
    assert row["requests"] == 4 and FIGURES <= set(row) and row["answers_per_s"] > 0


def test_run_all_takes_medians_over_runs_and_checks_the_targets():
    runs = [[{"writers": 8, "p50_ms": p50, "p99_ms": p99}] for p50, p99 in [(2, 30), (1, 10), (3, 15)]]
    (row,) = run_all.medians(runs, ("writers",))
    assert (row["p50_ms"], row["p99_ms"], row["runs"]) == (2, 15, 3)
    benchmark = next(b for b in run_all.BENCHMARKS if b.name == "ledger_writes")
    assert run_all.verdicts(benchmark, row) == ["p99 ≤ 20 ms: met"]
    assert run_all.verdicts(benchmark, {**row, "p99_ms": 25}) == ["p99 ≤ 20 ms: MISSED"]
    assert all((run_all.HERE / b.script).exists() for b in run_all.BENCHMARKS)


@pytest.mark.parametrize("module", [timing, run_all, synthetic])
def test_benchmark_examples_run(module):
    assert doctest.testmod(module).failed == 0
