"""``leeway digest``: the leads' weekly digest, printed (a preview) or posted to Slack once per week (``--post``).

Run ``leeway digest --post`` from cron (hourly is fine): it posts only the first
time in each week after the schedule in ``routing.digest`` has come round.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import command
from bot.settings import Settings


@command("digest", "The leads' weekly digest: print it, or post it to Slack once a week with --post (for cron).")
def digest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import open_ledger, open_store
    from bot.slack.words import phrase

    lang = args.lang or settings.lang or "en"
    store, ledger, now = open_store(settings), open_ledger(settings), datetime.now(UTC)
    if args.post and settings.slack_bot_token:
        return post(settings, store, ledger, now=now, lang=lang)
    preview(store, ledger, now=now, lang=lang, chart=args.chart)
    if args.post:
        print(phrase("digest_no_token", lang), file=sys.stderr)
        return 2
    return 0


def post(settings: Settings, store, ledger, *, now: datetime, lang: str) -> int:
    from bot.slack.app import web_client
    from bot.slack.digest import post_weekly_digest
    from bot.slack.words import phrase

    outcome = post_weekly_digest(web_client(settings), ledger, store, now=now, lang=lang)
    if outcome.status == "no_schedule":
        print(phrase("digest_no_schedule", lang), file=sys.stderr)
        return 2
    key = "digest_posted" if outcome.status == "posted" else "digest_already"
    print(phrase(key, lang, week=outcome.week, channel=outcome.channel))
    return 0


def preview(store, ledger, *, now: datetime, lang: str, chart: str | None) -> None:
    """The last seven days as text (and the chart as a PNG file with ``--chart``); nothing is recorded."""
    from bot.slack.digest import chart_png, digest_text, gather
    from bot.slack.words import phrase

    policy_set = store.current()
    content = gather(ledger, policy_set, end=now)
    print(digest_text(content, lang))
    if chart:
        Path(chart).write_bytes(chart_png(content, policy_set, lang))
        print(phrase("digest_chart_written", lang, path=chart), file=sys.stderr)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--post", action="store_true",
                        help="post to routing.digest.channel (needs SLACK_BOT_TOKEN); once per week, safe to run hourly")
    parser.add_argument("--lang", choices=("en", "es"), help="language of the digest (default LEEWAY_LANG, else en)")
    parser.add_argument("--chart", metavar="FILE", help="also write the chart of exceptions per week as a PNG file")


digest.configure = _configure
