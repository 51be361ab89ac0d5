"""Exceptions per week by playbook: the counts behind the leads' chart, and the PNG drawn from them."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.acting import log_exception, make_draft
from bot.charts import OTHER, exceptions_chart_png, weekly_counts
from bot.ledger import Ledger

MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)


def log(ledger, policy_set, *, when, playbook="late-delivery", action="refund_shipping", user="U0AGENT01", key):
    draft = make_draft(policy_set, user=user, playbook=playbook, action=action, amount=Decimal("5"),
                       currency="USD", customer_ref=None)
    return log_exception(ledger, policy_set, draft, role="agent", key=key, now=when).record


def test_counts_per_week_and_playbook_include_empty_weeks(tmp_path, fixture_set):
    ledger = Ledger(tmp_path / "l.db")
    log(ledger, fixture_set, when=MONDAY - timedelta(days=13), key="a")  # week of 2026-11-02
    log(ledger, fixture_set, when=MONDAY + timedelta(days=1), key="b")
    log(ledger, fixture_set, when=MONDAY + timedelta(days=2), key="c", playbook="damaged-item", action="replacement")
    counts = weekly_counts(ledger, start=MONDAY - timedelta(weeks=2), end=MONDAY + timedelta(days=6))
    assert [w.isoformat() for w in counts.weeks] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert counts.series == {"late-delivery": (1, 0, 1), "damaged-item": (0, 0, 1)}
    assert counts.total == 3


def test_weeks_follow_the_policy_time_zone(tmp_path, fixture_set):
    ledger = Ledger(tmp_path / "l.db")
    log(ledger, fixture_set, when=datetime(2026, 11, 16, 3, tzinfo=UTC), key="a")  # Sunday night in Mexico City
    utc = weekly_counts(ledger, start=MONDAY - timedelta(days=7), end=MONDAY + timedelta(days=1))
    mexico = weekly_counts(ledger, start=MONDAY - timedelta(days=7), end=MONDAY + timedelta(days=1),
                           timezone="America/Mexico_City")
    assert utc.series["late-delivery"] == (0, 1)
    assert mexico.series["late-delivery"] == (1, 0)


def test_the_quiet_playbooks_are_summed_as_other(tmp_path, fixture_set):
    ledger = Ledger(tmp_path / "l.db")
    log(ledger, fixture_set, when=MONDAY, key="a")
    log(ledger, fixture_set, when=MONDAY, key="b")
    log(ledger, fixture_set, when=MONDAY, key="c", playbook="damaged-item", action="replacement")
    counts = weekly_counts(ledger, start=MONDAY, end=MONDAY + timedelta(days=1), shown=1)
    assert counts.series == {"late-delivery": (2,), OTHER: (1,)}


def test_the_chart_is_a_png_even_with_nothing_to_show(tmp_path, fixture_set):
    ledger = Ledger(tmp_path / "l.db")
    empty = weekly_counts(ledger, start=MONDAY - timedelta(weeks=4), end=MONDAY)
    log(ledger, fixture_set, when=MONDAY, key="a")
    busy = weekly_counts(ledger, start=MONDAY - timedelta(weeks=4), end=MONDAY + timedelta(days=1))
    for counts, lang in ((empty, "en"), (busy, "es")):
        png = exceptions_chart_png(counts, lang=lang, titles={"late-delivery": "Late delivery"})
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_matplotlib_is_imported_only_when_a_chart_is_drawn():
    code = "import sys, bot.charts, bot.slack.app, bot.recognition; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("module", ["charts", "recognition"])
def test_the_new_core_modules_never_import_slack_or_the_cli(module):
    tree = ast.parse((Path(__file__).parent.parent / "bot" / f"{module}.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {n for n in names if n.startswith(("slack", "bot.slack", "bot.cli", "argparse"))}
