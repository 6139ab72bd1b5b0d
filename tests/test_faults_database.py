"""The database deleted, unwritable or corrupt, at start and while serving.

madoguchi keeps two SQLite files: the inquiry log (``MADOGUCHI_DB``) and the FAQ index beside it.
Whatever happens to them, the calculators answer, the FAQ answers (its index rebuilt, or built in a
temporary folder when its own cannot be written), and each fault is one clear warning, not one per
answer.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from slack_fakes.harness import BotServer, SlackClient
from slack_fakes.web_api import FakeSlackApi

from faq import index, search
from faq.paths import index_path
from madoguchi import logbook
from madoguchi.logbook import store
from madoguchi.router import answer

TODAY = date(2026, 11, 22)
GARBAGE = b"this is not an SQLite database \x00\xff" * 300
ASKED = {
    "/quote UT 3": "quote",
    "/prorate ids=15": "proration",
    "/hpki 病院 399床": "hpki_fee",
    "コンビニ払いの手数料は？": "faq",
    "/faq 第22条": "faq",
}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[Path]:
    """A fresh MADOGUCHI_DB, nothing open yet; afterwards the session's database again."""
    path = tmp_path / "data" / "madoguchi.db"
    monkeypatch.setenv("MADOGUCHI_DB", str(path))
    monkeypatch.delenv("MADOGUCHI_LOG", raising=False)
    monkeypatch.setattr(search, "CHECK_EVERY", 0.0)  # look at the index file on every question
    _forget()
    caplog.set_level(logging.INFO, logger="madoguchi")
    yield path
    _forget()


def _forget() -> None:
    store.close()
    store._warned.clear()
    search.reset()


def answers_still_go_out(rounds: int = 1) -> None:
    for _ in range(rounds):
        for text, kind in ASKED.items():
            reply = answer(text, today=TODAY, entry="ask")
            assert reply.kind == kind and reply.error_id is None, (text, reply.text)


def warnings(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name.startswith(logger) and r.levelno >= logging.WARNING
    ]


def logged(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {store.ANSWERS}").fetchone()[0]
    finally:
        conn.close()


def files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + "*")) + sorted(path.parent.glob(path.stem + ".faq-index.db*"))


# --- at start ------------------------------------------------------------------------------------


