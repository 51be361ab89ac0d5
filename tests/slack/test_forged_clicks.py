"""Forged or late Approve/Deny clicks over real HTTP: each is refused, explained, recorded, and changes nothing.

A button carries only the escalation id; who may decide comes from the policy
files and is re-checked in the ledger's transaction. So whatever a click claims,
the only effect of a bad one is a row in ``refusals`` and a polite ephemeral.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot import acting
from standin import buttons


def escalate(slack, *, amount="30", playbook="late-delivery", action="refund_shipping", ago=timedelta(0)) -> int:
    policy_set = slack.policy_set
    slack.n = getattr(slack, "n", 0) + 1
    draft = acting.make_draft(policy_set, user="U0AGENT01", playbook=playbook, action=action, amount=Decimal(amount),
                              currency="USD", customer_ref=f"FORGED-{slack.n}")
    record = acting.ask_a_lead(slack.ledger, policy_set, draft, role="agent", key=f"forged-{slack.n}",
                               now=datetime.now(UTC) - ago).record
    slack.ledger.set_escalation_message(record.id, channel="C0LEADS01", ts=f"1700000000.{slack.n:06d}")
    return record.id


def _decided(approve: bool):
    def setup(slack):
        escalation_id = escalate(slack)
        acting.decide_escalation(slack.ledger, slack.policy_set, escalation_id, approve=approve, by="U0MANAGER01",
                                 by_role="manager", now=datetime.now(UTC))
        return escalation_id, str(escalation_id)
    return setup


def _withdrawn(slack):
    escalation_id = escalate(slack)
    slack.ledger.withdraw_escalation(escalation_id, by="U0AGENT01", now=datetime.now(UTC))
    return escalation_id, str(escalation_id)


def _pending(**kw):
    def setup(slack):
        escalation_id = escalate(slack, **kw)
        return escalation_id, str(escalation_id)
    return setup


def _tampered(value):
    def setup(slack):
        escalation_id = escalate(slack)
        return escalation_id, value
    return setup


CASES = [  # (name, setup -> (escalation id, button value), clicker, refusal kind, words in the reply)
    ("the requester approves their own", _pending(), "U0AGENT01", "self_approval", "can't decide your own"),
    ("an agent approves", _pending(), "U0AGENT02", "approver_role_too_low", "can't approve"),
    ("someone not in the files approves", _pending(), "U0STRANGER", "approver_role_too_low", "can't approve"),
    ("a lead approves what needs a manager", _pending(amount="600", playbook="double-charge", action="refund"),
     "U0LEAD01", "approver_role_too_low", "needs Support manager"),
    ("already approved", _decided(True), "U0LEAD01", "already_decided", "already approved by Mar Manager"),
    ("already denied", _decided(False), "U0LEAD01", "already_decided", "already denied by Mar Manager"),
    ("withdrawn by the agent", _withdrawn, "U0LEAD01", "already_decided", "already withdrawn"),
    ("expired", _pending(ago=timedelta(days=4)), "U0LEAD01", "escalation_expired", "expired before anyone decided"),
    ("value of an escalation that does not exist", _tampered("999999"), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("value with SQL in it", _tampered("1 OR 1=1"), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("negative value", _tampered("-1"), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("a digit int() does not read", _tampered("²"), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("value past SQLite's integers", _tampered("9" * 30), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("empty value", _tampered(""), "U0LEAD01", "escalation_not_found", "no escalation"),
    ("JSON value", _tampered(json.dumps({"e": 1, "approve": True})), "U0LEAD01", "escalation_not_found", "no escalation"),
]


def snapshot(slack) -> dict:
    db = slack.ledger.db
    return {
        "escalations": [tuple(r) for r in db.execute("SELECT id, status, decided_by FROM escalations ORDER BY id")],
        "exceptions": db.execute("SELECT COUNT(*) FROM exceptions").fetchone()[0],
        "refusals": [tuple(r) for r in db.execute("SELECT user, kind FROM refusals ORDER BY id")],
        "slack": [c.method for c in slack.standin.calls],
    }


def _settle(slack, before_calls: int) -> list:
    """Wait for the one ephemeral reply, then a moment more for anything else the click would cause."""
    slack.standin.wait_for("respond", len([c for c in slack.standin.calls[:before_calls] if c.method == "respond"]) + 1)
    time.sleep(0.2)
    return slack.standin.calls[before_calls:]


@pytest.mark.parametrize("name, setup, clicker, kind, words", CASES, ids=[c[0] for c in CASES])
def test_a_forged_click_changes_nothing_and_is_recorded(shared, sample_store, name, setup, clicker, kind, words):
    slack = shared
    slack.policy_set = sample_store.current()
    escalation_id, value = setup(slack)
    before = snapshot(slack)
    assert slack.click({"action_id": "leeway_approve", "value": value}, user=clicker) == 200
    calls = _settle(slack, len(before["slack"]))
    after = snapshot(slack)
    assert [c.method for c in calls] == ["respond"]  # no update of the leads' post, no message to the agent
    reply = calls[0].params
    assert reply["response_type"] == "ephemeral" and words in reply["text"]
    assert after["refusals"] == before["refusals"] + [(clicker, kind)]
    assert after["exceptions"] == before["exceptions"]
    expected = before["escalations"]
    if kind == "escalation_expired":  # the only change: a stale escalation is marked as what it is
        expected = [(i, "expired" if i == escalation_id else s, d) for i, s, d in expected]
    assert after["escalations"] == expected


def test_a_forged_deny_submission_changes_nothing(shared, sample_store):
    """The Deny modal's private metadata names the escalation; an agent submitting it is refused the same way."""
    slack = shared
    slack.policy_set = sample_store.current()
    escalation_id = escalate(slack)
    before = snapshot(slack)
    view = {"callback_id": "leeway_deny_modal", "private_metadata": json.dumps({"e": escalation_id})}
    assert slack.submit(view, {"reason": "forged"}, user="U0AGENT02", view_id="VFORGED") == 200
    time.sleep(0.3)
    after = snapshot(slack)
    assert after["escalations"] == before["escalations"] and after["exceptions"] == before["exceptions"]
    assert after["refusals"] == before["refusals"] + [("U0AGENT02", "approver_role_too_low")]
    assert after["slack"] == before["slack"]


