"""HTTP load: wrk against ``madoguchi serve --http`` and against a bare Bolt app that only acks.

Both are served the same way (waitress via ``bot.app.http_server``, the same number of threads,
``process_before_response=True``, request signatures verified, ``auth.test`` at start against a
fake Slack Web API on loopback), each in its own process. wrk (Debian package ``wrk``) sends signed
``/quote``, ``/hpki``, ``/prorate`` and ``/faq`` requests, pre-signed and cycled by
``bench/http_load.lua`` (signed just before each run, so the timestamps are within Slack's
5 minutes). Prints requests/s, p50/p99 latency, non-2xx responses and the ratio of the two.

    .venv/bin/python bench/http_load.py                    # 30 s at 50 connections against each
    .venv/bin/python bench/http_load.py --duration 10 --only madoguchi --profile /tmp/prof
    # --profile DIR: py-spy samples the madoguchi server during the run (DIR/madoguchi.speedscope.json
    # and a top-functions summary on stdout). Needs py-spy in the venv.

Targets (issue 6): p99 <= 50 ms, no non-2xx, throughput >= 0.8 x the bare app. Loopback only;
every run is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from slack_fakes.harness import BOT_TOKEN, SIGNING_SECRET, SlackClient  # noqa: E402
from slack_fakes.signing import sign  # noqa: E402
from slack_fakes.web_api import FakeSlackApi  # noqa: E402

LUA = Path(__file__).with_name("http_load.lua")
URL_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/slack/events")

QUOTE = ["UT 3", "DL 2 UM 1 2023-03-31", "CM 5", "CD 1", "UT 1 DL 4", "UM 2 2025-06-30", "CM 12", "DL 1"]
HPKI = [
    "病院 399床",
    "保険薬局",
    "期限 2026-01-20",
    "継続 2026",
    "診療所",
    "病院 400床",
    "期限 2025年10月5日",
]
PRORATE = [
    "ids=15",
    "ids=15 start=2025-07-20",
    "ids=10 end=2025-09-16",
    "ids=10 start=2025-01-20 anchor=15",
    "ids=10->20 on=2025-08-11",
    "install works=1 addon=5",
    "late amount=100000 due=2025-03-31 paid=2025-04-30",
    "outage ids=10 hours=53 month=2025-06",
    "surcharge amount=10000",
]
FAQ_CLAUSES = ["第22条", "通則6", "別記3", "第2表"]


def faq_questions(count: int = 40) -> list[str]:
    """Real staff questions from the question sets (every other one, up to ``count``)."""
    from question_sets import questions

    asked = [q for q in questions() if not q.startswith("/")]
    return (asked[::2] or ["コンビニ払いの手数料は？"])[:count]


def messages(only: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(command, text) pairs, the four commands interleaved so every stretch of the cycle mixes them
    (``only``: just these commands)."""
    faq = FAQ_CLAUSES + faq_questions()
    groups = [("/quote", QUOTE), ("/hpki", HPKI), ("/prorate", PRORATE), ("/faq", faq)]
    groups = [(c, texts) for c, texts in groups if not only or c in only]
    if "/madoguchi" in only:  # the floor: usage text, next to no work beyond Bolt, rendering and the log
        groups.append(("/madoguchi", ["help"]))
    longest = max(len(texts) for _, texts in groups)
    out = []
    for i in range(longest):
        for command, texts in groups:
            out.append((command, texts[i % len(texts)]))
    return out


def write_requests(path: Path, only: tuple[str, ...] = ()) -> list[tuple[str, bytes]]:
    """Sign every message now and write them for the Lua script; returns (command, body) pairs."""
    now = int(time.time())
    lines, bodies = [], []
    for n, (command, text) in enumerate(messages(only)):
        body = SlackClient.command_body(
            command, text, user_id=f"U0STAFF{n % 10:02d}", response_url="https://hooks.invalid/commands/1"
        )
        lines.append(f"{now}\t{sign(SIGNING_SECRET, now, body)}\t{body.decode()}")
        bodies.append((command, body))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bodies


# --- the servers -------------------------------------------------------------------------------------


