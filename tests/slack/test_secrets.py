"""No token, signing secret or full card number in any log line, at DEBUG, through representative flows.

Every logger is turned up to DEBUG (Bolt's, slack_sdk's, waitress's, ours), and
what they write is caught twice: by pytest's ``caplog`` and by a plain handler on
the root logger (formatted, with tracebacks). A real ``leeway serve --http``
process with real-looking credentials is checked too, on its stdout and stderr.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SECRET, TOKEN, Slack
from standin import StandIn, buttons

CARD = "4111 1111 1111 1111"
CARDS = (CARD, CARD.replace(" ", ""), CARD.replace(" ", "-"))
LOGGERS = ("", "leeway", "slack_bolt", "slack_sdk", "waitress", "urllib3", "bot")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def every_log(caplog):
    """All loggers at DEBUG; yields a function returning everything logged so far (caplog and a root handler)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    logging.getLogger().addHandler(handler)
    yield lambda: caplog.text + "\n" + stream.getvalue()
    logging.getLogger().removeHandler(handler)


def _agent_flows(slack: Slack) -> None:
    slack.command(f"package arrived 5 days late, customer wants 10 USD shipping refund, card {CARD}")
    reply = slack.standin.wait_for("respond")[0].params
    if "leeway_pick_0" in buttons(reply["blocks"]):  # not sure which playbook: pick the first
        slack.click(buttons(reply["blocks"])["leeway_pick_0"], user="U0AGENT01")
        reply = slack.standin.wait_for("respond", 2)[1].params
    slack.click(buttons(reply["blocks"])["leeway_log"], user="U0AGENT01")
    view = slack.standin.wait_for("views.open")[0].params["view"]
    slack.submit(view, {"action": "refund_shipping", "amount": "10", "customer": "ORD-1",
                        "note": f"card {CARD.replace(' ', '')}"}, user="U0AGENT01")
    slack.event({"type": "message", "channel_type": "im", "user": "U0AGENT02", "channel": "D0AGENT", "ts": "3.0",
                 "text": f"my cat is purple and ate the card {CARD.replace(' ', '-')}"})
    slack.standin.wait_for("chat.postMessage")
    mine = len(slack.standin.of("respond"))
    slack.command(f"my cat is purple and ate the card {CARD}")
    nothing = slack.standin.wait_for("respond", mine + 1)[-1].params
    slack.click(buttons(nothing["blocks"])["leeway_ask"], user="U0AGENT01")  # help from a lead, the text quoted


def _post(slack: Slack, matches, timeout: float = 5.0) -> dict:
    """The first chat.postMessage whose params match, waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c.params for c in slack.standin.of("chat.postMessage") if matches(c.params)]
        if found:
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"no such post in {slack.standin.of('chat.postMessage')}")


def _lead_flows(slack: Slack) -> None:
    slack.event({"type": "app_mention", "user": "U0AGENT01", "channel": "C0SUPPORT", "ts": "9.0",
                 "text": "<@U0BOT> package arrived 5 days late, customer wants 30 USD shipping refund"})
    reply = _post(slack, lambda p: p.get("thread_ts") == "9.0" and p.get("blocks"))
    opened = len(slack.standin.of("views.open"))
    slack.click(buttons(reply["blocks"])["leeway_ask"], user="U0AGENT01")
    view = slack.standin.wait_for("views.open", opened + 1)[-1].params["view"]
    slack.submit(view, {"action": "refund_shipping", "amount": "30", "customer": "ORD-9",
                        "note": f"vip, card {CARD}"}, user="U0AGENT01", view_id="VASK")
    lead_post = _post(slack, lambda p: p.get("channel") == "C0LEADS01" and p.get("blocks"))
    slack.click(buttons(lead_post["blocks"])["leeway_approve"], user="U0AGENT01")  # refused: their own
    slack.click(buttons(lead_post["blocks"])["leeway_approve"], user="U0LEAD01")
    slack.standin.wait_for("chat.update")


def _failures(slack: Slack) -> None:
    slack.command(f"card {CARD} refund", secret="not-the-secret")  # bad signature: 401, Bolt logs the attempt
    slack.standin.failing["chat.postMessage"] = "channel_not_found"
    slack.event({"type": "app_mention", "user": "U0AGENT01", "channel": "C0GONE", "ts": "11.0",
                 "text": f"<@U0BOT> card {CARD} late package refund 5 USD"})
    slack.event({"type": "app_mention", "channel": "C0SUPPORT", "ts": "12.0",  # no user: the listener fails
                 "text": f"<@U0BOT> card {CARD}"})
    time.sleep(0.5)


def test_flows_log_no_token_secret_or_card(slack, every_log):
    _agent_flows(slack)
    _lead_flows(slack)
    _failures(slack)
    logged = every_log()
    assert "leeway.slack" in logged and "slack_bolt" in logged  # the capture really saw the app and Bolt
    assert len(logged) > 2000
    for secret in (TOKEN, SECRET, *CARDS):
        assert secret not in logged, f"{secret!r} appears in the logs"


def test_a_card_number_is_neither_stored_nor_forwarded_to_the_leads(slack):
    """No playbook fits, the agent asks for help: the leads see the question, without the card number."""
    slack.command(f"my cat is purple and ate the card {CARD}")
    nothing = slack.standin.wait_for("respond")[0].params
    slack.click(buttons(nothing["blocks"])["leeway_ask"], user="U0AGENT01")
    help_post = _post(slack, lambda p: p.get("channel") == "C0LEADS01")
    assert "my cat is purple and ate the card" in help_post["text"] and CARD not in help_post["text"]
    stored = " ".join(row["text"] for row in slack.ledger.db.query("SELECT text FROM slack_questions"))
    assert "my cat is purple and ate the card" in stored and not any(card in stored for card in CARDS)


def test_the_check_would_see_a_leak(every_log):
    logging.getLogger("slack_sdk.web").debug("Authorization: Bearer %s", TOKEN)
    assert TOKEN in every_log()


# ---------------------------------------------------------------- a real `leeway serve --http`


REAL_LOOKING = {
    "SLACK_BOT_TOKEN": "xoxb-2718281828-3141592653589-Zq8Xw2Lm4Np6Rt0Vb3Yc5Ke7",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "SLACK_APP_TOKEN": "xapp-1-A0APP-2718281828-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
}


def _listening_port(process: subprocess.Popen, deadline: float) -> int:
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "listening on" in line:
            return int(line.rsplit(":", 1)[1].split("/")[0])
        if not line and process.poll() is not None:
            break
    raise AssertionError("leeway serve --http did not start")


def test_serve_prints_no_credentials(tmp_path):
    standin = StandIn().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEEWAY_"))}
    env.update(REAL_LOOKING, SLACK_API_URL=standin.api_url, LEEWAY_DB=str(tmp_path / "serve.db"),
               LEEWAY_PLAYBOOKS=str(REPO / "playbooks"), LEEWAY_POLICIES=str(REPO / "policies"), LEEWAY_ENCODER="none", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", "0", "--host", "127.0.0.1"],
                               env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = _listening_port(process, time.monotonic() + 60)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", standin, ledger=None)
        assert slack.command(f"card {CARD} late package", secret=REAL_LOOKING["SLACK_SIGNING_SECRET"]) == 200
        standin.wait_for("respond")
        assert slack.command(f"card {CARD}", secret="forged") == 401
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        standin.stop()
    printed = out + err
    assert "auth.test" in [c.method for c in standin.calls]  # it really used the token
    for secret in (*REAL_LOOKING.values(), *CARDS):
        assert secret not in printed, f"{secret!r} printed by leeway serve"
