"""The inquiry log's summary: what staff ask, where madoguchi fails, how fast it answers.

``summary(since)`` reads the log (read-only) into a frozen :class:`Report`; it renders as
Japanese text for the console and Slack (``render_summary_text``), as one JSON object
(``report.model_dump(mode="json")``) and as CSV (``render_csv``). ``/madoguchi stats`` is for the
Slack user IDs in ``MADOGUCHI_ADMINS`` only (:func:`is_admin`); everyone else gets
``NOT_ADMIN_TEXT`` and nothing else.

Every question in the log was redacted before it was written, so nothing here can show more.
Rows past retention (``MADOGUCHI_LOG_DAYS``) are left out even if not purged yet.
"""

from __future__ import annotations

import csv
import io
import math
import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field

from calculators.common import Frozen
from madoguchi.logbook import store
from madoguchi.logbook.suggest import Cluster, cluster

ENV_ADMINS = "MADOGUCHI_ADMINS"
NOT_ADMIN_TEXT = "申し訳ありません。利用状況の集計は管理者の方のみご覧いただけます。"
MAX_QUESTIONS = 5000
"""Unanswered questions grouped per report (the most recent distinct ones)."""

KIND_LABELS = {
    "quote": "媒体の見積もり",
    "hpki_fee": "HPKI 利用料",
    "hpki_deadline": "HPKI 支払期限",
    "proration": "月額・日割り",
    "late_interest": "延滞利息",
    "outage_credit": "障害時の減額",
    "surcharge": "割増金",
    "faq": "FAQ",
    "help": "使い方",
    "unknown": "未回答",
    "error": "入力エラー",
}
ENTRY_LABELS = {
    "slash": "スラッシュコマンド",
    "mention": "メンション",
    "dm": "DM",
    "console": "コンソール",
    "ask": "madoguchi ask",
}


class ReportError(Exception):
    """利用状況の記録を読み込めませんでした。しばらくしてからもう一度お試しください。"""


class Latency(Frozen):
    """Time to answer, in milliseconds (nearest-rank percentiles); ``None`` when nothing was timed."""

    count: int = 0
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None


class Rated(Frozen):
    """Votes on the answers of one FAQ entry (``faq_id``), or of one calculator kind."""

    faq_id: str | None
    kind: str
    question: str | None = None
    down: int = Field(ge=0)
    up: int = Field(ge=0)
    comments: tuple[str, ...] = ()
    """The latest 👎 comments (redacted), newest first."""


class Report(Frozen):
    since: date | None
    generated_at: datetime
    retention_days: int
    first_day: date | None = None
    last_day: date | None = None
    total: int = 0
    """Answers in the period."""
    by_kind: dict[str, int] = Field(default_factory=dict)
    """Answers per reply kind, most first."""
    by_entry: dict[str, int] = Field(default_factory=dict)
    """Answers per entry point (slash, mention, dm, console, ask), most first."""
    unanswered_total: int = 0
    unanswered: tuple[Cluster, ...] = ()
    """Unanswered (``unknown``) questions grouped by similarity, most asked first."""
    votes_up: int = 0
    votes_down: int = 0
    downvoted: tuple[Rated, ...] = ()
    """FAQ entries (and calculators) with a 👎, most 👎 first."""
    latency: Latency = Latency()


def admins() -> frozenset[str]:
    raw = os.environ.get(ENV_ADMINS, "")
    return frozenset(part.strip() for part in raw.replace("\n", ",").split(",") if part.strip())


def is_admin(user_id: str | None) -> bool:
    """Whether ``user_id`` is listed in ``MADOGUCHI_ADMINS`` (comma-separated Slack user IDs)."""
    return bool(user_id) and user_id.strip() in admins()  # type: ignore[union-attr]


def _percentile(ordered: list[float], p: float) -> float:
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def latency_of(values: list[float]) -> Latency:
    ordered = sorted(values)
    if not ordered:
        return Latency()
    return Latency(
        count=len(ordered),
        p50_ms=_percentile(ordered, 50),
        p90_ms=_percentile(ordered, 90),
        p99_ms=_percentile(ordered, 99),
        max_ms=round(ordered[-1], 1),
    )


