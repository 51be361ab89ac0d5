"""A stand-in for Slack's Socket Mode on 127.0.0.1: the Web API that hands out the URL, and the websocket.

Slack's Socket Mode works in two steps: the app calls ``apps.connections.open``
with its app-level token and gets a ``wss://`` URL; it connects there, Slack
says ``hello``, then sends envelopes (``slash_commands``, ``events_api``,
``interactive``), each of which the app acknowledges by sending back
``{"envelope_id": ...}`` on the same socket. Here the URL is ``ws://127.0.0.1:PORT``
(slack_sdk's built-in client speaks plain websocket to any port but 443).
"""

from __future__ import annotations

import json
import threading
import time
from itertools import count

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from standin import StandIn

HELLO = {"type": "hello", "num_connections": 1, "debug_info": {"host": "standin", "approximate_connection_time": 3600},
         "connection_info": {"app_id": "A0APP"}}


class SocketStandIn(StandIn):
    """The stand-in Web API of ``standin.py``, plus ``apps.connections.open`` and a websocket that sends envelopes."""

    def __init__(self):
        super().__init__()
        self.received: list[dict] = []  # what the app sent on the socket: its acks
        self.connections: list[ServerConnection] = []
        self._changed = threading.Condition()
        self._envelopes = count(1)
        self.socket = serve(self._session, "127.0.0.1", 0)
        self.socket_port = self.socket.socket.getsockname()[1]
        self.socket_thread = threading.Thread(target=self.socket.serve_forever, daemon=True)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.socket_port}/link/?ticket=standin"

    def start(self) -> "SocketStandIn":
        super().start()
        self.socket_thread.start()
        return self

    def stop(self) -> None:
        for connection in list(self.connections):
            connection.close()
        self.socket.shutdown()
        super().stop()

    def answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        status, headers, body = super().answer(method, params)
        if method == "apps.connections.open" and body.get("ok"):
            body = {**body, "url": self.ws_url}
        return status, headers, body

    # ------------------------------------------------------------ the socket

    def _session(self, connection: ServerConnection) -> None:
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        connection.send(json.dumps(HELLO))
        try:
            for message in connection:
                with self._changed:
                    self.received.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:  # slack_sdk's client may drop the TCP connection without a close frame
            pass

    def wait_connected(self, timeout: float = 5.0) -> ServerConnection:
        with self._changed:
            if not self._changed.wait_for(lambda: self.connections, timeout):
                raise AssertionError("the app never opened the websocket")
            return self.connections[-1]

    def send(self, kind: str, payload: dict, *, retry_attempt: int = 0, **extra) -> str:
        """Send one envelope on the app's socket; returns its envelope id."""
        envelope_id = f"env-{next(self._envelopes)}"
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api", **extra}
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""}
        self.wait_connected().send(json.dumps(envelope))
        return envelope_id

    def acks(self) -> list[str]:
        with self._changed:
            return [m["envelope_id"] for m in self.received if "envelope_id" in m]

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        """The app's acknowledgement of one envelope (with its payload, if it sent one)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [m for m in self.received if m.get("envelope_id") == envelope_id]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for {envelope_id}; acks so far: {self.acks()}")
                self._changed.wait(left)
