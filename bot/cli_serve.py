"""``leeway serve``: the Slack app, in Socket Mode (default) or over HTTP (``--http --port N``)."""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli import command
from bot.settings import Settings

NEEDS = {"socket": ("slack_bot_token", "slack_app_token"), "http": ("slack_bot_token", "slack_signing_secret")}
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ENV_NAMES = {"slack_bot_token": "SLACK_BOT_TOKEN", "slack_app_token": "SLACK_APP_TOKEN",
             "slack_signing_secret": "SLACK_SIGNING_SECRET"}


def missing_settings(settings: Settings, mode: str) -> list[str]:
    """The environment variables a mode needs and does not have.

    >>> missing_settings(Settings.from_env({}), "http")
    ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']
    """
    return [ENV_NAMES[name] for name in NEEDS[mode] if not getattr(settings, name)]


@command("serve", "Run the Slack app: Socket Mode by default, or HTTP at POST /slack/events with --http.")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    mode = "http" if args.http else "socket"
    settings = settings.with_overrides(port=args.port)
    missing = missing_settings(settings, mode)
    if missing:
        print(f"leeway serve{' --http' if args.http else ''} needs {' and '.join(missing)} "
              "(see .env.example and the README's Slack section).", file=sys.stderr)
        return 2
    one_blas_thread_per_answer()
    from bot.runtime import open_ledger, open_store
    from bot.slack.app import create_app
    from bot.slack.digest_clock import keep_posting_digests
    from bot.slack.serving import http_server, socket_mode

    store, ledger = open_store(settings), open_ledger(settings)
    app = create_app(settings, store=store, ledger=ledger)
    keep_posting_digests(app.client, ledger, store, lang=settings.lang or "en")
    if args.http:
        server = http_server(app, host=args.host, port=settings.port)
        print(f"Leeway is listening on http://{args.host}:{server.effective_port}/slack/events", file=sys.stderr)
        server.run()
    else:
        print("Leeway is connected in Socket Mode. Ctrl-C to stop.", file=sys.stderr)
        socket_mode(app, settings.slack_app_token).start()
    return 0


def one_blas_thread_per_answer() -> None:
    """Before numpy loads: one BLAS thread per call, unless the operator chose otherwise.

    A server answers several questions at once on its own threads. OpenBLAS adds
    a thread per core to each call, and its threads spin while they wait: on a
    busy two-core machine, five commands took over 5 s to answer instead of 0.5 s.
    """
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http", action="store_true", help="serve HTTP at POST /slack/events (needs SLACK_SIGNING_SECRET)")
    parser.add_argument("--port", type=int, metavar="N", help="HTTP port (default 3000, env LEEWAY_PORT)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default 0.0.0.0)")


serve.configure = _configure
