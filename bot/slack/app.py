"""``create_app``: the Bolt app, its listeners registered in one place, one error handler.

An app factory, not import-time side effects: tests hand it a ``WebClient``
pointed at a stand-in Slack on 127.0.0.1 (Bolt calls ``auth.test`` as soon as an
``App`` has a token). ``process_before_response=False``: Bolt answers Slack as
soon as a listener calls ``ack()`` and the slow part (matching, posting) runs
after it on Bolt's thread pool, well inside Slack's 3 seconds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.ledger import Ledger
from bot.redaction import redact
from bot.reloading import PolicyStore
from bot.settings import Settings
from bot.slack import approving, asking, reviewing
from bot.slack.blocks import (ACTION_APPROVE, ACTION_ASK, ACTION_DENY, ACTION_LOG, ACTION_NONE_FIT, ACTION_OTHER,
                              ACTION_PICK)
from bot.slack.door import Door
from bot.slack.state import SlackState
from bot.slack.views import CALLBACK_ASK, CALLBACK_DENY, CALLBACK_LOG

COMMAND = "/leeway"
EVENTS = ("app_mention", "message", "app_home_opened")  # the manifest lists the same (tests/slack/test_manifest.py)
RATE_LIMIT_RETRIES = 2
LISTENER_THREADS = 32  # more than the requests waitress (8 threads + its queue) or a socket hands over at once
log = logging.getLogger("leeway.slack")


def create_app(settings: Settings, *, store: PolicyStore, ledger: Ledger, client: WebClient | None = None,
               clock: Callable[[], datetime] | None = None) -> App:
    """The Slack app over one policy store and ledger. ``client`` defaults to one built from settings."""
    client = client or web_client(settings)
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    quiet_rejected_requests()
    app = App(client=client, signing_secret=settings.slack_signing_secret or "", process_before_response=False,
              logger=logging.getLogger("leeway.slack.bolt"), listener_executor=listener_pool())
    door = Door(settings=settings, store=store, ledger=ledger, state=SlackState(ledger),
                clock=clock or (lambda: datetime.now(UTC)))
    register(app, door)
    return app


def listener_pool() -> ThreadPoolExecutor:
    """A listener pool larger than the requests that can be in flight (Bolt's default has 5 threads).

    Bolt answers Slack once a listener calls ``ack()``: with five slow answers
    running, the sixth request's ack would wait for one of them to finish (20
    commands in flight: acks near a second, ``benchmarks/http_ack.py``). With room
    for every request, each listener acks at once; ``bot.answering.Engine`` bounds
    how many then compute together. Threads start only when needed.
    """
    return ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="leeway-listener")


def web_client(settings: Settings) -> WebClient:
    """The Web API client; ``SLACK_API_URL`` replaces Slack's base URL (a stand-in Slack)."""
    base_url = settings.slack_api_url or WebClient.BASE_URL
    return WebClient(token=settings.slack_bot_token, base_url=base_url.rstrip("/") + "/")


def register(app: App, door: Door) -> None:
    """Every listener, in one place. Each is a small function in ``asking``, ``approving`` or ``reviewing``."""
    app.command(COMMAND)(partial(asking.on_command, door))
    app.event("app_mention")(partial(asking.on_mention, door))
    app.event("message")(partial(asking.on_message, door))
    app.event("app_home_opened")(partial(approving.on_home, door))
    app.action(re.compile(f"^{ACTION_PICK}_\\d+$"))(partial(asking.on_pick, door))
    app.action(ACTION_OTHER)(partial(asking.on_other, door))
    app.action(ACTION_NONE_FIT)(partial(asking.on_none_fit, door))
    app.action(ACTION_LOG)(partial(asking.on_open_modal, door, mode="log"))
    app.action(ACTION_ASK)(partial(asking.on_open_modal, door, mode="ask"))
    app.view(CALLBACK_LOG)(partial(asking.on_submit, door))
    app.view(CALLBACK_ASK)(partial(asking.on_submit, door))
    app.action(ACTION_APPROVE)(partial(approving.on_approve, door))
    app.action(ACTION_DENY)(partial(approving.on_deny, door))
    app.view(CALLBACK_DENY)(partial(approving.on_deny_submit, door))
    app.action(reviewing.ACTION_GREAT_CALL)(partial(reviewing.on_great_call, door))
    app.action(reviewing.ACTION_SHARE)(partial(reviewing.on_share, door))
    app.error(on_error)


def on_error(error: Exception, body: dict, logger: logging.Logger) -> None:
    """One place for what a listener did not handle: logged with its kind, never the body (it may hold customer data)."""
    kind = body.get("type") or ("command" if body.get("command") else "unknown")
    event = (body.get("event") or {}).get("type", "")
    log.error("listener failed on %s %s", kind, event, exc_info=error)


class _NoRejectedBodies(logging.Filter):
    """Bolt logs a rejected request's body and signature at INFO; keep both out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (request rejected with 401)", ()
        return True


class _RedactedBodies(logging.Filter):
    """At DEBUG, slack_sdk and Bolt log whole request bodies (an agent's text, card numbers and all): redact them."""

    TOKEN = re.compile(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.TOKEN.sub("[token]", redact(record.getMessage())), ()
        return True


# the loggers that write request or response bodies (logger filters do not apply to child loggers)
BODY_LOGGERS = ("slack_sdk.web.base_client", "slack_sdk.webhook.client", "slack_bolt.App", "leeway.slack.bolt")


def quiet_rejected_requests() -> None:
    target = logging.getLogger("slack_bolt.RequestVerification")
    if not any(isinstance(f, _NoRejectedBodies) for f in target.filters):
        target.addFilter(_NoRejectedBodies())
    for name in BODY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactedBodies) for f in logger.filters):
            logger.addFilter(_RedactedBodies())