def _faq_questions() -> dict[str, str]:
    try:
        from faq.models import load_entries

        return {entry.id: entry.question for entry in load_entries()}
    except Exception:  # the FAQ data is another package's; the report works without it
        return {}


def summary(
    since: date | None = None, *, path: Path | None = None, top: int = 20, comments: int = 3
) -> Report:
    """The log from ``since`` (a local date, inclusive; ``None``: all kept) to now.

    Answers still queued in this process are flushed first (up to 2 s), so a report right after
    answering includes them. An unreadable database raises :class:`ReportError` (its docstring is
    the Japanese message); a missing one gives an empty report.
    """
    store.flush(2.0)
    now = datetime.now(UTC)
    empty = Report(since=since, generated_at=now, retention_days=store.retention_days())
    try:
        return _summary(empty, path=path, top=top, comments=comments)
    except sqlite3.Error as error:
        raise ReportError(f"inquiry log unreadable ({type(error).__name__}: {error})") from error


def _summary(empty: Report, *, path: Path | None, top: int, comments: int) -> Report:
    since, now = empty.since, empty.generated_at
    db = store.open_for_reading(path)
    if db is None:
        return empty
    try:
        where = "a.at >= ?" + (" AND a.day >= ?" if since else "")
        params: list[Any] = [store.cutoff(now=now), *([since.isoformat()] if since else [])]
        answers = f"{store.ANSWERS} a"

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return list(db.execute(sql, params).fetchall())

        total, first, last = rows(f"SELECT count(*), min(a.day), max(a.day) FROM {answers} WHERE {where}")[0]
        if not total:
            return empty
        by_kind = rows(
            f"SELECT kind, count(*) n FROM {answers} WHERE {where} GROUP BY kind ORDER BY n DESC, kind"
        )
        by_entry = rows(
            f"SELECT entry, count(*) n FROM {answers} WHERE {where} GROUP BY entry ORDER BY n DESC, entry"
        )
        latencies = [
            r[0] for r in rows(f"SELECT latency_ms FROM {answers} WHERE {where} AND latency_ms IS NOT NULL")
        ]
        asked = rows(
            f"SELECT question, count(*), max(day) FROM {answers} WHERE {where} AND kind = 'unknown' "
            f"GROUP BY question ORDER BY max(at) DESC LIMIT {MAX_QUESTIONS}"
        )
        unanswered = cluster((text, n, date.fromisoformat(day)) for text, n, day in asked)
        joined = f"{store.FEEDBACK} f JOIN {answers} ON a.id = f.answer_id"
        up, down = rows(
            f"SELECT coalesce(sum(f.vote > 0), 0), coalesce(sum(f.vote < 0), 0) FROM {joined} WHERE {where}"
        )[0]
        rated = db.execute(
            f"SELECT a.faq_id, a.kind, sum(f.vote < 0) d, sum(f.vote > 0) u FROM {joined} WHERE {where} "
            "GROUP BY a.faq_id, a.kind HAVING d > 0 ORDER BY d DESC, u ASC, a.faq_id LIMIT ?",
            [*params, top],
        ).fetchall()
        questions = _faq_questions() if rated else {}
        downvoted = []
        for faq_id, kind, d, u in rated:
            said = db.execute(
                f"SELECT f.comment FROM {joined} WHERE {where} AND f.vote < 0 AND f.comment IS NOT NULL "
                "AND a.kind = ? AND a.faq_id IS ? ORDER BY f.at DESC LIMIT ?",
                [*params, kind, faq_id, comments],
            ).fetchall()
            downvoted.append(
                Rated(
                    faq_id=faq_id,
                    kind=kind,
                    question=questions.get(faq_id) if faq_id else None,
                    down=d,
                    up=u,
                    comments=tuple(c for (c,) in said),
                )
            )
    finally:
        db.conn.close()
    return Report(
        since=since,
        generated_at=now,
        retention_days=empty.retention_days,
        first_day=date.fromisoformat(first),
        last_day=date.fromisoformat(last),
        total=total,
        by_kind=dict(by_kind),
        by_entry=dict(by_entry),
        unanswered_total=dict(by_kind).get("unknown", 0),
        unanswered=tuple(unanswered[:top]),
        votes_up=up,
        votes_down=down,
        downvoted=tuple(downvoted),
        latency=latency_of(latencies),
    )


