"""The ``leeway`` command: parses arguments, calls the core, prints. Rules live in the core.

Typed errors become a message and an exit code in one place (``main``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from bot.errors import LeewayError, UserInputError
from bot.settings import Settings

COMMANDS: dict[str, Callable] = {}
COMMAND_MODULES = (
    "bot.cli_commands",  # validate, schema, ask, chat, log, test, match, eval
    "bot.cli_serve",  # serve
    "bot.cli_report",  # report, insights, replay
    "bot.cli_ledger",  # ledger verify, ledger purge
    "bot.cli_review_web",  # review-web
    "bot.cli_digest",  # digest
    "bot.cli_replay",  # replay
)


def command(name: str, help_text: str):
    """Register a subcommand: ``configure(parser)`` adds its flags, the function runs it."""

    def register(function):
        COMMANDS[name] = (function, help_text)
        return function

    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leeway", description="What's the process, and how much leeway do I have?")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module)  # each registers its commands

    for name, (function, help_text) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        _folder_flags(child)
        function.configure(child)
        child.set_defaults(run=function)
    return parser


def _folder_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--playbooks", metavar="DIR", help="playbooks folder (default ./playbooks, env LEEWAY_PLAYBOOKS)")
    parser.add_argument("--policies", metavar="DIR", help="policies folder (default ./policies, env LEEWAY_POLICIES)")
    parser.add_argument("--db", metavar="FILE", help="ledger database (default ./leeway.db, env LEEWAY_DB)")
    parser.add_argument("--encoder", metavar="NAME", help="matching encoder: static (default), semantic, none, or a model name/path (env LEEWAY_ENCODER)")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(playbooks=args.playbooks, policies=args.policies, db=args.db, encoder=args.encoder)


def error_message(error: LeewayError, lang: str) -> str:
    """A person's mistake in their language; a file problem as its ``path:line`` report."""
    if isinstance(error, UserInputError):
        from bot.messages import t

        return t(error.code, lang, **{k: v for k, v in error.params.items() if isinstance(v, str | int)})
    return str(error)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args, settings_from(args)) or 0)
    except LeewayError as error:
        print(error_message(error, getattr(args, "lang", None) or "en"), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


