"""Block Kit rendering: limits, escaping, both languages in the Slack catalogue."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.answering import answer
from bot.decision import History
from bot.messages import placeholders
from bot.slack.blocks import MAX_BLOCKS, MAX_SECTION, answer_blocks, as_dicts, chunks, escape
from bot.slack.words import CATALOGUE

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
EMPTY = History(spent_today=Decimal(0), spent_this_month=Decimal(0), customer_known=False, customer_gestures=())


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_slack_sentence_has_both_languages_with_the_same_placeholders(key):
    entry = CATALOGUE[key]
    assert entry.keys() == {"en", "es"}
    assert placeholders(entry["en"]) == placeholders(entry["es"])


@pytest.mark.parametrize("text, expected", [
    ("<!channel>", "&lt;!channel&gt;"), ("<@U0LEAD01>", "&lt;@U0LEAD01&gt;"), ("a & b", "a &amp; b"),
])
def test_escape(text, expected):
    assert escape(text) == expected


def test_long_text_is_split_below_the_section_limit():
    pieces = chunks(("step " * 100 + "\n") * 40)
    assert all(len(p) <= MAX_SECTION for p in pieces) and len(pieces) > 1


def test_a_huge_playbook_stays_within_block_kit_limits(sample_store):
    policy_set, engine = sample_store.snapshot()
    playbook = policy_set.playbooks["late-delivery"]
    from bot.models import LocalizedText

    steps = [LocalizedText.model_construct(root="<!channel> " + "x" * 2900) for _ in range(80)]  # beyond what loading allows
    huge = policy_set.model_copy(update={"playbooks": {**policy_set.playbooks,
                                                       "late-delivery": playbook.model_copy(update={"steps": steps})}})
    result = answer(engine, "package arrived 5 days late, wants 10 USD shipping refund", role="agent", history=EMPTY,
                    now=NOW, playbook="late-delivery")
    blocks = as_dicts(answer_blocks(result, huge, question_id=1))  # to_dict validates every limit
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert "<!channel>" not in str(blocks)


def test_the_echoed_situation_keeps_no_direction_override_or_control(sample_store):
    """A pasted right-to-left override would make Slack show "refund 12" backwards in the quote."""
    policy_set, engine = sample_store.snapshot()
    result = answer(engine, "my cat \u202eis purple\u202c \x1b[2J", role="agent", history=EMPTY, now=NOW)
    text = str(as_dicts(answer_blocks(result, policy_set, question_id=1)))
    assert "is purple" in text
    assert not {"\u202e", "\u202c", "\x1b"} & set(text)
