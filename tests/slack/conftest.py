"""The Slack app over real HTTP: signed requests to waitress, Web API calls to a stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient

from bot.ledger import Ledger
from bot.runtime import open_store
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.serving import http_server
REPO = __import__("pathlib").Path(__file__).resolve().parents[2]
from standin import StandIn, sign

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token-never-logged"


@pytest.fixture(scope="session")
def sample_store():
    settings = Settings.from_env({}, playbooks=REPO / "playbooks", policies=REPO / "policies")
    return open_store(settings)


@pytest.fixture
def standin():
    server = StandIn().start()
    yield server
    server.stop()


class Slack:
    """Posts signed requests like Slack does and reads what the app sent back."""

    def __init__(self, url: str, standin: StandIn, ledger: Ledger):
        self.url, self.standin, self.ledger = url, standin, ledger
        self._n = 0

    def post(self, body: str, content_type: str, *, secret: str = SECRET, timestamp: int | None = None,
             headers: dict | None = None) -> int:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(body, ts, secret),
            **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def command(self, text: str, *, user: str = "U0AGENT01", **kw) -> int:
        self._n += 1
        body = urlencode({"command": "/leeway", "text": text, "user_id": user, "channel_id": "C0SUPPORT",
                          "team_id": "T0TEAM", "trigger_id": f"trig{self._n}", "api_app_id": "A0APP",
                          "response_url": self.standin.response_url(f"cmd{self._n}")})
        return self.post(body, "application/x-www-form-urlencoded", **kw)

    def event(self, event: dict, *, event_id: str | None = None, headers: dict | None = None) -> int:
        self._n += 1
        body = json.dumps({"type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP",
                           "event_id": event_id or f"Ev{self._n}", "event_time": int(time.time()), "event": event})
        return self.post(body, "application/json", headers=headers)

    def interact(self, payload: dict) -> int:
        payload = {"team": {"id": "T0TEAM"}, "api_app_id": "A0APP", **payload}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(self, element: dict, *, user: str, container: dict | None = None, trigger: str = "trigA") -> int:
        """A click on a button that came back from the app (its action_id and value)."""
        self._n += 1
        return self.interact({"type": "block_actions", "user": {"id": user}, "trigger_id": trigger,
                              "response_url": self.standin.response_url(f"act{self._n}"),
                              "container": container or {"type": "message", "message_ts": "1.1", "channel_id": "C0SUPPORT"},
                              "actions": [{"action_id": element["action_id"], "value": element.get("value"),
                                           "block_id": "b", "type": "button", "action_ts": str(time.time())}]})

    def submit(self, view: dict, values: dict, *, user: str, view_id: str = "V100") -> int:
        state = {"values": {block: {"value": ({"type": "static_select", "selected_option": {"value": v}}
                                              if block == "action" else {"type": "plain_text_input", "value": v})}
                            for block, v in values.items()}}
        return self.interact({"type": "view_submission", "user": {"id": user}, "trigger_id": "trigS",
                              "view": {"id": view_id, "type": "modal", "callback_id": view["callback_id"],
                                       "private_metadata": view.get("private_metadata", ""), "state": state}})


@pytest.fixture
def slack(tmp_path, standin, sample_store):
    yield from serve(tmp_path, standin, sample_store)


@pytest.fixture
def make_slack(tmp_path, standin):
    """A Slack over any store (e.g. one reading a writable copy of the files)."""
    servers = []

    def make(store):
        running = serve(tmp_path, standin, store)
        servers.append(running)
        return next(running)

    yield make
    for running in servers:
        next(running, None)


def serve(tmp_path, standin, store):
    ledger = Ledger(tmp_path / "ledger.db")
    settings = Settings.from_env({}, db=tmp_path / "ledger.db").with_overrides(slack_signing_secret=SECRET)
    client = WebClient(token=TOKEN, base_url=standin.api_url)
    app = create_app(settings, store=store, ledger=ledger, client=client)
    server = http_server(app, host="127.0.0.1", port=0)

    def run():
        try:
            server.run()
        except OSError:  # the socket closed under the loop at teardown
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield Slack(f"http://127.0.0.1:{server.effective_port}/slack/events", standin, ledger)
    server.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory, sample_store):
    """One app and stand-in for a whole module's table of cases (each case compares before and after)."""
    standin = StandIn().start()
    running = serve(tmp_path_factory.mktemp("shared"), standin, sample_store)
    yield next(running)
    next(running, None)
    standin.stop()
