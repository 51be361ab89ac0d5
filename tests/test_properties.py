"""Invariants that must hold for any request, role, history or text (hypothesis).

* A larger amount never gets a more permissive decision; a higher role never gets a
  less permissive one (allowed > needs approval > not allowed).
* An allowed amount never exceeds the asker's effective limit or what is left of
  their daily and monthly budget.
* Block Kit built from an agent's text never carries an active mention, channel
  ping or link from that text.
* The amount parser reads back amounts formatted in both locales, whatever digits
  or invisible characters they are written with.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.amounts import find_money, format_money
from bot.answering import Answer, Candidate, RequestSeen
from bot.decision import Decision, Gesture, History, Request, decide, effective_limit
from bot.messages import money
from bot.models import cap_for
from bot.records import Escalation
from bot.slack.blocks import answer_blocks, as_dicts, escalation_blocks

D = Decimal
NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
PERMISSIVE = {"allowed": 2, "needs_approval": 1, "not_allowed": 0}
FAST = settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])

cents = st.integers(min_value=0, max_value=300_000).map(lambda c: D(c).scaleb(-2))


@st.composite
def histories(draw) -> History:
    """What the ledger may know: spending so far and the customer's past gestures."""
    actions = ["refund", "refund_shipping", "goodwill_credit", "discount", "replacement", "price_adjustment"]
    gestures = draw(st.lists(st.builds(
        Gesture, action=st.sampled_from(actions), amount=cents,
        at=st.integers(min_value=0, max_value=200).map(lambda days: NOW - timedelta(days=days, minutes=1))),
        max_size=4))
    today = draw(cents)
    return History(spent_today=today, spent_this_month=today + draw(cents),
                   customer_known=draw(st.booleans()), customer_gestures=tuple(gestures))


def requests_in(policy_set):
    """(playbook, action) pairs of a policy set: every action each playbook grants, and one it does not."""
    pairs = [(p.id, action) for p in policy_set.playbooks.values() for action in p.actions]
    pairs += [(p.id, "refund") for p in policy_set.playbooks.values() if "refund" not in p.actions][:2]
    return st.sampled_from(sorted(pairs))


def verdict_rank(decision: Decision) -> int:
    assert decision.verdict is not None  # an amount and an action in the base currency always get one
    return PERMISSIVE[decision.verdict]


def role_rank(policy_set, role: str | None) -> int:
    return policy_set.policy.rank(role) if role else len(policy_set.policy.role_ids)


class Named:
    """A policy set that hypothesis reports by name, not as a 150 kB repr."""

    def __init__(self, name: str, value):
        self.name, self.value = name, value

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(params=["sample_set", "fixture_set"])
def policies(request) -> Named:
    return Named(request.param, request.getfixturevalue(request.param))


@FAST
@given(data=st.data(), amounts=st.tuples(cents, cents), history=histories())
def test_a_larger_amount_never_gets_a_more_permissive_decision(policies, data, amounts, history):
    policy_set = policies.value
    playbook, action = data.draw(requests_in(policy_set))
    role = data.draw(st.sampled_from(policy_set.policy.role_ids))
    small, large = sorted(amounts)
    lower = decide(policy_set, playbook, Request(action=action, amount=small, currency="USD"), role=role,
                   history=history, now=NOW)
    higher = decide(policy_set, playbook, Request(action=action, amount=large, currency="USD"), role=role,
                    history=history, now=NOW)
    assert verdict_rank(higher) <= verdict_rank(lower)
    if lower.verdict == higher.verdict == "needs_approval":  # and never a lower approver
        assert role_rank(policy_set, higher.approver_role) >= role_rank(policy_set, lower.approver_role)


@FAST
@given(data=st.data(), amount=cents, history=histories())
def test_a_higher_role_never_gets_a_less_permissive_decision(policies, data, amount, history):
    policy_set = policies.value
    playbook, action = data.draw(requests_in(policy_set))
    roles = policy_set.policy.role_ids
    low, high = sorted(data.draw(st.lists(st.sampled_from(roles), min_size=2, max_size=2)), key=roles.index)
    request = Request(action=action, amount=amount, currency="USD")
    lower = decide(policy_set, playbook, request, role=low, history=history, now=NOW)
    higher = decide(policy_set, playbook, request, role=high, history=history, now=NOW)
    assert verdict_rank(higher) >= verdict_rank(lower), (low, high, higher.reasons)


