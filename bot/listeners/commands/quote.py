"""/quote: media quotes (OCCTO client certificates)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.commands import answer_command

COMMAND = "/quote"


def quote_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    answer_command("quote", ack=ack, body=body, context=context)


def register(app: App) -> None:
    app.command(COMMAND)(quote_command)
