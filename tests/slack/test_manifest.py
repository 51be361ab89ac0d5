"""The manifest, the code and .env.example agree: every listener is subscribed, nothing more is asked."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.settings import Settings
from bot.slack.app import COMMAND, EVENTS

REPO = Path(__file__).resolve().parents[2]
# Every scope the bot asks for, each with the reason it was accepted. Adding one to manifest.yml fails
# test_scopes_are_the_reviewed_minimum until someone adds it here with its reason (a review, in the diff).
REVIEWED_SCOPES = {
    "app_mentions:read": "receive app_mention events: agents ask @Leeway in a channel",
    "chat:write": "answer in threads and DMs, post escalations to the leads' channel, update them when decided",
    "commands": "the /leeway slash command",
    "files:write": "files_upload_v2: the weekly digest's chart (bot/slack/digest.py)",
    "im:history": "receive message.im events: agents ask Leeway in a DM",
    "im:write": "conversations.open: tell an agent in a DM that a lead decided",
    "users:read": "users.info include_locale: reply in the agent's Slack language when their text shows none",
}
EVENT_IN_MANIFEST = {"message": "message.im"}  # the code listens to DMs only


@pytest.fixture(scope="module")
def manifest():
    return YAML(typ="safe").load((REPO / "manifest.yml").read_text())


def test_events_match_the_listeners(manifest):
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {EVENT_IN_MANIFEST.get(e, e) for e in EVENTS}


def test_slash_command_matches(manifest):
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]


def scope_problems(manifest: dict) -> list[str]:
    """What differs from the reviewed list: scopes asked for without review, reviewed ones no longer asked."""
    oauth = manifest.get("oauth_config", {}).get("scopes", {})
    asked = set(oauth.get("bot") or [])
    problems = [f"{scope}: not reviewed; add it to REVIEWED_SCOPES with its reason" for scope in sorted(asked - REVIEWED_SCOPES.keys())]
    problems += [f"{scope}: reviewed but not asked; remove it" for scope in sorted(REVIEWED_SCOPES.keys() - asked)]
    problems += [f"user scope {scope}: the bot needs none" for scope in oauth.get("user") or []]
    return problems


def test_scopes_are_the_reviewed_minimum(manifest):
    assert scope_problems(manifest) == []
    assert all(reason.strip() for reason in REVIEWED_SCOPES.values())


@pytest.mark.parametrize("change, expected", [
    (lambda scopes: scopes["bot"].append("channels:history"), "channels:history: not reviewed"),
    (lambda scopes: scopes["bot"].append("users:read.email"), "users:read.email: not reviewed"),
    (lambda scopes: scopes["bot"].remove("im:write"), "im:write: reviewed but not asked"),
    (lambda scopes: scopes.update(user=["chat:write"]), "user scope chat:write"),
])
def test_a_scope_change_fails_the_check(manifest, change, expected):
    edited = copy.deepcopy(manifest)
    change(edited["oauth_config"]["scopes"])
    assert any(problem.startswith(expected) for problem in scope_problems(edited))


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
