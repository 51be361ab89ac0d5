"""Tamper evidence: the hash chain names each edited, deleted, reordered or cut-short record; purge keeps it valid."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
import typing
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlite_utils

from bot import acting
from bot.ledger import Ledger
from bot.ledger_chain import GENESIS, link, triggers
from bot.ledger_schema import _initial
from bot.ledger_verify import Finding, Problem, describe
from bot.records import ExceptionDraft


def draft(amount, *, customer="C-1", note=None, situation=None, user="U0AGENT01"):
    return ExceptionDraft(user=user, playbook="late-delivery", action="refund_shipping", amount=Decimal(str(amount)),
                          currency="USD", customer_ref=customer, note=note, situation=situation)


NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, fixture_set):
    """Every kind of record: an exception, escalations approved/denied/withdrawn/expired, unmatched, a refusal.

    Written once per module through the public API; each test gets its own copy of the file.
    """
    path, now = tmp_path_factory.mktemp("seeded") / "ledger.db", NOW
    ledger, old = Ledger(path), now - timedelta(days=200)
    acting.log_exception(ledger, fixture_set, draft(12, note="customer was upset", situation="parcel late"),
                         role="agent", key="x1", now=old)
    approved = acting.ask_a_lead(ledger, fixture_set, draft(25, note="loyal"), role="agent", key="e1", now=old).record
    acting.decide_escalation(ledger, fixture_set, approved.id, approve=True, by="U0SENIOR01", by_role="senior", now=old)
    denied = acting.ask_a_lead(ledger, fixture_set, draft(25, customer="C-2"), role="agent", key="e2", now=now).record
    ledger.decide_escalation(denied.id, approve=False, by="U0LEAD01", by_role="lead", policy=fixture_set.policy,
                             check=None, now=now, note="no, see policy")
    withdrawn = acting.ask_a_lead(ledger, fixture_set, draft(25, customer="C-3"), role="agent", key="e3", now=now).record
    ledger.withdraw_escalation(withdrawn.id, by="U0AGENT01", now=now)
    ledger.set_escalation_message(withdrawn.id, channel="C0LEADS", ts="1.2")
    acting.ask_a_lead(ledger, fixture_set, draft(25, customer="C-4"), role="agent", key="e4", now=old)
    assert ledger.expire_escalations(now=now) == 1
    ledger.record_unmatched("the customer wants a pony", key="u1", user="U0AGENT01", candidates=[("x", 0.2)],
                            revision=fixture_set.revision, now=old)
    ledger.record_refusal(user="U0AGENT02", kind="forged_click", ref="e1", detail="clicked approve", now=now)
    ledger.close()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def seeded(seeded_file, tmp_path):
    copy = tmp_path / "ledger.db"
    shutil.copyfile(seeded_file, copy)
    return Ledger(copy)


def tamper(ledger: Ledger, *statements: str | tuple) -> None:
    """What someone with the file and the sqlite3 shell can do: drop the triggers, then edit."""
    conn = sqlite3.connect(ledger.path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        conn.execute(*statement) if isinstance(statement, tuple) else conn.execute(statement)
    for statement in triggers():  # and put the guards back, to cover their tracks
        conn.execute(statement)
    conn.commit()
    conn.close()


def seq_of(ledger: Ledger, table: str, ref: int, kind: str | None = None) -> int:
    sql, params = "SELECT seq FROM chain WHERE tbl = ? AND ref = ?", [table, ref]
    if kind:
        sql, params = sql + " AND kind = ?", [*params, kind]
    return ledger.db.execute(sql + " ORDER BY seq LIMIT 1", params).fetchone()[0]


def findings(ledger: Ledger, **expected) -> set[Finding]:
    return set(ledger.verify_chain(**expected).findings)


def test_an_untouched_ledger_verifies_and_its_head_is_the_last_hash(seeded):
    report = seeded.verify_chain()
    assert report.intact, [describe(f, "en") for f in report.findings]
    # 1 exception + 4 requests + approved, its exception, denied, withdrawn, expired + unmatched + refusal
    assert (report.count, report.head) == seeded.chain_head() and report.count == 12
    kinds = [row["kind"] for row in seeded.db.query("SELECT kind FROM chain ORDER BY seq")]
    assert kinds.count("escalation_decided") == 2 and {"escalation_withdrawn", "escalation_expired"} <= set(kinds)


def test_each_record_commits_to_the_previous_one_and_to_the_policy_revision(seeded, fixture_set):
    entries = list(seeded.db.query("SELECT * FROM chain ORDER BY seq"))
    assert entries[0]["prev_hash"] == GENESIS
    for before, after in zip(entries, entries[1:]):
        assert after["prev_hash"] == before["hash"] == link(before["prev_hash"], before["body"])
    first = json.loads(entries[0]["body"])
    assert first["fields"]["policy_revision"] == fixture_set.revision and first["fields"]["amount_cents"] == 1200


def test_personal_free_text_is_not_in_the_chained_body(seeded):
    bodies = " ".join(row["body"] for row in seeded.db.query("SELECT body FROM chain"))
    for text in ("customer was upset", "parcel late", "loyal", "no, see policy", "pony", "clicked approve"):
        assert text not in bodies


@pytest.mark.parametrize("statement", [
    "UPDATE exceptions SET amount_cents = 99900 WHERE id = 1",
    "DELETE FROM exceptions WHERE id = 1",
    "UPDATE exceptions SET note = 'rewritten' WHERE id = 1",
    "UPDATE chain SET body = '{}' WHERE seq = 1",
    "DELETE FROM chain WHERE seq = 1",
    "UPDATE escalations SET status = 'pending' WHERE status = 'approved'",
    "UPDATE escalations SET decision_note = 'yes after all' WHERE status = 'denied'",
    "UPDATE escalations SET amount_cents = 1 WHERE id = 1",
    "DELETE FROM unmatched",
    "UPDATE unmatched SET text = 'other' WHERE id = 1",
    "UPDATE refusals SET kind = 'other'",
])
def test_the_database_refuses_plain_edits_and_deletes(seeded, statement):
    conn = sqlite3.connect(seeded.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only|only be purged|cannot change"):
        conn.execute(statement)
    conn.close()
    assert seeded.verify_chain().intact


def test_a_removed_guard_is_reported(seeded):
    conn = sqlite3.connect(seeded.path)
    conn.execute("DROP TRIGGER exceptions_frozen")
    conn.commit()
    conn.close()
    assert findings(seeded) == {Finding("guard_removed", field="exceptions_frozen")}


def test_a_dropped_chain_leaves_every_row_unchained(seeded):
    conn = sqlite3.connect(seeded.path)
    conn.execute("DROP TABLE chain")  # no trigger can stop this; verify still notices
    conn.commit()
    conn.close()
    found = findings(seeded)
    assert len([f for f in found if f.problem == "row_unchained"]) == 8
    assert {f.field for f in found if f.problem == "guard_removed"} == {"chain_append_only", "chain_no_delete"}


def test_an_edited_amount_is_named_with_its_table_id_and_field(seeded):
    tamper(seeded, "UPDATE exceptions SET amount_cents = 99900 WHERE id = 1")
    expected = Finding("row_edited", seq=seq_of(seeded, "exceptions", 1), table="exceptions", ref=1, field="amount_cents")
    assert findings(seeded) == {expected}
    assert describe(expected, "en") == f"exception 1 was edited: amount_cents no longer matches chain record #{expected.seq}."


def test_an_edited_chain_body_is_named_by_its_record_number(seeded):
    seq = seq_of(seeded, "exceptions", 1)
    tamper(seeded, ("UPDATE chain SET body = replace(body, '\"amount_cents\":1200', '\"amount_cents\":1') WHERE seq = ?",
                    [seq]))
    assert Finding("entry_edited", seq=seq, table="exceptions", ref=1) in findings(seeded)


def test_an_entry_pointed_at_another_row_is_an_edited_entry(seeded):
    seq = seq_of(seeded, "exceptions", 1)
    tamper(seeded, f"UPDATE chain SET ref = 2 WHERE seq = {seq}")
    assert Finding("entry_edited", seq=seq, table="exceptions", ref=2) in findings(seeded)


def test_an_edited_and_rehashed_body_breaks_the_link_to_the_next_record(seeded):
    seq = seq_of(seeded, "exceptions", 1)
    row = seeded.db.execute("SELECT prev_hash, body FROM chain WHERE seq = ?", [seq]).fetchone()
    body = row["body"].replace('"amount_cents":1200', '"amount_cents":1')
    tamper(seeded, ("UPDATE chain SET body = ?, hash = ? WHERE seq = ?", [body, link(row["prev_hash"], body), seq]))
    found = findings(seeded)
    assert Finding("link_broken", seq=seq + 1, other=seq) in found
    assert Finding("row_edited", seq=seq, table="exceptions", ref=1, field="amount_cents") in found


def test_a_changed_escalation_status_and_an_edited_note_are_found(seeded):
    withdrawn = seeded.escalations(status="withdrawn")[0].id
    tamper(seeded, f"UPDATE escalations SET status = 'approved' WHERE id = {withdrawn}",
           "UPDATE exceptions SET note = 'all fine' WHERE id = 1")
    assert findings(seeded) == {
        Finding("row_edited", seq=seq_of(seeded, "escalations", withdrawn, "escalation_withdrawn"),
                table="escalations", ref=withdrawn, field="status"),
        Finding("row_edited", seq=seq_of(seeded, "exceptions", 1), table="exceptions", ref=1, field="note, situation"),
    }


def test_a_deleted_row_is_named(seeded):
    tamper(seeded, "DELETE FROM unmatched WHERE id = 1")
    assert findings(seeded) == {Finding("row_deleted", seq=seq_of(seeded, "unmatched", 1), table="unmatched", ref=1)}


def test_a_deleted_chain_entry_is_named_and_its_row_is_unchained(seeded):
    seq = seq_of(seeded, "exceptions", 1)
    tamper(seeded, f"DELETE FROM chain WHERE seq = {seq}")
    assert findings(seeded) == {Finding("entry_deleted", seq=seq), Finding("row_unchained", table="exceptions", ref=1)}


def test_a_row_added_outside_leeway_is_unchained(seeded):
    tamper(seeded, "INSERT INTO refusals (user, kind, detail, created_at) VALUES ('U9', 'x', 'y', '2026-01-01')")
    assert findings(seeded) == {Finding("row_unchained", table="refusals", ref=2)}


def _swap(ledger: Ledger, first: int, second: int) -> list[tuple]:
    columns = "kind, tbl, ref, body, prev_hash, hash"
    a, b = (tuple(ledger.db.execute(f"SELECT {columns} FROM chain WHERE seq = ?", [s]).fetchone()) for s in (first, second))
    update = "UPDATE chain SET kind = ?, tbl = ?, ref = ?, body = ?, prev_hash = ?, hash = ? WHERE seq = ?"
    parked = (*b[:4], "parked", b[5])  # prev_hash is UNIQUE: park one while the other moves
    return [(update, [*parked, first]), (update, [*a, second]), ("UPDATE chain SET prev_hash = ? WHERE seq = ?", [b[4], first])]


def test_two_swapped_records_are_named_as_reordered(seeded):
    tamper(seeded, *_swap(seeded, 2, 3))
    found = findings(seeded)
    assert {f.problem for f in found} == {"reordered"}
    assert {2, 3} <= {f.seq for f in found}
    assert describe(Finding("reordered", seq=2, table="escalations", ref=1, other=3), "es") == \
        "la cadena está fuera de orden en el registro #2 (solicitud 1): su hash dice que va justo después del #3."


def test_a_reordered_chain_with_every_hash_recomputed_is_still_caught(seeded):
    """Whoever rewrites the whole chain keeps the links, but rows are created in id order, and decided after."""
    head = seeded.chain_head()[1]
    entries = list(seeded.db.query("SELECT * FROM chain ORDER BY seq"))
    entries[0], entries[3] = entries[3], entries[0]  # exception 2 before exception 1
    entries[1], entries[2] = entries[2], entries[1]  # escalation 1 decided before it was requested
    statements, prev = ["DELETE FROM chain"], GENESIS
    for seq, entry in enumerate(entries, start=1):
        digest = link(prev, entry["body"])
        statements.append(("INSERT INTO chain (seq, kind, tbl, ref, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [seq, entry["kind"], entry["tbl"], entry["ref"], entry["body"], prev, digest]))
        prev = digest
    tamper(seeded, *statements)
    found = findings(seeded)
    assert {f.problem for f in found} == {"reordered"}
    assert {(f.table, f.ref) for f in found} == {("exceptions", 1), ("escalations", 1)}
    assert Finding("head_unknown", field=head) in findings(seeded, expect_head=head)  # and the digest's head is gone


def test_a_truncated_ledger_is_noticed_against_the_digests_head(seeded):
    count, head = seeded.chain_head()
    last = seeded.db.execute("SELECT tbl, ref FROM chain WHERE seq = ?", [count]).fetchone()
    tamper(seeded, f"DELETE FROM {last['tbl']} WHERE id = {last['ref']}", f"DELETE FROM chain WHERE seq = {count}")
    assert seeded.verify_chain().intact  # a clean cut looks like a shorter ledger...
    assert findings(seeded, expect_count=count) == {Finding("truncated", seq=count - 1, other=count)}
    assert findings(seeded, expect_head=head[:12]) == {Finding("head_unknown", field=head[:12])}  # ...but not to the digest


def test_an_older_head_is_still_found_after_the_ledger_grows(seeded):
    now = NOW
    count, head = seeded.chain_head()
    seeded.record_refusal(user="U1", kind="late_click", ref=None, detail="late", now=now)
    assert seeded.verify_chain(expect_head=head, expect_count=count).intact


def test_purge_blanks_old_free_text_keeps_the_chain_and_says_so(seeded):
    now = NOW
    assert sum(seeded.purge_text(older_than=now - timedelta(days=180), now=now, dry_run=True).values()) == 5
    assert seeded.exceptions()[-1].note == "customer was upset"  # a dry run changes nothing
    counts = seeded.purge_text(older_than=now - timedelta(days=180), now=now)
    assert counts == {"exceptions": 2, "escalations": 2, "unmatched": 1, "refusals": 0}  # approved and expired
    assert seeded.verify_chain().intact
    old = seeded.exceptions()[-1]
    assert (old.note, old.situation, old.purged_at) == (None, None, now)
    assert seeded.unmatched()[0].text == "" and seeded.unmatched()[0].purged_at == now
    recent = seeded.escalations(status="denied")[0]
    assert recent.decision_note == "no, see policy" and recent.purged_at is None
    assert sum(seeded.purge_text(older_than=now - timedelta(days=180), now=now).values()) == 0


def test_text_put_back_after_a_purge_is_an_edit(seeded):
    now = NOW
    seeded.purge_text(older_than=now - timedelta(days=180), now=now)
    tamper(seeded, "UPDATE exceptions SET note = 'made up' WHERE id = 1")
    assert findings(seeded) == {Finding("row_edited", seq=seq_of(seeded, "exceptions", 1), table="exceptions", ref=1,
                                        field="note")}


def test_a_ledger_from_before_the_chain_is_chained_when_opened(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    _initial(db)
    db["leeway_migrations"].insert({"name": "0001_initial", "applied_at": "2026-01-01"}, pk="name")
    base = dict(playbook="p", action="refund_shipping", amount_cents=500, currency="USD", policy_revision="r1")
    db["exceptions"].insert_all([dict(base, key=f"k{i}", user="U1", role="agent", decision="allowed",
                                      created_at=f"2026-01-0{i}T00:00:00.000000Z") for i in (1, 2)])
    db["exceptions"].insert(dict(base, key="k3", user="U1", role="agent", decision="allowed",  # a clock behind
                                 created_at="2025-12-31T00:00:00.000000Z"))
    db["escalations"].insert(dict(base, key="e", status="approved", requested_by="U1", requester_role="agent",
                                  decision_json="{}", created_at="2026-01-01T12:00:00.000000Z", decided_by="U2",
                                  decided_at="2026-01-03T00:00:00.000000Z"))
    db.conn.close()
    ledger = Ledger(path)
    report = ledger.verify_chain()
    assert report.intact and report.count == 5
    kinds = [(row["tbl"], row["ref"], row["kind"]) for row in ledger.db.query("SELECT * FROM chain ORDER BY seq")]
    assert kinds == [("exceptions", 1, "exception"), ("escalations", 1, "escalation_requested"),
                     ("exceptions", 2, "exception"), ("exceptions", 3, "exception"),
                     ("escalations", 1, "escalation_decided")]


def _write(path: str, worker: int, count: int) -> None:
    ledger = Ledger(path)
    for i in range(count):
        ledger.record_unmatched(f"odd case {i}", key=f"w{worker}-{i}", user=f"U{worker}", candidates=[],
                                revision="r", now=datetime(2026, 11, 23, 12, tzinfo=UTC))


def test_writers_in_several_processes_build_one_valid_chain(tmp_path):
    path = str(tmp_path / "ledger.db")
    Ledger(path).close()  # no connection to this file may cross the fork: a child closing it drops its locks
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write, args=(path, w, 15)) for w in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    report = Ledger(path).verify_chain()
    assert report.intact and report.count == 45


def test_writers_killed_mid_write_never_leave_a_row_without_its_chain_entry(tmp_path):
    """Row and chain entry commit together: SIGKILLed writers (the crash soak, a few cycles) leave the chain intact."""
    import sys
    from pathlib import Path

    repo = str(Path(__file__).resolve().parent.parent)  # for benchmarks/
    if repo not in sys.path:
        sys.path.insert(0, repo)
    from benchmarks.soak import crash_soak

    db = tmp_path / "ledger.db"
    result = crash_soak.run(db, cycles=3, seed=11, workdir=tmp_path, max_delay=0.05)
    assert result.kills == 6 and result.lost == []
    report = Ledger(db).verify_chain()
    assert report.intact, [describe(f, "en") for f in report.findings]
    assert report.count >= sum(result.acknowledged.values())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("problem", typing.get_args(Problem))
def test_every_finding_has_words_in_both_languages(problem, lang):
    finding = Finding(problem, seq=4, table="escalations", ref=2, field="status", other=3)
    text = describe(finding, lang)
    assert text.strip() and "{" not in text and "None" not in text
