"""An ``Answer`` (and an escalation) as Block Kit: pure functions returning ``slack_sdk.models`` blocks.

Built with the SDK's models, never hand-written dicts, so Slack's limits are
checked when a message is built (``to_dict`` validates). Every piece of text a
person or a policy owner wrote goes through ``escape`` so ``<!channel>`` or
``<@U…>`` in it is shown, never acted on; sections are split below 3000
characters and a message never has more than 50 blocks.

Buttons carry ids only: the question id and playbook id for the agent's own
buttons, the escalation id alone for Approve / Deny. The server reads the rest.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock,
                                     MarkdownTextObject, SectionBlock)

from bot.messages import action_name, budget_line, money, reason_text, request_question, role_name, verdict_line
from bot.models import Playbook, PolicySet
from bot.records import Escalation
from bot.rendering_text import inert
from bot.slack.words import phrase

if TYPE_CHECKING:
    from bot.answering import Answer

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
CANDIDATES_SHOWN = 3
SLACK_ID = re.compile(r"^[UWBC][A-Z0-9]{2,20}$")

ACTION_LOG, ACTION_ASK, ACTION_OTHER = "leeway_log", "leeway_ask", "leeway_other"
ACTION_PICK = "leeway_pick"  # leeway_pick_0, _1 …: action ids must be unique within a block
ACTION_NONE_FIT = "leeway_none_fit"  # none of the candidates: a gap, and a turn-down when one was turned down
ACTION_APPROVE, ACTION_DENY = "leeway_approve", "leeway_deny"


def escape(text: str) -> str:
    """Text a person typed, made inert for Slack mrkdwn: no mentions, links or channel pings.

    Control characters and direction overrides go too (``inert``, as in the terminal):
    a right-to-left override would show "refund $12" backwards.

    >>> escape("<!channel> refund & <@U123>"), escape("refund \u202e$12")
    ('&lt;!channel&gt; refund &amp; &lt;@U123&gt;', 'refund $12')
    """
    return inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title_of(policy_set: PolicySet, playbook_id: str, lang: str) -> str:
    """A playbook's title, or its id when the files no longer have it (a record outlives its playbook)."""
    playbook = policy_set.playbooks.get(playbook_id)
    return playbook.title.text(lang) if playbook else playbook_id


def mention(user_id: str) -> str:
    """``<@U…>`` for a real user id; anything else is shown escaped, never as a mention.

    >>> mention("U0LEAD01"), mention("<!here>")
    ('<@U0LEAD01>', '&lt;!here&gt;')
    """
    return f"<@{user_id}>" if SLACK_ID.match(user_id or "") else escape(user_id or "")


def chunks(text: str, limit: int = MAX_SECTION) -> list[str]:
    """Split at line breaks (or hard, for one very long line) so each piece fits one section.

    >>> [len(c) for c in chunks("a" * 7000)]
    [3000, 3000, 1000]
    """
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current:
        pieces.append(current)
    return pieces


def sections(text: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunks(text) if piece.strip()]


