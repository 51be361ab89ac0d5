"""Every sentence a person reads, in English and Spanish, in one place.

One catalogue, ``{key: {"en": ..., "es": ...}}`` with ``str.format`` placeholders,
so a translator sees both languages side by side and a test can check that each
key has both, with the same placeholders. Nothing here prints or decides: the
decision engine gives reason codes with raw parameters (ids, amounts as strings),
and this module turns them into words, with localized action and role names and
money in the reader's language.

Texts are plain (no rich markup, no Slack mrkdwn), so both doors can show them.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.decision import Decision, Reason
from bot.errors import UserInputError
from bot.models import Policy, PolicySet

if TYPE_CHECKING:  # answering pulls in the matcher; words need only the request it read
    from bot.answering import RequestSeen

# fmt: off
CATALOGUE: dict[str, dict[str, str]] = {
    # ------------------------------------------------ reasons: one sentence per code of bot.decision
    "reason_no_action": {
        "en": "You didn't say what you'd like to give (refund, credit, replacement…), so there's no limit to check yet.",
        "es": "No dijiste qué quieres darle (reembolso, crédito, reposición…), así que todavía no hay límite que revisar."},
    "reason_unknown_action": {
        "en": "“{action}” isn't an action in the catalogue.",
        "es": "“{action}” no es una acción del catálogo."},
    "reason_action_not_in_playbook": {
        "en": "{action} isn't one of this playbook's actions.",
        "es": "{action} no es una de las acciones de esta guía."},
    "reason_no_amount": {
        "en": "You didn't give an amount; your limit for {action} is {limit}.",
        "es": "No indicaste un monto; tu límite para {action} es {limit}."},
    "reason_currency_mismatch": {
        "en": "Limits are set in {base}, not {currency}.",
        "es": "Los límites están en {base}, no en {currency}."},
    "reason_negative_amount": {
        "en": "The amount can't be negative.",
        "es": "El monto no puede ser negativo."},
    "reason_allowed": {
        "en": "{amount} is within your {limit} limit for {action}.",
        "es": "{amount} está dentro de tu límite de {limit} para {action}."},
    "reason_needs_approval": {
        "en": "The first role that can approve {amount} for {action} is {approver}.",
        "es": "El primer rol que puede aprobar {amount} de {action} es {approver}."},
    "reason_not_allowed_frequency": {
        "en": "This customer has used up what's allowed for {action}, and no one may approve more.",
        "es": "Este cliente ya agotó lo permitido para {action} y nadie puede aprobar más."},
    "reason_not_allowed_above_all": {
        "en": "No role may grant {amount} for {action} here; the most anyone may is {top}.",
        "es": "Ningún rol puede conceder {amount} de {action} aquí; lo máximo es {top}."},
    "reason_above_limit": {
        "en": "{amount} is above your {limit} limit for {action}.",
        "es": "{amount} supera tu límite de {limit} para {action}."},
    "reason_cap_applies": {
        "en": "The policy caps {role} at {cap} for {action}, below this playbook's {playbook_limit}.",
        "es": "La política fija un tope de {cap} para {role} en {action}, menor que los {playbook_limit} de esta guía."},
    "reason_playbook_limit": {
        "en": "Your limit for {action} is {limit}.",
        "es": "Tu límite para {action} es {limit}."},
    "reason_budget_today": {
        "en": "You have {left} left of your {budget} daily budget.",
        "es": "Te quedan {left} de tu presupuesto diario de {budget}."},
    "reason_budget_month": {
        "en": "You have {left} left of your {budget} monthly budget.",
        "es": "Te quedan {left} de tu presupuesto mensual de {budget}."},
    "reason_customer_unknown": {
        "en": "Without a customer reference I can't check the {rule} limit; add one when you log it.",
        "es": "Sin referencia del cliente no puedo revisar el límite {rule}; agrégala al registrarlo."},
    "reason_frequency_reached": {
        "en": "This customer already had {used} of the {max} allowed in {days} days ({rule}).",
        "es": "Este cliente ya recibió {used} de los {max} permitidos en {days} días ({rule})."},

    # ------------------------------------------------ verdicts: the one-glance line, keyed by the first reason
    "verdict_allowed": {
        "en": "✅ Within your leeway: go ahead — {action} of {amount} (your limit: {limit}).",
        "es": "✅ Dentro de tu margen: puedes hacerlo tú — {action} de {amount} (tu límite: {limit})."},
    "verdict_needs_approval": {
        "en": "🟡 {someone} can approve this ({why}).",
        "es": "🟡 {someone} puede aprobarlo ({why})."},
    "verdict_not_allowed_above_all": {
        "en": "⛔ Not allowed: no role may grant {amount} for {action} here.",
        "es": "⛔ No permitido: ningún rol puede conceder {amount} de {action} aquí."},
    "verdict_not_allowed_frequency": {
        "en": "⛔ Not allowed: this customer reached the limit for {action}, and no one may approve more.",
        "es": "⛔ No permitido: este cliente llegó al límite de {action} y nadie puede aprobar más."},
    "verdict_action_not_in_playbook": {
        "en": "⛔ Not allowed: {action} isn't part of this playbook.",
        "es": "⛔ No permitido: {action} no forma parte de esta guía."},
    "verdict_unknown_action": {
        "en": "⛔ Not allowed: “{action}” isn't an action I know.",
        "es": "⛔ No permitido: no conozco la acción “{action}”."},
    "verdict_no_action": {
        "en": "ℹ️ Tell me what you'd like to offer and how much, and I'll check it.",
        "es": "ℹ️ Dime qué quieres ofrecer y cuánto, y lo reviso."},
    "verdict_no_amount": {
        "en": "ℹ️ Tell me the amount and I'll check it: you may grant up to {limit}.",
        "es": "ℹ️ Dime el monto y lo reviso: puedes conceder hasta {limit}."},
    "verdict_currency_mismatch": {
        "en": "ℹ️ Limits are in {base}: tell me the amount in {base}, not {currency}.",
        "es": "ℹ️ Los límites están en {base}: dime el monto en {base}, no en {currency}."},
    "verdict_negative_amount": {
        "en": "ℹ️ The amount can't be negative: type it again.",
        "es": "ℹ️ El monto no puede ser negativo: escríbelo de nuevo."},
    "someone": {"en": "A {role}", "es": "Un {role}"},
    "someone_vowel": {"en": "An {role}", "es": "Un {role}"},
    "why_above_limit": {"en": "above your {limit} limit", "es": "supera tu límite de {limit}"},
    "why_budget_today": {"en": "you have {left} left today", "es": "hoy te quedan {left}"},
    "why_budget_month": {"en": "you have {left} left this month", "es": "este mes te quedan {left}"},
    "why_frequency_reached": {
        "en": "the customer already had {used} in {days} days",
        "es": "el cliente ya recibió {used} en {days} días"},

    # ------------------------------------------------ the request as read: say what to do next
    "request_several_amounts": {
        "en": "I see more than one amount. Which one is it? Type it again with just one amount.",
        "es": "Veo más de un monto. ¿Cuál es? Escríbelo de nuevo con un solo monto."},
    "request_several_currencies": {
        "en": "I see more than one currency. Limits are in {base}: type the amount again in {base}.",
        "es": "Veo más de una moneda. Los límites están en {base}: escribe el monto de nuevo en {base}."},
    "request_unclear_separator": {
        "en": "I can't tell where the decimals start in that amount. Type it again like 12.50 or 1200.",
        "es": "No sé dónde empiezan los decimales de ese monto. Escríbelo de nuevo como 12.50 o 1200."},
    "request_negative": {
        "en": "An amount can't be negative. Type it again without the minus sign.",
        "es": "Un monto no puede ser negativo. Escríbelo de nuevo sin el signo menos."},
    "request_too_large": {
        "en": "That amount looks too large to be right. Check it and type it again.",
        "es": "Ese monto parece demasiado grande. Revísalo y escríbelo de nuevo."},
    "request_several_actions": {
        "en": "I see more than one thing to give (say, a refund and a credit). Ask about one at a time.",
        "es": "Veo más de una cosa para dar (por ejemplo, un reembolso y un crédito). Pregunta por una a la vez."},
    "request_unclear": {
        "en": "I couldn't read what you want to give. Type the action and one amount again.",
        "es": "No entendí qué quieres darle. Escribe de nuevo la acción y un solo monto."},

    # ------------------------------------------------ outcomes of matching
    "outcome_ambiguous": {
        "en": "I'm not sure which situation this is. Is it one of these?",
        "es": "No estoy seguro de qué situación es. ¿Es alguna de estas?"},
    "outcome_pick": {
        "en": "Pick its number, or describe the situation with more detail.",
        "es": "Elige su número, o describe la situación con más detalle."},
    "outcome_none": {
        "en": "No playbook fits this yet. I've noted it so the policy owners can add one. You can ask a lead.",
        "es": "Todavía no hay una guía para esto. Lo anoté para que los responsables de las políticas agreguen una. "
              "Puedes consultar a un líder."},
    "outcome_empty": {
        "en": "Describe the customer's situation in a sentence, e.g. “arrived 5 days late, wants the shipping back”.",
        "es": "Describe la situación del cliente en una frase, por ejemplo: “llegó 5 días tarde, pide que le devuelvan el envío”."},

    # ------------------------------------------------ refusals (bot.errors.Refused / NotFound codes of the ledger)
    "not_allowed_now": {
        "en": "Nothing was saved: the policy doesn't allow this for you right now. If a lead can approve it, ask one.",
        "es": "No se guardó nada: la política no te lo permite en este momento. Si un líder puede aprobarlo, pídeselo."},
    "already_decided": {
        "en": "Escalation #{id} was already decided; nothing changed.",
        "es": "La solicitud #{id} ya estaba resuelta; no cambió nada."},
    "already_decided_as": {
        "en": "Escalation #{id} was already {status}; nothing changed.",
        "es": "La solicitud #{id} ya estaba {status}; no cambió nada."},
    "already_decided_by": {
        "en": "Escalation #{id} was already {status} by {by}; nothing changed.",
        "es": "La solicitud #{id} ya estaba {status} (lo hizo {by}); no cambió nada."},
    "status_pending": {"en": "pending", "es": "pendiente"},
    "status_approved": {"en": "approved", "es": "aprobada"},
    "status_denied": {"en": "denied", "es": "rechazada"},
    "status_withdrawn": {"en": "withdrawn", "es": "retirada"},
    "status_expired": {"en": "expired", "es": "vencida"},
    "escalation_expired": {
        "en": "Escalation #{id} expired before anyone decided it. Ask again if it's still needed.",
        "es": "La solicitud #{id} venció antes de que alguien la resolviera. Vuelve a pedirla si aún hace falta."},
    "self_approval": {
        "en": "You can't decide your own escalation (#{id}); someone else with authority has to.",
        "es": "No puedes resolver tu propia solicitud (#{id}); tiene que hacerlo otra persona con autoridad."},
    "approver_role_too_low": {
        "en": "As {role} you can't approve this; it needs {needed} or above.",
        "es": "Como {role} no puedes aprobar esto; hace falta {needed} o superior."},
    "approver_role_unknown": {
        "en": "Your role ({role}) can't approve escalations.",
        "es": "Tu rol ({role}) no puede aprobar solicitudes."},
    "cannot_withdraw": {
        "en": "You can't withdraw #{id}: only the person who asked can, and only while it's pending.",
        "es": "No puedes retirar la solicitud #{id}: solo quien la pidió puede hacerlo, y solo mientras esté pendiente."},
    "escalation_not_found": {
        "en": "There's no escalation #{id}. Check the number.",
        "es": "No existe la solicitud #{id}. Revisa el número."},

    # ------------------------------------------------ what a person entered (bot.errors.UserInputError codes)
    "unknown_playbook": {
        "en": "There's no playbook “{playbook}” (it may have been removed). Describe the situation again.",
        "es": "No existe la guía “{playbook}” (quizás se eliminó). Vuelve a describir la situación."},
    "invalid_action": {
        "en": "“{action}” isn't an action I know. Pick one from the list.",
        "es": "“{action}” no es una acción que conozca. Elige una de la lista."},
    "invalid_amount": {
        "en": "“{amount}” isn't a valid amount. Type a number like 15 or 12.50.",
        "es": "“{amount}” no es un monto válido. Escribe un número como 15 o 12,50."},
    "currency_mismatch_input": {
        "en": "Amounts are in {base}, not {currency}. Type it in {base}.",
        "es": "Los montos van en {base}, no en {currency}. Escríbelo en {base}."},
    "invalid_customer_ref": {
        "en": "That customer reference is too long (at most {max} characters). Use the order or account number.",
        "es": "Esa referencia del cliente es demasiado larga (máximo {max} caracteres). Usa el número de pedido o de cuenta."},
    "unknown_role": {
        "en": "There's no role “{role}”. Roles: {roles}.",
        "es": "No existe el rol “{role}”. Roles: {roles}."},
    "invalid_period": {
        "en": "“{value}” isn't a period I understand. Use 7d, 24h, 30m or a date like 2026-11-01.",
        "es": "“{value}” no es un periodo que entienda. Usa 7d, 24h, 30m o una fecha como 2026-11-01."},
    "request_unclear_currency": {
        "en": "I can't tell which currency that amount is in. Limits are in {base}: type it again in {base}.",
        "es": "No sé en qué moneda está ese monto. Los límites están en {base}: escríbelo de nuevo en {base}."},
    "note_too_long": {
        "en": "That note is too long (at most {max} characters). Please shorten it.",
        "es": "La nota es demasiado larga (máximo {max} caracteres). Acórtala, por favor."},

    # ------------------------------------------------ the terminal chat
    "chat_welcome": {
        "en": "Leeway: describe the customer's situation and I'll tell you the process and your leeway. "
              "You're in as {role}. Type /help for commands.",
        "es": "Leeway: describe la situación del cliente y te digo el proceso y tu margen. "
              "Entraste como {role}. Escribe /ayuda para ver los comandos."},
    "chat_prompt": {"en": "Situation:", "es": "Situación:"},
    "chat_option_log": {"en": "Log it", "es": "Registrarlo"},
    "chat_option_ask": {"en": "Ask a lead", "es": "Pedir aprobación"},
    "chat_option_other": {"en": "Another playbook", "es": "Otra guía"},
    "chat_option_new": {"en": "New situation", "es": "Nueva situación"},
    "chat_pick": {"en": "Which one? (number)", "es": "¿Cuál? (número)"},
    "chat_invalid_choice": {
        "en": "That's not one of the numbers shown. If none fits, describe the situation again.",
        "es": "Ese no es uno de los números mostrados. Si ninguna encaja, vuelve a describir la situación."},
    "chat_ask_action": {"en": "Which action? ({actions})", "es": "¿Qué acción? ({actions})"},
    "chat_ask_amount": {"en": "Amount in {currency}:", "es": "Monto en {currency}:"},
    "chat_ask_customer": {
        "en": "Customer reference (order or account number; Enter to skip):",
        "es": "Referencia del cliente (pedido o cuenta; Enter para omitir):"},
    "chat_ask_note": {"en": "Note for the record (optional):", "es": "Nota para el registro (opcional):"},
    "chat_nothing_to_log": {
        "en": "Describe a situation first; then you can log it or ask a lead.",
        "es": "Primero describe una situación; después puedes registrarla o pedir aprobación."},
    "chat_logged": {
        "en": "✅ Logged as exception #{id}: {action}, {amount}.",
        "es": "✅ Registrado como excepción #{id}: {action}, {amount}."},
    "chat_escalated": {
        "en": "🟡 Sent for approval as escalation #{id}. Who can approve: {role} or above.",
        "es": "🟡 Enviado para aprobación como solicitud #{id}. Puede aprobarla: {role} o superior."},
    "chat_withdrawn": {"en": "Escalation #{id} withdrawn.", "es": "Solicitud #{id} retirada."},
    "chat_no_pending": {"en": "No pending escalations.", "es": "No hay solicitudes pendientes."},
    "chat_need_escalation_id": {
        "en": "Give the escalation number, e.g. /approve 12 or /deny 12 reason.",
        "es": "Indica el número de la solicitud, por ejemplo /approve 12 o /deny 12 motivo."},
    "chat_approved": {
        "en": "✅ Escalation #{id} approved; the agent can go ahead.",
        "es": "✅ Solicitud #{id} aprobada; el agente puede seguir adelante."},
    "chat_denied": {
        "en": "⛔ Escalation #{id} denied; the agent will offer an alternative.",
        "es": "⛔ Solicitud #{id} rechazada; el agente ofrecerá una alternativa."},
    "chat_unknown_command": {
        "en": "I don't know the command /{command}. Type /help.",
        "es": "No conozco el comando /{command}. Escribe /ayuda."},
    "chat_as_usage": {
        "en": "Usage: /as lead (a role) or /as U0LEAD01 (a person in people.yaml).",
        "es": "Uso: /as lead (un rol) o /as U0LEAD01 (una persona de people.yaml)."},
    "chat_now_as": {"en": "You're now {user} ({role}).", "es": "Ahora eres {user} ({role})."},
    "chat_lang_usage": {"en": "Usage: /lang en or /lang es.", "es": "Uso: /lang en o /lang es."},
    "chat_lang_set": {"en": "I'll answer in English.", "es": "Te responderé en español."},
    "chat_help": {
        "en": "Describe a situation in your own words, then follow the options.\n"
              "  /log          log the last answer as an exception\n"
              "  /ask          ask a lead to approve it\n"
              "  /pending      escalations waiting for a decision\n"
              "  /approve 12   approve escalation 12 (/deny 12 reason to deny)\n"
              "  /withdraw 12  withdraw your own pending escalation 12\n"
              "  /as lead      try another role or person\n"
              "  /lang es      answer in Spanish (/lang en for English)\n"
              "  /quit         leave",
        "es": "Describe la situación con tus palabras y sigue las opciones.\n"
              "  /log          registra la última respuesta como excepción\n"
              "  /ask          pide a un líder que la apruebe\n"
              "  /pending      solicitudes que esperan decisión\n"
              "  /approve 12   aprueba la solicitud 12 (/deny 12 motivo para rechazarla)\n"
              "  /withdraw 12  retira tu solicitud pendiente 12\n"
              "  /as lead      prueba otro rol u otra persona\n"
              "  /lang en      responde en inglés (/lang es para español)\n"
              "  /salir        salir"},

    # ------------------------------------------------ notifications (Slack and chat)
    "notify_escalation": {
        "en": "🟡 {requester} asks to approve {action} of {amount} ({playbook}). {role} or above can decide.",
        "es": "🟡 {requester} pide aprobar {action} de {amount} ({playbook}). Puede decidir: {role} o superior."},
    "notify_approved": {
        "en": "✅ {by} approved escalation #{id}: {action} of {amount}. Go ahead.",
        "es": "✅ {by} aprobó la solicitud #{id}: {action} de {amount}. Adelante."},
    "notify_denied": {
        "en": "⛔ {by} denied escalation #{id}. Offer the customer one of the alternatives.",
        "es": "⛔ {by} rechazó la solicitud #{id}. Ofrécele al cliente una de las alternativas."},
    "notify_expired": {
        "en": "⌛ Escalation #{id} expired without a decision. Ask again if it's still needed.",
        "es": "⌛ La solicitud #{id} venció sin decisión. Vuelve a pedirla si aún hace falta."},
    "button_log": {"en": "Log it", "es": "Registrarlo"},
    "button_ask": {"en": "Ask a lead", "es": "Pedir aprobación"},
    "button_approve": {"en": "Approve", "es": "Aprobar"},
    "button_deny": {"en": "Deny", "es": "Rechazar"},
    "button_other": {"en": "Not this one", "es": "No es esta"},

    # ------------------------------------------------ the policy files (fail closed)
    "policy_unavailable": {
        "en": "⛔ I can't answer right now: the playbooks and policies didn't load, so I won't guess. "
              "Ask a lead, and let the policy owners know.",
        "es": "⛔ No puedo responder ahora: las guías y políticas no cargaron, así que no voy a adivinar. "
              "Consulta a un líder y avisa a los responsables de las políticas."},
    "policy_reload_failed": {
        "en": "⚠️ The latest policy edit has problems, so I'm still using the last valid version ({revision}).",
        "es": "⚠️ El último cambio de políticas tiene problemas, así que sigo usando la última versión válida ({revision})."},

    # ------------------------------------------------ the answer, as rendered
    "match_score": {"en": "match {score}", "es": "coincidencia {score}"},
    "heading_steps": {"en": "Steps", "es": "Pasos"},
    "heading_checks": {"en": "Confirm first", "es": "Confirma antes"},
    "heading_say": {"en": "Say to the customer", "es": "Qué decirle al cliente"},
    "say_once_approved": {"en": "Once approved:", "es": "Cuando se apruebe:"},
    "heading_offer": {"en": "Offer instead", "es": "Ofrece en su lugar"},
    "heading_owner": {"en": "Owner: {team}", "es": "Responsable: {team}"},
    "heading_good_avoid": {"en": "Good / avoid", "es": "Bien / evita"},
    "heading_leeway": {"en": "Your leeway as {role}", "es": "Tu margen como {role}"},
    "column_action": {"en": "Action", "es": "Acción"},
    "column_limit": {"en": "Your limit", "es": "Tu límite"},
    "column_next": {"en": "Next role", "es": "Siguiente rol"},
    "column_next_limit": {"en": "Up to", "es": "Hasta"},
    "budget_left": {
        "en": "Budget left: {today} today · {month} this month",
        "es": "Presupuesto disponible: {today} hoy · {month} este mes"},
    "budget_left_today": {"en": "Budget left today: {today}", "es": "Presupuesto disponible hoy: {today}"},
    "budget_left_month": {"en": "Budget left this month: {month}", "es": "Presupuesto disponible este mes: {month}"},

    # ------------------------------------------------ hostile and odd input (bot.amounts problem codes)
    "request_unclear_digits": {
        "en": "I can't read the digits of that amount (½, ², ⑫…). Type it again with plain digits, like 12.50.",
        "es": "No puedo leer los dígitos de ese monto (½, ², ⑫…). Escríbelo de nuevo con dígitos normales, como 12,50."},
    "request_direction_override": {
        "en": "Part of that message is marked to show right to left, so the amount on screen may not be the one "
              "typed. Type the amount again.",
        "es": "Parte de ese mensaje está marcada para mostrarse de derecha a izquierda, así que el monto en pantalla "
              "puede no ser el escrito. Escribe el monto de nuevo."},

    # ------------------------------------------------ recognition and the leads' weekly chart (bot.recognition, bot.charts)
    "great_call_not_allowed": {
        "en": "Only a {role} or above can mark or share a great call.",
        "es": "Solo {role} o superior puede destacar o compartir una gran decisión."},
    "great_call_own": {
        "en": "Exception #{id} is your own; a great call is for someone else's good judgement.",
        "es": "La excepción #{id} es tuya; una gran decisión se destaca en el trabajo de otra persona."},
    "exception_not_found": {
        "en": "There's no exception #{id}. Check the number.",
        "es": "No existe la excepción #{id}. Revisa el número."},
    "great_call_not_found": {
        "en": "There's no great call #{id}. Mark the exception again from /leeway review.",
        "es": "No existe la gran decisión #{id}. Vuelve a destacarla desde /leeway revisar."},
    "great_call_already_shared": {
        "en": "Great call #{id} has already been shared with the team.",
        "es": "La gran decisión #{id} ya se compartió con el equipo."},
    "chart_title": {"en": "Exceptions per week by playbook", "es": "Excepciones por semana y guía"},
    "chart_axis": {"en": "Exceptions", "es": "Excepciones"},
    "chart_other": {"en": "Other playbooks", "es": "Otras guías"},
    "chart_empty": {"en": "No exceptions logged in these weeks.", "es": "No se registraron excepciones en estas semanas."},
    # ------------------------------------------------ what-if replay (bot.replay, `leeway replay`)
    "replay_summary": {
        "en": "Replayed {cases} logged cases since {since} under the proposed files (revision {revision}): {changed} would change.",
        "es": "Se volvieron a decidir {cases} casos registrados desde {since} con los archivos propuestos (revisión {revision}): cambiarían {changed}."},
    "replay_no_changes": {
        "en": "Nothing would change: every case gets the outcome it got when it was logged.",
        "es": "Nada cambiaría: cada caso recibe el mismo resultado que cuando se registró."},
    "replay_kind_now_needs_approval": {"en": "Now needs a lead ({count})", "es": "Ahora necesita a un líder ({count})"},
    "replay_kind_now_not_allowed": {"en": "Now not allowed ({count})", "es": "Ahora no permitido ({count})"},
    "replay_kind_now_allowed": {"en": "Now allowed without a lead ({count})", "es": "Ahora permitido sin líder ({count})"},
    "replay_kind_approver_changed": {"en": "Now needs a different approver ({count})", "es": "Ahora lo aprueba otro rol ({count})"},
    "replay_kind_gone": {"en": "Playbook or action no longer exists ({count})", "es": "La guía o la acción ya no existe ({count})"},
    "replay_kind_undecided": {"en": "Can no longer be decided ({count})", "es": "Ya no se puede decidir ({count})"},
    "replay_missing_playbook": {
        "en": "The playbook {playbook} is not in the proposed files.",
        "es": "La guía {playbook} no está en los archivos propuestos."},
    "replay_missing_action": {
        "en": "{action} is no longer an action of {playbook} in the proposed files.",
        "es": "{action} ya no es una acción de {playbook} en los archivos propuestos."},
    "replay_case_exception": {"en": "exception #{id}", "es": "excepción #{id}"},
    "replay_case_escalation": {"en": "escalation #{id}", "es": "solicitud #{id}"},
    "replay_verdict_allowed": {"en": "allowed", "es": "permitido"},
    "replay_verdict_needs_approval": {"en": "needs {approver}", "es": "necesita {approver}"},
    "replay_verdict_not_allowed": {"en": "not allowed", "es": "no permitido"},
    "replay_verdict_none": {"en": "undecided", "es": "sin decidir"},
    "replay_column_case": {"en": "Case", "es": "Caso"},
    "replay_column_date": {"en": "Date", "es": "Fecha"},
    "replay_column_agent": {"en": "Agent", "es": "Agente"},
    "replay_column_playbook": {"en": "Playbook", "es": "Guía"},
    "replay_column_action": {"en": "Action", "es": "Acción"},
    "replay_column_amount": {"en": "Amount", "es": "Monto"},
    "replay_column_was": {"en": "Was", "es": "Antes"},
    "replay_column_now": {"en": "Now", "es": "Ahora"},
    "replay_column_why": {"en": "Rule now responsible", "es": "Regla que ahora decide"},

    # ------------------------------------------------ the review web (bot.review_web, `leeway review-web`)
    "review_web_missing": {
        "en": "Datasette is not installed: install it with pip install 'leeway[review]' and run leeway review-web again.",
        "es": "Datasette no está instalado: instálalo con pip install 'leeway[review]' y vuelve a ejecutar leeway review-web."},
    "review_web_no_ledger": {
        "en": "There is no ledger at {path}. Pass the ledger file with --db (or set LEEWAY_DB).",
        "es": "No hay un registro en {path}. Indica el archivo del registro con --db (o define LEEWAY_DB)."},
    "review_web_serving": {
        "en": "Serving the ledger {path} read-only at http://{host}:{port}/ — press Ctrl+C to stop.",
        "es": "Sirviendo el registro {path} en solo lectura en http://{host}:{port}/ — pulsa Ctrl+C para detenerlo."},
    "review_web_exposed": {
        "en": "Warning: {host} can be reached from other computers. Put authentication in front of it first (see the README, “Review web”).",
        "es": "Atención: {host} es accesible desde otros equipos. Pon autenticación delante antes (ver el README, “Review web”)."},
    "web_title": {"en": "Leeway ledger", "es": "Registro de Leeway"},
    "web_description": {
        "en": "A read-only view of what Leeway recorded: exceptions used, escalations to leads, situations no playbook fits and refused writes. Amounts are stored in cents.",
        "es": "Una vista de solo lectura de lo que Leeway registró: excepciones usadas, solicitudes a líderes, situaciones sin guía y escrituras rechazadas. Los montos se guardan en centavos."},
    "web_table_exceptions_title": {"en": "Exceptions used", "es": "Excepciones usadas"},
    "web_table_exceptions_description": {
        "en": "One row per gesture an agent gave: on their own authority (decision allowed) or approved by a lead (decision approved).",
        "es": "Una fila por cada gesto que dio un agente: por su propia autoridad (decision allowed) o aprobado por un líder (decision approved)."},
    "web_table_escalations_title": {"en": "Escalations", "es": "Solicitudes de aprobación"},
    "web_table_escalations_description": {
        "en": "Requests sent to a lead because they were above the agent's leeway, and what became of them.",
        "es": "Pedidos enviados a un líder porque superaban el margen del agente, y qué pasó con ellos."},
    "web_table_unmatched_title": {"en": "Unmatched situations", "es": "Situaciones sin guía"},
    "web_table_unmatched_description": {
        "en": "Situations no playbook fitted, stored redacted: evidence for a missing playbook.",
        "es": "Situaciones que ninguna guía cubrió, guardadas sin datos personales: indicio de una guía que falta."},
    "web_table_refusals_title": {"en": "Refused writes", "es": "Escrituras rechazadas"},
    "web_table_refusals_description": {
        "en": "Writes the policy did not allow when they arrived (late or forged clicks, limits used up meanwhile).",
        "es": "Escrituras que la política no permitía al llegar (clics tardíos o falsificados, límites agotados mientras tanto)."},
    "web_column_amount_cents": {"en": "Amount in cents of the currency (1250 = 12.50).", "es": "Monto en centavos de la moneda (1250 = 12,50)."},
    "web_column_created_at": {"en": "When it was recorded, UTC.", "es": "Cuándo se registró, en UTC."},
    "web_column_user": {"en": "Slack user id of the agent.", "es": "Id de Slack del agente."},
    "web_column_role": {"en": "The agent's role when it was recorded.", "es": "El rol del agente al registrarlo."},
    "web_column_decision": {
        "en": "allowed: on the agent's own authority; approved: through an escalation.",
        "es": "allowed: por autoridad propia del agente; approved: mediante una solicitud aprobada."},
    "web_column_customer_ref": {"en": "The customer reference the agent gave (for frequency limits).", "es": "La referencia del cliente que dio el agente (para los límites de frecuencia)."},
    "web_column_policy_revision": {"en": "Revision of the playbooks and policies that decided it.", "es": "Revisión de las guías y políticas que lo decidieron."},
    "web_column_status": {"en": "pending, approved, denied, withdrawn or expired.", "es": "pending, approved, denied, withdrawn o expired (pendiente, aprobada, rechazada, retirada o vencida)."},
    "web_column_approver_role": {"en": "The lowest role that may approve it.", "es": "El rol más bajo que puede aprobarla."},
    "web_column_decision_json": {"en": "The full decision that sent it to a lead, with its reasons.", "es": "La decisión completa que la envió a un líder, con sus motivos."},
    "web_column_candidates": {"en": "The closest playbooks and their scores.", "es": "Las guías más cercanas y su puntuación."},
    "web_column_key": {"en": "Idempotency key: the Slack event or action that wrote it.", "es": "Clave de idempotencia: el evento o la acción de Slack que lo escribió."},
    "web_query_pending_escalations_title": {"en": "Pending escalations", "es": "Solicitudes pendientes"},
    "web_query_pending_escalations_description": {
        "en": "Escalations still waiting for a lead, oldest first (they expire after three days).",
        "es": "Solicitudes que aún esperan a un líder, las más antiguas primero (vencen a los tres días)."},
    "web_query_exceptions_this_week_title": {"en": "This week's exceptions by agent", "es": "Excepciones de esta semana por agente"},
    "web_query_exceptions_this_week_description": {
        "en": "Exceptions since Monday (UTC), per agent: how many, how much, how many were approved by a lead.",
        "es": "Excepciones desde el lunes (UTC), por agente: cuántas, cuánto y cuántas aprobó un líder."},
    "web_query_limit_calibration_title": {"en": "Limit calibration evidence", "es": "Evidencia para calibrar límites"},
    "web_query_limit_calibration_description": {
        "en": "Escalations of the last 90 days per playbook, action and role. Many approved at similar amounts suggest the limit is too low; many denied, that it is right.",
        "es": "Solicitudes de los últimos 90 días por guía, acción y rol. Muchas aprobadas con montos parecidos sugieren un límite bajo; muchas rechazadas, que es correcto."},
    "web_query_gaps_title": {"en": "Gaps: situations without a playbook", "es": "Huecos: situaciones sin guía"},
    "web_query_gaps_description": {
        "en": "Situations of the last 30 days no playbook fitted, newest first, with the closest playbooks.",
        "es": "Situaciones de los últimos 30 días que ninguna guía cubrió, las más recientes primero, con las guías más cercanas."},

    # ------------------------------------------------ tamper evidence (bot.ledger_verify, `leeway ledger`)
    "ledger_intact": {
        "en": "{count} records, chain intact, head {head}",
        "es": "{count} registros, cadena intacta, cabeza {head}"},
    "ledger_tampered": {
        "en": "{problems} sign(s) of tampering in {path}. Keep this file as evidence, restore the ledger from a "
              "backup, and check who could write to it.",
        "es": "{problems} indicio(s) de manipulación en {path}. Guarda este archivo como prueba, restaura el registro "
              "desde una copia de seguridad y revisa quién podía escribir en él."},
    "ledger_entry_edited": {
        "en": "record #{seq} ({record}) was edited: its hash no longer matches its content.",
        "es": "el registro #{seq} ({record}) fue editado: su hash ya no coincide con su contenido."},
    "ledger_entry_deleted": {
        "en": "record #{seq} was deleted from the chain.",
        "es": "el registro #{seq} fue borrado de la cadena."},
    "ledger_link_broken": {
        "en": "the chain breaks between records #{other} and #{seq}: #{other} was rewritten, or records between "
              "them were removed.",
        "es": "la cadena se rompe entre los registros #{other} y #{seq}: #{other} fue reescrito, o se quitaron "
              "registros entre ambos."},
    "ledger_reordered": {
        "en": "record #{seq} ({record}) is out of order.",
        "es": "el registro #{seq} ({record}) está fuera de orden."},
    "ledger_reordered_after": {
        "en": "the chain is out of order at record #{seq} ({record}): its hash says it comes right after #{other}.",
        "es": "la cadena está fuera de orden en el registro #{seq} ({record}): su hash dice que va justo después del #{other}."},
    "ledger_row_edited": {
        "en": "{record} was edited: {field} no longer matches chain record #{seq}.",
        "es": "{record} fue editada: {field} ya no coincide con el registro #{seq} de la cadena."},
    "ledger_row_deleted": {
        "en": "{record} was deleted (chain record #{seq}).",
        "es": "{record} fue borrada (registro #{seq} de la cadena)."},
    "ledger_row_unchained": {
        "en": "{record} is not in the chain: it was added outside Leeway.",
        "es": "{record} no está en la cadena: se agregó por fuera de Leeway."},
    "ledger_truncated": {
        "en": "the chain has {seq} records but {other} were expected: records were removed from the end.",
        "es": "la cadena tiene {seq} registros pero se esperaban {other}: se quitaron registros del final."},
    "ledger_head_unknown": {
        "en": "the chain does not contain head {field}: it was cut short or rewritten.",
        "es": "la cadena no contiene la cabeza {field}: fue recortada o reescrita."},
    "ledger_guard_removed": {
        "en": "the append-only guard {field} was removed: someone changed the database by hand.",
        "es": "se quitó la protección {field} contra cambios: alguien modificó la base de datos a mano."},
    "ledger_record_exceptions": {"en": "exception {ref}", "es": "excepción {ref}"},
    "ledger_record_escalations": {"en": "escalation {ref}", "es": "solicitud {ref}"},
    "ledger_record_unmatched": {"en": "unmatched situation {ref}", "es": "situación sin guía {ref}"},
    "ledger_record_refusals": {"en": "refusal {ref}", "es": "negativa {ref}"},
    "ledger_purged": {
        "en": "Purged the free text of {count} records created before {before}. The hash chain does not cover that "
              "text, so `leeway ledger verify` still passes.",
        "es": "Se borró el texto libre de {count} registros creados antes del {before}. La cadena de hashes no cubre "
              "ese texto, así que `leeway ledger verify` sigue pasando."},
    "ledger_purge_dry_run": {
        "en": "Would purge the free text of {count} records created before {before}. Run again without --dry-run to do it.",
        "es": "Se borraría el texto libre de {count} registros creados antes del {before}. Vuelve a ejecutarlo sin "
              "--dry-run para hacerlo."},
    "ledger_missing": {
        "en": "There is no ledger at {path}. Pass the ledger file with --db (or set LEEWAY_DB).",
        "es": "No hay un registro en {path}. Indica el archivo con --db (o define LEEWAY_DB)."},
    "ledger_purge_needs_age": {
        "en": "Say how old the text must be, e.g. `leeway ledger purge --older-than 180d`.",
        "es": "Indica qué antigüedad debe tener el texto, p. ej. `leeway ledger purge --older-than 180d`."},
    # ------------------------------------------------ reports and insights (leeway report / insights, digest)
    "period_both": {
        "en": "Give either --since ({value}) or --from/--to, not both.",
        "es": "Indica --since ({value}) o --from/--to, no ambos."},
    "period_empty": {
        "en": "The period {value} is empty: --from must come before --to.",
        "es": "El periodo {value} está vacío: --from debe ser anterior a --to."},
    "report_title": {"en": "Leeway report, {start} to {end}", "es": "Informe de Leeway, del {start} al {end}"},
    "report_title_team": {
        "en": "Leeway report for team {team}, {start} to {end}",
        "es": "Informe de Leeway del equipo {team}, del {start} al {end}"},
    "report_currency_note": {
        "en": "Amounts are summed per currency, never converted; limits and budgets are in {base}.",
        "es": "Los montos se suman por moneda, nunca se convierten; los límites y presupuestos están en {base}."},
    "report_exceptions": {"en": "Exceptions", "es": "Excepciones"},
    "report_no_exceptions": {"en": "No exceptions in this period.", "es": "No hubo excepciones en este periodo."},
    "report_by_playbook": {"en": "By playbook", "es": "Por guía"},
    "report_by_action": {"en": "By action", "es": "Por acción"},
    "report_by_agent": {"en": "By agent", "es": "Por agente"},
    "report_by_team": {"en": "By team", "es": "Por equipo"},
    "report_no_team": {"en": "(no team)", "es": "(sin equipo)"},
    "column_name": {"en": "Name", "es": "Nombre"},
    "column_count": {"en": "Count", "es": "Cantidad"},
    "column_amount": {"en": "Amount", "es": "Monto"},
    "report_escalations": {"en": "Escalations", "es": "Solicitudes de aprobación"},
    "report_escalation_counts": {
        "en": "pending {pending} · approved {approved} · denied {denied} · withdrawn {withdrawn} · expired {expired}",
        "es": "pendientes {pending} · aprobadas {approved} · rechazadas {denied} · retiradas {withdrawn} · vencidas {expired}"},
    "report_approval_rate": {"en": "Approval rate: {rate}", "es": "Tasa de aprobación: {rate}"},
    "report_approval_rate_none": {
        "en": "Approval rate: nothing decided in this period",
        "es": "Tasa de aprobación: nada decidido en este periodo"},
    "report_median_decision": {"en": "Median time to a decision: {duration}", "es": "Tiempo mediano hasta la decisión: {duration}"},
    "report_oldest_pending": {"en": "Oldest pending: #{id}, asked {when}", "es": "Pendiente más antigua: #{id}, pedida el {when}"},
    "report_near_budget": {"en": "Near their monthly budget", "es": "Cerca de su presupuesto mensual"},
    "report_budget_use": {"en": "{who} ({role}): {spent} of {budget} ({share})", "es": "{who} ({role}): {spent} de {budget} ({share})"},
    "report_repeat_customers": {"en": "Customers with repeated gestures", "es": "Clientes con gestos repetidos"},
    "report_repeat_customer": {
        "en": "{customer}: {count} gestures ({actions}), {amounts}",
        "es": "{customer}: {count} gestos ({actions}), {amounts}"},
    "report_none": {"en": "None.", "es": "Ninguno."},
    "duration_minutes": {"en": "{n} min", "es": "{n} min"},
    "duration_hours": {"en": "{n} h", "es": "{n} h"},
    "duration_days": {"en": "{n} days", "es": "{n} días"},
    "headline_exceptions": {
        "en": "From {start} to {end}: {count} exceptions, {amounts}.",
        "es": "Del {start} al {end}: {count} excepciones, {amounts}."},
    "headline_exceptions_one": {
        "en": "From {start} to {end}: 1 exception, {amounts}.",
        "es": "Del {start} al {end}: 1 excepción, {amounts}."},
    "headline_escalations": {
        "en": "Escalations: pending {pending}, approved {approved}, denied {denied}.",
        "es": "Solicitudes: pendientes {pending}, aprobadas {approved}, rechazadas {denied}."},
    "headline_near_budget": {
        "en": "Near their monthly budget: {count}.",
        "es": "Cerca de su presupuesto mensual: {count}."},
    "headline_repeat_customers": {
        "en": "Customers with {min} or more gestures: {count}.",
        "es": "Clientes con {min} gestos o más: {count}."},
    "report_insights": {"en": "Insights for policy owners", "es": "Sugerencias para los responsables de las políticas"},
    "insights_none": {
        "en": "No insights: nothing stands out in this period.",
        "es": "Sin sugerencias: nada se destaca en este periodo."},
    "insight_evidence": {"en": "Evidence", "es": "Evidencia"},
    "insight_where": {"en": "Where", "es": "Dónde"},
    "insight_examples": {"en": "Examples", "es": "Ejemplos"},
    "insight_limit_calibration_title": {
        "en": "Leads approved {approved} of {decided} {action} requests between {low} and {high} in {days} days ({playbook}).",
        "es": "Los líderes aprobaron {approved} de {decided} solicitudes de {action} entre {low} y {high} en {days} días ({playbook})."},
    "insight_limit_calibration_suggestion": {
        "en": "Consider raising the {role} limit for {action} to {high} in {file}.",
        "es": "Considera subir el límite de {role} para {action} a {high} en {file}."},
    "insight_limit_calibration_cap_suggestion": {
        "en": "Consider raising the {role} limit for {action} to {high} in {file}; the policy cap of {cap} ({cap_file}) "
              "would need raising too.",
        "es": "Considera subir el límite de {role} para {action} a {high} en {file}; también habría que subir el tope "
              "de la política, {cap} ({cap_file})."},
    "insight_recurring_title": {
        "en": "{playbook}: {action} used {count} times, {ratio}× the previous period ({previous}).",
        "es": "{playbook}: {action} usado {count} veces, {ratio}× el periodo anterior ({previous})."},
    "insight_recurring_new_title": {
        "en": "{playbook}: {action} used {count} times, none in the previous period.",
        "es": "{playbook}: {action} usado {count} veces, ninguna en el periodo anterior."},
    "insight_recurring_owner_suggestion": {
        "en": "Owner: {owner}. Ask them to look at the root cause ({file}).",
        "es": "Responsable: {owner}. Pídeles que revisen la causa de fondo ({file})."},
    "insight_recurring_suggestion": {
        "en": "No one owns this cause: add an owner in {file} so the wave reaches the team that can stop it.",
        "es": "Nadie es responsable de esta causa: agrega un responsable en {file} para que la ola llegue al equipo que puede frenarla."},
    "insight_recurring_by_owner_title": {
        "en": "Cases owned by {owner}: {count} exceptions across {playbooks}, {ratio}× the previous period ({previous}).",
        "es": "Casos a cargo de {owner}: {count} excepciones en {playbooks}, {ratio}× el periodo anterior ({previous})."},
    "insight_recurring_by_owner_suggestion": {
        "en": "Ask {owner} to look for a cause these playbooks share ({file}).",
        "es": "Pide a {owner} que busque una causa común a estas guías ({file})."},
    "insight_routine_gesture_title": {
        "en": "{playbook}: agents gave {action} on their own in {count} of {total} cases.",
        "es": "{playbook}: los agentes dieron {action} por su cuenta en {count} de {total} casos."},
    "insight_routine_gesture_suggestion": {
        "en": "Consider making {action} a standard step of this playbook ({file}).",
        "es": "Considera hacer de {action} un paso habitual de esta guía ({file})."},
    "insight_gap_title": {
        "en": "{count} situations no playbook fits, like “{example}”.",
        "es": "{count} situaciones sin guía que encaje, como “{example}”."},
    "insight_gap_suggestion": {
        "en": "Consider writing a playbook for them, with these phrasings as its examples.",
        "es": "Considera escribir una guía para ellas, con estas frases como ejemplos."},
    "insight_gap_closest_suggestion": {
        "en": "Consider writing a playbook for them; or, if {closest} should cover them, add these phrasings to its "
              "examples ({file}).",
        "es": "Considera escribir una guía para ellas; o, si {closest} debería cubrirlas, agrega estas frases a sus "
              "ejemplos ({file})."},
    "insight_rarely_used_title": {
        "en": "{playbook} was used {count} times, against {average} for an average playbook.",
        "es": "{playbook} se usó {count} veces, frente a {average} de una guía promedio."},
    "insight_rarely_used_suggestion": {
        "en": "Check that its examples still sound like agents' words, or retire it ({file}).",
        "es": "Revisa que sus ejemplos sigan sonando como lo dicen los agentes, o retírala ({file})."},
    "insight_confusion_title": {
        "en": "Agents turned down {offered} for {chosen} {count} times.",
        "es": "Los agentes descartaron {offered} por {chosen} {count} veces."},
    "insight_confusion_suggestion": {
        "en": "Compare the examples of both ({file}, {chosen_file}): reword or move the ones that overlap.",
        "es": "Compara los ejemplos de ambas ({file}, {chosen_file}): reescribe o mueve los que se superponen."},
    "insight_confusion_none_title": {
        "en": "Agents turned down {offered} {count} times and chose no playbook.",
        "es": "Los agentes descartaron {offered} {count} veces y no eligieron ninguna guía."},
    "insight_confusion_none_suggestion": {
        "en": "Narrow the examples of {offered} ({file}); those situations may need a playbook of their own.",
        "es": "Acota los ejemplos de {offered} ({file}); esas situaciones quizá necesiten una guía propia."},
}
# fmt: on

LANGS = ("en", "es")
MONEY_PARAMS = frozenset({"amount", "limit", "cap", "playbook_limit", "left", "budget", "top"})
ROLE_PARAMS = frozenset({"role", "approver", "needed"})
BLOCKER_CODES = ("above_limit", "budget_today", "budget_month", "frequency_reached")


def t(key: str, lang: str | None, **params) -> str:
    """The sentence ``key`` in ``lang`` (English when the language is unknown), filled with ``params``.

    A missing key or parameter raises ``KeyError`` naming it: a person must never read a bare key.
    Extra parameters are ignored, so an error's whole ``params`` can be passed along.

    >>> t("chat_ask_amount", "es", currency="USD")
    'Monto en USD:'
    >>> t("chat_ask_amount", "fr", currency="USD")
    'Amount in USD:'
    >>> t("chat_ask_amount", "en")
    Traceback (most recent call last):
    KeyError: "message 'chat_ask_amount' needs the parameter 'currency'"
    """
    try:
        entry = CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in bot.messages") from None
    template = entry.get(lang or "en") or entry["en"]
    try:
        return template.format(**params)
    except KeyError as missing:
        raise KeyError(f"message {key!r} needs the parameter {missing.args[0]!r}") from None


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template fills.

    >>> sorted(placeholders("{amount} is above your {limit} limit"))
    ['amount', 'limit']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def money(amount: Decimal, currency: str, lang: str | None) -> str:
    """An amount as people read it: no ``.00`` on whole amounts, the reader's decimal mark.

    >>> money(Decimal("15.00"), "USD", "en"), money(Decimal("1234.5"), "USD", "en"), money(Decimal("1234.5"), "EUR", "es")
    ('15 USD', '1,234.50 USD', '1.234,50 EUR')
    """
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if lang == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} {currency}"


def action_name(policy: Policy, action: str, lang: str | None) -> str:
    """The catalogue name of an action in ``lang``; the id itself when the catalogue lacks it."""
    entry = policy.actions.get(action)
    return entry.name.text(lang or "en") if entry else action


def role_name(policy: Policy, role: str, lang: str | None) -> str:
    """The name of a role in ``lang``; the id itself for a role the policy does not define."""
    return policy.role(role).name.text(lang or "en") if role in policy.role_ids else role


def someone(role: str, lang: str | None) -> str:
    """A role as the subject of a sentence: "A Team lead", "An Area manager", "Un Líder de equipo".

    >>> someone("Team lead", "en"), someone("Area manager", "en"), someone("Líder de equipo", "es")
    ('A Team lead', 'An Area manager', 'Un Líder de equipo')
    """
    key = "someone_vowel" if role[:1].lower() in "aeiou" else "someone"
    return t(key, lang, role=role)


def words_for(params: Mapping[str, str], lang: str | None, policy_set: PolicySet) -> dict[str, str]:
    """A reason's raw parameters as words: action and role names localized, amounts as money."""
    policy = policy_set.policy
    currency = params.get("currency") or policy.currency
    words = dict(params)
    for key, value in params.items():
        if key in MONEY_PARAMS and value != "":
            words[key] = money(Decimal(value), currency, lang)
        elif key in ROLE_PARAMS and value:
            words[key] = role_name(policy, value, lang)
        elif key == "action":
            words[key] = action_name(policy, value, lang)
    return words


