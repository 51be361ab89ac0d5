"""The ledger: atomic check-and-record, exactly once, approvals re-checked, nothing sensitive stored."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot import acting
from bot.errors import NotFound, Refused
from bot.ledger import Ledger
from bot.loading import load_policy_set
from bot.records import ExceptionDraft

D = Decimal
FIXTURES = Path(__file__).parent / "fixtures" / "valid"


def draft(amount, *, user="U0AGENT01", customer="C-1", action="refund_shipping", playbook="late-delivery", note=None):
    return ExceptionDraft(user=user, playbook=playbook, action=action, amount=D(str(amount)), currency="USD",
                          customer_ref=customer, note=note)


def log(ledger, policy_set, item, *, key, now, role="agent"):
    return acting.log_exception(ledger, policy_set, item, role=role, key=key, now=now)


def escalate(ledger, policy_set, item, *, key, now, role="agent"):
    return acting.ask_a_lead(ledger, policy_set, item, role=role, key=key, now=now)


def approve(ledger, policy_set, escalation_id, *, by, by_role, now, approve=True):
    return acting.decide_escalation(ledger, policy_set, escalation_id, approve=approve, by=by, by_role=by_role, now=now)


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "ledger.db")


def test_an_allowed_exception_is_recorded_with_its_revision(ledger, fixture_set, now):
    recorded = log(ledger, fixture_set, draft(12), key="k1", now=now)
    assert recorded.created and recorded.record.amount == D("12.00")
    assert recorded.record.policy_revision == fixture_set.revision and recorded.record.decision == "allowed"


def test_the_same_key_a_hundred_times_is_one_row(ledger, fixture_set, now):
    results = [log(ledger, fixture_set, draft(12), key="slack-event-1", now=now) for _ in range(100)]
    assert [r.created for r in results].count(True) == 1
    assert ledger.db["exceptions"].count == 1
    assert len({r.record.id for r in results}) == 1


def test_a_write_above_the_limit_is_refused_and_nothing_stored(ledger, fixture_set, now):
    with pytest.raises(Refused) as caught:
        log(ledger, fixture_set, draft(20), key="k", now=now)
    assert caught.value.code == "not_allowed_now"
    assert caught.value.params["decision"].verdict == "needs_approval"
    assert ledger.db["exceptions"].count == 0


def test_budget_counts_today_and_this_month_in_the_policy_time_zone(ledger, fixture_set):
    day1 = datetime(2026, 11, 23, 10, tzinfo=UTC)
    for i in range(12):  # 12 x 12 = 144 of the 150 daily budget
        log(ledger, fixture_set, draft(12, customer=f"C{i}"), key=f"a{i}", now=day1)
    history = ledger.history(user="U0AGENT01", customer_ref=None, policy=fixture_set.policy, now=day1)
    assert (history.spent_today, history.spent_this_month) == (D("144.00"), D("144.00"))
    with pytest.raises(Refused):
        log(ledger, fixture_set, draft(12, customer="C99"), key="over", now=day1)
    next_day = day1 + timedelta(days=1)
    assert log(ledger, fixture_set, draft(12, customer="C99"), key="next-day", now=next_day).created
    next_month = datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC)
    history = ledger.history(user="U0AGENT01", customer_ref=None, policy=fixture_set.policy, now=next_month)
    assert (history.spent_today, history.spent_this_month) == (D("0.00"), D("0.00"))


def test_budget_spending_is_counted_in_the_base_currency_only(ledger, fixture_set):
    """After a change of base currency, old amounts in the former one cannot be added to the new budget."""
    day = datetime(2026, 11, 23, 10, tzinfo=UTC)
    log(ledger, fixture_set, draft(12), key="usd", now=day)
    in_euros = fixture_set.policy.model_copy(update={"currency": "EUR"})
    history = ledger.history(user="U0AGENT01", customer_ref="C-1", policy=in_euros, now=day)
    assert (history.spent_today, history.spent_this_month) == (D("0"), D("0"))
    assert len(history.customer_gestures) == 1  # frequency limits count gestures, whatever their currency
    history = ledger.history(user="U0AGENT01", customer_ref=None, policy=fixture_set.policy, now=day)
    assert history.spent_today == D("12.00")


def test_the_customer_frequency_limit_is_enforced_at_write_time(ledger, fixture_set, now):
    goodwill = dict(action="goodwill_credit", playbook="damaged-item", customer="C-7")
    assert log(ledger, fixture_set, draft(5, **goodwill), key="g1", now=now).created
    with pytest.raises(Refused) as caught:
        log(ledger, fixture_set, draft(5, **goodwill), key="g2", now=now + timedelta(days=10))
    assert caught.value.params["decision"].approver_role == "lead"
    assert log(ledger, fixture_set, draft(5, **goodwill), key="g3", now=now + timedelta(days=91)).created


def test_an_escalation_is_approved_once_by_a_qualified_other_person(ledger, fixture_set, now):
    pending = escalate(ledger, fixture_set, draft(25), key="e1", now=now).record
    assert (pending.status, pending.approver_role) == ("pending", "senior")
    with pytest.raises(Refused) as own:
        approve(ledger, fixture_set, pending.id, by="U0AGENT01", by_role="agent", now=now)
    assert own.value.code == "self_approval"
    with pytest.raises(Refused) as low:
        approve(ledger, fixture_set, pending.id, by="U0AGENT02", by_role="agent", now=now)
    assert low.value.code == "approver_role_too_low"
    done = approve(ledger, fixture_set, pending.id, by="U0SENIOR01", by_role="senior", now=now).record
    assert (done.status, done.decided_by) == ("approved", "U0SENIOR01")
    with pytest.raises(Refused) as again:
        approve(ledger, fixture_set, pending.id, by="U0LEAD01", by_role="lead", now=now)
    assert again.value.code == "already_decided"
    rows = list(ledger.db["exceptions"].rows)
    assert len(rows) == 1 and rows[0]["decision"] == "approved" and rows[0]["approved_by"] == "U0SENIOR01"


def test_an_approved_escalation_does_not_use_the_agents_budget(ledger, fixture_set, now):
    pending = escalate(ledger, fixture_set, draft(25), key="e1", now=now).record
    approve(ledger, fixture_set, pending.id, by="U0SENIOR01", by_role="senior", now=now)
    history = ledger.history(user="U0AGENT01", customer_ref="C-1", policy=fixture_set.policy, now=now)
    assert history.spent_today == D(0) and len(history.customer_gestures) == 1


def test_a_not_allowed_request_cannot_be_escalated(ledger, fixture_set, now):
    with pytest.raises(Refused):
        escalate(ledger, fixture_set, draft(500), key="e", now=now)
    assert ledger.db["escalations"].count == 0


def test_an_old_escalation_expires_instead_of_being_approved(ledger, fixture_set, now):
    pending = escalate(ledger, fixture_set, draft(25), key="e1", now=now).record
    with pytest.raises(Refused) as caught:
        approve(ledger, fixture_set, pending.id, by="U0LEAD01", by_role="lead", now=now + timedelta(days=4))
    assert caught.value.code == "escalation_expired"
    assert ledger.escalation(pending.id).status == "expired"


def test_deny_and_unknown_escalations(ledger, fixture_set, now):
    pending = escalate(ledger, fixture_set, draft(25), key="e1", now=now).record
    denied = approve(ledger, fixture_set, pending.id, by="U0LEAD01", by_role="lead", now=now, approve=False).record
    assert denied.status == "denied" and ledger.db["exceptions"].count == 0
    with pytest.raises(NotFound):
        approve(ledger, fixture_set, 999, by="U0LEAD01", by_role="lead", now=now)


def test_free_text_is_redacted_before_storage(ledger, fixture_set, now):
    note = "card 4111 1111 1111 1111 cvv 123, mail ana@example.com"
    log(ledger, fixture_set, draft(12, note=note), key="k", now=now)
    stored = next(ledger.db["exceptions"].rows)["note"]
    assert "4111 1111 1111 1111" not in stored and "ana@example.com" not in stored and "1111" in stored
    ledger.record_unmatched("cliente 4111-1111-1111-1111 quiere algo raro", key="u", user="U1", candidates=[],
                            revision="r", now=now)
    assert "4111-1111-1111-1111" not in next(ledger.db["unmatched"].rows)["text"]


def _spend(path: str, worker: int, attempts: int, results) -> None:
    policy_set = load_policy_set(FIXTURES / "playbooks", FIXTURES / "policies")
    ledger = Ledger(path)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    for attempt in range(attempts):
        item = draft(12, customer=f"W{worker}-{attempt}")
        try:
            log(ledger, policy_set, item, key=f"w{worker}-{attempt}", now=now)
            results.put("ok")
        except Refused:
            results.put("refused")
        except Exception as error:  # anything else (e.g. "database is locked") fails the test
            results.put(f"error: {error}")


def test_concurrent_processes_never_overspend_one_budget(tmp_path):
    path = str(tmp_path / "ledger.db")
    Ledger(path).close()  # no connection to this file may cross the fork: a child closing it drops its locks
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_spend, args=(path, w, 8, results)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = [results.get(timeout=5) for _ in range(32)]
    assert not [o for o in outcomes if o.startswith("error")]
    assert outcomes.count("ok") == 12  # 12 x 12 USD fits the 150 USD daily budget; the 13th would not
    total = Ledger(path).db.execute("SELECT SUM(amount_cents) FROM exceptions").fetchone()[0]
    assert total == 144_00


def test_migrations_run_once(tmp_path):
    Ledger(tmp_path / "l.db")
    again = Ledger(tmp_path / "l.db")
    from bot.ledger_schema import MIGRATIONS

    assert [row["name"] for row in again.db.query("SELECT name FROM leeway_migrations")] == [n for n, _ in MIGRATIONS]
