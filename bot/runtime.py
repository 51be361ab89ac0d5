"""Wiring shared by the CLI and the Slack app: settings -> policy store (with its engine) and ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.ledger import Ledger
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.reloading import PolicyStore


def open_store(settings: Settings) -> "PolicyStore":
    """A store that rebuilds the engine (match index, action vocabulary) once per policy revision.
    Imported here, not above: the ledger-only commands should not load the matcher."""
    from bot.answering import Engine
    from bot.encoders import get_encoder
    from bot.reloading import PolicyStore

    encoder = get_encoder(settings.encoder)
    store = PolicyStore(settings.playbooks, settings.policies,
                        build=lambda policy_set: Engine.build(policy_set, encoder=encoder, cache_dir=settings.cache_dir),
                        check_every=settings.reload_seconds)
    store.reload()
    return store


def open_ledger(settings: Settings) -> Ledger:
    """The ledger, created on first use: for the commands that write (chat, serve)."""
    return Ledger(settings.db)


def existing_ledger(settings: Settings) -> Ledger:
    """The ledger for a command that only reads it: a mistyped ``--db`` must not leave an empty file behind."""
    from bot.errors import UserInputError

    if not settings.db.exists():
        raise UserInputError("ledger_missing", {"path": str(settings.db)})
    return Ledger(settings.db)
