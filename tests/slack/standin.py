"""A stand-in Slack Web API on 127.0.0.1: records every call, answers like Slack, can rate-limit once.

File uploads follow ``files_upload_v2``: ``files.getUploadURLExternal`` hands out an
upload URL on this server, the bytes POSTed there are kept in ``uploads`` (file id ->
bytes), and ``files.completeUploadExternal`` shares them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def sign(body: str, timestamp: str, secret: str) -> str:
    """Slack's request signature (``X-Slack-Signature``) over the timestamp and the exact body bytes."""
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Call:
    method: str
    params: dict


class StandIn:
    def __init__(self):
        self.calls: list[Call] = []
        self.rate_limited: set[str] = set()
        self.failing: dict[str, str] = {}
        self.missing_channels: set[str] = set()  # chat.postMessage there answers channel_not_found
        self.locales: dict[str, str] = {}  # users.info locale per user id (default en-US)
        self.uploads: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._ts = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def start(self) -> "StandIn":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def rate_limit_once(self, method: str) -> None:
        self.rate_limited.add(method)

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} {method} call(s), got {len(self.of(method))}: {self.calls}")

    def answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        with self._lock:
            self.calls.append(Call(method, params))
            if method in self.rate_limited:
                self.rate_limited.discard(method)
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
        if method in self.failing:
            return 200, {}, {"ok": False, "error": self.failing[method]}
        if method == "chat.postMessage" and params.get("channel") in self.missing_channels:
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        bodies = {
            "auth.test": {"user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0TEAM", "user": "leeway"},
            "chat.postMessage": {"channel": params.get("channel"), "ts": ts},
            "chat.postEphemeral": {"message_ts": ts},
            "chat.update": {"channel": params.get("channel"), "ts": params.get("ts")},
            "views.open": {"view": {"id": f"V{self._ts}"}},
            "views.publish": {"view": {"id": f"V{self._ts}"}},
            "conversations.open": {"channel": {"id": f"D{params.get('users', 'X')}"}},
            "users.info": {"user": {"id": params.get("user"), "locale": self.locales.get(params.get("user"), "en-US")}},
            "files.getUploadURLExternal": {"file_id": f"F{self._ts}", "upload_url": f"http://127.0.0.1:{self.port}/upload/F{self._ts}"},
            "files.completeUploadExternal": {"files": [{"id": f["id"], "title": f.get("title")}
                                                       for f in _files(params.get("files"))]},
        }
        return 200, {}, {"ok": True, **bodies.get(method, {})}

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/upload/"):
                    return self._uploaded(self.path.removeprefix("/upload/"), data)
                raw = data.decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path.startswith("/respond/"):
                    status, headers, body = standin.answer("respond", params)
                else:
                    status, headers, body = standin.answer(self.path.removeprefix("/api/"), params)
                payload = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _uploaded(self, file_id: str, data: bytes):
                with standin._lock:
                    standin.uploads[file_id] = data
                standin.answer("upload", {"file_id": file_id, "size": len(data)})
                payload = f"OK - {len(data)}".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler


def _files(value) -> list[dict]:
    """``files`` arrives as JSON text in a form post, or as a list in a JSON body."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return list(value or [])


def buttons(blocks: list[dict]) -> dict[str, dict]:
    """action_id -> button, over every actions block of a message."""
    found = {}
    for block in blocks or []:
        if block.get("type") == "actions":
            for element in block["elements"]:
                found[element["action_id"]] = element
    return found


def text_of(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def accessories(blocks: list[dict]) -> list[dict]:
    """The buttons beside section text (one per line of a list, so several may share an action_id)."""
    return [block["accessory"] for block in blocks or [] if block.get("type") == "section" and block.get("accessory")]
