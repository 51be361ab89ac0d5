"""The agent's flows: ask (slash command, mention, DM), pick another playbook, log it, ask a lead.

Each listener acks first, then parse -> core -> render -> respond. Writes go
through ``bot.acting``, which re-decides inside the ledger's transaction.
"""

from __future__ import annotations

import json
import re

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.acting import ask_a_lead, log_exception, make_draft
from bot.answering import Answer, answer
from bot.chat import parse_amount
from bot.extraction import extract_request
from bot.language import language_evidence
from bot.errors import NoValidPolicy, Refused, UserInputError
from bot.messages import action_name, money, refusal_text, verdict_line
from bot.rematches import record_rematch
from bot.slack.blocks import (answer_blocks, as_dicts, candidate_blocks, escalation_blocks, escape, mention,
                              none_fit_blocks)
from bot.slack.door import Door, log, slack_error
from bot.slack.reviewing import REVIEW_WORDS, review_lang, review_reply
from bot.slack.state import Question
from bot.slack.views import CALLBACK_LOG, exception_modal, submitted
from bot.slack.words import phrase

MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
FIELD_OF_ERROR = {"invalid_action": "action", "invalid_amount": "amount", "currency_mismatch_input": "amount",
                  "invalid_customer_ref": "customer", "note_too_long": "note"}


def situation_of(text: str) -> str:
    """The situation without the bot's mention.

    >>> situation_of("<@U0BOT> customer wants a refund")
    'customer wants a refund'
    """
    return MENTION.sub("", text or "").strip()


def reply_for(door: Door, *, user: str, text: str, key: str, channel: str | None, thread_ts: str | None,
              playbook: str | None = None, client: WebClient | None = None,
              usual_lang: str | None = None) -> tuple[str, list[dict]]:
    """Fallback text and blocks for one situation; a gap (no playbook fits) is recorded under ``key``.

    ``usual_lang`` is the language to use when the text shows none (else the Slack locale is asked).
    """
    try:
        policy_set, engine = door.store.snapshot()
    except NoValidPolicy:
        lang = door.settings.lang or "en"
        return phrase("policy_unavailable", lang), []
    now = door.clock()
    role = policy_set.policy.role_of(user)
    history = door.ledger.history(user=user, customer_ref=None, policy=policy_set.policy, now=now)
    if usual_lang is None and client and not door.settings.lang and not language_evidence(text):
        usual_lang = door.locale_lang(client, user)
    result = answer(engine, text, role=role, history=history, now=now, lang=door.settings.lang, playbook=playbook,
                    usual_lang=usual_lang)
    if result.outcome == "none" and playbook is None:
        door.ledger.record_unmatched(text, key=key, user=user, candidates=[(c.playbook, c.score) for c in result.candidates],
                                     revision=policy_set.revision, now=now)
    question_id = door.state.remember(user=user, text=result.text, lang=result.lang, channel=channel,
                                      thread_ts=thread_ts, candidates=[c.playbook for c in result.candidates], now=now)
    return fallback(result, policy_set), as_dicts(answer_blocks(result, policy_set, question_id=question_id))


def fallback(result: Answer, policy_set) -> str:
    """The notification text (blocks carry the rest)."""
    if result.decision is not None:
        return verdict_line(result.decision, result.lang, policy_set)
    key = {"empty": "outcome_empty", "ambiguous": "outcome_ambiguous"}.get(result.outcome, "outcome_none")
    return phrase(key, result.lang)


# ---------------------------------------------------------------- asking


RELOAD_WORDS = {"reload", "recargar"}
RELOAD_ROLE = "lead"  # leads and above may reload; policy owners edit the files, leads run the bot day to day


def on_command(door: Door, ack, command: dict, respond, client: WebClient) -> None:
    """``/leeway <situation>``: private to the agent (it may hold customer details). ``reload``, ``review`` for leads."""
    ack()
    word = command.get("text", "").strip().lower()
    if word in RELOAD_WORDS:
        respond(text=reload_report(door, command["user_id"]), response_type="ephemeral")
        return
    if word in REVIEW_WORDS:
        text, blocks = review_reply(door, user=command["user_id"], lang=review_lang(door, word))
        respond(text=text, blocks=blocks, response_type="ephemeral")
        return
    text, blocks = reply_for(door, user=command["user_id"], text=command.get("text", ""),
                             key=f"slack:command:{command.get('trigger_id')}", channel=None, thread_ts=None,
                             client=client)
    respond(text=text, blocks=blocks, response_type="ephemeral")


