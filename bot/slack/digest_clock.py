"""The running app posts each week's digest when it falls due, so no cron job is needed.

It only asks ``post_weekly_digest`` every few minutes: that function knows the
schedule and claims the week in the ledger before posting, so a restart, two
running copies, or cron as well never post one week twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import NoValidPolicy
from bot.ledger import Ledger
from bot.reloading import PolicyStore
from bot.slack.digest import post_weekly_digest

CHECK_EVERY_SECONDS = 300.0
log = logging.getLogger("leeway.slack.digest")


def keep_posting_digests(client: WebClient, ledger: Ledger, store: PolicyStore, *, lang: str,
                         every_seconds: float = CHECK_EVERY_SECONDS,
                         clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                         stop: threading.Event | None = None) -> threading.Thread:
    """Start a daemon thread that posts the digest once it is due; set ``stop`` to end it."""
    stop = stop or threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                post_if_due(client, ledger, store, lang=lang, now=clock())
            except Exception:  # a thread that died here would post no digest until a restart: log it, check again
                log.exception("weekly digest check failed, will retry")
            stop.wait(every_seconds)

    thread = threading.Thread(target=run, name="leeway-digest", daemon=True)
    thread.start()
    return thread


def post_if_due(client: WebClient, ledger: Ledger, store: PolicyStore, *, lang: str, now: datetime) -> str:
    """One check. A Slack error is logged and tried again at the next check (the week was released).

    With no valid policy files yet (the app still serves, saying so), there is no schedule: ``no_policy``.
    """
    try:
        outcome = post_weekly_digest(client, ledger, store, now=now, lang=lang)
    except SlackApiError as error:
        log.warning("weekly digest not posted, will retry: %s", error.response.get("error", "unknown"))
        return "failed"
    except NoValidPolicy:
        return "no_policy"
    if outcome.status == "posted":
        log.info("weekly digest %s posted to %s", outcome.week, outcome.channel)
    return outcome.status
