"""What-if replay: re-decide the logged cases under a proposed set of files and list what would change.

A policy owner edits a limit or a cap and wants to see the effect before it goes
live. Each exception logged on an agent's own authority and each escalation
asked in the period is decided again with ``bot.decision.decide`` under the
proposed files, for the requester's role as recorded and with the history the
ledger held just before the case (the spending and the customer's gestures
before it, not after), and compared with what was recorded then.

Exceptions approved through an escalation are not cases of their own: the
escalation that asked for them is. Nothing here prints or words anything;
``bot.messages`` does.

>>> sorted(KINDS)[:2]
['approver_changed', 'gone']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.decision import Decision, Reason, Request, Verdict, decide
from bot.ledger import Ledger
from bot.models import PolicySet, cap_for, inherited
from bot.records import Escalation, ExceptionRecord

ChangeKind = Literal["now_allowed", "now_needs_approval", "now_not_allowed", "approver_changed", "gone", "undecided"]
KINDS: tuple[ChangeKind, ...] = ("now_needs_approval", "now_not_allowed", "now_allowed", "approver_changed", "gone",
                                 "undecided")
EVERY_ROW = 2**62  # the ledger's readers take a limit; a replay wants every case of the period
JUST_BEFORE = timedelta(microseconds=1)  # the ledger stores microseconds: the case's own row is not its history
BLOCKERS = ("above_limit", "budget_today", "budget_month", "frequency_reached")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Case(Frozen):
    """One logged case as it was recorded: who asked what, and the outcome the files of the day gave."""

    kind: Literal["exception", "escalation"]
    id: int
    at: datetime
    user: str
    role: str
    playbook: str
    action: str
    amount: Decimal
    currency: str
    customer_ref: str | None
    verdict: Verdict | None
    approver_role: str | None
    policy_revision: str


class Change(Frozen):
    """A case whose outcome differs under the proposed files, and the rules now responsible (``path:line``)."""

    case: Case
    kind: ChangeKind
    verdict: Verdict | None = None
    approver_role: str | None = None
    missing: Literal["playbook", "action"] | None = None
    causes: tuple[Reason, ...] = ()


class Replay(Frozen):
    """The outcome of a replay: how many cases were decided again, and the ones that would change."""

    revision: str
    since: datetime | None
    until: datetime
    cases: int
    changes: tuple[Change, ...]

    def by_kind(self) -> dict[ChangeKind, list[Change]]:
        """Changes grouped in the order a policy owner reads them: tighter first, then looser, then the rest."""
        groups: dict[ChangeKind, list[Change]] = {}
        for kind in KINDS:
            found = [change for change in self.changes if change.kind == kind]
            if found:
                groups[kind] = found
        return groups


def replay(ledger: Ledger, proposed: PolicySet, *, since: datetime | None, until: datetime) -> Replay:
    """Decide again every case logged in ``[since, until]`` under ``proposed``; keep the ones that change."""
    cases = logged_cases(ledger, since=since, until=until)
    changes = [change for case in cases if (change := replay_case(ledger, proposed, case)) is not None]
    return Replay(revision=proposed.revision, since=since, until=until, cases=len(cases), changes=tuple(changes))


def logged_cases(ledger: Ledger, *, since: datetime | None, until: datetime) -> list[Case]:
    """Exceptions used on the agent's own authority and escalations asked, oldest first."""
    exceptions = [_exception_case(row) for row in ledger.exceptions(since=since, limit=EVERY_ROW)
                  if row.escalation_id is None]
    escalations = [_escalation_case(row) for row in ledger.escalations(since=since, limit=EVERY_ROW)]
    return sorted((case for case in [*exceptions, *escalations] if case.at <= until),
                  key=lambda case: (case.at, case.kind, case.id))


def replay_case(ledger: Ledger, proposed: PolicySet, case: Case) -> Change | None:
    """The change for one case, or None when the proposed files decide it as the recorded ones did."""
    missing = _missing(proposed, case)
    if missing:
        return Change(case=case, kind="gone", missing=missing)
    decision = decide_again(ledger, proposed, case)
    kind = change_kind(case, decision)
    if kind is None:
        return None
    return Change(case=case, kind=kind, verdict=decision.verdict, approver_role=decision.approver_role,
                  causes=causes(decision, proposed))


def decide_again(ledger: Ledger, proposed: PolicySet, case: Case) -> Decision:
    """The proposed files' decision for the case, on the history the ledger held just before it."""
    history = ledger.history(user=case.user, customer_ref=case.customer_ref, policy=proposed.policy,
                             now=case.at - JUST_BEFORE)
    request = Request(action=case.action, amount=case.amount, currency=case.currency)
    return decide(proposed, case.playbook, request, role=case.role, history=history, now=case.at)


