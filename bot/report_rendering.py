"""A report and its insights as a terminal table (rich), Markdown, CSV or JSON; and short digest lines.

Pure functions of a ``Report`` (and the PolicySet, for people's and actions' names):
the words come from ``bot.messages``, so every format reads in English or Spanish.
Terminal output is built from ``rich.text.Text``, never markup, so a customer
reference or a situation containing ``[bold]`` is shown as typed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.insights import Insight
from bot.messages import action_name, money, role_name, t
from bot.models import PolicySet
from bot.reports import REPEAT_CUSTOMER_MIN, STATUSES, Figure, Report

HEADING = "bold cyan"
SECTIONS = (("report_by_playbook", "by_playbook"), ("report_by_action", "by_action"),
            ("report_by_agent", "by_agent"), ("report_by_team", "by_team"))
ROWS_SHOWN = 15


# ---------------------------------------------------------------- words shared by every format


def period_text(start: datetime, end: datetime) -> tuple[str, str]:
    """Whole days as dates (the end day included), other moments to the minute, UTC.

    >>> from datetime import UTC
    >>> period_text(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 8, tzinfo=UTC))
    ('2026-11-01', '2026-11-07')
    """
    if start.time() == end.time() == datetime.min.time():
        return f"{start:%Y-%m-%d}", f"{end - timedelta(days=1):%Y-%m-%d}"
    return f"{start:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M} UTC"


def duration(seconds: float, lang: str | None) -> str:
    """A wait as people say it.

    >>> duration(2700, "en"), duration(9000, "en"), duration(302400, "es")
    ('45 min', '2.5 h', '3,5 días')
    """
    if seconds < 3600:
        return t("duration_minutes", lang, n=round(seconds / 60))
    if seconds < 86400 * 2:
        return t("duration_hours", lang, n=_short(seconds / 3600, lang))
    return t("duration_days", lang, n=_short(seconds / 86400, lang))


def _short(value: float, lang: str | None) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "es" else text


def share(value: float | Decimal) -> str:
    return f"{float(value):.0%}"


def key_name(section: str, key: str, policy_set: PolicySet, lang: str | None) -> str:
    """What a row is called: an action's name, a person's name, a team, a playbook id."""
    if section == "by_action":
        return action_name(policy_set.policy, key, lang)
    if section == "by_agent":
        person = policy_set.policy.people.users.get(key)
        return f"{person.name} ({key})" if person and person.name else key
    if section == "by_team" and not key:
        return t("report_no_team", lang)
    return key


def amounts_text(pairs, lang: str | None, *, base: str = "") -> str:
    """``12 USD + 5 EUR``: one sum per currency, never converted; ``pairs`` are (currency, amount).

    >>> amounts_text([("USD", Decimal("12")), ("EUR", Decimal("5.5"))], "en"), amounts_text([], "es", base="USD")
    ('12 USD + 5.50 EUR', '0 USD')
    """
    return " + ".join(money(amount, currency, lang) for currency, amount in pairs) or money(Decimal(0), base, lang)


def figure_pairs(figures: tuple[Figure, ...]) -> list[tuple[str, Decimal]]:
    return [(figure.currency, figure.amount) for figure in figures]


def escalation_lines(report: Report, lang: str | None) -> list[str]:
    figures = report.escalations
    lines = [t("report_escalation_counts", lang, **{status: getattr(figures, status) for status in STATUSES})]
    rate = figures.approval_rate
    lines.append(t("report_approval_rate", lang, rate=share(rate)) if rate is not None
                 else t("report_approval_rate_none", lang))
    if figures.median_decision_seconds is not None:
        lines.append(t("report_median_decision", lang, duration=duration(figures.median_decision_seconds, lang)))
    if figures.oldest_pending_id is not None:
        lines.append(t("report_oldest_pending", lang, id=figures.oldest_pending_id,
                       when=f"{figures.oldest_pending_at:%Y-%m-%d %H:%M} UTC"))
    return lines


def budget_lines(report: Report, policy_set: PolicySet, lang: str | None) -> list[str]:
    return [t("report_budget_use", lang, who=f"{use.name} ({use.user})" if use.name else use.user,
              role=role_name(policy_set.policy, use.role, lang), spent=money(use.spent, use.currency, lang),
              budget=money(use.budget, use.currency, lang), share=share(use.share)) for use in report.near_budget]


def customer_lines(report: Report, policy_set: PolicySet, lang: str | None) -> list[str]:
    return [t("report_repeat_customer", lang, customer=c.customer_ref, count=c.count,
              actions=", ".join(action_name(policy_set.policy, a, lang) for a in c.actions),
              amounts=amounts_text(c.amounts, lang)) for c in report.repeat_customers]


def title_line(report: Report, lang: str | None) -> str:
    start, end = period_text(report.start, report.end)
    if report.team is not None:
        return t("report_title_team", lang, team=report.team, start=start, end=end)
    return t("report_title", lang, start=start, end=end)


def headline_lines(report: Report, lang: str | None) -> list[str]:
    """A few short lines for the Slack digest: volume, escalations, who is near a budget, repeat customers."""
    start, end = period_text(report.start, report.end)
    count = sum(f.count for f in report.totals)
    amounts = amounts_text(figure_pairs(report.totals), lang, base=report.base_currency)
    key = "headline_exceptions_one" if count == 1 else "headline_exceptions"
    lines = [t(key, lang, count=count, start=start, end=end, amounts=amounts),
             t("headline_escalations", lang, pending=report.escalations.pending, approved=report.escalations.approved,
               denied=report.escalations.denied)]
    if report.near_budget:
        lines.append(t("headline_near_budget", lang, count=len(report.near_budget)))
    if report.repeat_customers:
        lines.append(t("headline_repeat_customers", lang, count=len(report.repeat_customers), min=REPEAT_CUSTOMER_MIN))
    return lines


# ---------------------------------------------------------------- terminal


def report_table(report: Report, policy_set: PolicySet, lang: str | None) -> RenderableType:
    """The whole report for a terminal: one small table per breakdown, then escalations, budgets, customers."""
    parts: list[RenderableType] = [Text(title_line(report, lang), style="bold"),
                                   Text(t("report_currency_note", lang, base=report.base_currency), style="dim")]
    if not report.totals:
        parts.append(Text(t("report_no_exceptions", lang)))
    else:
        parts.append(_figures_table(t("report_exceptions", lang), report.totals, "totals", policy_set, lang))
        for heading, section in SECTIONS:
            parts.append(_figures_table(t(heading, lang), getattr(report, section), section, policy_set, lang))
    parts += _text_section(t("report_escalations", lang), escalation_lines(report, lang))
    parts += _text_section(t("report_near_budget", lang), budget_lines(report, policy_set, lang) or [t("report_none", lang)])
    parts += _text_section(t("report_repeat_customers", lang),
                           customer_lines(report, policy_set, lang) or [t("report_none", lang)])
    if report.insights:
        parts += [Text(""), insights_view(list(report.insights), lang)]
    return Group(*parts)


def _figures_table(title: str, figures, section: str, policy_set: PolicySet, lang: str | None) -> Table:
    table = Table(title=title, title_style=HEADING, title_justify="left", box=box.SIMPLE_HEAD)
    if section != "totals":
        table.add_column(t("column_name", lang), overflow="fold")
    table.add_column(t("column_count", lang), justify="right")
    table.add_column(t("column_amount", lang), justify="right")
    for figure in figures[:ROWS_SHOWN]:
        cells = [str(figure.count), money(figure.amount, figure.currency, lang)]
        if section != "totals":
            cells.insert(0, key_name(section, figure.key, policy_set, lang))
        table.add_row(*(Text(cell) for cell in cells))
    return table


def _text_section(heading: str, lines: list[str]) -> list[RenderableType]:
    return [Text(""), Text(heading, style=HEADING), *(Text(f"  {line}") for line in lines)]


def insights_view(insights: list[Insight], lang: str | None) -> RenderableType:
    """Each insight: its title, the suggestion, where to change it, and a few examples."""
    parts: list[RenderableType] = [Text(t("report_insights", lang), style=HEADING)]
    if not insights:
        parts.append(Text(f"  {t('insights_none', lang)}"))
    for number, insight in enumerate(insights, 1):
        parts.append(Text.assemble((f"{number}. ", "bold"), (insight.title(lang), "bold")))
        parts.append(Text(f"   → {insight.suggestion(lang)}", style="green"))
        if insight.cites:
            parts.append(Text(f"   {t('insight_where', lang)}: {', '.join(insight.cites)}", style="dim"))
        for example in _examples_of(insight):
            parts.append(Text(f"   · {example}", style="dim italic"))
    return Group(*parts)


def _examples_of(insight: Insight) -> list[str]:
    evidence = insight.evidence
    found = evidence.get("typical") or evidence.get("examples") or []
    return [str(item)[:120] for item in found if isinstance(item, str)]


# ---------------------------------------------------------------- Markdown, CSV, JSON


def report_markdown(report: Report, policy_set: PolicySet, lang: str | None) -> str:
    lines = [f"# {title_line(report, lang)}", "", f"_{t('report_currency_note', lang, base=report.base_currency)}_", ""]
    if not report.totals:
        lines += [t("report_no_exceptions", lang), ""]
    for heading, section in (("report_exceptions", "totals"), *SECTIONS) if report.totals else ():
        lines += [f"## {t(heading, lang)}", "", _markdown_table(getattr(report, section), section, policy_set, lang), ""]
    for heading, found in (("report_escalations", escalation_lines(report, lang)),
                           ("report_near_budget", budget_lines(report, policy_set, lang)),
                           ("report_repeat_customers", customer_lines(report, policy_set, lang))):
        lines += [f"## {t(heading, lang)}", "", *(f"- {_md(line)}" for line in found or [t("report_none", lang)]), ""]
    if report.insights:
        lines.append(insights_markdown(list(report.insights), lang))
    return "\n".join(lines).rstrip() + "\n"


def _markdown_table(figures, section: str, policy_set: PolicySet, lang: str | None) -> str:
    head = [t("column_count", lang), t("column_amount", lang)]
    if section != "totals":
        head.insert(0, t("column_name", lang))
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for figure in figures:
        cells = [str(figure.count), money(figure.amount, figure.currency, lang)]
        if section != "totals":
            cells.insert(0, _md(key_name(section, figure.key, policy_set, lang)))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _md(text: str) -> str:
    """Keep table cells and list items intact: escape the characters Markdown would read."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def insights_markdown(insights: list[Insight], lang: str | None) -> str:
    lines = [f"## {t('report_insights', lang)}", ""]
    if not insights:
        lines.append(t("insights_none", lang))
    for number, insight in enumerate(insights, 1):
        lines += [f"{number}. **{_md(insight.title(lang))}**", f"   {_md(insight.suggestion(lang))}"]
        if insight.cites:
            lines.append(f"   {t('insight_where', lang)}: " + ", ".join(f"`{cite}`" for cite in insight.cites))
        lines += [f"   - {_md(example)}" for example in _examples_of(insight)]
    return "\n".join(lines) + "\n"


