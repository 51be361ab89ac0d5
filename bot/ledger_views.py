"""``leeway log``: ledger rows as a table, CSV or JSON, for a person or for everyone."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from bot.ledger import Ledger
from bot.periods import since as parse_since

COLUMNS = {
    "exceptions": ["id", "created_at", "user", "role", "playbook", "action", "amount", "currency", "customer_ref",
                   "decision", "approved_by", "note", "policy_revision"],
    "escalations": ["id", "created_at", "status", "requested_by", "playbook", "action", "amount", "currency",
                    "customer_ref", "approver_role", "decided_by", "decided_at", "decision_note"],
    "unmatched": ["id", "created_at", "user", "text", "candidates"],
}


TABLE_HIDES = {"policy_revision", "currency", "role", "decided_at"}  # in CSV/JSON; the table stays readable


def rows(ledger: Ledger, *, kind: str, user: str | None, status: str | None, since: datetime | None,
         limit: int) -> list[dict]:
    if kind == "exceptions":
        records = ledger.exceptions(user=user, since=since, limit=limit)
    elif kind == "escalations":
        records = ledger.escalations(user=user, status=status, since=since, limit=limit)
    else:
        records = ledger.unmatched(since=since, limit=limit)
    return [{column: _plain(getattr(record, column)) for column in COLUMNS[kind]} for record in records]


def print_log(ledger: Ledger, *, kind: str, user: str | None = None, status: str | None = None,
              since: str | None = None, limit: int = 50, output_format: str = "table", out=None) -> None:
    out = out or sys.stdout
    found = rows(ledger, kind=kind, user=user, status=status, since=parse_since(since, now=datetime.now(UTC)), limit=limit)
    if output_format == "json":
        out.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    elif output_format == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS[kind], lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
    else:
        shown = [c for c in COLUMNS[kind] if c not in TABLE_HIDES]
        table = Table(title=f"{kind} ({len(found)})", show_lines=False)
        for column in shown:
            table.add_column(column, overflow="fold")
        for row in found:
            table.add_row(*("" if row[c] is None else str(row[c])[:60] for c in shown))
        Console(file=out, width=max(140, Console().width)).print(table)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    if value is None or isinstance(value, str | int):
        return value
    return str(value)
