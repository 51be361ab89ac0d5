"""Tamper evidence: every ledger record is one entry of an append-only hash chain.

Each entry's ``body`` is canonical JSON (sorted keys) of the record's fields that
must never change: who, what, how much (in cents), under which policy revision,
when. Its ``hash`` is ``sha256(prev_hash + body)``, so every entry commits to the
one before it, and the last hash (the *head*) commits to the whole ledger. The
weekly digest shows the head and the count, so a ledger cut short is noticed too.

Personal free text (notes, situations, what a customer wrote, decision notes,
refusal details) is *not* in the body: the body holds a digest of it, keyed by a
random per-record salt kept in the row. ``purge`` blanks the text *and* the salt
and stamps ``purged_at``; the chain still verifies, and the digest left behind
can no longer be matched against guesses.

Entries are written inside the same ``BEGIN IMMEDIATE`` transaction as the row
they describe, reading the previous hash under the write lock, so processes that
write concurrently serialise into one chain. SQLite triggers refuse deletes and
edits of chained columns (accidents, casual edits); ``bot.ledger_verify`` catches
whoever drops the triggers.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import secrets
from dataclasses import dataclass

import sqlite_utils

GENESIS = "0" * 64
TABLES = ("exceptions", "escalations", "unmatched", "refusals")
CHAINED: dict[str, tuple[str, ...]] = {
    "exceptions": ("id", "key", "user", "role", "team", "playbook", "action", "amount_cents", "currency",
                   "customer_ref", "decision", "approved_by", "escalation_id", "policy_revision", "created_at"),
    "escalations": ("id", "key", "status", "requested_by", "requester_role", "team", "playbook", "action",
                    "amount_cents", "currency", "customer_ref", "approver_role", "decision_json", "policy_revision",
                    "created_at", "reply_channel", "reply_thread_ts"),
    "unmatched": ("id", "key", "user", "candidates", "policy_revision", "created_at"),
    "refusals": ("id", "user", "kind", "ref", "created_at"),
}
PERSONAL: dict[str, tuple[str, ...]] = {
    "exceptions": ("note", "situation"), "escalations": ("note", "situation"),
    "unmatched": ("text",), "refusals": ("detail",),
}
NOT_NULL = {("unmatched", "text")}  # purged to "" rather than NULL: the 0001 schema requires a value
DECIDED = ("status", "decided_by", "decided_at")  # what an escalation's later entries commit to
DECIDED_PERSONAL = ("decision_note",)
CREATED = {"exceptions": "exception", "escalations": "escalation_requested", "unmatched": "unmatched",
           "refusals": "refusal"}
STATUS_KIND = {"approved": "escalation_decided", "denied": "escalation_decided",
               "withdrawn": "escalation_withdrawn", "expired": "escalation_expired"}


@dataclass(frozen=True)
class Entry:
    """One link of the chain, as stored."""

    seq: int
    kind: str
    tbl: str
    ref: int
    body: str
    prev_hash: str
    hash: str


def canonical(data: dict) -> str:
    """One spelling per value, so the same record always hashes the same.

    >>> canonical({"b": 1, "a": "é"})
    '{"a":"é","b":1}'
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link(prev_hash: str, body: str) -> str:
    """The hash of an entry: it commits to the previous entry and to its own body.

    >>> link(GENESIS, "{}")[:12]
    '5508d2b710e6'
    """
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def text_digest(salt: str | None, values: list[str | None]) -> str | None:
    """Commits to free text without holding it; useless once the salt is purged.

    >>> text_digest(None, ["a note"]) is None
    True
    """
    if salt is None:
        return None
    return hashlib.sha256(canonical({"salt": salt, "text": values}).encode("utf-8")).hexdigest()


def is_status_kind(kind: str) -> bool:
    return kind in STATUS_KIND.values()


def body_of(kind: str, table: str, row: dict) -> str:
    """The chained body of ``row``: its fixed fields, or an escalation's decision, plus a digest of its text."""
    columns, personal = (DECIDED, DECIDED_PERSONAL) if is_status_kind(kind) else (CHAINED[table], PERSONAL[table])
    return canonical({"kind": kind, "table": table, "ref": row["id"],
                      "fields": {column: row[column] for column in columns},
                      "text_digest": text_digest(row.get("text_salt"), [row[column] for column in personal])})


