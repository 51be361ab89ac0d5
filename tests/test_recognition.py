"""Great calls: who may mark one, once per exception, and one share with the team."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.acting import log_exception, make_draft
from bot.errors import NotFound, Refused
from bot.ledger import Ledger
from bot.messages import refusal_text
from bot.recognition import Recognition, may_recognise


@pytest.fixture
def logged(tmp_path, fixture_set, now):
    ledger = Ledger(tmp_path / "l.db")
    draft = make_draft(fixture_set, user="U0AGENT01", playbook="late-delivery", action="refund_shipping",
                       amount=Decimal("10"), currency="USD", customer_ref="ORD-1")
    record = log_exception(ledger, fixture_set, draft, role="agent", key="k1", now=now).record
    return Recognition(ledger), record


@pytest.mark.parametrize("user, allowed", [
    ("U0AGENT01", False), ("U0SENIOR01", False), ("U0LEAD01", True), ("U0MANAGER01", True), ("U0UNKNOWN", False)])
def test_leads_and_above_may_recognise(fixture_set, user, allowed):
    assert may_recognise(fixture_set.policy, user) is allowed


def test_a_lead_marks_once_and_a_second_click_changes_nothing(logged, fixture_set, now):
    recognition, record = logged
    first, created = recognition.mark(fixture_set.policy, exception_id=record.id, by="U0LEAD01", now=now)
    again, created_again = recognition.mark(fixture_set.policy, exception_id=record.id, by="U0MANAGER01", now=now)
    assert created and not created_again and again == first
    assert (first.agent, first.team, first.marked_by) == ("U0AGENT01", "tier1", "U0LEAD01")
    assert recognition.marked([record.id, 999]) == {record.id}
    assert [g.id for g in recognition.between(start=now, end=now.replace(hour=23), team="tier1")] == [first.id]
    assert recognition.between(start=now, end=now.replace(hour=23), team="tier2") == []


@pytest.mark.parametrize("by, exception_id, code, english", [
    ("U0AGENT02", 1, "great_call_not_allowed", "Only a Team lead or above can mark"),
    ("U0LEAD01", 42, "exception_not_found", "There's no exception #42"),
])
def test_refusals_say_why(logged, fixture_set, now, by, exception_id, code, english):
    recognition, _ = logged
    with pytest.raises((Refused, NotFound)) as caught:
        recognition.mark(fixture_set.policy, exception_id=exception_id, by=by, now=now)
    assert caught.value.code == code
    assert english in refusal_text(caught.value, "en", fixture_set)
    assert refusal_text(caught.value, "es", fixture_set) != refusal_text(caught.value, "en", fixture_set)


def test_no_one_marks_their_own_exception(tmp_path, fixture_set, now):
    ledger = Ledger(tmp_path / "l.db")
    draft = make_draft(fixture_set, user="U0LEAD01", playbook="late-delivery", action="refund_shipping",
                       amount=Decimal("10"), currency="USD", customer_ref=None)
    record = log_exception(ledger, fixture_set, draft, role="lead", key="own", now=now).record
    with pytest.raises(Refused) as caught:
        Recognition(ledger).mark(fixture_set.policy, exception_id=record.id, by="U0LEAD01", now=now)
    assert caught.value.code == "great_call_own"


def test_a_great_call_is_shared_once_and_a_failed_post_can_be_retried(logged, fixture_set, now):
    recognition, record = logged
    great, _ = recognition.mark(fixture_set.policy, exception_id=record.id, by="U0LEAD01", now=now)
    recognition.claim_share(fixture_set.policy, great.id, by="U0LEAD01", channel="C0TEAM", now=now)
    recognition.shared(great.id, ts=None)  # the post failed: released
    claimed = recognition.claim_share(fixture_set.policy, great.id, by="U0LEAD01", channel="C0TEAM", now=now)
    recognition.shared(great.id, ts="1.2")
    assert claimed.shared_channel == "C0TEAM" and recognition.great_call(great.id).shared_ts == "1.2"
    with pytest.raises(Refused) as caught:
        recognition.claim_share(fixture_set.policy, great.id, by="U0LEAD01", channel="C0TEAM", now=now)
    assert caught.value.code == "great_call_already_shared"
    with pytest.raises(Refused):
        recognition.claim_share(fixture_set.policy, great.id, by="U0AGENT02", channel="C0TEAM", now=now)


def test_the_table_survives_reopening(logged, fixture_set, now):
    recognition, record = logged
    recognition.mark(fixture_set.policy, exception_id=record.id, by="U0LEAD01", now=now)
    again = Recognition(Ledger(recognition.ledger.path))
    assert again.marked([record.id]) == {record.id}
