"""The subcommands of ``leeway``. Each parses its flags, calls one core function, prints."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli import command
from bot.loading import load_policy_set
from bot.settings import Settings


@command("validate", "Check every playbook and policy file; report all problems as path:line.")
def validate(args: argparse.Namespace, settings: Settings) -> int:
    policy_set = load_policy_set(settings.playbooks, settings.policies)
    policy = policy_set.policy
    print(f"OK: {len(policy_set.playbooks)} playbooks, {len(policy.actions)} actions, {len(policy.roles)} roles "
          f"({' < '.join(policy.role_ids)}), base currency {policy.currency}. Revision {policy_set.revision}"
          + (f" (git {policy_set.git_commit})" if policy_set.git_commit else "") + ".")
    if args.verbose:
        for playbook_id, playbook in sorted(policy_set.playbooks.items()):
            actions = ", ".join(playbook.actions) or "no actions"
            print(f"  {playbook_id:32} {len(playbook.examples):3} examples  {len(playbook.steps)} steps  {actions}")
    return 0


validate.configure = lambda parser: parser.add_argument("-v", "--verbose", action="store_true", help="list what was loaded")


@command("schema", "Write the JSON Schemas of playbook and policy files, for editor autocompletion.")
def schema(args: argparse.Namespace, settings: Settings) -> int:
    from bot.schemas import write_schemas

    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}")
    print("Add `# yaml-language-server: $schema=<path to the schema>` as the first line of a YAML file.")
    return 0


schema.configure = lambda parser: parser.add_argument("--out", default="schemas", metavar="DIR", help="folder to write to (default ./schemas)")


# ---------------------------------------------------------------- the agent's flow


def _who(policy_set, args) -> tuple[str, str]:
    """``--user`` (a Slack user id from people.yaml) and/or ``--role``; default the lowest role."""
    policy = policy_set.policy
    user = args.user or "cli-user"
    role = args.role or (policy.role_of(args.user) if args.user else policy.people.default_role)
    if role not in policy.role_ids:
        from bot.errors import UserInputError

        raise UserInputError("unknown_role", {"role": role, "roles": ", ".join(policy.role_ids)})
    return user, role


@command("ask", "Answer one situation: playbook, steps, the verdict for the request, the agent's leeway.")
def ask(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from datetime import UTC, datetime

    from rich.console import Console

    from bot.answering import answer
    from bot.rendering_text import render_answer
    from bot.runtime import open_ledger, open_store

    policy_set, engine = open_store(settings).snapshot()
    user, role = _who(policy_set, args)
    now = datetime.now(UTC)
    history = open_ledger(settings).history(user=user, customer_ref=None, policy=policy_set.policy, now=now)
    result = answer(engine, args.situation, role=role, history=history, now=now, lang=args.lang)
    if args.json:
        print(json.dumps(answer_json(result, policy_set), ensure_ascii=False, indent=2))
    else:
        Console().print(render_answer(result, policy_set))
    return 0


def _ask_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("situation", help="the situation, in the agent's words")
    parser.add_argument("--role", help="answer for this role")
    parser.add_argument("--user", help="answer for this Slack user id (its role comes from people.yaml)")
    parser.add_argument("--lang", choices=["en", "es"], help="reply language (default: detected)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


ask.configure = _ask_flags


def answer_json(result, policy_set) -> dict:
    """The stable machine-readable shape of an answer (``leeway ask --json``)."""
    from bot.messages import reason_text

    decision = result.decision
    return {
        "outcome": result.outcome,
        "playbook": result.playbook,
        "matches": [{"playbook": c.playbook, "score": round(c.score, 4)} for c in result.candidates],
        "lang": result.lang,
        "role": result.role,
        "request": {"action": result.request.action,
                    "amount": None if result.request.amount is None else str(result.request.amount),
                    "currency": result.request.currency, "ambiguous": result.request.ambiguous,
                    "reason": result.request.reason},
        "decision": decision.verdict if decision else None,
        "approver_role": decision.approver_role if decision else None,
        "limit": str(decision.limit) if decision and decision.limit is not None else None,
        "reasons": [{"code": r.code, "source": r.source, "text": reason_text(r, result.lang, policy_set)}
                    for r in (decision.reasons if decision else ())],
        "leeway": None if decision is None else {
            "actions": {a.action: {"limit": str(a.limit), "next_role": a.next_role,
                                   "next_limit": None if a.next_limit is None else str(a.next_limit)}
                        for a in decision.leeway.actions},
            "left_today": None if decision.leeway.left_today is None else str(decision.leeway.left_today),
            "left_this_month": None if decision.leeway.left_this_month is None else str(decision.leeway.left_this_month),
            "currency": decision.leeway.currency,
        },
        "policy_revision": result.policy_revision,
    }


@command("chat", "Talk to Leeway in the terminal, as an agent would in Slack (English or Spanish).")
def chat(args: argparse.Namespace, settings: Settings) -> int:
    import sys

    from rich.console import Console

    from bot.chat import Chat, line_reader
    from bot.runtime import open_ledger, open_store

    console = Console()
    store = open_store(settings)
    store.current()  # fail closed before the first prompt
    if sys.stdin.isatty():
        read = lambda prompt: _read_tty(console, prompt)  # noqa: E731
    else:
        read = line_reader(iter(sys.stdin), console)
    return Chat(store, open_ledger(settings), console=console, read=read, who=args.who, lang=args.lang).run()


def _read_tty(console, prompt: str) -> str | None:
    try:
        return console.input(f"[bold cyan]{prompt}[/bold cyan]")
    except EOFError:
        return None


def _chat_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="who", metavar="ROLE/USER", help="a role (agent, lead, ...) or a Slack user id")
    parser.add_argument("--lang", choices=["en", "es"], help="reply language (default: detected from what you type)")


chat.configure = _chat_flags


@command("log", "Recent exceptions, escalations or unmatched situations, as a table, CSV or JSON.")
def log(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ledger_views import print_log
    from bot.runtime import existing_ledger

    print_log(existing_ledger(settings), kind=args.kind, user=args.user, status=args.status, since=args.since,
              limit=args.limit, output_format=args.format)
    return 0


def _log_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=["exceptions", "escalations", "unmatched"], default="exceptions")
    parser.add_argument("--user", help="only this user's records")
    parser.add_argument("--status", choices=["pending", "approved", "denied", "withdrawn", "expired"],
                        help="escalations with this status")
    parser.add_argument("--since", metavar="AGE", help="only newer records: 7d, 24h, 30m, or a date (2026-11-01)")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")


log.configure = _log_flags


# ---------------------------------------------------------------- policy owners and measurement


@command("test", "Run the cases kept beside each playbook, and check its examples resolve to it.")
def test(args: argparse.Namespace, settings: Settings) -> int:
    from bot.policy_tests import run_all
    from bot.runtime import open_store

    store = open_store(settings)
    policy_set, engine = store.snapshot()
    from bot.encoders import get_encoder

    results = run_all(engine, encoder=get_encoder(settings.encoder), leave_one_out=args.leave_one_out)
    failures = [r for r in results if not r.passed]
    for result in results:
        if args.verbose or not result.passed:
            print(result)
    for topic, playbook_id in engine.index.covered_topics.items():
        print(f"note: {playbook_id} covers the out-of-scope topic {topic!r} (bot/data/out-of-scope.txt); "
              "its lines are left out of the \"nothing fits\" class for this library")
    print(f"{len(results) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def _test_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing checks too")
    parser.add_argument("--leave-one-out", action="store_true",
                        help="also check each example resolves with itself left out (slower; shows weak examples)")


test.configure = _test_flags


@command("match", "Batch matching: one situation per line on stdin, one JSON line out.")
def match(args: argparse.Namespace, settings: Settings) -> int:
    import json
    import sys

    from bot.answering import Engine
    from bot.encoders import get_encoder
    from bot.extraction import extract_request

    policy_set = load_policy_set(settings.playbooks, settings.policies)
    engine = Engine.build(policy_set, encoder=get_encoder(settings.encoder), cache_dir=settings.cache_dir)
    currency = policy_set.policy.currency
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)["text"] if args.jsonl else line.rstrip("\n")
        result = engine.index.match(text, limit=5)
        request = extract_request(text, engine.vocabulary, base_currency=currency)
        print(json.dumps({
            "text": text, "outcome": result.outcome,
            "matches": [{"playbook": c.playbook, "score": round(float(c.score), 4)} for c in result.matches],
            "request": {"action": request.action, "amount": None if request.amount is None else str(request.amount),
                        "currency": request.currency, "ambiguous": request.ambiguous},
        }, ensure_ascii=False), flush=True)
    return 0


match.configure = lambda parser: parser.add_argument("--jsonl", action="store_true", help="input lines are JSON with a `text` field")


@command("eval", "Matching accuracy on a labelled set (default: benchmarks/eval/situations.jsonl).")
def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.encoders import get_encoder
    from bot.evaluation import evaluate as run_evaluation
    from bot.evaluation import format_report, read_labelled
    from bot.matching import build_index

    policy_set = load_policy_set(settings.playbooks, settings.policies)
    index = build_index(policy_set.playbooks, encoder=get_encoder(settings.encoder), cache_dir=settings.cache_dir)
    report = run_evaluation(index, read_labelled(Path(args.file)))
    print(json.dumps(report.as_dict(), indent=2) if args.json else format_report(report))
    return 0


def _eval_flags(parser: argparse.ArgumentParser) -> None:
    from bot.settings import REPO_ROOT

    parser.add_argument("--file", default=str(REPO_ROOT / "benchmarks" / "eval" / "situations.jsonl"),
                        help="JSON lines: text, lang, expected (playbook id or null)")
    parser.add_argument("--json", action="store_true")


evaluate.configure = _eval_flags
