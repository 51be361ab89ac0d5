"""``leeway replay``: a thin door onto ``bot.replay``. Decides nothing; words and prints what would change."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from bot.cli import command
from bot.settings import Settings

COLUMNS = ("case", "date", "agent", "playbook", "action", "amount", "was", "now", "why")


@command("replay", "Re-decide the logged cases under proposed playbooks/policies and list what would change.")
def replay_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.loading import load_policy_set
    from bot.periods import since as parse_since
    from bot.replay import replay
    from bot.runtime import existing_ledger

    proposed = load_policy_set(settings.playbooks, settings.policies)
    now = datetime.now(UTC)
    report = replay(existing_ledger(settings), proposed, since=parse_since(args.since, now=now), until=now)
    lang = args.lang or settings.lang or "en"
    write = {"json": _write_json, "md": _write_markdown}.get(args.format, _write_table)
    write(report, proposed, lang, sys.stdout)
    return 0


def _flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default="30d", metavar="AGE",
                        help="replay the cases logged since: 30d (default), 12w, or a date (2026-11-01)")
    parser.add_argument("--format", choices=["table", "json", "md"], default="table")
    parser.add_argument("--lang", choices=["en", "es"], help="language of the report (default en)")


replay_command.configure = _flags


# ---------------------------------------------------------------- words


def summary(report, lang: str) -> str:
    from bot.messages import t

    since = report.since.strftime("%Y-%m-%d %H:%M UTC") if report.since else "—"
    line = t("replay_summary", lang, cases=report.cases, since=since, revision=report.revision,
             changed=len(report.changes))
    return line if report.changes else f"{line}\n{t('replay_no_changes', lang)}"


def heading(kind: str, count: int, lang: str) -> str:
    from bot.messages import t

    return t(f"replay_kind_{kind}", lang, count=count)


def row_words(change, policy_set, lang: str) -> dict[str, str]:
    """One changed case as the cells of a row: the case, what it was, what it is now and why."""
    from bot.messages import action_name, money, t

    case, policy = change.case, policy_set.policy
    return {
        "case": t(f"replay_case_{case.kind}", lang, id=case.id),
        "date": case.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        "agent": case.user,
        "playbook": case.playbook,
        "action": action_name(policy, case.action, lang),
        "amount": money(case.amount, case.currency, lang),
        "was": _verdict_words(case.verdict, case.approver_role, policy_set, lang),
        "now": "—" if change.kind == "gone"
               else _verdict_words(change.verdict, change.approver_role, policy_set, lang),
        "why": _why(change, policy_set, lang),
    }


def _verdict_words(verdict, approver, policy_set, lang: str) -> str:
    from bot.messages import role_name, t

    approver_words = role_name(policy_set.policy, approver, lang) if approver else "?"
    return t(f"replay_verdict_{verdict or 'none'}", lang, approver=approver_words)


def _why(change, policy_set, lang: str) -> str:
    from bot.messages import action_name, reason_text, t

    if change.missing == "playbook":
        return t("replay_missing_playbook", lang, playbook=change.case.playbook)
    if change.missing == "action":
        return t("replay_missing_action", lang, playbook=change.case.playbook,
                 action=action_name(policy_set.policy, change.case.action, lang))
    return " ".join(reason_text(reason, lang, policy_set) for reason in change.causes)


def _column_titles(lang: str) -> list[str]:
    from bot.messages import t

    return [t(f"replay_column_{column}", lang) for column in COLUMNS]


# ---------------------------------------------------------------- formats


def _write_table(report, policy_set, lang: str, out) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=max(160, Console().width))
    console.print(summary(report, lang), markup=False)
    for kind, changes in report.by_kind().items():
        table = Table(title=heading(kind, len(changes), lang), title_justify="left", show_lines=False)
        for title in _column_titles(lang):
            table.add_column(title, overflow="fold")
        for change in changes:
            words = row_words(change, policy_set, lang)
            table.add_row(*(words[column] for column in COLUMNS))
        console.print(table)


def _write_markdown(report, policy_set, lang: str, out) -> None:
    lines = [summary(report, lang), ""]
    for kind, changes in report.by_kind().items():
        lines += [f"### {heading(kind, len(changes), lang)}", "", "| " + " | ".join(_column_titles(lang)) + " |",
                  "|" + "---|" * len(COLUMNS)]
        for change in changes:
            words = row_words(change, policy_set, lang)
            lines.append("| " + " | ".join(words[column].replace("|", "\\|") for column in COLUMNS) + " |")
        lines.append("")
    out.write("\n".join(lines).rstrip("\n") + "\n")


def _write_json(report, policy_set, lang: str, out) -> None:
    out.write(json.dumps(as_json(report, policy_set, lang), ensure_ascii=False, indent=2) + "\n")


def as_json(report, policy_set, lang: str) -> dict:
    """The stable machine-readable shape of a replay (``leeway replay --format json``)."""
    from bot.messages import reason_text
    from bot.replay import counts

    def case_json(case) -> dict:
        return {"type": case.kind, "id": case.id, "date": case.at.astimezone(UTC).isoformat(), "agent": case.user,
                "role": case.role, "playbook": case.playbook, "action": case.action, "amount": str(case.amount),
                "currency": case.currency, "customer_ref": case.customer_ref, "verdict": case.verdict,
                "approver_role": case.approver_role, "policy_revision": case.policy_revision}

    return {
        "revision": report.revision,
        "since": report.since.astimezone(UTC).isoformat() if report.since else None,
        "until": report.until.astimezone(UTC).isoformat(),
        "cases": report.cases, "changed": len(report.changes), "counts": counts(report.changes),
        "changes": [{"kind": change.kind, "case": case_json(change.case), "verdict": change.verdict,
                     "approver_role": change.approver_role, "missing": change.missing,
                     "why": row_words(change, policy_set, lang)["why"],
                     "causes": [{"code": r.code, "source": r.source, "text": reason_text(r, lang, policy_set)}
                                for r in change.causes]}
                    for change in report.changes],
    }
