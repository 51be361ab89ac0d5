"""Sentences only the Slack door says, in English and Spanish (same shape as ``bot.messages.CATALOGUE``).

The core catalogue holds every sentence both doors share; these are Slack's own
(modal labels, the App Home, the lead channel's updates). ``say`` looks here
first and falls back to the core catalogue.
"""

from __future__ import annotations

from bot.messages import CATALOGUE as CORE
from bot.messages import t

# fmt: off
CATALOGUE: dict[str, dict[str, str]] = {
    "reload_done": {
        "en": "✅ Reloaded: revision {revision}, {count} playbooks.",
        "es": "✅ Recargado: revisión {revision}, {count} guías."},
    "reload_failed": {
        "en": "⛔ The edited files have problems, so revision {revision} stays in force:\n```{report}```",
        "es": "⛔ Los archivos editados tienen problemas; sigue vigente la revisión {revision}:\n```{report}```"},
    "reload_not_allowed": {
        "en": "Only a {role} or above can reload the playbooks and policies.",
        "es": "Solo {role} o superior puede recargar las guías y políticas."},
    "modal_log_title": {"en": "Log an exception", "es": "Registrar excepción"},
    "modal_ask_title": {"en": "Ask a lead", "es": "Pedir aprobación"},
    "modal_submit_log": {"en": "Log it", "es": "Registrar"},
    "modal_submit_ask": {"en": "Send", "es": "Enviar"},
    "modal_cancel": {"en": "Cancel", "es": "Cancelar"},
    "modal_playbook": {"en": "Playbook: {playbook}", "es": "Guía: {playbook}"},
    "field_action": {"en": "Action", "es": "Acción"},
    "field_amount": {"en": "Amount ({currency})", "es": "Monto ({currency})"},
    "field_customer": {"en": "Customer reference (order or account)", "es": "Referencia del cliente (pedido o cuenta)"},
    "field_note": {"en": "Note", "es": "Nota"},
    "field_action_missing": {"en": "Pick an action.", "es": "Elige una acción."},
    "deny_title": {"en": "Deny escalation", "es": "Rechazar solicitud"},
    "field_deny_reason": {"en": "Reason (the agent sees it)", "es": "Motivo (el agente lo verá)"},
    "lead_request": {
        "en": "🟡 {requester} asks to approve *{action}* of *{amount}* — {playbook}. {role} or above can decide.",
        "es": "🟡 {requester} pide aprobar *{action}* de *{amount}* — {playbook}. Puede decidir: {role} o superior."},
    "lead_customer": {"en": "Customer: {customer}", "es": "Cliente: {customer}"},
    "lead_note": {"en": "Note: {note}", "es": "Nota: {note}"},
    "lead_approved_by": {"en": "✅ Approved by {by}.", "es": "✅ Aprobada por {by}."},
    "lead_denied_by": {"en": "⛔ Denied by {by}.", "es": "⛔ Rechazada por {by}."},
    "escalation_number": {"en": "Escalation #{id}", "es": "Solicitud #{id}"},
    "escalated": {
        "en": "🟡 Sent to the leads as escalation #{id}. I'll tell you here when someone decides.",
        "es": "🟡 Enviado a los líderes como solicitud #{id}. Te aviso aquí cuando alguien decida."},
    "escalated_help": {
        "en": "🟡 I've shown your question to the leads; someone will reply in their channel or DM you.",
        "es": "🟡 Mostré tu pregunta a los líderes; alguien te responderá en su canal o por mensaje directo."},
    "logged": {
        "en": "✅ Logged as exception #{id}: {action}, {amount}.",
        "es": "✅ Registrado como excepción #{id}: {action}, {amount}."},
    "no_escalation_channel": {
        "en": "⚠️ Escalation #{id} is saved, but no escalation channel is configured; tell a lead.",
        "es": "⚠️ La solicitud #{id} quedó guardada, pero no hay canal de solicitudes configurado; avisa a un líder."},
    "lead_post_failed": {
        "en": "⚠️ Escalation #{id} is saved, but I couldn't post it to the leads' channel ({error}). Tell a lead.",
        "es": "⚠️ La solicitud #{id} quedó guardada, pero no pude publicarla en el canal de líderes ({error}). Avisa a un líder."},
    "slack_busy": {
        "en": "⚠️ Slack didn't accept that just now ({error}). Nothing was lost; please try again.",
        "es": "⚠️ Slack no lo aceptó en este momento ({error}). No se perdió nada; inténtalo de nuevo."},
    "question_gone": {
        "en": "I can't find that question any more. Ask again with /leeway.",
        "es": "Ya no encuentro esa pregunta. Vuelve a preguntar con /leeway."},
    "alternatives": {"en": "Other playbooks that might fit:", "es": "Otras guías que podrían encajar:"},
    "no_alternatives": {
        "en": "I have no other playbook close to this. Describe the situation with more detail, or ask a lead.",
        "es": "No tengo otra guía parecida. Describe la situación con más detalle o consulta a un líder."},
    "verdict_none": {"en": "ℹ️ Pick an action and an amount and I'll check it.", "es": "ℹ️ Elige una acción y un monto y lo reviso."},
    "home_title": {"en": "Your leeway", "es": "Tu margen"},
    "home_role": {"en": "You're *{role}*.", "es": "Eres *{role}*."},
    "home_caps": {"en": "Most you may grant on your own, per action:", "es": "Lo máximo que puedes conceder por tu cuenta, por acción:"},
    "home_usage": {
        "en": "Used today: {today} · this month: {month}",
        "es": "Usado hoy: {today} · este mes: {month}"},
    "home_pending": {"en": "Pending escalations", "es": "Solicitudes pendientes"},
    "home_no_pending": {"en": "No pending escalations.", "es": "No hay solicitudes pendientes."},
    "home_team_latest": {"en": "Latest exceptions of your team", "es": "Últimas excepciones de tu equipo"},
    "home_more": {"en": "…and {count} more.", "es": "…y {count} más."},
    "truncated": {"en": "…(shortened; the full playbook is in the files)", "es": "…(abreviado; la guía completa está en los archivos)"},
    # ------------------------------------------------ /leeway review (bot.slack.reviewing)
    "review_leads_only": {
        "en": "/leeway review shows a team's week, so it's for a Team lead or above. Your own leeway is on Leeway's Home tab.",
        "es": "/leeway revisar muestra la semana de un equipo, así que es para Líder de equipo o superior. Tu propio margen está en la pestaña Inicio de Leeway."},
    "review_title": {"en": "Your team's last 7 days", "es": "Los últimos 7 días de tu equipo"},
    "review_scope": {"en": "Team {team} · {start} – {end}", "es": "Equipo {team} · {start} – {end}"},
    "review_scope_all": {"en": "All teams · {start} – {end}", "es": "Todos los equipos · {start} – {end}"},
    "review_pending": {"en": "Pending escalations", "es": "Solicitudes pendientes"},
    "review_insights": {"en": "What stands out", "es": "Lo que destaca"},
    "review_no_insights": {"en": "Nothing unusual in this period.", "es": "Nada fuera de lo común en este periodo."},
    "review_latest": {"en": "Latest exceptions", "es": "Últimas excepciones"},
    "review_no_exceptions": {"en": "No exceptions logged in these days.", "es": "No se registraron excepciones en estos días."},
    "review_marked": {"en": "🌟 great call", "es": "🌟 gran decisión"},
    "button_great_call": {"en": "🌟 Great call", "es": "🌟 Gran decisión"},
    "button_share": {"en": "Share with the team", "es": "Compartir con el equipo"},
    "great_call_done": {
        "en": "🌟 Exception #{id} is marked as a great call, and {agent} has been thanked.",
        "es": "🌟 La excepción #{id} quedó destacada como gran decisión y le dimos las gracias a {agent}."},
    "great_call_already": {
        "en": "🌟 Exception #{id} was already marked as a great call.",
        "es": "🌟 La excepción #{id} ya estaba destacada como gran decisión."},
    "great_call_thanks": {
        "en": "🌟 {lead} marked your {action} of {amount} ({playbook}, exception #{id}) as a great call. Thank you: that's the judgement we want!",
        "es": "🌟 {lead} destacó como gran decisión tu {action} de {amount} ({playbook}, excepción #{id}). ¡Gracias: ese es el criterio que buscamos!"},
    "great_call_post": {
        "en": "🌟 Great call by {agent}: {action} of {amount} in “{playbook}”. Recognised by {lead}.",
        "es": "🌟 Gran decisión de {agent}: {action} de {amount} en “{playbook}”. La destacó {lead}."},
    "great_call_shared": {"en": "🌟 Shared in {channel}.", "es": "🌟 Compartido en {channel}."},
    "no_recognition_channel": {
        "en": "⚠️ There's no channel to share great calls in; add routing.recognition_channel to the policies. The agent was still thanked.",
        "es": "⚠️ No hay canal para compartir grandes decisiones; agrega routing.recognition_channel a las políticas. Igual le dimos las gracias al agente."},
    # ------------------------------------------------ the weekly digest (bot.slack.digest)
    "digest_title": {"en": "Leeway weekly digest", "es": "Resumen semanal de Leeway"},
    "digest_period": {"en": "{start} – {end} ({timezone})", "es": "{start} – {end} ({timezone})"},
    "digest_headline": {"en": "Headline figures", "es": "Cifras principales"},
    "digest_insights": {"en": "Top insights", "es": "Hallazgos principales"},
    "digest_great_calls": {"en": "🌟 Great calls this week: {count}", "es": "🌟 Grandes decisiones esta semana: {count}"},
    "digest_ledger_head": {"en": "Ledger head: #{count} {hash}…", "es": "Cabeza del registro: #{count} {hash}…"},
    "digest_chart": {"en": "Exceptions per week by playbook", "es": "Excepciones por semana y guía"},
    "digest_chart_alt": {
        "en": "Bar chart of exceptions logged per week, stacked by playbook, for the last {weeks} weeks.",
        "es": "Gráfico de barras de las excepciones registradas por semana, apiladas por guía, de las últimas {weeks} semanas."},
    "digest_posted": {"en": "Posted the digest for {week} to {channel}.", "es": "Publiqué el resumen de {week} en {channel}."},
    "digest_already": {
        "en": "The digest for {week} was already posted to {channel}; nothing to do.",
        "es": "El resumen de {week} ya se publicó en {channel}; no hay nada que hacer."},
    "digest_no_schedule": {
        "en": "No digest is scheduled: add `routing: digest: {{channel: C0LEADS01, weekday: monday, time: \"09:00\"}}` to the policies.",
        "es": "No hay resumen programado: agrega `routing: digest: {{channel: C0LEADS01, weekday: monday, time: \"09:00\"}}` a las políticas."},
    "digest_no_token": {
        "en": "SLACK_BOT_TOKEN is not set, so the digest was printed instead of posted.",
        "es": "SLACK_BOT_TOKEN no está definido, así que el resumen se imprimió en lugar de publicarse."},
    "digest_chart_written": {"en": "Chart written to {path}.", "es": "Gráfico guardado en {path}."},
}
# fmt: on


def phrase(key: str, lang: str | None, **params) -> str:
    """A Slack sentence, else a core one, in ``lang``.

    >>> phrase("button_log", "es"), phrase("home_title", "es")
    ('Registrarlo', 'Tu margen')
    """
    if key in CATALOGUE:
        entry = CATALOGUE[key]
        template = entry.get(lang or "en") or entry["en"]
        return template.format(**params) if params else template
    return t(key, lang, **params)


def known(key: str) -> bool:
    return key in CATALOGUE or key in CORE
