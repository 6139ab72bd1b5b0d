"""`madoguchi report`: totals, grouped unanswered questions, 👎 ranking, latency, JSON/CSV, drafts."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from faq.models import FaqEntry
from madoguchi.cli import main
from madoguchi.logbook import is_admin, store
from madoguchi.logbook.report import (
    NOT_ADMIN_TEXT,
    ReportError,
    latency_of,
    render_csv,
    render_summary_text,
    summary,
)
from madoguchi.logbook.suggest import TODO_ANSWER, cluster
from madoguchi.reply import Reply

IDS = itertools.count()
NOW = datetime.now(UTC)
TODAY = NOW.astimezone().date()

# Unanswered questions as staff type them: three groups of different size, one stray question.
PARKING = [
    "駐車場はありますか",
    "駐車場ある？",
    "駐車場の場所を教えて",
    "駐車場は無料ですか",
    "駐車場はありますか",
]
PASSWORD = ["パスワードを忘れた", "パスワード忘れました", "パスワードを忘れてしまった", "パスワードを忘れた"]
CARD = ["クレカで払える？", "クレジットカード払いはできますか", "クレカ払いできる？"]
STRAY = "担当者の変更届はどこに出すのか"
PRIVATE = "山田太郎様（090-1234-5678）から、領収書の宛名を変えたいと"


@pytest.fixture
def log_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "madoguchi.db"
    monkeypatch.setenv("MADOGUCHI_DB", str(path))
    for name in ("MADOGUCHI_LOG", "MADOGUCHI_LOG_DAYS", "MADOGUCHI_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    store.close()
    yield path
    store.close()


def record(text: str, kind: str = "unknown", *, days_ago: int = 0, ms: float = 20.0, **fields: object) -> str:
    answer_id = f"a{next(IDS)}"
    entry = str(fields.pop("entry", "slash"))
    reply = Reply(kind=kind, title="t", answer_id=answer_id, **fields)  # type: ignore[arg-type]
    store.record_answer(text, reply, entry=entry, seconds=ms / 1000, at=NOW - timedelta(days=days_ago))
    return answer_id


@pytest.fixture
def filled(log_db: Path) -> Path:
    for text in PARKING + PASSWORD + CARD + [STRAY, PRIVATE]:
        record(text, entry="mention")
    receipt = [record("領収書は出せますか", "faq", faq_id="hpki-receipt", score=0.9) for _ in range(3)]
    paid = record("いつから有料？", "faq", faq_id="hpki-paid-from", score=0.8, entry="dm")
    quotes = [record(f"/quote UT {n}", "quote", ms=5.0 + n) for n in range(1, 9)]
    record("古い未回答の質問です", days_ago=40)
    for n, answer_id in enumerate(receipt):
        store.record_feedback(answer_id, f"U{n}", "down", "宛名の変え方が書いてない" if n == 0 else None)
    store.record_feedback(receipt[0], "U9", "up")
    store.record_feedback(paid, "U1", "down")
    store.record_feedback(paid, "U2", "up")
    store.record_feedback(quotes[0], "U1", "up")
    assert store.flush()
    return log_db


def test_empty_or_missing_log(log_db: Path) -> None:
    report = summary()
    assert (report.total, report.unanswered, report.downvoted) == (0, (), ())
    assert "この期間の記録はありません" in render_summary_text(report)


def test_summary_totals_groups_votes_and_latency(filled: Path) -> None:
    report = summary()
    assert report.total == 27
    assert list(report.by_kind.items()) == [("unknown", 15), ("quote", 8), ("faq", 4)]  # most first
    assert list(report.by_entry.items()) == [("mention", 14), ("slash", 12), ("dm", 1)]
    assert report.unanswered_total == 15
    top = [(c.text, c.count) for c in report.unanswered[:3]]
    assert top == [("駐車場はありますか", 5), ("パスワードを忘れた", 4), ("クレカで払える？", 3)]
    assert set(report.unanswered[0].variants) == {
        "駐車場ある？",
        "駐車場の場所を教えて",
        "駐車場は無料ですか",
    }
    assert {c.count for c in report.unanswered[3:]} == {1}
    assert (report.votes_up, report.votes_down) == (3, 4)
    first, second = report.downvoted
    assert (first.faq_id, first.down, first.up, first.comments) == (
        "hpki-receipt",
        3,
        1,
        ("宛名の変え方が書いてない",),
    )
    assert first.question and "領収書" in first.question
    assert (second.faq_id, second.down, second.up) == ("hpki-paid-from", 1, 1)
    assert report.latency.count == 27 and report.latency.max_ms == 20.0
    assert report.latency.p50_ms == 20.0 and report.latency.p99_ms == 20.0


def test_since_and_retention_limit_the_period(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert summary(TODAY - timedelta(days=41)).total == 27
    assert summary(TODAY).total == 26
    monkeypatch.setenv("MADOGUCHI_LOG_DAYS", "30")
    assert summary(TODAY - timedelta(days=41)).total == 26  # past retention, even before it is purged


def test_latency_percentiles_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    lat = latency_of(values[::-1])
    assert (lat.count, lat.p50_ms, lat.p90_ms, lat.p99_ms, lat.max_ms) == (100, 50.0, 90.0, 99.0, 100.0)
    assert latency_of([7.0]).p99_ms == 7.0
    assert latency_of([]).p50_ms is None


def test_report_never_shows_personal_data(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["report"], ["report", "--json"], ["report", "--csv"], ["report", "--suggest"]):
        assert main(args) == 0
        out = capsys.readouterr().out
        for leak in ("山田", "太郎", "090-1234", "1234-5678"):
            assert leak not in out, (args, leak)
    assert "[氏名]様（[電話番号]）から、領収書の宛名を変えたいと" in json.dumps(
        summary().model_dump(mode="json"), ensure_ascii=False
    )


def test_cli_json_is_one_object(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--json", "--since", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert out.count("\n") == 1
    assert data["total"] == 26
    assert data["unanswered"][0] == {
        "text": "駐車場はありますか",
        "count": 5,
        "variants": data["unanswered"][0]["variants"],
        "last_day": TODAY.isoformat(),
    }
    assert all({"text", "count"} <= set(group) for group in data["unanswered"])
    assert data["downvoted"][0]["faq_id"] == "hpki-receipt"
    assert set(data["latency"]) == {"count", "p50_ms", "p90_ms", "p99_ms", "max_ms"}


def test_cli_since_days_uses_today(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--today", TODAY.isoformat(), "report", "--json", "--since", "7d"]) == 0
    assert json.loads(capsys.readouterr().out)["since"] == (TODAY - timedelta(days=6)).isoformat()
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--since", "last week"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["report", "--json", "--csv"])


def test_cli_csv_and_text(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"section", "item", "count", "detail"} == set(table[0])
    by = {(r["section"], r["item"]): r for r in table}
    assert by["total", "answers"]["count"] == "27"
    assert by["unanswered", "駐車場はありますか"]["count"] == "5"
    assert by["downvoted", "hpki-receipt"]["count"] == "3"
    assert main(["report"]) == 0
    text = capsys.readouterr().out
    assert "回答数: 27 件" in text and "未回答: 15 件" in text
    assert "1. 駐車場はありますか — 5 件" in text
    assert "👎 3 ／ 👍 1" in text and "「宛名の変え方が書いてない」" in text
    assert "メンション 14 ／ スラッシュコマンド 12 ／ DM 1" in text


def test_suggest_drafts_faq_entries(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--today", "2026-11-22", "report", "--suggest", "--limit", "3"]) == 0
    draft = capsys.readouterr().out
    entries = tomllib.loads(draft)["entries"]
    assert [e["question"] for e in entries] == [
        "駐車場はありますか",
        "パスワードを忘れた",
        "クレカで払える？",
    ]
    assert [e["id"] for e in entries] == ["draft-20261122-01", "draft-20261122-02", "draft-20261122-03"]
    assert all(e["answer"] == TODO_ANSWER and "source" not in e for e in entries)
    assert "駐車場の場所を教えて" in entries[0]["paraphrases"]
    # with a source filled in by a person, each draft is a valid FAQ entry
    source = {"doc": "hpki", "section": "1", "heading": "はじめに", "quote": ""}
    for entry in entries:
        FaqEntry.model_validate({**entry, "source": source})
    assert "# 未回答 5 件" in draft


def test_suggest_marks_what_a_person_must_add() -> None:
    from madoguchi.logbook.suggest import draft_entries

    draft = draft_entries(cluster([("駐車場", 2, date(2026, 11, 1))]), today=date(2026, 11, 22))
    assert "言い換えをあと 3 件以上追加" in draft and "4 文字以上" in draft
    assert tomllib.loads(draft)["entries"][0]["paraphrases"] == []
    assert "未回答の質問はありません" in draft_entries([], today=date(2026, 11, 22))


def test_clustering_keeps_different_questions_apart() -> None:
    groups = cluster(
        [
            (q, 1, None)
            for q in ["請求書を再発行してほしい", "インボイスの登録番号を教えて", "インボイス番号は？", STRAY]
        ]
    )
    assert sorted(g.count for g in groups) == [1, 1, 2]
    assert {g.text for g in groups if g.count == 2} <= {"インボイスの登録番号を教えて", "インボイス番号は？"}


def test_only_admins_see_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_ADMINS", " U01ADMIN, U02LEAD ,,")
    assert is_admin("U01ADMIN") and is_admin("U02LEAD")
    assert not is_admin("U03STAFF") and not is_admin("") and not is_admin(None) and not is_admin("u01admin")
    monkeypatch.delenv("MADOGUCHI_ADMINS")
    assert not is_admin("U01ADMIN")
    assert "管理者" in NOT_ADMIN_TEXT


def test_an_unreadable_log_is_reported_not_a_traceback(
    log_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReportError):
        summary()
    assert main(["report"]) == 1
    assert "inquiry log unreadable" in capsys.readouterr().err


def test_slack_rendering_escapes_mrkdwn(log_db: Path) -> None:
    record("<https://evil.example|ここ> & <b>請求書</b> の件")
    store.flush()
    text = render_summary_text(summary(), mrkdwn=True)
    assert "*madoguchi 利用状況*" in text
    assert "&lt;https://evil.example|ここ&gt; &amp; &lt;b&gt;" in text and "<b>" not in text
    assert all(len(block) < 3000 for block in text.split("\n\n"))
    assert render_csv(summary()).startswith("section,item,count,detail")
