"""The `madoguchi` command: `ask` (offline front door), the console, and the other subcommands."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from madoguchi.reply import Reply
from madoguchi.router import answer

CONSOLE_BANNER = (
    "madoguchi コンソール — 質問やコマンド（/quote UT 3 など）を入力してください。終了は exit または Ctrl-D。"
)

ASK_USAGE = (
    "使い方: madoguchi ask [--json] 質問またはコマンド\n"
    "        madoguchi ask [--json] -   （標準入力の1行を1件として順に回答）\n"
    '例: madoguchi ask "/quote UT 3" 、madoguchi ask --json "300床の病院の利用料は？"'
)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--today must be YYYY-MM-DD, got {value!r}") from None


def _emit(reply: Reply, *, as_json: bool) -> str:
    if not as_json:
        return reply.text
    data = reply.to_json()
    try:  # the Block Kit rendering Slack would show, when the Slack layer is installed
        from bot.blocks import render

        data["blocks"] = render(reply)["blocks"]
    except ImportError:
        pass
    return json.dumps(data, ensure_ascii=False)


def ask(messages: Iterable[str], *, as_json: bool, today: date, out: object = sys.stdout) -> int:
    """Answer each message in order, one output record per message; a failing one still yields its record."""
    for message in messages:
        reply = answer(message.rstrip("\r\n"), today=today, entry="ask")
        text = _emit(reply, as_json=as_json)
        print(text if as_json else text + "\n", file=out, flush=True)  # type: ignore[call-overload]
    return 0


def console(*, today: date) -> int:
    print(CONSOLE_BANNER)
    while True:
        try:
            line = input("madoguchi> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip() in {"exit", "quit", "終了"}:
            return 0
        if line.strip():
            print(answer(line, today=today, entry="console").text + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="madoguchi", description="Fee and certificate answers for support staff."
    )
    parser.add_argument("--today", help="answer as if today were this date (YYYY-MM-DD)")
    sub = parser.add_subparsers(dest="command")
    ask_p = sub.add_parser("ask", help="answer a message (TEXT) or one message per line of stdin (-)")
    ask_p.add_argument("text", nargs="*", help="the message, or - to read messages from stdin")
    ask_p.add_argument("--json", action="store_true", help="one JSON object per message")
    sub.add_parser("console", help="an interactive console of the assistant")
    for module in _plugins():
        module.register(sub)
    return parser


def _plugins() -> list:
    """Subcommand modules of the other packages: each has ``register(subparsers)`` that adds its
    subcommands with ``set_defaults(run=callable(args) -> int)``."""
    import importlib

    found = []
    for name in ("faq.cli", "madoguchi.logbook.cli", "bot.cli"):
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name is None or not name.startswith(error.name):
                raise  # a missing dependency inside an existing module is a real error
    return found


def _to_pipe(command: Callable[[], int]) -> int:
    """Run a command whose output may go to a reader that stops early (`madoguchi ask - | head`,
    `madoguchi faq stats | head`): the closed pipe ends it quietly, not with a traceback."""
    try:
        return command()
    except BrokenPipeError:
        sys.stderr.close()
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("MADOGUCHI_LOG_LEVEL", "WARNING"), stream=sys.stderr)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        today = _today(args.today)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if args.command == "ask":
        if not args.text:
            print(ASK_USAGE, file=sys.stderr)
            return 2
        messages = sys.stdin if args.text == ["-"] else [" ".join(args.text)]
        return _to_pipe(lambda: ask(messages, as_json=args.json, today=today))
    if getattr(args, "run", None) is not None:
        return _to_pipe(lambda: int(args.run(args)))
    for module in _plugins():
        # bot.cli decides what a bare `madoguchi` does: serve when Slack tokens are set, else the console.
        if args.command is None and hasattr(module, "default_run"):
            return int(module.default_run(args, console=lambda: console(today=today)))
    return console(today=today)


if __name__ == "__main__":
    sys.exit(main())
