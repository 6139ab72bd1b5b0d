"""SIGTERM while ``madoguchi serve --http`` is busy: the requests in flight are answered, the replies
being posted are posted, the inquiry log is written, then the process exits with 0."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from slack_fakes.harness import BOT_TOKEN, SIGNING_SECRET, SlackClient, mention
from slack_fakes.web_api import FakeSlackApi

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("料金の支払い方法と手数料について教えてください。" * 200)[:3990]
"""A long question: SudachiPy reads all of it, so each takes a noticeable time to answer."""


def start(api: FakeSlackApi, db: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "MADOGUCHI_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api.url,
        MADOGUCHI_DB=str(db),
        MADOGUCHI_THREADS="4",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/slack/events", line)
    if not match:
        process.kill()
        raise AssertionError(line + process.stderr.read())
    lines: list[str] = []

    def drain() -> None:
        assert process.stderr is not None
        lines.extend(process.stderr)

    threading.Thread(target=drain, daemon=True).start()
    return process, f"http://127.0.0.1:{match.group(1)}/slack/events", lines


def test_sigterm_answers_what_is_in_flight_then_exits_with_0(tmp_path: Path) -> None:
    db = tmp_path / "madoguchi.db"
    with FakeSlackApi() as api:
        process, url, log_lines = start(api, db)
        try:
            slack = SlackClient(url)
            assert slack.command("/quote", "UT 1").status == 200  # warm: dictionary, FAQ index
            api.delays["chat.postMessage"] = 1.0  # replies to mentions are still being posted at SIGTERM
            for n in range(3):
                ts = f"1700000500.00010{n}"
                assert slack.event(mention(f"/quote UT {n + 1}", ts=ts)).status == 200

            answered: list[tuple[int, bytes, float]] = []
            first = threading.Event()

            def ask() -> None:
                response = slack.command("/faq", HEAVY)
                answered.append((response.status, response.body, time.monotonic()))
                first.set()

            askers = [threading.Thread(target=ask) for _ in range(8)]
            for asker in askers:
                asker.start()
            assert first.wait(20)
            sent = time.monotonic()
            process.send_signal(signal.SIGTERM)
            for asker in askers:
                asker.join(30)
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

        assert code == 0, "".join(log_lines)
        assert len(answered) == 8
        assert all(status == 200 and b'"blocks"' in body for status, body, _ in answered)
        assert any(at > sent for _, _, at in answered), "no request was still in flight at SIGTERM"
        posted = api.calls_to("chat.postMessage")
        assert sorted(c.body["thread_ts"] for c in posted) == [f"1700000500.00010{n}" for n in range(3)]
    text = "".join(log_lines)
    assert "stopping" in text and "stopped: every request answered" in text
    assert "Traceback" not in text
    conn = sqlite3.connect(db)
    try:
        logged = conn.execute("SELECT count(*) FROM log_answers").fetchone()[0]
    finally:
        conn.close()
    assert logged == 1 + 3 + 8  # the inquiry log was written before the exit
