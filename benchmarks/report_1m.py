"""How fast is ``leeway report`` on a large ledger? Target: a 1,000,000-exception ledger answers in about 1 s (< 2 s).

Builds (once, then reuses) a ledger of 1,000,000 exceptions spread over a year,
plus escalations and unmatched situations, inserted with ``executemany`` in one
transaction; then times ``build_report`` over the last 7 and 30 days, several
runs each, and prints the median. The ledger is cached (default
``~/.cache/leeway/report_1m.db``; ``--db`` to choose) because building it takes
longer than the measurement.

    .venv/bin/python benchmarks/report_1m.py                  # 1M rows, 7d and 30d, figures only
    .venv/bin/python benchmarks/report_1m.py --insights       # also time find_insights (30d)
    .venv/bin/python benchmarks/report_1m.py --rows 100000    # a smaller ledger (separate cache file)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.insights import find_insights  # noqa: E402
from bot.ledger import Ledger, iso  # noqa: E402
from bot.loading import load_policy_set  # noqa: E402
from bot.reports import build_report  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 23, 12, tzinfo=UTC)
SPAN = timedelta(days=365)
TEAMS = ("tier1", "tier2", "billing-desk", None)


def build_ledger(path: Path, *, rows: int, policy_set) -> None:
    """Fill a new ledger with ``rows`` exceptions, ``rows // 10`` escalations and ``rows // 50`` unmatched."""
    Ledger(path).close()  # creates the schema and runs every migration, indexes included
    rng = random.Random(7)
    pairs = [(pid, action) for pid, playbook in sorted(policy_set.playbooks.items()) for action in sorted(playbook.actions)]
    users = [(f"U{n:05d}", TEAMS[n % len(TEAMS)]) for n in range(400)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")  # 1 GB of page cache: index pages stay in memory while filling
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO exceptions (key, user, role, team, playbook, action, amount_cents, currency, customer_ref, note, "
        "decision, policy_revision, created_at) VALUES (?, ?, 'agent', ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?)",
        (_exception(n, rng, pairs, users) for n in range(rows)))
    conn.executemany(
        "INSERT INTO escalations (key, status, requested_by, requester_role, team, playbook, action, amount_cents, "
        "currency, approver_role, decision_json, policy_revision, created_at, decided_by, decided_at) "
        "VALUES (?, ?, ?, 'agent', ?, ?, ?, ?, 'USD', 'senior', '{}', 'bench', ?, ?, ?)",
        (_escalation(n, rng, pairs, users) for n in range(rows // 10)))
    conn.executemany(
        "INSERT INTO unmatched (key, user, text, candidates, policy_revision, created_at) VALUES (?, ?, ?, '[]', 'bench', ?)",
        ((f"u{n}", "U00001", f"situation {rng.randrange(5000)} about {rng.choice(['a gift card', 'an address'])}",
          _moment(rng)) for n in range(rows // 50)))
    conn.execute("COMMIT")
    conn.close()


def _moment(rng: random.Random) -> str:
    return iso(END - SPAN * rng.random())


def _exception(n, rng, pairs, users):
    playbook, action = rng.choice(pairs)
    user, team = rng.choice(users)
    note = "customer was upset, offered a gesture" if n % 10 == 0 else None
    return (f"e{n}", user, team, playbook, action, rng.randrange(100, 8000), "EUR" if n % 20 == 0 else "USD",
            f"C{rng.randrange(200_000)}", note, "approved" if n % 7 == 0 else "allowed", _moment(rng))


def _escalation(n, rng, pairs, users):
    playbook, action = rng.choice(pairs)
    user, team = rng.choice(users)
    created = END - SPAN * rng.random()
    status = rng.choice(("approved", "approved", "denied", "pending", "expired"))
    decided = iso(created + timedelta(minutes=rng.randrange(5, 600))) if status != "pending" else None
    return (f"x{n}", status, user, team, playbook, action, rng.randrange(2000, 30000), iso(created),
            "U0LEAD01" if decided else None, decided)


def timed(function, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU time shows the cost when other processes share the cores)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def compare_indexes(ledger: Ledger, *, runs: int) -> None:
    """The proof the covering index earns its space: the report's main scan with it, and with created_at only."""
    window = [iso(END - timedelta(days=30)), iso(END)]
    for index in ("idx_exceptions_report", "idx_exceptions_created_at"):
        sql = (f"SELECT playbook, action, user, team, currency, COUNT(*), SUM(amount_cents) FROM exceptions "
               f"INDEXED BY {index} WHERE created_at >= ? AND created_at < ? GROUP BY playbook, action, user, team, currency")
        wall, cpu = timed(lambda: ledger.db.execute(sql, window).fetchall(), runs)
        print(f"30d scan via {index}: median {wall:.3f} s wall ({cpu:.3f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="ledger file to build or reuse")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--insights", action="store_true", help="also time find_insights over 30 days")
    parser.add_argument("--compare-index", action="store_true",
                        help="time the 30-day scan through the covering index and through the plain created_at index")
    args = parser.parse_args()
    policy_set = load_policy_set(REPO / "playbooks", REPO / "policies")
    path = args.db or Path.home() / ".cache" / "leeway" / f"report_{args.rows}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        started = time.perf_counter()
        build_ledger(path, rows=args.rows, policy_set=policy_set)
        print(f"built {path} ({args.rows:,} exceptions) in {time.perf_counter() - started:.1f} s")
    ledger = Ledger(path)
    count = ledger.db.execute("SELECT COUNT(*) FROM exceptions").fetchone()[0]
    print(f"ledger {path}: {count:,} exceptions, {path.stat().st_size / 1e6:.0f} MB")
    for days in (7, 30):
        start = END - timedelta(days=days)
        report = build_report(ledger, policy_set, start=start, end=END)
        wall, cpu = timed(lambda: build_report(ledger, policy_set, start=start, end=END), args.runs)
        team_wall, team_cpu = timed(lambda: build_report(ledger, policy_set, start=start, end=END, team="tier1"), args.runs)
        print(f"build_report {days:>2}d ({sum(f.count for f in report.totals):,} exceptions in the window): median "
              f"{wall:.3f} s wall ({cpu:.3f} s CPU) over {args.runs} runs; --team tier1 {team_wall:.3f} s ({team_cpu:.3f} s CPU)")
    if args.compare_index:
        compare_indexes(ledger, runs=args.runs)
    if args.insights:
        start = END - timedelta(days=30)
        wall, cpu = timed(lambda: find_insights(ledger, policy_set, start=start, end=END), args.runs)
        print(f"find_insights 30d: median {wall:.3f} s wall ({cpu:.3f} s CPU) over {args.runs} runs")


if __name__ == "__main__":
    main()