def change_kind(case: Case, decision: Decision) -> ChangeKind | None:
    """How the outcome moved, in the words of the report; None when it did not.

    >>> from bot.decision import Leeway
    >>> def outcome(verdict, approver=None):
    ...     leeway = Leeway(role="agent", currency="USD", actions=(), daily_budget=None, monthly_budget=None,
    ...                     left_today=None, left_this_month=None)
    ...     return Decision(verdict=verdict, playbook="p", request=Request(), role="agent", approver_role=approver,
    ...                     reasons=(), leeway=leeway, policy_revision="r")
    >>> was = Case(kind="escalation", id=1, at=datetime(2026, 11, 1).astimezone(), user="U1", role="agent",
    ...            playbook="p", action="refund", amount=Decimal(30), currency="USD", customer_ref=None,
    ...            verdict="needs_approval", approver_role="senior", policy_revision="r0")
    >>> [change_kind(was, outcome(v, a)) for v, a in
    ...  [("needs_approval", "senior"), ("needs_approval", "lead"), ("allowed", None), ("not_allowed", None)]]
    [None, 'approver_changed', 'now_allowed', 'now_not_allowed']
    """
    if decision.verdict == case.verdict:
        same_approver = decision.verdict != "needs_approval" or decision.approver_role == case.approver_role
        return None if same_approver else "approver_changed"
    if decision.verdict is None:
        return "undecided"
    return {"allowed": "now_allowed", "needs_approval": "now_needs_approval",
            "not_allowed": "now_not_allowed"}[decision.verdict]


def causes(decision: Decision, policy_set: PolicySet) -> tuple[Reason, ...]:
    """The rules that now settle the case, each citing its file and line.

    The verdict's own reason first (within the limit, who may approve, no one may),
    citing the limit that decides it, then what blocks the asker: their limit, a
    budget, a customer's frequency limit.
    """
    if decision.verdict is None or not decision.reasons:
        return tuple(decision.reasons)
    first, policy = decision.reasons[0], policy_set.policy
    deciding_role = {"allowed": decision.role, "needs_approval": decision.approver_role,
                     "not_allowed_above_all": policy.role_ids[-1]}.get(first.code)
    found = [first.model_copy(update={"source": _limit_source(policy_set, decision, deciding_role)})
             if deciding_role else first]
    for reason in decision.reasons[1:]:
        if reason.code == "above_limit":
            found.append(reason.model_copy(update={"source": _limit_source(policy_set, decision, decision.role)}))
        elif reason.code in BLOCKERS:
            found.append(reason)
    return tuple(found)


def _limit_source(policy_set: PolicySet, decision: Decision, role: str) -> str | None:
    """Where ``role``'s limit for the decision's action lives: the policy cap when it binds, else the playbook."""
    policy, action = policy_set.policy, decision.request.action
    own = inherited(policy_set.playbooks[decision.playbook].actions[action], policy.role_ids, role)
    cap = cap_for(policy, action, role)
    if cap is not None and cap < own:
        return policy_set.locations.get(f"caps/{action}")
    return (policy_set.locations.get(f"playbooks/{decision.playbook}/actions/{action}")
            or policy_set.playbook_files.get(decision.playbook))


def _missing(proposed: PolicySet, case: Case) -> Literal["playbook", "action"] | None:
    playbook = proposed.playbooks.get(case.playbook)
    if playbook is None:
        return "playbook"
    if case.action not in playbook.actions or case.action not in proposed.policy.actions:
        return "action"
    return None


def _exception_case(record: ExceptionRecord) -> Case:
    return Case(kind="exception", id=record.id, at=record.created_at, user=record.user, role=record.role,
                playbook=record.playbook, action=record.action, amount=record.amount, currency=record.currency,
                customer_ref=record.customer_ref, verdict="allowed", approver_role=None,
                policy_revision=record.policy_revision)


def _escalation_case(record: Escalation) -> Case:
    recorded = _recorded_verdict(record.decision_json)
    return Case(kind="escalation", id=record.id, at=record.created_at, user=record.requested_by,
                role=record.requester_role, playbook=record.playbook, action=record.action, amount=record.amount,
                currency=record.currency, customer_ref=record.customer_ref, verdict=recorded,
                approver_role=record.approver_role if recorded == "needs_approval" else None,
                policy_revision=record.policy_revision)


def _recorded_verdict(decision_json: str) -> Verdict | None:
    """The verdict that sent the case to a lead (normally needs_approval), as stored with the escalation.

    >>> _recorded_verdict('{"verdict": "needs_approval"}'), _recorded_verdict("not json")
    ('needs_approval', 'needs_approval')
    """
    try:
        return json.loads(decision_json).get("verdict")
    except (ValueError, AttributeError):
        return "needs_approval"  # an escalation exists because someone had to approve it


def counts(changes: Iterable[Change]) -> dict[str, int]:
    """How many changes of each kind, every kind present (0 when none), for summaries and JSON."""
    found = {kind: 0 for kind in KINDS}
    for change in changes:
        found[change.kind] += 1
    return found
