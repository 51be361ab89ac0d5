"""Every agent and lead flow through real HTTP: signed requests in, Web API calls to the stand-in out."""

from __future__ import annotations

import json
import time

import pytest

from bot.slack.words import phrase

from standin import buttons, text_of

LATE = "package arrived 5 days late, customer wants 10 USD shipping refund"


def test_slash_command_answers_privately(slack):
    assert slack.command(LATE) == 200
    reply = slack.standin.wait_for("respond")[0].params
    assert reply["response_type"] == "ephemeral"
    assert "✅" in reply["text"]
    assert {"leeway_log", "leeway_ask", "leeway_other"} <= buttons(reply["blocks"]).keys()
    assert not slack.standin.of("chat.postMessage")  # nothing in the channel


def test_mention_answers_in_the_thread(slack):
    assert slack.event({"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "111.222",
                        "text": f"<@U0BOT> {LATE}"}) == 200
    post = slack.standin.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "C0SUPPORT" and post["thread_ts"] == "111.222"
    assert "✅" in post["text"]


def test_dm_answers_in_the_dm_and_other_messages_are_ignored(slack):
    slack.event({"type": "message", "channel_type": "channel", "user": "U0AGENT01", "channel": "C1", "ts": "1.0",
                 "text": LATE})
    slack.event({"type": "message", "channel_type": "im", "user": "U0AGENT01", "channel": "D0AGENT", "ts": "2.0",
                 "text": LATE})
    posts = slack.standin.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert [p.params["channel"] for p in slack.standin.of("chat.postMessage")] == ["D0AGENT"]
    assert posts[0].params.get("thread_ts") is None


def test_retried_event_gets_one_reply(slack):
    event = {"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "5.0", "text": "<@U0BOT> my cat is purple"}
    assert slack.event(event, event_id="EvSAME") == 200
    slack.standin.wait_for("chat.postMessage")
    assert slack.event(event, event_id="EvSAME", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    time.sleep(0.5)
    assert len(slack.standin.of("chat.postMessage")) == 1
    assert len(slack.ledger.unmatched()) == 1


def test_no_match_records_the_gap_and_offers_a_lead(slack):
    slack.command("my cat is purple")
    reply = slack.standin.wait_for("respond")[0].params
    assert "No playbook fits" in reply["text"]
    assert "leeway_ask" in buttons(reply["blocks"])
    assert [u.text for u in slack.ledger.unmatched()] == ["my cat is purple"]


def test_ambiguous_offers_candidates_and_a_pick_answers(slack):
    slack.command("customer wants 80 USD refund for late delivery")
    reply = slack.standin.wait_for("respond")[0].params
    picks = {k: v for k, v in buttons(reply["blocks"]).items() if k.startswith("leeway_pick_")}
    assert len(picks) >= 2
    first = picks["leeway_pick_0"]
    assert json.loads(first["value"]).keys() == {"q", "p"}
    slack.click(first, user="U0AGENT01")
    answer = slack.standin.wait_for("respond", 2)[1].params
    assert answer["blocks"][0]["type"] == "header"


def test_a_forged_question_id_reads_nothing(slack):
    slack.command(LATE)
    value = buttons(slack.standin.wait_for("respond")[0].params["blocks"])["leeway_other"]
    slack.click(value, user="U0AGENT02")  # someone else's question
    assert "can't find" in slack.standin.wait_for("respond", 2)[1].params["text"]


def test_spanish_in_spanish_out(slack):
    slack.command("el paquete llegó 5 días tarde y el cliente pide reembolso del envío de 10 USD")
    reply = slack.standin.wait_for("respond")[0].params
    body = text_of(reply["blocks"])
    assert "Pasos" in body or "No estoy seguro" in body
    assert "Steps" not in body


@pytest.mark.parametrize("locale, lang", [("es-ES", "es"), ("es-419", "es"), ("en-GB", "en"), ("fr-FR", "en")])
def test_text_without_a_language_follows_the_slack_locale(slack, locale, lang):
    slack.standin.locales["U0AGENT01"] = locale
    slack.command("ORD-4417 10 USD", user="U0AGENT01")  # no words of either language
    reply = slack.standin.wait_for("respond")[0].params
    assert slack.standin.of("users.info")[0].params["user"] == "U0AGENT01"
    assert reply["text"] == phrase("outcome_ambiguous", lang)


def test_a_picked_candidate_keeps_the_language_of_the_question(slack):
    slack.standin.locales["U0AGENT01"] = "es-ES"
    slack.command("ORD-4417 10 USD", user="U0AGENT01")
    reply = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(reply["blocks"])["leeway_pick_0"], user="U0AGENT01")
    picked = slack.standin.wait_for("respond", 2)[1].params
    assert "Pasos" in text_of(picked["blocks"]) and len(slack.standin.of("users.info")) == 1


def test_text_with_a_language_wins_over_the_locale_and_asks_no_one(slack):
    slack.standin.locales["U0AGENT01"] = "es-ES"
    slack.command(LATE, user="U0AGENT01")
    reply = slack.standin.wait_for("respond")[0].params
    assert "Steps" in text_of(reply["blocks"]) and slack.standin.of("users.info") == []


def _log_modal(slack, text=LATE, user="U0AGENT01"):
    slack.command(text, user=user)
    reply = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(reply["blocks"])["leeway_log"], user=user)
    return slack.standin.wait_for("views.open")[0].params["view"]