@FAST
@given(data=st.data(), amount=cents, history=histories())
def test_an_allowed_amount_is_within_the_limit_and_the_budget_left(policies, data, amount, history):
    policy_set = policies.value
    playbook, action = data.draw(requests_in(policy_set))
    role = data.draw(st.sampled_from(policy_set.policy.role_ids))
    decision = decide(policy_set, playbook, Request(action=action, amount=amount, currency="USD"), role=role,
                      history=history, now=NOW)
    if decision.verdict != "allowed":
        return
    limit = effective_limit(policy_set.policy, policy_set.playbooks[playbook], action, role)
    assert amount <= limit == decision.limit
    assert limit <= (cap_for(policy_set.policy, action, role) or limit)
    budget = policy_set.policy.budgets.get(role)
    for total, spent in ((budget and budget.daily, history.spent_today),
                         (budget and budget.monthly, history.spent_this_month)):
        if total is not None:
            assert amount <= max(total - spent, D(0))  # nothing is left once it is overspent


# ---------------------------------------------------------------- rendering never pings

_MARKUP = ["<!channel>", "<!here>", "<!everyone>", "<@U0LEAD01>", "<@U123|bob>", "<#C0LEADS01>", "<!subteam^S1>",
           "<http://evil.example|policy>", "<mailto:a@evil.example>", "&lt;!here&gt;", "<", ">", "&", "*", "`"]
hostile_text = st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=12)), max_size=12).map("".join)
_ACTIVE = re.compile(r"<[!@#]|<(?:https?|mailto):")


def _texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from [value] if key == "text" and isinstance(value, str) else _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _assert_inert(blocks) -> None:
    for text in _texts(as_dicts(blocks)):
        assert not _ACTIVE.search(text) and "<" not in text, text


@settings(deadline=None, max_examples=120)
@given(text=hostile_text, outcome=st.sampled_from(["none", "ambiguous", "match"]), lang=st.sampled_from(["en", "es"]),
       reason=st.sampled_from([None, "several_amounts", "unclear_digits", "made_up_code"]))
def test_an_answer_never_pings_from_the_agents_text(sample_set, text, outcome, lang, reason):
    playbook = "late-delivery" if outcome == "match" else None
    seen = RequestSeen(action="refund_shipping", ambiguous=reason is not None, reason=reason)
    decision = None
    if playbook:
        decision = decide(sample_set, playbook, Request(action="refund_shipping"), role="agent", history=History(),
                          now=NOW)
    result = Answer(text=text, lang=lang, outcome=outcome, playbook=playbook, request=seen, decision=decision,
                    candidates=(Candidate(playbook="late-delivery", score=0.5),
                                Candidate(playbook="lost-package", score=0.4)),
                    role="agent", policy_revision=sample_set.revision)
    _assert_inert(answer_blocks(result, sample_set, question_id=1))


@settings(deadline=None, max_examples=80)
@given(situation=hostile_text, note=hostile_text, customer=hostile_text, decision_note=hostile_text,
       status=st.sampled_from(["pending", "approved", "denied", "expired"]),
       decided_by=st.sampled_from(["U0LEAD01", "<!channel>", "<@U0LEAD01>", "not an id"]))
def test_an_escalation_never_pings_from_the_agents_or_leads_text(sample_set, situation, note, customer, decision_note,
                                                                status, decided_by):
    escalation = Escalation(
        id=7, key="k", status=status, requested_by="U0AGENT01", requester_role="agent", team=None,
        playbook="late-delivery", action="refund_shipping", amount=D("30"), currency="USD",
        customer_ref=customer or None, note=note or None, situation=situation or None, approver_role="senior",
        decision_json="{}", policy_revision=sample_set.revision, created_at=NOW, decided_by=decided_by,
        decision_note=decision_note or None)
    blocks = escalation_blocks(escalation, sample_set, "en")
    for text in _texts(as_dicts(blocks)):
        # the only mentions are of real user ids the server put there, never of text someone typed
        assert not re.search(r"<[!#]|<(?:https?|mailto):", text), text
        assert set(re.findall(r"<@([^>]*)>", text)) <= {"U0AGENT01", "U0LEAD01"}, text
    json.dumps(as_dicts(blocks))