def report_csv(report: Report) -> str:
    """Long format, one figure a row: ``section,key,currency,count,amount`` (machine-friendly, no words)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "currency", "count", "amount"])
    for section in ("totals", "by_playbook", "by_action", "by_agent", "by_team"):
        for figure in getattr(report, section):
            writer.writerow([section, figure.key, figure.currency, figure.count, str(figure.amount)])
    figures = report.escalations
    for status in STATUSES:
        writer.writerow(["escalations", status, "", getattr(figures, status), ""])
    for use in report.near_budget:
        writer.writerow(["near_budget", use.user, use.currency, "", str(use.spent)])
    for customer in report.repeat_customers:
        for currency, amount in customer.amounts:
            writer.writerow(["repeat_customers", customer.customer_ref, currency, customer.count, str(amount)])
    return out.getvalue()


def insights_csv(insights: list[Insight], lang: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "subject", "weight", "title", "suggestion", "cites", "evidence"])
    for insight in insights:
        writer.writerow([insight.kind, insight.subject, insight.weight, insight.title(lang), insight.suggestion(lang),
                         " ".join(insight.cites), json.dumps(insight.evidence, ensure_ascii=False, sort_keys=True)])
    return out.getvalue()


def report_json(report: Report, lang: str | None) -> str:
    return json.dumps(report.as_dict(lang), ensure_ascii=False, indent=2) + "\n"


def insights_json(insights: list[Insight], lang: str | None) -> str:
    return json.dumps([insight.as_dict(lang) for insight in insights], ensure_ascii=False, indent=2) + "\n"
