"""`leeway ledger verify` and `leeway ledger purge`: thin doors onto the ledger's hash chain."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bot.cli import command
from bot.errors import UserInputError
from bot.settings import Settings


@command("ledger", "Check the ledger's hash chain (verify) or blank old personal free text (purge --older-than 180d).")
def ledger(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import existing_ledger

    opened = existing_ledger(settings)
    if args.action == "verify":
        return verify(opened, args=args, path=str(settings.db))
    return purge(opened, args=args)


def verify(ledger, *, args: argparse.Namespace, path: str) -> int:
    """Exit 0 with the head when intact; 1 with one line per finding when not."""
    from bot.ledger_verify import describe
    from bot.messages import t

    report = ledger.verify_chain(expect_head=args.expect_head, expect_count=args.expect_count)
    if report.intact:
        print(t("ledger_intact", args.lang, count=report.count, head=report.head))
        return 0
    print(t("ledger_tampered", args.lang, problems=len(report.findings), path=path))
    for finding in report.findings:
        print(f"  - {describe(finding, args.lang)}")
    return 1


def purge(ledger, *, args: argparse.Namespace) -> int:
    from bot.messages import t
    from bot.periods import since

    if not args.older_than:
        raise UserInputError("ledger_purge_needs_age")
    now = datetime.now(UTC)
    before = since(args.older_than, now=now)
    counts = ledger.purge_text(older_than=before, now=now, dry_run=args.dry_run)
    key = "ledger_purge_dry_run" if args.dry_run else "ledger_purged"
    print(t(key, args.lang, count=sum(counts.values()), before=before.strftime("%Y-%m-%d %H:%M UTC")))
    return 0


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["verify", "purge"], help="verify the chain, or purge old free text")
    parser.add_argument("--expect-head", metavar="HASH", help="verify: a head from an earlier weekly digest; it must still be in the chain")
    parser.add_argument("--expect-count", metavar="N", type=int, help="verify: a record count from an earlier digest; fewer means records were removed")
    parser.add_argument("--older-than", metavar="AGE", help="purge: text of records older than this (180d, 26w) or created before a date (2026-05-01)")
    parser.add_argument("--dry-run", action="store_true", help="purge: only count what would be purged")
    parser.add_argument("--lang", choices=["en", "es"], default="en", help="language of the messages (default en)")


ledger.configure = _configure
