"""Ledger rows -> the figures a lead reads for a period: what was granted, what was asked, who is near a limit.

Each figure is one SQL aggregate over the period, answered from the covering
indexes of migration ``0003_report_indexes`` (a 30-day window of a million-row
ledger in well under a second: ``benchmarks/report_1m.py``). Amounts are never
converted between currencies: every sum is grouped by currency and says which.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.ledger import Ledger, from_cents, iso, parse_iso
from bot.models import PolicySet

NEAR_BUDGET_SHARE = Decimal("0.8")
"""An agent who has used 80% of a monthly budget will likely run out before the month ends: worth a lead's look."""
REPEAT_CUSTOMER_MIN = 3
"""Three gestures for one customer in one period is beyond any frequency limit the sample policy allows."""
REPEAT_CUSTOMERS_SHOWN = 10
STATUSES = ("pending", "approved", "denied", "withdrawn", "expired")
"""Every status an escalation can have, in the order reports show them (the fields of ``EscalationFigures``)."""


@dataclass(frozen=True)
class Figure:
    """Exceptions of one group (a playbook, an action, an agent, a team) in one currency."""

    key: str
    currency: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class EscalationFigures:
    """Escalations asked in the period, by what became of them."""

    pending: int = 0
    approved: int = 0
    denied: int = 0
    withdrawn: int = 0
    expired: int = 0
    median_decision_seconds: float | None = None
    oldest_pending_id: int | None = None
    oldest_pending_at: datetime | None = None

    @property
    def approval_rate(self) -> float | None:
        """Approved out of decided; None when nothing was decided (no rate rather than a made-up 0%)."""
        decided = self.approved + self.denied
        return None if decided == 0 else self.approved / decided


@dataclass(frozen=True)
class BudgetUse:
    """One person's spending this month against their role's monthly budget."""

    user: str
    name: str | None
    role: str
    spent: Decimal
    budget: Decimal
    currency: str

    @property
    def share(self) -> Decimal:
        return self.spent / self.budget if self.budget else Decimal(1)


@dataclass(frozen=True)
class RepeatCustomer:
    customer_ref: str
    count: int
    actions: tuple[str, ...]
    amounts: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Report:
    """Everything ``leeway report`` shows for ``[start, end)``, optionally for one team."""

    start: datetime
    end: datetime
    team: str | None
    base_currency: str
    totals: tuple[Figure, ...]
    by_playbook: tuple[Figure, ...]
    by_action: tuple[Figure, ...]
    by_agent: tuple[Figure, ...]
    by_team: tuple[Figure, ...]
    escalations: EscalationFigures
    near_budget: tuple[BudgetUse, ...]
    repeat_customers: tuple[RepeatCustomer, ...]
    insights: tuple = field(default=())

    def headline(self, lang: str | None) -> list[str]:
        """A few short lines for a Slack digest."""
        from bot.report_rendering import headline_lines

        return headline_lines(self, lang)

    def as_dict(self, lang: str | None = "en") -> dict:
        """Plain JSON-ready data: amounts as strings (exact), times as ISO text, insights worded in ``lang``."""
        data = asdict(self)
        data["escalations"]["approval_rate"] = self.escalations.approval_rate
        data["insights"] = [insight.as_dict(lang) for insight in self.insights]
        return _plain(data)


def build_report(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime, team: str | None = None,
                 with_insights: bool = False, encoder=None) -> Report:
    """The figures for ``[start, end)``; ``team`` narrows them to one team (insights stay organisation-wide).

    ``encoder`` (the matcher's) groups unmatched situations for the insights; None means the bundled one.
    """
    db = ledger.db
    groups = _exception_groups(db, start=start, end=end, team=team)
    insights = ()
    if with_insights:
        from bot.insights import find_insights

        insights = tuple(find_insights(ledger, policy_set, start=start, end=end, encoder=encoder))
    return Report(
        start=start, end=end, team=team, base_currency=policy_set.policy.currency,
        totals=_sum_by(groups, lambda g: ""), by_playbook=_sum_by(groups, lambda g: g[0]),
        by_action=_sum_by(groups, lambda g: g[1]), by_agent=_sum_by(groups, lambda g: g[2]),
        by_team=_sum_by(groups, lambda g: g[3] or ""),
        escalations=_escalation_figures(db, start=start, end=end, team=team),
        near_budget=_near_budget(db, policy_set, end=end, team=team),
        repeat_customers=_repeat_customers(db, start=start, end=end, team=team),
        insights=insights,
    )


# ---------------------------------------------------------------- queries


def _where(*, start: datetime, end: datetime, team: str | None, extra: str = "") -> tuple[str, list]:
    """The period (and team) filter every query shares; ``created_at`` first, so the covering index is used."""
    sql, params = "created_at >= ? AND created_at < ?", [iso(start), iso(end)]
    if team is not None:
        sql, params = sql + " AND team = ?", [*params, team]
    return sql + extra, params


