"""What the Slack door remembers beside the ledger: events already handled, and questions asked.

Two small tables in the ledger's own SQLite file, so they are as durable as the
records they protect:

- ``slack_events``: one row per Slack event id handled. Slack retries an event it
  thinks was lost (``X-Slack-Retry-Num``, Socket Mode's ``retry_attempt``); the
  retry finds the row and is dropped, so no second reply and no second ledger row.
- ``slack_questions``: the situation an agent asked about, so buttons carry only
  a question id (and a playbook id) and everything else is read back server-side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.ledger import Ledger, iso
from bot.redaction import redact

QUESTION_TEXT_CHARS = 4000

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    event_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
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

    def claim(self, event_id: str, *, now: datetime) -> bool:
        """True the first time an event id is seen; False for every retry (atomic, durable)."""
        cursor = self.ledger.db.execute("INSERT OR IGNORE INTO slack_events (event_id, created_at) VALUES (?, ?)",
                                        [event_id, iso(now)])
        return cursor.rowcount == 1

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
