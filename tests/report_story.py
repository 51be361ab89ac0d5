"""Ledger rows written directly, at chosen times, for report and insight tests (the ledger's own writes use ``now``)."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from decimal import Decimal

from bot.ledger import Ledger, iso, to_cents

_keys = itertools.count(1)


def add_exception(ledger: Ledger, *, at: datetime, playbook: str, action: str, amount, user: str = "U0AGENT01",
                  role: str = "agent", team: str | None = "tier1", currency: str = "USD", customer: str | None = None,
                  decision: str = "allowed", situation: str | None = None, escalation_id: int | None = None) -> None:
    row = {"key": f"story-{next(_keys)}", "user": user, "role": role, "team": team, "playbook": playbook,
           "action": action, "amount_cents": to_cents(Decimal(str(amount))), "currency": currency,
           "customer_ref": customer, "situation": situation, "decision": decision, "escalation_id": escalation_id,
           "approved_by": "U0LEAD01" if decision == "approved" else None, "policy_revision": "r1", "created_at": iso(at)}
    _insert(ledger, "exceptions", row)


def add_escalation(ledger: Ledger, *, at: datetime, playbook: str, action: str, amount, status: str,
                   decided_after: timedelta | None = timedelta(hours=2), user: str = "U0AGENT01", role: str = "agent",
                   team: str | None = "tier1", currency: str = "USD") -> int:
    """An escalation as it ends up; an approved one also leaves its exception, as the ledger does."""
    decided = status in ("approved", "denied", "withdrawn", "expired") and decided_after is not None
    row = {"key": f"story-{next(_keys)}", "status": status, "requested_by": user, "requester_role": role, "team": team,
           "playbook": playbook, "action": action, "amount_cents": to_cents(Decimal(str(amount))), "currency": currency,
           "approver_role": "senior", "decision_json": "{}", "policy_revision": "r1", "created_at": iso(at),
           "decided_by": "U0LEAD01" if decided else None, "decided_at": iso(at + decided_after) if decided else None}
    escalation_id = _insert(ledger, "escalations", row)
    if status == "approved":
        add_exception(ledger, at=at + decided_after, playbook=playbook, action=action, amount=amount, user=user,
                      role=role, team=team, currency=currency, decision="approved", escalation_id=escalation_id)
    return escalation_id


def add_unmatched(ledger: Ledger, *, at: datetime, text: str, closest: str | None = None) -> None:
    candidates = [{"playbook": closest, "score": 0.3}] if closest else []
    _insert(ledger, "unmatched", {"key": f"story-{next(_keys)}", "user": "U0AGENT01", "text": text,
                                  "candidates": json.dumps(candidates), "policy_revision": "r1", "created_at": iso(at)})


def _insert(ledger: Ledger, table: str, row: dict) -> int:
    ledger._connection().execute("PRAGMA synchronous=OFF")  # test data: no fsync per row
    with ledger._transaction() as db:
        cursor = db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                            list(row.values()))
        return cursor.lastrowid


ADDRESS_CHANGE = [
    "customer wants to change the delivery address after the order shipped",
    "can we change the shipping address, the order already left the warehouse",
    "cx moved house and needs the package sent to a new address",
    "wrong delivery address on the order, customer wants to change it before it arrives",
    "customer asks to update the delivery address of an order that already shipped",
]
GIFT_CARD = [
    "gift card balance shows zero but they never used the gift card",
    "the gift card code is not working at checkout",
    "customer's gift card was rejected at checkout, says invalid code",
    "gift card won't apply to the order, balance is still there",
]
ONE_OFFS = [
    "the app crashes when I open my account",
    "customer asks whether we sell in Canada",
]


def seed_story(ledger: Ledger, *, now: datetime) -> tuple[datetime, datetime]:
    """The issue's known story over the 30 days before ``now``; returns that period.

    - leads approve 13 of 14 late-delivery goodwill credits between 15 and 30 USD (agent limit 15);
    - a damaged-item replacement wave: 42 this period, 14 the period before (owner: quality);
    - wrong-item: agents give a replacement in 18 of 20 cases on their own;
    - unmatched situations in two clusters (5 address changes, 4 gift cards) and two one-offs.
    """
    start, before = now - timedelta(days=30), now - timedelta(days=60)
    day = lambda base, n: base + timedelta(hours=n * 11 + 1)  # noqa: E731 -- spread rows over the period
    for n in range(14):
        add_escalation(ledger, at=day(start, n), playbook="late-delivery", action="goodwill_credit",
                       amount=16 + n, status="denied" if n == 5 else "approved", decided_after=timedelta(hours=3))
    for n in range(10):
        add_exception(ledger, at=day(before, n), playbook="late-delivery", action="goodwill_credit", amount=10)
    for n, action in enumerate(["refund_shipping"] * 5 + ["goodwill_credit"] * 4):
        add_exception(ledger, at=day(start, n), playbook="late-delivery", action=action, amount=10)
    for n in range(42):
        add_exception(ledger, at=day(start, n), playbook="damaged-item", action="replacement", amount=45,
                      situation=f"mug arrived broken, batch {n % 3}")
    for n in range(14):
        add_exception(ledger, at=day(before, n), playbook="damaged-item", action="replacement", amount=45)
    for base, refunds in ((start, 12), (before, 10)):
        for n in range(refunds):
            add_exception(ledger, at=day(base, n), playbook="damaged-item", action="refund", amount=20)
    for base, replacements in ((start, 18), (before, 12)):
        for n in range(replacements):
            add_exception(ledger, at=day(base, n), playbook="wrong-item", action="replacement", amount=30)
        for n in range(2):
            add_exception(ledger, at=day(base, n), playbook="wrong-item", action="refund_shipping", amount=8)
    for n, text in enumerate(ADDRESS_CHANGE + GIFT_CARD + ONE_OFFS):
        add_unmatched(ledger, at=day(start, n), text=text, closest="late-delivery" if text in ADDRESS_CHANGE else None)
    return start, now
