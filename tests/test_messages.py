"""The catalogue: both languages for every key, a sentence for every code the core raises, and the wording.

The fixture set (tests/fixtures/valid) has late-delivery refund_shipping {agent: 15, senior: 30} under caps
{agent: 20, senior: 40, lead: 100}; budgets agent 150/day 1500/month; refunds-per-month allows 2 in 30 days.
"""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.decision import Gesture, History, Reason, Request, decide
from bot.errors import NotFound, Refused, UserInputError
from bot.messages import CATALOGUE, LANGS, placeholders, reason_text, refusal_text, request_question, t, verdict_line

BOT = Path(__file__).parent.parent / "bot"
D = Decimal

# the codes the decision engine documents; the source scan below catches any added later
REASON_CODES = {
    "no_action", "unknown_action", "action_not_in_playbook", "no_amount", "currency_mismatch", "negative_amount",
    "allowed", "needs_approval", "not_allowed_frequency", "not_allowed_above_all", "above_limit", "cap_applies",
    "playbook_limit", "budget_today", "budget_month", "customer_unknown", "frequency_reached",
}


def calls(path: Path, names: set[str]):
    """Every call in ``path`` to a function or method named in ``names``, with its node."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in names:
                yield node


def constants(node: ast.AST) -> set[str]:
    """The string constants an expression may evaluate to (``"a"``, ``"a" if x else "b"``); none for an f-string."""
    if isinstance(node, ast.Constant):
        return {node.value} if isinstance(node.value, str) else set()
    if isinstance(node, ast.IfExp):
        return constants(node.body) | constants(node.orelse)
    return set()


def reason_codes_in_decision() -> tuple[set[str], list[str]]:
    """(literal codes, f-string codes as regular expressions) of every ``Reason(code=...)`` in bot/decision.py."""
    literal, patterns = set(), []
    for call in calls(BOT / "decision.py", {"Reason"}):
        for keyword in call.keywords:
            if keyword.arg != "code":
                continue
            if isinstance(keyword.value, ast.JoinedStr):
                patterns.append("".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
                                        for part in keyword.value.values))
            else:
                literal |= constants(keyword.value)
    return literal, patterns


# ---------------------------------------------------------------- the catalogue itself


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGS), f"{key}: give exactly {LANGS}"
    assert all(entry[lang].strip() for lang in LANGS), f"{key}: empty text"
    assert placeholders(entry["en"]) == placeholders(entry["es"]), f"{key}: en and es fill different placeholders"
    assert all(name.isidentifier() for name in placeholders(entry["en"])), f"{key}: name every placeholder"


def test_no_key_is_in_two_area_tables_so_none_silently_replaces_another():
    from bot.catalogue_answers import ANSWERS
    from bot.catalogue_reports import REPORTS
    from bot.catalogue_review import REVIEW

    tables = (ANSWERS, REVIEW, REPORTS)
    assert sum(map(len, tables)) == len(CATALOGUE), "a key is in two of bot/catalogue_*.py: keep one"


def test_every_reason_code_of_the_decision_engine_has_a_sentence():
    literal, patterns = reason_codes_in_decision()
    assert REASON_CODES <= literal | {"budget_today", "budget_month"}, "the scan no longer finds the engine's codes"
    missing = sorted(code for code in literal | REASON_CODES if f"reason_{code}" not in CATALOGUE)
    assert not missing, f"add these to bot/messages.py: {['reason_' + code for code in missing]}"
    for pattern in patterns:
        assert any(re.fullmatch(f"reason_{pattern}", key) for key in CATALOGUE), f"no message for code {pattern}"


def test_every_code_the_core_raises_has_a_sentence():
    raised = set()
    for path in sorted(BOT.rglob("*.py")):
        for call in calls(path, {"Refused", "NotFound", "UserInputError"}):
            if call.args:
                raised |= constants(call.args[0])
    assert {"not_allowed_now", "already_decided", "escalation_not_found", "self_approval"} <= raised
    assert not sorted(code for code in raised if code not in CATALOGUE)


def test_every_key_the_chat_asks_for_exists():
    """Keys passed to ``t``/``self.say``/``self.prompt`` anywhere in bot/, and every ``chat_*`` constant of the chat."""
    used = set()
    for path in sorted(BOT.rglob("*.py")):
        for call in calls(path, {"t", "say", "prompt"}):
            if call.args and (isinstance(call.func, ast.Name) or _on_self(call.func)):
                used |= constants(call.args[0])
    chat = BOT / "chat.py"
    if chat.exists():
        used |= {node.value for node in ast.walk(ast.parse(chat.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Constant) and re.fullmatch(r"chat_[a-z_]+", str(node.value))}
    assert "chat_prompt" in used or not chat.exists()
    assert not sorted(key for key in used if key not in CATALOGUE)


def _on_self(func) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"


def test_every_request_problem_the_extractor_reports_has_a_question():
    extraction = BOT / "extraction.py"
    if not extraction.exists():
        pytest.skip("bot/extraction.py is not written yet")
    reasons = set()
    for node in ast.walk(ast.parse(extraction.read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg == "reason":  # RequestSeen(reason=...) or alike
            reasons |= constants(node.value)
    assert not sorted(r for r in reasons if f"request_{r}" not in CATALOGUE)


# ---------------------------------------------------------------- t


def test_t_fills_the_language_asked_and_falls_back_to_english():
    assert t("chat_logged", "es", id=7, action="Reembolso", amount="12 USD") == \
        "✅ Registrado como excepción #7: Reembolso, 12 USD."
    assert t("chat_logged", "pt", id=7, action="Refund", amount="12 USD") == "✅ Logged as exception #7: Refund, 12 USD."
    assert t("chat_lang_set", None) == "I'll answer in English."


@pytest.mark.parametrize("key, params, named", [
    ("no_such_message", {}, "no_such_message"),
    ("chat_logged", {"id": 7, "action": "Refund"}, "amount"),                  # a parameter missing
    ("chat_ask_amount", {"curency": "USD"}, "currency"),                       # a parameter misspelt
])
def test_t_fails_loudly_naming_what_is_missing(key, params, named):
    with pytest.raises(KeyError, match=named):
        t(key, "en", **params)


def test_t_ignores_extra_parameters_so_an_errors_params_can_be_passed_whole():
    assert t("escalation_not_found", "en", id=4, decision=object()) == "There's no escalation #4. Check the number."


# ---------------------------------------------------------------- reasons


REASONS = [
    # code, params, source -> English, Spanish
    ("playbook_limit", {"action": "refund_shipping", "limit": "15", "currency": "USD", "role": "agent"},
     "playbooks/late-delivery.yaml:9",
     "Your limit for Shipping refund is 15 USD (playbooks/late-delivery.yaml:9).",
     "Tu límite para Reembolso del envío es 15 USD (playbooks/late-delivery.yaml:9)."),
    ("above_limit", {"action": "refund_shipping", "amount": "30", "limit": "15", "currency": "USD", "role": "agent"},
     None,
     "30 USD is above your 15 USD limit for Shipping refund.",
     "30 USD supera tu límite de 15 USD para Reembolso del envío."),
    ("cap_applies", {"action": "refund", "cap": "50", "playbook_limit": "80", "currency": "USD", "role": "agent"},
     "policies/authority.yaml:10",
     "The policy caps Agent at 50 USD for Refund, below this playbook's 80 USD (policies/authority.yaml:10).",
     "La política fija un tope de 50 USD para Agente en Reembolso, menor que los 80 USD de esta guía "
     "(policies/authority.yaml:10)."),
    ("needs_approval", {"action": "goodwill_credit", "amount": "11", "currency": "USD", "role": "senior",
                        "approver": "lead"}, None,
     "The first role that can approve 11 USD for Goodwill credit is Team lead.",
     "El primer rol que puede aprobar 11 USD de Crédito de cortesía es Líder de equipo."),
    ("not_allowed_above_all", {"action": "refund_shipping", "amount": "500", "currency": "USD", "role": "agent",
                               "top": "30"}, None,
     "No role may grant 500 USD for Shipping refund here; the most anyone may is 30 USD.",
     "Ningún rol puede conceder 500 USD de Reembolso del envío aquí; lo máximo es 30 USD."),
    ("frequency_reached", {"action": "refund", "amount": "5", "currency": "USD", "role": "agent",
                           "rule": "refunds-per-month", "used": "2", "max": "2", "days": "30", "approver": "lead"},
     "policies/authority.yaml:34",
     "This customer already had 2 of the 2 allowed in 30 days (refunds-per-month) (policies/authority.yaml:34).",
     "Este cliente ya recibió 2 de los 2 permitidos en 30 días (refunds-per-month) (policies/authority.yaml:34)."),
    ("currency_mismatch", {"currency": "EUR", "base": "USD"}, "policies/authority.yaml",
     "Limits are set in USD, not EUR (policies/authority.yaml).",
     "Los límites están en USD, no en EUR (policies/authority.yaml)."),
    ("unknown_action", {"action": "teleport"}, None,
     "“teleport” isn't an action in the catalogue.", "“teleport” no es una acción del catálogo."),
]


@pytest.mark.parametrize("code, params, source, english, spanish", REASONS, ids=[r[0] for r in REASONS])
def test_reason_sentences(fixture_set, code, params, source, english, spanish):
    reason = Reason(code=code, params=params, source=source)
    assert (reason_text(reason, "en", fixture_set), reason_text(reason, "es", fixture_set)) == (english, spanish)


def test_a_budget_reason_cites_the_line_of_the_askers_budget(fixture_set, now):
    decision = decide(fixture_set, "late-delivery", Request(action="refund_shipping", amount=D(12), currency="USD"),
                      role="agent", history=History(spent_today=D(145)), now=now)
    budget = next(r for r in decision.reasons if r.code == "budget_today")
    assert reason_text(budget, "en", fixture_set) == \
        f"You have 5 USD left of your 150 USD daily budget ({fixture_set.locations['budgets/agent']})."
    assert reason_text(budget, "es", fixture_set).startswith("Te quedan 5 USD de tu presupuesto diario de 150 USD (")


# ---------------------------------------------------------------- verdicts


def _refund(n: int, now):
    return tuple(Gesture(action="refund_shipping", amount=D(5), at=now - timedelta(days=i + 1)) for i in range(n))


VERDICTS = [
    # playbook, action, amount, role, history -> English, Spanish
    ("late-delivery", "refund_shipping", 12, "agent", {},
     "✅ Within your leeway: go ahead — Shipping refund of 12 USD (your limit: 15 USD).",
     "✅ Dentro de tu margen: puedes hacerlo tú — Reembolso del envío de 12 USD (tu límite: 15 USD)."),
    ("late-delivery", "refund_shipping", 20, "agent", {},
     "🟡 A Senior agent can approve this (above your 15 USD limit).",
     "🟡 Un Agente sénior puede aprobarlo (supera tu límite de 15 USD)."),
    ("late-delivery", "refund_shipping", 12, "agent", {"spent_today": D(145)},
     "🟡 A Senior agent can approve this (you have 5 USD left today).",
     "🟡 Un Agente sénior puede aprobarlo (hoy te quedan 5 USD)."),
    ("late-delivery", "refund_shipping", 10, "agent", {"gestures": 2},
     "🟡 A Team lead can approve this (the customer already had 2 in 30 days).",
     "🟡 Un Líder de equipo puede aprobarlo (el cliente ya recibió 2 en 30 días)."),
    ("late-delivery", "refund_shipping", 500, "agent", {},
     "⛔ Not allowed: no role may grant 500 USD for Shipping refund here.",
     "⛔ No permitido: ningún rol puede conceder 500 USD de Reembolso del envío aquí."),
    ("late-delivery", "goodwill_credit", 5, "agent", {},
     "⛔ Not allowed: Goodwill credit isn't part of this playbook.",
     "⛔ No permitido: Crédito de cortesía no forma parte de esta guía."),
    ("late-delivery", "refund_shipping", None, "agent", {},
     "ℹ️ Tell me the amount and I'll check it: you may grant up to 15 USD.",
     "ℹ️ Dime el monto y lo reviso: puedes conceder hasta 15 USD."),
    ("late-delivery", None, None, "agent", {},
     "ℹ️ Tell me what you'd like to offer and how much, and I'll check it.",
     "ℹ️ Dime qué quieres ofrecer y cuánto, y lo reviso."),
]


@pytest.mark.parametrize("playbook, action, amount, role, history, english, spanish", VERDICTS,
                         ids=[v[5][:40] for v in VERDICTS])
def test_verdict_lines(fixture_set, now, playbook, action, amount, role, history, english, spanish):
    past = History(spent_today=history.get("spent_today", D(0)), customer_gestures=_refund(history.get("gestures", 0), now))
    request = Request(action=action, amount=None if amount is None else D(amount), currency="USD" if amount else None)
    decision = decide(fixture_set, playbook, request, role=role, history=past, now=now)
    assert (verdict_line(decision, "en", fixture_set), verdict_line(decision, "es", fixture_set)) == (english, spanish)


def test_a_currency_the_policy_does_not_use_is_asked_again(fixture_set, now):
    decision = decide(fixture_set, "late-delivery", Request(action="refund_shipping", amount=D(10), currency="EUR"),
                      role="agent", history=History(), now=now)
    assert verdict_line(decision, "es", fixture_set) == "ℹ️ Los límites están en USD: dime el monto en USD, no en EUR."


MARKS = {"allowed": "✅", "needs_approval": "🟡", "not_allowed": "⛔", None: "ℹ️"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(playbook=st.sampled_from(["late-delivery", "damaged-item"]),
       action=st.sampled_from([None, "refund_shipping", "goodwill_credit", "replacement", "refund", "teleport"]),
       amount=st.one_of(st.none(), st.decimals(min_value=-5, max_value=3000, places=2)),
       currency=st.sampled_from(["USD", "EUR", None]),
       role=st.sampled_from(["agent", "senior", "lead", "manager"]),
       spent=st.decimals(min_value=0, max_value=2000, places=2),
       gestures=st.integers(min_value=0, max_value=3), known=st.booleans())
def test_every_decision_the_engine_can_make_has_words_in_both_languages(
        fixture_set, now, playbook, action, amount, currency, role, spent, gestures, known):
    history = History(spent_today=spent, spent_this_month=spent * 3, customer_known=known,
                      customer_gestures=tuple(Gesture(action=a, amount=D(5), at=now - timedelta(days=1))
                                              for a in ("goodwill_credit", "refund_shipping", "replacement")[:gestures]))
    decision = decide(fixture_set, playbook, Request(action=action, amount=amount, currency=currency),
                      role=role, history=history, now=now)
    for lang in LANGS:
        line = verdict_line(decision, lang, fixture_set)
        assert line.startswith(MARKS[decision.verdict]) and "{" not in line
        for reason in decision.reasons:
            assert "{" not in reason_text(reason, lang, fixture_set)


# ---------------------------------------------------------------- refusals and questions


REFUSALS = [
    (Refused("already_decided", {"id": 3}), "en", "Escalation #3 was already decided; nothing changed."),
    (Refused("already_decided", {"id": 3, "status": "expired", "by": ""}), "es",
     "La solicitud #3 ya estaba vencida; no cambió nada."),
    (Refused("already_decided", {"id": 3, "status": "approved", "by": "U0LEAD01"}), "en",
     "Escalation #3 was already approved by Lucía Lead; nothing changed."),
    (Refused("already_decided", {"id": 3, "status": "denied", "by": "U0LEAD02"}), "es",
     "La solicitud #3 ya estaba rechazada (lo hizo Leo Lead); no cambió nada."),
    (Refused("approver_role_too_low", {"id": 3, "role": "senior", "needed": "lead"}), "en",
     "As Senior agent you can't approve this; it needs Team lead or above."),
    (Refused("approver_role_too_low", {"id": 3, "role": "intern", "needed": ""}), "es",
     "Tu rol (intern) no puede aprobar solicitudes."),
    (Refused("not_allowed_now", {"decision": object()}), "es",
     "No se guardó nada: la política no te lo permite en este momento. Si un líder puede aprobarlo, pídeselo."),
    (NotFound("escalation_not_found", {"id": 99}), "en", "There's no escalation #99. Check the number."),
    (UserInputError("invalid_customer_ref", {"max": 80}), "es",
     "Esa referencia del cliente es demasiado larga (máximo 80 caracteres). Usa el número de pedido o de cuenta."),
]


@pytest.mark.parametrize("error, lang, expected", REFUSALS, ids=[e.code for e, _, _ in REFUSALS])
def test_refusals_name_roles_people_and_statuses(fixture_set, error, lang, expected):
    assert refusal_text(error, lang, fixture_set) == expected


class Seen:
    def __init__(self, ambiguous=False, reason=None):
        self.ambiguous, self.reason = ambiguous, reason


@pytest.mark.parametrize("seen, lang, expected", [
    (Seen(), "en", None),
    (Seen(True, "several_amounts"), "en", "I see more than one amount. Which one is it? Type it again with just one amount."),
    (Seen(True, "several_currencies"), "es",
     "Veo más de una moneda. Los límites están en USD: escribe el monto de nuevo en USD."),
    (Seen(True, "something_new"), "en", "I couldn't read what you want to give. Type the action and one amount again."),
])
def test_an_unclear_request_gets_a_question_saying_what_to_do(fixture_set, seen, lang, expected):
    assert request_question(seen, lang, fixture_set) == expected
