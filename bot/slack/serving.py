"""Serving the app: Socket Mode (no public URL) or HTTP on waitress, a production WSGI server.

HTTP serves Slack's Events API, slash commands and interactivity at
``POST /slack/events`` through Bolt's WSGI adapter.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
LISTENER_THREADS = 32  # more than the requests waitress (8 threads + its queue) or a socket hands over at once


def wsgi_app(app: App):
    """A WSGI callable: Bolt's adapter on ``/slack/events``, 404 elsewhere."""
    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ, start_response):
        if environ.get("PATH_INFO") != EVENTS_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "0")
        if not (stamp.isascii() and stamp.isdigit()):
            # slack_sdk's verifier raises on a non-numeric timestamp (a 500 and a traceback); it is unsigned: 401
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"invalid request"]
        return handler(environ, start_response)

    return application


def http_server(app: App, *, host: str = "0.0.0.0", port: int = 3000, threads: int = 8):
    """A waitress server (call ``.run()``; ``.effective_port`` is the port when ``port=0``)."""
    from waitress import create_server

    roomy_listener_pool(app)
    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="leeway")


def socket_mode(app: App, app_token: str):
    """Bolt's Socket Mode handler over slack_sdk's built-in websocket client (call ``.start()``)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    roomy_listener_pool(app)
    return SocketModeHandler(app, app_token, concurrency=LISTENER_THREADS)


def roomy_listener_pool(app: App, *, workers: int = LISTENER_THREADS) -> None:
    """Give Bolt a listener pool larger than the requests that can be in flight.

    Bolt answers Slack once a listener calls ``ack()``, and runs listeners on a
    pool of 5 threads: with five slow answers running, the sixth request's ack
    waits for one of them to finish (20 commands in flight: acks near a second,
    ``benchmarks/http_ack.py``). With room for every request, each listener acks
    at once; ``bot.answering.Engine`` bounds how many then compute together.
    Bolt's constructor takes the pool too; here both doors get it in one place.
    """
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="leeway-listener")
    app.listener_runner.listener_executor = pool
    app.listener_runner.lazy_listener_runner.executor = pool
