"""``leeway test``: the cases policy owners keep beside each playbook, in the spirit of ``opa test``.

Three kinds of check, each failure naming its file and note:
- every ``tests:`` case (situation, role, history -> expected playbook, action, decision, approver);
- every example of a playbook resolves to that playbook; with ``--leave-one-out``, also when it is
  left out of the index (an example only its own presence can match teaches the matcher little);
- no example is repeated, or nearly repeated, in two playbooks.
No cases at all counts as a failure: a library nobody tests is not known to work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rapidfuzz import fuzz

from bot.answering import Engine, answer
from bot.decision import Gesture, History
from bot.matching import build_index
from bot.models import PlaybookTest, PolicySet

NEAR_DUPLICATE = 92  # rapidfuzz ratio at which two examples say the same thing
TEST_NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)  # fixed, so a case gives the same result any day


@dataclass(frozen=True)
class CaseResult:
    file: str
    name: str
    passed: bool
    detail: str = ""

    def __str__(self) -> str:
        mark = "PASS" if self.passed else "FAIL"
        return f"{mark} {self.file}: {self.name}" + (f"\n     {self.detail}" if self.detail else "")


def run_all(engine: Engine, *, encoder=None, leave_one_out: bool = False) -> list[CaseResult]:
    policy_set = engine.policy_set
    results = []
    for playbook_id in sorted(policy_set.playbooks):
        for case in policy_set.playbooks[playbook_id].tests:
            results.append(run_case(engine, playbook_id, case))
    results += duplicate_examples(policy_set)
    results += examples_match(engine)
    if leave_one_out:
        results += examples_resolve(policy_set, encoder=encoder)
    if not any(policy_set.playbooks[p].tests for p in policy_set.playbooks):
        results.append(CaseResult("playbooks/", "test cases", False, "no `tests:` cases found in any playbook; add some"))
    return results


def run_case(engine: Engine, playbook_id: str, case: PlaybookTest) -> CaseResult:
    policy_set = engine.policy_set
    file = policy_set.playbook_files.get(playbook_id, playbook_id)
    history = History(
        spent_today=case.spent_today, spent_this_month=case.spent_today,
        customer_gestures=tuple(Gesture(action=a, amount=Decimal(1), at=TEST_NOW - timedelta(days=1))
                                for a in policy_set.policy.actions for _ in range(case.customer_gestures)),
    )
    expect = case.expect
    expected_playbook = expect.playbook or playbook_id
    got = answer(engine, case.situation, role=case.role, history=history, now=TEST_NOW)
    ranked_first = got.candidates[0].playbook if got.candidates and got.outcome != "none" else None
    forced = got if got.playbook == expected_playbook else answer(
        engine, case.situation, role=case.role, history=history, now=TEST_NOW, playbook=expected_playbook)
    decision = forced.decision
    observed = {
        "playbook": ranked_first, "outcome": got.outcome,
        "action": forced.request.action, "decision": decision.verdict if decision else None,
        "approver_role": decision.approver_role if decision else None,
    }
    wanted = {"playbook": expected_playbook if expect.outcome in (None, "match") else None, "outcome": expect.outcome,
              "action": expect.action, "decision": expect.decision, "approver_role": expect.approver_role}
    if expect.outcome in ("ambiguous", "none"):
        wanted["playbook"] = got.playbook
    mismatches = [f"{key}: expected {value!r}, got {observed[key]!r}" for key, value in wanted.items()
                  if value is not None and observed[key] != value]
    if expect.decision and expect.approver_role is None and observed["approver_role"] and expect.decision != "needs_approval":
        mismatches.append(f"approver_role: expected none, got {observed['approver_role']!r}")
    return CaseResult(file, case.note, not mismatches, "; ".join(mismatches))


def duplicate_examples(policy_set: PolicySet) -> list[CaseResult]:
    """Examples that appear (nearly) word for word in two playbooks confuse the matcher and the reader."""
    seen: list[tuple[str, str]] = []
    results = []
    for playbook_id in sorted(policy_set.playbooks):
        for example in policy_set.playbooks[playbook_id].examples:
            text = " ".join(example.lower().split())
            for other_id, other in seen:
                if other_id != playbook_id and fuzz.ratio(text, other) >= NEAR_DUPLICATE:
                    results.append(CaseResult(
                        policy_set.playbook_files.get(playbook_id, playbook_id), f"example {example!r}", False,
                        f"repeats an example of {other_id}: {other!r}; keep it in one playbook"))
            seen.append((playbook_id, text))
    return results


def examples_match(engine: Engine) -> list[CaseResult]:
    """Each example, asked as a situation, comes back as its own playbook (first, and as a match)."""
    policy_set, results = engine.policy_set, []
    for playbook_id in sorted(policy_set.playbooks):
        misses = []
        for example in policy_set.playbooks[playbook_id].examples:
            result = engine.index.match(example, limit=3)
            top = result.matches[0].playbook if result.matches else None
            if top != playbook_id or result.outcome == "none":
                misses.append(f"{example!r} -> {result.outcome} {top or ''}".rstrip())
        results.append(CaseResult(policy_set.playbook_files.get(playbook_id, playbook_id),
                                  f"examples resolve to {playbook_id}", not misses, "; ".join(misses)))
    return results


def examples_resolve(policy_set: PolicySet, *, encoder=None) -> list[CaseResult]:
    """Leave each example out in turn: does the rest of its playbook still bring it home?"""
    results = []
    for playbook_id in sorted(policy_set.playbooks):
        playbook = policy_set.playbooks[playbook_id]
        file = policy_set.playbook_files.get(playbook_id, playbook_id)
        if len(playbook.examples) < 2:
            continue
        misses = []
        for position, example in enumerate(playbook.examples):
            rest = playbook.model_copy(update={"examples": [e for i, e in enumerate(playbook.examples) if i != position]})
            index = build_index({**policy_set.playbooks, playbook_id: rest}, encoder=encoder)
            top = [c.playbook for c in index.match(example, limit=3).matches]
            if playbook_id not in top[:3]:
                misses.append(f"{example!r} -> {top[0] if top else 'nothing'}")
        results.append(CaseResult(file, f"examples resolve to {playbook_id} (left out one at a time, top 3)",
                                  not misses, "; ".join(misses)))
    return results