def reload_report(door: Door, user: str) -> str:
    """Reload the files now and say what happened: the new revision, or the problems and the revision kept."""
    lang = door.settings.lang or "en"
    try:
        policy = door.store.current().policy
        allowed = RELOAD_ROLE not in policy.role_ids or policy.rank(policy.role_of(user)) >= policy.rank(RELOAD_ROLE)
    except NoValidPolicy:
        allowed = True  # nothing loaded yet: anyone may try, nothing can get worse
    if not allowed:
        return phrase("reload_not_allowed", lang, role=policy.role(RELOAD_ROLE).name.text(lang))
    report = door.store.reload()
    if report.ok:
        return phrase("reload_done", lang, revision=report.revision, count=len(door.store.current().playbooks))
    return phrase("reload_failed", lang, revision=report.revision or "-", report=escape(report.problems[:2500]))


def on_mention(door: Door, body: dict, event: dict, client: WebClient) -> None:
    """``@Leeway …`` in a channel: the answer goes in the thread."""
    thread_ts = event.get("thread_ts") or event["ts"]
    _answer_event(door, body, event, client, thread_ts=thread_ts)


def on_message(door: Door, body: dict, event: dict, client: WebClient) -> None:
    """A direct message; other messages (edits, bots, channels) are not questions."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    _answer_event(door, body, event, client, thread_ts=event.get("thread_ts"))


def _answer_event(door: Door, body: dict, event: dict, client: WebClient, *, thread_ts: str | None) -> None:
    """Claim the event id first: a retry of an event already handled gets nothing, not a second reply
    (unless its handler died before answering: ``SlackState.claim``)."""
    event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
    if not door.state.claim(event_id, now=door.clock()):
        return
    try:
        text, blocks = reply_for(door, user=event["user"], text=situation_of(event.get("text", "")),
                                 key=f"slack:event:{event_id}", channel=event["channel"], thread_ts=thread_ts,
                                 client=client)
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=text, blocks=blocks)
    except BaseException:
        door.state.release(event_id)  # nothing was sent: Slack's retry may try again
        raise
    door.state.answered(event_id, now=door.clock())


# ---------------------------------------------------------------- buttons


def _button_value(action: dict) -> dict:
    """The button's JSON value; a click can be forged, so anything but an object reads as empty."""
    try:
        value = json.loads(action.get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _question(door: Door, body: dict, action: dict) -> tuple[Question | None, str | None]:
    """The clicker's own question and the button's playbook id; a malformed value finds no question."""
    value = _button_value(action)
    playbook = value.get("p")
    try:
        question_id = int(value["q"])
    except (ValueError, KeyError, TypeError, OverflowError):  # OverflowError: {"q": Infinity}
        return None, None
    if not 0 < question_id < 2**63 or (playbook is not None and not isinstance(playbook, str)):
        return None, None  # past SQLite's integers, or a playbook id that is not text
    return door.state.question(question_id, user=body["user"]["id"]), playbook


def on_pick(door: Door, ack, body: dict, action: dict, respond) -> None:
    """A candidate button: answer the same situation with that playbook (after *Not this one*: a rematch)."""
    ack()
    question, playbook = _question(door, body, action)
    if question is None or playbook not in question.candidates:
        respond(text=phrase("question_gone", "en"), response_type="ephemeral", replace_original=False)
        return
    turned_down = _turned_down(action)
    if turned_down in question.candidates and turned_down != playbook:
        record_rematch(door.ledger, key=_action_key(body, action), user=question.user, offered=turned_down,
                       chosen=playbook, now=door.clock())
    text, blocks = reply_for(door, user=question.user, text=question.text, key="", channel=question.channel,
                             thread_ts=question.thread_ts, playbook=playbook, usual_lang=question.lang)
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def on_other(door: Door, ack, body: dict, action: dict, respond) -> None:
    """*Not this one*: the other candidates for the same situation."""
    ack()
    question, playbook = _question(door, body, action)
    if question is None:
        respond(text=phrase("question_gone", "en"), response_type="ephemeral", replace_original=False)
        return
    policy_set = door.store.current()
    blocks = candidate_blocks(question.text, question.lang, [(p, None) for p in question.candidates], policy_set,
                              question_id=question.id, exclude=playbook, heading_key="alternatives")
    if playbook and not any(p != playbook and p in policy_set.playbooks for p in question.candidates):
        # nothing else to pick: the turn-down alone is the evidence (a pick from the alternatives records its own)
        record_rematch(door.ledger, key=_action_key(body, action), user=question.user, offered=playbook, chosen=None,
                       now=door.clock())
    respond(text=phrase("alternatives", question.lang), blocks=as_dicts(blocks), response_type="ephemeral",
            replace_original=False)


def on_none_fit(door: Door, ack, body: dict, action: dict, respond) -> None:
    """*None of these*: the agent says no candidate fits. Noted as a gap, like a situation nothing matched,
    and as a turn-down of the playbook first offered, if there was one."""
    ack()
    question, _ = _question(door, body, action)
    if question is None:
        respond(text=phrase("question_gone", "en"), response_type="ephemeral", replace_original=False)
        return
    key, now = _action_key(body, action), door.clock()
    turned_down = _turned_down(action)
    if turned_down in question.candidates:
        record_rematch(door.ledger, key=key, user=question.user, offered=turned_down, chosen=None, now=now)
    _record_gap(door, question, key=key, now=now)
    respond(text=phrase("outcome_none", question.lang), response_type="ephemeral", replace_original=False,
            blocks=as_dicts(none_fit_blocks(question.text, question.lang, question_id=question.id)))


def _record_gap(door: Door, question: Question, *, key: str, now) -> None:
    """The situation as unmatched, with the ranking it has now (the question keeps ids, not scores)."""
    try:
        policy_set, engine = door.store.snapshot()
    except NoValidPolicy:
        return  # nothing loaded since a restart: the turn-down above is what can be kept
    with engine.computing:
        ranked = engine.index.match(question.text, limit=max(len(question.candidates), 3)).matches
    door.ledger.record_unmatched(question.text, key=key, user=question.user,
                                 candidates=[(c.playbook, c.score) for c in ranked], revision=policy_set.revision,
                                 now=now)


def _turned_down(action: dict) -> str | None:
    turned_down = _button_value(action).get("x")
    return turned_down if isinstance(turned_down, str) else None


def _action_key(body: dict, action: dict) -> str:
    """The same click retried by Slack gives the same key (its trigger id), so it is recorded once."""
    return f"slack:action:{body.get('trigger_id') or action.get('action_ts')}"


def on_open_modal(door: Door, ack, body: dict, action: dict, respond, client: WebClient, *, mode: str) -> None:
    """*Log it* / *Ask a lead*: a modal prefilled with what was read from the situation."""
    ack()
    question, playbook = _question(door, body, action)
    if question is None:
        respond(text=phrase("question_gone", "en"), response_type="ephemeral", replace_original=False)
        return
    if playbook is None:
        return ask_for_help(door, question, respond, client)
    policy_set, engine = door.store.snapshot()
    if playbook not in policy_set.playbooks:
        respond(text=phrase("unknown_playbook", question.lang, playbook=escape(playbook[:100])),
                response_type="ephemeral", replace_original=False)
        return
    seen = extract_request(question.text, engine.vocabulary, base_currency=policy_set.policy.currency)
    view = exception_modal(policy_set, mode=mode, question_id=question.id, playbook_id=playbook, lang=question.lang,
                           action=seen.action, amount=None if seen.ambiguous else seen.amount)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as error:  # expired_trigger_id (slow click), rate limit: say so, nothing was written
        respond(text=phrase("slack_busy", question.lang, error=slack_error(error)), response_type="ephemeral",
                replace_original=False)


def ask_for_help(door: Door, question: Question, respond, client: WebClient) -> None:
    """No playbook fits: show the situation to the leads (nothing to approve yet) and tell the agent."""
    policy = door.store.current().policy
    channel = policy.escalation_channel(policy.team_of(question.user))
    lang = door.lead_lang
    text = f"🆘 {mention(question.user)}: {phrase('outcome_none', lang).split('.')[0]}.\n> {escape(question.text)[:2000]}"
    sent = channel is not None and door.tell(client, user=question.user, channel=channel, thread_ts=None, text=text)
    respond(text=phrase("escalated_help" if sent else "no_escalation_channel", question.lang, id="-"),
            response_type="ephemeral", replace_original=False)


# ---------------------------------------------------------------- the modal, submitted


def on_submit(door: Door, ack, body: dict, view: dict, client: WebClient) -> None:
    """Validate, re-decide and write inside the ack window, so field errors can be shown in the modal."""
    user = body["user"]["id"]
    meta = json.loads(view.get("private_metadata") or "{}")
    question = door.state.question(int(meta.get("q", 0)), user=user)
    values = submitted(view)
    lang = question.lang if question else (door.settings.lang or "en")
    if question is None:
        ack(response_action="errors", errors={"note": phrase("question_gone", lang)})
        return
    policy_set = door.store.current()
    amount = parse_amount(values.get("amount") or "")
    try:
        if amount is None:
            raise UserInputError("invalid_amount", {"amount": values.get("amount") or ""})
        draft = make_draft(policy_set, user=user, playbook=meta.get("p", ""), action=values.get("action"), amount=amount,
                           currency=policy_set.policy.currency, customer_ref=values.get("customer"),
                           note=values.get("note"), situation=question.text)
        role = policy_set.policy.role_of(user)
        key = f"slack:view:{view['id']}"
        if view.get("callback_id") == CALLBACK_LOG:
            recorded = log_exception(door.ledger, policy_set, draft, role=role, key=key, now=door.clock())
        else:
            recorded = ask_a_lead(door.ledger, policy_set, draft, role=role, key=key, now=door.clock(),
                                  reply_channel=question.channel, reply_thread_ts=question.thread_ts)
    except UserInputError as error:
        ack(response_action="errors", errors={FIELD_OF_ERROR.get(error.code, "amount"): field_error(error, lang, policy_set)})
        return
    ack()
    record = recorded.record
    if view.get("callback_id") == CALLBACK_LOG:
        amount_words = money(record.amount, record.currency, lang)
        door.tell(client, user=user, channel=question.channel, thread_ts=question.thread_ts,
                  text=phrase("logged", lang, id=record.id, action=action_name(policy_set.policy, record.action, lang),
                           amount=amount_words))
    elif recorded.created:
        post_escalation(door, client, record, question)


def field_error(error: UserInputError, lang: str, policy_set) -> str:
    """The sentence under the field; a refusal also says the verdict, so the agent can lower the amount or ask."""
    text = refusal_text(error, lang, policy_set)
    decision = error.params.get("decision") if isinstance(error, Refused) else None
    if decision is not None:
        text = f"{verdict_line(decision, lang, policy_set)} {text}"
    return text[:2000]


def post_escalation(door: Door, client: WebClient, escalation, question: Question) -> None:
    """Post to the leads' channel with Approve / Deny, remember where, and tell the agent."""
    policy_set = door.store.current()
    channel = policy_set.policy.escalation_channel(escalation.team)
    lang = question.lang
    key = "escalated"
    if channel is None:
        key = "no_escalation_channel"
    else:
        blocks = as_dicts(escalation_blocks(escalation, policy_set, door.lead_lang))
        try:
            posted = client.chat_postMessage(channel=channel, text=phrase("escalation_number", door.lead_lang, id=escalation.id),
                                             blocks=blocks)
            door.ledger.set_escalation_message(escalation.id, channel=posted["channel"], ts=posted["ts"])
        except SlackApiError as error:
            log.warning("escalation #%s not posted: %s", escalation.id, slack_error(error))
            door.tell(client, user=question.user, channel=question.channel, thread_ts=question.thread_ts,
                      text=phrase("lead_post_failed", lang, id=escalation.id, error=slack_error(error)))
            return
    door.tell(client, user=question.user, channel=question.channel, thread_ts=question.thread_ts,
              text=phrase(key, lang, id=escalation.id))
