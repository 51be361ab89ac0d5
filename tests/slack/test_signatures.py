"""Only a request signed by Slack, recently, over exactly these bytes gets in: 200; anything else 401, nothing changes."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from conftest import SECRET
from standin import sign as slack_sign

COMMAND = urlencode({"command": "/leeway", "text": "my cat is purple", "user_id": "U0AGENT01",
                     "channel_id": "C0SUPPORT", "team_id": "T0TEAM", "trigger_id": "trigSIG", "api_app_id": "A0APP",
                     "response_url": "RESPONSE_URL"})
TABLES = ("exceptions", "escalations", "unmatched", "refusals", "slack_events", "slack_questions")


def sign(body: str, timestamp: str, secret: str = SECRET) -> str:
    return slack_sign(body, timestamp, secret)


def _valid(body, now):
    return body, {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(body, now)}


def _event(now):
    return json.dumps({"type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event_id": "EvSIG",
                       "event_time": int(now), "event": {"type": "app_mention", "user": "U0AGENT01",
                                                          "channel": "C0SUPPORT", "ts": "1.0", "text": "<@U0BOT> hi"}})


def _one_byte_changed(body, now):
    signed = _valid(body, now)[1]
    return body.replace("purple", "purpla") if "purple" in body else body.replace("hi", "hj"), signed


def _drop(*names):
    def tamper(body, now):
        sent, headers = _valid(body, now)
        return sent, {k: v for k, v in headers.items() if k not in names}
    return tamper


def _timestamp(shift=None, text=None):
    def tamper(body, now):
        stamp = text if text is not None else str(int(now) + shift)
        return body, {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sign(body, stamp)}
    return tamper


def _signature(change):
    def tamper(body, now):
        sent, headers = _valid(body, now)
        return sent, {**headers, "X-Slack-Signature": change(headers["X-Slack-Signature"])}
    return tamper


CASES = [  # (name, tamper(body, now) -> (body, headers), expected status)
    ("valid", _valid, 200),
    ("signed with another secret", lambda b, n: (b, {"X-Slack-Request-Timestamp": n, "X-Slack-Signature": sign(b, n, "nope")}), 401),
    ("no headers at all", _drop("X-Slack-Request-Timestamp", "X-Slack-Signature"), 401),
    ("no signature header", _drop("X-Slack-Signature"), 401),
    ("no timestamp header", _drop("X-Slack-Request-Timestamp"), 401),
    ("timestamp 6 minutes old", _timestamp(shift=-360), 401),
    ("timestamp 6 minutes ahead", _timestamp(shift=360), 401),
    ("non-numeric timestamp", _timestamp(text="yesterday"), 401),
    ("empty timestamp", _timestamp(text=""), 401),
    ("timestamp in superscript digits", _timestamp(text="\u00b2\u00b3"), 401),
    ("body changed by one byte", _one_byte_changed, 401),
    ("signature truncated by one character", _signature(lambda s: s[:-1]), 401),
    ("signature without its v0= prefix", _signature(lambda s: s[3:]), 401),
    ("signature in upper case", _signature(lambda s: "v0=" + s[3:].upper()), 401),
    ("empty signature", _signature(lambda s: ""), 401),
]


def send(url: str, body: str, headers: dict, content_type: str) -> int:
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": content_type, **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def state(slack) -> tuple:
    """Every table the app writes, and every call it made to Slack."""
    counts = tuple(slack.ledger.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES)
    return counts, len(slack.standin.calls)


@pytest.mark.parametrize("kind", ["slash command", "event"])
@pytest.mark.parametrize("name, tamper, expected", CASES, ids=[c[0] for c in CASES])
def test_signature_table(shared, kind, name, tamper, expected):
    slack = shared
    now = str(int(time.time()))
    if kind == "slash command":
        body, content_type = COMMAND.replace("RESPONSE_URL", slack.standin.response_url("sig")), "application/x-www-form-urlencoded"
    else:
        body, content_type = _event(now), "application/json"
    before = state(slack)
    reply = "respond" if kind == "slash command" else "chat.postMessage"
    replies = len(slack.standin.of(reply))
    sent, headers = tamper(body, now)
    assert send(slack.url, sent, headers, content_type) == expected
    if expected == 200:
        slack.standin.wait_for(reply, replies + 1)
        assert state(slack) != before
    else:
        time.sleep(0.1)  # anything the app would do after an ack happens in this time
        assert state(slack) == before
