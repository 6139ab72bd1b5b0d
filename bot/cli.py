"""``madoguchi serve`` and what a bare ``madoguchi`` does (serve when Slack is configured).

Imports of Bolt and the server are deferred, so ``madoguchi ask`` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import date

NOT_CONFIGURED = (
    "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_BOT_TOKEN and "
    "SLACK_SIGNING_SECRET (madoguchi serve --http) to serve Slack; opening the local console."
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = subparsers.add_parser(
        "serve",
        help="serve Slack: Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN) or --http (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)",
    )
    serve.add_argument(
        "--http", action="store_true", help="serve the Events API at POST /slack/events (and GET /healthz)"
    )
    serve.add_argument(
        "--host", help="address to listen on with --http (default MADOGUCHI_HOST or 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, help="port to listen on with --http (default MADOGUCHI_PORT or 3000)"
    )
    serve.add_argument(
        "--processes",
        type=int,
        help="HTTP server processes sharing the port, one per core to use them all (default MADOGUCHI_PROCESSES or 1)",
    )
    serve.set_defaults(run=run_serve)


def _today(args: argparse.Namespace) -> date | None:
    value = getattr(args, "today", None)
    return date.fromisoformat(value) if value else None


def _fail(message: str) -> int:
    print(f"madoguchi serve: {message}", file=sys.stderr)
    return 2


def _serve(mode: str, args: argparse.Namespace) -> int:
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot import app as bot_app
    from bot.settings import SettingsError, load_settings

    _log_level()
    try:
        settings = load_settings().require("http" if mode == "http" else "socket")
        if mode == "http":
            if args.port is not None and not 0 <= args.port <= 65535:
                return _fail(f"--port must be 0..65535, got {args.port}")
            processes = getattr(args, "processes", None)
            if processes is not None and not 1 <= processes <= 64:
                return _fail(f"--processes must be 1..64, got {processes}")
            return bot_app.serve_http(
                settings, host=args.host, port=args.port, today=_today(args), processes=processes
            )
        return bot_app.serve_socket_mode(settings, today=_today(args))
    except SettingsError as error:
        return _fail(str(error))
    except (BoltError, SlackApiError) as error:
        return _fail(f"Slack refused the tokens ({_short(error)}); check SLACK_BOT_TOKEN / SLACK_APP_TOKEN")
    except OSError as error:
        return _fail(
            f"cannot reach Slack or listen ({type(error).__name__}: {error}); check SLACK_API_URL, --host, --port"
        )


def _short(error: Exception) -> str:
    from bot.logsafe import RedactingFilter

    return RedactingFilter().redact(str(error).splitlines()[0])[:200]


def _log_level() -> None:
    """Our own loggers at INFO (startup, retries, errors with ids); MADOGUCHI_LOG_LEVEL still rules the root."""
    for name in ("madoguchi.bot", "madoguchi.feedback"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)


def run_serve(args: argparse.Namespace) -> int:
    return _serve("http" if args.http else "socket", args)


def default_run(args: argparse.Namespace, *, console: Callable[[], int]) -> int:
    """A bare ``madoguchi``: serve when the Slack settings are there (Socket Mode when an app token is
    set, else HTTP when a signing secret is), else say what to set, in one line, and open the console."""
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        return _fail(str(error))
    if not settings.missing("socket"):
        args.http = False
        return _serve("socket", args)
    if not settings.missing("http"):
        args.http, args.host, args.port = True, None, None
        return _serve("http", args)
    print(NOT_CONFIGURED, file=sys.stderr)
    return console()
