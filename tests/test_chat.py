"""The terminal chat driven end to end with scripted input, over the bundled samples."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rich.console import Console

from bot.chat import Chat, line_reader
from bot.ledger import Ledger
from bot.runtime import open_store
from bot.settings import Settings
from pathlib import Path

REPO = Path(__file__).parent.parent

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def store():
    return open_store(Settings.from_env({}, playbooks=REPO / "playbooks", policies=REPO / "policies"))


def run_chat(store, ledger, lines, *, who="U0AGENT01", lang=None) -> str:
    console = Console(record=True, width=120, color_system=None)
    chat = Chat(store, ledger, console=console, read=line_reader(iter(lines), console), who=who, lang=lang,
                clock=lambda: NOW)
    assert chat.run() == 0
    return console.export_text()


def test_a_spanish_agent_refunds_shipping_alone_and_it_is_logged(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    out = run_chat(store, ledger, [
        "el cliente recibió el pedido 6 días tarde y pide que le devolvamos los 12 dólares del envío",
        "1", "#48213", "llegó 6 días tarde", "/quit"])
    assert "Pedido entregado con retraso" in out
    assert "✅" in out and "Reembolso del envío" in out
    assert "Presupuesto disponible: 150 USD hoy" in out
    [row] = ledger.exceptions()
    assert (row.playbook, row.action, row.amount, row.customer_ref, row.user) == (
        "late-delivery", "refund_shipping", Decimal("12.00"), "#48213", "U0AGENT01")


def test_above_the_leeway_becomes_an_escalation_only_a_qualified_other_person_approves(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    out = run_chat(store, ledger, [
        "the order arrived 6 days late and the customer wants a $35 goodwill credit",
        "2", "#777", "missed the birthday",
        "/approve 1",                      # the requester: refused
        "/as U0SENIOR01", "/approve 1",    # a senior: limit 30, too low
        "/as U0LEAD01", "/approve 1 fine",  # a lead: approved
        "/as U0LEAD02", "/approve 1",      # already decided
        "/quit"])
    assert "🟡" in out
    escalation = ledger.escalation(1)
    assert (escalation.status, escalation.decided_by, escalation.approver_role) == ("approved", "U0LEAD01", "lead")
    assert "You can't decide your own escalation (#1)" in out
    assert "Escalation #1 was already approved by Lucía Lead; nothing changed." in out
    [row] = ledger.exceptions()
    assert (row.decision, row.approved_by, row.amount) == ("approved", "U0LEAD01", Decimal("35.00"))


def test_nothing_fits_is_said_and_recorded_as_a_gap(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    out = run_chat(store, ledger, ["what's the weather like in Madrid tomorrow?", "/quit"], lang="en")
    assert "No playbook fits" in out
    [gap] = ledger.unmatched()
    assert "weather" in gap.text


def test_bad_input_is_refused_in_the_users_language_and_nothing_is_stored(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    out = run_chat(store, ledger, [
        "el cliente recibió el pedido 6 días tarde y pide que le devolvamos el envío", "1", "doce", "-3", "12", "x" * 200, "", "/quit"])
    assert "no es un monto válido" in out
    assert "demasiado larga" in out
    assert ledger.exceptions() == []


def test_the_chat_command_reads_a_script_from_stdin(tmp_path):
    script = "el cliente recibió el pedido 6 días tarde y pide que le devolvamos los 12 dólares del envío\n1\n#1\n\n/quit\n"
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--as", "U0AGENT01", "--db", str(tmp_path / "c.db")],
                          input=script, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Registrado como excepción #1" in done.stdout
    log = subprocess.run([sys.executable, "-m", "bot", "log", "--db", str(tmp_path / "c.db"), "--format", "csv"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "late-delivery,refund_shipping,12.00,USD,#1" in log.stdout


def test_only_the_requester_withdraws_a_pending_escalation(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    out = run_chat(store, ledger, [
        "the order arrived 6 days late and the customer wants a $35 goodwill credit", "2", "#9", "",
        "/as U0AGENT02", "/withdraw 1", "/as U0AGENT01", "/withdraw 1", "/quit"])
    assert "You can't withdraw #1" in out and "Escalation #1 withdrawn." in out
    assert ledger.escalation(1).status == "withdrawn"


def test_picking_another_playbook_is_recorded_as_a_rematch(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    run_chat(store, ledger, ["package arrived 5 days late, customer wants 10 USD shipping refund", "3", "2", "", "/quit"])
    [row] = ledger.db.execute("SELECT user, offered, chosen FROM rematches").fetchall()
    assert row[0] == "U0AGENT01" and row[1] == "late-delivery" and row[2] not in (None, "late-delivery")


def test_none_of_these_is_recorded_as_a_gap_and_a_turn_down(store, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    situation = "package arrived 5 days late, customer wants 10 USD shipping refund"
    out = run_chat(store, ledger, [situation, "3", "0", "/quit"])
    assert "[0] None of these" in out and "No playbook fits this yet" in out
    [row] = ledger.db.execute("SELECT offered, chosen FROM rematches").fetchall()
    assert tuple(row) == ("late-delivery", None)
    assert [gap.text for gap in ledger.unmatched()] == [situation]
