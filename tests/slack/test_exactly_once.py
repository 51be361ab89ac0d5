"""Exactly once over real HTTP: Slack's retries across a restart, and two leads clicking Approve together.

A restart is a new app and server on the same ledger file, as after a deploy or
a crash: what protects against a second reply must be in the file, not in memory.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot import acting
from bot.ledger import Ledger
from bot.slack.state import CLAIM_LEASE, SlackState
from conftest import serve

PURPLE = {"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "5.0",
          "text": "<@U0BOT> my cat is purple"}  # no playbook fits: the one ledger row is the gap it records
LEADS = ("U0LEAD01", "U0LEAD02")  # two leads (teams tier1 and tier2); either may approve what a senior could


def _retry(number: int) -> dict:
    return {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"} if number else {}


def _ledger_rows(path) -> dict[str, int]:
    ledger = Ledger(path)
    return {table: ledger.db[table].count for table in ("exceptions", "escalations", "unmatched", "refusals")}


def test_an_event_delivered_four_times_across_restarts_is_answered_once(tmp_path, standin, sample_store):
    for delivery in range(4):  # the original, then retries 1..3, each to a freshly started app
        running = serve(tmp_path, standin, sample_store)
        slack = next(running)
        assert slack.event(PURPLE, event_id="EvONCE", headers=_retry(delivery)) == 200
        if delivery == 0:
            standin.wait_for("chat.postMessage")
        time.sleep(0.3)  # long enough for a second reply to show up, if there were one
        next(running, None)  # stop this "process"
    assert len(standin.of("chat.postMessage")) == 1
    assert _ledger_rows(tmp_path / "ledger.db") == {"exceptions": 0, "escalations": 0, "unmatched": 1, "refusals": 0}
    answered = Ledger(tmp_path / "ledger.db").db.execute("SELECT answered_at FROM slack_events").fetchall()
    assert len(answered) == 1 and answered[0][0]  # marked answered: no later retry can take it over


@pytest.mark.parametrize(("claimed_ago", "answered_by_the_retry"), [
    (CLAIM_LEASE + timedelta(seconds=20), True),  # the process died between claiming and replying
    (timedelta(seconds=5), False),  # the first handler may still be at work
])
def test_a_claim_left_unanswered_is_taken_over_by_a_retry_after_the_lease(tmp_path, standin, sample_store,
                                                                            claimed_ago, answered_by_the_retry):
    SlackState(Ledger(tmp_path / "ledger.db")).claim("EvKILLED", now=datetime.now(UTC) - claimed_ago)
    running = serve(tmp_path, standin, sample_store)
    slack = next(running)
    for delivery in (1, 2):  # Slack's retries after about 1 and 5 minutes
        assert slack.event(PURPLE, event_id="EvKILLED", headers=_retry(delivery)) == 200
        if answered_by_the_retry and delivery == 1:
            standin.wait_for("chat.postMessage")
        time.sleep(0.3)
    assert len(standin.of("chat.postMessage")) == int(answered_by_the_retry)
    assert _ledger_rows(tmp_path / "ledger.db")["unmatched"] == int(answered_by_the_retry)
    next(running, None)


def test_claims_in_a_ledger_from_before_the_lease_stay_closed(tmp_path):
    ledger = Ledger(tmp_path / "ledger.db")
    ledger.db.execute("CREATE TABLE slack_events (event_id TEXT PRIMARY KEY, created_at TEXT NOT NULL)")
    ledger.db.execute("INSERT INTO slack_events VALUES ('EvOLD', '2026-01-01T00:00:00.000000Z')")
    state = SlackState(ledger)
    assert not state.claim("EvOLD", now=datetime.now(UTC))
    assert state.claim("EvNEW", now=datetime.now(UTC))
    SlackState(Ledger(tmp_path / "ledger.db"))  # a second process opening the same file


def test_deliveries_racing_on_two_running_apps_are_answered_once(tmp_path, standin, sample_store):
    """A retry can arrive while the original is still being handled, on the old or the new process."""
    old, new = serve(tmp_path, standin, sample_store), serve(tmp_path, standin, sample_store)
    apps = [next(old), next(new)]
    start = threading.Barrier(4)

    def deliver(number: int) -> None:
        start.wait(5)
        assert apps[number % 2].event(PURPLE, event_id="EvRACE", headers=_retry(number)) == 200

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    standin.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(standin.of("chat.postMessage")) == 1
    assert _ledger_rows(tmp_path / "ledger.db")["unmatched"] == 1
    for running in (old, new):
        next(running, None)


def _escalations(slack, policy_set, count: int) -> list[int]:
    ids = []
    for n in range(count):
        draft = acting.make_draft(policy_set, user="U0AGENT01", playbook="late-delivery", action="refund_shipping",
                                  amount=Decimal(30), currency="USD", customer_ref=f"ORD-{n}")
        record = acting.ask_a_lead(slack.ledger, policy_set, draft, role="agent", key=f"race-{n}",
                                   now=datetime.now(UTC)).record
        slack.ledger.set_escalation_message(record.id, channel="C0LEADS01", ts=f"1700000000.{n:06d}")
        ids.append(record.id)
    return ids


def test_two_leads_clicking_approve_at_once_make_one_approval(slack, sample_store):
    rounds = 5
    ids = _escalations(slack, sample_store.current(), rounds)
    for escalation_id in ids:
        start = threading.Barrier(len(LEADS))
        button = {"action_id": "leeway_approve", "value": str(escalation_id)}

        def click(lead: str) -> None:
            start.wait(5)
            assert slack.click(button, user=lead) == 200

        threads = [threading.Thread(target=click, args=(lead,)) for lead in LEADS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    updates = slack.standin.wait_for("chat.update", rounds)
    refusals = slack.standin.wait_for("respond", rounds)
    time.sleep(0.3)
    assert len(slack.standin.of("chat.update")) == rounds == len(updates)
    assert len(slack.standin.of("respond")) == rounds == len(refusals)
    assert all("already" in r.params["text"] for r in refusals)
    assert len(slack.standin.of("chat.postMessage")) == rounds  # each agent told once
    for escalation_id in ids:
        escalation = slack.ledger.escalation(escalation_id)
        assert escalation.status == "approved" and escalation.decided_by in LEADS
    exceptions = slack.ledger.exceptions(limit=100)
    assert sorted(e.escalation_id for e in exceptions) == sorted(ids)
    kinds = [row["kind"] for row in slack.ledger.db.query("SELECT kind FROM refusals")]
    assert kinds == ["already_decided"] * rounds
