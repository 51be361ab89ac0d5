"""The ledger's tables and their migrations, applied in order and recorded once each.

A migration is never edited after it ships; a change to the schema is a new one
at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils


def _initial(db: sqlite_utils.Database) -> None:
    db["exceptions"].create({
        "id": int, "key": str, "user": str, "role": str, "team": str, "playbook": str, "action": str,
        "amount_cents": int, "currency": str, "customer_ref": str, "note": str, "situation": str,
        "decision": str, "approved_by": str, "escalation_id": int, "policy_revision": str, "created_at": str,
    }, pk="id", not_null={"key", "user", "role", "playbook", "action", "amount_cents", "currency", "decision",
                          "policy_revision", "created_at"})
    db["escalations"].create({
        "id": int, "key": str, "status": str, "requested_by": str, "requester_role": str, "team": str,
        "playbook": str, "action": str, "amount_cents": int, "currency": str, "customer_ref": str, "note": str,
        "situation": str, "approver_role": str, "decision_json": str, "policy_revision": str, "created_at": str,
        "decided_by": str, "decided_at": str, "decision_note": str, "channel": str, "message_ts": str,
        "reply_channel": str, "reply_thread_ts": str,
    }, pk="id", not_null={"key", "status", "requested_by", "requester_role", "playbook", "action", "amount_cents",
                          "currency", "decision_json", "policy_revision", "created_at"})
    db["unmatched"].create({
        "id": int, "key": str, "user": str, "text": str, "candidates": str, "policy_revision": str, "created_at": str,
    }, pk="id", not_null={"key", "text", "candidates", "policy_revision", "created_at"})
    db["refusals"].create({
        "id": int, "user": str, "kind": str, "ref": str, "detail": str, "created_at": str,
    }, pk="id", not_null={"kind", "created_at"})
    for table in ("exceptions", "escalations", "unmatched"):
        db[table].create_index(["key"], unique=True)
        db[table].create_index(["created_at"])
    db["exceptions"].create_index(["user", "created_at"])
    db["exceptions"].create_index(["customer_ref", "created_at"])
    db["exceptions"].create_index(["playbook", "action", "created_at"])
    db["escalations"].create_index(["status", "created_at"])
    db["escalations"].create_index(["requested_by", "created_at"])


def _chain(db: sqlite_utils.Database) -> None:
    """Tamper evidence (issue 6): the hash chain, existing rows chained in time order, append-only triggers."""
    from bot.ledger_chain import install

    install(db)


def _report_indexes(db: sqlite_utils.Database) -> None:
    """Covering indexes for ``bot.reports`` and the ``rematches`` table ``bot.insights`` reads (issue 6).

    A report reads one time window and groups it several ways; with every column it
    needs in the index, SQLite answers from the index alone instead of a million
    row lookups (``benchmarks/report_1m.py`` measures it).
    """
    db.execute("CREATE INDEX IF NOT EXISTS idx_exceptions_report ON exceptions (created_at, team, playbook, action, "
               "user, currency, decision, amount_cents, customer_ref)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_escalations_report ON escalations (created_at, team, status, playbook, "
               "action, requester_role, currency, amount_cents, decided_at)")
    db.execute("CREATE TABLE IF NOT EXISTS rematches (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, user TEXT, "
               "offered TEXT NOT NULL, chosen TEXT, created_at TEXT NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_rematches_created_at ON rematches (created_at, offered, chosen)")


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_initial", _initial),
    ("0002_chain", _chain),
    ("0003_report_indexes", _report_indexes),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not had yet; return their names."""
    if "leeway_migrations" not in db.table_names():
        db["leeway_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db.query("SELECT name FROM leeway_migrations")}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(db)
        db.execute("INSERT INTO leeway_migrations (name, applied_at) VALUES (?, ?)",
                   [name, datetime.now(UTC).isoformat()])
        applied.append(name)
    return applied
