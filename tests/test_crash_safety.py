"""Crash safety: writers killed with SIGKILL at random moments, 20 times; the file stays intact, nothing acknowledged is lost.

The heavier run (200 cycles) is ``benchmarks/soak/crash_soak.py --cycles 200``;
this is the same code at the size of the default suite.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.soak import crash_soak  # noqa: E402

CYCLES = 20
SHM = Path("/dev/shm")


@pytest.fixture
def quick_dir(tmp_path):
    """A folder in memory when there is one: a SIGKILL does not lose the page cache, so what is tested is the
    same, without waiting for the disk's fsyncs (power loss is another matter, out of scope here)."""
    if not (SHM.is_dir() and os.access(SHM, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=SHM, prefix="leeway-crash-") as folder:
        yield Path(folder)


def test_sigkilled_writers_lose_no_acknowledged_record(quick_dir):
    db = quick_dir / "ledger.db"
    result = crash_soak.run(db, cycles=CYCLES, seed=20261123, workdir=quick_dir, max_delay=0.1)
    assert (result.cycles, result.kills) == (CYCLES, 2 * CYCLES)
    assert result.integrity == []
    assert result.lost == [] and result.duplicated == []
    assert min(result.acknowledged.values()) >= CYCLES  # every writer acknowledged something in every cycle


def test_the_checks_would_see_a_lost_or_duplicated_record(tmp_path):
    """The soak's own checks are not vacuous: a key acknowledged but missing, or present twice, is reported."""
    db = tmp_path / "ledger.db"
    crash_soak.run(db, cycles=1, seed=1, workdir=tmp_path, max_delay=0.01)
    acks = {kind: tmp_path / f"acks-{kind}.txt" for kind in crash_soak.KINDS}
    with acks["exceptions"].open("a") as extra:
        extra.write("x999999\n")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP INDEX IF EXISTS idx_exceptions_key")
        conn.execute("INSERT INTO exceptions (key, user, role, playbook, action, amount_cents, currency, decision, "
                     "policy_revision, created_at) SELECT key, user, role, playbook, action, amount_cents, currency, "
                     "decision, policy_revision, created_at FROM exceptions WHERE key = 'x0'")
    conn.close()
    lost, duplicated = crash_soak.check_acknowledged(db, acks)
    assert "x999999" in lost and duplicated == ["x0"]
