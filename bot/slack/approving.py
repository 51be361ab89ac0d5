"""The leads' flows: Approve / Deny on an escalation, and the App Home.

A button's value is only the escalation id. The clicker's role comes from the
policy files, and ``bot.acting.decide_escalation`` re-checks everything inside
the ledger's transaction: the first valid click wins; a late, self- or
under-authorised click changes nothing, is recorded as a refusal, and gets a
polite ephemeral explanation.
"""

from __future__ import annotations

import json

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.acting import decide_escalation
from bot.errors import NoValidPolicy, NotFound, Refused
from bot.messages import action_name, money, refusal_text
from bot.records import Escalation
from bot.slack.blocks import as_dicts, escalation_blocks, escape
from bot.slack.door import Door, log, slack_error
from bot.slack.views import deny_modal, home_view
from bot.slack.words import phrase


def _escalation_id(value: str | None) -> int | None:
    """The id a button carries; anything else (``²`` is a digit to ``isdigit``, not to ``int``) is no id.

    >>> _escalation_id("12"), _escalation_id("²"), _escalation_id("9" * 30), _escalation_id("1 OR 1=1")
    (12, None, None, None)
    """
    return int(value) if value and len(value) < 19 and value.isascii() and value.isdigit() else None


def decide(door: Door, client: WebClient, *, user: str, escalation_id: int | None, approve: bool,
           note: str | None = None) -> str | None:
    """Approve or deny; on success update the leads' message and tell the agent. Returns a refusal to show, or None."""
    policy_set = door.store.current()
    lang = door.lead_lang
    now = door.clock()
    try:
        if escalation_id is None:
            raise NotFound("escalation_not_found", {"id": "?"})
        recorded = decide_escalation(door.ledger, policy_set, escalation_id, approve=approve, by=user,
                                     by_role=policy_set.policy.role_of(user), now=now, note=note)
    except (Refused, NotFound) as error:
        door.ledger.record_refusal(user=user, kind=error.code, ref=str(escalation_id),
                                   detail=f"{'approve' if approve else 'deny'}: {error.code}", now=now)
        return refusal_text(error, lang, policy_set)
    escalation = recorded.record
    update_lead_message(door, client, escalation)
    notify_agent(door, client, escalation)
    return None


def update_lead_message(door: Door, client: WebClient, escalation: Escalation) -> None:
    if not (escalation.channel and escalation.message_ts):
        return
    policy_set = door.store.current()
    blocks = as_dicts(escalation_blocks(escalation, policy_set, door.lead_lang))
    try:
        client.chat_update(channel=escalation.channel, ts=escalation.message_ts, blocks=blocks,
                           text=phrase("escalation_number", door.lead_lang, id=escalation.id))
    except SlackApiError as error:  # the decision is saved; a stale message is only cosmetic
        log.warning("escalation #%s message not updated: %s", escalation.id, slack_error(error))


def notify_agent(door: Door, client: WebClient, escalation: Escalation) -> None:
    """In the agent's thread (mention), their DM (DM or slash command)."""
    policy = door.store.current().policy
    lang = _agent_lang(door, escalation)
    if escalation.status == "approved":
        text = phrase("notify_approved", lang, by=_name(policy, escalation.decided_by), id=escalation.id,
                   action=action_name(policy, escalation.action, lang), amount=money(escalation.amount, escalation.currency, lang))
    else:
        text = phrase("notify_denied", lang, by=_name(policy, escalation.decided_by), id=escalation.id)
        if escalation.decision_note:
            text += f"\n> {escape(escalation.decision_note)}"
    door.tell(client, user=escalation.requested_by, channel=escalation.reply_channel,
              thread_ts=escalation.reply_thread_ts, text=text)


def _name(policy, user: str | None) -> str:
    person = policy.people.users.get(user or "")
    return escape(person.name if person and person.name else (user or ""))


def _agent_lang(door: Door, escalation: Escalation) -> str:
    from bot.language import detect_language

    return detect_language(escalation.situation or "", default=door.lead_lang)


# ---------------------------------------------------------------- listeners


def on_approve(door: Door, ack, body: dict, action: dict, respond, client: WebClient) -> None:
    ack()
    refusal = decide(door, client, user=body["user"]["id"], escalation_id=_escalation_id(action.get("value")), approve=True)
    if refusal:
        _polite(respond, client, body, refusal)


def on_deny(door: Door, ack, body: dict, action: dict, respond, client: WebClient) -> None:
    """Deny asks for a reason first (the agent sees it); the decision is made on submit."""
    ack()
    escalation_id = _escalation_id(action.get("value"))
    try:
        client.views_open(trigger_id=body["trigger_id"], view=deny_modal(escalation_id or 0, door.lead_lang))
    except SlackApiError as error:
        _polite(respond, client, body, phrase("slack_busy", door.lead_lang, error=slack_error(error)))


def on_deny_submit(door: Door, ack, body: dict, view: dict, client: WebClient) -> None:
    meta = json.loads(view.get("private_metadata") or "{}")
    reason = ((view.get("state") or {}).get("values", {}).get("reason", {}).get("value") or {}).get("value")
    refusal = decide(door, client, user=body["user"]["id"], escalation_id=_escalation_id(str(meta.get("e", ""))),
                     approve=False, note=reason)
    if refusal:
        ack(response_action="errors", errors={"reason": refusal[:2000]})
    else:
        ack()


def _polite(respond, client: WebClient, body: dict, text: str) -> None:
    """Ephemeral to the clicker: in the channel via ``respond``, or on the App Home as a DM."""
    if body.get("response_url") or (body.get("container") or {}).get("type") == "message":
        respond(text=text, response_type="ephemeral", replace_original=False)
    else:
        try:
            channel = client.conversations_open(users=body["user"]["id"])["channel"]["id"]
            client.chat_postMessage(channel=channel, text=text)
        except SlackApiError as error:
            log.warning("refusal not shown: %s", slack_error(error))


def on_home(door: Door, event: dict, client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    user = event["user"]
    try:
        policy_set = door.store.current()
    except NoValidPolicy:
        return
    view = home_view(policy_set, door.ledger, user=user, lang=door.lead_lang, now=door.clock(),
                     pending=door.ledger.escalations(status="pending", limit=20))
    client.views_publish(user_id=user, view=view)
