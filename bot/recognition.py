"""Great calls: a lead marks an exception an agent logged as well judged, so the agent hears about it.

Limits say what an agent may not do; recognition says what they did well, and
both shape how people use their leeway. A great call lives in its own table in
the ledger's SQLite file (created like ``bot.slack.state``'s), one row per
exception at most, so a double click or a retried request marks it once. Who
may mark or share one comes from the policy files (a lead or above), never from
the button that was clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.errors import NotFound, Refused
from bot.ledger import Ledger, iso, parse_iso
from bot.models import Policy
from bot.records import ExceptionRecord

RECOGNITION_ROLE = "lead"  # leads and above know the team's work well enough to single a call out

SCHEMA = """
CREATE TABLE IF NOT EXISTS great_calls (
    id INTEGER PRIMARY KEY,
    exception_id INTEGER NOT NULL UNIQUE,
    agent TEXT NOT NULL,
    team TEXT,
    marked_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    shared_by TEXT,
    shared_channel TEXT,
    shared_ts TEXT,
    shared_at TEXT
);
CREATE INDEX IF NOT EXISTS great_calls_created_at ON great_calls (created_at);
"""


@dataclass(frozen=True)
class GreatCall:
    id: int
    exception_id: int
    agent: str
    team: str | None
    marked_by: str
    created_at: datetime
    shared_by: str | None = None
    shared_channel: str | None = None
    shared_ts: str | None = None


def may_recognise(policy: Policy, user: str) -> bool:
    """A lead or above (with no ``lead`` role: anyone above the default role) may mark and share great calls."""
    role = policy.role_of(user)
    if role not in policy.role_ids:
        return False
    if RECOGNITION_ROLE in policy.role_ids:
        return policy.rank(role) >= policy.rank(RECOGNITION_ROLE)
    default = policy.people.default_role
    return default in policy.role_ids and policy.rank(role) > policy.rank(default)


def required_role(policy: Policy) -> str:
    return RECOGNITION_ROLE if RECOGNITION_ROLE in policy.role_ids else policy.role_ids[-1]


class Recognition:
    """The ``great_calls`` table, on the ledger's connection."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.ledger.db.executescript(SCHEMA)

    def mark(self, policy: Policy, *, exception_id: int, by: str, now: datetime) -> tuple[GreatCall, bool]:
        """Mark an exception as a great call: (the great call, whether this call created it).

        Raises ``Refused`` for someone below a lead or for one's own exception, ``NotFound`` for an unknown id.
        """
        if not may_recognise(policy, by):
            raise Refused("great_call_not_allowed", {"role": required_role(policy)})
        record = self.exception(exception_id)
        if record.user == by:
            raise Refused("great_call_own", {"id": exception_id})
        cursor = self.ledger.db.execute(
            "INSERT OR IGNORE INTO great_calls (exception_id, agent, team, marked_by, created_at) VALUES (?, ?, ?, ?, ?)",
            [exception_id, record.user, record.team, by, iso(now)])
        return self._by_exception(exception_id), cursor.rowcount == 1

    def exception(self, exception_id: int) -> ExceptionRecord:
        """The exception a great call is about; ``NotFound`` for an unknown id."""
        return self.ledger.exception(exception_id)

    def great_call(self, great_call_id: int) -> GreatCall:
        row = self.ledger.db.execute("SELECT * FROM great_calls WHERE id = ?", [great_call_id]).fetchone()
        if row is None:
            raise NotFound("great_call_not_found", {"id": great_call_id})
        return _great_call(dict(row))

    def claim_share(self, policy: Policy, great_call_id: int, *, by: str, channel: str, now: datetime) -> GreatCall:
        """Reserve the one share of a great call before posting; ``Refused`` if it was shared already."""
        if not may_recognise(policy, by):
            raise Refused("great_call_not_allowed", {"role": required_role(policy)})
        self.great_call(great_call_id)
        cursor = self.ledger.db.execute(
            "UPDATE great_calls SET shared_by = ?, shared_channel = ?, shared_at = ? WHERE id = ? AND shared_at IS NULL",
            [by, channel, iso(now), great_call_id])
        if cursor.rowcount != 1:
            raise Refused("great_call_already_shared", {"id": great_call_id})
        return self.great_call(great_call_id)

    def shared(self, great_call_id: int, *, ts: str | None) -> None:
        """The post went out (remember where), or failed (``ts=None``: release the share so it can be tried again)."""
        if ts is None:
            self.ledger.db.execute("UPDATE great_calls SET shared_by = NULL, shared_channel = NULL, shared_at = NULL "
                                   "WHERE id = ?", [great_call_id])
        else:
            self.ledger.db.execute("UPDATE great_calls SET shared_ts = ? WHERE id = ?", [ts, great_call_id])

    def marked(self, exception_ids: list[int]) -> set[int]:
        """Which of these exceptions are great calls already (so the button can say so)."""
        if not exception_ids:
            return set()
        marks = ", ".join("?" for _ in exception_ids)
        rows = self.ledger.db.execute(f"SELECT exception_id FROM great_calls WHERE exception_id IN ({marks})",
                                      list(exception_ids)).fetchall()
        return {row[0] for row in rows}

    def between(self, *, start: datetime, end: datetime, team: str | None = None) -> list[GreatCall]:
        """Great calls marked in ``[start, end)``, newest first; of one team when ``team`` is given."""
        sql = "SELECT * FROM great_calls WHERE created_at >= ? AND created_at < ?"
        params: list = [iso(start), iso(end)]
        if team:
            sql += " AND team = ?"
            params.append(team)
        rows = self.ledger.db.execute(sql + " ORDER BY id DESC", params).fetchall()
        return [_great_call(dict(row)) for row in rows]

    def _by_exception(self, exception_id: int) -> GreatCall:
        row = self.ledger.db.execute("SELECT * FROM great_calls WHERE exception_id = ?", [exception_id]).fetchone()
        return _great_call(dict(row))


def _great_call(row: dict) -> GreatCall:
    return GreatCall(id=row["id"], exception_id=row["exception_id"], agent=row["agent"], team=row["team"],
                     marked_by=row["marked_by"], created_at=parse_iso(row["created_at"]), shared_by=row["shared_by"],
                     shared_channel=row["shared_channel"], shared_ts=row["shared_ts"])
