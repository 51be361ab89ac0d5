"""The review web: metadata and canned queries over a real ledger, and `leeway review-web` in a headless browser.

The browser test drives Debian's chromium (``/usr/bin/chromium``) with Playwright; it is skipped only when
that browser is absent (CI installs it, see .ci/run).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot import acting
from bot.cli import main
from bot.errors import UserInputError
from bot.ledger import Ledger
from bot.review_web import QUERIES, TABLES, build_app, database_name, metadata

REPO = Path(__file__).parent.parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def ledger_file(tmp_path, sample_set) -> Path:
    """A ledger written through the public API: an exception, a pending and an approved escalation, a gap."""
    ledger = Ledger(tmp_path / "leeway.db")
    now = datetime.now(UTC)

    def draft(user, amount, customer, action="refund_shipping"):
        return acting.make_draft(sample_set, user=user, playbook="late-delivery", action=action,
                                 amount=Decimal(amount), currency="USD", customer_ref=customer)

    acting.log_exception(ledger, sample_set, draft("U0AGENT01", "12.50", "C-1001"), role="agent", key="e1", now=now)
    pending = acting.ask_a_lead(ledger, sample_set, draft("U0AGENT02", "35", "C-2002"), role="agent", key="x1",
                                now=now - timedelta(hours=5))
    approved = acting.ask_a_lead(ledger, sample_set, draft("U0AGENT01", "50", "C-3003"), role="agent", key="x2",
                                 now=now - timedelta(hours=2))
    acting.decide_escalation(ledger, sample_set, approved.record.id, approve=True, by="U0LEAD01", by_role="lead",
                             now=now - timedelta(hours=1))
    ledger.record_unmatched("customer wants a refund for a gift card bought at a kiosk", key="u1", user="U0AGENT01",
                            candidates=[("refund-request", 0.41)], revision=sample_set.revision, now=now)
    ledger.close()
    assert pending.record.status == "pending"
    return ledger.path


def run_query(path: Path, name: str) -> list[dict]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(QUERIES[name])]


# ---------------------------------------------------------------- metadata and canned queries


def test_metadata_names_and_describes_every_table_and_query_in_both_languages():
    english, spanish = metadata("leeway", lang="en"), metadata("leeway", lang="es")
    database = english["databases"]["leeway"]
    assert set(database["queries"]) == {"pending_escalations", "exceptions_this_week", "limit_calibration", "gaps"}
    for name, query in database["queries"].items():
        assert query["title"] and query["description"] and query["sql"].startswith("SELECT")
        assert spanish["databases"]["leeway"]["queries"][name]["title"] != query["title"]
    for table, columns in TABLES.items():
        described = database["tables"][table]
        assert described["title"] and described["description"] and set(described["columns"]) == set(columns)
    assert database["tables"]["leeway_migrations"] == {"hidden": True}
    assert spanish["title"] == "Registro de Leeway"


def test_every_column_described_exists_in_a_migrated_ledger(tmp_path):
    ledger = Ledger(tmp_path / "empty.db")
    for table, columns in TABLES.items():
        assert set(columns) <= set(ledger.db[table].columns_dict), table


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_is_valid_sql_on_an_empty_migrated_ledger(tmp_path, name):
    Ledger(tmp_path / "empty.db").close()
    assert run_query(tmp_path / "empty.db", name) == []


def test_the_canned_queries_find_the_seeded_rows(ledger_file):
    [pending] = run_query(ledger_file, "pending_escalations")
    assert (pending["customer_ref"], pending["amount"], pending["approver_role"]) == ("C-2002", "35.00", "senior")
    assert pending["hours_waiting"] in (4, 5)
    week = {row["agent"]: row for row in run_query(ledger_file, "exceptions_this_week")}
    assert (week["U0AGENT01"]["exceptions"], week["U0AGENT01"]["approved_by_a_lead"]) == (2, 1)
    assert week["U0AGENT01"]["total"] == "62.50"
    [calibration] = run_query(ledger_file, "limit_calibration")
    assert (calibration["escalations"], calibration["approved"], calibration["approval_rate_pct"]) == (2, 1, 100.0)
    assert (calibration["max_amount"], calibration["used_within_limit"]) == ("50.00", 1)
    [gap] = run_query(ledger_file, "gaps")
    assert "gift card" in gap["text"] and "refund-request" in gap["candidates"]


# ---------------------------------------------------------------- errors that say what to do


def test_a_missing_ledger_is_named(tmp_path):
    with pytest.raises(UserInputError) as caught:
        build_app(tmp_path / "nowhere.db")
    assert caught.value.code == "review_web_no_ledger"


def test_without_datasette_the_command_says_how_to_install_it(ledger_file, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "datasette.app", None)  # import fails as if the extra were not installed
    assert main(["review-web", "--db", str(ledger_file)]) == 1
    assert "pip install 'leeway[review]'" in capsys.readouterr().err


def test_binding_beyond_localhost_warns_to_put_authentication_in_front(ledger_file, monkeypatch, capsys):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    assert main(["review-web", "--db", str(ledger_file), "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert (served["host"], served["port"]) == ("0.0.0.0", 8123)
    shown = capsys.readouterr()
    assert "Put authentication in front of it" in shown.err and "read-only at http://0.0.0.0:8123/" in shown.out


def test_localhost_is_the_default_and_does_not_warn(ledger_file, monkeypatch, capsys):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    assert main(["review-web", "--db", str(ledger_file)]) == 0
    assert (served["host"], served["port"], capsys.readouterr().err) == ("127.0.0.1", 8001, "")


# ---------------------------------------------------------------- the real thing, in a browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def review_web(ledger_file, tmp_path):
    """`leeway review-web` in a subprocess on a free port; yields its base URL. Its output goes to a log file."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEEWAY_", "SLACK_"))}
    command = [sys.executable, "-m", "bot", "review-web", "--db", str(ledger_file), "--port", str(port)]
    log = tmp_path / "review-web.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/-/versions.json", server, log)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"leeway review-web exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"leeway review-web did not answer on {url} within {seconds}s: {log.read_text()}")


@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
def test_the_review_web_loads_and_a_canned_query_shows_seeded_rows(review_web, ledger_file):
    from playwright.sync_api import sync_playwright

    name = database_name(ledger_file)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.goto(review_web + "/", wait_until="domcontentloaded")
            assert "Leeway ledger" in page.title()
            assert "exceptions" in page.inner_text("body") and "escalations" in page.inner_text("body")

            page.click(f"h2 a[href='/{name}']")  # the ledger's page lists its tables and canned queries
            page.wait_for_url(f"**/{name}")
            assert "Pending escalations" in page.inner_text("body")
            page.click("text=Pending escalations")
            page.wait_for_url(f"**/{name}/pending_escalations*")
            table = page.inner_text("table.rows-and-columns")
            assert "C-2002" in table and "35.00" in table and "C-3003" not in table

            page.goto(f"{review_web}/{name}/exceptions_this_week", wait_until="domcontentloaded")
            assert "U0AGENT01" in page.inner_text("table.rows-and-columns")
        finally:
            browser.close()
