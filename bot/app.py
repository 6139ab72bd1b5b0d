"""Building the Bolt app and serving it: Socket Mode, or HTTP on waitress (a production WSGI server).

``process_before_response=True``: a request is answered when its ack function returns (no 10 ms
polling for the ack); slash commands reply in the ack, events and buttons do their Web API calls
afterwards on a bounded executor (Bolt's lazy listeners).

SIGTERM (or Ctrl-C) stops the HTTP server gracefully: no new connections, the requests in flight are
answered, the replies being posted are posted and the inquiry log is written, within
``DRAIN_SECONDS``; then the process exits with 0.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot import logsafe
from bot.boundary import Boundary
from bot.listeners import register_all
from bot.retries import retry_handlers
from bot.runtime import Runtime, SharedSeenSet, make_gate
from bot.settings import Mode, Settings

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from waitress.server import BaseWSGIServer, MultiSocketServer

log = logging.getLogger("madoguchi.bot")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20
"""Largest request body accepted over HTTP (Slack's payloads are a few kB)."""
DRAIN_SECONDS = 20.0
"""After SIGTERM: how long requests in flight and replies being posted may take to finish."""
SEND_BYTES = 1 << 20
"""Response bytes a waitress worker buffers before it writes to the socket itself (see ``http_server``)."""
LOOP_TIMEOUT = 0.2
"""Seconds the HTTP loop waits for I/O before it looks whether it was told to stop."""


class _DropClientWarning(logging.Filter):
    """Bolt warns that ``token`` is unused when SLACK_BOT_TOKEN is set and a client is given: expected."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def build_app(
    settings: Settings,
    *,
    mode: Mode,
    today: date | None = None,
    runtime: Runtime | None = None,
    seen_file: Path | None = None,
) -> App:
    """The Bolt app with every listener. Calls ``auth.test`` (at SLACK_API_URL) to learn its bot user.
    ``seen_file``: events already handled are remembered there, shared with the other processes of a
    pre-forked server (else in this process's memory)."""
    settings.require(mode)
    logsafe.install(settings.secrets())
    bolt_logger = logging.getLogger("madoguchi.bolt")
    if not any(isinstance(f, _DropClientWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropClientWarning())
    client = WebClient(
        token=settings.bot,
        base_url=settings.api_url,
        timeout=10,
        logger=logging.getLogger("madoguchi.web"),
        retry_handlers=retry_handlers(),
    )
    executor = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="madoguchi-slack")
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else ""
    app = App(
        client=client,
        signing_secret=secret,
        logger=bolt_logger,
        process_before_response=True,
        listener_executor=executor,
        token_verification_enabled=True,
        request_verification_enabled=mode == "http",
        ignoring_self_events_enabled=True,
        raise_error_for_unhandled_request=False,
        name="madoguchi",
    )
    if runtime is None:
        runtime = Runtime(today=today, seen=SharedSeenSet(seen_file)) if seen_file else Runtime(today=today)
    from madoguchi import logbook

    logbook.start()  # the inquiry log purges old entries at start, then daily
    app.middleware(make_gate(runtime))
    app.error(Boundary(executor).handle)
    register_all(app)
    return app


# --- HTTP ----------------------------------------------------------------------------------------

WSGIApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]


def wsgi_app(app: App) -> WSGIApp:
    """``POST /slack/events`` (events, commands, interactivity) and ``GET /healthz``; 404 elsewhere."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def _plain(
        start_response: StartResponse, status: str, text: str, extra: tuple[tuple[str, str], ...] = ()
    ) -> list[bytes]:
        body = text.encode()
        start_response(
            status,
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *extra],
        )
        return [body]

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            if method in {"GET", "HEAD"}:
                return _plain(start_response, "200 OK", "ok\n")
            return _plain(
                start_response, "405 Method Not Allowed", "method not allowed\n", (("Allow", "GET, HEAD"),)
            )
        if path == EVENTS_PATH:
            if method != "POST":
                return _plain(
                    start_response, "405 Method Not Allowed", "method not allowed\n", (("Allow", "POST"),)
                )
            return slack(environ, start_response)
        return _plain(start_response, "404 Not Found", "not found\n")

    return application


def http_server(
    app: App, *, host: str, port: int, threads: int, sockets: list[socket.socket] | None = None
) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server (not yet running; ``.run()`` serves, ``.close()`` stops). Port 0 picks a free
    one. ``sockets``: serve these already listening sockets instead (``host`` and ``port`` unused)."""
    from waitress import create_server

    where: dict[str, object] = {"sockets": sockets} if sockets else {"host": host, "port": port}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "send_bytes", DeprecationWarning)
        return create_server(
            wsgi_app(app),
            **where,
            threads=threads,
            max_request_body_size=MAX_BODY,
            ident="madoguchi",
            channel_timeout=30,
            connection_limit=200,
            # With waitress's default (1 byte) each worker thread sends its response itself, holding
            # the channel's lock, while the I/O loop sees the channel writable, fails to take that
            # lock and polls again at once: under load the loop spun on the GIL (63 % of samples in
            # py-spy) and a /madoguchi help served 446 req/s. Buffering the whole response and
            # letting the loop send it: 2,595 req/s. Deprecated in waitress 3 (pinned < 4); a
            # waitress without it fails at start, not silently.
            send_bytes=SEND_BYTES,
        )


