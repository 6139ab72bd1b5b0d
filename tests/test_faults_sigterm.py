"""SIGTERM while ``madoguchi serve --http`` is busy: the requests in flight are answered, the replies
being posted are posted, the inquiry log is written, then the process exits with 0."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from slack_fakes.harness import BOT_TOKEN, SIGNING_SECRET, SlackClient, mention
from slack_fakes.web_api import FakeSlackApi, Fault

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("料金の支払い方法と手数料について教えてください。" * 200)[:3990]
"""A long question: SudachiPy reads all of it, so each takes a noticeable time to answer."""


def start(api: FakeSlackApi, db: Path, *, processes: int = 1) -> tuple[subprocess.Popen[str], str, list[str]]:
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
        MADOGUCHI_PROCESSES=str(processes),
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


@pytest.mark.parametrize("processes", [1, 2])
def test_sigterm_answers_what_is_in_flight_then_exits_with_0(tmp_path: Path, processes: int) -> None:
    db = tmp_path / "madoguchi.db"
    with FakeSlackApi() as api:
        process, url, log_lines = start(api, db, processes=processes)
        try:
            slack = SlackClient(url)
            for _ in range(2 * processes):  # warm every process: dictionary, FAQ index
                assert slack.command("/quote", "UT 1").status == 200
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
            _reap(process)

        assert code == 0, "".join(log_lines)
        assert len(answered) == 8
        assert all(status == 200 and b'"blocks"' in body for status, body, _ in answered)
        assert any(at > sent for _, _, at in answered), "no request was still in flight at SIGTERM"
        posted = api.calls_to("chat.postMessage")
        assert sorted(c.body["thread_ts"] for c in posted) == [f"1700000500.00010{n}" for n in range(3)]
    text = "".join(log_lines)
    assert "stopping" in text and text.count("stopped: every request answered") == processes
    assert "Traceback" not in text
    conn = sqlite3.connect(db)
    try:
        logged = conn.execute("SELECT count(*) FROM log_answers").fetchone()[0]
    finally:
        conn.close()
    assert logged == 2 * processes + 3 + 8  # the inquiry log was written before the exit


def _reap(process: subprocess.Popen[str]) -> None:
    """Kill the server if a failed test left it running."""
    if process.poll() is None:
        process.kill()
        process.wait()


def _workers(log_lines: list[str], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log_lines:
            if match := re.search(r"serving from \d+ processes: ([\d, ]+)", line):
                return [int(pid) for pid in match.group(1).split(", ")]
        time.sleep(0.05)
    raise AssertionError("".join(log_lines))


def test_processes_share_the_port_and_what_they_remember_of_events(tmp_path: Path) -> None:
    seen_files = set(Path(tempfile.gettempdir()).glob("madoguchi-seen-*"))
    with FakeSlackApi() as api:
        process, url, log_lines = start(api, tmp_path / "madoguchi.db", processes=2)
        try:
            workers = _workers(log_lines)
            assert len(workers) == 2 and process.pid not in workers
            slack = SlackClient(url)  # a new connection per request: the kernel spreads them
            answers = [slack.command("/hpki", "病院 400床") for _ in range(20)]
            assert all(a.status == 200 and "110,000" in a.body.decode() for a in answers)
            # Slack delivers one mention again and again: whichever process takes each delivery,
            # one reply only
            event = mention("/quote UT 2", ts="1700000900.000100")
            for retry in (None, 1, 2, 3, 4, 5):
                assert slack.event(event, event_id="EvSAME", retry=retry).status == 200
            posted = api.wait_for("chat.postMessage")
            time.sleep(0.5)
            assert len(api.calls_to("chat.postMessage")) == len(posted) == 1
            # a worker that dies is replaced and the port keeps answering
            os.kill(workers[0], signal.SIGKILL)
            deadline = time.monotonic() + 10
            while "exited while serving" not in "".join(log_lines) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert "exited while serving" in "".join(log_lines)
            assert all(slack.command("/quote", "UT 1").status == 200 for _ in range(10))
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
        finally:
            _reap(process)
    assert code == 0, "".join(log_lines)
    assert set(Path(tempfile.gettempdir()).glob("madoguchi-seen-*")) <= seen_files  # removed at exit


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in {"Z", "X"}  # a zombie has exited; whoever adopted it reaps it


def test_workers_stop_when_their_parent_is_killed(tmp_path: Path) -> None:
    with FakeSlackApi() as api:
        process, url, log_lines = start(api, tmp_path / "madoguchi.db", processes=2)
        workers = _workers(log_lines)
        try:
            assert SlackClient(url).command("/quote", "UT 1").status == 200
            process.kill()  # SIGKILL: the parent cannot pass anything on
            process.wait()
            deadline = time.monotonic() + 15
            while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert all(_gone(pid) for pid in workers), "".join(log_lines)
        finally:
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    assert "parent process is gone" in "".join(log_lines)


def test_workers_that_cannot_start_stop_the_server_instead_of_restarting_forever(tmp_path: Path) -> None:
    with FakeSlackApi() as api:
        api.fail_next("auth.test", *[Fault(status=500)] * 20)  # Slack keeps refusing at start
        process, _, log_lines = start(api, tmp_path / "madoguchi.db", processes=2)
        try:
            code = process.wait(timeout=60)
        finally:
            _reap(process)
    text = "".join(log_lines)
    assert code == 1, text
    assert "stopping the server" in text and "starting another" not in text
