"""`leeway ledger verify` and `leeway ledger purge`: exit codes and plain-words messages."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.ledger import Ledger


@pytest.fixture
def db(tmp_path):
    """A ledger with an old and a new unmatched situation and a refusal."""
    path = tmp_path / "ledger.db"
    ledger = Ledger(path)
    now = datetime.now(UTC)
    ledger.record_unmatched("wants a pony", key="u1", user="U1", candidates=[], revision="r", now=now - timedelta(days=200))
    ledger.record_unmatched("wants a unicorn", key="u2", user="U1", candidates=[], revision="r", now=now)
    ledger.record_refusal(user="U2", kind="late_click", ref="e9", detail="too late", now=now)
    ledger.close()
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_intact_ledger_exits_0_with_its_count_and_head(db, capsys):
    count, head = Ledger(db).chain_head()
    assert run(capsys, "ledger", "verify", "--db", str(db)) == (0, f"3 records, chain intact, head {head}\n", "")
    assert count == 3


def test_tampering_exits_1_and_names_each_record(db, capsys):
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER unmatched_frozen")
    conn.execute("UPDATE unmatched SET user = 'U9' WHERE id = 2")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "ledger", "verify", "--db", str(db))
    assert code == 1
    assert out.splitlines() == [
        f"2 sign(s) of tampering in {db}. Keep this file as evidence, restore the ledger from a backup, and check "
        "who could write to it.",
        "  - unmatched situation 2 was edited: user no longer matches chain record #2.",
        "  - the append-only guard unmatched_frozen was removed: someone changed the database by hand."]
    code, out, _ = run(capsys, "ledger", "verify", "--db", str(db), "--lang", "es")
    assert code == 1 and "situación sin guía 2 fue editada: user ya no coincide con el registro #2" in out


def test_a_ledger_shorter_than_the_digest_said_fails(db, capsys):
    code, out, _ = run(capsys, "ledger", "verify", "--db", str(db), "--expect-count", "5")
    assert code == 1 and "the chain has 3 records but 5 were expected: records were removed from the end." in out
    code, out, _ = run(capsys, "ledger", "verify", "--db", str(db), "--expect-head", "deadbeefcafe")
    assert code == 1 and "does not contain head deadbeefcafe" in out


def test_purge_dry_run_then_purge_keeps_the_chain_intact(db, capsys):
    code, out, _ = run(capsys, "ledger", "purge", "--older-than", "180d", "--dry-run", "--db", str(db))
    assert code == 0 and out.startswith("Would purge the free text of 1 records created before ")
    assert Ledger(db).unmatched()[-1].text == "wants a pony"
    code, out, _ = run(capsys, "ledger", "purge", "--older-than", "180d", "--db", str(db))
    assert code == 0 and out.startswith("Purged the free text of 1 records")
    assert [u.text for u in Ledger(db).unmatched()] == ["wants a unicorn", ""]
    assert run(capsys, "ledger", "verify", "--db", str(db))[0] == 0


@pytest.mark.parametrize("argv, message", [
    (["ledger", "purge"], "Say how old the text must be"),
    (["ledger", "purge", "--older-than", "soon"], "“soon” isn't a period I understand"),
])
def test_purge_needs_a_period_it_understands(db, capsys, argv, message):
    code, _, err = run(capsys, *argv, "--db", str(db))
    assert code == 1 and message in err


def test_a_missing_ledger_is_a_message_not_a_new_empty_file(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "ledger", "verify", "--db", str(missing))
    assert code == 1 and f"There is no ledger at {missing}" in err and not missing.exists()


def test_the_command_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "ledger" in capsys.readouterr().out
