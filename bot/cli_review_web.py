"""`leeway review-web`: Datasette over the ledger, read-only. A thin door onto ``bot.review_web``."""

from __future__ import annotations

import argparse
import sys

from bot.cli import command
from bot.settings import Settings


@command("review-web", "Browse the ledger read-only in Datasette, with canned queries for leads and policy owners.")
def review_web(args: argparse.Namespace, settings: Settings) -> int:
    from bot.messages import t
    from bot.review_web import build_app, is_loopback

    lang = args.lang or settings.lang or "en"
    app = build_app(settings.db, lang=lang)
    import uvicorn  # datasette depends on it, so it is here whenever build_app succeeded

    if not is_loopback(args.host):
        print(t("review_web_exposed", lang, host=args.host), file=sys.stderr)
    print(t("review_web_serving", lang, path=settings.db, host=args.host, port=args.port), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this computer only; put authentication in front "
                             "before binding anything else)")
    parser.add_argument("--lang", choices=["en", "es"], help="language of titles and descriptions (default en)")


review_web.configure = _flags
