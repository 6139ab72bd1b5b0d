"""/hpki: HPKI annual fee and payment deadlines."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.commands import answer_command

COMMAND = "/hpki"


def hpki_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    answer_command("hpki", ack=ack, body=body, context=context)


def register(app: App) -> None:
    app.command(COMMAND)(hpki_command)
