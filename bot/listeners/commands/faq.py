"""/faq: questions on the documents and clause lookup."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.commands import answer_command

COMMAND = "/faq"


def faq_command(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    answer_command("faq", ack=ack, body=body, context=context)


def register(app: App) -> None:
    app.command(COMMAND)(faq_command)