def fit(blocks: list[Block], lang: str) -> list[Block]:
    """At most 50 blocks; the buttons (the last block) are kept when the middle has to go."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail = blocks[-1:] if isinstance(blocks[-1], ActionsBlock) else []
    keep = MAX_BLOCKS - 1 - len(tail)
    return [*blocks[:keep], ContextBlock(elements=[MarkdownTextObject(text=phrase("truncated", lang))]), *tail]


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text[:MAX_BUTTON_TEXT], action_id=action_id, value=value, style=style)


def agent_value(question_id: int, playbook: str | None = None, *, turned_down: str | None = None) -> str:
    """The agent's buttons: a question id and a playbook id, nothing the server will trust blindly.

    ``turned_down`` is the playbook the agent said was *not this one*, so a pick can be recorded as a rematch.

    >>> agent_value(7, "late-delivery"), agent_value(7, "damaged-item", turned_down="late-delivery")
    ('{"q": 7, "p": "late-delivery"}', '{"q": 7, "p": "damaged-item", "x": "late-delivery"}')
    """
    value: dict = {"q": question_id, "p": playbook} if playbook else {"q": question_id}
    if turned_down:
        value["x"] = turned_down
    return json.dumps(value)


# ---------------------------------------------------------------- the answer


def answer_blocks(answer: "Answer", policy_set: PolicySet, *, question_id: int) -> list[Block]:
    """The whole reply: a playbook with its verdict, candidates to pick, or "nothing fits"."""
    lang = answer.lang
    if answer.outcome == "empty":
        return sections(escape(phrase("outcome_empty", lang)))
    if answer.playbook is not None:
        return fit(playbook_blocks(answer, policy_set, question_id=question_id), lang)
    if answer.outcome == "ambiguous" and answer.candidates:
        return candidate_blocks(answer.text, lang, [(c.playbook, c.score) for c in answer.candidates], policy_set,
                                question_id=question_id)
    return none_fit_blocks(answer.text, lang, question_id=question_id)


def none_fit_blocks(text: str, lang: str, *, question_id: int) -> list[Block]:
    """No playbook fits (the matcher said so, or the agent did): the gap is noted; a lead can still be asked."""
    return [*echo(text), *sections(escape(phrase("outcome_none", lang))),
            ActionsBlock(elements=[button(phrase("button_ask", lang), ACTION_ASK, agent_value(question_id))])]


def echo(text: str) -> list[Block]:
    text = " ".join(text.split())
    text = text if len(text) <= 300 else text[:299] + "…"
    return [ContextBlock(elements=[MarkdownTextObject(text=f"“{escape(text)}”")])]


def candidate_blocks(text: str, lang: str, candidates: list[tuple[str, float | None]], policy_set: PolicySet, *,
                     question_id: int, exclude: str | None = None, heading_key: str = "outcome_ambiguous") -> list[Block]:
    """Buttons for the closest playbooks, best first (with the match score when known)."""
    shown = [(p, score) for p, score in candidates if p != exclude and p in policy_set.playbooks][:CANDIDATES_SHOWN]
    if not shown:
        return sections(escape(phrase("no_alternatives", lang)))
    buttons = [button(policy_set.playbooks[p].title.text(lang) + (f" ({score:.0%})" if score is not None else ""),
                      f"{ACTION_PICK}_{i}", agent_value(question_id, p, turned_down=exclude))
               for i, (p, score) in enumerate(shown)]
    buttons.append(button(phrase("none_fit", lang), ACTION_NONE_FIT, agent_value(question_id, turned_down=exclude)))
    return [*echo(text), *sections(escape(phrase(heading_key, lang))), ActionsBlock(elements=buttons)]


def playbook_blocks(answer: "Answer", policy_set: PolicySet, *, question_id: int) -> list[Block]:
    playbook = policy_set.playbooks[answer.playbook]
    lang, decision = answer.lang, answer.decision
    blocks: list[Block] = [HeaderBlock(text=playbook.title.text(lang)[:MAX_HEADER])]
    if playbook.summary:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(playbook.summary.text(lang))[:MAX_SECTION])]))
    blocks += sections(verdict_text(answer, policy_set))
    blocks.append(DividerBlock())
    blocks += sections(body_text(answer, playbook))
    if decision is not None:
        blocks.append(DividerBlock())
        blocks += sections(leeway_text(answer, policy_set))
    blocks.append(agent_buttons(answer, question_id))
    return blocks


def verdict_text(answer: "Answer", policy_set: PolicySet) -> str:
    """The verdict at a glance (✅ / 🟡 / ⛔), then the rules behind it, then any question to answer."""
    lang, decision = answer.lang, answer.decision
    lines = []
    if decision is not None:
        lines.append(f"*{escape(verdict_line(decision, lang, policy_set))}*")
        lines += [f"• {escape(reason_text(r, lang, policy_set))}" for i, r in enumerate(decision.reasons) if i or r.source]
    question = request_question(answer.request, lang, policy_set)
    if question:
        lines.append(f"❓ {escape(question)}")
    return "\n".join(lines)


def body_text(answer: "Answer", playbook: Playbook) -> str:
    """Steps, checks, what to say, what to offer instead, and who owns the back-office part."""
    lang, decision = answer.lang, answer.decision
    verdict = decision.verdict if decision else None
    parts = [heading_list(phrase("heading_steps", lang), [s.text(lang) for s in playbook.steps], numbered=True),
             heading_list(phrase("heading_checks", lang), [c.text(lang) for c in playbook.checks])]
    if playbook.say:
        lines = [playbook.say.opening.text(lang)] if playbook.say.opening else []
        if verdict == "allowed" and playbook.say.yes:
            lines.append(playbook.say.yes.text(lang))
        if verdict == "needs_approval" and playbook.say.yes:
            lines.append(f"{phrase('say_once_approved', lang)} {playbook.say.yes.text(lang)}")
        if verdict == "not_allowed" and playbook.say.no:
            lines.append(playbook.say.no.text(lang))
        parts.append(heading_list(phrase("heading_say", lang), [f"“{line}”" for line in lines], mark=">"))
    if verdict == "not_allowed":
        parts.append(heading_list(phrase("heading_offer", lang), [o.text(lang) for o in playbook.offer_instead], mark="→"))
    if playbook.owner:
        owner = f"*{escape(phrase('heading_owner', lang, team=playbook.owner.team))}*"
        if playbook.owner.contact:
            owner += f" ({escape(playbook.owner.contact)})"
        if playbook.owner.handoff:
            owner += f" — {escape(playbook.owner.handoff.text(lang))}"
        parts.append(owner)
    return "\n\n".join(part for part in parts if part)


def heading_list(heading: str, lines: list[str], *, numbered: bool = False, mark: str = "•") -> str:
    if not lines:
        return ""
    marks = [f"{i}." if numbered else mark for i in range(1, len(lines) + 1)]
    return "\n".join([f"*{escape(heading)}*", *(f"{m} {escape(line)}" for m, line in zip(marks, lines))])


def leeway_text(answer: "Answer", policy_set: PolicySet) -> str:
    """The asker's limit per action here, who can approve more, and the budget left."""
    lang, decision, policy = answer.lang, answer.decision, policy_set.policy
    leeway = decision.leeway
    lines = [f"*{escape(phrase('heading_leeway', lang, role=role_name(policy, leeway.role, lang)))}*"]
    for row in leeway.actions:
        line = f"{action_name(policy, row.action, lang)}: {money(row.limit, leeway.currency, lang)}"
        if row.next_role and row.next_limit is not None:
            line += f" ({role_name(policy, row.next_role, lang)}: {money(row.next_limit, leeway.currency, lang)})"
        mark = "›" if row.action == decision.request.action else "•"
        lines.append(f"{mark} {escape(line)}")
    budget = budget_line(decision, lang)
    if budget:
        lines.append(f"_{escape(budget)}_")
    return "\n".join(lines)


