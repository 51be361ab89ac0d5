"""The leads' weekly digest: headline figures, the top insights, great calls, the ledger's head, and a chart.

Posted to ``routing.digest.channel`` once per week, at the weekday and time the
policy files give (in the policy's time zone), by the running app
(``bot/slack/digest_clock.py``) or by ``leeway digest --post`` run from cron. A row per week in ``slack_digests`` (in the ledger's file) is claimed
*before* posting, so a second cron run, a restart or two hosts never post the
same week twice; a failed post releases it so the next run tries again. The
digest covers the seven days up to the scheduled moment, so consecutive digests
neither overlap nor leave a gap, however late cron runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject

from bot.charts import WeeklyCounts, exceptions_chart_png, weekly_counts
from bot.ledger import Ledger, iso
from bot.models import WEEKDAYS, Digest, PolicySet
from bot.recognition import GreatCall, Recognition
from bot.reloading import PolicyStore
from bot.slack.blocks import as_dicts, escape, fit, mention, sections
from bot.slack.reviewing import headline_lines, insight_text, top_insights
from bot.slack.words import phrase

DIGEST_DAYS = 7
CHART_WEEKS = 8
GREAT_CALLS_NAMED = 10
log = logging.getLogger("leeway.slack.digest")

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_digests (
    week TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    ts TEXT,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class DigestContent:
    """Everything the digest says, gathered once from the ledger for ``[start, end)``."""

    start: datetime
    end: datetime
    timezone: str
    report: object = field(repr=False)  # a bot.reports.Report, worded in the reader's language when shown
    insights: list = field(default_factory=list)
    great_calls: list[GreatCall] = field(default_factory=list)
    head: tuple[int, str] | None = None
    counts: WeeklyCounts | None = field(default=None, repr=False)


@dataclass(frozen=True)
class DigestOutcome:
    """What ``post_weekly_digest`` did: ``posted``, ``already_posted`` (this week) or ``no_schedule``."""

    status: str
    week: str | None = None
    channel: str | None = None
    ts: str | None = None
    file_id: str | None = None


# ---------------------------------------------------------------- the schedule


def last_slot(schedule: Digest, *, now: datetime, timezone: str) -> datetime:
    """The latest scheduled moment at or before ``now`` (UTC): this week's, or last week's if it is still to come.

    >>> monday_nine = Digest(channel="C0LEADS01", weekday="monday", time="09:00")
    >>> last_slot(monday_nine, now=datetime(2026, 11, 25, tzinfo=UTC), timezone="UTC").isoformat()
    '2026-11-23T09:00:00+00:00'
    >>> last_slot(monday_nine, now=datetime(2026, 11, 23, 8, tzinfo=UTC), timezone="UTC").isoformat()
    '2026-11-16T09:00:00+00:00'
    """
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - WEEKDAYS.index(schedule.weekday)) % 7)
    hours, minutes = (int(part) for part in schedule.time.split(":"))
    slot = datetime.combine(day, time(hours, minutes), tzinfo=zone)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7), time(hours, minutes), tzinfo=zone)
    return slot.astimezone(UTC)


def week_label(moment: datetime, timezone: str) -> str:
    """The ISO week a digest belongs to: its key in ``slack_digests``.

    >>> week_label(datetime(2026, 11, 23, 9, tzinfo=UTC), "UTC")
    '2026-W48'
    """
    year, week, _ = moment.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


class DigestLog:
    """``slack_digests``: one row per week posted (claimed first, released if the post fails)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.ledger.db.executescript(SCHEMA)

    def claim(self, week: str, *, channel: str, now: datetime) -> bool:
        cursor = self.ledger.db.execute("INSERT OR IGNORE INTO slack_digests (week, channel, created_at) VALUES (?, ?, ?)",
                                        [week, channel, iso(now)])
        return cursor.rowcount == 1

    def release(self, week: str) -> None:
        self.ledger.db.execute("DELETE FROM slack_digests WHERE week = ?", [week])

    def posted(self, week: str, *, ts: str | None) -> None:
        self.ledger.db.execute("UPDATE slack_digests SET ts = ? WHERE week = ?", [ts, week])


# ---------------------------------------------------------------- content


def gather(ledger: Ledger, policy_set: PolicySet, *, end: datetime) -> DigestContent:
    """The digest's figures for the seven days before ``end`` (and the chart's weeks before that)."""
    from bot.insights import find_insights
    from bot.reports import build_report

    start = end - timedelta(days=DIGEST_DAYS)
    timezone = policy_set.policy.timezone
    report = build_report(ledger, policy_set, start=start, end=end)
    return DigestContent(
        start=start, end=end, timezone=timezone, report=report,
        insights=top_insights(find_insights(ledger, policy_set, start=start, end=end)),
        great_calls=Recognition(ledger).between(start=start, end=end),
        head=ledger.chain_head(),
        counts=weekly_counts(ledger, start=end - timedelta(weeks=CHART_WEEKS), end=end, timezone=timezone))


