"""A fake Slack Web API on 127.0.0.1 that records every call.

``POST /api/<method>`` answers like Slack (``auth.test``, ``chat.postMessage``,
``chat.postEphemeral``, ``views.publish``, ``views.open``, ``apps.connections.open``); ``POST /response/<id>``
stands in for response_url. Calls are recorded with their parsed bodies; :meth:`wait_for` blocks
until some have arrived. ``delays`` and ``failures`` per method let a test slow or break the API
(``failures``: Slack's ``{"ok": false}`` answers); :meth:`fail_next` queues HTTP-level faults for the
next calls of a method: 429 with Retry-After, 500, or a stall longer than the client's timeout.
``calls`` holds the calls that took effect, ``attempts`` every request including the faulted ones.
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


@dataclass(frozen=True)
class Fault:
    """What the fake does to one call instead of answering it normally."""

    status: int = 500
    """HTTP status of the answer (429, 500, 503 …; 200 with ``stall`` for a timeout)."""
    retry_after: int | None = None
    """The Retry-After header (seconds), for 429."""
    stall: float = 0.0
    """Seconds to wait before answering: longer than the client's timeout, the client times out."""
    processed: bool = False
    """Whether the call took effect (recorded in ``calls``) although the client saw a fault: a slow
    Slack that posted the message but answered after the client gave up."""


RATE_LIMITED = Fault(status=429, retry_after=1)
SERVER_ERROR = Fault(status=500)


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
        self.attempts: list[Call] = []
        """Every request, including those answered with a fault."""
        self.delays: dict[str, float] = {}
        self.failures: dict[str, str] = {}
        self.faults: dict[str, list[Fault]] = {}
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
            self.attempts.clear()
            self.faults.clear()

    def fail_next(self, method: str, *faults: Fault) -> None:
        """Answer the next ``len(faults)`` calls of ``method`` with these faults, in order."""
        with self._cond:
            self.faults.setdefault(method, []).extend(faults)

    def attempts_at(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.attempts if c.method == method]

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
            queued = self.faults.get(method)
            fault = queued.pop(0) if queued else None
            call = Call(method, body, handler.headers.get("Authorization"), path)
            self.attempts.append(call)
            if fault is None or fault.processed:
                self.calls.append(call)
                self.history.append(call)
            self._cond.notify_all()
        if fault is not None:
            time.sleep(fault.stall)
            if fault.status != 200 or not fault.processed:
                self._fault(handler, fault)
                return
        if method == "response_url":
            status, payload = (500, "error") if method in self.failures else (200, "ok")
            data = payload.encode()
            content_type = "text/plain"
        else:
            status, content_type = 200, "application/json; charset=utf-8"
            data = json.dumps(self._answer(method, body)).encode()
        self._send(handler, status, data, content_type)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        data: bytes,
        content_type: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            for name, value in (extra or {}).items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client gave up (timed out) before the answer
            handler.close_connection = True

    def _fault(self, handler: BaseHTTPRequestHandler, fault: Fault) -> None:
        error = {429: "ratelimited"}.get(fault.status, "internal_error")
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        data = json.dumps({"ok": False, "error": error}).encode()
        self._send(handler, fault.status, data, "application/json; charset=utf-8", extra)

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