AGENT_VALUES = [  # an agent's own question, with a value no button of ours carries
    ({"p": {}}, "can't find"),  # not text: would not even hash
    ({"p": ["late-delivery"]}, "can't find"),
    ({"p": "<!channel> gone"}, "There's no playbook “&lt;!channel&gt; gone”"),
    ({"q": "99999999999999999999999"}, "can't find"),  # past SQLite's integers
    ({"q": float("inf")}, "can't find"),
]


@pytest.mark.parametrize("change, words", AGENT_VALUES, ids=[json.dumps(c[0]) for c in AGENT_VALUES])
def test_a_forged_agent_button_is_answered_politely_and_writes_nothing(shared, change, words):
    slack = shared
    answered = len(slack.standin.of("respond"))
    slack.command("package arrived 5 days late, customer wants 10 USD shipping refund")
    reply = slack.standin.wait_for("respond", answered + 1)[-1].params
    value = {**json.loads(buttons(reply["blocks"])["leeway_log"]["value"]), **change}
    before = snapshot(slack)
    assert slack.click({"action_id": "leeway_log", "value": json.dumps(value)}, user="U0AGENT01") == 200
    calls = _settle(slack, len(before["slack"]))
    assert [c.method for c in calls] == ["respond"]  # no modal, nothing to the leads
    assert words in calls[0].params["text"] and "<!channel>" not in calls[0].params["text"]
    assert snapshot(slack) == {**before, "slack": before["slack"] + ["respond"]}