def digest_blocks(content: DigestContent, lang: str) -> list[Block]:
    """Pure: the digest as Block Kit (validated by ``as_dicts``), at most 50 blocks."""
    blocks: list[Block] = [HeaderBlock(text=phrase("digest_title", lang)),
                           ContextBlock(elements=[MarkdownTextObject(text=escape(period(content, lang)))]),
                           *sections(f"*{escape(phrase('digest_headline', lang))}*\n"
                                     + "\n".join(f"• {escape(line)}" for line in headline_lines(content.report, lang))),
                           DividerBlock(),
                           *sections(f"*{escape(phrase('digest_insights', lang))}*\n" + insight_text(content.insights, lang))]
    if content.great_calls:
        blocks += sections(great_calls_line(content.great_calls, lang))
    if content.head:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(head_line(content.head, lang)))]))
    return fit(blocks, lang)


def digest_text(content: DigestContent, lang: str) -> str:
    """The same digest as plain text: the notification's fallback and what ``leeway digest`` prints."""
    lines = [phrase("digest_title", lang), period(content, lang), "", phrase("digest_headline", lang)]
    lines += [f"  • {line}" for line in headline_lines(content.report, lang)]
    lines += ["", phrase("digest_insights", lang)]
    lines += [f"  • {i.title(lang)}: {i.suggestion(lang)}" for i in content.insights] or [f"  {phrase('review_no_insights', lang)}"]
    if content.great_calls:
        lines += ["", phrase("digest_great_calls", lang, count=len(content.great_calls))]
    if content.head:
        lines += ["", head_line(content.head, lang)]
    return "\n".join(lines)


def period(content: DigestContent, lang: str) -> str:
    zone = ZoneInfo(content.timezone)
    shown = {name: moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") for name, moment in
             (("start", content.start), ("end", content.end))}
    return phrase("digest_period", lang, timezone=content.timezone, **shown)


def great_calls_line(great_calls: list[GreatCall], lang: str) -> str:
    agents = list(dict.fromkeys(g.agent for g in great_calls))[:GREAT_CALLS_NAMED]
    return f"{escape(phrase('digest_great_calls', lang, count=len(great_calls)))}: {', '.join(mention(a) for a in agents)}"


def head_line(head: tuple[int, str], lang: str) -> str:
    """``Ledger head: #N abc123…``: a reader who notes it can later notice a ledger cut short or rewritten."""
    count, digest = head
    return phrase("digest_ledger_head", lang, count=count, hash=str(digest or "-")[:12])


def chart_png(content: DigestContent, policy_set: PolicySet, lang: str) -> bytes:
    titles = {pid: playbook.title.text(lang) for pid, playbook in policy_set.playbooks.items()}
    return exceptions_chart_png(content.counts, lang=lang, titles=titles)


# ---------------------------------------------------------------- posting


def post_weekly_digest(client: WebClient, ledger: Ledger, store: PolicyStore, *, now: datetime,
                       lang: str = "en") -> DigestOutcome:
    """Post this week's digest and its chart once; later calls in the same week do nothing."""
    policy_set = store.current()
    routing = policy_set.policy.routing
    schedule = routing.digest if routing else None
    if schedule is None:
        return DigestOutcome("no_schedule")
    slot = last_slot(schedule, now=now, timezone=policy_set.policy.timezone)
    week = week_label(slot, policy_set.policy.timezone)
    digests = DigestLog(ledger)
    if not digests.claim(week, channel=schedule.channel, now=now):
        return DigestOutcome("already_posted", week=week, channel=schedule.channel)
    try:
        content = gather(ledger, policy_set, end=slot)
        posted = client.chat_postMessage(channel=schedule.channel, text=phrase("digest_title", lang),
                                         blocks=as_dicts(digest_blocks(content, lang)))
    except BaseException:
        digests.release(week)  # nothing went out: the next run tries again
        raise
    digests.posted(week, ts=posted.get("ts"))
    file_id = upload_chart(client, content, policy_set, channel=schedule.channel, lang=lang)
    return DigestOutcome("posted", week=week, channel=schedule.channel, ts=posted.get("ts"), file_id=file_id)


def upload_chart(client: WebClient, content: DigestContent, policy_set: PolicySet, *, channel: str,
                 lang: str) -> str | None:
    """The PNG through Slack's files API (``files_upload_v2``); a failure leaves the posted digest as it is."""
    try:
        uploaded = client.files_upload_v2(channel=channel, file=chart_png(content, policy_set, lang),
                                          filename="exceptions-per-week.png", title=phrase("digest_chart", lang),
                                          alt_txt=phrase("digest_chart_alt", lang, weeks=len(content.counts.weeks)))
    except SlackApiError as error:  # e.g. missing_scope (files:write): the text digest is still useful
        log.warning("digest chart not uploaded: %s", (error.response or {}).get("error"))
        return None
    return (uploaded.get("file") or {}).get("id")
