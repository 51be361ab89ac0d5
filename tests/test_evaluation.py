"""The accuracy report: what `leeway eval` prints and the floors in test_policy_tests.py read."""

from bot.evaluation import LabelledSituation, evaluate, format_report
from bot.matching import build_index
from bot.models import Playbook


def playbook(pid, examples):
    return Playbook.model_validate({"id": pid, "title": pid, "examples": examples, "steps": ["..."]})


INDEX = build_index({
    "lost-package": playbook("lost-package", ["the parcel never arrived", "el paquete nunca llegó"]),
    "damaged-item": playbook("damaged-item", ["the vase arrived broken", "llegó roto"]),
})


def test_a_confident_match_on_the_wrong_playbook_counts_against_match_precision():
    situations = [
        LabelledSituation("cx: pakage never arived, order #48213", "en", "lost-package"),
        LabelledSituation("the vase arrived broken", "en", "lost-package"),  # labelled otherwise: a wrong match
        LabelledSituation("thanks, have a nice weekend", "en", None),
    ]
    assert [INDEX.match(s.text).outcome for s in situations] == ["match", "match", "none"]
    report = evaluate(INDEX, situations)
    assert (report.said_match, report.said_match_right, report.match_precision) == (2, 1, 0.5)
    assert report.as_dict()["match_share"] == round(2 / 3, 4)
    assert "confident matches: 66.7% of situations, right 50.0%" in format_report(report)


def test_an_out_of_scope_situation_answered_match_is_a_wrong_match():
    report = evaluate(INDEX, [LabelledSituation("the parcel never arrived", "en", None)])
    assert (report.said_match, report.said_match_right, report.oos_recall) == (1, 0, 0.0)