# ---------------------------------------------------------------- amounts read back

amounts = st.integers(min_value=0, max_value=10**11).map(lambda c: D(c).scaleb(-2))
currencies = st.sampled_from(["USD", "EUR", "MXN", "GBP", "COP", "CAD"])
langs = st.sampled_from(["en", "es"])
_DIGITS = {"arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹", "full-width": "０１２３４５６７８９",
           "devanagari": "०१२३४५६७८९"}


@settings(deadline=None, max_examples=300)
@given(amount=amounts, currency=currencies, lang=langs)
def test_amounts_formatted_for_either_locale_read_back_exactly(amount, currency, lang):
    written = format_money(amount, currency, lang)
    scan = find_money(f"refund {written} please", base_currency=currency)
    assert (scan.amount, scan.currency, scan.reason) == (amount, currency, None), written


@settings(deadline=None, max_examples=200)
@given(amount=amounts, currency=currencies, lang=langs)
def test_amounts_as_the_bot_shows_them_are_read_back_or_asked_about(amount, currency, lang):
    """``bot.messages.money`` drops ".00" ("1,250 USD", "1.250 USD"): a lone group of three is then
    unclear to the parser, which asks; whatever it reads is the amount shown."""
    written = money(amount, currency, lang)
    scan = find_money(f"refund {written} please", base_currency=currency)
    if scan.amount is None:
        assert scan.reason == "unclear_separator" and amount == amount.to_integral_value() and amount >= 1000
    else:
        assert (scan.amount, scan.currency) == (amount, currency), written


@settings(deadline=None, max_examples=200)
@given(amount=amounts, currency=currencies, lang=langs, script=st.sampled_from(sorted(_DIGITS)),
       invisible=st.sampled_from(["\u200b", "\u200d", "\u2066", "\u202b", "\ufeff", "\u00ad"]), data=st.data())
def test_other_digits_and_invisible_characters_read_the_same(amount, currency, lang, script, invisible, data):
    written = format_money(amount, currency, lang)
    foreign = written.translate(str.maketrans("0123456789", _DIGITS[script]))
    at = data.draw(st.integers(min_value=0, max_value=len(written)))
    hidden = written[:at] + invisible + written[at:]
    for text in (foreign, hidden):
        scan = find_money(f"refund {text}", base_currency=currency)
        assert (scan.amount, scan.currency, scan.reason) == (amount, currency, None), text


@settings(deadline=None, max_examples=200)
@given(whole=st.integers(min_value=1, max_value=999), group=st.integers(min_value=0, max_value=999),
       mark=st.sampled_from([".", ","]), symbol=st.sampled_from(["$", "€", "", " USD"]))
def test_a_lone_thousands_group_is_asked_about_never_guessed(whole, group, mark, symbol):
    """'1.234' or '1,234' alone could be a thousand and more or one and a bit: the agent is asked."""
    number = f"{whole}{mark}{group:03d}"
    text = f"refund {symbol}{number}" if symbol in ("$", "€") else f"refund {number}{symbol}"
    scan = find_money(text, base_currency="USD")
    assert (scan.amount, scan.reason) == (None, "unclear_separator"), text


@settings(deadline=None, max_examples=100)
@given(amount=amounts, currency=currencies, lang=langs, data=st.data())
def test_digits_shown_reversed_are_asked_about(amount, currency, lang, data):
    """After a right-to-left override "$12" shows as "21$": the agent sees another amount, so the bot asks."""
    written = format_money(amount, currency, lang)
    last_digit = max(i for i, char in enumerate(written) if char.isdigit())
    at = data.draw(st.integers(min_value=0, max_value=last_digit))
    scan = find_money(f"refund {written[:at]}\u202e{written[at:]}", base_currency=currency)
    assert (scan.amount, scan.reason) == (None, "direction_override")
