"""The durable record: exceptions used, escalations, unmatched situations, refusals.

Every write is idempotent (a UNIQUE key: the Slack event or action id, or a
CLI-made one) and every check-then-write runs inside one ``BEGIN IMMEDIATE``
transaction, so concurrent writers in several processes can never overspend a
budget or a customer's frequency limit. The check itself is the pure decision
engine, handed in as a callback and run on the history read inside the
transaction.

Every record (and every later status of an escalation) is also appended to a
hash chain in that same transaction (``bot.ledger_chain``), so the ledger is
tamper-evident: ``verify_chain`` names what was edited, deleted or reordered.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils

from bot import ledger_chain as chain
from bot.decision import Decision, Gesture, History
from bot.errors import NotFound, Refused
from bot.ledger_rows import (clean_text, escalation_record, exception_record, exception_row, from_cents, iso,  # noqa: F401
                             parse_iso, to_cents, unmatched_record)
from bot.ledger_schema import migrate
from bot.ledger_turns import WriterTurns
from bot.ledger_verify import ChainReport, verify
from bot.models import Policy
from bot.records import Escalation, ExceptionDraft, ExceptionRecord, Recorded, UnmatchedSituation
from bot.redaction import redact

Check = Callable[[History], Decision]
BUSY_TIMEOUT_SECONDS = 30.0
ESCALATION_LIFETIME = timedelta(days=3)


class Ledger:
    """One SQLite file. Safe to share between threads (a connection each) and processes (SQLite locks)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._turns = WriterTurns(self.path)
        with self._transaction() as db:
            migrate(db)

    # ------------------------------------------------------------ plumbing

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """For reads and reports; writes go through ``_transaction``."""
        return sqlite_utils.Database(self._connection())

    @contextmanager
    def _transaction(self) -> Iterator[sqlite_utils.Database]:
        """``BEGIN IMMEDIATE`` takes the write lock first, so the check and the insert see the same data.
        The connection is opened in the writer's turn too: on a new file, switching it to WAL needs the
        whole file, and several processes doing that at once can get "database is locked" at once."""
        with self._turns.turn():
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield sqlite_utils.Database(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite_utils.Database]:
        """A read transaction: one consistent view without blocking writers (WAL)."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield sqlite_utils.Database(conn)
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._turns.close()

    # ------------------------------------------------------------ history

    def history(self, *, user: str, customer_ref: str | None, policy: Policy, now: datetime) -> History:
        """What limits apply to, as of ``now``: the user's own spending today and this month, the customer's gestures."""
        return _history(self.db, user=user, customer_ref=customer_ref, policy=policy, now=now)

    # ------------------------------------------------------------ exceptions

    def record_exception(self, draft: ExceptionDraft, *, key: str, role: str, policy: Policy, check: Check,
                         now: datetime) -> Recorded:
        """Check and record atomically. Raises ``Refused`` (with the decision) unless it is allowed now."""
        with self._transaction() as db:
            existing = _one(db, "exceptions", key)
            if existing:
                return Recorded(record=exception_record(existing), created=False)
            history = _history(db, user=draft.user, customer_ref=draft.customer_ref, policy=policy, now=now)
            decision = check(history)
            if decision.verdict != "allowed":
                raise Refused("not_allowed_now", {"decision": decision})
            row = exception_row(draft, key=key, role=role, decision="allowed", approved_by=None,
                                 escalation_id=None, revision=decision.policy_revision, now=now)
            return Recorded(record=exception_record(_insert(db, "exceptions", row)), created=True)

    # ------------------------------------------------------------ escalations

    def request_escalation(self, draft: ExceptionDraft, *, key: str, role: str, policy: Policy, check: Check,
                           now: datetime, reply_channel: str | None = None, reply_thread_ts: str | None = None) -> Recorded:
        """Ask a lead. Refused when no one may approve it (not allowed) per the files, re-checked now."""
        with self._transaction() as db:
            existing = _one(db, "escalations", key)
            if existing:
                return Recorded(record=escalation_record(existing), created=False)
            history = _history(db, user=draft.user, customer_ref=draft.customer_ref, policy=policy, now=now)
            decision = check(history)
            if decision.verdict == "not_allowed":
                raise Refused("not_allowed_now", {"decision": decision})
            approver = decision.approver_role or _next_role(policy, role)
            row = {
                "key": key, "status": "pending", "requested_by": draft.user, "requester_role": role,
                "team": draft.team, "playbook": draft.playbook, "action": draft.action,
                "amount_cents": to_cents(draft.amount), "currency": draft.currency,
                "customer_ref": draft.customer_ref, "note": clean_text(draft.note), "situation": clean_text(draft.situation),
                "approver_role": approver, "decision_json": decision.model_dump_json(),
                "policy_revision": decision.policy_revision, "created_at": iso(now),
                "reply_channel": reply_channel, "reply_thread_ts": reply_thread_ts, "text_salt": chain.new_salt(),
            }
            return Recorded(record=escalation_record(_insert(db, "escalations", row)), created=True)

    def decide_escalation(self, escalation_id: int, *, approve: bool, by: str, by_role: str, policy: Policy,
                          check: Callable[[Escalation, History], Decision], now: datetime,
                          note: str | None = None) -> Recorded:
        """Approve or deny. Re-checks everything now; the first valid decision wins, others are refused."""
        with self._transaction() as db:
            row = db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).fetchone()
            if row is None:
                raise NotFound("escalation_not_found", {"id": escalation_id})
            escalation = escalation_record(dict(row))
            expired = escalation.status == "pending" and now - escalation.created_at > ESCALATION_LIFETIME
            if expired:  # committed before refusing, so the expiry sticks
                _set_status(db, escalation.id, "expired", by=None, now=now)
        if expired:
            raise Refused("escalation_expired", {"id": escalation_id})
        with self._transaction() as db:
            escalation = escalation_record(dict(db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).fetchone()))
            self._refuse_unless_decidable(escalation, by=by, by_role=by_role, policy=policy)
            if approve:
                history = _history(db, user=escalation.requested_by, customer_ref=escalation.customer_ref,
                                   policy=policy, now=now)
                _refuse_unless_covered(check(escalation, history), by_role, policy)
            status = "approved" if approve else "denied"
            if not _set_status(db, escalation_id, status, by=by, now=now, note=clean_text(note)):
                raise Refused("already_decided", {"id": escalation_id})
            if approve and escalation.action and escalation.amount is not None:
                draft = ExceptionDraft(user=escalation.requested_by, playbook=escalation.playbook, action=escalation.action,
                                       amount=escalation.amount, currency=escalation.currency,
                                       customer_ref=escalation.customer_ref, note=escalation.note,
                                       situation=escalation.situation, team=escalation.team)
                exception = exception_row(draft, key=f"escalation:{escalation_id}", role=escalation.requester_role,
                                           decision="approved", approved_by=by, escalation_id=escalation_id,
                                           revision=escalation.policy_revision, now=now)
                _insert(db, "exceptions", exception)
            updated = db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).fetchone()
            return Recorded(record=escalation_record(dict(updated)), created=True)

    def _refuse_unless_decidable(self, escalation: Escalation, *, by, by_role, policy) -> None:
        if escalation.status != "pending":
            raise Refused("already_decided", {"id": escalation.id, "status": escalation.status,
                                              "by": escalation.decided_by or ""})
        if by == escalation.requested_by:
            raise Refused("self_approval", {"id": escalation.id})
        needed = escalation.approver_role
        if by_role not in policy.role_ids or (needed in policy.role_ids and policy.rank(by_role) < policy.rank(needed)):
            raise Refused("approver_role_too_low", {"id": escalation.id, "role": by_role, "needed": needed or ""})

    def set_escalation_message(self, escalation_id: int, *, channel: str, ts: str) -> None:
        """Remember where the lead message was posted, so a decision can update it."""
        with self._transaction() as db:
            db.execute("UPDATE escalations SET channel = ?, message_ts = ? WHERE id = ?", [channel, ts, escalation_id])

    def withdraw_escalation(self, escalation_id: int, *, by: str, now: datetime) -> Recorded:
        with self._transaction() as db:
            if not _set_status(db, escalation_id, "withdrawn", by=by, now=now, requested_by=by):
                raise Refused("cannot_withdraw", {"id": escalation_id})
            row = db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).fetchone()
            return Recorded(record=escalation_record(dict(row)), created=True)

    def expire_escalations(self, *, now: datetime, lifetime: timedelta = ESCALATION_LIFETIME) -> int:
        with self._transaction() as db:
            stale = db.execute("SELECT id FROM escalations WHERE status = 'pending' AND created_at < ? ORDER BY id",
                               [iso(now - lifetime)]).fetchall()
            return sum(_set_status(db, escalation_id, "expired", by=None, now=now) for (escalation_id,) in stale)

    def escalation(self, escalation_id: int) -> Escalation:
        row = self.db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).fetchone()
        if row is None:
            raise NotFound("escalation_not_found", {"id": escalation_id})
        return escalation_record(dict(row))

    def exception(self, exception_id: int) -> ExceptionRecord:
        row = self.db.execute("SELECT * FROM exceptions WHERE id = ?", [exception_id]).fetchone()
        if row is None:
            raise NotFound("exception_not_found", {"id": exception_id})
        return exception_record(dict(row))

    # ------------------------------------------------------------ gaps and refusals

    def record_unmatched(self, text: str, *, key: str, user: str | None, candidates: list[tuple[str, float]],
                         revision: str, now: datetime) -> Recorded:
        """A situation no playbook fits: evidence for a missing playbook. Stored redacted."""
        with self._transaction() as db:
            existing = _one(db, "unmatched", key)
            if existing:
                return Recorded(record=unmatched_record(existing), created=False)
            row = {"key": key, "user": user, "text": redact(text)[:4000],
                   "candidates": json.dumps([{"playbook": p, "score": round(s, 4)} for p, s in candidates]),
                   "policy_revision": revision, "created_at": iso(now), "text_salt": chain.new_salt()}
            return Recorded(record=unmatched_record(_insert(db, "unmatched", row)), created=True)

    def record_refusal(self, *, user: str | None, kind: str, ref: str | None, detail: str, now: datetime) -> None:
        """Refused writes (forged or late clicks, writes the policy no longer allows) are evidence too."""
        with self._transaction() as db:
            _insert(db, "refusals", {"user": user, "kind": kind, "ref": ref, "detail": redact(detail)[:2000],
                                     "created_at": iso(now), "text_salt": chain.new_salt()})

    # ------------------------------------------------------------ reading

    def exceptions(self, *, user: str | None = None, since: datetime | None = None, limit: int = 50) -> list[ExceptionRecord]:
        where, params = _filters(user_column="user", user=user, since=since)
        rows = self.db.query(f"SELECT * FROM exceptions {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [exception_record(row) for row in rows]

    def escalations(self, *, user: str | None = None, status: str | None = None, since: datetime | None = None,
                    limit: int = 50) -> list[Escalation]:
        where, params = _filters(user_column="requested_by", user=user, since=since)
        if status:
            where += (" AND " if where else "WHERE ") + "status = ?"
            params.append(status)
        rows = self.db.query(f"SELECT * FROM escalations {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [escalation_record(row) for row in rows]

    def unmatched(self, *, since: datetime | None = None, limit: int = 50) -> list[UnmatchedSituation]:
        where, params = _filters(user_column="user", user=None, since=since)
        rows = self.db.query(f"SELECT * FROM unmatched {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [unmatched_record(row) for row in rows]

    # ------------------------------------------------------------ tamper evidence

    def chain_head(self) -> tuple[int, str]:
        """(records in the hash chain, the last hash): the weekly digest shows it, so a cut-short ledger is noticed."""
        with self._snapshot() as db:
            return chain.head(db)

    def verify_chain(self, *, expect_head: str | None = None, expect_count: int | None = None) -> ChainReport:
        """Recompute the chain and compare every row with it; ``expect_*`` come from an earlier digest."""
        with self._snapshot() as db:
            return verify(db, expect_head=expect_head, expect_count=expect_count)

    def purge_text(self, *, older_than: datetime, now: datetime, dry_run: bool = False) -> dict[str, int]:
        """Blank the personal free text of records created before ``older_than``; counts per table."""
        with self._transaction() as db:
            return chain.purge(db, before=iso(older_than), now=iso(now), dry_run=dry_run)


# ---------------------------------------------------------------- helpers


def _history(db: sqlite_utils.Database, *, user: str, customer_ref: str | None, policy: Policy, now: datetime) -> History:
    zone = ZoneInfo(policy.timezone)
    local = now.astimezone(zone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = day_start.replace(day=1)
    # budgets are in the base currency; amounts in another (logged before a change of base) cannot be converted
    own = ("SELECT COALESCE(SUM(amount_cents), 0) FROM exceptions WHERE user = ? AND decision = 'allowed' "
           "AND currency = ? AND created_at >= ? AND created_at <= ?")
    today = db.execute(own, [user, policy.currency, iso(day_start), iso(now)]).fetchone()[0]
    month = db.execute(own, [user, policy.currency, iso(month_start), iso(now)]).fetchone()[0]
    gestures: tuple[Gesture, ...] = ()
    if customer_ref:
        window = max((rule.days for rule in policy.frequency_limits), default=0)
        rows = db.execute(
            "SELECT action, amount_cents, created_at FROM exceptions WHERE customer_ref = ? AND created_at > ? AND created_at <= ?",
            [customer_ref, iso(now - timedelta(days=window)), iso(now)]).fetchall()
        gestures = tuple(Gesture(action=a, amount=from_cents(c), at=parse_iso(t)) for a, c, t in rows)
    return History(spent_today=from_cents(today), spent_this_month=from_cents(month),
                   customer_known=bool(customer_ref), customer_gestures=gestures)


def _refuse_unless_covered(decision: Decision, by_role: str, policy: Policy) -> None:
    """The approver's role must be at least the role the decision needs now."""
    if decision.verdict == "not_allowed":
        raise Refused("not_allowed_now", {"decision": decision})
    needed = decision.approver_role
    if decision.verdict == "needs_approval" and policy.rank(by_role) < policy.rank(needed):
        raise Refused("approver_role_too_low", {"role": by_role, "needed": needed, "decision": decision})


