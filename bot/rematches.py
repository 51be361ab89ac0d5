"""“Not this one”: an agent turned down the playbook Leeway offered and picked another, or none.

Each such choice is evidence that two playbooks are confused (their examples
overlap) or that a situation has no playbook yet; ``bot.insights`` reads them.
Writes are idempotent on ``key`` (the Slack action id), like every ledger write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.ledger import Ledger, iso


@dataclass(frozen=True)
class Rematch:
    offered: str
    chosen: str | None
    count: int


def record_rematch(ledger: Ledger, *, key: str, user: str | None, offered: str, chosen: str | None,
                   now: datetime) -> bool:
    """Remember that ``user`` turned down ``offered`` for ``chosen`` (None: no playbook fits). True if new."""
    with ledger._transaction() as db:
        cursor = db.execute(
            "INSERT INTO rematches (key, user, offered, chosen, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO NOTHING", [key, user, offered, chosen or None, iso(now)])
        return cursor.rowcount == 1


def rematch_counts(ledger: Ledger, *, start: datetime, end: datetime) -> list[Rematch]:
    """How often each offered playbook lost to each choice in ``[start, end)``, most often first."""
    rows = ledger.db.execute(
        "SELECT offered, chosen, COUNT(*) FROM rematches WHERE created_at >= ? AND created_at < ? "
        "GROUP BY offered, chosen ORDER BY COUNT(*) DESC, offered, chosen", [iso(start), iso(end)]).fetchall()
    return [Rematch(offered=offered, chosen=chosen, count=count) for offered, chosen, count in rows]
