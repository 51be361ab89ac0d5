"""PURE: (policy set, playbook, request, role, history, now) -> Decision with reasons.

No clock, no environment, no database: everything arrives as arguments, so the
same call gives the same answer in the CLI, in Slack, in tests and when the
ledger re-checks a write inside its transaction.

The rules, in the words the reasons use:
- a role's limit for an action in a playbook is the tighter of the playbook's
  limit and the policy's hard cap; a role not named inherits the limit of the
  nearest lower role that is named, and a role with none named below it has 0;
- ``allowed``: the amount is within the asker's limit, their remaining daily and
  monthly budget, and the customer's frequency limits;
- ``needs_approval``: the lowest role whose limit covers the amount (and, when a
  frequency limit is reached, at least that limit's approver role) may approve;
- ``not_allowed``: no role may, per the files; the playbook says what to offer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.models import Playbook, Policy, PolicySet, cap_for, inherited

Verdict = Literal["allowed", "needs_approval", "not_allowed"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Request(Frozen):
    """What the agent wants to do: an action of the catalogue, an amount, a currency."""

    action: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


class Gesture(Frozen):
    """A gesture a customer already received (from the ledger)."""

    action: str
    amount: Decimal
    at: datetime


class History(Frozen):
    """What the ledger knows that limits apply to: the asker's own spending and the customer's gestures."""

    spent_today: Decimal = Decimal(0)
    spent_this_month: Decimal = Decimal(0)
    customer_known: bool = True
    customer_gestures: tuple[Gesture, ...] = ()


class Reason(Frozen):
    """One rule that shaped the decision, with the file that holds it. ``bot.messages`` words it."""

    code: str
    params: dict[str, str] = Field(default_factory=dict)
    source: str | None = None


class ActionLeeway(Frozen):
    action: str
    limit: Decimal
    playbook_limit: Decimal
    cap: Decimal | None
    next_role: str | None = Field(description="the lowest higher role with a larger limit, who can approve more")
    next_limit: Decimal | None = None


class Leeway(Frozen):
    """The asker's whole leeway in this playbook: every action's limit and what is left of the budget."""

    role: str
    currency: str
    actions: tuple[ActionLeeway, ...]
    daily_budget: Decimal | None
    monthly_budget: Decimal | None
    left_today: Decimal | None
    left_this_month: Decimal | None


class Decision(Frozen):
    verdict: Verdict | None
    playbook: str
    request: Request
    role: str
    approver_role: str | None = None
    limit: Decimal | None = None
    reasons: tuple[Reason, ...]
    leeway: Leeway
    policy_revision: str


def decide(policy_set: PolicySet, playbook_id: str, request: Request, *, role: str, history: History,
           now: datetime) -> Decision:
    """Decide one request. ``now`` must be timezone-aware; history is what the ledger says as of ``now``."""
    policy = policy_set.policy
    playbook = policy_set.playbooks[playbook_id]
    role = role if role in policy.role_ids else policy.people.default_role
    leeway = leeway_for(policy_set, playbook, role=role, history=history)
    verdict, approver, limit, reasons = _verdict(policy_set, playbook, request, role, history, now, leeway)
    return Decision(verdict=verdict, playbook=playbook.id, request=request, role=role, approver_role=approver,
                    limit=limit, reasons=tuple(reasons), leeway=leeway, policy_revision=policy_set.revision)


def effective_limit(policy: Policy, playbook: Playbook, action: str, role: str) -> Decimal:
    """The tighter of the playbook's limit and the policy cap, with inheritance from lower roles."""
    if action not in playbook.actions or action not in policy.actions:
        return Decimal(0)
    own = inherited(playbook.actions[action], policy.role_ids, role)
    cap = cap_for(policy, action, role)
    return own if cap is None else min(own, cap)


def leeway_for(policy_set: PolicySet, playbook: Playbook, *, role: str, history: History) -> Leeway:
    policy = policy_set.policy
    actions = []
    for action in playbook.actions:
        if action not in policy.actions:
            continue
        limit = effective_limit(policy, playbook, action, role)
        higher = [(r, effective_limit(policy, playbook, action, r)) for r in policy.role_ids[policy.rank(role) + 1:]]
        next_role = next(((r, lim) for r, lim in higher if lim > limit), (None, None))
        actions.append(ActionLeeway(action=action, limit=limit, playbook_limit=inherited(playbook.actions[action], policy.role_ids, role),
                                    cap=cap_for(policy, action, role), next_role=next_role[0], next_limit=next_role[1]))
    budget = policy.budgets.get(role)
    daily = budget.daily if budget else None
    monthly = budget.monthly if budget else None
    return Leeway(
        role=role, currency=policy.currency, actions=tuple(actions), daily_budget=daily, monthly_budget=monthly,
        left_today=None if daily is None else max(daily - history.spent_today, Decimal(0)),
        left_this_month=None if monthly is None else max(monthly - history.spent_this_month, Decimal(0)),
    )


def _verdict(policy_set, playbook, request, role, history, now, leeway):
    """(verdict, approver role, the asker's limit, reasons): the rules of the module docstring, in order."""
    policy = policy_set.policy
    where = _Sources(policy_set, playbook.id)
    if request.action is None:
        return None, None, None, [Reason(code="no_action")]
    if request.action not in policy.actions:
        return "not_allowed", None, None, [Reason(code="unknown_action", params={"action": request.action},
                                                  source=policy.sources.get("actions"))]
    if request.action not in playbook.actions:
        return "not_allowed", None, Decimal(0), [Reason(code="action_not_in_playbook", params={"action": request.action},
                                                        source=where.playbook_file)]
    limit = effective_limit(policy, playbook, request.action, role)
    if request.amount is None:
        return None, None, limit, [Reason(code="no_amount", params={"action": request.action, "limit": str(limit)})]
    if request.currency and request.currency != policy.currency:
        return None, None, limit, [Reason(code="currency_mismatch", params={"currency": request.currency, "base": policy.currency},
                                          source=policy.sources.get("currency"))]
    if request.amount < 0:
        return None, None, limit, [Reason(code="negative_amount")]
    return _decide_amount(policy_set, playbook, request, role, history, now, leeway, limit, where)


