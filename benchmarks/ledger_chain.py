"""What the hash chain costs: per write, to verify a large ledger, and to purge its old text.

* **write**: p50/p99 of one ``record_refusal`` (a write with no policy check, so the
  chain's share shows) with the chain, and with ``ledger_chain.append`` stubbed out;
  ``synchronous=FULL`` as in production, so the fsync is in both.
* **verify**: ``Ledger.verify_chain()`` over ``--records`` records (recompute every
  hash, compare every row); the file is filled through the same insert-and-chain
  path, in one transaction so filling is quick.
* **purge**: ``purge_text`` over the same file (every record old enough).

    .venv/bin/python benchmarks/ledger_chain.py                  # 100,000 records
    .venv/bin/python benchmarks/ledger_chain.py --records 20000 --writes 300 --json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.timing import emit, summary  # noqa: E402
from bot import ledger as ledger_module  # noqa: E402
from bot import ledger_chain  # noqa: E402
from bot.ledger import Ledger  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def time_writes(ledger: Ledger, count: int, prefix: str) -> list[float]:
    timings = []
    for i in range(count):
        started = time.perf_counter()
        ledger.record_refusal(user="U1", kind="bench", ref=f"{prefix}{i}", detail="a late click", now=NOW)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def write_cost(folder: Path, writes: int) -> dict[str, float]:
    with_chain = time_writes(Ledger(folder / "with.db"), writes, "w")
    real = ledger_chain.append
    ledger_chain.append = lambda db, **kwargs: None
    try:
        without = time_writes(Ledger(folder / "without.db"), writes, "n")
    finally:
        ledger_chain.append = real
    return {**summary(with_chain, "chain_"), **summary(without, "plain_")}


def fill(path: Path, records: int) -> Ledger:
    """Records as the ledger writes them (unmatched situations: text, salt, chain entry), in one transaction."""
    ledger = Ledger(path)
    with ledger._transaction() as db:
        for i in range(records):
            ledger_module._insert(db, "unmatched", {
                "key": f"u{i}", "user": f"U{i % 50}", "text": f"the customer wants something odd #{i}",
                "candidates": '[{"playbook": "late-delivery", "score": 0.31}]', "policy_revision": "bench",
                "created_at": ledger_module.iso(NOW - timedelta(days=400) + timedelta(seconds=i)),
                "text_salt": ledger_chain.new_salt()})
    return ledger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        writes = write_cost(Path(folder), args.writes)
        emit({"benchmark": "chain_write", **writes}, as_json=args.json,
             line=f"write p50/p99: {writes['chain_p50_ms']:.2f}/{writes['chain_p99_ms']:.2f} ms with the chain, "
                  f"{writes['plain_p50_ms']:.2f}/{writes['plain_p99_ms']:.2f} ms without")
        ledger = fill(Path(folder) / "big.db", args.records)
        started = time.perf_counter()
        report = ledger.verify_chain()
        verify_s = time.perf_counter() - started
        assert report.intact and report.count == args.records
        started = time.perf_counter()
        purged = sum(ledger.purge_text(older_than=NOW - timedelta(days=180), now=NOW).values())
        purge_s = time.perf_counter() - started
        emit({"benchmark": "chain_verify", "records": args.records, "verify_s": round(verify_s, 2),
              "purge_s": round(purge_s, 2), "purged": purged}, as_json=args.json,
             line=f"verify {args.records:,} records: {verify_s:.2f} s; purge {purged:,}: {purge_s:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
