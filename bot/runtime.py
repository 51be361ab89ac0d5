"""Wiring shared by the CLI and the Slack app: settings -> policy store (with its engine) and ledger."""

from __future__ import annotations

from bot.answering import Engine
from bot.encoders import get_encoder
from bot.ledger import Ledger
from bot.reloading import PolicyStore
from bot.settings import Settings


def open_store(settings: Settings) -> PolicyStore:
    """A store that rebuilds the engine (match index, action vocabulary) once per policy revision."""
    encoder = get_encoder(settings.encoder)
    store = PolicyStore(settings.playbooks, settings.policies,
                        build=lambda policy_set: Engine.build(policy_set, encoder=encoder, cache_dir=settings.cache_dir),
                        check_every=settings.reload_seconds)
    store.reload()
    return store


def open_ledger(settings: Settings) -> Ledger:
    return Ledger(settings.db)
