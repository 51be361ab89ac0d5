"""``leeway test`` and the accuracy guard: the sample library's own cases pass, and matching can't regress silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering import Engine
from bot.cli import main
from bot.evaluation import evaluate, read_labelled
from bot.loading import load_policy_set
from bot.policy_tests import duplicate_examples, run_all, run_case
from bot.models import PlaybookTest

REPO = Path(__file__).parent.parent

# Reached on benchmarks/eval/situations.jsonl with the default encoder (see the README). A change that
# loses more than a point fails here; raise these when the matcher improves. Out-of-scope recall was
# lowered (0.66 -> 0.63) on purpose: the trained static model's recalibrated thresholds give 4 fewer
# out-of-scope situations caught, 5 more right first picks and 6 more in the top 3 (benchmarks/eval/README.md);
# raised to 0.66 when a situation closer to a hidden line than to any example became "none" and the
# re-ranker's kernel was squared (67.0%; top-1 92.4, Spanish 93.2). Raised again with the word coverage
# (matching_words.py): top-1 93.8 (EN 92.9, ES 94.8), out of scope 95.5 / 72.7. Each language is held at
# the 92% target at least.
FLOORS = {"top1": 0.93, "top3": 0.98, "top1_en": 0.92, "top1_es": 0.94, "top3_en": 0.98, "top3_es": 0.98,
          "oos_precision": 0.95, "oos_recall": 0.72, "match_precision": 0.93}

# Reached on benchmarks/blind/situations.jsonl, written by writers who never saw the evaluation set: the
# ranking holds up there, "none" does not (its README). Held a point under, like the floors above.
BLIND_FLOORS = {"top1": 0.90, "top3": 0.97, "top1_en": 0.89, "top1_es": 0.92, "top3_en": 0.965, "top3_es": 0.97,
                "oos_precision": 0.91, "oos_recall": 0.26}


@pytest.fixture(scope="module")
def engine(sample_set):
    return Engine.build(sample_set)


def test_every_case_of_the_sample_library_passes(engine):
    failures = [str(result) for result in run_all(engine) if not result.passed]
    assert failures == []


def test_a_failing_case_names_its_file_and_note(engine):
    case = PlaybookTest.model_validate({"note": "a wrong expectation", "situation": "the order came 5 days late, refund the $12 shipping",
                                        "expect": {"playbook": "late-delivery", "decision": "not_allowed"}})
    result = run_case(engine, "late-delivery", case)
    assert not result.passed
    assert str(result).startswith("FAIL playbooks/late-delivery.yaml: a wrong expectation")
    assert "decision: expected 'not_allowed', got 'allowed'" in result.detail


def test_no_cases_at_all_is_a_failure(valid_dirs):
    playbooks, policies = valid_dirs
    engine = Engine.build(load_policy_set(playbooks, policies))
    results = run_all(engine)
    assert any(not r.passed and "no `tests:` cases found" in r.detail for r in results)


def test_an_example_repeated_in_two_playbooks_is_flagged(valid_dirs):
    playbooks, policies = valid_dirs
    damaged = playbooks / "damaged-item.yaml"
    damaged.write_text(damaged.read_text().replace("  - me llegó la taza rota", "  - customer says the package came a week late!"))
    results = duplicate_examples(load_policy_set(playbooks, policies))
    assert [(r.file.endswith("late-delivery.yaml"), r.detail) for r in results] == [
        (True, "repeats an example of damaged-item: 'customer says the package came a week late!'; keep it in one playbook")]


def test_leeway_test_names_an_out_of_scope_topic_a_playbook_now_covers(valid_dirs, capsys):
    playbooks, policies = valid_dirs
    (playbooks / "password-reset.yaml").write_text("""id: password-reset
title: {en: Cannot sign in, es: No puede entrar en su cuenta}
examples:
  - customer forgot the password and the reset email never arrives
  - cx locked out of the account after too many attempts
  - password reset link says it expired
  - el cliente olvidó la contraseña y no le llega el correo para cambiarla
  - cuenta bloqueada por intentos fallidos
  - no puede iniciar sesión aunque la contraseña es correcta
steps: [Send a new reset link from the admin panel]
""", encoding="utf-8")
    main(["test", "--playbooks", str(playbooks), "--policies", str(policies)])
    out = capsys.readouterr().out
    assert "note: password-reset covers the out-of-scope topic 'recover_password / sign-in'" in out
    main(["test"])
    assert "out-of-scope topic" not in capsys.readouterr().out


@pytest.mark.parametrize("folder, floors", [("eval", FLOORS), ("blind", BLIND_FLOORS)])
def test_matching_accuracy_does_not_regress(sample_set, engine, folder, floors):
    report = evaluate(engine.index, read_labelled(REPO / "benchmarks" / folder / "situations.jsonl")).as_dict()
    below = {name: (report[name], floor) for name, floor in floors.items() if report[name] < floor}
    assert not below, f"accuracy on benchmarks/{folder}/ fell below its floor (got, floor): {below}"
