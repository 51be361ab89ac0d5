"""A lead's review loop in Slack: ``/leeway review`` and the *great call* a lead gives an agent.

``/leeway review`` (``/leeway revisar`` in Spanish) shows a lead, privately, their
team's last seven days: the headline figures, the escalations waiting for them
(with the same Approve / Deny buttons as the leads' channel, handled by
``bot.slack.approving``), what stands out, and the latest exceptions, each with
a *Great call* button. A great call thanks the agent in a DM and offers the lead
a *Share with the team* button. Who may do any of this comes from the policy
files (``bot.recognition.may_recognise``), never from the button.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.errors import NoValidPolicy, NotFound, Refused
from bot.language import detect_language
from bot.messages import action_name, money, refusal_text
from bot.models import PolicySet
from bot.recognition import GreatCall, may_recognise
from bot.records import Escalation, ExceptionRecord
from bot.slack.blocks import (ACTION_APPROVE, ACTION_DENY, MAX_SECTION, as_dicts, button, escape, fit, mention,
                              sections, title_of)
from bot.slack.door import Door, slack_error
from bot.slack.words import phrase

REVIEW_WORDS = {"review": None, "revisar": "es"}  # the word -> its language (None: the door's)
REVIEW_DAYS = 7
PENDING_SHOWN, INSIGHTS_SHOWN, EXCEPTIONS_SHOWN = 5, 3, 8
ACTION_GREAT_CALL, ACTION_SHARE = "leeway_great_call", "leeway_share_great_call"


def review_lang(door: Door, word: str) -> str:
    """``revisar`` answers in Spanish; ``review`` in the door's language.

    >>> from types import SimpleNamespace
    >>> door = SimpleNamespace(lead_lang="en")
    >>> review_lang(door, "revisar"), review_lang(door, "review")
    ('es', 'en')
    """
    return REVIEW_WORDS.get(word) or door.lead_lang


def button_value(record_id: int, lang: str) -> str:
    """An id and the language the lead reads; the server reads everything else back.

    >>> button_value(12, "es")
    '{"id": 12, "l": "es"}'
    """
    return json.dumps({"id": record_id, "l": lang})


def read_value(value: str | None) -> tuple[int | None, str]:
    """The id and language of a button; a forged value reads as no id (an Infinity or a huge id too).

    >>> read_value(button_value(12, "es")), read_value('{"id": Infinity}'), read_value('{"id": 1e30, "l": "es"}')
    ((12, 'es'), (None, 'en'), (None, 'es'))
    """
    try:
        data = json.loads(value or "{}")
        lang = data.get("l") if data.get("l") in ("en", "es") else "en"
        record_id = int(data["id"])
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return None, "en"
    return (record_id if 0 < record_id < 2**63 else None), lang


# ---------------------------------------------------------------- /leeway review


def review_reply(door: Door, *, user: str, lang: str) -> tuple[str, list[dict]]:
    """The lead's private summary (text, blocks); an agent gets a polite "leads only" and nothing else."""
    try:
        policy_set = door.store.current()
    except NoValidPolicy:
        return phrase("policy_unavailable", lang), []
    policy = policy_set.policy
    if not may_recognise(policy, user):
        return phrase("review_leads_only", lang), []
    from bot.insights import find_insights
    from bot.reports import build_report

    end = door.clock()
    start = end - timedelta(days=REVIEW_DAYS)
    team = policy.team_of(user)
    report = build_report(door.ledger, policy_set, start=start, end=end, team=team)
    insights = top_insights(find_insights(door.ledger, policy_set, start=start, end=end))
    pending = pending_for(door, policy_set, user=user, team=team)
    latest = [e for e in door.ledger.exceptions(since=start, limit=200) if team is None or e.team == team]
    latest = latest[:EXCEPTIONS_SHOWN]
    marked = door.recognition.marked([e.id for e in latest])
    blocks = review_blocks(policy_set, lang=lang, user=user, team=team, start=start, end=end,
                           headline=headline_lines(report, lang), insights=insights, pending=pending,
                           latest=latest, marked=marked)
    return phrase("review_title", lang), as_dicts(blocks)


def top_insights(insights: list) -> list:
    """The weightiest few (``find_insights`` gives them heaviest first)."""
    return insights[:INSIGHTS_SHOWN]


def headline_lines(report, lang: str) -> list[str]:
    """The report's own headline (``bot.report_rendering.headline_lines``), shared by the review and the digest."""
    return report.headline(lang)


