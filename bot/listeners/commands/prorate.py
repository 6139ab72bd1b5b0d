"""/prorate: user-authentication service fees: monthly, proration, late interest, outage credit, surcharge, installation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.commands import answer_command

COMMAND = "/prorate"


def prorate_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    answer_command("prorate", ack=ack, body=body, context=context)


def register(app: App) -> None:
    app.command(COMMAND)(prorate_command)