def agent_buttons(answer: "Answer", question_id: int) -> ActionsBlock:
    """Log it (when it may be allowed), Ask a lead (unless no one may), Not this one (when there are others)."""
    lang = answer.lang
    verdict = answer.decision.verdict if answer.decision else None
    value = agent_value(question_id, answer.playbook)
    buttons = []
    if verdict in ("allowed", None):
        buttons.append(button(phrase("button_log", lang), ACTION_LOG, value, style="primary"))
    if verdict != "not_allowed":
        buttons.append(button(phrase("button_ask", lang), ACTION_ASK, value))
    buttons.append(button(phrase("button_other", lang), ACTION_OTHER, value))
    return ActionsBlock(elements=buttons)


# ---------------------------------------------------------------- the leads' channel


def escalation_blocks(escalation: Escalation, policy_set: PolicySet, lang: str) -> list[Block]:
    """The request as the leads see it, with Approve / Deny while it is pending."""
    blocks = sections(escalation_text(escalation, policy_set, lang))
    status_id = str(escalation.id)
    if escalation.status == "pending":
        blocks.append(ActionsBlock(elements=[
            button(phrase("button_approve", lang), ACTION_APPROVE, status_id, style="primary"),
            button(phrase("button_deny", lang), ACTION_DENY, status_id, style="danger")]))
    elif escalation.status in ("approved", "denied") and escalation.decided_by:
        key = "lead_approved_by" if escalation.status == "approved" else "lead_denied_by"
        line = phrase(key, lang, by=mention(escalation.decided_by))
        if escalation.decision_note:
            line += f" {escape(escalation.decision_note)}"
        blocks += sections(line)
    else:
        blocks += sections(escape(phrase(f"status_{escalation.status}", lang)))
    return blocks


def escalation_text(escalation: Escalation, policy_set: PolicySet, lang: str) -> str:
    policy = policy_set.policy
    title = title_of(policy_set, escalation.playbook, lang)
    line = phrase("lead_request", lang, requester=mention(escalation.requested_by),
               action=escape(action_name(policy, escalation.action, lang)),
               amount=escape(money(escalation.amount, escalation.currency, lang)), playbook=escape(title),
               role=escape(role_name(policy, escalation.approver_role or "", lang)))
    lines = [f"*{escape(phrase('escalation_number', lang, id=escalation.id))}*", line]
    if escalation.customer_ref:
        lines.append(escape(phrase("lead_customer", lang, customer=escalation.customer_ref)))
    if escalation.note:
        lines.append(escape(phrase("lead_note", lang, note=escalation.note)))
    if escalation.situation:
        lines.append(f"> {escape(' '.join(escalation.situation.split()))[:1000]}")
    return "\n".join(lines)


def as_dicts(blocks: list[Block]) -> list[dict]:
    """Validated dicts (``to_dict`` raises on a broken limit) for the Web API."""
    return [block.to_dict() for block in blocks]