def pending_for(door: Door, policy_set: PolicySet, *, user: str, team: str | None) -> list[Escalation]:
    """Pending escalations of the lead's team (every team for someone without one) that their role covers."""
    policy = policy_set.policy
    rank = policy.rank(policy.role_of(user))
    return [e for e in door.ledger.escalations(status="pending", limit=100)
            if (team is None or e.team == team) and e.approver_role in policy.role_ids
            and policy.rank(e.approver_role) <= rank][:PENDING_SHOWN]


def review_blocks(policy_set: PolicySet, *, lang: str, user: str, team: str | None, start: datetime, end: datetime,
                  headline: list[str], insights: list, pending: list[Escalation], latest: list[ExceptionRecord],
                  marked: set[int]) -> list[Block]:
    """Pure: the review as Block Kit, at most 50 blocks."""
    zone = ZoneInfo(policy_set.policy.timezone)
    dates = {"start": start.astimezone(zone).date().isoformat(), "end": end.astimezone(zone).date().isoformat()}
    scope = phrase("review_scope", lang, team=team, **dates) if team else phrase("review_scope_all", lang, **dates)
    blocks: list[Block] = [HeaderBlock(text=phrase("review_title", lang)),
                           ContextBlock(elements=[MarkdownTextObject(text=escape(scope))]),
                           *sections("\n".join(f"• {escape(line)}" for line in headline))]
    blocks += [DividerBlock(), *sections(f"*{escape(phrase('review_pending', lang))}*")]
    blocks += pending_blocks(policy_set, pending, lang=lang, user=user)
    blocks += [DividerBlock(), *sections(f"*{escape(phrase('review_insights', lang))}*\n" + insight_text(insights, lang))]
    blocks += [DividerBlock(), *sections(f"*{escape(phrase('review_latest', lang))}*")]
    blocks += exception_blocks(policy_set, latest, lang=lang, user=user, marked=marked)
    return fit(blocks, lang)


def pending_blocks(policy_set: PolicySet, pending: list[Escalation], *, lang: str, user: str,
                   block_prefix: str = "review") -> list[Block]:
    """One line per escalation, with Approve / Deny unless it is the reader's own (here and on the App Home)."""
    if not pending:
        return sections(escape(phrase("home_no_pending", lang)))
    policy, blocks = policy_set.policy, []
    for escalation in pending:
        title = title_of(policy_set, escalation.playbook, lang)
        blocks += sections(f"*#{escalation.id}* {mention(escalation.requested_by)} · "
                           f"{escape(action_name(policy, escalation.action, lang))} "
                           f"{escape(money(escalation.amount, escalation.currency, lang))} · {escape(title)}")
        if escalation.requested_by != user:
            blocks.append(ActionsBlock(block_id=f"{block_prefix}_{escalation.id}", elements=[
                button(phrase("button_approve", lang), ACTION_APPROVE, str(escalation.id), style="primary"),
                button(phrase("button_deny", lang), ACTION_DENY, str(escalation.id), style="danger")]))
    return blocks


def insight_text(insights: list, lang: str) -> str:
    """Each insight's title in bold and what to do about it."""
    if not insights:
        return escape(phrase("review_no_insights", lang))
    lines = [f"• *{escape(insight.title(lang))[:300]}* — {escape(insight.suggestion(lang))[:600]}" for insight in insights]
    return "\n".join(lines)[:MAX_SECTION - 100]


def exception_blocks(policy_set: PolicySet, latest: list[ExceptionRecord], *, lang: str, user: str,
                     marked: set[int]) -> list[Block]:
    """One line per exception; a *Great call* button beside those not marked yet (and not the lead's own)."""
    if not latest:
        return sections(escape(phrase("review_no_exceptions", lang)))
    blocks: list[Block] = []
    for record in latest:
        line = exception_line(policy_set, record, lang)
        if record.id in marked:
            line += f" · _{escape(phrase('review_marked', lang))}_"
        accessory = None
        if record.id not in marked and record.user != user:
            accessory = button(phrase("button_great_call", lang), ACTION_GREAT_CALL, button_value(record.id, lang))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line[:MAX_SECTION]), accessory=accessory))
    return blocks


def exception_line(policy_set: PolicySet, record: ExceptionRecord, lang: str) -> str:
    title = title_of(policy_set, record.playbook, lang)
    return (f"*#{record.id}* {mention(record.user)} · {escape(action_name(policy_set.policy, record.action, lang))} "
            f"{escape(money(record.amount, record.currency, lang))} · {escape(title)}")


