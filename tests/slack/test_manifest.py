"""The manifest, the code and .env.example agree: every listener is subscribed, nothing more is asked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.settings import Settings
from bot.slack.app import COMMAND, EVENTS

REPO = Path(__file__).resolve().parents[2]
REVIEWED_SCOPES = {"app_mentions:read", "chat:write", "commands", "im:history", "im:write"}
EVENT_IN_MANIFEST = {"message": "message.im"}  # the code listens to DMs only


@pytest.fixture(scope="module")
def manifest():
    return YAML(typ="safe").load((REPO / "manifest.yml").read_text())


def test_events_match_the_listeners(manifest):
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {EVENT_IN_MANIFEST.get(e, e) for e in EVENTS}


def test_slash_command_matches(manifest):
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]


def test_scopes_are_the_reviewed_minimum(manifest):
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == REVIEWED_SCOPES


def test_interactivity_home_and_socket_mode(manifest):
    assert manifest["settings"]["interactivity"]["is_enabled"] and manifest["settings"]["socket_mode_enabled"]
    assert manifest["features"]["app_home"]["home_tab_enabled"]


def test_registered_events_are_exactly_the_listed_ones(sample_store, tmp_path):
    from slack_sdk import WebClient

    from bot.ledger import Ledger
    from bot.slack.app import register

    class Recorder:
        def __init__(self):
            self.events = []

        def event(self, name):
            self.events.append(name)
            return lambda f: f

        def __getattr__(self, _):
            return lambda *a, **k: (lambda f: f)

    recorder = Recorder()
    from bot.slack.door import Door
    from bot.slack.state import SlackState

    ledger = Ledger(tmp_path / "l.db")
    register(recorder, Door(Settings.from_env({}), sample_store, ledger, SlackState(ledger), lambda: None))
    assert sorted(recorder.events) == sorted(EVENTS)
    assert WebClient  # imported for the type only


def test_env_example_lists_every_setting():
    text = (REPO / ".env.example").read_text()
    names = {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "LEEWAY_PORT"}
    names |= {f"LEEWAY_{f.name.upper().replace('RELOAD_SECONDS', 'RELOAD_SECONDS')}" for f in dataclasses.fields(Settings)
              if not f.name.startswith("slack_") and f.name != "port"}
    missing = [n for n in names if f"{n}=" not in text]
    assert missing == []


def test_tokens_stay_out_of_repr():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-secret", "SLACK_SIGNING_SECRET": "shh"})
    assert "xoxb-secret" not in repr(settings) and "shh" not in repr(settings)
