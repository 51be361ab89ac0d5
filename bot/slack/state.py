"""What the Slack door remembers beside the ledger: events already handled, and questions asked.

Two small tables in the ledger's own SQLite file, so they are as durable as the
records they protect:

- ``slack_events``: one row per Slack event id handled. Slack retries an event it
  thinks was lost (``X-Slack-Retry-Num``, Socket Mode's ``retry_attempt``); the
  retry finds the row and is dropped, so no second reply and no second ledger row.
  A claim not marked answered within ``CLAIM_LEASE`` is from a process that died
  mid-answer (killed, power cut): the next retry takes it over, so the agent
  still gets the answer (Slack retries after about 1 and 5 minutes).
- ``slack_questions``: the situation an agent asked about, so buttons carry only
  a question id (and a playbook id) and everything else is read back server-side.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ledger import Ledger, iso
from bot.redaction import redact

QUESTION_TEXT_CHARS = 4000
# Longer than a live handler can take: slack_sdk's calls time out after 30 s, and a failed one releases its claim.
CLAIM_LEASE = timedelta(seconds=40)

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    event_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE TABLE IF NOT EXISTS slack_questions (
    id INTEGER PRIMARY KEY,
    user TEXT NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    channel TEXT,
    thread_ts TEXT,
    candidates TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Question:
    id: int
    user: str
    text: str
    lang: str
    channel: str | None
    thread_ts: str | None
    candidates: tuple[str, ...]


class SlackState:
    """The two tables, on the ledger's connection (one per thread)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.ledger.db.executescript(SCHEMA)
        self._add_answered_at()

    def _add_answered_at(self) -> None:
        """Ledgers from before the lease: their claims were all answered (or released), so they stay closed."""
        events = self.ledger.db["slack_events"]
        if "answered_at" in events.columns_dict:
            return
        try:
            events.add_column("answered_at", str)
        except sqlite3.OperationalError:  # another process added it first
            return
        self.ledger.db.execute("UPDATE slack_events SET answered_at = created_at WHERE answered_at IS NULL")

    def claim(self, event_id: str, *, now: datetime) -> bool:
        """True the first time an event id is seen, and for a retry of a claim whose handler died
        before answering (older than ``CLAIM_LEASE``); False otherwise. One atomic, durable statement."""
        cursor = self.ledger.db.execute(
            "INSERT INTO slack_events (event_id, created_at) VALUES (?, ?) "
            "ON CONFLICT (event_id) DO UPDATE SET created_at = excluded.created_at "
            "WHERE slack_events.answered_at IS NULL AND slack_events.created_at < ?",
            [event_id, iso(now), iso(now - CLAIM_LEASE)])
        return cursor.rowcount == 1

    def answered(self, event_id: str, *, now: datetime) -> None:
        """The reply is posted: no retry may take this claim over any more."""
        self.ledger.db.execute("UPDATE slack_events SET answered_at = ? WHERE event_id = ?", [iso(now), event_id])

    def release(self, event_id: str) -> None:
        """Handling failed before anything was written: let Slack's retry try again."""
        self.ledger.db.execute("DELETE FROM slack_events WHERE event_id = ?", [event_id])

    def remember(self, *, user: str, text: str, lang: str, channel: str | None, thread_ts: str | None,
                 candidates: list[str], now: datetime) -> int:
        cursor = self.ledger.db.execute(
            "INSERT INTO slack_questions (user, text, lang, channel, thread_ts, candidates, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            # redacted like the ledger: it is stored, and quoted to the leads when no playbook fits
            [user, redact(text)[:QUESTION_TEXT_CHARS], lang, channel, thread_ts, json.dumps(candidates), iso(now)])
        return int(cursor.lastrowid)

    def question(self, question_id: int, *, user: str) -> Question | None:
        """The question, only for the person who asked it (a forged id from someone else reads nothing)."""
        row = self.ledger.db.execute("SELECT * FROM slack_questions WHERE id = ? AND user = ?",
                                     [question_id, user]).fetchone()
        if row is None:
            return None
        data = dict(row)
        return Question(id=data["id"], user=data["user"], text=data["text"], lang=data["lang"],
                        channel=data["channel"], thread_ts=data["thread_ts"],
                        candidates=tuple(json.loads(data["candidates"])))
