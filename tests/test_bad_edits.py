"""Broken policy edits, one per row: each is rejected with ``file:line`` and the problem, and the last good set answers on.

For every row: a store loads a valid copy of ``tests/fixtures/valid`` and
answers a set of probe situations; the edit is made; the reload is refused with
a report naming the file (and line) and the problem; the same probes get the same
answers (match and decision) from the previous revision. Then the same broken set
at start-up, with nothing loaded before: it fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import loading
from bot.answering import Engine, answer
from bot.decision import History
from bot.encoders import get_encoder
from bot.errors import NoValidPolicy
from bot.reloading import PolicyStore
from bot.yaml_source import MAX_FILE_BYTES

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
PROBES = [  # (situation, role): match and decision must not change while a bad edit is pending
    ("customer says the package came a week late, wants a 10 USD shipping refund", "agent"),
    ("the package came a week late and the customer wants 25 USD shipping refund", "agent"),
    ("the package came a week late and the customer wants 25 USD shipping refund", "senior"),
    ("the box arrived crushed and the lamp is broken, send a replacement worth 50 USD", "agent"),
    ("the box arrived crushed, customer wants 40 USD goodwill credit", "lead"),
    ("el pedido llegó tarde y el cliente está molesto, pide 12 USD de reembolso del envío", "agent"),
    ("my cat is purple", "agent"),
]
LATE, DAMAGED = "playbooks/late-delivery.yaml", "playbooks/damaged-item.yaml"
AUTHORITY, PEOPLE, ROLES = "policies/authority.yaml", "policies/people.yaml", "policies/roles.yaml"


@dataclass(frozen=True)
class Edit:
    apply: Callable[[Path, pytest.MonkeyPatch], None]
    where: str  # "file:line", or "file" for a problem with the whole file
    says: str


def replace(file: str, old: str, new: str, *, where: str, says: str) -> Edit:
    def apply(root: Path, _) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return Edit(apply, where, says)


def write(file: str, content: str | bytes, *, where: str, says: str) -> Edit:
    def apply(root: Path, _) -> None:
        path = root / file
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return Edit(apply, where, says)


def append(file: str, text: str, *, where: str, says: str) -> Edit:
    def apply(root: Path, _) -> None:
        with (root / file).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return Edit(apply, where, says)


def delete(*files: str, where: str, says: str) -> Edit:
    def apply(root: Path, _) -> None:
        for file in files:
            (root / file).unlink()
    return Edit(apply, where, says)


def deleted_mid_reload(file: str, *, where: str, says: str) -> Edit:
    """Listed by the reload, gone by the time it is read (an editor saving by delete-and-rename)."""
    def apply(root: Path, monkeypatch) -> None:
        listed = loading.yaml_files

        def list_then_delete(folder: Path) -> list[Path]:
            found = listed(folder)
            if (root / file).exists() and (root / file) in found:
                (root / file).unlink()
            return found

        monkeypatch.setattr(loading, "yaml_files", list_then_delete)
    return Edit(apply, where, says)


ALIAS_BOMB = "id: bomb\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n" for n in range(9))
HUGE = "id: huge\n" + ("# " + "x" * 100 + "\n") * (MAX_FILE_BYTES // 100)  # just over the limit, in comments
TESTS_BLOCK = "tests:\n  - note: a case\n    situation: the package came late\n    expect: {playbook: late-delivry}\n"

EDITS = {
    # ------------------------------------------------ YAML syntax and file shape
    "unclosed flow mapping": replace(LATE, "{agent: 15, senior: 30}", "{agent: 15, senior: 30", where=f"{LATE}:10", says="YAML syntax: expected ',' or '}'"),
    "tab indentation": replace(LATE, "  - Apologise", "\t- Apologise", where=f"{LATE}:7", says="YAML syntax: found character '\\t'"),
    "colon inside a plain value": replace(LATE, "title: Order arrived late", "title: Order: arrived late", where=f"{LATE}:2", says="YAML syntax: mapping values are not allowed"),
    "unclosed quote": replace(LATE, "title: Order arrived late", 'title: "Order arrived late', where=f"{LATE}:2", says="YAML syntax: a quote opened here is never closed"),
    "empty file": write(LATE, "", where=f"{LATE}:1", says="file is empty"),
    "a list instead of keys": write(ROLES, "- agent\n- lead\n", where=f"{ROLES}:1", says="expected `key: value` lines"),
    "duplicate key": append(LATE, "steps:\n  - Again.\n", where=f"{LATE}:10", says="duplicate key 'steps'"),
    "not UTF-8": write(LATE, b"id: late-delivery\ntitle: caf\xe9\n", where=LATE, says="Save it as UTF-8"),
    "huge file": write("playbooks/huge.yaml", HUGE, where="playbooks/huge.yaml", says="the limit is 1,000,000"),
    "alias bomb": write("playbooks/bomb.yaml", ALIAS_BOMB, where="playbooks/bomb.yaml", says="too many aliases"),
    # ------------------------------------------------ unknown fields and names
    "misspelt playbook field": replace(LATE, "steps:", "stpes:", where=f"{LATE}:6", says="Did you mean 'steps'?"),
    "unknown field of a person": replace(PEOPLE, "{role: agent, team: tier1, name: Ana Agent}", "{role: agent, tema: tier1, name: Ana Agent}", where=f"{PEOPLE}:6", says="tema: unknown field. Did you mean 'team'?"),
    "unknown field of a frequency limit": replace(AUTHORITY, "    max: 1\n", "    maxx: 1\n", where=f"{AUTHORITY}:31", says="maxx: unknown field. Did you mean 'max'?"),
    "unknown action in a playbook": replace(LATE, "refund_shipping: {", "refund_shiping: {", where=f"{LATE}:9", says="Did you mean 'refund_shipping'?"),
    "unknown role in a playbook": replace(LATE, "{agent: 15, senior: 30}", "{agnet: 15, senior: 30}", where=f"{LATE}:9", says="agnet: unknown role. Did you mean 'agent'?"),
    "unknown role of a person": replace(PEOPLE, "{role: agent, team: tier1, name: Ana Agent}", "{role: agnet, team: tier1, name: Ana Agent}", where=f"{PEOPLE}:6", says="unknown role 'agnet'"),
    "unknown role in budgets": replace(AUTHORITY, "  agent:   {daily: 150", "  agnet:   {daily: 150", where=f"{AUTHORITY}:22", says="unknown role 'agnet'"),
    "unknown action in caps": replace(AUTHORITY, "  refund:             {", "  refundd:            {", where=f"{AUTHORITY}:10", says="unknown action 'refundd'"),
    "unknown action in a frequency limit": replace(AUTHORITY, "[goodwill_credit, discount]", "[goodwill_credit, discont]", where=f"{AUTHORITY}:30", says="unknown action 'discont'"),
    "unknown approver of a frequency limit": replace(AUTHORITY, "    approver: lead\n", "    approver: leed\n", where=f"{AUTHORITY}:33", says="unknown role 'leed'"),
    "unknown default role": replace(PEOPLE, "default_role: agent", "default_role: intern", where=f"{PEOPLE}:4", says="unknown role 'intern'"),
    "unknown language": replace(DAMAGED, "title: {en: Item arrived damaged,", "title: {fr: Article endommagé, en: Item arrived damaged,", where=f"{DAMAGED}:2", says="title.fr: input should be 'en' or 'es'"),
    "unknown playbook in a test case": append(LATE, TESTS_BLOCK, where=f"{LATE}:13", says="unknown playbook 'late-delivry'"),
    # ------------------------------------------------ amounts, caps and limits
    "above the policy cap": replace(LATE, "agent: 15", "agent: 99", where=f"{LATE}:9", says="above the policy cap"),
    "a higher role below a lower one": replace(LATE, "{agent: 15, senior: 30}", "{agent: 15, senior: 10}", where=f"{LATE}:9", says="limits must not decrease"),
    "caps decreasing with rank": replace(AUTHORITY, "{agent: 50, senior: 150,", "{agent: 50, senior: 40, ", where=f"{AUTHORITY}:10", says="limits must not decrease"),
    "negative amount": replace(LATE, "agent: 15", "agent: -5", where=f"{LATE}:9", says="agent: must be 0 or more"),
    "amount that is not a number": replace(LATE, "agent: 15", "agent: lots", where=f"{LATE}:9", says="agent: must be a number"),
    "frequency limit of zero": replace(AUTHORITY, "    max: 1\n", "    max: 0\n", where=f"{AUTHORITY}:31", says="max: must be 1 or more"),
    "unknown time zone": replace(AUTHORITY, "timezone: UTC", "timezone: Mars/Olympus", where=f"{AUTHORITY}:5", says="unknown time zone 'Mars/Olympus'"),
    "currency that is not a code": replace(AUTHORITY, "currency: USD", "currency: dollars", where=f"{AUTHORITY}:3", says="'dollars' is not a currency code"),
    "escalation channel that is not an id": replace(PEOPLE, "escalation_channel: C0LEADS01", "escalation_channel: '#leads'", where=f"{PEOPLE}:17", says="'#leads' is not a Slack channel id"),
    # ------------------------------------------------ duplicates
    "duplicate playbook id": replace(DAMAGED, "id: damaged-item", "id: late-delivery", where=f"{LATE}:1", says="is already used by playbooks/damaged-item.yaml:1"),
    "duplicate frequency limit id": replace(AUTHORITY, "- id: refunds-per-month", "- id: goodwill-per-quarter", where=f"{AUTHORITY}:34", says="duplicate id 'goodwill-per-quarter'"),
    "a section in two files": append(PEOPLE, "currency: EUR\n", where=f"{PEOPLE}:18", says="already defined in"),
    "duplicate person": replace(PEOPLE, "    U0AGENT02:", "    U0AGENT01:", where=f"{PEOPLE}:7", says="duplicate key 'U0AGENT01'"),
    "duplicate role id": replace(ROLES, "  - id: senior", "  - id: agent", where=f"{ROLES}:6", says="'agent' is already a role"),
    # ------------------------------------------------ missing pieces
    "required field removed": replace(LATE, "steps:\n  - Apologise and confirm the new delivery date in the tracking tool.\n", "", where=f"{LATE}:1", says="steps: is required"),
    "no steps": replace(LATE, "steps:\n  - Apologise and confirm the new delivery date in the tracking tool.\n", "steps: []\n", where=f"{LATE}:6", says="steps: add at least one step"),
    "a policy file deleted": delete(PEOPLE, where="policies", says="no policy file defines `people:`"),
    "every playbook deleted": delete(LATE, DAMAGED, where="playbooks", says="no .yaml files here"),
    "a file deleted mid-reload": deleted_mid_reload(PEOPLE, where=PEOPLE, says="disappeared while it was being read"),
}


_PARSED: dict[tuple[str, bytes], object] = {}


@pytest.fixture(autouse=True)
def _parse_each_content_once(monkeypatch):
    """Every row loads the same unchanged files three times; parse each content once (``read_yaml`` depends
    only on the path shown and the bytes), so 40 rows stay fast. Whatever cannot be read goes to the real one."""
    real = loading.read_yaml

    def read_once(path: Path, *, shown_as: str):
        try:
            key = (shown_as, path.read_bytes())
        except OSError:
            return real(path, shown_as=shown_as)
        if key not in _PARSED:
            _PARSED[key] = real(path, shown_as=shown_as)
        return _PARSED[key]

    monkeypatch.setattr(loading, "read_yaml", read_once)


def _engine(policy_set):
    return Engine.build(policy_set, encoder=get_encoder("none"))


def probe(store: PolicyStore) -> list[tuple]:
    policy_set, engine = store.snapshot()
    results = []
    for text, role in PROBES:
        result = answer(engine, text, role=role, history=History(), now=NOW)
        decision = result.decision.model_dump() if result.decision else None
        results.append((result.outcome, result.playbook, result.request, decision, policy_set.revision))
    return results


def _located(report: str, edit: Edit) -> bool:
    """A line of the report is exactly ``file:line: <problem>`` (or ``file: <problem>`` for a whole file)."""
    return any(line.startswith(f"{edit.where}: ") and edit.says in line for line in report.splitlines())


@pytest.mark.parametrize("name", EDITS)
def test_a_bad_edit_is_reported_and_the_last_good_set_answers_on(name, valid_dirs, monkeypatch):
    playbooks, policies = valid_dirs
    monkeypatch.chdir(playbooks.parent)  # paths in the report as a policy owner sees them
    store = PolicyStore(playbooks, policies, build=_engine, check_every=0)
    good, before = store.current(), probe(store)
    EDITS[name].apply(playbooks.parent, monkeypatch)
    report = store.reload()
    assert not report.ok and report.revision == good.revision
    assert _located(report.problems, EDITS[name]), report.problems
    assert probe(store) == before
    assert store.current() is good


@pytest.mark.parametrize("name", EDITS)
def test_a_start_with_the_bad_edit_fails_closed(name, valid_dirs, monkeypatch):
    playbooks, policies = valid_dirs
    monkeypatch.chdir(playbooks.parent)
    EDITS[name].apply(playbooks.parent, monkeypatch)
    store = PolicyStore(playbooks, policies, build=_engine, check_every=0)
    with pytest.raises(NoValidPolicy) as refused:
        store.current()
    assert "refuses to answer" in str(refused.value) and EDITS[name].says in str(refused.value)


def test_the_table_is_big_enough():
    assert len(EDITS) >= 30
