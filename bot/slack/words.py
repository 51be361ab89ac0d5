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
