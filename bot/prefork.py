"""Serving HTTP from several processes that share one listening socket (``MADOGUCHI_PROCESSES``).

One Python process answers with one core at a time (the GIL): under load madoguchi's work per request
is Python (Japanese analysis, scoring, rendering, Bolt itself), so a second core is only used by a
second process. The parent binds the socket, forks the workers and supervises them; each worker
builds its own Bolt app (its own ``auth.test``, inquiry log writer and FAQ searcher; the log and
index are SQLite files built for several processes) and serves the shared socket with waitress.

Signals: SIGTERM or SIGINT to the parent is passed on to every worker, each drains as a single
server does (``bot.app.drain``), and the parent exits once they have (0 when all exited 0). A
worker that dies (killed, out of memory) is logged and replaced; one whose setup raised (a broken
setting, Slack refusing the token) stops the whole server, as do more than ``MAX_RESTARTS``
replacements within ``RESTART_WINDOW`` seconds, rather than restart forever. Workers whose parent
is gone (killed with SIGKILL) stop by themselves (``bot.app.serve_until``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

log = logging.getLogger("madoguchi.bot")

BROKEN = 3
"""Exit code of a worker whose code raised: it would fail again, so it is not replaced."""
MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
POLL_SECONDS = 0.2


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket (port 0: a free one), inherited by the workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)  # noqa: FBT003 (socket's own API)
    return sock


def _exit_code(status: int) -> int:
    return os.waitstatus_to_exitcode(status)


def supervise(worker: Callable[[], int], *, processes: int, drain_seconds: float) -> int:
    """Run ``worker`` in ``processes`` forked children until SIGTERM/SIGINT; see the module docstring.

    ``worker`` runs in the child and returns its exit code; it installs its own signal handlers.
    Returns 0 when every worker drained and exited 0, else 1.
    """
    stop = threading.Event()
    children: set[int] = set()
    restarts: list[float] = []
    failed = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = BROKEN
            try:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, signal.SIG_DFL)
                code = worker()
            except BaseException:
                log.exception("worker %d failed", os.getpid())
            finally:
                logging.shutdown()
                os._exit(code)
        children.add(pid)

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(processes):
            spawn()
        log.info("serving from %d processes: %s", processes, ", ".join(map(str, children)))
        while not stop.is_set() and children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                stop.wait(POLL_SECONDS)
                continue
            children.discard(pid)
            code = _exit_code(status)
            now = time.monotonic()
            restarts = [t for t in restarts if t > now - RESTART_WINDOW] + [now]
            if code == BROKEN or len(restarts) > MAX_RESTARTS:
                log.error("worker %d failed (code %d): stopping the server", pid, code)
                failed = True
                break
            log.warning("worker %d exited while serving (code %d): starting another", pid, code)
            spawn()
        for pid in children:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + drain_seconds + 5.0
        while children and time.monotonic() < deadline:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                time.sleep(0.05)
                continue
            children.discard(pid)
            failed = failed or _exit_code(status) != 0
        for pid in children:  # still draining after the deadline
            log.warning("worker %d did not stop in time: killed", pid)
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            failed = True
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