def serve_http(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    today: date | None = None,
    processes: int | None = None,
) -> int:
    """Serve until SIGTERM/SIGINT, from ``processes`` (default ``MADOGUCHI_PROCESSES``) processes."""
    host = host or settings.host
    port = port if port is not None else settings.port
    processes = processes or settings.processes
    if processes == 1:
        return _serve_http_here(settings, host=host, port=port, today=today)
    from bot import prefork
    from faq import index

    index.ensure()  # built once here, not by every process at once
    sock = prefork.listening_socket(host, port)
    where = sock.getsockname()[:2]
    handle, name = tempfile.mkstemp(prefix="madoguchi-seen-", suffix=".db")
    os.close(handle)
    seen_file = Path(name)
    print(
        f"madoguchi: serving Slack over HTTP at http://{where[0]}:{where[1]}{EVENTS_PATH} "
        f"(health: {HEALTH_PATH}) from {processes} processes",
        file=sys.stderr,
        flush=True,
    )
    try:
        return prefork.supervise(
            lambda: _serve_http_here(
                settings, host=host, port=port, today=today, sockets=[sock], seen_file=seen_file
            ),
            processes=processes,
            drain_seconds=DRAIN_SECONDS,
        )
    finally:
        for path in (seen_file, *(seen_file.with_name(seen_file.name + s) for s in ("-wal", "-shm"))):
            path.unlink(missing_ok=True)


