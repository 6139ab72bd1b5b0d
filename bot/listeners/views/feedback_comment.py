"""The optional comment modal after a 👍/👎: its submission replaces the vote with vote + comment."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import FEEDBACK_COMMENT_ACTION, FEEDBACK_COMMENT_BLOCK, FEEDBACK_COMMENT_VIEW
from bot.boundary import guard
from bot.feedback import record_feedback


@guard
def save_comment(ack: Ack, body: dict[str, Any]) -> None:
    ack()
    view = body["view"]
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    values = view.get("state", {}).get("values", {})
    comment = (
        values.get(FEEDBACK_COMMENT_BLOCK, {}).get(FEEDBACK_COMMENT_ACTION, {}).get("value") or ""
    ).strip()
    vote = "down" if meta.get("v") == "down" else "up"
    record_feedback(
        body["user"]["id"],
        str(meta.get("a", "")),
        vote,
        faq_id=str(meta.get("f", "")),
        comment=comment or None,
    )


def register(app: App) -> None:
    app.view(FEEDBACK_COMMENT_VIEW)(save_comment)
