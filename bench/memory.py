"""Cold start to the first answer, and resident memory over 10,000 questions.

    .venv/bin/python bench/memory.py                 # both; numbers go in the README
    .venv/bin/python bench/memory.py --questions 3000 --trace   # where the memory went (tracemalloc)

Cold start: ``madoguchi ask`` as a new process (FAQ index absent, then present), and
``madoguchi serve --http`` from process start to its first answered slash command.

Memory: the Slack app in this process (a fake Slack Web API on loopback, signed slash commands
dispatched through Bolt exactly as over HTTP, the inquiry log on), asked 10,000 distinct questions
made from templates (every calculator, FAQ questions with varying words, dates and amounts, bad
input): RSS after 1,000 and after 10,000, after the log has written everything. Target: growth
<= 5 % after warm-up. Everything runs on a temporary database; loopback only.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from http_load import faq_questions  # noqa: E402
from slack_fakes.harness import BOT_TOKEN, SIGNING_SECRET, SlackClient, settings_for  # noqa: E402
from slack_fakes.signing import sign  # noqa: E402
from slack_fakes.web_api import FakeSlackApi  # noqa: E402

MEDIA = ("DL", "CD", "CM", "UM", "UT")
FACILITIES = ("病院", "診療所", "保険薬局", "クリニック", "調剤薬局")


def rss_mb() -> float:
    """Resident memory of this process now (not the peak), MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def questions(count: int) -> Iterator[tuple[str, str]]:
    """``count`` distinct (command, text) pairs: every command, varied figures, dates and words."""
    asked = faq_questions(200)
    for n in range(count):
        day = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        kind = n % 10
        if kind == 0:
            yield "/quote", f"{MEDIA[n % 5]} {n % 40 + 1} {MEDIA[(n // 5) % 5]} {n % 7 + 1}"
        elif kind == 1:
            yield "/quote", f"UT {n % 9 + 1} {day}"
        elif kind == 2:
            yield "/hpki", f"{FACILITIES[n % 5]} {n % 900 + 1}床"
        elif kind == 3:
            yield "/hpki", f"期限 {2025 + n % 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        elif kind == 4:
            yield "/prorate", f"ids={n % 300 + 1} start={day}"
        elif kind == 5:
            yield "/prorate", f"late amount={(n % 500 + 1) * 1000} due=2025-03-31 paid={day}"
        elif kind == 6:
            yield "/prorate", f"outage ids={n % 50 + 1} hours={n % 90 + 1} month=2025-{n % 12 + 1:02d}"
        elif kind == 7:
            yield "/faq", f"{asked[n % len(asked)]} 問い合わせ番号{n}"
        elif kind == 8:
            yield "/faq", f"{asked[(n * 7) % len(asked)]}（{FACILITIES[n % 5]}の{n % 97}件目）"
        else:
            yield "/quote", f"XX {n} 2025-13-{n % 40}"  # bad input: an error reply with an example


# --- cold start --------------------------------------------------------------------------------------


def cold_ask(db: Path) -> float:
    env = {**os.environ, "MADOGUCHI_DB": str(db)}
    exe = Path(sys.executable).with_name("madoguchi")
    started = time.perf_counter()
    subprocess.run([str(exe), "ask", "コンビニ払いの手数料は？"], env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def cold_serve(db: Path) -> float:
    """Process start of ``madoguchi serve --http`` to its first answered /faq command."""
    with FakeSlackApi() as api:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url,
            "MADOGUCHI_DB": str(db),
        }
        env.pop("SLACK_APP_TOKEN", None)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "madoguchi", "serve", "--http", "--port", "0"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            match = re.search(r"http://127\.0\.0\.1:(\d+)/slack/events", line)
            if not match:
                raise SystemExit(f"the server did not start: {line}")
            reply = SlackClient(f"http://127.0.0.1:{match.group(1)}/slack/events").command(
                "/faq", "コンビニ払いの手数料は？"
            )
            elapsed = time.perf_counter() - started
            if reply.status != 200:
                raise SystemExit(f"first answer failed: HTTP {reply.status}")
            urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/healthz", timeout=5).read()
        finally:
            process.terminate()
            process.wait(timeout=30)
        return elapsed


