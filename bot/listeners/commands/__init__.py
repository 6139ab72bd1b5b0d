"""Slash commands: the reply is computed in-process and sent IN the ack (ephemeral), so no Web API
call is needed and Slack gets it well within 3 seconds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks import Context, render
from bot.markup import from_slack
from bot.runtime import Runtime


def question_for(name: str, text: str) -> str:
    """What the router is asked for ``/name text``; empty text asks for that command's usage."""
    plain = from_slack(text or "")
    return f"/{name} {plain}" if plain else f"/{name} help"


def answer_command(name: str, *, ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    runtime: Runtime = context["runtime"]
    question = question_for(name, body.get("text", ""))
    reply, day = runtime.answer(question, entry="slash", command=f"/{name}", user_id=body.get("user_id"))
    # Bad input and apologies are for the asker only: no 「チャンネルに共有」 under them.
    message = render(reply, Context(question=question, today=day, shareable=reply.kind != "error"))
    ack(response_type="ephemeral", **message)