def serve_bare() -> int:
    """The comparison: a Bolt app like ours (same client, same options) whose commands only ack,
    served by the same waitress factory with the same threads."""
    import logging
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from bot.app import EVENTS_PATH, http_server
    from bot.settings import load_settings

    logging.basicConfig(level=os.environ.get("MADOGUCHI_LOG_LEVEL", "WARNING"), stream=sys.stderr)
    settings = load_settings().require("http")
    assert settings.bot_token is not None and settings.signing_secret is not None

    def one(sockets: list[socket.socket] | None = None) -> int:
        app = App(
            client=WebClient(
                token=settings.bot_token.get_secret_value(), base_url=settings.api_url, timeout=10
            ),
            signing_secret=settings.signing_secret.get_secret_value(),
            process_before_response=True,
            listener_executor=ThreadPoolExecutor(max_workers=settings.workers),
            token_verification_enabled=True,
            request_verification_enabled=True,
            raise_error_for_unhandled_request=False,
            name="bare",
        )

        def only_ack(ack: Ack) -> None:
            ack()

        app.command(re.compile(r"^/"))(only_ack)
        server = http_server(app, host="127.0.0.1", port=0, threads=settings.threads, sockets=sockets)
        if sockets is None:
            port = server.effective_port  # type: ignore[union-attr]
            print(f"bare Bolt app at http://127.0.0.1:{port}{EVENTS_PATH}", file=sys.stderr, flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
        return 0

    if settings.processes == 1:
        return one()
    from bot import prefork

    sock = prefork.listening_socket("127.0.0.1", 0)
    print(
        f"bare Bolt app at http://127.0.0.1:{sock.getsockname()[1]}{EVENTS_PATH}", file=sys.stderr, flush=True
    )
    return prefork.supervise(lambda: one([sock]), processes=settings.processes, drain_seconds=1.0)


@dataclass
class Server:
    name: str
    process: subprocess.Popen[str]
    port: int
    stderr: list[str]

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def cpu_seconds(self) -> float:
        """User + system CPU time so far of the server process and its worker processes (Linux /proc)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat.parent.name == str(self.process.pid) or fields[1] == str(self.process.pid):
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


def start(name: str, command: list[str], env: dict[str, str]) -> Server:
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 120
    port = None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        match = URL_LINE.search(line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        process.kill()
        raise SystemExit(f"{name} did not start:\n{''.join(seen)}{process.stderr.read()}")

    def drain() -> None:  # keep reading so the server never blocks on a full pipe
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)

    threading.Thread(target=drain, daemon=True).start()
    return Server(name, process, port, seen)


def server_env(
    api: FakeSlackApi, workdir: Path, threads: int, *, log: bool = True, processes: int = 1
) -> dict[str, str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
        "MADOGUCHI_DB": str(workdir / "madoguchi.db"),
        "MADOGUCHI_THREADS": str(threads),
        "MADOGUCHI_PROCESSES": str(processes),
        "MADOGUCHI_LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    env.pop("SLACK_APP_TOKEN", None)
    env.pop("MADOGUCHI_LOG", None)  # the inquiry log is on, as in production
    if not log:
        env["MADOGUCHI_LOG"] = "off"
    return env


def warm_up(
    server: Server, bodies: list[tuple[str, bytes]], *, marker: bytes | None, passes: int = 1
) -> None:
    """Send every request ``passes`` times, each pass on new connections spread over time, so that
    every worker process builds its FAQ searcher and loads the dictionary; check the answers."""
    connections = [
        http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for _ in range(4 * passes)
    ]
    try:
        for n in range(passes * len(bodies)):
            command, body = bodies[n % len(bodies)]
            connection = connections[n % len(connections)]
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **_signed(body),
            }
            connection.request("POST", "/slack/events", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.status != 200 or (marker is not None and marker not in data):
                raise SystemExit(f"{server.name}: {command} answered HTTP {response.status}: {data[:300]!r}")
            if marker is not None and "エラーID" in data.decode("utf-8", "replace"):
                raise SystemExit(f"{server.name}: {command} answered with an apology: {data[:300]!r}")
    finally:
        for connection in connections:
            connection.close()


def _signed(body: bytes) -> dict[str, str]:
    ts = int(time.time())
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sign(SIGNING_SECRET, ts, body)}


# --- wrk ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    non2xx: int
    bad: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    server_cpu: float
    wrk_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def run_wrk(
    server: Server,
    requests_file: Path,
    *,
    duration: int,
    connections: int,
    wrk_threads: int,
    marker: str,
) -> Result:
    env = {**os.environ, "HTTP_LOAD_REQUESTS": str(requests_file), "HTTP_LOAD_MARKER": marker}
    command = [
        "wrk",
        f"-t{wrk_threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{server.port}/slack/events",
    ]
    cpu_before = server.cpu_seconds()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60)
    wall = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    line = next((x for x in done.stdout.splitlines() if x.startswith("HTTP_LOAD_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("HTTP_LOAD_RESULT "))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    return Result(
        name=server.name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        bad=data["bad"],
        socket_errors=data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"],
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        server_cpu=(cpu_after - cpu_before) / wall,
        wrk_cpu=wrk_cpu / wall,
    )


# --- profiling -------------------------------------------------------------------------------------


def start_profiler(server: Server, out: Path, duration: int) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy not found: pip install py-spy", file=sys.stderr)
        return None
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(server.process.pid),
            "--duration",
            str(duration),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(out / f"{server.name}.folded"),
            "--nonblocking",
            "--gil",
            "--subprocesses",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def summarise_profile(folded: Path, top: int = 25) -> str:
    """Self and inclusive sample counts per function from py-spy's folded stacks (``--gil``: only the
    thread holding the GIL is sampled, so this is where the interpreter's time goes)."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    idle = ("wait (threading.py", "select (selectors.py", "poll (asyncore", "get (queue.py", "_worker (")
    for line in folded.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        if any(frames[-1].startswith(p) or p in frames[-1] for p in idle[:4]):
            continue
        count = int(count_text)
        total += count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
    if not total:
        return "no busy samples"
    rows = [f"busy samples: {total}", "inclusive %  self %  function"]
    for frame, count in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        rows.append(f"{100 * count / total:10.1f}  {100 * own.get(frame, 0) / total:6.1f}  {frame}")
    return "\n".join(rows)


# --- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of load against each (max 120)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="waitress threads of both servers")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes of both (MADOGUCHI_PROCESSES); default: one per core, as deployed",
    )
    parser.add_argument("--only", choices=("madoguchi", "bare"))
    parser.add_argument("--profile", type=Path, help="py-spy the madoguchi server into this folder")
    parser.add_argument(
        "--command",
        action="append",
        choices=("/quote", "/hpki", "/prorate", "/faq", "/madoguchi"),
        help="only this command (repeatable); default: the first four, interleaved; "
        "/madoguchi (help) shows the floor of the app's own cost",
    )
    parser.add_argument("--no-log", action="store_true", help="turn madoguchi's inquiry log off")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        return serve_bare()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    duration = min(max(args.duration, 1), 120)
    only = tuple(args.command or ())
    connections = min(max(args.connections, 1), 1000)

    results: list[Result] = []
    with FakeSlackApi() as api, tempfile.TemporaryDirectory(prefix="madoguchi-load-") as tmp:
        workdir = Path(tmp)
        env = server_env(api, workdir, args.threads, log=not args.no_log, processes=max(1, args.processes))
        requests_file = workdir / "requests.tsv"
        plans = [
            ("madoguchi", [sys.executable, "-m", "madoguchi", "serve", "--http", "--port", "0"], '"blocks"'),
            ("bare", [sys.executable, str(Path(__file__).resolve()), "--serve-bare"], ""),
        ]
        for name, command, marker in plans:
            if args.only and args.only != name:
                continue
            server = start(name, command, env)
            profiler = None
            try:
                bodies = write_requests(requests_file, only)
                warm_up(
                    server,
                    bodies,
                    marker=marker.encode() if marker else None,
                    passes=2 * max(1, args.processes),
                )
                write_requests(requests_file, only)  # fresh timestamps for the run itself
                if args.profile and name == "madoguchi":
                    profiler = start_profiler(server, args.profile, duration)
                results.append(
                    run_wrk(
                        server,
                        requests_file,
                        duration=duration,
                        connections=connections,
                        wrk_threads=args.wrk_threads,
                        marker=marker,
                    )
                )
                if profiler is not None:
                    profiler.wait(timeout=60)
            finally:
                code = server.stop()
                if code not in (0, None):
                    print(f"{name} exited with {code}:\n{''.join(server.stderr[-20:])}", file=sys.stderr)
            problems = [line for line in server.stderr if "Traceback" in line or "ERROR" in line]
            if problems:
                print(f"{name}: {len(problems)} error lines in its log, e.g. {problems[0].strip()}")

    kinds = sorted({c for c, _ in messages(only)})
    print(
        f"HTTP load: wrk -t{args.wrk_threads} -c{connections} -d{duration}s, {len(messages(only))} pre-signed "
        f"requests cycled ({', '.join(kinds)}), waitress threads={args.threads}, "
        f"processes={max(1, args.processes)}, "
        f"{os.cpu_count()} CPUs, loopback, inquiry log {'off' if args.no_log else 'on'}"
    )
    print(f"{'server':<10} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'non-2xx':>8} {'bad':>5} {'sock err':>8} {'srv CPU':>8} {'wrk CPU':>8}")  # fmt: skip
    for r in results:
        print(
            f"{r.name:<10} {r.rate:8.0f} {r.p50_ms:8.1f} {r.p90_ms:8.1f} {r.p99_ms:8.1f} {r.max_ms:8.1f} "
            f"{r.non2xx:8d} {r.bad:5d} {r.socket_errors:8d} {r.server_cpu:8.0%} {r.wrk_cpu:8.0%}"
        )
    by_name = {r.name: r for r in results}
    if "madoguchi" in by_name and "bare" in by_name:
        mine, bare = by_name["madoguchi"], by_name["bare"]
        ratio = mine.rate / bare.rate
        print(f"throughput ratio madoguchi / bare: {ratio:.2f}")
        checks = [
            ("p99 <= 50 ms", mine.p99_ms <= 50),
            ("no non-2xx", mine.non2xx == 0 and mine.socket_errors == 0 and mine.bad == 0),
            ("throughput >= 0.8 x bare", ratio >= 0.8),
        ]
        print("targets: " + ", ".join(f"{label}: {'met' if ok else 'MISSED'}" for label, ok in checks))
    if args.profile and (args.profile / "madoguchi.folded").exists():
        print(summarise_profile(args.profile / "madoguchi.folded"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
