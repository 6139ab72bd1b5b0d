"""A local WebSocket server standing in for Slack's Socket Mode endpoint (``websockets``, loopback).

The fake Web API's ``apps.connections.open`` hands out its ws:// URL. On connect it says ``hello``;
a test then sends envelopes (:meth:`send`) and waits for their acks (:meth:`wait_ack`).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from websockets.sync.server import ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self.paths: list[str] = []
        self._cond = threading.Condition()
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/link/?ticket=madoguchi-test"
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="fake-socket-mode", daemon=True
        )

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)

    def _handle(self, connection: ServerConnection) -> None:
        with self._cond:
            self.connections.append(connection)
            self.paths.append(connection.request.path if connection.request else "")
            self._cond.notify_all()
        connection.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0MADOGUCHI"}})
        )
        try:
            for message in connection:
                data = json.loads(message)
                with self._cond:
                    self.received.append(data)
                    self._cond.notify_all()
        except Exception:  # the client went away
            return

    def wait_connected(self, timeout: float = 5.0) -> ServerConnection:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.connections:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the Socket Mode client never connected")
                self._cond.wait(left)
            return self.connections[-1]

    def send(self, envelope: dict[str, Any]) -> None:
        self.wait_connected().send(json.dumps(envelope))

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for data in self.received:
                    if data.get("envelope_id") == envelope_id:
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id}; received {self.received}")
                self._cond.wait(left)