def head(db: sqlite_utils.Database) -> tuple[int, str]:
    """(the last entry's number, its hash): what the weekly digest shows; (0, GENESIS) when empty."""
    last = db.execute("SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if last is None else (int(last[0]), str(last[1]))


def append(db: sqlite_utils.Database, *, table: str, ref: int, kind: str | None = None,
           row: dict | None = None) -> Entry:
    """Chain the row ``table``/``ref`` as it is now. Call inside the transaction that wrote it.

    ``row``: the stored row when the caller has just read it back (saves reading it twice per write).
    """
    row = row if row is not None else next(db.query(f"SELECT * FROM {table} WHERE id = ?", [ref]))
    kind = kind or CREATED[table]
    seq, prev_hash = head(db)
    body = body_of(kind, table, row)
    entry = Entry(seq=seq + 1, kind=kind, tbl=table, ref=ref, body=body, prev_hash=prev_hash,
                  hash=link(prev_hash, body))
    db.execute("INSERT INTO chain (seq, kind, tbl, ref, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [entry.seq, entry.kind, entry.tbl, entry.ref, entry.body, entry.prev_hash, entry.hash])
    return entry


def entries(db: sqlite_utils.Database) -> list[Entry]:
    """The whole chain in order; none when someone dropped the table (then every row shows as unchained)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain'").fetchone():
        return []
    return [Entry(**row) for row in db.query("SELECT seq, kind, tbl, ref, body, prev_hash, hash FROM chain ORDER BY seq")]


def missing_triggers(db: sqlite_utils.Database) -> list[str]:
    """Guards someone removed: the chain still catches their edits, but it is worth knowing."""
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
    return [name for name in trigger_names() if name not in present]


# ---------------------------------------------------------------- purge


def purgeable(table: str) -> tuple[str, ...]:
    return PERSONAL[table] + (DECIDED_PERSONAL if table == "escalations" else ())


def purge(db: sqlite_utils.Database, *, before: str, now: str, dry_run: bool = False) -> dict[str, int]:
    """Blank the free text of records created before ``before`` (ISO), per table; the chain stays valid.

    Pending escalations keep their text until they are decided or expire.
    """
    counts = {}
    for table in TABLES:
        where = "created_at < ? AND purged_at IS NULL" + (" AND status <> 'pending'" if table == "escalations" else "")
        if dry_run:
            counts[table] = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", [before]).fetchone()[0]
            continue
        blanks = ", ".join(f"{column} = {_blank(table, column)}" for column in purgeable(table))
        cursor = db.execute(f"UPDATE {table} SET {blanks}, text_salt = NULL, purged_at = ? WHERE {where}", [now, before])
        counts[table] = cursor.rowcount
    return counts


def _blank(table: str, column: str) -> str:
    return "''" if (table, column) in NOT_NULL else "NULL"


def is_blank(value: object) -> bool:
    return value is None or value == ""


# ---------------------------------------------------------------- the migration


def install(db: sqlite_utils.Database) -> None:
    """Add the chain to a ledger: columns, the chain table, the rows already there chained, triggers."""
    for table in TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN text_salt TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN purged_at TEXT")
        for (ref,) in db.execute(f"SELECT id FROM {table}").fetchall():
            db.execute(f"UPDATE {table} SET text_salt = ? WHERE id = ?", [new_salt(), ref])
    db.execute("CREATE TABLE chain (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, tbl TEXT NOT NULL, "
               "ref INTEGER NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL UNIQUE, hash TEXT NOT NULL)")
    db.execute("CREATE INDEX chain_tbl_ref ON chain (tbl, ref)")
    for table, ref, kind in _existing(db):
        append(db, table=table, ref=ref, kind=kind)
    for statement in triggers():
        db.execute(statement)


def _existing(db: sqlite_utils.Database) -> list[tuple[str, int, str]]:
    """Rows written before the chain, as (table, id, kind): creations merged by time, each table in id order
    (as verify expects, whatever the clocks said); then escalations' decisions."""
    streams = [[(row["created_at"], table, row["id"], CREATED[table])
                for row in db.query(f"SELECT id, created_at FROM {table} ORDER BY id")] for table in TABLES]
    decided = db.query("SELECT id, status FROM escalations WHERE status <> 'pending' ORDER BY decided_at, id")
    return ([(table, ref, kind) for _, table, ref, kind in heapq.merge(*streams, key=lambda item: item[0])]
            + [("escalations", row["id"], STATUS_KIND[row["status"]]) for row in decided])


def triggers() -> list[str]:
    """SQLite refuses deletes, and edits of anything chained; free text may only be purged."""
    statements = [_refuse("chain_append_only", "BEFORE UPDATE ON chain",
                          "the chain is append-only: its records cannot be edited"),
                  _refuse("chain_no_delete", "BEFORE DELETE ON chain",
                          "the chain is append-only: its records cannot be deleted")]
    for table in TABLES:
        frozen = [column for column in CHAINED[table] if column != "status"]
        personal = [*PERSONAL[table], "text_salt"]
        purged = " OR ".join(f"COALESCE(NEW.{column}, '') <> ''" for column in personal)
        statements += [
            _refuse(f"{table}_no_delete", f"BEFORE DELETE ON {table}",
                    f"the ledger is append-only: {table} cannot be deleted; use `leeway ledger purge` for old text"),
            _refuse(f"{table}_frozen", f"BEFORE UPDATE OF {', '.join(frozen)} ON {table}",
                    f"the ledger is append-only: recorded {table} cannot be edited"),
            _refuse(f"{table}_purge_only", f"BEFORE UPDATE OF {', '.join(personal)}, purged_at ON {table} "
                    f"WHEN {purged} OR NEW.purged_at IS NULL",
                    "free text in the ledger can only be purged (blanked, with purged_at set)"),
        ]
    statements += [
        _refuse("escalations_decided_once", "BEFORE UPDATE OF status, decided_by, decided_at ON escalations "
                "WHEN OLD.status <> 'pending'", "a decided escalation cannot change"),
        _refuse("escalations_decision_note", "BEFORE UPDATE OF decision_note ON escalations "
                "WHEN OLD.status <> 'pending' AND (NEW.decision_note IS NOT NULL OR NEW.purged_at IS NULL)",
                "a decision note can only be purged once the escalation is decided"),
    ]
    return statements


def trigger_names() -> list[str]:
    return [statement.split()[2] for statement in triggers()]


def _refuse(name: str, when: str, message: str) -> str:
    quoted = message.replace("'", "''")
    return f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{quoted}'); END"
