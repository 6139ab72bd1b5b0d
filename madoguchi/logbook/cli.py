"""`madoguchi report [--since DATE] [--json | --csv | --suggest]`."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta

_DAYS = re.compile(r"^(\d{1,4})\s*(?:d|days?|日)$", re.IGNORECASE)


def _since(value: str) -> date | int:
    """A date (YYYY-MM-DD), or a number of days back from today (``7d``, ``30日``)."""
    text = value.strip()
    days = _DAYS.match(text)
    if days:
        return int(days.group(1))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--since must be YYYY-MM-DD or a number of days like 7d, got {value!r}"
        ) from None


def _today(args: argparse.Namespace) -> date:
    raw = getattr(args, "today", None)
    return date.fromisoformat(raw) if raw else date.today()


def _run(args: argparse.Namespace) -> int:
    from madoguchi.logbook.report import ReportError, render_csv, render_summary_text, summary
    from madoguchi.logbook.suggest import draft_entries

    today = _today(args)
    since = args.since
    if isinstance(since, int):
        since = today - timedelta(days=max(since - 1, 0))
    try:
        report = summary(since, top=max(args.top, args.limit if args.suggest else 0))
    except ReportError as error:
        print(f"madoguchi report: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    elif args.csv:
        sys.stdout.write(render_csv(report))
    elif args.suggest:
        sys.stdout.write(draft_entries(report.unanswered, today=today, limit=args.limit, since=since))
    else:
        print(render_summary_text(report, limit=args.top))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser(
        "report",
        help="what staff asked: totals, unanswered questions, 👎, latency (from the inquiry log)",
        description="Summarise the inquiry log. Questions were redacted before they were written.",
    )
    report.add_argument(
        "--since", type=_since, help="from this date (YYYY-MM-DD) or the last N days (7d); default: all kept"
    )
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object (total, unanswered, …)")
    output.add_argument("--csv", action="store_true", help="one CSV table: section,item,count,detail")
    output.add_argument(
        "--suggest",
        action="store_true",
        help="draft FAQ entries (TOML) from the most frequent unanswered groups",
    )
    report.add_argument("--top", type=int, default=20, help="groups and entries listed (default 20)")
    report.add_argument("--limit", type=int, default=10, help="drafts written by --suggest (default 10)")
    report.set_defaults(run=_run)
