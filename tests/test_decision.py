"""Decision tables: every rule, its verdict, its approver and its reason codes.

The fixture set (tests/fixtures/valid) has late-delivery refund_shipping {agent: 15, senior: 30}
under caps {agent: 20, senior: 40, lead: 100}, and damaged-item goodwill_credit {agent: 10, lead: 50}
under caps {agent: 20, senior: 50, lead: 150}; budgets agent 150/day 1500/month.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.decision import Gesture, History, Request, decide, effective_limit

D = Decimal


def ask(policy_set, now, playbook, action, amount, *, role="agent", currency="USD", history=None):
    request = Request(action=action, amount=None if amount is None else D(str(amount)),
                      currency=currency if amount is not None else None)
    return decide(policy_set, playbook, request, role=role, history=history or History(), now=now)


TABLE = [
    # playbook, action, amount, role -> verdict, approver, first reason code
    ("late-delivery", "refund_shipping", 12, "agent", "allowed", None, "allowed"),
    ("late-delivery", "refund_shipping", 15, "agent", "allowed", None, "allowed"),
    ("late-delivery", "refund_shipping", "15.01", "agent", "needs_approval", "senior", "needs_approval"),
    ("late-delivery", "refund_shipping", 30, "agent", "needs_approval", "senior", "needs_approval"),
    ("late-delivery", "refund_shipping", 30, "senior", "allowed", None, "allowed"),
    ("late-delivery", "refund_shipping", 31, "agent", "not_allowed", None, "not_allowed_above_all"),
    ("late-delivery", "refund_shipping", 31, "manager", "not_allowed", None, "not_allowed_above_all"),
    ("late-delivery", "goodwill_credit", 5, "agent", "not_allowed", None, "action_not_in_playbook"),
    ("late-delivery", "teleport", 5, "agent", "not_allowed", None, "unknown_action"),
    ("late-delivery", None, None, "agent", None, None, "no_action"),
    ("late-delivery", "refund_shipping", None, "agent", None, None, "no_amount"),
    ("damaged-item", "goodwill_credit", 10, "agent", "allowed", None, "allowed"),
    # senior is not named: inherits the agent's 10 (playbook), so a lead is needed for 11
    ("damaged-item", "goodwill_credit", 11, "senior", "needs_approval", "lead", "needs_approval"),
    ("damaged-item", "goodwill_credit", 50, "agent", "needs_approval", "lead", "needs_approval"),
    ("damaged-item", "replacement", 150, "agent", "needs_approval", "senior", "needs_approval"),
    ("damaged-item", "replacement", 400, "agent", "needs_approval", "lead", "needs_approval"),
    ("damaged-item", "replacement", 401, "agent", "not_allowed", None, "not_allowed_above_all"),
]


@pytest.mark.parametrize("playbook, action, amount, role, verdict, approver, first", TABLE)
def test_decision_table(fixture_set, now, playbook, action, amount, role, verdict, approver, first):
    decision = ask(fixture_set, now, playbook, action, amount, role=role)
    assert (decision.verdict, decision.approver_role, decision.reasons[0].code) == (verdict, approver, first)


def test_the_policy_cap_wins_over_a_looser_playbook(fixture_set, now):
    """Validation refuses such files, but a decision must hold even on a set built another way (e.g. replay)."""
    caps = {**fixture_set.policy.caps, "refund_shipping": {"agent": D(10), "senior": D(40)}}
    policy_set = fixture_set.model_copy(update={"policy": fixture_set.policy.model_copy(update={"caps": caps})})
    decision = ask(policy_set, now, "late-delivery", "refund_shipping", 12)
    assert decision.verdict == "needs_approval"
    cap = next(r for r in decision.reasons if r.code == "cap_applies")
    assert cap.params["cap"] == "10" and cap.params["playbook_limit"] == "15"
    assert cap.source.endswith("policies/authority.yaml:11")


def test_a_currency_mismatch_is_never_converted(fixture_set, now):
    decision = ask(fixture_set, now, "late-delivery", "refund_shipping", 12, currency="EUR")
    assert decision.verdict is None
    assert decision.reasons[0].code == "currency_mismatch"
    assert decision.reasons[0].params == {"currency": "EUR", "base": "USD"}


def test_the_daily_budget_applies_on_top_of_the_limit(fixture_set, now):
    spent = History(spent_today=D("140"), spent_this_month=D("140"))
    decision = ask(fixture_set, now, "late-delivery", "refund_shipping", 12, history=spent)
    assert decision.verdict == "needs_approval" and decision.approver_role == "senior"
    assert [r.code for r in decision.reasons if r.code.startswith("budget")] == ["budget_today"]
    assert decision.leeway.left_today == D("10")
    assert ask(fixture_set, now, "late-delivery", "refund_shipping", 10, history=spent).verdict == "allowed"


def test_the_monthly_budget_applies_too(fixture_set, now):
    spent = History(spent_today=D("0"), spent_this_month=D("1495"))
    decision = ask(fixture_set, now, "late-delivery", "refund_shipping", 12, history=spent)
    assert [r.code for r in decision.reasons if r.code.startswith("budget")] == ["budget_month"]
    assert decision.leeway.left_this_month == D("5")


def test_a_budget_reason_cites_the_askers_budget_line(fixture_set, now):
    spent = History(spent_today=D("140"), spent_this_month=D("140"))
    decision = ask(fixture_set, now, "late-delivery", "refund_shipping", 12, history=spent)
    budget = next(r for r in decision.reasons if r.code == "budget_today")
    assert budget.source == fixture_set.locations["budgets/agent"] != fixture_set.policy.sources["budgets"]


def gestures(*ages_in_days, action="goodwill_credit", now):
    return tuple(Gesture(action=action, amount=D(5), at=now - timedelta(days=age)) for age in ages_in_days)


def test_a_frequency_limit_needs_its_approver(fixture_set, now):
    # goodwill-per-quarter: at most 1 per customer in 90 days, approver lead
    history = History(customer_gestures=gestures(30, now=now))
    decision = ask(fixture_set, now, "damaged-item", "goodwill_credit", 5, history=history)
    assert (decision.verdict, decision.approver_role) == ("needs_approval", "lead")
    reason = next(r for r in decision.reasons if r.code == "frequency_reached")
    assert reason.params["rule"] == "goodwill-per-quarter" and reason.params["used"] == "1"
    assert reason.source.endswith("policies/authority.yaml:29")


def test_gestures_outside_the_window_do_not_count(fixture_set, now):
    history = History(customer_gestures=gestures(91, 200, now=now))
    assert ask(fixture_set, now, "damaged-item", "goodwill_credit", 5, history=history).verdict == "allowed"


def test_a_frequency_limit_without_approver_means_no_one_may(fixture_set, now):
    from bot.models import FrequencyLimit

    policy = fixture_set.policy.model_copy(update={"frequency_limits": [
        FrequencyLimit(id="once", actions=["goodwill_credit"], max=1, days=30)]})
    strict = fixture_set.model_copy(update={"policy": policy})
    history = History(customer_gestures=gestures(3, now=now))
    decision = ask(strict, now, "damaged-item", "goodwill_credit", 5, role="manager", history=history)
    assert decision.verdict == "not_allowed" and decision.reasons[0].code == "not_allowed_frequency"


def test_an_unknown_customer_skips_frequency_but_says_so(fixture_set, now):
    decision = ask(fixture_set, now, "damaged-item", "goodwill_credit", 5, history=History(customer_known=False))
    assert decision.verdict == "allowed"
    assert "customer_unknown" in [r.code for r in decision.reasons]


def test_the_leeway_lists_every_action_with_the_next_role(fixture_set, now):
    leeway = ask(fixture_set, now, "damaged-item", None, None).leeway
    by_action = {a.action: a for a in leeway.actions}
    assert by_action["replacement"].limit == D(60) and by_action["replacement"].next_role == "senior"
    assert by_action["goodwill_credit"].limit == D(10) and by_action["goodwill_credit"].next_role == "lead"
    assert (leeway.daily_budget, leeway.monthly_budget) == (D(150), D(1500))


def test_an_unknown_role_is_treated_as_the_default_role(fixture_set, now):
    assert ask(fixture_set, now, "late-delivery", "refund_shipping", 20, role="wizard").approver_role == "senior"


@pytest.mark.parametrize("role", ["agent", "senior", "lead", "manager"])
def test_effective_limit_never_exceeds_the_cap(fixture_set, role):
    policy = fixture_set.policy
    for playbook in fixture_set.playbooks.values():
        for action in playbook.actions:
            cap = policy.caps[action]
            assert effective_limit(policy, playbook, action, role) <= max(cap.values())


def test_decision_module_does_no_io():
    """decision.py is pure: it imports no clock, environment, file, network or database module."""
    tree = ast.parse(Path("bot/decision.py").read_text() if Path("bot/decision.py").exists()
                     else (Path(__file__).parent.parent / "bot/decision.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"os", "time", "sqlite3", "sqlite_utils", "socket", "subprocess", "pathlib", "requests", "slack_sdk", "slack_bolt"}
    assert "now()" not in Path(__file__).parent.parent.joinpath("bot/decision.py").read_text()
