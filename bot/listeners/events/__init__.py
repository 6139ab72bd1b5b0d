"""Events: acknowledged at once; the answer is posted in the thread of the question afterwards,
on Bolt's bounded listener executor (lazy listeners), so a slow Web API never holds the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import Context, render
from bot.markup import from_slack
from bot.runtime import Runtime


def ack_now(ack: Ack) -> None:
    ack()


def answer_in_thread(event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
    """Route the message's text and post the reply in its thread."""
    runtime: Runtime = context["runtime"]
    question = from_slack(event.get("text") or "", drop_user=context.get("bot_user_id"))
    entry = "dm" if event.get("channel_type") == "im" else "mention"
    reply, day = runtime.answer(question, entry=entry, user_id=event.get("user"))
    message = render(reply, Context(question=question, today=day))
    client.chat_postMessage(
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
        unfurl_links=False,
        unfurl_media=False,
        **message,
    )
