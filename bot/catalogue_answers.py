"""Sentences of the answer to a situation: reasons, verdicts, questions, refusals, the chat, notifications.

The words an agent reads when asking what they may do, and what leads read when asked to approve.
Merged into ``bot.messages.CATALOGUE``; import ``t`` from there, not this table.
"""

# fmt: off
ANSWERS: dict[str, dict[str, str]] = {
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
    "none_fit": {"en": "None of these", "es": "Ninguna de estas"},
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
}
# fmt: on
