"""The inquiry log's storage: one background writer per database file, so logging never blocks
or breaks answering.

``record_answer`` and ``record_feedback`` only put a small record on an in-memory queue (a few
microseconds); a daemon thread redacts it (:mod:`madoguchi.logbook.redact`) and commits it in
batches to the SQLite file of :func:`faq.paths.database_path` (tables ``log_answers``,
``log_feedback``, ``log_meta``). Nothing unredacted is ever written: redaction happens before the
row exists, and no warning of this module carries a question's text.

- WAL mode, ``synchronous=NORMAL``: a commit survives the process being killed (SIGKILL); only a
  power loss may lose the last commits. Each batch is one ``BEGIN IMMEDIATE`` transaction, so
  several threads and processes can write to one file (they wait up to ``BUSY_TIMEOUT`` for the
  lock).
- A locked, read-only, full, unopenable or vanished database costs one warning (at most one an
  hour), the records of that moment are dropped and counted, and answering goes on. A deleted or
  replaced file is noticed and reopened.
- Retention: rows older than ``MADOGUCHI_LOG_DAYS`` days (default 365) are deleted when the
  writer starts and once a day after. ``MADOGUCHI_LOG=off`` turns the log off.
- The voter of a 👍/👎 is stored as a keyed hash of the Slack user ID (the key is random, per
  database), enough to let a second click replace the first; the answers carry no user ID.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import os
import queue
import re
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlite_utils

from madoguchi.logbook.redact import LABELS, redact, redact_value

if TYPE_CHECKING:
    from madoguchi.reply import Reply

log = logging.getLogger("madoguchi.logbook")

ENV_SWITCH = "MADOGUCHI_LOG"
ENV_DAYS = "MADOGUCHI_LOG_DAYS"
DEFAULT_DAYS = 365
OFF_VALUES = frozenset({"off", "0", "false", "no", "disabled", "none"})

ANSWERS = "log_answers"
FEEDBACK = "log_feedback"
META = "log_meta"
SCHEMA_VERSION = "1"

BUSY_TIMEOUT = 10.0
"""Seconds a batch waits for another writer's lock (in the background thread, never in an answer)."""
QUEUE_LIMIT = 10_000
"""Records waiting for the writer; beyond this (a database stuck for minutes) new ones are dropped."""
BATCH_LIMIT = 500
PURGE_EVERY = 24 * 3600.0
WAKE_EVERY = 3600.0
WARN_EVERY = 3600.0
RETRY_AFTER = (1.0, 5.0, 30.0, 60.0)
"""Back-off (seconds) before reopening a database that could not be opened or written."""
EXIT_FLUSH = 3.0
"""At interpreter exit, wait at most this long for records still queued."""
COMMENT_LIMIT = 1000

