"""A fake Slack Web API on 127.0.0.1 that records every call.

``POST /api/<method>`` answers like Slack (``auth.test``, ``chat.postMessage``,
``chat.postEphemeral``, ``views.publish``, ``views.open``, ``apps.connections.open``); ``POST /response/<id>``
stands in for response_url. Calls are recorded with their parsed bodies; :meth:`wait_for` blocks
until some have arrived. ``delays`` and ``failures`` per method let a test slow or break the API.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER_ID = "UBOTMADO1"
BOT_ID = "BBOTMADO1"
TEAM_ID = "TTEAM0001"


@dataclass
class Call:
    method: str
    """``chat.postMessage`` …, or ``response_url`` for posts to a response URL."""
    body: dict[str, Any]
    authorization: str | None
    path: str
    at: float = field(default_factory=time.monotonic)


class FakeSlackApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.history: list[Call] = []
        """Every call since the start (``calls`` is cleared between tests, this is not)."""
        self.delays: dict[str, float] = {}
        self.failures: dict[str, str] = {}
        self.socket_url: str | None = None
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-slack-api", daemon=True)

    # --- lifecycle ---

    def __enter__(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # --- recording ---

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} call(s) to {method}, got calls {seen}")
                self._cond.wait(left)
            return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        with self._cond:
            self.calls.clear()

    # --- answering ---

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        path = handler.path.split("?", 1)[0]
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type:
            body = json.loads(raw or b"{}")
        else:
            body = dict(parse_qsl(raw.decode()))
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
        if path.startswith("/response/"):
            method = "response_url"
        elif path.startswith("/api/"):
            method = path.removeprefix("/api/")
        else:
            method = "?" + path
        time.sleep(self.delays.get(method, 0.0))
        with self._cond:
            call = Call(method, body, handler.headers.get("Authorization"), path)
            self.calls.append(call)
            self.history.append(call)
            self._cond.notify_all()
        if method == "response_url":
            status, payload = (500, "error") if method in self.failures else (200, "ok")
            data = payload.encode()
            handler.send_response(status)
            handler.send_header("Content-Type", "text/plain")
        else:
            data = json.dumps(self._answer(method, body)).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method in self.failures:
            return {"ok": False, "error": self.failures[method]}
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://madoguchi-test.slack.com/",
                "team": "test",
                "user": "madoguchi",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": ts,
                "message": {"text": body.get("text")},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1", **(body.get("view") or {})}}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V2", **(body.get("view") or {})}}
        if method == "apps.connections.open":
            if self.socket_url is None:
                return {"ok": False, "error": "no_socket_server"}
            return {"ok": True, "url": self.socket_url}
        return {"ok": False, "error": "unknown_method"}