def _decide_amount(policy_set, playbook, request, role, history, now, leeway, limit, where):
    policy, action, amount = policy_set.policy, request.action, request.amount
    params = {"action": action, "amount": str(amount), "currency": policy.currency, "role": role}
    reasons = [_limit_reason(policy, playbook, action, role, where, params)]
    blockers: list[str] = []
    if amount > limit:
        blockers.append("limit")
        reasons.append(Reason(code="above_limit", params={**params, "limit": str(limit)}))
    reasons += _budget_reasons(leeway, amount, params, where.budget(role, policy), blockers)
    floor_role, frequency_reasons = _frequency(policy, action, history, now, params, blockers, where)
    reasons += frequency_reasons
    if not blockers:
        reasons.insert(0, Reason(code="allowed", params={**params, "limit": str(limit)}))
        return "allowed", None, limit, reasons
    if floor_role == "":
        return "not_allowed", None, limit, [Reason(code="not_allowed_frequency", params=params), *reasons]
    approver = _approver(policy, playbook, action, amount, role, floor_role, blockers)
    if approver is None:
        top = max((effective_limit(policy, playbook, action, r) for r in policy.role_ids), default=Decimal(0))
        return "not_allowed", None, limit, [Reason(code="not_allowed_above_all", params={**params, "top": str(top)}), *reasons]
    reasons.insert(0, Reason(code="needs_approval", params={**params, "approver": approver}))
    return "needs_approval", approver, limit, reasons


def _limit_reason(policy, playbook, action, role, where, params) -> Reason:
    own = inherited(playbook.actions[action], policy.role_ids, role)
    cap = cap_for(policy, action, role)
    if cap is not None and cap < own:
        return Reason(code="cap_applies", params={**params, "cap": str(cap), "playbook_limit": str(own)},
                      source=where.cap(action))
    return Reason(code="playbook_limit", params={**params, "limit": str(own)}, source=where.playbook_action(action))


def _budget_reasons(leeway: Leeway, amount: Decimal, params: dict, source: str | None, blockers: list[str]) -> list[Reason]:
    reasons = []
    for period, left, total in (("today", leeway.left_today, leeway.daily_budget),
                                ("month", leeway.left_this_month, leeway.monthly_budget)):
        if left is not None and amount > left:
            blockers.append("budget")
            reasons.append(Reason(code=f"budget_{period}", params={**params, "left": str(left), "budget": str(total)},
                                  source=source))
    return reasons


def _frequency(policy: Policy, action: str, history: History, now: datetime, params: dict, blockers: list[str],
               where: "_Sources"):
    """The role the frequency limits require at least ('' when no one may), and their reasons."""
    floor, reasons = None, []
    for rule in policy.frequency_limits:
        if action not in rule.actions:
            continue
        if not history.customer_known:
            reasons.append(Reason(code="customer_unknown", params={"rule": rule.id}, source=where.rule(rule.id)))
            continue
        since = now - timedelta(days=rule.days)
        used = sum(1 for g in history.customer_gestures if g.action in rule.actions and g.at > since)
        if used + 1 <= rule.max:
            continue
        blockers.append("frequency")
        rule_params = {**params, "rule": rule.id, "used": str(used), "max": str(rule.max), "days": str(rule.days),
                       "approver": rule.approver or ""}
        reasons.append(Reason(code="frequency_reached", params=rule_params, source=where.rule(rule.id)))
        if rule.approver is None:
            floor = ""
        elif floor != "":
            floor = rule.approver if floor is None else max(floor, rule.approver, key=policy.rank)
    return floor, reasons


def _approver(policy, playbook, action, amount, role, floor_role, blockers) -> str | None:
    """The lowest role above the asker whose limit covers the amount and who meets the frequency floor."""
    start = policy.rank(role) + 1
    if floor_role:
        start = max(start, policy.rank(floor_role))
    for candidate in policy.role_ids[start:]:
        if effective_limit(policy, playbook, action, candidate) >= amount:
            return candidate
    # No role above (the asker is the top role): a peer may approve what the asker's own limit covers,
    # or a manager past a frequency limit would get "not allowed" where an agent gets "needs approval".
    meets_floor = not floor_role or policy.rank(role) >= policy.rank(floor_role)
    return role if meets_floor and effective_limit(policy, playbook, action, role) >= amount else None


class _Sources:
    """Where each rule lives, as ``path:line`` when the loader recorded it."""

    def __init__(self, policy_set: PolicySet, playbook_id: str):
        self.locations = policy_set.locations
        self.playbook_file = policy_set.playbook_files.get(playbook_id)
        self.playbook_id = playbook_id

    def cap(self, action: str) -> str | None:
        return self.locations.get(f"caps/{action}")

    def budget(self, role: str, policy: Policy) -> str | None:
        """The asker's role's budget line, else the budgets section."""
        return self.locations.get(f"budgets/{role}") or policy.sources.get("budgets")

    def rule(self, rule_id: str) -> str | None:
        return self.locations.get(f"frequency_limits/{rule_id}")

    def playbook_action(self, action: str) -> str | None:
        return self.locations.get(f"playbooks/{self.playbook_id}/actions/{action}") or self.playbook_file
