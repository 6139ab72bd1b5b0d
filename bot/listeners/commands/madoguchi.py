"""/madoguchi: usage of every command (admin functions come from other issues)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.commands import answer_command

COMMAND = "/madoguchi"


def madoguchi_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    answer_command("madoguchi", ack=ack, body=body, context=context)


def register(app: App) -> None:
    app.command(COMMAND)(madoguchi_command)
