"""Check the ledger against its hash chain and name every record that was edited, deleted or moved.

Three passes, each reporting everything it finds rather than stopping at the first:

1. **Links.** Each entry's hash is recomputed from its body and the previous
   hash. A wrong hash: the entry was edited. A missing number: deleted. A
   ``prev_hash`` naming some other entry: reordered.
2. **Order.** Rows are created with rising ids, and an escalation is decided
   after it was requested, so a chain rewritten consistently in another order
   still shows.
3. **Rows.** Each table row must equal what its entries say (an escalation's
   status as its last entry left it), its free text must match the digest until
   purged, and every row must have an entry and every entry a row.

Removed append-only triggers are reported too: they are how such edits are made.

Nothing tells a chain cut short from one that never grew, except a head seen
earlier: the weekly digest shows it, and ``expect_head``/``expect_count`` check it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.ledger_chain import (CHAINED, DECIDED, DECIDED_PERSONAL, GENESIS, PERSONAL, TABLES, Entry, entries,
                              is_blank, is_status_kind, link, missing_triggers, purgeable, text_digest)

Problem = Literal["entry_edited", "entry_deleted", "link_broken", "reordered", "row_edited", "row_deleted",
                  "row_unchained", "truncated", "head_unknown", "guard_removed"]
SHORTEST_HEAD = 8  # the digest may show a prefix of the head


@dataclass(frozen=True)
class Finding:
    """One sign of tampering: which chain record (``seq``) and/or which row (``table``/``ref``)."""

    problem: Problem
    seq: int | None = None
    table: str | None = None
    ref: int | None = None
    field: str | None = None
    other: int | None = None  # the other chain record involved, or the count expected


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings


def verify(db: sqlite_utils.Database, *, expect_head: str | None = None,
           expect_count: int | None = None) -> ChainReport:
    """Every sign of tampering in the ledger, in chain order; none means intact."""
    chain = entries(db)
    findings = [*_links(chain), *_order(chain), *_rows(db, chain), *_head(chain, expect_head, expect_count),
                *(Finding("guard_removed", field=name) for name in missing_triggers(db))]
    last = chain[-1] if chain else None
    return ChainReport(count=last.seq if last else 0, head=last.hash if last else GENESIS,
                       findings=tuple(dict.fromkeys(findings)))


def _links(chain: list[Entry]) -> list[Finding]:
    found, by_hash, previous = [], {entry.hash: entry.seq for entry in chain}, None
    for entry in chain:
        if link(entry.prev_hash, entry.body) != entry.hash:
            found.append(Finding("entry_edited", seq=entry.seq, table=entry.tbl, ref=entry.ref))
        expected = previous.seq + 1 if previous else 1
        if entry.seq > expected:
            found += [Finding("entry_deleted", seq=seq) for seq in range(expected, entry.seq)]
        elif entry.prev_hash != (previous.hash if previous else GENESIS):
            other = by_hash.get(entry.prev_hash)
            if other is not None:
                found.append(Finding("reordered", seq=entry.seq, table=entry.tbl, ref=entry.ref, other=other))
            else:
                found.append(Finding("link_broken", seq=entry.seq, other=previous.seq if previous else 0))
        previous = entry
    return found


def _order(chain: list[Entry]) -> list[Finding]:
    found, newest, created = [], {}, set()
    for entry in chain:
        if is_status_kind(entry.kind):
            if (entry.tbl, entry.ref) not in created:
                found.append(Finding("reordered", seq=entry.seq, table=entry.tbl, ref=entry.ref))
            continue
        if entry.ref <= newest.get(entry.tbl, 0):
            found.append(Finding("reordered", seq=entry.seq, table=entry.tbl, ref=entry.ref))
        newest[entry.tbl] = max(entry.ref, newest.get(entry.tbl, 0))
        created.add((entry.tbl, entry.ref))
    return found


def _rows(db: sqlite_utils.Database, chain: list[Entry]) -> list[Finding]:
    said, found = _what_the_chain_says(chain)
    for table in TABLES:
        for row in db.query(f"SELECT * FROM {table} ORDER BY id"):
            story = said.pop((table, row["id"]), None)
            if story is None:
                found.append(Finding("row_unchained", table=table, ref=row["id"]))
            else:
                found += _compare(table, row, story)
    for (table, ref), story in said.items():
        found.append(Finding("row_deleted", seq=story[0][0].seq, table=table, ref=ref))
    return found


def _what_the_chain_says(chain: list[Entry]) -> tuple[dict[tuple[str, int], list[tuple[Entry, dict]]], list[Finding]]:
    """Per row, its entries in order with their parsed bodies (the creation first).

    The body (hashed) says which row an entry is about; the ``kind``/``tbl``/``ref`` columns beside it are
    only an index, so an entry whose columns disagree with its body was edited.
    """
    said: dict[tuple[str, int], list[tuple[Entry, dict]]] = {}
    found = []
    for entry in chain:
        try:
            body = json.loads(entry.body)
            body["fields"], labels = dict(body["fields"]), (body["kind"], body["table"], body["ref"])
        except (ValueError, KeyError, TypeError):
            continue  # reported as edited, or as a broken link if someone rehashed it
        if labels != (entry.kind, entry.tbl, entry.ref):
            found.append(Finding("entry_edited", seq=entry.seq, table=entry.tbl, ref=entry.ref))
        entry = Entry(entry.seq, *labels, entry.body, entry.prev_hash, entry.hash)
        story = said.setdefault((entry.tbl, entry.ref), [])
        if is_status_kind(entry.kind):
            story.append((entry, body))
        elif not story or is_status_kind(story[0][0].kind):
            story.insert(0, (entry, body))
    return said, found


def _compare(table: str, row: dict, story: list[tuple[Entry, dict]]) -> list[Finding]:
    """The row's columns against its creation entry and (escalations) its last decision entry."""
    created, body = story[0]
    if is_status_kind(created.kind):
        return [Finding("row_unchained", table=table, ref=row["id"])]
    expected = {column: (created, body["fields"].get(column)) for column in CHAINED[table]}
    if table == "escalations":
        expected.update({column: (created, None) for column in DECIDED[1:]})
        for entry, decided in story[1:]:
            expected.update({column: (entry, decided["fields"].get(column)) for column in DECIDED})
    found = [Finding("row_edited", seq=entry.seq, table=table, ref=row["id"], field=column)
             for column, (entry, value) in expected.items() if row.get(column) != value]
    texts = [(created, body, PERSONAL[table])] + [(entry, decided, DECIDED_PERSONAL) for entry, decided in story[1:]]
    return found + _compare_text(table, row, texts)


