"""Concurrent writers lose no row; a writer killed with SIGKILL leaves a sound database that keeps
every acknowledged (committed) row."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi import logbook
from madoguchi.logbook import store
from madoguchi.reply import Reply

ROOT = Path(__file__).resolve().parents[1]

# A writer process: records answers through the real path (queue → writer thread → commit) and
# prints the ids of each batch once flush() says they are committed ("acknowledged").
CHILD = r"""
import os, sys
from madoguchi.logbook import store
from madoguchi.reply import Reply

total, batch = int(sys.argv[1]), int(sys.argv[2])
writer = store.writer()
pid, n = os.getpid(), 0
while total < 0 or n < total:
    ids = []
    for _ in range(batch):
        n += 1
        answer_id = f"{pid}-{n:07d}"
        text = f"利用料の問い合わせ その{n}（電話 03-1234-{n % 10000:04d}）"
        store.record_answer(text, Reply(kind="faq", title="t", answer_id=answer_id), entry="dm", seconds=0.002)
        ids.append(answer_id)
    if not writer.flush(30) or writer.dropped:
        sys.exit(f"not acknowledged: dropped={writer.dropped}")
    print("\n".join(ids), flush=True)
"""

# Killed for certain inside a transaction: rows inserted (WAL frames written), not committed.
IN_TRANSACTION = r"""
import sys, time
from datetime import UTC, datetime
from madoguchi.logbook import store
from madoguchi.reply import Reply

db = store.open_database(store.current_path())
records = [
    store.AnswerRecord(f"uncommitted-{n}", datetime.now(UTC), "未確定の質問" * 50, "dm", None, "faq", None, None, {}, None, 0.001)
    for n in range(2000)
]
with store.immediate(db):
    db.conn.executemany(store._INSERT_ANSWER, [store._answer_row(r) for r in records])
    print("inserted", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def log_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "madoguchi.db"
    monkeypatch.setenv("MADOGUCHI_DB", str(path))
    for name in ("MADOGUCHI_LOG", "MADOGUCHI_LOG_DAYS"):
        monkeypatch.delenv(name, raising=False)
    store.close()
    yield path
    store.close()


def child(path: Path, total: int, batch: int, *, script: str = CHILD) -> subprocess.Popen[str]:
    env = {**os.environ, "MADOGUCHI_DB": str(path), "PYTHONPATH": str(ROOT)}
    env.pop("MADOGUCHI_LOG", None)
    return subprocess.Popen(
        [sys.executable, "-c", script, str(total), str(batch)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def logged_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT id FROM {store.ANSWERS}")]
    finally:
        conn.close()


def test_threads_and_two_processes_lose_no_row(log_db: Path) -> None:
    processes = [child(log_db, 300, 25), child(log_db, 300, 25)]

    def record(thread: int) -> None:
        for n in range(150):
            answer_id = f"thread{thread}-{n}"
            reply = Reply(kind="unknown", title="t", answer_id=answer_id)
            logbook.record_answer(f"領収書の宛名を変えたい {n}", reply, entry="slash", seconds=0.001)
            if n % 40 == 0:
                logbook.record_feedback(answer_id, f"U{thread}", "down")

    threads = [threading.Thread(target=record, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert logbook.flush(30)
    acknowledged = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        acknowledged += out.split()
    ids = logged_ids(log_db)
    assert len(ids) == len(set(ids)) == 600 + 4 * 150
    assert set(acknowledged) <= set(ids) and len(acknowledged) == 600
    assert logbook.status().dropped == 0
    conn = sqlite3.connect(log_db)
    assert conn.execute(f"SELECT count(*) FROM {store.FEEDBACK}").fetchone() == (4 * 4,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_write_keeps_every_acknowledged_row(log_db: Path) -> None:
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for _ in range(3):  # three crashes into the same file, each at a different moment
        process = child(log_db, -1, 50)
        assert process.stdout is not None
        wanted = len(acknowledged) + rng.randint(100, 400)
        got: list[str] = []
        while len(acknowledged) + len(got) < wanted:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else "child ended"
            got.append(line.strip())
        time.sleep(rng.uniform(0.0, 0.03))  # the writer is busy with the next batches
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        # lines written to the pipe before the kill were acknowledged too
        rest = process.stdout.read().split()
        process.stdout.close()
        if process.stderr:
            process.stderr.close()
        acknowledged += got + rest
    process = child(log_db, 0, 0, script=IN_TRANSACTION)
    assert process.stdout is not None and process.stdout.readline().strip() == "inserted"
    assert Path(f"{log_db}-wal").stat().st_size > 100_000  # the uncommitted rows are in the WAL
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    logbook.record_answer("再起動後の質問", Reply(kind="faq", title="t", answer_id="after"), entry="dm")
    assert logbook.flush() and logbook.status().dropped == 0  # the next writer carries on
    conn = sqlite3.connect(log_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {r[0] for r in conn.execute(f"SELECT id FROM {store.ANSWERS}")}
        questions = [r[0] for r in conn.execute(f"SELECT question FROM {store.ANSWERS} WHERE id != 'after'")]
    finally:
        conn.close()
    missing = set(acknowledged) - ids
    assert not missing, f"{len(missing)} acknowledged rows lost"
    assert len(ids) >= len(acknowledged)
    assert not any(i.startswith("uncommitted") for i in ids) and "after" in ids
    assert all("03-1234" not in q and "[電話番号]" in q for q in questions)
