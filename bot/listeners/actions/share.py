"""「チャンネルに共有」: re-answer the question the button carries and post it in the channel."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks import SHARE_ACTION, Context, parse_value, render
from bot.boundary import guard
from bot.listeners.actions import ack_now, post_to_response_url
from bot.runtime import Runtime

ACTION = SHARE_ACTION


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@guard
def share_reply(body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
    runtime: Runtime = context["runtime"]
    data = parse_value(body["actions"][0].get("value"))
    question = data.get("q")
    if not question:
        return
    reply, day = runtime.answer(question, day=_day(data.get("d")))
    user = body.get("user", {}).get("id")
    message = render(reply, Context(question=question, today=day, shared_by=user))
    if body.get("response_url"):
        post_to_response_url(
            body["response_url"], {"response_type": "in_channel", "replace_original": False, **message}
        )
    else:
        client.chat_postMessage(channel=body["channel"]["id"], unfurl_links=False, **message)


def register(app: App) -> None:
    app.action(ACTION)(ack=ack_now, lazy=[share_reply])