def _next_role(policy: Policy, role: str) -> str | None:
    rank = policy.rank(role) if role in policy.role_ids else 0
    return policy.role_ids[rank + 1] if rank + 1 < len(policy.role_ids) else None


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> dict:
    """Insert and chain in the caller's transaction, so neither exists without the other; the stored row."""
    sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
    ref = db.execute(sql, list(row.values())).lastrowid
    stored = next(db.query(f"SELECT * FROM {table} WHERE id = ?", [ref]))
    chain.append(db, table=table, ref=ref, row=stored)
    return stored


def _set_status(db: sqlite_utils.Database, escalation_id: int, status: str, *, by: str | None, now: datetime,
                note: str | None = None, requested_by: str | None = None) -> bool:
    """Move a pending escalation on, chained as its own entry; False when it was not pending (or not theirs)."""
    sql = ("UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
           "WHERE id = ? AND status = 'pending'")
    params = [status, by, iso(now), note, escalation_id]
    if requested_by is not None:
        sql, params = sql + " AND requested_by = ?", [*params, requested_by]
    if db.execute(sql, params).rowcount != 1:
        return False
    chain.append(db, table="escalations", ref=escalation_id, kind=chain.STATUS_KIND[status])
    return True


def _one(db: sqlite_utils.Database, table: str, key: str) -> dict | None:
    return next(db.query(f"SELECT * FROM {table} WHERE key = ?", [key]), None)


def _filters(*, user_column: str, user: str | None, since: datetime | None) -> tuple[str, list]:
    clauses, params = [], []
    if user:
        clauses.append(f"{user_column} = ?")
        params.append(user)
    if since:
        clauses.append("created_at >= ?")
        params.append(iso(since))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
