"""Ack latency of each slash command over HTTP against ``madoguchi serve --http``.

Starts a fake Slack Web API (for the startup ``auth.test``) and ``madoguchi serve --http`` on
127.0.0.1 with a free port, then sends signed slash-command requests exactly as Slack does:
sequentially, then from a few concurrent clients, and prints p50/p99 per command. Loopback only;
the number of requests is bounded and the run stops by itself.

    .venv/bin/python bench/ack_latency.py [--requests 200] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from slack_fakes.harness import BOT_TOKEN, SIGNING_SECRET, SlackClient  # noqa: E402
from slack_fakes.signing import signed_headers  # noqa: E402
from slack_fakes.web_api import FakeSlackApi  # noqa: E402

COMMANDS = {
    "/quote": "UT 3",
    "/hpki": "病院 399床",
    "/prorate": "ids=15 start=2025-07-20",
    "/faq": "第22条",
    "/madoguchi": "help",
}
FORM = "application/x-www-form-urlencoded"


def start_server(api: FakeSlackApi, today: str) -> tuple[subprocess.Popen[str], int]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
        "MADOGUCHI_LOG_LEVEL": "ERROR",
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "--today",
            today,
            "serve",
            "--http",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
        ],
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
        raise SystemExit(f"the server did not start: {line}{process.stderr.read()}")
    # keep draining the server's stderr so it never blocks on a full pipe
    threading.Thread(target=lambda: process.stderr and process.stderr.read(), daemon=True).start()
    return process, int(match.group(1))


def one_request(connection: http.client.HTTPConnection, command: str, text: str) -> float:
    body = SlackClient.command_body(command, text)
    headers = signed_headers(SIGNING_SECRET, body, content_type=FORM)
    start = time.perf_counter()
    connection.request("POST", "/slack/events", body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200 or b'"response_type"' not in data:
        raise RuntimeError(f"{command}: HTTP {response.status} {data[:200]!r}")
    return elapsed


def run(port: int, command: str, text: str, *, requests: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies (s) of ``requests`` requests from ``concurrency`` clients (keep-alive), and the wall time."""
    per_client = max(1, requests // concurrency)

    def client(_: int) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            return [one_request(connection, command, text) for _ in range(per_client)]
        finally:
            connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = [t for chunk in pool.map(client, range(concurrency)) for t in chunk]
    return results, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per command and mode (max 5000)")
    parser.add_argument(
        "--concurrency", type=int, default=8, help="concurrent clients in the concurrent run (max 64)"
    )
    parser.add_argument("--today", default="2026-11-22", help="the day the server answers for")
    args = parser.parse_args(argv)
    requests = min(max(args.requests, 10), 5000)
    concurrency = min(max(args.concurrency, 2), 64)

    with FakeSlackApi() as api:
        process, port = start_server(api, args.today)
        try:
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for command, text in COMMANDS.items():
                for _ in range(5):
                    one_request(warm, command, text)
            warm.close()
            rows = []
            for command, text in COMMANDS.items():
                for mode, clients in (("sequential", 1), (f"{concurrency} concurrent", concurrency)):
                    latencies, wall = run(port, command, text, requests=requests, concurrency=clients)
                    rows.append((command, mode, latencies, wall))
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    ms: Callable[[float], str] = lambda s: f"{s * 1000:7.1f}"  # noqa: E731
    from datetime import date

    from madoguchi.router import answer

    kinds = {c: answer(f"{c} {t}", today=date.fromisoformat(args.today)).kind for c, t in COMMANDS.items()}
    print(
        f"ack latency over HTTP (waitress, process_before_response=True), {os.cpu_count()} CPUs, loopback, keep-alive"
    )
    print("requests: " + ", ".join(f"{c} {t} ({kinds[c]})" for c, t in COMMANDS.items()))
    print(f"{'command':12} {'mode':14} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}")
    for name, mode, latencies, wall in rows:
        print(
            f"{name:12} {mode:14} {len(latencies):5d} {ms(statistics.median(latencies))} "
            f"{ms(percentile(latencies, 0.99))} {ms(max(latencies))} {len(latencies) / wall:7.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
