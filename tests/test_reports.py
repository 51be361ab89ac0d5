"""Reports: the period's figures per playbook, action, agent and team, per currency; escalations; budgets; customers."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from report_story import add_escalation, add_exception

from bot.ledger import Ledger
from bot.report_rendering import report_csv, report_markdown
from bot.reports import Figure, build_report

D = Decimal
H = timedelta(hours=1)


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "ledger.db")


@pytest.fixture
def week(ledger, now):
    """Seven days of a small team's work, with rows just outside the period that must not count."""
    start = now - timedelta(days=7)
    add_exception(ledger, at=now - 50 * H, playbook="late-delivery", action="refund_shipping", amount="10", customer="C-1")
    add_exception(ledger, at=now - 40 * H, playbook="late-delivery", action="refund_shipping", amount="12.5", customer="C-1")
    add_exception(ledger, at=now - 30 * H, playbook="damaged-item", action="replacement", amount="40", customer="C-2")
    add_exception(ledger, at=now - 20 * H, playbook="damaged-item", action="goodwill_credit", amount="5", currency="EUR",
                  customer="C-1")
    add_exception(ledger, at=now - 10 * H, playbook="late-delivery", action="goodwill_credit", amount="30",
                  user="U0AGENT02", team="tier2")
    add_exception(ledger, at=start - H, playbook="late-delivery", action="refund", amount="1250", user="U0AGENT02",
                  team="tier2", customer="C-1")  # this month, not this week: counts for the budget only
    add_exception(ledger, at=now - timedelta(days=40), playbook="late-delivery", action="refund", amount="999")
    add_escalation(ledger, at=now - 60 * H, playbook="late-delivery", action="goodwill_credit", amount="20",
                   status="approved", decided_after=1 * H)
    add_escalation(ledger, at=now - 59 * H, playbook="late-delivery", action="goodwill_credit", amount="25",
                   status="approved", decided_after=3 * H)
    add_escalation(ledger, at=now - 58 * H, playbook="late-delivery", action="goodwill_credit", amount="70",
                   status="denied", decided_after=5 * H, user="U0AGENT02", team="tier2")
    add_escalation(ledger, at=now - 57 * H, playbook="late-delivery", action="goodwill_credit", amount="18",
                   status="withdrawn", decided_after=H)
    oldest = add_escalation(ledger, at=now - 48 * H, playbook="damaged-item", action="refund", amount="90", status="pending")
    add_escalation(ledger, at=now - 24 * H, playbook="damaged-item", action="refund", amount="95", status="pending")
    add_escalation(ledger, at=now - timedelta(days=9), playbook="damaged-item", action="refund", amount="95",
                   status="pending")
    return start, now, oldest


def figures(*rows) -> tuple[Figure, ...]:
    return tuple(Figure(key=k, currency=c, count=n, amount=D(a)) for k, c, n, a in rows)


def test_exceptions_are_counted_and_summed_per_group_and_currency(ledger, fixture_set, week):
    start, end, _ = week
    report = build_report(ledger, fixture_set, start=start, end=end)
    assert report.totals == figures(("", "USD", 6, "137.50"), ("", "EUR", 1, "5.00"))
    assert report.by_action == figures(("goodwill_credit", "USD", 3, "75.00"), ("refund_shipping", "USD", 2, "22.50"),
                                       ("goodwill_credit", "EUR", 1, "5.00"), ("replacement", "USD", 1, "40.00"))
    assert report.by_playbook == figures(("late-delivery", "USD", 5, "97.50"), ("damaged-item", "EUR", 1, "5.00"),
                                         ("damaged-item", "USD", 1, "40.00"))
    assert report.by_team == figures(("tier1", "USD", 5, "107.50"), ("tier1", "EUR", 1, "5.00"), ("tier2", "USD", 1, "30.00"))
    assert report.by_agent[0] == Figure(key="U0AGENT01", currency="USD", count=5, amount=D("107.50"))


