"""The inquiry log's storage: what a row holds, feedback, retention, and degrading to one warning."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from madoguchi import logbook
from madoguchi.logbook import store
from madoguchi.reply import Reply
from madoguchi.router import answer

SECRET = "山田太郎様（090-1234-5678、taro@example.jp）から、HPKIの利用料はいつ払うのかと問い合わせ"
LEAKS = ("山田", "太郎", "090-1234", "1234-5678", "taro@", "example.jp")


@pytest.fixture
def log_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "data" / "madoguchi.db"
    monkeypatch.setenv("MADOGUCHI_DB", str(path))
    for name in ("MADOGUCHI_LOG", "MADOGUCHI_LOG_DAYS", "MADOGUCHI_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    store.close()
    store._warned.clear()
    yield path
    store.close()
    store._warned.clear()


def reply(kind: str = "faq", **fields: object) -> Reply:
    return Reply(kind=kind, title="t", answer_id=fields.pop("answer_id", None) or None, **fields)  # type: ignore[arg-type]


def rows(path: Path, table: str = store.ANSWERS) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY at")]
    finally:
        conn.close()


def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("madoguchi") and r.levelno >= logging.WARNING]


def test_router_answers_are_logged_redacted(log_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    quote = answer("/quote UT 3", entry="slash", command="/quote", user_id="U0123")
    asked = answer(SECRET, entry="mention", user_id="U0123")
    assert logbook.flush()
    logged = {r["id"]: r for r in rows(log_db)}
    assert set(logged) == {quote.answer_id, asked.answer_id}
    first = logged[quote.answer_id]
    assert (first["entry"], first["command"], first["kind"], first["question"]) == (
        "slash",
        "/quote",
        "quote",
        "/quote UT 3",
    )
    assert '"UT"' in first["inputs"] and first["latency_ms"] > 0
    second = logged[asked.answer_id]
    assert second["entry"] == "mention" and second["kind"] == asked.kind
    assert second["question"].startswith("[氏名]様（[電話番号]、[メールアドレス]）から")
    assert second["redacted"] == "email,name,phone"
    # nothing unredacted on disk (database, WAL) nor in any log record
    for file in log_db.parent.glob("madoguchi.db*"):
        raw = file.read_bytes()
        for leak in LEAKS:
            assert leak.encode() not in raw, (file.name, leak)
    for record in caplog.records:
        for leak in LEAKS:
            assert leak not in record.getMessage() and leak not in (record.exc_text or "")
    # the user ID is not kept with answers
    assert all("U0123" not in str(v) for r in rows(log_db) for v in r.values())


def test_log_off_writes_nothing(log_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_LOG", "off")
    store.record_answer("領収書は出せますか", reply(answer_id="a1"), entry="ask")
    store.record_feedback("a1", "U1", "up")
    assert logbook.flush()
    assert not log_db.exists()


def test_tests_without_a_database_of_their_own_log_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MADOGUCHI_DB", raising=False)
    assert not store.enabled()  # inside pytest: never the user's real data directory
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert store.enabled()


def test_second_click_replaces_the_first(log_db: Path) -> None:
    store.record_answer("領収書は出せますか", reply(answer_id="a1", faq_id="hpki-receipt"), entry="slash")
    logbook.record_feedback("a1", "U1", "up")
    logbook.record_feedback("a1", "U1", "down")
    logbook.record_feedback("a1", "U1", "down", "金額が古いです。鈴木様 03-9876-5432 に連絡済み")
    logbook.record_feedback("a1", "U1", "down")  # the button again: the comment stays
    logbook.record_feedback("a1", "U2", "👍")
    assert logbook.flush()
    votes = {r["voter"]: r for r in rows(log_db, store.FEEDBACK)}
    assert len(votes) == 2
    down = next(r for r in votes.values() if r["vote"] == -1)
    assert down["comment"] == "金額が古いです。[氏名]様 [電話番号] に連絡済み"
    assert "U1" not in down["voter"] and len(down["voter"]) == 32
    logbook.record_feedback("a1", "U1", "up")  # a changed vote clears the old vote's comment
    assert logbook.flush()
    assert sorted((r["vote"], r["comment"]) for r in rows(log_db, store.FEEDBACK)) == [(1, None), (1, None)]


@pytest.mark.parametrize("vote", ["meh", "", 0, 2, True, None])
def test_a_vote_must_be_up_or_down(vote: object) -> None:
    with pytest.raises(ValueError, match="up"):
        logbook.record_feedback("a1", "U1", vote)  # type: ignore[arg-type]


def test_retention_purges_at_start_and_daily(log_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_LOG_DAYS", "30")
    now = datetime.now(UTC)
    store.record_answer("古い質問", reply(answer_id="old"), entry="ask", at=now - timedelta(days=31))
    store.record_answer(
        "境目の質問", reply(answer_id="edge"), entry="ask", at=now - timedelta(days=29, hours=23)
    )
    store.record_answer("新しい質問", reply(answer_id="new"), entry="ask", at=now)
    store.record_feedback("old", "U1", "down", at=now - timedelta(days=31))
    assert logbook.flush()
    assert {r["id"] for r in rows(log_db)} == {"old", "edge", "new"}  # written after this writer's start
    store.close()
    store.record_answer("次の質問", reply(answer_id="next"), entry="ask")  # a new start purges
    assert logbook.flush()
    assert {r["id"] for r in rows(log_db)} == {"edge", "new", "next"}
    assert rows(log_db, store.FEEDBACK) == []
    # a day later (same process): "edge" is now past 30 days and goes too
    writer = store.writer()
    later = datetime.now(UTC) + timedelta(days=1)
    monkeypatch.setattr(store, "cutoff", lambda now=None: store._iso(later - timedelta(days=30)))
    monkeypatch.setattr(store, "_clock", lambda: writer._last_purge + store.PURGE_EVERY + 1)
    store.record_answer("翌日の質問", reply(answer_id="day2"), entry="ask")
    assert logbook.flush()
    assert {r["id"] for r in rows(log_db)} == {"new", "next", "day2"}


def test_bad_retention_setting_keeps_the_default(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store._warned.clear()
    monkeypatch.setenv("MADOGUCHI_LOG_DAYS", "ten")
    assert store.retention_days() == store.DEFAULT_DAYS
    monkeypatch.setenv("MADOGUCHI_LOG_DAYS", "0")
    assert store.retention_days() == store.DEFAULT_DAYS
    monkeypatch.setenv("MADOGUCHI_LOG_DAYS", "90")
    assert store.retention_days() == 90
    assert len(warnings(caplog)) == 2


# --- degrading: one warning, the answer still goes out ------------------------------------------------


def _answers_still_go_out(count: int = 30) -> list[Reply]:
    replies = [answer(f"/quote UT {n % 9 + 1}", entry="slash", command="/quote") for n in range(count)]
    assert all(r.kind == "quote" and r.answer_id for r in replies)
    return replies


def test_locked_database_costs_one_warning(log_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    store.record_answer("最初の質問", reply(answer_id="first"), entry="ask")
    assert logbook.flush()
    store.close()  # reopen with a short busy timeout
    store.writer().busy_timeout = 0.05
    holder = sqlite3.connect(log_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        _answers_still_go_out()
        assert logbook.flush(10)
        status = logbook.status()
        assert status.dropped == 30 and status.failing
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(warnings(caplog)) == 1
    assert "locked" in warnings(caplog)[0].getMessage()
    _answers_still_go_out(3)  # the lock is gone: writing resumes
    assert logbook.flush()
    assert len(rows(log_db)) == 4 and len(warnings(caplog)) == 1


def test_read_only_database_costs_one_warning(log_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    store.record_answer("最初の質問", reply(answer_id="first"), entry="ask")
    assert logbook.flush()
    store.close()
    store.writer().configure = lambda db: db.execute("PRAGMA query_only = ON")
    _answers_still_go_out()
    assert logbook.flush()
    assert logbook.status().dropped == 30
    assert len(warnings(caplog)) == 1 and "readonly" in warnings(caplog)[0].getMessage()
    assert len(rows(log_db)) == 1


def test_full_database_costs_one_warning(log_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    store.record_answer("最初の質問", reply(answer_id="first"), entry="ask")
    assert logbook.flush()
    store.close()

    def fill(db: object) -> None:
        pages = db.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        db.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    store.writer().configure = fill
    for n in range(40):
        store.record_answer("領収書の再発行について" * 40 + str(n), reply(), entry="ask")
    _answers_still_go_out(5)
    assert logbook.flush()
    assert logbook.status().dropped > 0
    assert len(warnings(caplog)) == 1 and "full" in warnings(caplog)[0].getMessage()
    assert sqlite3.connect(log_db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_unopenable_database_costs_one_warning(
    tmp_path: Path, log_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("MADOGUCHI_DB", str(blocker / "madoguchi.db"))
    _answers_still_go_out()
    assert logbook.flush()
    assert len(warnings(caplog)) == 1


def test_missing_database_is_created_and_a_vanished_one_reopened(
    log_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert not log_db.parent.exists()
    store.record_answer("最初の質問", reply(answer_id="first"), entry="ask")
    assert logbook.flush()
    assert [r["id"] for r in rows(log_db)] == ["first"]
    for file in log_db.parent.glob("madoguchi.db*"):
        file.unlink()
    store.record_answer("次の質問", reply(answer_id="second"), entry="ask")
    assert logbook.flush()
    assert [r["id"] for r in rows(log_db)] == ["second"]
    assert warnings(caplog) == []


def test_a_failing_log_never_reaches_the_answer(
    log_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(path: object = None) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "writer", broken)
    replies = _answers_still_go_out(10)
    assert len(replies) == 10
    assert len(warnings(caplog)) == 1
