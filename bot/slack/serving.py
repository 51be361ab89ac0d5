"""Serving the app: Socket Mode (no public URL) or HTTP on waitress, a production WSGI server.

HTTP serves Slack's Events API, slash commands and interactivity at
``POST /slack/events`` through Bolt's WSGI adapter.
"""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.app import LISTENER_THREADS

EVENTS_PATH = "/slack/events"


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

    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="leeway")


def socket_mode(app: App, app_token: str):
    """Bolt's Socket Mode handler over slack_sdk's built-in websocket client (call ``.start()``)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token, concurrency=LISTENER_THREADS)
