"""What listeners share: the day to answer for, the event de-duplication, the bot's own identity,
and the global middleware that drops events we must not answer (duplicates, bots, edits)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from slack_bolt.response import BoltResponse

from madoguchi.reply import Reply
from madoguchi.router import answer

log = logging.getLogger("madoguchi.bot")


class SeenSet:
    """A bounded, thread-safe set of recently seen keys (LRU by insertion, expiring after ``ttl`` s)."""

    def __init__(
        self, *, capacity: int = 10_000, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ):
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, *keys: str) -> bool:
        """Record ``keys``; True unless one of them was seen within the TTL."""
        now = self.clock()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now - self.ttl):
                self._seen.popitem(last=False)
            fresh = not any(key in self._seen for key in keys)
            for key in keys:
                self._seen[key] = now
                self._seen.move_to_end(key)
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return fresh

    def __len__(self) -> int:
        return len(self._seen)


class SharedSeenSet:
    """A :class:`SeenSet` shared by the processes of a pre-forked HTTP server (``bot.prefork``):
    Slack's retry of an event may reach another process than the first delivery did.

    A SQLite file (the parent's temporary file, gone when it exits) holds the keys; checking and
    recording happen in one write transaction, so two processes never both see a key as new. When
    the file fails, this process falls back to its own memory (one warning): a retry reaching the
    same process is still caught.
    """

    def __init__(self, path: Path, *, ttl: float = 3600.0, clock: Callable[[], float] = time.time):
        self.path = path
        self.ttl = ttl
        self.clock = clock
        self._local = threading.local()
        self._fallback = SeenSet(ttl=ttl)
        self._warned = False

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # a crash forgets keys, as the memory set would
            conn.execute("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS seen_at ON seen (at)")
            self._local.conn = conn
        return conn

    def first_time(self, *keys: str) -> bool:
        """Record ``keys``; True unless one of them was seen within the TTL, by any process."""
        if not keys:
            return True
        now = self.clock()
        try:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM seen WHERE at < ?", (now - self.ttl,))
                marks = ",".join("?" * len(keys))
                fresh = (
                    conn.execute(f"SELECT 1 FROM seen WHERE key IN ({marks}) LIMIT 1", keys).fetchone()
                    is None
                )
                conn.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?)", [(key, now) for key in keys])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            if not self._warned:
                self._warned = True
                log.warning(
                    "event de-duplication file %s failed (%s): this process remembers alone", self.path, error
                )
            return self._fallback.first_time(*keys)
        self._fallback.first_time(*keys)
        return fresh


@dataclass
class Runtime:
    """Handed to every listener through Bolt's ``context["runtime"]``."""

    today: date | None = None
    """Answer as if today were this day (tests, ``madoguchi --today``); None: the real today."""
    seen: SeenSet | SharedSeenSet = field(default_factory=SeenSet)

    def __deepcopy__(self, memo: dict[int, object]) -> Runtime:
        # Bolt deep-copies the context for lazy listeners; the runtime is shared, not copied.
        return self

    def answer(
        self,
        text: str,
        *,
        day: date | None = None,
        entry: str = "slack",
        command: str | None = None,
        user_id: str | None = None,
    ) -> tuple[Reply, date]:
        """The router's reply and the day it was computed for (``day``, else today). ``entry``
        (slash, mention, dm, share), ``command`` and ``user_id`` go to the inquiry log."""
        day = day or self.today or date.today()
        return answer(text, today=day, entry=entry, command=command, user_id=user_id), day


_PLAIN_MESSAGE_SUBTYPES = {None, "file_share", "thread_broadcast"}
_OK = 200


def _event_keys(body: dict[str, Any]) -> tuple[str, ...]:
    event = body.get("event") or {}
    keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
    if event.get("type") in {"message", "app_mention"} and event.get("channel") and event.get("ts"):
        # A DM that also mentions the bot can arrive as two events: one message, one reply.
        keys.append(f"message:{event['channel']}:{event['ts']}")
    return tuple(keys)


def from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or event.get("bot_profile")
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def make_gate(runtime: Runtime) -> Callable[..., BoltResponse | None]:
    """The global middleware: put the runtime in the context; ack and drop events from bots,
    edits and other message subtypes, and events already handled (Slack's retries)."""

    def gate(
        body: dict[str, Any],
        context: dict[str, Any],
        request: Any,
        response: BoltResponse | None,
        next: Callable[[], None],
    ) -> BoltResponse | None:
        context["runtime"] = runtime
        if body.get("type") == "event_callback":
            event = body.get("event") or {}
            retry = (request.headers.get("x-slack-retry-num") or [None])[0]
            if event.get("type") in {"message", "app_mention"}:
                if from_a_bot(event, context.get("bot_user_id")):
                    return BoltResponse(status=_OK, body="")
                if event.get("type") == "message" and event.get("subtype") not in _PLAIN_MESSAGE_SUBTYPES:
                    return BoltResponse(status=_OK, body="")
            if not runtime.seen.first_time(*_event_keys(body)):
                log.info("duplicate event %s (retry %s) ignored", body.get("event_id"), retry)
                return BoltResponse(status=_OK, body="")
            if retry is not None:
                log.info("retry %s of event %s, not seen before: handling it", retry, body.get("event_id"))
        next()
        return response  # keep Bolt's default 200 for requests no listener takes

    return gate
