"""Crash soak: writer processes killed with SIGKILL at random moments lose no acknowledged record.

Each cycle starts two writer processes on one ledger file: one logs exceptions,
one asks leads and approves every other escalation. A writer *acknowledges* a
record by appending its key to a file only after the ledger call returned; the
parent then kills each writer with SIGKILL at a random moment. Afterwards
``PRAGMA integrity_check`` must say ``ok`` (checked after every cycle), every
acknowledged key must be in the ledger exactly once, and the ledger's hash chain
must still verify. The next cycle starts at the first unacknowledged key, so the
write that was in flight at the kill is retried, as Slack would retry it.

    .venv/bin/python benchmarks/soak/crash_soak.py --cycles 200            # the soak (a few minutes)
    .venv/bin/python benchmarks/soak/crash_soak.py --cycles 20 --seed 7    # the size of the default suite
    TMPDIR=/dev/shm .venv/bin/python benchmarks/soak/crash_soak.py         # in memory: no fsync waits

The default suite runs 20 cycles of the same code (tests/test_crash_safety.py).

Exit code 0 when nothing was lost and the file is intact, 1 otherwise. Writers
are forked from a ``forkserver`` that has the bot preloaded, so a cycle costs
milliseconds, not a Python start-up.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot import acting  # noqa: E402
from bot.errors import Refused  # noqa: E402
from bot.ledger import Ledger  # noqa: E402
from bot.loading import load_policy_set  # noqa: E402
from bot.models import PolicySet  # noqa: E402
from bot.records import ExceptionDraft  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "valid"
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
KINDS = ("exceptions", "escalations")
READY_TIMEOUT = 20.0
MAX_DELAY = 0.25  # seconds after a writer's first acknowledgement before it is killed


@dataclass
class SoakResult:
    cycles: int = 0
    kills: int = 0
    acknowledged: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)  # anything but "ok", per cycle
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.integrity)


# ---------------------------------------------------------------- writers (in the child processes)


def _ack(path: str, key: str) -> None:
    """One small O_APPEND write: atomic, and in the kernel before the next ledger call starts."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{key}\n".encode())
    finally:
        os.close(fd)


def _draft(i: int, *, user: str, amount: str, prefix: str) -> ExceptionDraft:
    return ExceptionDraft(user=user, playbook="late-delivery", action="refund_shipping", amount=Decimal(amount),
                          currency="USD", customer_ref=f"{prefix}-{i}", note=f"soak {prefix} {i}")


def write_exceptions(db: str, policy_set: PolicySet, acks: str, start: int) -> None:
    """Log exceptions (a manager has no budget, so every one is allowed) until killed."""
    ledger = Ledger(db)
    for i in range(start, start + 100_000):
        draft = _draft(i, user="U0MANAGER01", amount="1", prefix="X")
        acting.log_exception(ledger, policy_set, draft, role="manager", key=f"x{i}", now=NOW)
        _ack(acks, f"x{i}")


def write_escalations(db: str, policy_set: PolicySet, acks: str, start: int) -> None:
    """Ask a lead for each; approve every other one (two writes: the status and the exception)."""
    ledger = Ledger(db)
    for i in range(start, start + 100_000):
        draft = _draft(i, user="U0AGENT01", amount="25", prefix="E")
        escalation = acting.ask_a_lead(ledger, policy_set, draft, role="agent", key=f"e{i}", now=NOW).record
        if i % 2 == 0:
            try:
                acting.decide_escalation(ledger, policy_set, escalation.id, approve=True, by="U0LEAD01",
                                         by_role="lead", now=NOW)
            except Refused as error:  # approved just before the last kill, not acknowledged then
                if error.code != "already_decided":
                    raise
        _ack(acks, f"e{i}")


WRITERS = {"exceptions": write_exceptions, "escalations": write_escalations}


# ---------------------------------------------------------------- the parent


def run(db: Path, *, cycles: int, seed: int = 0, workdir: Path | None = None, max_delay: float = MAX_DELAY) -> SoakResult:
    """``cycles`` rounds of start-writers, kill-at-random; then check the file and every acknowledged key."""
    started = time.monotonic()
    rng = random.Random(seed)
    workdir = Path(workdir or db.parent)
    policy_set = load_policy_set(FIXTURES / "playbooks", FIXTURES / "policies")
    Ledger(db).close()  # migrate once, before any writer races for it
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload(__name__))
    acks = {kind: workdir / f"acks-{kind}.txt" for kind in KINDS}
    result = SoakResult(acknowledged={kind: 0 for kind in KINDS})
    for _ in range(cycles):
        _one_cycle(context, db, policy_set, acks, result, lambda: rng.uniform(0, max_delay))
        result.integrity += [f"cycle {result.cycles}: {line}" for line in integrity(db) if line != "ok"]
    result.lost, result.duplicated = check_acknowledged(db, acks)
    result.integrity += chain_findings(db)
    result.seconds = time.monotonic() - started
    return result


