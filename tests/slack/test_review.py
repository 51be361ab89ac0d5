"""The lead's review loop through real HTTP: /leeway review, Approve from it, great calls, sharing; and rematches."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.acting import ask_a_lead, log_exception, make_draft
from standin import accessories, buttons, text_of

LATE = "package arrived 5 days late, customer wants 10 USD shipping refund"


def seed(slack, policy_set, *, user, amount, key, escalate=False, note=None, situation=LATE):
    draft = make_draft(policy_set, user=user, playbook="late-delivery", action="refund_shipping", amount=Decimal(amount),
                       currency="USD", customer_ref=f"ORD-{key}", note=note, situation=situation)
    write = ask_a_lead if escalate else log_exception
    return write(slack.ledger, policy_set, draft, role=policy_set.policy.role_of(user), key=key,
                 now=datetime.now(UTC)).record


@pytest.fixture
def seeded(slack, sample_set):
    ana = seed(slack, sample_set, user="U0AGENT01", amount="10", key="a", note="<!channel> vip")
    other_team = seed(slack, sample_set, user="U0LEAD02", amount="12", key="b")
    pending = seed(slack, sample_set, user="U0AGENT02", amount="30", key="c", escalate=True)
    return slack, ana, other_team, pending


def review(slack, *, user, word="review"):
    slack.command(word, user=user)
    return slack.standin.wait_for("respond")[-1].params


@pytest.mark.parametrize("word, expected", [("review", "for a Team lead or above"), ("revisar", "Líder de equipo")])
def test_an_agent_gets_a_polite_leads_only(slack, word, expected):
    reply = review(slack, user="U0AGENT01", word=word)
    assert reply["response_type"] == "ephemeral" and expected in reply["text"]
    assert not reply.get("blocks")


def test_a_lead_sees_their_team_privately(seeded):
    slack, ana, other_team, pending = seeded
    reply = review(slack, user="U0LEAD01")
    assert reply["response_type"] == "ephemeral"
    body = text_of(reply["blocks"])
    assert reply["blocks"][0]["type"] == "header" and "tier1" in body
    assert f"#{ana.id}" in body and f"#{other_team.id}" not in body  # tier2's exception is not this lead's team
    assert buttons(reply["blocks"])["leeway_approve"]["value"] == str(pending.id)
    great = accessories(reply["blocks"])
    assert [json.loads(b["value"])["id"] for b in great] == [ana.id]
    assert "<!channel>" not in body and len(reply["blocks"]) <= 50


def test_revisar_answers_in_spanish(seeded):
    slack, *_ = seeded
    body = text_of(review(slack, user="U0LEAD01", word="revisar")["blocks"])
    assert "Solicitudes pendientes" in body and "Gran decisión" in body and "Pending" not in body


def test_approve_from_the_review_reuses_the_lead_flow(seeded):
    slack, _, _, pending = seeded
    reply = review(slack, user="U0LEAD01")
    slack.click(buttons(reply["blocks"])["leeway_approve"], user="U0LEAD01",
                container={"type": "message", "is_ephemeral": True, "message_ts": "1.1"})
    deadline = time.monotonic() + 5
    while slack.ledger.escalation(pending.id).status == "pending" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert slack.ledger.escalation(pending.id).status == "approved"
    told = slack.standin.wait_for("chat.postMessage")[-1].params
    assert told["channel"] == "DU0AGENT02" and "approved" in told["text"]


def test_a_great_call_thanks_the_agent_once_and_can_be_shared_once(seeded):
    slack, ana, _, _ = seeded
    great = accessories(review(slack, user="U0LEAD01")["blocks"])[0]
    slack.click(great, user="U0LEAD01", trigger="trigG1")
    done = slack.standin.wait_for("respond", 2)[1].params
    assert "great call" in done["text"] and done["response_type"] == "ephemeral"
    thanks = slack.standin.wait_for("chat.postMessage")[0].params
    assert thanks["channel"] == "DU0AGENT01" and "<@U0LEAD01>" in thanks["text"] and "Thank you" in thanks["text"]
    slack.click(great, user="U0LEAD01", trigger="trigG2")  # a second click: nothing new for the agent
    assert "already" in slack.standin.wait_for("respond", 3)[2].params["text"]
    share = buttons(done["blocks"])["leeway_share_great_call"]
    slack.click(share, user="U0LEAD01", trigger="trigS1")
    assert "Shared in <#C0SUPPORT>" in slack.standin.wait_for("respond", 4)[3].params["text"]
    slack.click(share, user="U0LEAD01", trigger="trigS2")
    assert "already been shared" in slack.standin.wait_for("respond", 5)[4].params["text"]
    posts = slack.standin.of("chat.postMessage")
    assert [p.params["channel"] for p in posts] == ["DU0AGENT01", "C0SUPPORT"]
    assert "Great call by <@U0AGENT01>" in posts[1].params["text"] and "vip" not in text_of(posts[1].params["blocks"])
    assert slack.ledger.db.execute("SELECT COUNT(*) FROM great_calls").fetchone()[0] == 1


def test_the_thank_you_is_in_the_agents_language(slack, sample_set):
    record = seed(slack, sample_set, user="U0AGENT01", amount="10", key="es",
                  situation="el paquete llegó 5 días tarde y el cliente pide reembolso del envío de 10 USD")
    great = accessories(review(slack, user="U0LEAD01")["blocks"])[0]
    assert json.loads(great["value"])["id"] == record.id
    slack.click(great, user="U0LEAD01")
    assert "Gracias" in slack.standin.wait_for("chat.postMessage")[0].params["text"]


def test_an_agent_cannot_mark_a_great_call(seeded):
    slack, ana, _, _ = seeded
    forged = {"action_id": "leeway_great_call", "value": json.dumps({"id": ana.id, "l": "en"})}
    slack.click(forged, user="U0AGENT02")
    assert "Only a Team lead or above" in slack.standin.wait_for("respond")[0].params["text"]
    time.sleep(0.2)
    assert not slack.standin.of("chat.postMessage")
    assert slack.ledger.db.execute("SELECT COUNT(*) FROM refusals").fetchone()[0] == 1


def not_this_one(slack) -> dict:
    """Ask about LATE, press *Not this one*: the alternatives offered."""
    slack.command(LATE)
    answer = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(answer["blocks"])["leeway_other"], user="U0AGENT01", trigger="trigO")
    return slack.standin.wait_for("respond", 2)[1].params


def test_not_this_one_then_a_pick_is_recorded_as_a_rematch(slack):
    pick = buttons(not_this_one(slack)["blocks"])["leeway_pick_0"]
    chosen = json.loads(pick["value"])["p"]
    slack.click(pick, user="U0AGENT01", trigger="trigP")
    slack.click(pick, user="U0AGENT01", trigger="trigP")  # Slack retrying the same click
    slack.standin.wait_for("respond", 4)
    rows = slack.ledger.db.execute("SELECT user, offered, chosen FROM rematches").fetchall()
    assert [tuple(r) for r in rows] == [("U0AGENT01", "late-delivery", chosen)]


def test_great_call_from_the_app_home_answers_the_lead_in_a_dm(seeded):
    slack, ana, _, _ = seeded
    slack.event({"type": "app_home_opened", "user": "U0LEAD01", "channel": "D2", "tab": "home"})
    home = slack.standin.wait_for("views.publish")[0].params["view"]
    great = accessories(home["blocks"])
    assert [json.loads(b["value"])["id"] for b in great] == [ana.id]
    slack.interact({"type": "block_actions", "user": {"id": "U0LEAD01"}, "trigger_id": "trigH",
                    "container": {"type": "view", "view_id": "V1"},
                    "actions": [{"action_id": great[0]["action_id"], "value": great[0]["value"], "block_id": "b",
                                 "type": "button", "action_ts": str(time.time())}]})
    posts = {p.params["channel"]: p.params for p in slack.standin.wait_for("chat.postMessage", 2)}
    assert "Thank you" in posts["DU0AGENT01"]["text"]
    assert "leeway_share_great_call" in buttons(posts["DU0LEAD01"]["blocks"])


def test_not_this_one_with_nothing_else_to_offer_is_recorded_as_a_gap(make_slack, valid_dirs):
    from bot.runtime import open_store
    from bot.settings import Settings

    playbooks, policies = valid_dirs
    (playbooks / "damaged-item.yaml").unlink()
    slack = make_slack(open_store(Settings.from_env({}, playbooks=playbooks, policies=policies)))
    slack.command(LATE)
    answer = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(answer["blocks"])["leeway_other"], user="U0AGENT01", trigger="trigO")
    assert "no other playbook" in text_of(slack.standin.wait_for("respond", 2)[1].params["blocks"])
    rows = slack.ledger.db.execute("SELECT offered, chosen FROM rematches").fetchall()
    assert [tuple(r) for r in rows] == [("late-delivery", None)]


def test_none_of_these_records_a_gap_and_the_turn_down_once(slack):
    none_fit = buttons(not_this_one(slack)["blocks"])["leeway_none_fit"]
    slack.click(none_fit, user="U0AGENT01", trigger="trigN")
    slack.click(none_fit, user="U0AGENT01", trigger="trigN")  # Slack retrying the same click
    reply = slack.standin.wait_for("respond", 4)[3].params
    assert "No playbook fits this yet" in reply["text"] and "leeway_ask" in buttons(reply["blocks"])
    rematches = slack.ledger.db.execute("SELECT user, offered, chosen FROM rematches").fetchall()
    assert [tuple(r) for r in rematches] == [("U0AGENT01", "late-delivery", None)]
    gaps = slack.ledger.unmatched()
    assert [g.text for g in gaps] == [LATE] and gaps[0].user == "U0AGENT01"
    assert json.loads(slack.ledger.db.execute("SELECT candidates FROM unmatched").fetchone()[0])[0]["playbook"]


def test_none_of_these_on_an_unsure_match_records_only_the_gap(slack, sample_store, monkeypatch):
    from bot.matching import Thresholds

    _, engine = sample_store.snapshot()
    monkeypatch.setattr(engine.index, "thresholds", Thresholds(match_probability=1.01))  # never sure: candidates
    slack.command(LATE)
    answer = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(answer["blocks"])["leeway_none_fit"], user="U0AGENT01", trigger="trigU")
    assert "No playbook fits this yet" in slack.standin.wait_for("respond", 2)[1].params["text"]
    assert slack.ledger.db.execute("SELECT COUNT(*) FROM rematches").fetchone()[0] == 0
    assert [g.text for g in slack.ledger.unmatched()] == [LATE]
