"""/madoguchi: usage of every command; `/madoguchi stats` shows the inquiry-log summary to admins."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot import strings
from bot.listeners.commands import answer_command
from bot.markup import from_slack

COMMAND = "/madoguchi"
log = logging.getLogger("madoguchi.bot")


def madoguchi_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    words = from_slack(body.get("text") or "").split()
    if words[:1] == ["stats"]:
        ack(response_type="ephemeral", text=stats_text(body.get("user_id") or "", words[1:]))
        return
    answer_command("madoguchi", ack=ack, body=body, context=context)


def stats_text(user_id: str, args: list[str]) -> str:
    """The report for an admin; a polite refusal, and nothing else, for anyone else."""
    from datetime import date

    from madoguchi.logbook import is_admin
    from madoguchi.logbook.report import ReportError, render_summary_text, summary

    if not is_admin(user_id):
        return strings.NOT_ADMIN
    since = None
    if args:
        try:
            since = date.fromisoformat(args[0])
        except ValueError:
            return strings.STATS_USAGE
    try:
        return render_summary_text(summary(since), mrkdwn=True)[:3900]
    except ReportError as error:
        return (type(error).__doc__ or "").strip()


def register(app: App) -> None:
    app.command(COMMAND)(madoguchi_command)
