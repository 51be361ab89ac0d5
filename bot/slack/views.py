"""Modals (log an exception, ask a lead, deny with a reason) and the App Home, as ``slack_sdk.models`` views.

Pure: everything comes in as arguments. The modal's ``private_metadata`` holds
only the question id and playbook id; the submission is re-validated and
re-decided on the server (``bot.acting``).
"""

from __future__ import annotations

import json
from decimal import Decimal

from slack_sdk.models.blocks import (Block, ContextBlock, DividerBlock, HeaderBlock, InputBlock, MarkdownTextObject,
                                     Option, PlainTextInputElement, StaticSelectElement)
from slack_sdk.models.views import View

from bot.acting import MAX_CUSTOMER_REF, MAX_NOTE
from bot.ledger import Ledger
from bot.messages import action_name, money, role_name
from bot.models import PolicySet, cap_for
from bot.records import Escalation
from bot.slack.blocks import escape, fit, sections
from bot.slack.words import phrase

CALLBACK_LOG, CALLBACK_ASK, CALLBACK_DENY = "leeway_log_modal", "leeway_ask_modal", "leeway_deny_modal"
FIELDS = ("action", "amount", "customer", "note")
MAX_TITLE = 24


def exception_modal(policy_set: PolicySet, *, mode: str, question_id: int, playbook_id: str, lang: str,
                    action: str | None, amount: Decimal | None) -> View:
    """Log it / Ask a lead: action, amount, customer reference and note, prefilled from what was read."""
    policy = policy_set.policy
    playbook = policy_set.playbooks[playbook_id]
    options = [Option(value=a, text=action_name(policy, a, lang)[:75]) for a in playbook.actions if a in policy.actions]
    initial = next((o for o in options if o.value == action), None)
    select = StaticSelectElement(action_id="value", options=options or [Option(value="-", text="-")],
                                 initial_option=initial, placeholder=phrase("field_action", lang))
    amount_input = PlainTextInputElement(action_id="value", initial_value=_amount_text(amount), max_length=20)
    blocks = [
        ContextBlock(elements=[MarkdownTextObject(text=escape(phrase("modal_playbook", lang, playbook=playbook.title.text(lang))))]),
        InputBlock(block_id="action", label=phrase("field_action", lang), element=select),
        InputBlock(block_id="amount", label=phrase("field_amount", lang, currency=policy.currency), element=amount_input),
        InputBlock(block_id="customer", label=phrase("field_customer", lang), optional=True,
                   element=PlainTextInputElement(action_id="value", max_length=MAX_CUSTOMER_REF)),
        InputBlock(block_id="note", label=phrase("field_note", lang), optional=True,
                   element=PlainTextInputElement(action_id="value", multiline=True, max_length=MAX_NOTE)),
    ]
    log = mode == "log"
    return View(type="modal", callback_id=CALLBACK_LOG if log else CALLBACK_ASK,
                title=phrase("modal_log_title" if log else "modal_ask_title", lang)[:MAX_TITLE],
                submit=phrase("modal_submit_log" if log else "modal_submit_ask", lang)[:MAX_TITLE],
                close=phrase("modal_cancel", lang)[:MAX_TITLE],
                private_metadata=json.dumps({"q": question_id, "p": playbook_id}), blocks=blocks)


def deny_modal(escalation_id: int, lang: str) -> View:
    reason = PlainTextInputElement(action_id="value", multiline=True, max_length=MAX_NOTE)
    return View(type="modal", callback_id=CALLBACK_DENY, title=phrase("deny_title", lang)[:MAX_TITLE],
                submit=phrase("button_deny", lang)[:MAX_TITLE], close=phrase("modal_cancel", lang)[:MAX_TITLE],
                private_metadata=json.dumps({"e": escalation_id}),
                blocks=[InputBlock(block_id="reason", label=phrase("field_deny_reason", lang), element=reason)])


def submitted(view: dict) -> dict[str, str | None]:
    """The values of a submitted modal, by block id (select or text)."""
    values = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        entry = actions.get("value") or {}
        selected = entry.get("selected_option")
        values[block_id] = selected["value"] if selected else entry.get("value")
    return values


def _amount_text(amount: Decimal | None) -> str | None:
    return None if amount is None else format(amount, "f")


# ---------------------------------------------------------------- App Home


def home_view(policy_set: PolicySet, ledger: Ledger, *, user: str, lang: str, now, pending: list[Escalation]) -> View:
    """An agent's caps per action and today's / this month's use; a lead also gets pending escalations."""
    policy = policy_set.policy
    role = policy.role_of(user)
    history = ledger.history(user=user, customer_ref=None, policy=policy, now=now)
    caps = [f"• {escape(action_name(policy, a, lang))}: {money(cap, policy.currency, lang)}"
            for a in policy.actions if (cap := cap_for(policy, a, role)) is not None]
    blocks: list[Block] = [HeaderBlock(text=phrase("home_title", lang)),
                           *sections(phrase("home_role", lang, role=escape(role_name(policy, role, lang)))),
                           *sections("\n".join([escape(phrase("home_caps", lang)), *caps])),
                           ContextBlock(elements=[MarkdownTextObject(text=escape(phrase(
                               "home_usage", lang, today=money(history.spent_today, policy.currency, lang),
                               month=money(history.spent_this_month, policy.currency, lang))))])]
    if can_approve(policy_set, role):
        mine = [e for e in pending if e.approver_role in policy.role_ids and policy.rank(e.approver_role) <= policy.rank(role)]
        blocks += lead_section(policy_set, lang, user=user, pending=mine, ledger=ledger)
    return View(type="home", blocks=fit(blocks, lang))


def lead_section(policy_set: PolicySet, lang: str, *, user: str, pending: list[Escalation], ledger: Ledger) -> list[Block]:
    """Pending escalations with Approve / Deny, and the team's latest exceptions with *Great call*, as in the review."""
    from bot.recognition import Recognition
    from bot.slack.reviewing import exception_blocks, pending_blocks

    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=phrase("home_pending", lang)),
                           *pending_blocks(policy_set, pending[:10], lang=lang, user=user, block_prefix="home")]
    team = policy_set.policy.team_of(user)
    latest = [e for e in ledger.exceptions(limit=50) if team is None or e.team == team][:5]  # no team: every team
    if latest:
        blocks += [DividerBlock(), HeaderBlock(text=phrase("home_team_latest", lang))]
        blocks += exception_blocks(policy_set, latest, lang=lang, user=user,
                                   marked=Recognition(ledger).marked([e.id for e in latest]))
    return blocks


def can_approve(policy_set: PolicySet, role: str) -> bool:
    """Anyone above the default role may approve something; what exactly is re-checked on click."""
    policy = policy_set.policy
    default = policy.people.default_role
    return role in policy.role_ids and default in policy.role_ids and policy.rank(role) > policy.rank(default)
