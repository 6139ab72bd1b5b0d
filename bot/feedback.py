"""Feedback on FAQ answers (👍/👎). For now it is logged; the inquiry log will store it."""

from __future__ import annotations

import logging
from typing import Literal

log = logging.getLogger("madoguchi.feedback")

Vote = Literal["up", "down"]


def record_feedback(user_id: str, faq_id: str, vote: Vote, question: str) -> None:
    """Record one vote on one FAQ answer. ``question`` is the message that was answered."""
    log.info("feedback vote=%s faq_id=%s user=%s question_chars=%d", vote, faq_id, user_id, len(question))
