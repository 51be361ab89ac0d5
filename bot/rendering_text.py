"""The terminal chat's view of an answer: pure functions from an ``Answer`` to ``rich`` renderables.

Everything is built from ``rich.text.Text`` pieces, never from markup strings, so
nothing a person typed (or a policy owner wrote) is ever read as markup: a
customer's ``[bold]`` stays ``[bold]``. The words come from ``bot.messages``; this
module only decides what to show, in which order and colour, within 80 columns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.decision import Decision
from bot.messages import action_name, budget_line, money, reason_text, request_question, role_name, t, verdict_line
from bot.models import Playbook, PolicySet

if TYPE_CHECKING:  # the view needs an answer's fields, not the matcher that answering imports
    from bot.answering import Answer

VERDICT_STYLES = {"allowed": "bold green", "needs_approval": "bold yellow", "not_allowed": "bold red", None: "bold cyan"}
ECHO_CHARS = 160
CANDIDATES_SHOWN = 3  # the chat accepts 1-3 when the agent picks one
HEADING = "bold cyan"
_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, only ever half of a pair: unprintable
# C0 and C1 controls but tab and newline, and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def render_answer(answer: "Answer", policy_set: PolicySet) -> RenderableType:
    """The whole answer: a playbook with its verdict, a list of candidates to choose from, or what to do next."""
    lang = answer.lang
    if answer.outcome == "empty":
        return Text(t("outcome_empty", lang))
    if answer.playbook is not None:
        return render_playbook(answer, policy_set)
    if answer.outcome == "ambiguous" and answer.candidates:
        return render_candidates(answer, policy_set)
    return Group(echo(answer.text), Text(t("outcome_none", lang), style="yellow"))


def echo(text: str) -> Text:
    """What the agent typed, quoted and shortened; literal text, so markup in it is shown, not applied.

    >>> echo("[bold]refund[/bold] please").plain
    '“[bold]refund[/bold] please”'
    """
    text = " ".join(inert(text).split())
    if len(text) > ECHO_CHARS:
        text = text[: ECHO_CHARS - 1] + "…"
    return Text(f"“{text}”", style="dim italic")


def inert(text: str) -> str:
    r"""Text without terminal control sequences or direction overrides, which ``rich`` passes through.

    An escape sequence a customer pasted could clear the screen or hide a link (OSC 8); a
    right-to-left override would show "refund $12" backwards.

    >>> inert("refund \x1b[2J$12\u202e ok\x07")
    'refund [2J$12 ok'
    """
    return _SURROGATE.sub("\ufffd", _UNSAFE.sub("", text))  # half an emoji cannot be written to a UTF-8 terminal


def render_candidates(answer: "Answer", policy_set: PolicySet) -> RenderableType:
    """An ambiguous situation: the numbered candidates, best first, to pick from."""
    lang = answer.lang
    shown = answer.candidates[:CANDIDATES_SHOWN]
    rows = numbered([_candidate_line(policy_set, c.playbook, c.score, lang) for c in shown])
    return Group(echo(answer.text), Text(t("outcome_ambiguous", lang), style="yellow"), rows,
                 Text(t("outcome_pick", lang), style="dim"))


def _candidate_line(policy_set: PolicySet, playbook_id: str, score: float, lang: str) -> Text:
    playbook = policy_set.playbooks.get(playbook_id)
    title = playbook.title.text(lang) if playbook else playbook_id
    return Text.assemble(title, (f"  {score:.0%}", "dim"))


def render_playbook(answer: "Answer", policy_set: PolicySet) -> RenderableType:
    """A matched playbook: title, verdict and reasons, then what to do, say and offer, then the leeway."""
    playbook = policy_set.playbooks[answer.playbook]
    lang, decision = answer.lang, answer.decision
    parts: list[RenderableType] = [title_line(answer, playbook)]
    if playbook.summary:
        parts.append(Text(playbook.summary.text(lang), style="dim"))
    parts += verdict_block(answer, policy_set)
    parts += section(t("heading_steps", lang), numbered([s.text(lang) for s in playbook.steps]))
    parts += section(t("heading_checks", lang), bullets([c.text(lang) for c in playbook.checks], "☐"))
    parts += say_block(playbook, decision, lang)
    if decision is not None and decision.verdict == "not_allowed":
        parts += section(t("heading_offer", lang), bullets([o.text(lang) for o in playbook.offer_instead], "→"))
    parts += owner_block(playbook, lang)
    parts += good_avoid_block(playbook, lang)
    if decision is not None:
        parts += leeway_block(decision, lang, policy_set)
    return Group(*parts)


def title_line(answer: "Answer", playbook: Playbook) -> Text:
    line = Text(playbook.title.text(answer.lang), style="bold")
    score = next((c.score for c in answer.candidates if c.playbook == playbook.id), None)
    if score is not None:
        line.append(f"  ({t('match_score', answer.lang, score=f'{score:.0%}')})", style="dim")
    return line


def verdict_block(answer: "Answer", policy_set: PolicySet) -> list[RenderableType]:
    """The verdict in its colour, the rules behind it (dim, with file and line), and any question to answer.

    The verdict line already words the first reason, so that one is listed again only when it cites a file.
    """
    lang, decision = answer.lang, answer.decision
    lines: list[RenderableType] = []
    if decision is not None:
        lines.append(Text(verdict_line(decision, lang, policy_set), style=VERDICT_STYLES[decision.verdict]))
        reasons = [r for i, r in enumerate(decision.reasons) if i > 0 or r.source]
        if reasons:
            lines.append(bullets([reason_text(r, lang, policy_set) for r in reasons], "·", style="dim"))
    question = request_question(answer.request, lang, policy_set)
    if question:
        lines.append(Text(f"❓ {question}", style="yellow"))
    return [Text(""), *lines, Text("")] if lines else []


def say_block(playbook: Playbook, decision: Decision | None, lang: str) -> list[RenderableType]:
    """What to say: the opening, then yes or no as the verdict allows (yes after approval when it needs one)."""
    say = playbook.say
    if say is None:
        return []
    verdict = decision.verdict if decision else None
    lines: list[Text] = []
    if say.opening:
        lines.append(quote(say.opening.text(lang)))
    if verdict == "allowed" and say.yes:
        lines.append(quote(say.yes.text(lang)))
    if verdict == "needs_approval" and say.yes:
        lines.append(Text.assemble((t("say_once_approved", lang) + " ", "dim"), quote(say.yes.text(lang))))
    if verdict == "not_allowed" and say.no:
        lines.append(quote(say.no.text(lang)))
    return section(t("heading_say", lang), Group(*lines)) if lines else []


def owner_block(playbook: Playbook, lang: str) -> list[RenderableType]:
    owner = playbook.owner
    if owner is None:
        return []
    line = Text(t("heading_owner", lang, team=owner.team), style=HEADING)
    if owner.contact:
        line.append(f" ({owner.contact})", style="dim")
    if owner.handoff:
        line.append(" — ")
        line.append(owner.handoff.text(lang), style="default")
    return [line]


def good_avoid_block(playbook: Playbook, lang: str) -> list[RenderableType]:
    good = bullets([g.text(lang) for g in playbook.good], "✓", style="green")
    avoid = bullets([a.text(lang) for a in playbook.avoid], "✗", style="red")
    if not playbook.good and not playbook.avoid:
        return []
    return section(t("heading_good_avoid", lang), Group(good, avoid))


def leeway_block(decision: Decision, lang: str, policy_set: PolicySet) -> list[RenderableType]:
    """The asker's limits in this playbook, who can approve more, and what is left of their budget."""
    leeway, policy = decision.leeway, policy_set.policy
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False, pad_edge=False)
    for key in ("column_action", "column_limit", "column_next", "column_next_limit"):
        table.add_column(Text(t(key, lang)), justify="right" if "limit" in key else "left")
    for row in leeway.actions:
        asked = row.action == decision.request.action
        table.add_row(
            Text(("› " if asked else "  ") + action_name(policy, row.action, lang)),
            Text(money(row.limit, leeway.currency, lang)),
            Text(role_name(policy, row.next_role, lang) if row.next_role else "—"),
            Text(money(row.next_limit, leeway.currency, lang) if row.next_limit is not None else "—"),
            style="bold" if asked else None,
        )
    parts: list[RenderableType] = [Text(t("heading_leeway", lang, role=role_name(policy, leeway.role, lang)), style=HEADING)]
    if leeway.actions:
        parts.append(table)
    budget = budget_line(decision, lang)
    if budget:
        parts.append(Text(budget, style="dim"))
    return parts


# ---------------------------------------------------------------- small pieces


def section(heading: str, body: RenderableType) -> list[RenderableType]:
    """A bold heading over its body; nothing at all when the body is empty."""
    if isinstance(body, Table) and body.row_count == 0:
        return []
    return [Text(heading, style=HEADING), body]


def numbered(lines: list[str | Text]) -> Table:
    """``1. text`` rows whose wrapped lines stay indented under the text."""
    return _list([(f"{number}.", line) for number, line in enumerate(lines, start=1)])


def bullets(lines: list[str], mark: str, *, style: str | None = None) -> Table:
    return _list([(mark, Text(line, style=style or "")) for line in lines], mark_style=style)


def _list(rows: list[tuple[str, str | Text]], *, mark_style: str | None = None) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style=mark_style or "dim", no_wrap=True)
    grid.add_column(ratio=1)
    for mark, line in rows:
        grid.add_row(mark, line if isinstance(line, Text) else Text(line))
    return grid


def quote(text: str) -> Text:
    return Text(f"“{inert(text)}”", style="italic")