# --- memory ------------------------------------------------------------------------------------------


def memory(total: int, checkpoints: tuple[int, ...], *, trace: bool) -> list[tuple[int, float, float]]:
    """(questions asked, RSS MB, seconds per question since the last checkpoint) at each checkpoint."""
    from slack_bolt.request import BoltRequest

    from bot.app import build_app
    from madoguchi import logbook

    if trace:
        import tracemalloc

        tracemalloc.start(10)
    rows = []
    with FakeSlackApi() as api:
        app = build_app(settings_for(api), mode="http")

        def dispatch(command: str, text: str) -> None:
            body = SlackClient.command_body(command, text)
            ts = str(int(time.time()))
            headers = {
                "content-type": ["application/x-www-form-urlencoded"],
                "x-slack-request-timestamp": [ts],
                "x-slack-signature": [sign(SIGNING_SECRET, ts, body)],
            }
            response = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
            if response.status != 200 or "エラーID" in response.body:
                raise SystemExit(f"{command} {text}: {response.status} {response.body[:200]}")

        for command, text in questions(200):  # warm-up: dictionary, index, caches, code paths
            dispatch(command, text)
        logbook.flush(60)
        gc.collect()
        started, snapshot = time.perf_counter(), None
        for asked, (command, text) in enumerate(questions(total), start=1):
            dispatch(command, text)
            if asked in checkpoints:
                seconds = (time.perf_counter() - started) / (asked - (rows[-1][0] if rows else 0))
                logbook.flush(60)
                gc.collect()
                rows.append((asked, rss_mb(), seconds))
                if trace:
                    import tracemalloc

                    now = tracemalloc.take_snapshot()
                    if snapshot is not None:
                        print(f"-- allocations grown between checkpoints, at {asked}:")
                        for stat in now.compare_to(snapshot, "lineno")[:8]:
                            print(f"   {stat}")
                    snapshot = now
                started = time.perf_counter()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000, help="questions to ask (max 50,000)")
    parser.add_argument("--trace", action="store_true", help="show where memory grew (tracemalloc; slower)")
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args(argv)
    total = min(max(args.questions, 1000), 50_000)
    workdir = Path(tempfile.mkdtemp(prefix="madoguchi-memory-"))
    os.environ["MADOGUCHI_DB"] = str(workdir / "madoguchi.db")
    os.environ.pop("MADOGUCHI_LOG", None)

    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    try:
        return _run(args, total, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, total: int, workdir: Path) -> int:
    if not args.skip_cold:
        first = cold_ask(workdir / "cold" / "madoguchi.db")  # builds the FAQ index
        again = statistics.median(cold_ask(workdir / "cold" / "madoguchi.db") for _ in range(5))
        serve = statistics.median(cold_serve(workdir / "cold" / "madoguchi.db") for _ in range(3))
        print(f"cold start, `madoguchi ask` (new process) to the answer, index not built yet: {first:.2f} s")
        print(f"cold start, `madoguchi ask` to the answer, index built (median of 5):      {again:.2f} s")
        print(f"cold start, `madoguchi serve --http` to its first /faq answer (median of 3): {serve:.2f} s")

    checkpoints = tuple(sorted({1000, 2000, 5000, total} & set(range(1, total + 1))))
    rows = memory(total, checkpoints, trace=args.trace)
    print(f"{'questions':>10} {'RSS MB':>8} {'ms/question':>12}")
    for asked, rss, seconds in rows:
        print(f"{asked:>10} {rss:>8.1f} {seconds * 1000:>12.2f}")
    base = rows[0][1]
    growth = (rows[-1][1] - base) / base
    verdict = "met" if growth <= 0.05 else "MISSED"
    print(
        f"RSS growth from {rows[0][0]} to {rows[-1][0]} questions: {growth:+.1%} (target <= 5 %: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
