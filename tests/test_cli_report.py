"""``leeway report`` and ``leeway insights``: periods, teams, the four formats, two languages, clear errors."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from report_story import add_exception, seed_story

from bot.cli import COMMAND_MODULES, main
from bot.ledger import Ledger

REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _loaded_once(monkeypatch, sample_set):
    """The commands load the sample policy set; loading it once per session keeps these tests fast.
    The command modules are imported first, so one that imports the loader by name keeps the real one."""
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    monkeypatch.chdir(REPO)
    monkeypatch.setattr("bot.loading.load_policy_set", lambda playbooks, policies: sample_set)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The issue's story, told over the 30 days before the real now (the CLI reads the clock)."""
    path = tmp_path_factory.mktemp("cli_report") / "ledger.db"
    ledger = Ledger(path)
    seed_story(ledger, now=datetime.now(UTC) - timedelta(minutes=1))
    add_exception(ledger, at=datetime.now(UTC) - timedelta(days=2), playbook="late-delivery", action="refund_shipping",
                  amount="7", currency="EUR", team="tier2", user="U0AGENT02")
    ledger.close()
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--playbooks", str(REPO / "playbooks"), "--policies", str(REPO / "policies")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_json_has_the_figures_and_the_insights(db, capsys):
    code, out, _ = run(capsys, "report", "--db", str(db), "--since", "30d", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {(f["currency"], f["count"]) for f in data["totals"]} == {("USD", 96), ("EUR", 1)}
    assert data["escalations"]["approved"] == 13 and data["escalations"]["denied"] == 1
    assert sorted(i["kind"] for i in data["insights"]) == ["gap", "gap", "limit_calibration", "recurring",
                                                            "routine_gesture"]


def test_report_for_one_team_without_insights(db, capsys):
    code, out, _ = run(capsys, "report", "--db", str(db), "--team", "tier2", "--no-insights", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["team"] == "tier2" and data["insights"] == []
    assert data["totals"] == [{"key": "", "currency": "EUR", "count": 1, "amount": "7.00"}]


def test_report_markdown_in_spanish_cites_files(db, capsys):
    code, out, _ = run(capsys, "report", "--db", str(db), "--since", "30d", "--format", "md", "--lang", "es")
    assert code == 0 and out.startswith("# Informe de Leeway")
    assert "## Sugerencias para los responsables de las políticas" in out
    assert "`playbooks/late-delivery.yaml:" in out and "`policies/authority.yaml:" in out


def test_report_csv_is_one_figure_a_row(db, capsys):
    code, out, _ = run(capsys, "report", "--db", str(db), "--since", "30d", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert {"section": "by_playbook", "key": "damaged-item", "currency": "USD", "count": "54", "amount": "2130.00"} in rows


def test_report_table_is_readable(db, capsys):
    code, out, _ = run(capsys, "report", "--db", str(db), "--since", "30d")
    assert code == 0
    assert "By playbook" in out and "Escalations" in out and "Approval rate: 93%" in out
    assert "Leads approved 13 of 14 Goodwill credit requests" in out


def test_insights_json_and_a_dated_period(db, capsys):
    code, out, _ = run(capsys, "insights", "--db", str(db), "--format", "json")
    found = json.loads(out)
    assert code == 0 and found[0]["kind"] == "recurring" and found[0]["cites"][0].startswith("playbooks/damaged-item.yaml:")
    today = datetime.now(UTC).date()
    code, out, _ = run(capsys, "insights", "--db", str(db), "--format", "csv", "--from", str(today + timedelta(days=1)),
                       "--to", str(today + timedelta(days=2)))
    assert code == 0 and out.splitlines() == ["kind,subject,weight,title,suggestion,cites,evidence"]


def test_insights_table_in_spanish(db, capsys):
    code, out, _ = run(capsys, "insights", "--db", str(db), "--lang", "es")
    assert code == 0 and "Sugerencias para los responsables" in out and "Responsable: quality" in out


@pytest.mark.parametrize("args, message", [
    (["--since", "7d", "--from", "2026-11-01"], "Give either --since (7d) or --from/--to, not both."),
    (["--from", "2026-11-10", "--to", "2026-11-01"], "is empty: --from must come before --to"),
    (["--since", "soon"], "“soon” isn't a period I understand"),
])
def test_a_bad_period_says_how_to_write_one(db, capsys, args, message):
    code, _, err = run(capsys, "report", "--db", str(db), *args)
    assert code != 0 and message in err


def test_a_missing_ledger_is_not_created(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "insights", "--db", str(missing))
    assert code != 0 and "There is no ledger at" in err and not missing.exists()


@pytest.mark.parametrize("command", ["replay", "log", "report"])
def test_reading_commands_never_create_a_ledger(tmp_path, capsys, command):
    missing = tmp_path / "typo.db"
    code, _, err = run(capsys, command, "--db", str(missing))
    assert code != 0 and f"There is no ledger at {missing}" in err and not missing.exists()
