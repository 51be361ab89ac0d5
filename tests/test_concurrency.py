"""Eight processes spend against one agent's budget and one customer's frequency limit at once.

Never over either limit, and no "database is locked" (or any other error) ever
reaches a person: every attempt ends as recorded or refused. The workers start
together on a fresh file, so even the first migration is contended.
"""

from __future__ import annotations

import multiprocessing
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bot import acting
from bot.errors import Refused
from bot.ledger import Ledger
from bot.records import ExceptionDraft

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.soak.crash_soak import preload  # noqa: E402  (the same forkserver set-up as the crash soak)

WORKERS = 8
ATTEMPTS = 8  # per worker: half against the budget, half against the customer's limit
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
AMOUNT = Decimal(12)
DAILY_BUDGET = Decimal(150)  # agent, tests/fixtures/valid/policies/authority.yaml
SHARED_CUSTOMER = "C-SHARED"
CUSTOMER_MAX = 2  # refunds-per-month, same file


def _attempt(ledger: Ledger, policy_set, worker: int, attempt: int) -> str:
    if attempt % 2 == 0:  # one agent's budget, a new customer each time
        user, customer = "U0AGENT01", f"B-{worker}-{attempt}"
    else:  # one customer's frequency limit, from another agent
        user, customer = "U0AGENT02", SHARED_CUSTOMER
    draft = ExceptionDraft(user=user, playbook="late-delivery", action="refund_shipping", amount=AMOUNT,
                           currency="USD", customer_ref=customer)
    try:
        acting.log_exception(ledger, policy_set, draft, role="agent", key=f"w{worker}-{attempt}", now=NOW)
        return "recorded"
    except Refused as refusal:
        return f"refused:{refusal.code}"


def spend(path: str, policy_set, worker: int, barrier, results) -> None:
    """One worker: wait for the others, then open the ledger and try every attempt; report each outcome."""
    barrier.wait(30)
    outcomes = []
    try:
        ledger = Ledger(path)
        for attempt in range(ATTEMPTS):
            outcomes.append(_attempt(ledger, policy_set, worker, attempt))
    except Exception as error:  # what a person would have seen: "database is locked" and the like
        outcomes.append(f"error:{type(error).__name__}: {error}")
    results.put(outcomes)


def test_eight_processes_never_overspend_and_never_see_a_lock(tmp_path, fixture_set):
    path = str(tmp_path / "ledger.db")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload())  # cheap workers: the bot and pytest imported once
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [context.Process(target=spend, args=(path, fixture_set, w, barrier, results)) for w in range(WORKERS)]
    for worker in workers:
        worker.start()
    outcomes = [o for _ in workers for o in results.get(timeout=120)]
    for worker in workers:
        worker.join(30)
    assert [o for o in outcomes if o.startswith("error")] == []
    assert len(outcomes) == WORKERS * ATTEMPTS
    assert set(outcomes) == {"recorded", "refused:not_allowed_now"}
    ledger = Ledger(path)
    spent = sum((r.amount for r in ledger.exceptions(user="U0AGENT01", limit=1000)), Decimal(0))
    assert spent <= DAILY_BUDGET and spent == AMOUNT * int(DAILY_BUDGET // AMOUNT)  # full, never over
    shared = [r for r in ledger.exceptions(limit=1000) if r.customer_ref == SHARED_CUSTOMER]
    assert len(shared) == CUSTOMER_MAX
    assert outcomes.count("recorded") == int(DAILY_BUDGET // AMOUNT) + CUSTOMER_MAX
