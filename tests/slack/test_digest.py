"""The leads' weekly digest: valid Block Kit, posted once per week with its chart to a stand-in Slack, and scheduled."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.acting import log_exception, make_draft
from bot.cli import main
from bot.errors import PolicyInvalid
from bot.ledger import Ledger
from bot.loading import load_policy_set
from bot.models import Digest
from bot.recognition import Recognition
from bot.rematches import record_rematch
from bot.slack.blocks import escape
from bot.slack.digest import digest_blocks, digest_text, gather, last_slot, post_weekly_digest
from bot.slack.reviewing import headline_lines
from standin import text_of

REPO = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-digest-token"
WEDNESDAY = datetime(2026, 11, 25, 10, tzinfo=UTC)  # the sample policy posts on Mondays at 09:00 UTC


@pytest.fixture
def ledger(tmp_path, sample_set):
    ledger = Ledger(tmp_path / "digest.db")
    for n, (user, days) in enumerate([("U0AGENT01", 1), ("U0AGENT01", 3), ("U0AGENT02", 4), ("U0AGENT02", 20)]):
        draft = make_draft(sample_set, user=user, playbook="late-delivery", action="refund_shipping",
                           amount=Decimal("10"), currency="USD", customer_ref=f"ORD-{n}", note="<!channel>")
        record = log_exception(ledger, sample_set, draft, role="agent", key=f"k{n}",
                               now=WEDNESDAY - timedelta(days=days + 2)).record
    Recognition(ledger).mark(sample_set.policy, exception_id=1, by="U0LEAD01", now=WEDNESDAY - timedelta(days=3))
    for n in range(3):  # agents keep turning late-delivery down for lost-package: an insight
        record_rematch(ledger, key=f"r{n}", user="U0AGENT01", offered="late-delivery", chosen="lost-package",
                       now=WEDNESDAY - timedelta(days=n + 2))
    assert record.id == 4
    return ledger


@pytest.fixture
def client(standin):
    return WebClient(token=TOKEN, base_url=standin.api_url)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_digest_validates_as_block_kit_within_limits(ledger, sample_set, lang):
    content = gather(ledger, sample_set, end=WEDNESDAY)
    blocks = [block.to_dict() for block in digest_blocks(content, lang)]  # to_dict validates every limit
    assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks
    assert 3 <= len(blocks) <= 50 and blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    body = text_of(blocks)
    assert "<@U0AGENT01>" in body and "<!channel>" not in body
    words = {"en": ("Headline figures", "Top insights"), "es": ("Cifras principales", "Hallazgos")}
    assert all(word in body for word in words[lang])
    assert all(escape(line) in body for line in headline_lines(content.report, lang))  # the report's own words
    insights = next(b for b in blocks if b["type"] == "section" and words[lang][1] in b["text"]["text"])
    assert "Nothing unusual" not in insights["text"]["text"] and "Nada fuera" not in insights["text"]["text"]
    assert ("Ledger head: #" if lang == "en" else "Cabeza del registro: #") in body or not hasattr(ledger, "chain_head")


def test_the_digest_counts_the_seven_days_before_the_slot(ledger, sample_set):
    content = gather(ledger, sample_set, end=WEDNESDAY)
    assert content.start == WEDNESDAY - timedelta(days=7)
    assert len(content.great_calls) == 1 and content.counts.series["late-delivery"][-4:] == (1, 0, 3, 0)
    assert "Leeway weekly digest" in digest_text(content, "en")


def test_posted_to_the_leads_channel_with_its_chart_once_per_week(ledger, sample_store, client, standin):
    outcome = post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY)
    assert (outcome.status, outcome.week, outcome.channel) == ("posted", "2026-W48", "C0LEADS01")
    post = standin.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "C0LEADS01" and post["blocks"][0]["type"] == "header"
    upload = standin.wait_for("files.getUploadURLExternal")[0].params
    assert upload["filename"] == "exceptions-per-week.png"
    assert standin.uploads[outcome.file_id].startswith(b"\x89PNG")
    assert standin.wait_for("files.completeUploadExternal")[0].params["channel_id"] == "C0LEADS01"
    again = post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY + timedelta(days=4))  # Sunday, a second cron run
    assert again.status == "already_posted" and len(standin.of("chat.postMessage")) == 1
    next_week = post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY + timedelta(days=5))  # Monday 10:00
    assert (next_week.status, next_week.week) == ("posted", "2026-W49")


def test_a_failed_post_is_tried_again_next_run(ledger, sample_store, client, standin):
    standin.failing["chat.postMessage"] = "channel_not_found"
    with pytest.raises(SlackApiError):
        post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY)
    del standin.failing["chat.postMessage"]
    assert post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY).status == "posted"


def test_a_failed_chart_upload_keeps_the_digest(ledger, sample_store, client, standin):
    standin.failing["files.getUploadURLExternal"] = "missing_scope"
    outcome = post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY)
    assert outcome.status == "posted" and outcome.file_id is None
    assert post_weekly_digest(client, ledger, sample_store, now=WEDNESDAY).status == "already_posted"


@pytest.mark.parametrize("weekday, clock, timezone, now, expected", [
    ("monday", "09:00", "UTC", "2026-11-23T09:00:00+00:00", "2026-11-23T09:00:00+00:00"),
    ("monday", "09:00", "UTC", "2026-11-23T08:59:00+00:00", "2026-11-16T09:00:00+00:00"),
    ("friday", "17:30", "America/Mexico_City", "2026-11-28T00:00:00+00:00", "2026-11-27T23:30:00+00:00"),
    ("sunday", "02:30", "Europe/Madrid", "2027-03-28T12:00:00+00:00", "2027-03-28T01:30:00+00:00"),  # DST starts
])
def test_the_slot_is_in_the_policy_time_zone(weekday, clock, timezone, now, expected):
    schedule = Digest(channel="C0LEADS01", weekday=weekday, time=clock)
    assert last_slot(schedule, now=datetime.fromisoformat(now), timezone=timezone).isoformat() == expected


@pytest.mark.parametrize("digest, expected", [
    ('{channel: C0LEADS01, weekday: funday}', "routing.digest.weekday: input should be 'monday'"),
    ('{channel: C0LEADS01, time: "9am"}', "routing.digest.time: '9am' is not a time; write it as HH:MM"),
    ('{channel: leads}', "routing.digest.channel: 'leads' is not a Slack channel id"),
    ('{channel: C0LEADS01, day: monday}', "routing.digest.day: unknown field. Did you mean 'weekday'?"),
])
def test_a_broken_schedule_gets_a_path_line_message(valid_dirs, monkeypatch, digest, expected):
    playbooks, policies = valid_dirs
    people = policies / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + f"  digest: {digest}\n", encoding="utf-8")
    monkeypatch.chdir(playbooks.parent)
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_set(playbooks.relative_to(playbooks.parent), policies.relative_to(playbooks.parent))
    [problem] = caught.value.problems
    assert str(problem).startswith("policies/people.yaml:18: ") and expected in str(problem)


def _cli(ledger, *extra):
    return main(["digest", "--db", str(ledger.path), "--playbooks", str(REPO / "playbooks"),
                 "--policies", str(REPO / "policies"), *extra])


def test_the_cli_prints_the_digest_without_a_token(ledger, capsys, tmp_path):
    assert _cli(ledger, "--lang", "es", "--chart", str(tmp_path / "c.png")) == 0
    assert "Resumen semanal de Leeway" in capsys.readouterr().out
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert _cli(ledger, "--post") == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_the_cli_posts_once_with_a_token(ledger, capsys, standin, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", standin.api_url)
    assert _cli(ledger, "--post") == 0 and "Posted the digest for" in capsys.readouterr().out
    assert _cli(ledger, "--post") == 0 and "already posted" in capsys.readouterr().out
    assert len(standin.of("chat.postMessage")) == 1


def test_the_running_app_posts_the_due_digest_once(ledger, sample_store, client, standin):
    from bot.slack.digest_clock import keep_posting_digests

    stop = threading.Event()
    thread = keep_posting_digests(client, ledger, sample_store, lang="en", every_seconds=0.05,
                                  clock=lambda: WEDNESDAY, stop=stop)
    standin.wait_for("files.completeUploadExternal")
    time.sleep(0.3)  # several more checks in the same week
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert [c.params["channel"] for c in standin.of("chat.postMessage")] == ["C0LEADS01"]


def test_a_slack_error_is_retried_at_the_next_check(ledger, sample_store, client, standin):
    from bot.slack.digest_clock import post_if_due

    standin.failing["chat.postMessage"] = "channel_not_found"
    assert post_if_due(client, ledger, sample_store, lang="en", now=WEDNESDAY) == "failed"
    del standin.failing["chat.postMessage"]
    assert post_if_due(client, ledger, sample_store, lang="en", now=WEDNESDAY) == "posted"


class NotYetValid:
    """A store whose files are broken at start-up and fixed later (``/leeway reload`` or an edit)."""

    def __init__(self, store, broken_checks: int):
        self.store, self.broken_checks = store, broken_checks

    def current(self):
        if self.broken_checks > 0:
            self.broken_checks -= 1
            from bot.errors import NoValidPolicy

            raise NoValidPolicy("playbooks/x.yaml:1: broken")
        return self.store.current()


def test_the_digest_clock_outlives_broken_policy_files(ledger, sample_store, client, standin):
    from bot.slack.digest_clock import keep_posting_digests, post_if_due

    assert post_if_due(client, ledger, NotYetValid(sample_store, 1), lang="en", now=WEDNESDAY) == "no_policy"
    stop = threading.Event()
    thread = keep_posting_digests(client, ledger, NotYetValid(sample_store, 2), lang="en", every_seconds=0.05,
                                  clock=lambda: WEDNESDAY, stop=stop)
    try:
        assert [c.params["channel"] for c in standin.wait_for("chat.postMessage")] == ["C0LEADS01"]
    finally:
        stop.set()
        thread.join(5)
