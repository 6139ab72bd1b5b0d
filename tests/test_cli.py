"""`madoguchi ask`: one record per message, in order, a failing message still yields its line."""

from __future__ import annotations

import json
import subprocess
import sys

from madoguchi.reply import KINDS


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", "--today", "2026-11-22", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_ask_json_batch_in_order_and_errors_do_not_stop_it() -> None:
    messages = [
        "/quote CM 6",
        "/quote DL abc",
        "",
        "社員食堂のメニュー",
        "/hpki 期限 2026-01-20",
        "😀" * 4001,
    ]
    done = run("ask", "--json", "-", stdin="\n".join(messages) + "\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(messages)
    replies = [json.loads(line) for line in lines]
    assert [r["kind"] for r in replies] == ["quote", "error", "help", "unknown", "hpki_deadline", "error"]
    assert all(r["kind"] in KINDS and r["text"] and isinstance(r["blocks"], list) for r in replies)
    assert "29,400円" in replies[0]["text"] and "32,340円" in replies[0]["text"]
    assert "2026年2月28日" in replies[4]["text"] and "2026年3月1日" in replies[4]["text"]


def test_ask_text() -> None:
    done = run("ask", "/quote", "UT", "3")
    assert done.returncode == 0
    assert "31,500円" in done.stdout and "34,650円" in done.stdout
    assert "本日" in done.stdout, "the reply says the closing date was taken as today"


def test_a_question_the_words_settle_exits_cleanly() -> None:
    """The sentence model loads in a thread; a process that never needed it still exits with 0
    (a daemon thread killed inside native code aborted it with 134)."""
    for _ in range(3):
        done = run("ask", "延滞利息の利率は？")
        assert done.returncode == 0, done.stderr
        assert "14.5" in done.stdout and "terminate called" not in done.stderr


def test_console_reads_until_exit() -> None:
    done = run("console", stdin="/hpki 保険薬局\nexit\n")
    assert done.returncode == 0
    assert "10,000円" in done.stdout and "11,000円" in done.stdout


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    """`madoguchi faq stats | head -1`: the closed pipe ends the command quietly, with no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "faq", "stats"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err
