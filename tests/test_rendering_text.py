"""The terminal view of an answer, read as the agent reads it: exported text at 100 columns.

Decisions come from ``bot.decision.decide`` on the fixture set (late-delivery refund_shipping
{agent: 15, senior: 30}); answers are built by hand so the matcher plays no part.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.console import Console

from bot.answering import Answer, Candidate, RequestSeen
from bot.decision import History, Request, decide
from bot.models import Playbook
from bot.rendering_text import render_answer, verdict_block

D = Decimal
LATE = "late-delivery"

# the fixture's late-delivery, with everything an author may add, in both languages
FULL_PLAYBOOK = {
    "id": LATE,
    "title": {"en": "Order arrived late", "es": "Pedido entregado con retraso"},
    "examples": ["order arrived 3 days late"],
    "owner": {"team": "logistics", "contact": "#logistics-delays",
              "handoff": {"en": "Log the carrier in the delay form.", "es": "Registra el transportista en el formulario."}},
    "checks": [{"en": "The order shows as delivered.", "es": "El pedido figura como entregado."}],
    "steps": [{"en": "Apologise and confirm the dates.", "es": "Discúlpate y confirma las fechas."},
              {"en": "Refund the shipping first.", "es": "Reembolsa primero el envío."}],
    "good": [{"en": "Refunds express shipping unasked.", "es": "Reembolsa el exprés sin que lo pidan."}],
    "avoid": [{"en": "Blaming the carrier.", "es": "Culpar al transportista."}],
    "say": {"opening": {"en": "I'm sorry it arrived late.", "es": "Lamento que llegara tarde."},
            "yes": {"en": "I've refunded your shipping.", "es": "Le he reembolsado el envío."},
            "no": {"en": "I can't offer more than that.", "es": "No puedo ofrecerle más que eso."}},
    "offer_instead": [{"en": "Free express shipping next time.", "es": "Envío exprés gratis la próxima vez."}],
    "actions": {"refund_shipping": {"agent": 15, "senior": 30}},
}


@pytest.fixture(scope="module")
def full_set(fixture_set):
    playbooks = {**fixture_set.playbooks, LATE: Playbook.model_validate(FULL_PLAYBOOK)}
    return fixture_set.model_copy(update={"playbooks": playbooks})


def make_answer(policy_set, now, *, action="refund_shipping", amount=12, lang="en", role="agent",
                history=None, text="order came late, wants the shipping back", seen=None, score=0.82) -> Answer:
    request = Request(action=action, amount=None if amount is None else D(amount), currency="USD" if amount else None)
    decision = decide(policy_set, LATE, request, role=role, history=history or History(), now=now)
    return Answer(text=text, lang=lang, outcome="match", candidates=(Candidate(playbook=LATE, score=score),),
                  playbook=LATE, request=seen or RequestSeen(action=action, amount=request.amount, currency=request.currency),
                  decision=decision, role=role, policy_revision=policy_set.revision)


def shown(renderable) -> str:
    console = Console(record=True, width=100)
    console.print(renderable)
    return " ".join(console.export_text().split())  # one line: assertions do not depend on wrapping


VIEWS = [
    # amount, lang -> must appear, must not appear
    (12, "en", ["Order arrived late (match 82%)", "✅ Within your leeway: go ahead — Shipping refund of 12 USD",
                "Your limit for Shipping refund is 15 USD (tests/fixtures/valid/playbooks/late-delivery.yaml:9).",
                "Steps 1. Apologise and confirm the dates. 2. Refund the shipping first.",
                "Confirm first ☐ The order shows as delivered.",
                "Say to the customer “I'm sorry it arrived late.” “I've refunded your shipping.”",
                "Owner: logistics (#logistics-delays) — Log the carrier in the delay form.",
                "✓ Refunds express shipping unasked. ✗ Blaming the carrier.",
                "Your leeway as Agent", "› Shipping refund 15 USD Senior agent 30 USD",
                "Budget left: 150 USD today · 1,500 USD this month"],
     ["Offer instead", "I can't offer more", "Once approved"]),
    (20, "en", ["🟡 A Senior agent can approve this (above your 15 USD limit).",
                "20 USD is above your 15 USD limit for Shipping refund.",
                "“I'm sorry it arrived late.” Once approved: “I've refunded your shipping.”"],
     ["Offer instead", "I can't offer more"]),
    (500, "en", ["⛔ Not allowed: no role may grant 500 USD for Shipping refund here.",
                 "“I can't offer more than that.”", "Offer instead → Free express shipping next time."],
     ["I've refunded your shipping"]),
    (None, "en", ["ℹ️ Tell me the amount and I'll check it: you may grant up to 15 USD.", "Steps 1. Apologise"],
     ["Offer instead", "I've refunded", "I can't offer"]),
    (12, "es", ["Pedido entregado con retraso (coincidencia 82%)",
                "✅ Dentro de tu margen: puedes hacerlo tú — Reembolso del envío de 12 USD",
                "Tu límite para Reembolso del envío es 15 USD (tests/fixtures/valid/playbooks/late-delivery.yaml:9).",
                "Pasos 1. Discúlpate y confirma las fechas.", "Confirma antes ☐ El pedido figura como entregado.",
                "Qué decirle al cliente “Lamento que llegara tarde.” “Le he reembolsado el envío.”",
                "Responsable: logistics (#logistics-delays) — Registra el transportista en el formulario.",
                "Tu margen como Agente", "› Reembolso del envío 15 USD Agente sénior 30 USD",
                "Presupuesto disponible: 150 USD hoy · 1.500 USD este mes"],
     ["Ofrece en su lugar", "Steps", "Order arrived late"]),
    (20, "es", ["🟡 Un Agente sénior puede aprobarlo (supera tu límite de 15 USD).",
                "Cuando se apruebe: “Le he reembolsado el envío.”"], ["No permitido"]),
    (500, "es", ["⛔ No permitido: ningún rol puede conceder 500 USD de Reembolso del envío aquí.",
                 "“No puedo ofrecerle más que eso.”", "Ofrece en su lugar → Envío exprés gratis la próxima vez."],
     ["Le he reembolsado"]),
]


@pytest.mark.parametrize("amount, lang, present, absent", VIEWS, ids=[f"{a}-{lang}" for a, lang, _, _ in VIEWS])
def test_a_matched_answer_shows_the_verdict_and_what_to_do(full_set, now, amount, lang, present, absent):
    text = shown(render_answer(make_answer(full_set, now, amount=amount, lang=lang), full_set))
    for expected in present:
        assert expected in text
    for unexpected in absent:
        assert unexpected not in text


@pytest.mark.parametrize("amount, style", [(12, "bold green"), (20, "bold yellow"), (500, "bold red"), (None, "bold cyan")])
def test_the_verdict_is_coloured_by_what_it_allows(full_set, now, amount, style):
    _, verdict, *_ = verdict_block(make_answer(full_set, now, amount=amount), full_set)
    assert verdict.style == style


def test_the_budget_left_is_what_the_history_leaves(full_set, now):
    answer = make_answer(full_set, now, history=History(spent_today=D("140.50"), spent_this_month=D(1000)))
    text = shown(render_answer(answer, full_set))
    assert "Budget left: 9.50 USD today · 500 USD this month" in text
    assert "🟡 A Senior agent can approve this (you have 9.50 USD left today)." in text


def test_an_unclear_request_asks_what_to_do_next(full_set, now):
    seen = RequestSeen(action="refund_shipping", amount=None, ambiguous=True, reason="several_amounts")
    text = shown(render_answer(make_answer(full_set, now, amount=None, lang="es", seen=seen), full_set))
    assert "❓ Veo más de un monto. ¿Cuál es? Escríbelo de nuevo con un solo monto." in text


@pytest.mark.parametrize("lang, expected", [
    ("en", "I'm not sure which situation this is. Is it one of these? 1. Order arrived late 61% "
           "2. Item arrived damaged 58%"),
    ("es", "No estoy seguro de qué situación es. ¿Es alguna de estas? 1. Pedido entregado con retraso 61% "
           "2. Artículo llegó dañado 58%"),
])
def test_an_ambiguous_answer_lists_the_candidates_to_choose_from(full_set, lang, expected):
    candidates = (Candidate(playbook=LATE, score=0.61), Candidate(playbook="damaged-item", score=0.58),
                  Candidate(playbook=LATE, score=0.30), Candidate(playbook="damaged-item", score=0.29))
    answer = Answer(text="late and broken", lang=lang, outcome="ambiguous", playbook=None, decision=None,
                    candidates=candidates, request=RequestSeen(), role="agent", policy_revision=full_set.revision)
    text = shown(render_answer(answer, full_set))
    assert expected in text
    assert "3. " in text and "4. " not in text, "as many as the chat lets the agent pick"


@pytest.mark.parametrize("outcome, lang, expected", [
    ("none", "en", "No playbook fits this yet. I've noted it so the policy owners can add one. You can ask a lead."),
    ("none", "es", "Todavía no hay una guía para esto."),
    ("empty", "en", "Describe the customer's situation in a sentence"),
    ("empty", "es", "Describe la situación del cliente en una frase"),
])
def test_no_playbook_says_so_and_what_to_do(full_set, outcome, lang, expected):
    answer = Answer(text="" if outcome == "empty" else "the cat ate the invoice", lang=lang, outcome=outcome,
                    candidates=(), playbook=None, request=RequestSeen(), decision=None, role="agent",
                    policy_revision=full_set.revision)
    assert expected in shown(render_answer(answer, full_set))


def test_what_the_agent_typed_is_shown_as_typed_never_as_markup(full_set, now):
    typed = "cx says [bold red]URGENT[/bold red] [link=http://x]click[/link]"
    none = Answer(text=typed, lang="en", outcome="none", candidates=(), playbook=None, request=RequestSeen(),
                  decision=None, role="agent", policy_revision=full_set.revision)
    assert "“cx says [bold red]URGENT[/bold red] [link=http://x]click[/link]”" in shown(render_answer(none, full_set))
    forged = make_answer(full_set, now, action="[blink]zap[/blink]", amount=5)
    assert "⛔ Not allowed: “[blink]zap[/blink]” isn't an action I know." in shown(render_answer(forged, full_set))


def test_the_view_fits_an_80_column_terminal(full_set, now):
    console = Console(record=True, width=80)
    console.print(render_answer(make_answer(full_set, now, amount=500, lang="es"), full_set))
    lines = console.export_text().splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert any("Reembolso del envío" in line and "30 USD" in line for line in lines), "the leeway table kept its row"
