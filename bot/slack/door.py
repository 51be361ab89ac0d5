"""What every Slack listener shares: the policy store, the ledger, Slack's own state, a clock.

Built once by ``create_app`` and handed to the listeners; no globals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ledger import Ledger
from bot.recognition import Recognition
from bot.reloading import PolicyStore
from bot.settings import Settings
from bot.slack.state import SlackState

log = logging.getLogger("leeway.slack")


@dataclass
class Door:
    settings: Settings
    store: PolicyStore
    ledger: Ledger
    state: SlackState
    clock: Callable[[], datetime]
    locales: dict[str, str | None] = field(default_factory=dict)

    @cached_property
    def recognition(self) -> Recognition:
        """Great calls, in the ledger's file (the table is created on first use)."""
        return Recognition(self.ledger)

    @property
    def lead_lang(self) -> str:
        """The language of the leads' channel and the App Home: ``LEEWAY_LANG``, else English."""
        return self.settings.lang if self.settings.lang in ("en", "es") else "en"

    def locale_lang(self, client: WebClient, user: str) -> str | None:
        """``en``/``es`` from the person's Slack locale (``users.info``), asked once per user per run.

        Only used when the text itself shows no language. Any failure (no ``users:read``
        scope, rate limit) means "unknown", never an error for the agent.
        """
        if user not in self.locales:
            try:
                locale = client.users_info(user=user, include_locale=True)["user"].get("locale") or ""
            except (SlackApiError, KeyError, TypeError) as error:
                log.info("no Slack locale for %s: %s", user, getattr(error, "response", {}) and error.response.get("error"))
                locale = ""
            self.locales[user] = locale[:2] if locale[:2] in ("en", "es") else None
        return self.locales[user]

    def tell(self, client: WebClient, *, user: str, channel: str | None, thread_ts: str | None, text: str,
             blocks: list[dict] | None = None) -> bool:
        """Post to the person's thread or channel; with none (a slash command), to their DM. False on failure."""
        try:
            if channel is None:
                channel = client.conversations_open(users=user)["channel"]["id"]
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
            return True
        except SlackApiError as error:
            log.warning("could not tell %s: %s", user, error.response.get("error"))
            return False


def slack_error(error: SlackApiError) -> str:
    """The short code Slack gave (``expired_trigger_id``, ``channel_not_found``, ``ratelimited``)."""
    return str((error.response or {}).get("error") or "error")