def test_log_it_modal_records_one_exception(slack):
    view = _log_modal(slack)
    assert view["callback_id"] == "leeway_log_modal"
    action_block = next(b for b in view["blocks"] if b.get("block_id") == "action")
    assert action_block["element"]["initial_option"]["value"] == "refund_shipping"
    values = {"action": "refund_shipping", "amount": "10", "customer": "ORD-1", "note": "<!channel> please"}
    assert slack.submit(view, values, user="U0AGENT01") == 200
    assert slack.submit(view, values, user="U0AGENT01") == 200  # a double submit of the same view
    records = slack.ledger.exceptions()
    assert len(records) == 1 and records[0].amount == 10 and records[0].customer_ref == "ORD-1"
    told = slack.standin.wait_for("chat.postMessage")[0].params
    assert "#1" in told["text"]


@pytest.mark.parametrize("values, field", [
    ({"action": "refund_shipping", "amount": "ten"}, "amount"),
    ({"action": "refund_shipping", "amount": "19", "customer": "x" * 81}, "customer"),
])
def test_log_it_modal_field_errors(slack, values, field):
    view = _log_modal(slack)
    slack.submit(view, values, user="U0AGENT01")
    assert slack.ledger.exceptions() == []


def _escalate(slack, *, user="U0AGENT01", amount="30"):
    slack.event({"type": "app_mention", "user": user, "channel": "C0SUPPORT", "ts": "9.0",
                 "text": "<@U0BOT> package arrived 5 days late, customer wants 30 USD shipping refund"})
    reply = slack.standin.wait_for("chat.postMessage")[0].params
    slack.click(buttons(reply["blocks"])["leeway_ask"], user=user)
    view = slack.standin.wait_for("views.open")[0].params["view"]
    slack.submit(view, {"action": "refund_shipping", "amount": amount, "customer": "ORD-9",
                        "note": "<!channel> <@U0LEAD01> vip"}, user=user, view_id="VASK")
    lead_post = slack.standin.wait_for("chat.postMessage", 3)[1].params  # the answer, the leads' post, the agent told
    return lead_post


def test_ask_a_lead_then_lead_approves(slack):
    lead_post = _escalate(slack)
    assert lead_post["channel"] == "C0LEADS01"
    body = text_of(lead_post["blocks"])
    assert "&lt;!channel&gt;" in body and "<!channel>" not in body and "&lt;@U0LEAD01&gt;" in body
    approve = buttons(lead_post["blocks"])["leeway_approve"]
    assert approve["value"] == "1"
    escalation = slack.ledger.escalation(1)
    assert escalation.message_ts and escalation.channel == "C0LEADS01"
    slack.click(approve, user="U0LEAD01")
    update = slack.standin.wait_for("chat.update")[0].params
    assert update["ts"] == escalation.message_ts and "Approved by <@U0LEAD01>" in text_of(update["blocks"])
    told = slack.standin.wait_for("chat.postMessage", 4)[-1].params  # agent told in their thread
    assert told["channel"] == "C0SUPPORT" and told["thread_ts"] == "9.0" and "approved" in told["text"]
    assert slack.ledger.escalation(1).status == "approved"
    assert len(slack.ledger.exceptions()) == 1


def test_a_missing_leads_channel_keeps_the_escalation_and_tells_the_agent(slack):
    slack.standin.missing_channels.add("C0LEADS01")
    slack.event({"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "9.0",
                 "text": "<@U0BOT> package arrived 5 days late, customer wants 30 USD shipping refund"})
    reply = slack.standin.wait_for("chat.postMessage")[0].params
    slack.click(buttons(reply["blocks"])["leeway_ask"], user="U0AGENT01")
    view = slack.standin.wait_for("views.open")[0].params["view"]
    slack.submit(view, {"action": "refund_shipping", "amount": "30", "customer": "ORD-9"}, user="U0AGENT01",
                 view_id="VASK")
    told = slack.standin.wait_for("chat.postMessage", 3)[-1].params
    assert told["channel"] == "C0SUPPORT" and "channel_not_found" in told["text"] and "#1" in told["text"]
    escalation = slack.ledger.escalation(1)
    assert escalation.status == "pending" and escalation.message_ts is None  # saved, waiting for a lead
    slack.event({"type": "app_home_opened", "user": "U0LEAD01", "tab": "home", "channel": "D0LEAD"})
    home = slack.standin.wait_for("views.publish")[-1].params["view"]
    assert buttons(json.loads(home)["blocks"] if isinstance(home, str) else home["blocks"])["leeway_approve"]["value"] == "1"


