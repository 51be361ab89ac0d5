"""What-if replay: exactly the cases a proposed edit changes, with their new verdict and the rule responsible.

The sample set has late-delivery refund_shipping {agent: 20, senior: 40, lead: 60} and goodwill_credit
{agent: 15, senior: 30, lead: 60} under caps refund_shipping {agent: 20, senior: 40, lead: 100, manager: 200};
refunds-per-month allows 2 refunds of a customer in 30 days, then a lead may approve one more.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot import acting
from bot.cli import main
from bot.ledger import Ledger
from bot.loading import load_policy_set
from bot.replay import replay

REPO = Path(__file__).parent.parent
SHIPPING_LINE = "  refund_shipping: {agent: 20, senior: 40, lead: 60}\n"
SHIPPING_CAP = "  refund_shipping:    {agent: 20, senior: 40,  lead: 100, manager: 200}\n"


@pytest.fixture
def moment() -> datetime:
    """Cases are seeded a few days before the real clock, so ``leeway replay --since 30d`` finds them."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def seeded(tmp_path, sample_set, moment):
    """A ledger written through the public API under the sample files: {name: (type, id)} of each case."""
    ledger = Ledger(tmp_path / "ledger.db")
    cases = {}

    def log(name, user, action, amount, customer, days_ago):
        draft = acting.make_draft(sample_set, user=user, playbook="late-delivery", action=action,
                                  amount=Decimal(amount), currency="USD", customer_ref=customer)
        recorded = acting.log_exception(ledger, sample_set, draft, role="agent", key=name,
                                        now=moment - timedelta(days=days_ago))
        cases[name] = ("exception", recorded.record.id)

    def ask(name, user, amount, customer, days_ago):
        draft = acting.make_draft(sample_set, user=user, playbook="late-delivery", action="refund_shipping",
                                  amount=Decimal(amount), currency="USD", customer_ref=customer)
        recorded = acting.ask_a_lead(ledger, sample_set, draft, role="agent", key=name,
                                     now=moment - timedelta(days=days_ago))
        cases[name] = ("escalation", recorded.record.id)

    log("long-ago-19", "U0AGENT01", "refund_shipping", "19", "C-0", 40)  # outside the 30 days replayed
    log("first-refund-12", "U0AGENT01", "refund_shipping", "12", "C-1", 5)
    log("second-refund-10", "U0AGENT01", "refund_shipping", "10", "C-1", 4)  # same customer: 2 of 2 allowed
    log("refund-18", "U0AGENT02", "refund_shipping", "18", "C-2", 4)
    log("credit-10", "U0AGENT01", "goodwill_credit", "10", "C-3", 3)
    ask("ask-35", "U0AGENT01", "35", "C-4", 2)  # needs a senior
    ask("ask-50", "U0AGENT02", "50", "C-5", 2)  # needs a lead
    return ledger, cases


def proposed(tmp_path: Path, edits: dict[str, tuple[str, str]]):
    """A copy of the sample files with ``{relative path: (old text, new text)}`` edits, loaded.

    Only the playbook the cases use is copied (loading all sixteen takes a second each time).
    """
    target = tmp_path / "proposed"
    (target / "playbooks").mkdir(parents=True)
    shutil.copy(REPO / "playbooks" / "late-delivery.yaml", target / "playbooks")
    shutil.copytree(REPO / "policies", target / "policies")
    for relative, (old, new) in edits.items():
        path = target / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{relative}: the edit no longer applies; update the test"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return load_policy_set(target / "playbooks", target / "policies")


def outcome(report, cases):
    """{case name: (change kind, new verdict, new approver)} of every change the replay lists."""
    names = {value: name for name, value in cases.items()}
    return {names[(c.case.kind, c.case.id)]: (c.kind, c.verdict, c.approver_role) for c in report.changes}


def run(ledger, policy_set, moment):
    return replay(ledger, policy_set, since=moment - timedelta(days=30), until=moment)


def test_the_unchanged_files_change_nothing(seeded, sample_set, moment):
    ledger, _ = seeded
    report = run(ledger, sample_set, moment)
    assert (report.cases, report.changes) == (6, ())  # the case 40 days ago is outside the period


def test_tighter_limits_list_exactly_the_cases_they_change(seeded, tmp_path, moment):
    ledger, cases = seeded
    tighter = proposed(tmp_path, {"playbooks/late-delivery.yaml": (
        SHIPPING_LINE, "  refund_shipping: {agent: 15, senior: 40, lead: 45}\n")})
    report = run(ledger, tighter, moment)
    assert outcome(report, cases) == {
        "refund-18": ("now_needs_approval", "needs_approval", "senior"),
        "ask-50": ("now_not_allowed", "not_allowed", None),
    }
    change = next(c for c in report.changes if c.kind == "now_needs_approval")
    assert [(r.code, r.source.endswith("late-delivery.yaml:93")) for r in change.causes] == \
        [("needs_approval", True), ("above_limit", True)]
    assert (change.case.user, change.case.amount, change.case.verdict) == ("U0AGENT02", Decimal("18.00"), "allowed")