def _exception_groups(db, *, start, end, team) -> list[tuple]:
    """One scan of the period: (playbook, action, user, team, currency, count, cents) per group."""
    where, params = _where(start=start, end=end, team=team)
    return db.execute(
        f"SELECT playbook, action, user, team, currency, COUNT(*), SUM(amount_cents) FROM exceptions "
        f"INDEXED BY idx_exceptions_report WHERE {where} GROUP BY playbook, action, user, team, currency",
        params).fetchall()


def _sum_by(groups: list[tuple], key) -> tuple[Figure, ...]:
    """Fold the fine groups into one dimension, per currency; largest count first, then by name."""
    counts: dict[tuple[str, str], list[int]] = {}
    for group in groups:
        slot = counts.setdefault((key(group), group[4]), [0, 0])
        slot[0] += group[5]
        slot[1] += group[6]
    figures = [Figure(key=k, currency=c, count=n, amount=from_cents(cents)) for (k, c), (n, cents) in counts.items()]
    return tuple(sorted(figures, key=lambda f: (-f.count, f.key, f.currency)))


def _escalation_figures(db, *, start, end, team) -> EscalationFigures:
    where, params = _where(start=start, end=end, team=team)
    index = "INDEXED BY idx_escalations_report"
    statuses = dict(db.execute(f"SELECT status, COUNT(*) FROM escalations {index} WHERE {where} GROUP BY status",
                               params).fetchall())
    waits = [row[0] for row in db.execute(
        f"SELECT (julianday(decided_at) - julianday(created_at)) * 86400 FROM escalations {index} "
        f"WHERE {where} AND status IN ('approved', 'denied') AND decided_at IS NOT NULL", params)]
    oldest = db.execute(f"SELECT id, created_at FROM escalations {index} WHERE {where} AND status = 'pending' "
                        f"ORDER BY created_at LIMIT 1", params).fetchone()
    return EscalationFigures(
        **{status: statuses.get(status, 0) for status in STATUSES},
        median_decision_seconds=statistics.median(waits) if waits else None,
        oldest_pending_id=oldest[0] if oldest else None, oldest_pending_at=parse_iso(oldest[1]) if oldest else None)


def _near_budget(db, policy_set: PolicySet, *, end: datetime, team) -> tuple[BudgetUse, ...]:
    """People whose own spending this month (of ``end``, policy time zone) is near their monthly budget."""
    policy = policy_set.policy
    local_end = end.astimezone(ZoneInfo(policy.timezone))
    month_start = local_end.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    where, params = _where(start=month_start, end=end, team=team,
                           extra=" AND decision = 'allowed' AND currency = ?")
    rows = db.execute(f"SELECT user, SUM(amount_cents) FROM exceptions INDEXED BY idx_exceptions_report "
                      f"WHERE {where} GROUP BY user", [*params, policy.currency]).fetchall()
    found = []
    for user, cents in rows:  # the role as people.yaml says today (the stored role is not in the covering index)
        person = policy.people.users.get(user)
        role = policy.role_of(user)
        budget = policy.budgets.get(role)
        spent = from_cents(cents)
        if budget and budget.monthly and spent >= budget.monthly * NEAR_BUDGET_SHARE:
            found.append(BudgetUse(user=user, name=person.name if person else None, role=role, spent=spent,
                                   budget=budget.monthly, currency=policy.currency))
    return tuple(sorted(found, key=lambda b: (-b.share, b.user)))


def _repeat_customers(db, *, start, end, team) -> tuple[RepeatCustomer, ...]:
    """Customers who got several gestures in the period, most first."""
    where, params = _where(start=start, end=end, team=team, extra=" AND customer_ref IS NOT NULL")
    top = db.execute(
        f"SELECT customer_ref, COUNT(*) AS n FROM exceptions INDEXED BY idx_exceptions_report WHERE {where} "
        f"GROUP BY customer_ref HAVING n >= ? ORDER BY n DESC, customer_ref LIMIT ?",
        [*params, REPEAT_CUSTOMER_MIN, REPEAT_CUSTOMERS_SHOWN]).fetchall()
    found = []
    for customer, count in top:
        detail = db.execute(f"SELECT action, currency, SUM(amount_cents) FROM exceptions WHERE customer_ref = ? AND "
                            f"{where} GROUP BY action, currency ORDER BY action", [customer, *params]).fetchall()
        amounts: dict[str, int] = {}
        for _, currency, cents in detail:
            amounts[currency] = amounts.get(currency, 0) + cents
        found.append(RepeatCustomer(customer_ref=customer, count=count, actions=tuple(sorted({r[0] for r in detail})),
                                    amounts=tuple((c, from_cents(v)) for c, v in sorted(amounts.items()))))
    return tuple(found)


def _plain(value):
    """JSON-ready: Decimal as exact text, datetimes as ISO, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return iso(value)
    return value
