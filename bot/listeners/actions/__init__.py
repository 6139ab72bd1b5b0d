"""Button clicks: acknowledged at once, the work done afterwards on the listener executor."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk.webhook import WebhookClient

from bot.retries import retry_handlers


def ack_now(ack: Ack) -> None:
    ack()


def post_to_response_url(url: str, payload: dict[str, Any]) -> None:
    """POST a message to a response_url (valid 30 minutes, 5 uses); raise if Slack refuses it."""
    result = WebhookClient(url, timeout=10, retry_handlers=retry_handlers()).send_dict(payload)
    if result.status_code != 200:
        raise RuntimeError(f"response_url answered {result.status_code}")