def test_looser_limits_make_an_escalation_allowed(seeded, tmp_path, moment):
    ledger, cases = seeded
    looser = proposed(tmp_path, {
        "playbooks/late-delivery.yaml": (SHIPPING_LINE, "  refund_shipping: {agent: 40, senior: 40, lead: 60}\n"),
        "policies/authority.yaml": (
            SHIPPING_CAP, "  refund_shipping:    {agent: 40, senior: 40,  lead: 100, manager: 200}\n"),
    })
    assert outcome(run(ledger, looser, moment), cases) == {"ask-35": ("now_allowed", "allowed", None)}


def test_a_lower_senior_limit_changes_who_approves(seeded, tmp_path, moment):
    ledger, cases = seeded
    lower = proposed(tmp_path, {"playbooks/late-delivery.yaml": (
        SHIPPING_LINE, "  refund_shipping: {agent: 20, senior: 30, lead: 60}\n")})
    report = run(ledger, lower, moment)
    assert outcome(report, cases) == {"ask-35": ("approver_changed", "needs_approval", "lead")}
    assert report.changes[0].case.approver_role == "senior"
    first = report.changes[0].causes[0]
    assert (first.code, first.params["approver"]) == ("needs_approval", "lead")
    assert first.source.endswith("late-delivery.yaml:93")


def test_history_is_the_ledger_as_it_was_just_before_each_case(seeded, tmp_path, moment):
    """With one refund a month, only the customer's second refund changes: the first had no history yet."""
    ledger, cases = seeded
    stricter = proposed(tmp_path, {"policies/authority.yaml": (
        "  - id: refunds-per-month\n    actions: [refund, price_adjustment, refund_shipping]\n    max: 2\n",
        "  - id: refunds-per-month\n    actions: [refund, price_adjustment, refund_shipping]\n    max: 1\n")})
    report = run(ledger, stricter, moment)
    assert outcome(report, cases) == {"second-refund-10": ("now_needs_approval", "needs_approval", "lead")}
    assert [r.code for r in report.changes[0].causes] == ["needs_approval", "frequency_reached"]
    cause = report.changes[0].causes[1]
    assert (cause.params["rule"], cause.params["used"]) == ("refunds-per-month", "1")
    assert "policies/authority.yaml:" in cause.source


def test_a_removed_action_is_reported_as_gone(seeded, tmp_path, moment):
    ledger, cases = seeded
    without_credit = proposed(tmp_path, {"playbooks/late-delivery.yaml": (
        "  goodwill_credit: {agent: 15, senior: 30, lead: 60}\n", "")})
    report = run(ledger, without_credit, moment)
    assert outcome(report, cases) == {"credit-10": ("gone", None, None)}
    assert report.changes[0].missing == "action"


def test_the_command_lists_the_changes_as_json_and_words_them(seeded, tmp_path, capsys):
    ledger, cases = seeded
    proposed(tmp_path, {"playbooks/late-delivery.yaml": (
        SHIPPING_LINE, "  refund_shipping: {agent: 15, senior: 40, lead: 45}\n")})
    folders = ["--db", str(ledger.path), "--playbooks", str(tmp_path / "proposed" / "playbooks"),
               "--policies", str(tmp_path / "proposed" / "policies")]
    assert main(["replay", *folders, "--since", "30d", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["cases"], found["changed"]) == (6, 2)
    assert found["counts"]["now_needs_approval"] == 1 and found["counts"]["now_not_allowed"] == 1
    moved = {(c["case"]["type"], c["case"]["id"]): c["kind"] for c in found["changes"]}
    assert moved == {cases["refund-18"]: "now_needs_approval", cases["ask-50"]: "now_not_allowed"}
    assert "late-delivery.yaml:93" in json.dumps(found)

    assert main(["replay", *folders, "--format", "md", "--lang", "es"]) == 0
    markdown = capsys.readouterr().out
    assert "### Ahora necesita a un líder (1)" in markdown and "### Ahora no permitido (1)" in markdown
    assert f"excepción #{cases['refund-18'][1]}" in markdown and "18 USD" in markdown

    assert main(["replay", *folders]) == 0
    table = capsys.readouterr().out
    assert "Now needs a lead (1)" in table and "would change" in table and "U0AGENT02" in table


def test_a_removed_playbook_is_reported_for_each_of_its_cases(seeded, tmp_path, moment):
    ledger, cases = seeded
    target = tmp_path / "other"
    (target / "playbooks").mkdir(parents=True)
    shutil.copy(REPO / "playbooks" / "damaged-item.yaml", target / "playbooks")
    shutil.copytree(REPO / "policies", target / "policies")
    report = run(ledger, load_policy_set(target / "playbooks", target / "policies"), moment)
    assert {change.missing for change in report.changes} == {"playbook"}
    assert set(outcome(report, cases)) == set(cases) - {"long-ago-19"}
