"""Sentences of ``leeway report``, ``leeway insights`` and the leads' digest, in English and Spanish.

Merged into ``bot.messages.CATALOGUE``; import ``t`` from there, not this table.
"""

# fmt: off
REPORTS: dict[str, dict[str, str]] = {
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
