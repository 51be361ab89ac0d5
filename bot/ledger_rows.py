"""Ledger rows <-> records: money as whole cents, times as fixed-width UTC text, free text redacted.

Kept apart from ``bot.ledger`` (transactions, checks, the chain) because reports,
insights and the Slack state read and write these same columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot import ledger_chain as chain
from bot.records import Escalation, ExceptionDraft, ExceptionRecord, UnmatchedSituation
from bot.redaction import redact

__all__ = ["to_cents", "from_cents", "iso", "parse_iso", "clean_text", "exception_row", "exception_record",
           "escalation_record", "unmatched_record"]


def to_cents(amount: Decimal) -> int:
    """Money is stored as whole cents: exact sums, no float.

    >>> to_cents(Decimal("12.5"))
    1250
    """
    return int((amount * 100).to_integral_exact())


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def iso(moment: datetime) -> str:
    """UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def clean_text(text: str | None) -> str | None:
    return None if text is None else redact(text)[:4000]


def exception_row(draft: ExceptionDraft, *, key, role, decision, approved_by, escalation_id, revision, now) -> dict:
    return {
        "key": key, "user": draft.user, "role": role, "team": draft.team, "playbook": draft.playbook,
        "action": draft.action, "amount_cents": to_cents(draft.amount), "currency": draft.currency,
        "customer_ref": draft.customer_ref, "note": clean_text(draft.note), "situation": clean_text(draft.situation),
        "decision": decision, "approved_by": approved_by, "escalation_id": escalation_id,
        "policy_revision": revision, "created_at": iso(now), "text_salt": chain.new_salt(),
    }


def _known(model, row: dict) -> dict:
    """The row's columns the model knows (not the chain's salt); ``purged_at`` as a time."""
    data = {name: value for name, value in row.items() if name in model.model_fields or name == "amount_cents"}
    if data.get("purged_at") is not None:
        data["purged_at"] = parse_iso(data["purged_at"])
    return data


def unmatched_record(row: dict) -> UnmatchedSituation:
    return UnmatchedSituation(**_known(UnmatchedSituation, row))


def exception_record(row: dict) -> ExceptionRecord:
    data = _known(ExceptionRecord, row)
    data["amount"] = from_cents(data.pop("amount_cents"))
    data["created_at"] = parse_iso(data["created_at"])
    return ExceptionRecord(**data)


def escalation_record(row: dict) -> Escalation:
    data = _known(Escalation, row)
    data["amount"] = from_cents(data.pop("amount_cents"))
    data["created_at"] = parse_iso(data["created_at"])
    data["decided_at"] = parse_iso(data.get("decided_at"))
    return Escalation(**data)
