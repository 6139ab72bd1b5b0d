"""👍/👎 under an FAQ answer: record the vote and thank the user (only they see it)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import strings
from bot.blocks import FEEDBACK_ACTIONS, comment_modal, notice, parse_value
from bot.boundary import guard
from bot.feedback import record_feedback
from bot.listeners.actions import ack_now, post_to_response_url

ACTION = re.compile("^(" + "|".join(FEEDBACK_ACTIONS.values()) + ")$")


@guard
def record_vote(body: dict[str, Any], client: WebClient) -> None:
    action = body["actions"][0]
    vote = "up" if action["action_id"] == FEEDBACK_ACTIONS["up"] else "down"
    data = parse_value(action.get("value"))
    user = body["user"]["id"]
    record_feedback(user, data.get("a", ""), vote, faq_id=data.get("f", ""))
    if body.get("trigger_id") and data.get("a"):
        client.views_open(
            trigger_id=body["trigger_id"], view=comment_modal(data["a"], data.get("f", ""), vote)
        )
    thanks = notice(strings.FEEDBACK_THANKS)
    container = body.get("container") or {}
    if container.get("is_ephemeral") and body.get("response_url"):
        post_to_response_url(
            body["response_url"], {"response_type": "ephemeral", "replace_original": False, **thanks}
        )
        return
    message = body.get("message") or {}
    client.chat_postEphemeral(
        channel=body["channel"]["id"],
        user=user,
        thread_ts=container.get("thread_ts") or message.get("thread_ts"),
        **thanks,
    )


def register(app: App) -> None:
    app.action(ACTION)(ack=ack_now, lazy=[record_vote])
