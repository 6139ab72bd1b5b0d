"""The App Home tab: published when a user opens it."""

from __future__ import annotations

from functools import cache
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks import home_view
from bot.boundary import guard
from bot.listeners.events import ack_now

EVENT = "app_home_opened"


@cache
def _view() -> dict[str, Any]:
    return home_view()


@guard
def publish_home(body: dict[str, Any], client: WebClient) -> None:
    event = body["event"]
    if event.get("tab", "home") == "home":
        client.views_publish(user_id=event["user"], view=_view())


def register(app: App) -> None:
    app.event(EVENT)(ack=ack_now, lazy=[publish_home])
