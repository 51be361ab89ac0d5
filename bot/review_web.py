"""The review web: Datasette over the ledger, read-only, with tables and canned queries named for reviewers.

Leads and policy owners who want to dig deeper than ``leeway report`` browse
the ledger in Datasette. This module builds what Datasette needs (the metadata
that names and describes the tables, their key columns and the canned queries)
and the ASGI app; ``bot.cli_review_web`` serves it. Datasette is an optional
extra (``pip install 'leeway[review]'``), imported only when the app is built.

The ledger is opened read-only (``mode=ro``), not ``immutable``: the bot keeps
writing while someone reviews, in WAL mode, and an immutable open would skip
the write-ahead log and show a stale, possibly inconsistent, ledger.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from bot.errors import UserInputError

TABLES = {
    "exceptions": ("key", "user", "role", "decision", "amount_cents", "customer_ref", "policy_revision", "created_at"),
    "escalations": ("key", "status", "approver_role", "amount_cents", "customer_ref", "decision_json",
                    "policy_revision", "created_at"),
    "unmatched": ("key", "user", "candidates", "policy_revision", "created_at"),
    "refusals": ("user", "created_at"),
}
HIDDEN_TABLES = ("leeway_migrations",)

# Times in the ledger are fixed-width UTC text, so they compare with SQLite's date('now', ...) as text.
QUERIES = {
    "pending_escalations": """
SELECT id, created_at, requested_by, requester_role, team, playbook, action,
       printf('%.2f', amount_cents / 100.0) AS amount, currency, customer_ref, approver_role,
       CAST((julianday('now') - julianday(substr(created_at, 1, 19))) * 24 AS INTEGER) AS hours_waiting
FROM escalations
WHERE status = 'pending'
ORDER BY created_at""",
    "exceptions_this_week": """
SELECT user AS agent, role, team, COUNT(*) AS exceptions,
       SUM(decision = 'approved') AS approved_by_a_lead,
       printf('%.2f', SUM(amount_cents) / 100.0) AS total, currency,
       GROUP_CONCAT(DISTINCT playbook) AS playbooks
FROM exceptions
WHERE created_at >= date('now', 'weekday 0', '-6 days')
GROUP BY user, role, team, currency
ORDER BY SUM(amount_cents) DESC""",
    "limit_calibration": """
SELECT playbook, action, requester_role AS role, COUNT(*) AS escalations,
       SUM(status = 'approved') AS approved, SUM(status = 'denied') AS denied,
       SUM(status IN ('pending', 'expired', 'withdrawn')) AS undecided,
       ROUND(100.0 * SUM(status = 'approved') / NULLIF(SUM(status IN ('approved', 'denied')), 0), 1)
         AS approval_rate_pct,
       printf('%.2f', MIN(amount_cents) / 100.0) AS min_amount,
       printf('%.2f', AVG(amount_cents) / 100.0) AS avg_amount,
       printf('%.2f', MAX(amount_cents) / 100.0) AS max_amount, currency,
       (SELECT COUNT(*) FROM exceptions AS own
        WHERE own.playbook = escalations.playbook AND own.action = escalations.action
          AND own.role = escalations.requester_role AND own.decision = 'allowed'
          AND own.created_at >= date('now', '-90 days')) AS used_within_limit
FROM escalations
WHERE created_at >= date('now', '-90 days')
GROUP BY playbook, action, requester_role, currency
ORDER BY approved DESC, escalations DESC""",
    "gaps": """
SELECT id, created_at, user, text, candidates
FROM unmatched
WHERE created_at >= date('now', '-30 days')
ORDER BY created_at DESC""",
}
SETTINGS = {
    "allow_download": False,  # the whole file is customer data; reviewers export query results as CSV instead
    "default_page_size": 50,
    "sql_time_limit_ms": 3000,
}


def database_name(path: Path | str) -> str:
    """The name Datasette gives the ledger (its file name without the extension), used in its URLs.

    >>> database_name("/srv/leeway/leeway.db")
    'leeway'
    """
    return Path(path).stem


def metadata(database: str, *, lang: str = "en") -> dict:
    """Datasette metadata: titles and descriptions of the ledger, its tables, key columns and canned queries.

    >>> sorted(metadata("leeway")["databases"]["leeway"]["queries"])
    ['exceptions_this_week', 'gaps', 'limit_calibration', 'pending_escalations']
    """
    from bot.messages import t

    tables = {table: {"title": t(f"web_table_{table}_title", lang),
                      "description": t(f"web_table_{table}_description", lang),
                      "columns": {column: t(f"web_column_{column}", lang) for column in columns}}
              for table, columns in TABLES.items()}
    tables.update({table: {"hidden": True} for table in HIDDEN_TABLES})
    queries = {name: {"sql": sql.strip(), "title": t(f"web_query_{name}_title", lang),
                      "description": t(f"web_query_{name}_description", lang)}
               for name, sql in QUERIES.items()}
    title, description = t("web_title", lang), t("web_description", lang)
    return {"title": title, "description": description,
            "databases": {database: {"title": title, "description": description, "tables": tables,
                                     "queries": queries}}}


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host``; anything else needs authentication in front.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_app(db: Path | str, *, lang: str = "en"):
    """The Datasette ASGI app over the ledger file, read-only. Raises ``UserInputError`` naming what to do."""
    path = Path(db)
    if not path.is_file():
        raise UserInputError("review_web_no_ledger", {"path": str(path)})
    try:
        from datasette.app import Datasette
    except ImportError:
        raise UserInputError("review_web_missing") from None
    datasette = Datasette(files=[str(path)], metadata=metadata(database_name(path), lang=lang), settings=SETTINGS)
    return datasette.app()
