"""Socket Mode end to end, offline: the app gets its URL from a stand-in Web API and talks to a local websocket.

What Slack checks in Socket Mode is the ack: every envelope's id sent back on the
socket within 3 seconds, or Slack retries the event (``retry_attempt``). The
retry must not produce a second reply nor a second ledger row.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from slack_sdk import WebClient

from bot.ledger import Ledger
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.serving import socket_mode
from socket_standin import SocketStandIn

REPO = __import__("pathlib").Path(__file__).resolve().parents[2]
BOT_TOKEN = "xoxb-socket-test"
APP_TOKEN = "xapp-socket-test"
ANSWERED = 20.0  # seconds for an answer after its ack: generous, the suite may share a busy machine
LATE = "<@U0BOT> customer's package arrived two weeks late, can I refund the $10 shipping?"


@pytest.fixture
def socket_slack():
    server = SocketStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def connected(tmp_path, socket_slack, sample_store):
    """The app of ``leeway serve`` (Socket Mode) connected to the stand-in; yields (stand-in, ledger)."""
    ledger = Ledger(tmp_path / "ledger.db")
    settings = Settings.from_env({}, db=tmp_path / "ledger.db")
    app = create_app(settings, store=sample_store, ledger=ledger,
                     client=WebClient(token=BOT_TOKEN, base_url=socket_slack.api_url))
    handler = socket_mode(app, APP_TOKEN)
    handler.connect()
    socket_slack.wait_connected()
    yield socket_slack, ledger
    # slack_sdk's close() waits out its 1-second polls; the stand-in's stop ends the session anyway
    threading.Thread(target=handler.close, daemon=True).start()


def command(text: str, *, response_url: str, trigger: str = "trigS1") -> dict:
    return {"token": "legacy", "team_id": "T0TEAM", "api_app_id": "A0APP", "channel_id": "C0SUPPORT",
            "user_id": "U0AGENT01", "command": "/leeway", "text": text, "response_url": response_url,
            "trigger_id": trigger}


def mention(event_id: str, text: str = LATE) -> dict:
    event = {"type": "app_mention", "user": "U0AGENT01", "text": text, "ts": "1700000000.000100",
             "channel": "C0SUPPORT", "event_ts": "1700000000.000100"}
    return {"type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event_id": event_id,
            "event_time": int(time.time()), "event": event}


def test_slash_commands_are_acked_on_the_socket_once_each_and_answered_at_their_response_url(connected):
    socket_slack, _ = connected
    assert len(socket_slack.of("apps.connections.open")) == 1  # the socket URL came from the Web API
    texts = [LATE, "refund request", "the blender arrived broken"]
    sent = [socket_slack.send("slash_commands",
                              command(text, trigger=f"t{n}", response_url=socket_slack.response_url(f"r{n}")))
            for n, text in enumerate(texts)]
    for envelope in sent:
        assert socket_slack.wait_ack(envelope)["envelope_id"] == envelope
    replies = [call.params for call in socket_slack.wait_for("respond", 3, timeout=ANSWERED)]
    assert sorted(socket_slack.acks()) == sorted(sent)
    assert {reply["response_type"] for reply in replies} == {"ephemeral"}
    assert all(reply["text"] for reply in replies) and any(reply.get("blocks") for reply in replies)


def test_an_event_and_its_retry_are_both_acked_but_answered_once(connected):
    socket_slack, ledger = connected
    first = socket_slack.send("events_api", mention("Ev0SOCKET1"))
    socket_slack.wait_ack(first)
    posted = socket_slack.wait_for("chat.postMessage", timeout=ANSWERED)
    retry = socket_slack.send("events_api", mention("Ev0SOCKET1"), retry_attempt=1)
    socket_slack.wait_ack(retry)
    other = socket_slack.send("events_api", mention("Ev0SOCKET2", "<@U0BOT> the blender arrived broken"))
    socket_slack.wait_ack(other)
    socket_slack.wait_for("chat.postMessage", 2, timeout=ANSWERED)
    time.sleep(0.3)  # the retry's listener ran after its ack; give it time to (not) post
    replies = socket_slack.of("chat.postMessage")
    assert len(replies) == 2 and posted[0].params["thread_ts"] == "1700000000.000100"
    claimed = [row["event_id"] for row in ledger.db.query("SELECT event_id FROM slack_events ORDER BY event_id")]
    assert claimed == ["Ev0SOCKET1", "Ev0SOCKET2"]
    asked = ledger.db.execute("SELECT COUNT(*) FROM slack_questions").fetchone()[0]
    assert asked == 2


def test_leeway_serve_in_socket_mode_end_to_end(tmp_path, socket_slack):
    """The real command: ``leeway serve`` with no ``--http`` connects, acks a command, answers it."""
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
           "SLACK_API_URL": socket_slack.api_url, "LEEWAY_DB": str(tmp_path / "ledger.db"),
           "LEEWAY_PLAYBOOKS": str(REPO / "playbooks"), "LEEWAY_POLICIES": str(REPO / "policies")}
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        socket_slack.wait_connected(timeout=20)
        envelope = socket_slack.send("slash_commands", command(LATE, response_url=socket_slack.response_url("e2e")))
        socket_slack.wait_ack(envelope, timeout=10)
        assert socket_slack.wait_for("respond", timeout=ANSWERED)[0].params["response_type"] == "ephemeral"
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "Socket Mode" in errors and BOT_TOKEN not in errors and APP_TOKEN not in errors


def test_leeway_serve_can_still_choose_the_blas_threads_before_numpy_loads():
    """``leeway serve`` sets one BLAS thread per call (``bot.cli_serve``); that only works while parsing the
    command line has not imported numpy yet. A command module importing numpy at the top would undo it."""
    probe = "import sys; from bot.cli import build_parser; build_parser(); print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