Vote = Literal["up", "down"]
_VOTES: dict[object, int] = {
    "up": 1, "👍": 1, "+1": 1, "1": 1, "good": 1, "thumbsup": 1, 1: 1,
    "down": -1, "👎": -1, "-1": -1, "bad": -1, "thumbsdown": -1, -1: -1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """An answer as handed over by the router; unredacted, so it never leaves this process."""

    answer_id: str
    at: datetime
    text: str
    entry: str
    command: str | None
    kind: str
    faq_id: str | None
    score: float | None
    inputs: dict[str, Any]
    error_id: str | None
    seconds: float | None


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    answer_id: str
    user_id: str
    vote: int
    comment: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Status:
    """What a writer did so far (for health checks and tests)."""

    path: Path
    written: int
    dropped: int
    pending: int
    failing: bool


# --- settings -------------------------------------------------------------------------------------


def enabled() -> bool:
    """Off with ``MADOGUCHI_LOG=off``; also off inside a pytest test that did not choose a database
    (``MADOGUCHI_DB`` unset), so no test suite ever writes into the user's real data directory."""
    if os.environ.get(ENV_SWITCH, "").strip().lower() in OFF_VALUES:
        return False
    return not ("PYTEST_CURRENT_TEST" in os.environ and not os.environ.get("MADOGUCHI_DB"))


def retention_days() -> int:
    raw = os.environ.get(ENV_DAYS, "").strip()
    if not raw:
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        _warn_once(f"{ENV_DAYS}={raw!r} is not a whole number of days ≥ 1; keeping {DEFAULT_DAYS} days")
        return DEFAULT_DAYS
    return days


def cutoff(*, now: datetime | None = None) -> str:
    """The ``at`` value before which rows are past retention."""
    moment = (now or datetime.now(UTC)) - timedelta(days=retention_days())
    return _iso(moment)


@lru_cache(maxsize=8)
def _resolve(configured: str | None) -> Path:
    """``database_path()`` once per value of ``MADOGUCHI_DB`` (the argument is the cache key)."""
    from faq.paths import database_path

    return database_path()


def current_path() -> Path:
    from faq.paths import ENV

    return _resolve(os.environ.get(ENV))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """Text SQLite can store: a lone UTF-16 surrogate (JSON's ``"\\ud800"`` decodes to one; UTF-8
    cannot encode it) becomes U+FFFD, so one odd message never fails the batch it is written in."""
    return _SURROGATE.sub("\ufffd", text)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


_clock = time.monotonic
"""The writer's clock (a test moves it a day on)."""
_warned: dict[str, float] = {}


def _warn_once(message: str, *, key: str | None = None) -> None:
    """A warning at most once an hour per key (never per answer)."""
    now = _clock()
    key = key or message
    last = _warned.get(key)
    if last is None or now - last >= WARN_EVERY:
        _warned[key] = now
        log.warning("%s", message)
    else:
        log.debug("%s", message)


def _describe(error: BaseException) -> str:
    """An error without any data: sqlite's messages name the problem, never the values."""
    if isinstance(error, sqlite3.Error | OSError):
        return f"{type(error).__name__}: {error}"
    return type(error).__name__


# --- the database ---------------------------------------------------------------------------------


def open_database(path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> sqlite_utils.Database:
    """Open (creating if need be) the log database at ``path``: WAL, schema, retention key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        ensure_schema(db)
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return db


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """A write transaction that takes the lock first (``BEGIN IMMEDIATE``), so a busy database is
    waited for (busy timeout) instead of failing at once when another process wrote meanwhile."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ensure_schema(db: sqlite_utils.Database) -> None:
    if db.journal_mode != "wal":
        db.enable_wal()
    if {ANSWERS, FEEDBACK, META} <= set(db.table_names()):
        return
    with immediate(db):
        db[ANSWERS].create(  # type: ignore[union-attr]
            {
                "id": str,
                "at": str,
                "day": str,
                "entry": str,
                "command": str,
                "kind": str,
                "faq_id": str,
                "score": float,
                "inputs": str,
                "error_id": str,
                "latency_ms": float,
                "question": str,
                "redacted": str,
            },
            pk="id",
            not_null={"at", "day", "entry", "kind", "question"},
            if_not_exists=True,
        )
        db[FEEDBACK].create(  # type: ignore[union-attr]
            {"answer_id": str, "voter": str, "vote": int, "comment": str, "at": str, "day": str},
            pk=("answer_id", "voter"),
            not_null={"vote", "at", "day"},
            if_not_exists=True,
        )
        db[META].create({"key": str, "value": str}, pk="key", if_not_exists=True)  # type: ignore[union-attr]
        db[ANSWERS].create_index(["at"], if_not_exists=True)  # type: ignore[union-attr]
        db[ANSWERS].create_index(["day", "kind"], if_not_exists=True)  # type: ignore[union-attr]
        db[FEEDBACK].create_index(["at"], if_not_exists=True)  # type: ignore[union-attr]
        db.execute(
            f"INSERT OR IGNORE INTO {META} (key, value) VALUES ('schema_version', ?), ('voter_key', ?)",
            [SCHEMA_VERSION, secrets.token_hex(32)],
        )


def purge(db: sqlite_utils.Database, *, now: datetime | None = None) -> int:
    """Delete rows past retention; the number of answers deleted."""
    limit = cutoff(now=now)
    with immediate(db):
        deleted = db.execute(f"DELETE FROM {ANSWERS} WHERE at < ?", [limit]).rowcount
        db.execute(f"DELETE FROM {FEEDBACK} WHERE at < ?", [limit])
    return deleted


def _voter_key(db: sqlite_utils.Database) -> bytes:
    row = db.execute(f"SELECT value FROM {META} WHERE key = 'voter_key'").fetchone()
    return bytes.fromhex(row[0])


def _answer_row(record: AnswerRecord) -> tuple[Any, ...]:
    text = _storable(record.text)
    question = redact(text)
    found = sorted(name for name, label in LABELS.items() if label in question and label not in text)
    inputs = (
        _storable(json.dumps(redact_value(record.inputs), ensure_ascii=False, default=str))
        if record.inputs
        else None
    )
    local = record.at.astimezone()
    return (
        _storable(record.answer_id),
        _iso(record.at),
        local.date().isoformat(),
        _storable(record.entry[:40]),
        _storable(record.command[:40]) if record.command else None,
        record.kind,
        record.faq_id,
        record.score,
        inputs,
        record.error_id,
        round(record.seconds * 1000, 3) if record.seconds is not None else None,
        question,
        ",".join(found) or None,
    )


_INSERT_ANSWER = (
    f"INSERT OR IGNORE INTO {ANSWERS} (id, at, day, entry, command, kind, faq_id, score, inputs, error_id,"
    " latency_ms, question, redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_FEEDBACK = f"""
INSERT INTO {FEEDBACK} (answer_id, voter, vote, comment, at, day) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (answer_id, voter) DO UPDATE SET
    comment = CASE WHEN excluded.comment IS NULL AND excluded.vote = {FEEDBACK}.vote
                   THEN {FEEDBACK}.comment ELSE excluded.comment END,
    vote = excluded.vote, at = excluded.at, day = excluded.day
WHERE excluded.at >= {FEEDBACK}.at
"""


def write_batch(db: sqlite_utils.Database, records: list[AnswerRecord | FeedbackRecord]) -> None:
    """Redact and commit ``records`` in one transaction (all or nothing)."""
    answers = [_answer_row(r) for r in records if isinstance(r, AnswerRecord)]
    votes = [r for r in records if isinstance(r, FeedbackRecord)]
    feedback = []
    if votes:
        key = _voter_key(db)
        for vote in votes:
            voter = hmac.new(key, _storable(vote.user_id).encode(), hashlib.sha256).hexdigest()[:32]
            comment = (
                redact(_storable(vote.comment.strip()))[:COMMENT_LIMIT]
                if vote.comment and vote.comment.strip()
                else None
            )
            day = vote.at.astimezone().date().isoformat()
            feedback.append((_storable(vote.answer_id), voter, vote.vote, comment, _iso(vote.at), day))
    with immediate(db):
        if answers:
            db.conn.executemany(_INSERT_ANSWER, answers)
        if feedback:
            db.conn.executemany(_UPSERT_FEEDBACK, feedback)


# --- the writer -----------------------------------------------------------------------------------

_STOP = object()


class Writer:
    """The background thread that owns one database file's connection."""

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.configure: Callable[[sqlite_utils.Database], None] | None = None
        """Called on every new connection (tests use it to simulate a full disk)."""
        self._reset()

    def _reset(self) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=QUEUE_LIMIT)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self.written = 0
        self.dropped = 0
        self._pid = os.getpid()
        self._thread: threading.Thread | None = None
        self._db: sqlite_utils.Database | None = None
        self._identity: tuple[int, int] | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._failing = False
        self._last_purge: float | None = None

    # called from any thread ---------------------------------------------------------------------

    def submit(self, record: AnswerRecord | FeedbackRecord) -> None:
        if self._pid != os.getpid():  # forked: the parent's thread and queue are not ours
            self._reset()
        with self._lock:
            self._ensure_running()
            self._pending += 1
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._done(0, dropped=1)
            _warn_once(
                f"inquiry log: more than {QUEUE_LIMIT} records wait for {self.path}; dropping new ones"
            )

    def start(self) -> None:
        if self._pid != os.getpid():
            self._reset()
        with self._lock:
            self._ensure_running()

    def _ensure_running(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="madoguchi-logbook", daemon=True)
            self._thread.start()

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait until every record submitted so far is committed or dropped; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float = EXIT_FLUSH) -> None:
        thread = self._thread
        if thread is not None and thread.is_alive() and self._pid == os.getpid():
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                return
            thread.join(timeout)

    def status(self) -> Status:
        with self._lock:
            return Status(self.path, self.written, self.dropped, self._pending, self._failing)

    # the writer thread -----------------------------------------------------------------------------

    def _done(self, written: int, *, dropped: int = 0) -> None:
        with self._idle:
            self._pending -= written + dropped
            self.written += written
            self.dropped += dropped
            self._idle.notify_all()

    def _run(self) -> None:
        self._maybe_purge()
        while True:
            try:
                item = self._queue.get(timeout=WAKE_EVERY)
            except queue.Empty:
                self._maybe_purge()
                continue
            stop = item is _STOP
            batch: list[AnswerRecord | FeedbackRecord] = [] if stop else [item]  # type: ignore[list-item]
            while not stop and len(batch) < BATCH_LIMIT:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                else:
                    batch.append(more)  # type: ignore[arg-type]
            self._maybe_purge()  # before the batch: once flush() returns, a due purge is done too
            if batch:
                try:
                    self._write(batch)
                except Exception as error:  # a bug here must not leave flush() waiting forever
                    _warn_once(f"inquiry log: writer error ({_describe(error)})", key=f"bug:{self.path}")
                    self._drop(len(batch))
            if stop:
                self._close()
                return

    def _database(self) -> sqlite_utils.Database:
        if self._db is not None:
            try:
                stat = os.stat(self.path)
                same = (stat.st_dev, stat.st_ino) == self._identity
            except OSError:
                same = False
            if same:
                return self._db
            self._close()  # deleted or replaced under us: open the file that is there now
        db = open_database(self.path, busy_timeout=self.busy_timeout)
        try:
            if self.configure is not None:
                self.configure(db)
            stat = os.stat(self.path)
        except BaseException:
            db.conn.close()
            raise
        self._identity = (stat.st_dev, stat.st_ino)
        self._db = db
        return db

    def _close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.conn.close()
        self._db = None
        self._identity = None

    def _write(self, batch: list[AnswerRecord | FeedbackRecord]) -> None:
        if self._db is None and _clock() < self._retry_at:
            self._drop(len(batch))
            return
        try:
            write_batch(self._database(), batch)
        except Exception as error:
            self._fail(error)
            self._drop(len(batch))
            return
        if self._failing:
            log.info(
                "inquiry log: writing to %s again (%d records were not recorded)", self.path, self.dropped
            )
        self._failing = False
        self._failures = 0
        self._done(len(batch))

    def _fail(self, error: BaseException) -> None:
        self._close()
        locked = isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
        if not locked:
            self._retry_at = _clock() + RETRY_AFTER[min(self._failures, len(RETRY_AFTER) - 1)]
            self._failures += 1
        self._failing = True
        _warn_once(
            f"inquiry log: cannot write to {self.path} ({_describe(error)}); "
            "answers still go out but are not being recorded",
            key=f"write:{self.path}",
        )

    def _drop(self, count: int) -> None:
        self._done(0, dropped=count)

    def _maybe_purge(self, *, force: bool = False) -> None:
        now = _clock()
        if not force and self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        if self._db is None and now < self._retry_at:
            return
        self._last_purge = now
        try:
            deleted = purge(self._database())
        except Exception as error:
            self._fail(error)
            return
        if deleted:
            log.info("inquiry log: deleted %d answers older than %d days", deleted, retention_days())


# --- the module's API -------------------------------------------------------------------------------

_writers: dict[Path, Writer] = {}
_writers_lock = threading.Lock()
_exit_registered = False


def writer(path: Path | None = None) -> Writer:
    """The writer of ``path`` (default: the configured database), created on first use."""
    target = path or current_path()
    found = _writers.get(target)
    if found is not None:
        return found
    global _exit_registered
    with _writers_lock:
        if not _exit_registered:
            atexit.register(_at_exit)
            _exit_registered = True
        return _writers.setdefault(target, Writer(target))


def record_answer(
    text: str,
    reply: Reply,
    *,
    entry: str,
    command: str | None = None,
    user_id: str | None = None,
    seconds: float | None = None,
    at: datetime | None = None,
) -> None:
    """Log one answer (called by the router after every answer). Returns at once; never raises.

    The question is redacted before it is written; ``user_id`` is accepted but not stored.
    ``at`` (default now) is for imports and tests.
    """
    if not enabled():
        return
    try:
        record = AnswerRecord(
            answer_id=reply.answer_id or uuid.uuid4().hex,
            at=at or datetime.now(UTC),
            text=text if isinstance(text, str) else str(text),
            entry=entry or "unknown",
            command=command,
            kind=reply.kind,
            faq_id=reply.faq_id,
            score=reply.score,
            inputs=dict(reply.inputs),
            error_id=reply.error_id,
            seconds=seconds,
        )
        writer().submit(record)
    except Exception as error:
        _warn_once(f"inquiry log: an answer could not be queued ({_describe(error)})", key="record")


def normalise_vote(vote: object) -> int:
    """+1 for 👍 (``"up"``, ``"👍"``, ``1``…), -1 for 👎 (``"down"``, ``"👎"``, ``-1``…)."""
    key = vote.strip().lower() if isinstance(vote, str) else vote
    try:
        if not isinstance(key, bool):
            return _VOTES[key]
    except (KeyError, TypeError):
        pass
    raise ValueError(f"vote must be 'up' or 'down', got {vote!r}")


def record_feedback(
    answer_id: str,
    user_id: str,
    vote: Vote | str | int,
    comment: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Log a 👍/👎 (and the modal's optional comment) for an answer; returns at once.

    A later call by the same user on the same answer replaces the earlier one; a call without a
    comment that repeats the vote keeps the comment already given. The comment is redacted like a
    question. Raises ``ValueError`` only for a vote that is neither up nor down or an empty
    ``answer_id`` (a programming error); a storage problem never raises.
    """
    value = normalise_vote(vote)
    if not answer_id:
        raise ValueError("answer_id is empty")
    if not enabled():
        return
    try:
        record = FeedbackRecord(answer_id, user_id or "", value, comment, at or datetime.now(UTC))
        writer().submit(record)
    except Exception as error:
        _warn_once(f"inquiry log: feedback could not be queued ({_describe(error)})", key="feedback")


def start() -> None:
    """Open the log now (and purge old rows) rather than on the first answer; for the bot's start."""
    if enabled():
        writer().start()


def flush(timeout: float | None = 5.0) -> bool:
    """Wait until every record queued so far (all databases) is committed or dropped."""
    deadline = None if timeout is None else _clock() + timeout
    ok = True
    for w in list(_writers.values()):
        left = None if deadline is None else max(0.0, deadline - _clock())
        ok = w.flush(left) and ok
    return ok


def status(path: Path | None = None) -> Status:
    return writer(path).status()


def close(timeout: float = EXIT_FLUSH) -> None:
    """Flush and stop every writer (tests; interpreter exit)."""
    with _writers_lock:
        writers = list(_writers.values())
        _writers.clear()
    for w in writers:
        w.stop(timeout)


def _at_exit() -> None:
    drained = flush(EXIT_FLUSH)
    close(EXIT_FLUSH if drained else 0.2)


def open_for_reading(path: Path | None = None) -> sqlite_utils.Database | None:
    """The log database for reports, or ``None`` if it does not exist or holds no log yet."""
    target = path or current_path()
    if not target.exists():
        return None
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error:
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    if ANSWERS not in db.table_names():
        conn.close()
        return None
    return db
