"""HTTP ack latency for slash commands, 20 in flight, against ``leeway serve --http``.

Slack gives an app 3 seconds to answer a slash command with HTTP 200, or the
agent sees an error. This starts the real command as a subprocess
(``python -m bot serve --http --port 0``) with ``SLACK_API_URL`` pointing at the
stand-in Slack of the tests (``tests/slack/standin.py``) on 127.0.0.1, then
sends signed ``/leeway`` commands in waves of ``--in-flight`` at once (one
thread each) and times each until its HTTP 200. The answers themselves go to
the stand-in's ``response_url`` after the ack; each wave waits for all of its
answers before the next starts, so every wave meets a server with no backlog
(a burst of questions, not an endless queue: with a queue that never drains,
the ack waits behind the work and measures throughput, not the ack).

Target: p99 under 300 ms with 20 in flight.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/http_ack.py
    .venv/bin/python benchmarks/http_ack.py --quick             # 60 commands
    .venv/bin/python benchmarks/http_ack.py --requests 400 --in-flight 20 --json
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "slack"))

from benchmarks.timing import Columns, emit, summary  # noqa: E402
from standin import StandIn, sign  # noqa: E402

SECRET = "benchmark-signing-secret"
LISTENING = re.compile(r"listening on (http://\S+/slack/events)")
SITUATIONS = [
    "customer's package arrived two weeks late, wants a $15 shipping refund",
    "el cliente dice que le cobraron dos veces el pedido, pide reembolso de 40 dólares",
    "cx says the blender arrived broken, asking for a replacement",
    "customer got charged a late fee they shouldn't have, waive $25?",
    "price dropped after purchase, customer wants the $30 difference back",
]


def start_server(standin: StandIn, db: Path) -> tuple[subprocess.Popen, str]:
    """``leeway serve --http`` on a free port; returns the process and its events URL."""
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-benchmark", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": standin.api_url, "LEEWAY_DB": str(db), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "bot", "serve", "--http", "--port", "0", "--host", "127.0.0.1"]
    server = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for text in server.stderr:
        found = LISTENING.search(text)
        if found:  # keep reading what it logs, so a full pipe never blocks it
            threading.Thread(target=server.stderr.read, daemon=True).start()
            return server, found.group(1)
    server.wait()
    raise SystemExit(f"leeway serve --http stopped (exit {server.returncode}) before it listened")


def command(url: str, standin: StandIn, number: int) -> float:
    """One signed ``/leeway`` command; milliseconds until its HTTP 200."""
    body = urlencode({"command": "/leeway", "text": SITUATIONS[number % len(SITUATIONS)], "user_id": "U0AGENT01",
                      "channel_id": "C0SUPPORT", "team_id": "T0TEAM", "trigger_id": f"bench{number}",
                      "api_app_id": "A0APP", "response_url": standin.response_url(f"bench{number}")})
    started = time.perf_counter()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(body, timestamp, SECRET)})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"command {number} got HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def measure(*, requests: int, in_flight: int, warm_up: int = 5) -> dict:
    standin = StandIn().start()
    with tempfile.TemporaryDirectory(prefix="leeway-bench-") as workdir:
        server, url = start_server(standin, Path(workdir) / "ledger.db")
        try:
            for number in range(warm_up):  # the first answers build caches; a running bot has them
                command(url, standin, -1 - number)
            standin.wait_for("respond", warm_up, timeout=60)
            timings, answering = [], []
            with ThreadPoolExecutor(max_workers=in_flight) as pool:
                for first in range(0, requests, in_flight):
                    numbers = range(first, min(first + in_flight, requests))
                    started = time.perf_counter()
                    timings += pool.map(lambda n: command(url, standin, n), numbers)
                    standin.wait_for("respond", warm_up + numbers[-1] + 1, timeout=120)
                    answering.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=10)
            standin.stop()
    return {"benchmark": "http_ack", "requests": requests, "in_flight": in_flight, **summary(timings),
            "max_ms": max(timings), "wave_answered_s": max(answering), "answers_per_s": requests / sum(answering)}


TABLE = Columns(("commands", "requests", 8, ""), ("in flight", "in_flight", 9, ""), ("p50 ms", "p50_ms", 7, ".1f"),
                ("p99 ms", "p99_ms", 7, ".1f"), ("max ms", "max_ms", 7, ".1f"),
                ("wave answered s", "wave_answered_s", 14, ".2f"), ("answers/s", "answers_per_s", 9, ".1f"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="slash-command ack latency against leeway serve --http")
    parser.add_argument("--quick", action="store_true", help="60 commands")
    parser.add_argument("--requests", type=int, help="commands to send (default 400, quick 60)")
    parser.add_argument("--in-flight", type=int, default=20, help="commands in flight at once (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    requests = args.requests or (60 if args.quick else 400)
    if not args.json:
        print(f"/leeway commands against leeway serve --http, {args.in_flight} in flight; ack = HTTP 200")
        print(TABLE.header())
    row = measure(requests=requests, in_flight=args.in_flight)
    emit(row, as_json=args.json, line=TABLE.line(row))


if __name__ == "__main__":
    main()