# --- renderings ---------------------------------------------------------------------------------


def _n(value: int) -> str:
    return f"{value:,}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_summary_text(report: Report, *, limit: int = 10, mrkdwn: bool = False) -> str:
    """The summary in Japanese, one block per topic separated by a blank line (each fits a Slack
    section block). ``mrkdwn=True`` bolds the headings and escapes ``& < >`` for Slack mrkdwn."""

    def head(text: str) -> str:
        return f"*{text}*" if mrkdwn else f"■ {text}"

    def quote(text: str) -> str:
        return _escape(text) if mrkdwn else text

    period = (
        f"{report.since.isoformat()} 以降" if report.since else f"全期間（保存 {report.retention_days} 日）"
    )
    blocks = [f"{head('madoguchi 利用状況')}（{period}）"]
    if report.total == 0:
        blocks[0] += "\nこの期間の記録はありません。"
        return blocks[0]
    share = report.unanswered_total / report.total * 100
    first = report.first_day.isoformat() if report.first_day else "—"
    last = report.last_day.isoformat() if report.last_day else "—"
    lat = report.latency
    blocks[0] += "\n" + "\n".join(
        [
            f"回答数: {_n(report.total)} 件（{first} 〜 {last}）",
            f"未回答: {_n(report.unanswered_total)} 件（{share:.1f}%）",
            f"フィードバック: 👍 {_n(report.votes_up)} ／ 👎 {_n(report.votes_down)}",
            f"応答時間: 中央値 {_ms(lat.p50_ms)} ／ 90% {_ms(lat.p90_ms)} ／ 99% {_ms(lat.p99_ms)}"
            f"（最大 {_ms(lat.max_ms)}）",
        ]
    )
    kinds = " ／ ".join(f"{KIND_LABELS.get(k, k)} {_n(n)}" for k, n in report.by_kind.items())
    entries = " ／ ".join(f"{ENTRY_LABELS.get(k, k)} {_n(n)}" for k, n in report.by_entry.items())
    blocks.append(f"{head('種類別')}\n{quote(kinds)}\n{head('入口別')}\n{quote(entries)}")
    if report.unanswered:
        lines = [head("よくある未回答の質問（似た質問をまとめて件数順）")]
        for number, group in enumerate(report.unanswered[:limit], start=1):
            similar = f"、似た言い方 {len(group.variants)} 種" if group.variants else ""
            lines.append(f"{number}. {quote(_short(group.text))} — {_n(group.count)} 件{similar}")
        blocks.append("\n".join(lines))
    if report.downvoted:
        lines = [head("👎 の多い回答")]
        for number, rated in enumerate(report.downvoted[:limit], start=1):
            name = rated.faq_id or KIND_LABELS.get(rated.kind, rated.kind)
            about = f"（{_short(rated.question, 40)}）" if rated.question else ""
            lines.append(f"{number}. {quote(name)}{quote(about)} 👎 {rated.down} ／ 👍 {rated.up}")
            lines += [f"　　「{quote(_short(c, 80))}」" for c in rated.comments]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_csv(report: Report) -> str:
    """One table (``section,item,count,detail``) for a spreadsheet."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "item", "count", "detail"])
    w.writerow(["total", "answers", report.total, report.since.isoformat() if report.since else ""])
    w.writerow(["total", "unanswered", report.unanswered_total, ""])
    w.writerow(["total", "votes_up", report.votes_up, ""])
    w.writerow(["total", "votes_down", report.votes_down, ""])
    for kind, n in report.by_kind.items():
        w.writerow(["kind", kind, n, KIND_LABELS.get(kind, "")])
    for entry, n in report.by_entry.items():
        w.writerow(["entry", entry, n, ENTRY_LABELS.get(entry, "")])
    for group in report.unanswered:
        w.writerow(["unanswered", group.text, group.count, " / ".join(group.variants)])
    for rated in report.downvoted:
        detail = " / ".join(filter(None, [rated.question or "", *rated.comments]))
        w.writerow(["downvoted", rated.faq_id or rated.kind, rated.down, f"up={rated.up} {detail}".strip()])
    for name in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
        value = getattr(report.latency, name)
        w.writerow(["latency", name, report.latency.count, "" if value is None else value])
    return out.getvalue()