# ---------------------------------------------------------------- great calls


def on_great_call(door: Door, ack, body: dict, action: dict, respond, client: WebClient) -> None:
    """Mark the exception, thank the agent (once), and offer the lead a *Share with the team* button."""
    ack()
    user = body["user"]["id"]
    exception_id, lang = read_value(action.get("value"))
    policy_set = door.store.current()
    now = door.clock()
    try:
        if exception_id is None:
            raise NotFound("exception_not_found", {"id": "?"})
        great, created = door.recognition.mark(policy_set.policy, exception_id=exception_id, by=user, now=now)
    except (Refused, NotFound) as error:
        door.ledger.record_refusal(user=user, kind=error.code, ref=str(exception_id), detail=f"great call: {error.code}",
                                   now=now)
        reply(door, respond, client, body, text=refusal_text(error, lang, policy_set))
        return
    record = door.recognition.exception(great.exception_id)
    if created:
        thank_agent(door, client, record, lead=user)
    text = phrase("great_call_done" if created else "great_call_already", lang, id=record.id, agent=mention(record.user))
    blocks = [*sections(text)]
    if great.shared_ts is None:
        blocks.append(ActionsBlock(elements=[button(phrase("button_share", lang), ACTION_SHARE, button_value(great.id, lang))]))
    reply(door, respond, client, body, text=text, blocks=as_dicts(blocks))


def reply(door: Door, respond, client: WebClient, body: dict, *, text: str, blocks: list[dict] | None = None) -> None:
    """Privately to the lead: ephemeral under the message clicked, or a DM when the click came from the App Home."""
    if body.get("response_url"):
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
    else:
        door.tell(client, user=body["user"]["id"], channel=None, thread_ts=None, text=text, blocks=blocks)


def thank_agent(door: Door, client: WebClient, record: ExceptionRecord, *, lead: str) -> bool:
    """A DM to the agent, in the language they wrote the situation in."""
    policy_set = door.store.current()
    lang = detect_language(record.situation or "", default=door.lead_lang)
    text = phrase("great_call_thanks", lang, **_words(policy_set, record, lead=lead, lang=lang))
    return door.tell(client, user=record.user, channel=None, thread_ts=None, text=text)


def on_share(door: Door, ack, body: dict, action: dict, respond, client: WebClient) -> None:
    """Post the great call once to the team channel from the policies (``routing.recognition_channel``)."""
    ack()
    user = body["user"]["id"]
    great_call_id, lang = read_value(action.get("value"))
    policy_set = door.store.current()
    routing = policy_set.policy.routing
    channel = routing.recognition_channel if routing else None
    if channel is None:
        reply(door, respond, client, body, text=phrase("no_recognition_channel", lang))
        return
    try:
        if great_call_id is None:
            raise NotFound("great_call_not_found", {"id": "?"})
        great = door.recognition.claim_share(policy_set.policy, great_call_id, by=user, channel=channel, now=door.clock())
    except (Refused, NotFound) as error:
        reply(door, respond, client, body, text=refusal_text(error, lang, policy_set))
        return
    reply(door, respond, client, body, text=share(door, client, great, channel=channel, lang=lang))


def share(door: Door, client: WebClient, great: GreatCall, *, channel: str, lang: str) -> str:
    """Post to the team channel (in the team's language); on failure release the share so it can be tried again."""
    policy_set = door.store.current()
    record = door.recognition.exception(great.exception_id)
    team_lang = door.lead_lang
    text = phrase("great_call_post", team_lang, **_words(policy_set, record, lead=great.shared_by or great.marked_by,
                                                         lang=team_lang))
    try:
        posted = client.chat_postMessage(channel=channel, text=text, blocks=as_dicts(sections(text)))
    except SlackApiError as error:
        door.recognition.shared(great.id, ts=None)
        return phrase("slack_busy", lang, error=slack_error(error))
    door.recognition.shared(great.id, ts=posted.get("ts"))
    return phrase("great_call_shared", lang, channel=f"<#{channel}>")


def _words(policy_set: PolicySet, record: ExceptionRecord, *, lead: str, lang: str) -> dict:
    """The sentence's parts, escaped (a playbook title or a name is text someone typed)."""
    return {"lead": mention(lead), "agent": mention(record.user), "id": record.id,
            "action": escape(action_name(policy_set.policy, record.action, lang)),
            "amount": escape(money(record.amount, record.currency, lang)),
            "playbook": escape(title_of(policy_set, record.playbook, lang))}