def preload(*modules: str) -> list[str]:
    """What the forkserver imports once. Each child still re-runs the parent's main script (CPython's
    forkserver never preloads it), so when that script is pytest, pytest is preloaded too."""
    return ["bot.acting", "bot.ledger", "bot.loading", *modules, *(["pytest"] if "pytest" in sys.modules else [])]


def _one_cycle(context, db: Path, policy_set: PolicySet, acks: dict[str, Path], result: SoakResult,
               delay: Callable[[], float]) -> None:
    writers = []
    for kind in KINDS:
        start = result.acknowledged[kind]  # the first key not acknowledged: maybe written, maybe not
        process = context.Process(target=WRITERS[kind], args=(str(db), policy_set, str(acks[kind]), start), daemon=True)
        process.start()
        writers.append((kind, process, start))
    for kind, process, start in writers:
        _wait_for_acks(acks[kind], more_than=start, process=process)
        time.sleep(delay())
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        result.kills += 1
    for kind in KINDS:
        result.acknowledged[kind] = len(_acknowledged(acks[kind]))
    result.cycles += 1


def _wait_for_acks(path: Path, *, more_than: int, process) -> None:
    """Kill only a writer that is writing: wait for its first acknowledgement of this cycle."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if len(_acknowledged(path)) > more_than:
            return
        if not process.is_alive():
            raise RuntimeError(f"a writer died on its own (exit code {process.exitcode}); run it alone to see why")
        time.sleep(0.005)
    raise RuntimeError(f"no acknowledgement in {READY_TIMEOUT:.0f} s; is the machine overloaded?")


def _acknowledged(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text().split("\n") if line]


def integrity(db: Path) -> list[str]:
    """``PRAGMA integrity_check`` on a fresh connection (which also recovers the WAL left by a kill)."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def chain_findings(db: Path) -> list[str]:
    """The ledger's tamper-evidence chain must verify after the kills too (when this ledger has one)."""
    verify = getattr(Ledger(db), "verify_chain", None)
    return [] if verify is None else [f"chain: {finding}" for finding in verify().findings]


def check_acknowledged(db: Path, acks: dict[str, Path]) -> tuple[list[str], list[str]]:
    """(lost, duplicated): acknowledged keys missing from the ledger, or present more than once."""
    conn = sqlite3.connect(db)
    try:
        counts = {}
        for table, prefix in (("exceptions", "x"), ("escalations", "e")):
            counts.update({key: n for key, n in conn.execute(
                f"SELECT key, COUNT(*) FROM {table} WHERE key LIKE ? GROUP BY key", [f"{prefix}%"])})
        approved = {key: (status, n) for key, status, n in conn.execute(
            "SELECT e.key, e.status, (SELECT COUNT(*) FROM exceptions x WHERE x.escalation_id = e.id) "
            "FROM escalations e")}
    finally:
        conn.close()
    lost, duplicated = [], []
    for kind in KINDS:
        for key in _acknowledged(acks[kind]):
            if counts.get(key, 0) == 0:
                lost.append(key)
            elif counts[key] > 1:
                duplicated.append(key)
            if key.startswith("e") and int(key[1:]) % 2 == 0 and approved.get(key) != ("approved", 1):
                lost.append(f"{key} approval")  # approved and acknowledged: one approved exception
    return lost, duplicated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200, help="kill cycles (two writers killed per cycle)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the kill moments")
    parser.add_argument("--db", type=Path, help="ledger file (default: a new temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="leeway-soak-") as folder:
        db = args.db or Path(folder) / "soak.db"
        result = run(db, cycles=args.cycles, seed=args.seed, workdir=Path(folder))
    print(f"cycles {result.cycles}, SIGKILLs {result.kills}, acknowledged "
          f"{sum(result.acknowledged.values())} ({result.acknowledged}), lost {len(result.lost)}, "
          f"duplicated {len(result.duplicated)}, integrity {'ok' if not result.integrity else result.integrity[:3]}, "
          f"{result.seconds:.1f} s")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