def test_no_database_yet_everything_is_created_quietly(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert not db.parent.exists()
    answers_still_go_out()
    assert logbook.flush()
    assert logged(db) == len(ASKED) and index.is_current(index_path())
    assert warnings(caplog, "madoguchi") == []


def test_unwritable_folder_at_start_faq_built_elsewhere_one_warning_each(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
    db: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MADOGUCHI_DB", str(blocker / "madoguchi.db"))  # unwritable even for root
    fallback = index.fallback_path(index_path())
    request.addfinalizer(lambda: fallback.unlink(missing_ok=True))
    answers_still_go_out(3)
    assert logbook.flush()
    faq_warnings = warnings(caplog, "madoguchi.faq")
    assert len(faq_warnings) == 1 and "cannot be written there" in faq_warnings[0]
    assert str(index.fallback_path(index_path())) in faq_warnings[0]
    assert len(warnings(caplog, "madoguchi.logbook")) == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder_at_start(
    db: Path, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    fallback = index.fallback_path(index_path())
    request.addfinalizer(lambda: fallback.unlink(missing_ok=True))
    db.parent.mkdir()
    db.parent.chmod(0o555)
    try:
        answers_still_go_out(3)
        assert logbook.flush()
    finally:
        db.parent.chmod(0o755)
    assert len(warnings(caplog, "madoguchi.faq")) == 1
    assert len(warnings(caplog, "madoguchi.logbook")) == 1


def test_corrupt_files_at_start_index_rebuilt_one_warning_each(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db.parent.mkdir()
    db.write_bytes(GARBAGE)
    index_path().write_bytes(GARBAGE)
    answers_still_go_out(3)
    assert logbook.flush()
    assert index.is_current(index_path())  # rebuilt in its place
    faq_warnings = warnings(caplog, "madoguchi.faq")
    assert len(faq_warnings) == 1 and "stale or unreadable: rebuilt" in faq_warnings[0]
    log_warnings = warnings(caplog, "madoguchi.logbook")
    assert len(log_warnings) == 1 and "not a database" in log_warnings[0]


def test_a_path_with_uri_characters_keeps_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, db: Path
) -> None:
    odd = tmp_path / "odd#folder?x=1%20" / "madoguchi.db"
    monkeypatch.setenv("MADOGUCHI_DB", str(odd))
    answers_still_go_out()
    search.reset()  # a restart: the index built the first time is current and used as it is
    answers_still_go_out()
    assert index.is_current(index_path()) and index_path().parent == odd.parent
    assert warnings(caplog, "madoguchi") == []


def test_corrupt_files_at_start_of_the_slack_app(db: Path) -> None:
    db.parent.mkdir()
    db.write_bytes(GARBAGE)
    index_path().write_bytes(GARBAGE)
    with FakeSlackApi() as api, BotServer(api, today=TODAY) as server:
        slack = SlackClient(server.url)
        for command, text in (
            ("/quote", "UT 3"),
            ("/prorate", "ids=15"),
            ("/faq", "コンビニ払いの手数料は？"),
        ):
            reply = slack.command(command, text)
            assert reply.status == 200 and "エラーID" not in reply.body.decode(), reply.body[:300]


# --- while serving -------------------------------------------------------------------------------


def test_deleted_while_serving_index_rebuilt_log_reopened(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    answers_still_go_out()
    assert logbook.flush()
    for file in files(db):
        file.unlink()
    answers_still_go_out(3)
    assert logbook.flush()
    assert index.is_current(index_path()) and logged(db) == 3 * len(ASKED)
    faq_warnings = warnings(caplog, "madoguchi.faq")
    assert len(faq_warnings) == 1 and "removed while in use: rebuilt" in faq_warnings[0]
    assert warnings(caplog, "madoguchi.logbook") == []


def test_index_corrupted_in_place_while_serving_is_rebuilt(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    answers_still_go_out()
    target = index_path()
    size = target.stat().st_size
    with open(target, "r+b") as file:  # the same file, its pages overwritten under the open index
        file.write((GARBAGE * (size // len(GARBAGE) + 1))[:size])
    answers_still_go_out(3)
    assert index.is_current(target)
    faq_warnings = warnings(caplog, "madoguchi.faq")
    assert len(faq_warnings) == 1 and "unreadable" in faq_warnings[0] and "rebuilt" in faq_warnings[0]


def test_log_corrupted_in_place_while_serving_costs_one_warning(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    answers_still_go_out()
    assert logbook.flush()
    store.close()  # as after a restart of the writer: it opens the file as it is now
    for file in db.parent.glob(db.name + "-*"):
        file.unlink()
    db.write_bytes(GARBAGE)
    answers_still_go_out(5)
    assert logbook.flush()
    log_warnings = warnings(caplog, "madoguchi.logbook")
    assert len(log_warnings) == 1 and "not a database" in log_warnings[0]
    assert warnings(caplog, "madoguchi.faq") == []


def test_folder_unwritable_while_serving_and_index_then_corrupt(
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    fallback = index.fallback_path(index_path())
    request.addfinalizer(lambda: fallback.unlink(missing_ok=True))
    answers_still_go_out()
    assert logbook.flush()
    real_build = index.build

    def read_only_folder(path: Path | None = None, **kwargs: object) -> Path:
        if path is not None and path.parent == db.parent:
            raise PermissionError(13, "Permission denied", str(path.parent))
        return real_build(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "build", read_only_folder)
    store.writer().configure = lambda conn: conn.execute("PRAGMA query_only = ON")
    store.writer()._close()  # the writer reconnects, to a database it can no longer write
    index_path().write_bytes(GARBAGE)
    answers_still_go_out(3)
    assert logbook.flush()
    faq_warnings = warnings(caplog, "madoguchi.faq")
    assert len(faq_warnings) == 1 and "cannot be written there" in faq_warnings[0]
    assert len(warnings(caplog, "madoguchi.logbook")) == 1