def test_escalations_pending_decided_rate_and_waits(ledger, fixture_set, week):
    start, end, oldest = week
    escalations = build_report(ledger, fixture_set, start=start, end=end).escalations
    assert (escalations.pending, escalations.approved, escalations.denied, escalations.withdrawn) == (2, 2, 1, 1)
    assert escalations.approval_rate == pytest.approx(2 / 3)
    assert escalations.median_decision_seconds == pytest.approx(3 * 3600, abs=1)
    assert escalations.oldest_pending_id == oldest


def test_people_near_their_monthly_budget_count_the_whole_month_on_their_own_authority(ledger, fixture_set, week):
    start, end, _ = week
    (near,) = build_report(ledger, fixture_set, start=start, end=end).near_budget
    assert (near.user, near.name, near.role, near.spent, near.budget) == ("U0AGENT02", "Diego Díaz", "agent",
                                                                         D("1280.00"), D("1500"))


def test_customers_with_repeated_gestures_keep_currencies_apart(ledger, fixture_set, week):
    start, end, _ = week
    (customer,) = build_report(ledger, fixture_set, start=start, end=end).repeat_customers
    assert customer.customer_ref == "C-1" and customer.count == 3
    assert customer.actions == ("goodwill_credit", "refund_shipping")
    assert customer.amounts == (("EUR", D("5.00")), ("USD", D("22.50")))


def test_a_team_sees_only_its_own_rows(ledger, fixture_set, week):
    start, end, _ = week
    report = build_report(ledger, fixture_set, start=start, end=end, team="tier2")
    assert report.totals == figures(("", "USD", 1, "30.00"))
    assert (report.escalations.denied, report.escalations.approved, report.escalations.pending) == (1, 0, 0)
    assert [use.user for use in report.near_budget] == ["U0AGENT02"] and report.repeat_customers == ()


def test_an_empty_ledger_reports_zeros_and_no_rate(ledger, fixture_set, now):
    report = build_report(ledger, fixture_set, start=now - timedelta(days=7), end=now)
    assert report.totals == () and report.escalations.approval_rate is None
    assert report.headline("en")[0].endswith(": 0 exceptions, 0 USD.")


def test_headline_and_formats_in_both_languages(ledger, fixture_set, week):
    start, end, _ = week
    report = build_report(ledger, fixture_set, start=start, end=end)
    assert report.headline("en") == [
        "From 2026-11-16 15:30 to 2026-11-23 15:30 UTC: 7 exceptions, 137.50 USD + 5 EUR.",
        "Escalations: pending 2, approved 2, denied 1.", "Near their monthly budget: 1.",
        "Customers with 3 or more gestures: 1."]
    assert report.headline("es")[0] == "Del 2026-11-16 15:30 al 2026-11-23 15:30 UTC: 7 excepciones, 137,50 USD + 5 EUR."
    data = json.loads(json.dumps(report.as_dict()))
    assert data["totals"][0] == {"key": "", "currency": "USD", "count": 6, "amount": "137.50"}
    assert data["escalations"]["approval_rate"] == pytest.approx(2 / 3)
    assert "by_team,tier2,USD,1,30.00" in report_csv(report).splitlines()
    markdown = report_markdown(report, fixture_set, "es")
    assert "| Reposición sin costo | 1 | 40 USD |" in markdown and "## Por equipo" in markdown


def test_the_report_migration_adds_its_indexes_and_the_rematches_table(ledger):
    indexes = {row[0] for row in ledger.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"idx_exceptions_report", "idx_escalations_report", "idx_rematches_created_at"} <= indexes
    assert {"id", "key", "user", "offered", "chosen", "created_at"} == {c.name for c in ledger.db["rematches"].columns}


def test_the_period_scan_reads_the_covering_index_only(ledger):
    plan = " ".join(row[3] for row in ledger.db.execute(
        "EXPLAIN QUERY PLAN SELECT playbook, action, user, team, currency, COUNT(*), SUM(amount_cents) FROM exceptions "
        "WHERE created_at >= ? AND created_at < ? GROUP BY playbook, action, user, team, currency", ["a", "b"]))
    assert "COVERING INDEX idx_exceptions_report" in plan