def _compare_text(table: str, row: dict, texts: list[tuple[Entry, dict, tuple[str, ...]]]) -> list[Finding]:
    """Free text matches its digest until purged, and stays blank after."""
    if row.get("purged_at") is not None:
        return [Finding("row_edited", seq=texts[0][0].seq, table=table, ref=row["id"], field=column)
                for column in (*purgeable(table), "text_salt") if not is_blank(row.get(column))]
    found = []
    for entry, body, columns in texts:
        if text_digest(row.get("text_salt"), [row.get(column) for column in columns]) != body.get("text_digest"):
            found.append(Finding("row_edited", seq=entry.seq, table=table, ref=row["id"], field=", ".join(columns)))
    return found


def _head(chain: list[Entry], expect_head: str | None, expect_count: int | None) -> list[Finding]:
    count = chain[-1].seq if chain else 0
    found = []
    if expect_count is not None and count < expect_count:
        found.append(Finding("truncated", seq=count, other=expect_count))
    if expect_head:
        wanted = expect_head.strip().lower()
        known = len(wanted) >= SHORTEST_HEAD and any(entry.hash.startswith(wanted) for entry in chain)
        if not known:
            found.append(Finding("head_unknown", field=expect_head))
    return found


def describe(finding: Finding, lang: str | None) -> str:
    """One finding in plain words, naming the chain record and the row.

    >>> describe(Finding("row_edited", seq=5, table="exceptions", ref=3, field="amount_cents"), "en")
    'exception 3 was edited: amount_cents no longer matches chain record #5.'
    """
    from bot.messages import t

    record = t(f"ledger_record_{finding.table}", lang, ref=finding.ref) if finding.table else ""
    key = "ledger_reordered_after" if finding.problem == "reordered" and finding.other else f"ledger_{finding.problem}"
    return t(key, lang, seq=finding.seq, record=record, field=finding.field, other=finding.other)
