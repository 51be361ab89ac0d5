"""Insights for policy owners: a known story gives each insight with its evidence, and nothing spurious."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from report_story import ADDRESS_CHANGE, GIFT_CARD, ONE_OFFS, add_escalation, add_exception, add_unmatched, seed_story

from bot import insights as insights_module
from bot.encoders import get_encoder
from bot.insight_gaps import clusters, similarity
from bot.insights import find_insights
from bot.ledger import Ledger
from bot.rematches import record_rematch

REPO = Path(__file__).parent.parent


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "ledger.db")


@pytest.fixture
def story(ledger, sample_set, now, monkeypatch):
    monkeypatch.chdir(REPO)  # insights cite playbooks/x.yaml:LINE relative to where the set was loaded
    start, end = seed_story(ledger, now=now)
    return {insight.kind + ":" + insight.subject: insight
            for insight in find_insights(ledger, sample_set, start=start, end=end)}


def line_at(cite: str) -> str:
    path, line = cite.rsplit(":", 1)
    return (REPO / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_the_story_gives_exactly_its_insights(story):
    assert sorted(story) == sorted([
        "limit_calibration:late-delivery/goodwill_credit/agent/15-30",
        "recurring:damaged-item/replacement",
        "routine_gesture:wrong-item/replacement",
        f"gap:{ADDRESS_CHANGE[0]}",
        f"gap:{GIFT_CARD[1]}",
    ])


def test_a_limit_approved_again_and_again(story, sample_set):
    insight = story["limit_calibration:late-delivery/goodwill_credit/agent/15-30"]
    assert insight.evidence | {"examples": None} == {
        "playbook": "late-delivery", "action": "goodwill_credit", "role": "agent", "limit": "15", "band": ["15", "30"],
        "approved": 13, "denied": 1, "examples": None}
    assert insight.cites == (sample_set.locations["playbooks/late-delivery/actions/goodwill_credit"],
                             sample_set.locations["caps/goodwill_credit"])
    assert line_at(insight.cites[0]).strip().startswith("goodwill_credit:")
    assert insight.title("en") == ("Leads approved 13 of 14 Goodwill credit requests between 15 USD and 30 USD "
                                   "in 30 days (Order arrived late).")
    assert "raising the Agent limit for Goodwill credit to 30 USD in playbooks/late-delivery.yaml" in insight.suggestion("en")
    assert "20 USD (policies/authority.yaml:" in insight.suggestion("en")
    assert insight.title("es").startswith("Los líderes aprobaron 13 de 14 solicitudes de Crédito de cortesía")


def test_a_recurring_damaged_item_wave_names_its_owner(story):
    insight = story["recurring:damaged-item/replacement"]
    assert (insight.evidence["count"], insight.evidence["previous"], insight.evidence["owner"]) == (42, 14, "quality")
    assert insight.evidence["examples"] and all("mug arrived broken" in e for e in insight.evidence["examples"])
    assert line_at(insight.cites[0]).startswith("owner:")
    assert "3× the previous period (14)" in insight.title("en")
    assert insight.suggestion("en").startswith("Owner: quality.")


def test_a_routine_gesture_points_at_the_steps(story):
    insight = story["routine_gesture:wrong-item/replacement"]
    assert (insight.evidence["count"], insight.evidence["total"]) == (18, 20)
    assert line_at(insight.cites[0]).startswith("steps:")
    assert "18 of 20 cases" in insight.title("en")


def test_unmatched_situations_fall_into_their_two_clusters(story):
    address, gift = story[f"gap:{ADDRESS_CHANGE[0]}"], story[f"gap:{GIFT_CARD[1]}"]
    assert set(address.evidence["typical"]) <= set(ADDRESS_CHANGE) and address.evidence["count"] == len(ADDRESS_CHANGE)
    assert set(gift.evidence["typical"]) <= set(GIFT_CARD) and gift.evidence["count"] == len(GIFT_CARD)
    assert address.evidence["closest_playbook"] == "late-delivery" and gift.evidence["closest_playbook"] is None
    assert line_at(address.cites[0]).startswith("examples:")
    assert not any(one_off in str(i.evidence) for i in story.values() for one_off in ONE_OFFS)


def test_clustering_is_deterministic_whatever_the_order():
    encoder = get_encoder("static")
    texts = ADDRESS_CHANGE + GIFT_CARD + ONE_OFFS
    groups = [{texts[i] for i in group} for group in clusters(similarity(texts, encoder=encoder))]
    reordered = list(reversed(texts))
    again = [{reordered[i] for i in group} for group in clusters(similarity(reordered, encoder=encoder))]
    assert sorted(map(sorted, groups)) == sorted(map(sorted, again))
    assert set(ADDRESS_CHANGE) in groups and set(GIFT_CARD) in groups


def test_every_insight_reads_in_both_languages(story):
    for insight in story.values():
        assert insight.title("es") != insight.title("en") and insight.suggestion("es") != insight.suggestion("en")


# ---------------------------------------------------------------- nothing spurious


def steady_period(ledger, sample_set, start):
    """A normal month: each playbook used a dozen times across its actions, leads approving about half."""
    for index, (playbook_id, playbook) in enumerate(sorted(sample_set.playbooks.items())):
        actions = sorted(playbook.actions)
        for n in range(12):
            add_exception(ledger, at=start + timedelta(hours=index + n * 50), playbook=playbook_id,
                          action=actions[n % len(actions)], amount=5)
        for n in range(4):
            add_escalation(ledger, at=start + timedelta(hours=index + n * 90), playbook=playbook_id, action=actions[0],
                           amount=1000 + n, status="approved" if n % 2 else "denied")


def test_a_steady_ledger_has_no_insights(ledger, sample_set, now):
    start = now - timedelta(days=30)
    steady_period(ledger, sample_set, start - timedelta(days=30))
    steady_period(ledger, sample_set, start)
    for n, text in enumerate(["the app crashes on login", "customer asks whether we ship to Canada",
                              "wants to know the warranty of a sofa", "asks for an invoice copy in PDF"]):
        add_unmatched(ledger, at=start + timedelta(days=n), text=text)
    assert find_insights(ledger, sample_set, start=start, end=now) == []


def test_an_empty_ledger_has_no_insights(ledger, sample_set, now):
    assert find_insights(ledger, sample_set, start=now - timedelta(days=7), end=now) == []


def test_a_new_ledger_has_no_previous_period_to_call_a_wave(ledger, sample_set, now):
    for n in range(30):
        add_exception(ledger, at=now - timedelta(days=1, hours=n), playbook="damaged-item", action="replacement", amount=9)
        add_exception(ledger, at=now - timedelta(days=1, hours=n), playbook="damaged-item", action="refund", amount=9)
    assert find_insights(ledger, sample_set, start=now - timedelta(days=7), end=now) == []


def test_a_wave_spread_over_one_owners_playbooks_names_the_owner(ledger, sample_set, now, monkeypatch):
    monkeypatch.chdir(REPO)
    start = now - timedelta(days=30)
    logistics = [("wrong-item", "replacement"), ("lost-package", "refund"), ("late-delivery", "refund_shipping")]
    for base, per_playbook in ((start - timedelta(days=30), 3), (start, 8)):  # each below RECURRING_MIN_COUNT
        for index, (playbook, action) in enumerate(logistics):
            for n in range(per_playbook):
                add_exception(ledger, at=base + timedelta(hours=index + 30 * n), playbook=playbook, action=action, amount=9)
    (insight,) = find_insights(ledger, sample_set, start=start, end=now)
    assert (insight.kind, insight.subject) == ("recurring", "owner:logistics")
    assert (insight.evidence["count"], insight.evidence["previous"]) == (24, 9)
    assert [line_at(cite) for cite in insight.cites] == ["owner:"] * 3
    assert insight.title("es").startswith("Casos a cargo de logistics: 24 excepciones") and "2,7×" in insight.title("es")


@pytest.mark.parametrize("approved, denied, expected", [
    (13, 1, True),   # the story's band
    (9, 0, False),   # fewer decisions than CALIBRATION_MIN_DECISIONS
    (8, 2, False),   # 80% approved: below CALIBRATION_APPROVAL_SHARE
])
def test_limit_calibration_thresholds(ledger, sample_set, now, approved, denied, expected):
    for n in range(approved + denied):
        add_escalation(ledger, at=now - timedelta(hours=n + 1), playbook="late-delivery", action="goodwill_credit",
                       amount=20, status="approved" if n < approved else "denied")
    found = insights_module.limit_calibration(ledger, sample_set, start=now - timedelta(days=7), end=now)
    assert bool(found) is expected


def test_escalations_for_a_budget_not_a_limit_say_nothing_about_the_limit(ledger, sample_set, now):
    for n in range(12):
        add_escalation(ledger, at=now - timedelta(hours=n + 1), playbook="late-delivery", action="goodwill_credit",
                       amount=12, status="approved")  # within the 15 USD limit: sent up by a budget
    assert insights_module.limit_calibration(ledger, sample_set, start=now - timedelta(days=7), end=now) == []


def test_a_playbook_nobody_uses_is_rare_when_the_others_are_busy(ledger, sample_set, now):
    start = now - timedelta(days=30)
    for index, (playbook_id, playbook) in enumerate(sorted(sample_set.playbooks.items())):
        for n in range(0 if playbook_id == "price-drop" else 15):
            add_exception(ledger, at=start + timedelta(hours=index + n * 40), playbook=playbook_id,
                          action=sorted(playbook.actions)[n % len(playbook.actions)], amount=5)
    found = insights_module.rarely_used(ledger, sample_set, start=start, end=now)
    assert [i.subject for i in found] == ["price-drop"] and found[0].evidence["count"] == 0


def test_not_this_one_choices_show_confused_playbooks(ledger, sample_set, now, monkeypatch):
    monkeypatch.chdir(REPO)
    for n in range(4):
        assert record_rematch(ledger, key=f"a{n}", user="U1", offered="damaged-item", chosen="wrong-item",
                              now=now - timedelta(hours=n + 1))
    assert not record_rematch(ledger, key="a0", user="U1", offered="damaged-item", chosen="wrong-item", now=now)
    for n in range(2):  # below CONFUSION_MIN: a slip, not a pattern
        record_rematch(ledger, key=f"b{n}", user="U1", offered="late-delivery", chosen=None, now=now - timedelta(hours=1))
    found = insights_module.confusion(ledger, sample_set, start=now - timedelta(days=7), end=now)
    assert [(i.subject, i.evidence["count"]) for i in found] == [("damaged-item->wrong-item", 4)]
    assert [line_at(cite) for cite in found[0].cites] == ["examples:", "examples:"]
    assert found[0].title("en") == "Agents turned down Item arrived damaged for Wrong item received 4 times."
