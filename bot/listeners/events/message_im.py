"""A direct message to the app: answered in the thread of the message."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.boundary import guard
from bot.listeners.events import ack_now, answer_in_thread

EVENT = "message.im"


def in_a_dm(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


@guard
def reply_to_dm(body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
    answer_in_thread(body["event"], client, context)


def register(app: App) -> None:
    app.event("message", matchers=[in_a_dm])(ack=ack_now, lazy=[reply_to_dm])