def _serve_http_here(
    settings: Settings,
    *,
    host: str,
    port: int,
    today: date | None,
    sockets: list[socket.socket] | None = None,
    seen_file: Path | None = None,
) -> int:
    """One process's server: warm the FAQ (:func:`faq.search.warm`), build the app, serve until told
    to stop, drain. With ``sockets``, one of a pre-forked server's processes (the parent printed
    where it listens; 1 when the drain timed out), sharing ``seen_file`` with the others."""
    from faq.search import warm

    worker = sockets is not None
    parent = os.getppid() if worker else None  # before warming: the parent may die meanwhile
    stop = threading.Event()
    with _stop_on_signals(stop):  # a SIGTERM while starting up stops the process as cleanly
        warm()
        app = build_app(settings, mode="http", today=today, seen_file=seen_file)
        server = http_server(app, host=host, port=port, threads=settings.threads, sockets=sockets)
        where = server.effective_host, server.effective_port  # type: ignore[union-attr]
        if not worker:
            print(
                f"madoguchi: serving Slack over HTTP at http://{where[0]}:{where[1]}{EVENTS_PATH} (health: {HEALTH_PATH})",
                file=sys.stderr,
                flush=True,
            )
        serve_until(server, stop, parent=parent)  # type: ignore[arg-type]
        drained = drain(server, app.listener_runner.listener_executor, seconds=DRAIN_SECONDS)  # type: ignore[arg-type]
    return 1 if worker and not drained else 0


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` (in the main thread; elsewhere signals are left alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_until(server: BaseWSGIServer, stop: threading.Event, *, parent: int | None = None) -> None:
    """waitress's loop, looking every ``LOOP_TIMEOUT`` s whether ``stop`` was set (or, for a worker
    of a pre-forked server, whether its ``parent`` process is gone)."""
    from waitress import wasyncore

    while not stop.is_set():
        wasyncore.loop(timeout=LOOP_TIMEOUT, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)
        if parent is not None and os.getppid() != parent:
            log.warning("the server's parent process is gone: stopping")
            stop.set()


def drain(server: BaseWSGIServer, executor: Executor, *, seconds: float) -> bool:
    """Stop gracefully: refuse new connections, read no new request, answer those in flight, close
    each connection once it is idle; then let the replies being posted be posted and the inquiry
    log be written. Gives up after ``seconds`` (True if everything finished in time)."""
    from waitress import wasyncore
    from waitress.channel import HTTPChannel

    from madoguchi import logbook

    deadline = time.monotonic() + seconds
    wasyncore.dispatcher.close(server)  # the listening socket: new connections are refused now
    channels = [c for c in list(server._map.values()) if isinstance(c, HTTPChannel)]
    for channel in channels:
        reading = channel.readable
        # finish a request already partly received; read no further request on this connection
        channel.readable = lambda c=channel, r=reading: c.request is not None and r()  # type: ignore[method-assign]
    busy = [c for c in channels if c.requests or c.request is not None or c.total_outbufs_len]
    log.info("stopping: answering %d request(s) in flight, then exiting", len(busy))
    while time.monotonic() < deadline:
        open_channels = [c for c in list(server._map.values()) if isinstance(c, HTTPChannel)]
        waiting = False
        for channel in open_channels:
            if channel.requests or channel.request is not None or channel.total_outbufs_len:
                waiting = True
            else:
                channel.handle_close()
        if not waiting:
            break
        wasyncore.loop(timeout=0.05, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=max(0.0, deadline - time.monotonic()))
    finished = _shutdown(executor, timeout=max(0.0, deadline - time.monotonic()))
    logged = logbook.flush(max(0.1, deadline - time.monotonic()))
    wasyncore.close_all(server._map)  # idle connections and the trigger
    left = [c for c in channels if c.requests]
    if left or not finished or not logged:
        log.warning(
            "stopped after %.0f s with work left: %d request(s), replies %s, inquiry log %s",
            seconds,
            len(left),
            "done" if finished else "still being posted",
            "written" if logged else "not fully written",
        )
        return False
    log.info("stopped: every request answered")
    return True


def _shutdown(executor: Executor, *, timeout: float) -> bool:
    """``executor.shutdown(wait=True)``, waited for at most ``timeout`` s."""
    waiter = threading.Thread(target=executor.shutdown, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(timeout)
    return not waiter.is_alive()


# --- Socket Mode ---------------------------------------------------------------------------------


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    """slack_sdk's built-in Socket Mode client; its WebSocket URL comes from ``apps.connections.open``."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.app_token is not None
    return SocketModeHandler(
        app, settings.app_token.get_secret_value(), logger=logging.getLogger("madoguchi.socket")
    )


def serve_socket_mode(settings: Settings, *, today: date | None = None) -> int:
    from faq.search import warm

    warm()
    app = build_app(settings, mode="socket", today=today)
    handler = socket_mode_handler(app, settings)
    print("madoguchi: connecting to Slack over Socket Mode", file=sys.stderr, flush=True)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM as Ctrl-C
    try:
        handler.start()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0