@pytest.mark.parametrize("clicker, expected", [
    ("U0AGENT01", "can't decide your own"),     # self-approval
    ("U0AGENT02", "can't approve"),              # an agent
])
def test_refused_clicks_change_nothing(slack, clicker, expected):
    lead_post = _escalate(slack)
    slack.click(buttons(lead_post["blocks"])["leeway_approve"], user=clicker)
    refusal = slack.standin.wait_for("respond")[0].params
    assert expected in refusal["text"] and refusal["response_type"] == "ephemeral"
    assert slack.ledger.escalation(1).status == "pending"
    assert not slack.standin.of("chat.update")
    assert slack.ledger.db.execute("SELECT COUNT(*) FROM refusals").fetchone()[0] == 1


def test_double_click_first_wins(slack):
    lead_post = _escalate(slack)
    approve = buttons(lead_post["blocks"])["leeway_approve"]
    slack.click(approve, user="U0LEAD01")
    slack.standin.wait_for("chat.update")
    slack.click(approve, user="U0LEAD01")
    assert "already" in slack.standin.wait_for("respond")[0].params["text"]
    assert len(slack.standin.of("chat.update")) == 1 and len(slack.ledger.exceptions()) == 1


def test_deny_asks_for_a_reason_and_tells_the_agent(slack):
    lead_post = _escalate(slack)
    slack.click(buttons(lead_post["blocks"])["leeway_deny"], user="U0LEAD01", trigger="trigD")
    view = slack.standin.wait_for("views.open", 2)[1].params["view"]
    slack.submit(view, {"reason": "out of policy <!here>"}, user="U0LEAD01", view_id="VDENY")
    assert slack.ledger.escalation(1).status == "denied"
    told = slack.standin.wait_for("chat.postMessage", 4)[-1].params
    assert "denied" in told["text"] and "&lt;!here&gt;" in told["text"]


def test_rate_limited_call_is_retried_after_retry_after(slack):
    slack.standin.rate_limit_once("chat.postMessage")
    started = time.monotonic()
    slack.event({"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "7.0", "text": f"<@U0BOT> {LATE}"})
    posts = slack.standin.wait_for("chat.postMessage", 2)
    assert time.monotonic() - started >= 1.0
    assert posts[0].params["text"] == posts[1].params["text"]


def test_expired_trigger_degrades_with_a_message(slack):
    slack.standin.failing["views.open"] = "expired_trigger_id"
    slack.command(LATE)
    reply = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(reply["blocks"])["leeway_log"], user="U0AGENT01")
    assert "expired_trigger_id" in slack.standin.wait_for("respond", 2)[1].params["text"]


@pytest.mark.parametrize("how", ["bad signature", "stale timestamp"])
def test_unsigned_or_stale_requests_get_401_and_change_nothing(slack, how, caplog):
    kwargs = {"secret": "wrong"} if how == "bad signature" else {"timestamp": int(time.time()) - 600}
    assert slack.command("my cat is purple", **kwargs) == 401
    time.sleep(0.3)
    assert slack.standin.of("respond") == [] and slack.ledger.unmatched() == []
    assert "my cat" not in caplog.text and "xoxb" not in caplog.text


def test_app_home_shows_latest_exceptions_of_the_team_or_every_team_without_one(slack):
    view = _log_modal(slack)
    slack.submit(view, {"action": "refund_shipping", "amount": "10", "customer": "ORD-1"}, user="U0AGENT01")
    for user in ("U0LEAD01", "U0LEAD02", "U0MANAGER01"):  # tier1's lead, tier2's lead, a manager with no team
        slack.event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"})
    published = {c.params["user_id"]: text_of(c.params["view"]["blocks"]) for c in slack.standin.wait_for("views.publish", 3)}
    latest = phrase("home_team_latest", "en")
    assert latest in published["U0LEAD01"] and latest in published["U0MANAGER01"]
    assert latest not in published["U0LEAD02"]


def test_app_home_shows_leeway_and_pending_for_leads(slack):
    _escalate(slack)
    slack.event({"type": "app_home_opened", "user": "U0AGENT01", "channel": "D1", "tab": "home"})
    slack.event({"type": "app_home_opened", "user": "U0LEAD01", "channel": "D2", "tab": "home"})
    published = {c.params["user_id"]: c.params["view"] for c in slack.standin.wait_for("views.publish", 2)}
    assert "leeway_approve" not in text_of(published["U0AGENT01"]["blocks"])
    assert "Refund" in text_of(published["U0AGENT01"]["blocks"])
    assert "leeway_approve" in text_of(published["U0LEAD01"]["blocks"])