def cite(sentence: str, source: str | None) -> str:
    """Add the file and line a rule lives in, before the final full stop.

    >>> cite("Your limit is 15 USD.", "playbooks/late-delivery.yaml:9")
    'Your limit is 15 USD (playbooks/late-delivery.yaml:9).'
    """
    if not source:
        return sentence
    if sentence.endswith("."):
        return f"{sentence[:-1]} ({source})."
    return f"{sentence} ({source})"


def reason_text(reason: Reason, lang: str | None, policy_set: PolicySet) -> str:
    """One reason of a decision as a sentence, citing the rule's ``path:line`` when it is known."""
    source = reason.source
    if reason.code.startswith("budget_") and reason.params.get("role"):
        # the decision cites the budgets section; the loader knows the exact line of this role's budget
        source = policy_set.locations.get(f"budgets/{reason.params['role']}") or source
    return cite(t(f"reason_{reason.code}", lang, **words_for(reason.params, lang, policy_set)), source)


def verdict_line(decision: Decision, lang: str | None, policy_set: PolicySet) -> str:
    """The one-glance verdict, worded from the decision's first reason (the one that settled it)."""
    first = decision.reasons[0]
    words = words_for(first.params, lang, policy_set)
    if first.code == "needs_approval":
        words["someone"] = someone(words["approver"], lang)
        words["why"] = _why(decision, lang, policy_set)
    return t(f"verdict_{first.code}", lang, **words)


