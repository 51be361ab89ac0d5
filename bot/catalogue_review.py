"""Sentences of looking back: great calls, the weekly chart, replay, the review web, the ledger's checks.

Kept apart from the answer's words so each table stays short enough to read side by side.
Merged into ``bot.messages.CATALOGUE``; import ``t`` from there, not this table.
"""

# fmt: off
REVIEW: dict[str, dict[str, str]] = {
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
}
# fmt: on
