"""Ledger check-and-record latency with 1 and 8 writer processes on one SQLite file.

One *check-and-record* is what logging an exception costs (``bot.acting.log_exception``):
take the write lock (``BEGIN IMMEDIATE``), read the asker's spending and the
customer's gestures, run the pure decision on them, insert the row (and its
hash-chain entry), commit with ``synchronous=FULL``. With several processes the
time includes waiting for the others' locks, which is the point.

Target: p99 under 20 ms with 8 concurrent writers. By default each writer
starts its next write the moment the last one ends (saturation: the file takes
one writer at a time, so a write waits for the seven others); ``--pace 10``
sends each writer's writes at random, ten a second on average, as a busy team's
clicks would arrive.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/ledger_writes.py
    .venv/bin/python benchmarks/ledger_writes.py --quick       # fewer writes, no prefill
    .venv/bin/python benchmarks/ledger_writes.py --writers 8 --pace 10      # 8 writers, 10 writes/s each
    .venv/bin/python benchmarks/ledger_writes.py --writers 1,8 --writes 300 --json

Writers are forked after the policy files are loaded, start together on a
barrier, and each reports its own latencies. The file is pre-filled with
``--prefill`` records so the history queries read an index, not an empty table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.timing import Columns, emit, summary  # noqa: E402
from bot import acting  # noqa: E402
from bot.ledger import Ledger  # noqa: E402
from bot.loading import load_policy_set  # noqa: E402
from bot.models import PolicySet  # noqa: E402
from bot.records import ExceptionDraft  # noqa: E402

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
PLAYBOOK, ACTION, ROLE = "late-delivery", "refund_shipping", "manager"  # a manager has no budget: never refused


def draft(writer: int, i: int) -> ExceptionDraft:
    """A small shipping refund for a customer of its own, so no frequency limit refuses it."""
    return ExceptionDraft(user=f"U0WRITER{writer:02d}", playbook=PLAYBOOK, action=ACTION, amount=Decimal("1.50"),
                          currency="USD", customer_ref=f"C-{writer}-{i}", note="benchmark", team="tier1")


def write(db: str, policy_set: PolicySet, writer: int, count: int, pace: float, barrier, results) -> None:
    """One writer process: ``count`` check-and-records, each timed, sent back as milliseconds.

    ``pace`` > 0: writes arrive at random (Poisson) at that rate per second, as
    agents' clicks do; 0: each write starts as soon as the last one ended (saturation).
    """
    ledger = Ledger(db)
    timings, rng = [], random.Random(writer)
    barrier.wait()
    due = time.perf_counter()
    for i in range(count):
        if pace:
            due += rng.expovariate(pace)
            time.sleep(max(0.0, due - time.perf_counter()))
        started = time.perf_counter()
        acting.log_exception(ledger, policy_set, draft(writer, i), role=ROLE, key=f"w{writer}-{i}", now=NOW)
        timings.append((time.perf_counter() - started) * 1000)
    ledger.close()
    results.put(timings)


def prefill(db: Path, policy_set: PolicySet, count: int) -> None:
    ledger = Ledger(db)
    for i in range(count):
        acting.log_exception(ledger, policy_set, draft(99, i), role=ROLE, key=f"prefill-{i}", now=NOW)
    ledger.close()


def measure(writers: int, *, writes: int, prefill_rows: int, workdir: Path, pace: float = 0.0,
            base: Path = REPO) -> dict:
    policy_set = load_policy_set(base / "playbooks", base / "policies")
    db = workdir / f"ledger-{writers}.db"
    prefill(db, policy_set, prefill_rows)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(writers), context.Queue()
    processes = [context.Process(target=write, args=(str(db), policy_set, n, writes, pace, barrier, results))
                 for n in range(writers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    timings = [t for _ in processes for t in results.get(timeout=600)]
    wall = time.perf_counter() - started
    for process in processes:
        process.join()
    rows = Ledger(db).db.execute("SELECT COUNT(*) FROM exceptions").fetchone()[0]
    if rows != prefill_rows + writers * writes:
        raise SystemExit(f"expected {prefill_rows + writers * writes} rows, found {rows}: a write was lost")
    return {"benchmark": "ledger_writes", "writers": writers, "pace": pace, "writes": len(timings),
            "prefill": prefill_rows,
            **summary(timings), "max_ms": max(timings), "writes_per_s": len(timings) / wall}


TABLE = Columns(("writers", "writers", 7, ""), ("writes", "writes", 7, ""), ("p50 ms", "p50_ms", 7, ".2f"),
                ("p99 ms", "p99_ms", 7, ".2f"), ("max ms", "max_ms", 7, ".1f"), ("writes/s", "writes_per_s", 9, ".0f"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="ledger check-and-record latency with concurrent writer processes")
    parser.add_argument("--quick", action="store_true", help="100 writes per writer, no prefill")
    parser.add_argument("--writers", type=lambda s: [int(n) for n in s.split(",")], default=[1, 8],
                        help="comma-separated writer counts (default 1,8)")
    parser.add_argument("--writes", type=int, help="writes per writer (default 500, quick 100)")
    parser.add_argument("--prefill", type=int, help="records written before timing (default 2000, quick 0)")
    parser.add_argument("--policies-from", type=Path, default=REPO, metavar="DIR",
                        help="a folder with playbooks/ and policies/ (default: the repository's)")
    parser.add_argument("--pace", type=float, default=0.0, metavar="PER_S",
                        help="writes per second per writer, arriving at random (default 0: back to back, saturation)")
    parser.add_argument("--json", action="store_true", help="one JSON object per writer count on stdout")
    args = parser.parse_args(argv)
    writes = args.writes or (100 if args.quick else 500)
    prefill_rows = args.prefill if args.prefill is not None else (0 if args.quick else 2000)
    if not args.json:
        pace = f"{args.pace:g}/s per writer at random" if args.pace else "back to back"
        print(f"check-and-record (log an exception), {writes} per writer, {pace}, {prefill_rows} rows before")
        print(TABLE.header())
    with tempfile.TemporaryDirectory(prefix="leeway-bench-") as workdir:
        for writers in args.writers:
            row = measure(writers, writes=writes, prefill_rows=prefill_rows, workdir=Path(workdir),
                          pace=args.pace, base=args.policies_from)
            emit(row, as_json=args.json, line=TABLE.line(row))


if __name__ == "__main__":
    main()
