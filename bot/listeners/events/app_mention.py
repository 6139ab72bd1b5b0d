"""A mention in a channel: answered in the thread of the message."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.boundary import guard
from bot.listeners.events import ack_now, answer_in_thread

EVENT = "app_mention"


@guard
def reply_to_mention(body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
    answer_in_thread(body["event"], client, context)


def register(app: App) -> None:
    app.event(EVENT)(ack=ack_now, lazy=[reply_to_mention])