def _why(decision: Decision, lang: str | None, policy_set: PolicySet) -> str:
    """The short clause saying what the asker ran into: their limit, their budget, or a frequency limit."""
    blocker = next((r for r in decision.reasons if r.code in BLOCKER_CODES), None)
    if blocker is None:  # the engine always gives one; say the limit rather than nothing
        return t("why_above_limit", lang, limit=money(decision.limit or Decimal(0), decision.leeway.currency, lang))
    return t(f"why_{blocker.code}", lang, **words_for(blocker.params, lang, policy_set))


def request_question(seen: "RequestSeen", lang: str | None, policy_set: PolicySet) -> str | None:
    """What to ask when the request could not be read for sure (several amounts ...); None when it could."""
    if not seen.ambiguous and not seen.reason:
        return None
    key = f"request_{seen.reason}"
    return t(key if key in CATALOGUE else "request_unclear", lang, base=policy_set.policy.currency)


def refusal_text(error: UserInputError, lang: str | None, policy_set: PolicySet | None = None) -> str:
    """A refused write or a bad entry in the person's language, with roles, statuses and people named."""
    params = {k: v for k, v in error.params.items() if isinstance(v, str | int) and not isinstance(v, bool)}
    key = error.code
    if key == "already_decided" and params.get("status"):
        params["status"] = t(f"status_{params['status']}", lang)
        key = "already_decided_by" if params.get("by") else "already_decided_as"
    if key == "approver_role_too_low" and not params.get("needed"):
        key = "approver_role_unknown"
    if policy_set is not None:
        policy = policy_set.policy
        for name in ROLE_PARAMS & params.keys():
            params[name] = role_name(policy, str(params[name]), lang)
        person = policy.people.users.get(str(params.get("by", "")))
        if person is not None and person.name:
            params["by"] = person.name
    return t(key, lang, **params)


def budget_line(decision: Decision, lang: str) -> str | None:
    """What is left of the asker's own budget, today and this month, in one sentence."""
    leeway = decision.leeway
    today = None if leeway.left_today is None else money(leeway.left_today, leeway.currency, lang)
    month = None if leeway.left_this_month is None else money(leeway.left_this_month, leeway.currency, lang)
    if today and month:
        return t("budget_left", lang, today=today, month=month)
    if today:
        return t("budget_left_today", lang, today=today)
    if month:
        return t("budget_left_month", lang, month=month)
    return None
