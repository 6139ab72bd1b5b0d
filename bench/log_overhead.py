"""What the inquiry log adds to an answer: run by hand, ``python bench/log_overhead.py [N]``.

Three measurements, each on a temporary database (never the user's):

1. ``record_answer`` itself — what the router waits for after every answer (queue a record).
2. ``router.answer`` end to end with the log on and off, interleaved, over realistic messages —
   includes the writer thread competing for the GIL (redaction with SudachiPy, SQLite commits).
3. The writer's own cost per record (redaction + insert + commit), off the answering path.

Prints p50/p99 in microseconds or milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

MESSAGES = [
    "/quote UT 3",
    "/hpki 病院 399床",
    "/prorate late amount=100000 due=2025-03-31 paid=2025-04-30",
    "300床の病院の利用料は？",
    "領収書は出せますか",
    "山田太郎様（090-1234-5678）から、支払期限はいつかとの問い合わせ",
    "医療機関コード1312345678の薬局、請求書が届かない。taro@example.jp 宛に再送希望",
    "駐車場はありますか",
    "USBトークン2個とダウンロード3件の見積もり",
    "2025年10月5日に申請した場合の支払期限は？",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def line(name: str, values: list[float], unit: str, scale: float) -> str:
    return (
        f"{name:<44} p50 {percentile(values, 50) * scale:8.1f} {unit}   p99 {percentile(values, 99) * scale:8.1f} {unit}"
        f"   mean {statistics.fmean(values) * scale:8.1f} {unit}   n={len(values)}"
    )


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(rounds: int = 300) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    os.environ["MADOGUCHI_DB"] = str(workdir / "madoguchi.db")
    os.environ.pop("MADOGUCHI_LOG", None)

    from faq.text import warm
    from madoguchi.logbook import redact, store
    from madoguchi.reply import Reply
    from madoguchi.router import answer

    warm()
    redact.redact("山田様")  # load this thread's dictionary once
    for message in MESSAGES:  # build the FAQ index, warm caches
        answer(message, entry="ask")
    store.flush(30)

    # 1. the call the router makes
    reply = Reply(kind="faq", title="t", faq_id="hpki-receipt", score=0.9, inputs={"ids": 10})
    calls = []
    for n in range(rounds * 10):
        message = MESSAGES[n % len(MESSAGES)]
        calls.append(timed(lambda m=message: store.record_answer(m, reply, entry="slash", seconds=0.01)))
        if n % 200 == 199:
            store.flush(30)
    store.flush(30)

    # 2. answer() with the log off and on, interleaved so drift hits both alike
    off, on = [], []
    for n in range(rounds):
        for k, message in enumerate(MESSAGES):
            for log_on in (False, True) if (n + k) % 2 else (True, False):  # alternate which goes first
                if log_on:
                    os.environ.pop("MADOGUCHI_LOG", None)
                else:
                    os.environ["MADOGUCHI_LOG"] = "off"
                (on if log_on else off).append(timed(lambda m=message: answer(m, entry="slash")))
        if n % 20 == 19:
            store.flush(30)
    os.environ.pop("MADOGUCHI_LOG", None)
    store.flush(30)

    # 3. the writer's work per record, measured directly in this thread
    db = store.open_database(workdir / "direct.db")
    per_record = []
    for n in range(rounds * 3):
        record = store.AnswerRecord(
            f"direct-{n}",
            datetime.now(UTC),
            MESSAGES[n % len(MESSAGES)],
            "slash",
            None,
            "faq",
            None,
            None,
            {},
            None,
            0.01,
        )
        per_record.append(timed(lambda r=record: store.write_batch(db, [r])))
    redactions = [timed(lambda m=m: redact.redact(m)) for _ in range(rounds) for m in MESSAGES]
    db.conn.close()

    status = store.status()
    print(
        f"python {sys.version.split()[0]}, sqlite {__import__('sqlite3').sqlite_version}, database {workdir}"
    )
    print(line("record_answer() (added to every answer)", calls, "µs", 1e6))
    print(line("answer() with the log off", off, "ms", 1e3))
    print(line("answer() with the log on", on, "ms", 1e3))
    diffs = [b - a for a, b in zip(off, on, strict=True)]
    print(
        f"{'added by the log, answer() on − off':<44} p50 {(percentile(on, 50) - percentile(off, 50)) * 1e3:8.2f} ms"
        f"   p99 {(percentile(on, 99) - percentile(off, 99)) * 1e3:8.2f} ms   (paired median {statistics.median(diffs) * 1e3:.2f} ms)"
    )
    print(line("writer: redact + insert + commit, 1 record", per_record, "µs", 1e6))
    print(line("writer: redaction alone", redactions, "µs", 1e6))
    print(f"rows written {status.written}, dropped {status.dropped}")
    store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
