"""Writes: log an exception, ask a lead, approve or deny. Each re-decides inside the ledger's transaction.

Shared by the terminal chat and the Slack app so both doors enforce the same
rules at the moment of writing, whatever the agent saw a minute earlier.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bot.decision import Request, decide
from bot.errors import UserInputError
from bot.ledger import Ledger
from bot.models import PolicySet
from bot.records import ExceptionDraft, Recorded

MAX_CUSTOMER_REF = 80
MAX_NOTE = 1000


def make_draft(policy_set: PolicySet, *, user: str, playbook: str, action: str | None, amount: Decimal | None,
               currency: str | None, customer_ref: str | None, note: str | None = None,
               situation: str | None = None) -> ExceptionDraft:
    """Validate what a person entered; raise ``UserInputError`` (worded in ``bot.messages``) when it is unusable."""
    policy = policy_set.policy
    if playbook not in policy_set.playbooks:
        raise UserInputError("unknown_playbook", {"playbook": playbook})
    if not action or action not in policy.actions:
        raise UserInputError("invalid_action", {"action": action or ""})
    if amount is None or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise UserInputError("invalid_amount", {"amount": str(amount) if amount is not None else ""})
    if (currency or policy.currency) != policy.currency:
        raise UserInputError("currency_mismatch_input", {"currency": currency, "base": policy.currency})
    customer_ref = (customer_ref or "").strip() or None
    if customer_ref is not None and len(customer_ref) > MAX_CUSTOMER_REF:
        raise UserInputError("invalid_customer_ref", {"max": MAX_CUSTOMER_REF})
    if note is not None and len(note) > MAX_NOTE:
        raise UserInputError("note_too_long", {"max": MAX_NOTE})
    return ExceptionDraft(user=user, playbook=playbook, action=action, amount=amount, currency=policy.currency,
                          customer_ref=customer_ref, note=note, situation=situation, team=policy.team_of(user))


def _check(policy_set: PolicySet, draft: ExceptionDraft, role: str, now: datetime):
    request = Request(action=draft.action, amount=draft.amount, currency=draft.currency)
    return lambda history: decide(policy_set, draft.playbook, request, role=role, history=history, now=now)


def log_exception(ledger: Ledger, policy_set: PolicySet, draft: ExceptionDraft, *, role: str, key: str,
                  now: datetime) -> Recorded:
    return ledger.record_exception(draft, key=key, role=role, policy=policy_set.policy,
                                   check=_check(policy_set, draft, role, now), now=now)


def ask_a_lead(ledger: Ledger, policy_set: PolicySet, draft: ExceptionDraft, *, role: str, key: str, now: datetime,
               reply_channel: str | None = None, reply_thread_ts: str | None = None) -> Recorded:
    return ledger.request_escalation(draft, key=key, role=role, policy=policy_set.policy,
                                     check=_check(policy_set, draft, role, now), now=now,
                                     reply_channel=reply_channel, reply_thread_ts=reply_thread_ts)


def decide_escalation(ledger: Ledger, policy_set: PolicySet, escalation_id: int, *, approve: bool, by: str,
                      by_role: str, now: datetime, note: str | None = None) -> Recorded:
    """Approve or deny; the approver's role is checked against a decision made now, on current history."""

    def check(escalation, history):
        if escalation.playbook not in policy_set.playbooks:
            # the playbook was removed since: decide with what the escalation recorded, never allow more
            raise UserInputError("unknown_playbook", {"playbook": escalation.playbook})
        request = Request(action=escalation.action, amount=escalation.amount, currency=escalation.currency)
        return decide(policy_set, escalation.playbook, request, role=escalation.requester_role, history=history, now=now)

    return ledger.decide_escalation(escalation_id, approve=approve, by=by, by_role=by_role, policy=policy_set.policy,
                                    check=check, now=now, note=note)
