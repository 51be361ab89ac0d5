"""What every benchmark here shares: percentiles, peak memory, and one JSON line of figures.

Each benchmark prints a human table and, with ``--json``, one JSON object per
row on stdout, which ``benchmarks/run_all.py`` collects over several runs.

>>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50)
3.0
>>> percentile([float(i) for i in range(1, 101)], 99)
99.0
"""

from __future__ import annotations

import json
import math
import resource
import sys

__all__ = ["percentile", "summary", "peak_rss_mb", "emit", "Columns"]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * pct / 100))
    return ordered[rank - 1]


def summary(timings_ms: list[float], prefix: str = "") -> dict[str, float]:
    """p50 and p99 of a list of milliseconds, keyed ``{prefix}p50_ms`` / ``{prefix}p99_ms``."""
    return {f"{prefix}p50_ms": percentile(timings_ms, 50), f"{prefix}p99_ms": percentile(timings_ms, 99)}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(row: dict, *, as_json: bool, line: str) -> None:
    """One row of figures: JSON for ``run_all.py``, or the human line."""
    print(json.dumps(row) if as_json else line, flush=True)
    if as_json:
        sys.stderr.write(line + "\n")


class Columns:
    """A fixed-width table: its header and each row's line from one list of ``(title, key, width, format)``.

    >>> table = Columns(("writers", "writers", 7, ""), ("p99 ms", "p99_ms", 7, ".2f"), ("top-1", "top1", 6, ".1%"))
    >>> table.header()
    'writers  p99 ms  top-1'
    >>> table.line({"writers": 8, "p99_ms": 1.234, "top1": 0.5})
    '      8    1.23  50.0%'
    """

    def __init__(self, *columns: tuple[str, str, int, str]):
        self.columns = columns

    def header(self) -> str:
        return " ".join(f"{title:>{width}}" for title, _, width, _ in self.columns)

    def line(self, row: dict) -> str:
        return " ".join(f"{row[key]:>{width}{spec}}" for _, key, width, spec in self.columns)
