"""``leeway report`` and ``leeway insights``: thin doors onto ``bot.reports`` and ``bot.insights``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.cli import command
from bot.settings import Settings

FORMATS = ("table", "csv", "json", "md")


@command("report", "Exceptions, escalations, budgets and repeat customers for a period, with insights.")
def report_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot import report_rendering as render
    from bot.reports import build_report

    ledger, policy_set, lang = _open(settings, args)
    start, end = _period(args, default="7d")
    report = build_report(ledger, policy_set, start=start, end=end, team=args.team, with_insights=not args.no_insights,
                          encoder=_encoder(settings))
    if args.format == "table":
        return _print_rich(render.report_table(report, policy_set, lang))
    text = {"csv": lambda: render.report_csv(report), "json": lambda: render.report_json(report, lang),
            "md": lambda: render.report_markdown(report, policy_set, lang)}[args.format]()
    sys.stdout.write(text)
    return 0


def _report_flags(parser: argparse.ArgumentParser) -> None:
    _period_flags(parser, default="7d")
    parser.add_argument("--team", help="only this team's exceptions and escalations (insights stay organisation-wide)")
    parser.add_argument("--no-insights", action="store_true", help="figures only, without insights for policy owners")
    _output_flags(parser)


report_command.configure = _report_flags


@command("insights", "Suggestions for policy owners, with evidence and the file:line to change.")
def insights_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot import report_rendering as render

    ledger, policy_set, lang = _open(settings, args)
    start, end = _period(args, default="30d")
    found = _insights(ledger, policy_set, settings, start=start, end=end)
    if args.format == "table":
        return _print_rich(render.insights_view(found, lang))
    text = {"csv": render.insights_csv, "json": render.insights_json,
            "md": render.insights_markdown}[args.format](found, lang)
    sys.stdout.write(text)
    return 0


def _insights_flags(parser: argparse.ArgumentParser) -> None:
    _period_flags(parser, default="30d")
    _output_flags(parser)


insights_command.configure = _insights_flags


# ---------------------------------------------------------------- shared


def _open(settings: Settings, args: argparse.Namespace):
    """The ledger (which must exist: a report never creates one), the policy set, and the reader's language."""
    from bot.loading import load_policy_set
    from bot.runtime import existing_ledger

    return existing_ledger(settings), load_policy_set(settings.playbooks, settings.policies), args.lang or settings.lang or "en"


def _period(args: argparse.Namespace, *, default: str):
    from bot.periods import window

    since = args.since if args.since or args.from_date or args.to_date else default
    return window(since_text=since, from_text=args.from_date, to_text=args.to_date, now=datetime.now(UTC))


def _insights(ledger, policy_set, settings: Settings, *, start, end):
    from bot.insights import find_insights

    return find_insights(ledger, policy_set, start=start, end=end, encoder=_encoder(settings))


def _encoder(settings: Settings):
    """The encoder chosen in the settings; None lets the insights load the default one only if they need it."""
    from bot.encoders import get_encoder

    return get_encoder(settings.encoder) if settings.encoder else None


def _print_rich(renderable) -> int:
    from rich.console import Console

    Console(width=max(100, Console().width)).print(renderable)
    return 0


def _period_flags(parser: argparse.ArgumentParser, *, default: str) -> None:
    parser.add_argument("--since", metavar="AGE", help=f"the period up to now: 7d, 24h, or a date (default {default})")
    parser.add_argument("--from", dest="from_date", metavar="DATE", help="first day of the period (2026-11-01)")
    parser.add_argument("--to", dest="to_date", metavar="DATE", help="last day of the period, included")


def _output_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--lang", choices=["en", "es"], help="language of the text (default LEEWAY_LANG, else English)")
