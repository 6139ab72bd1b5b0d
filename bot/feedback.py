"""Feedback on FAQ answers (👍/👎, with an optional comment): stored in the inquiry log with the
answer it rates. A second vote by the same user on the same answer replaces the first."""

from __future__ import annotations

import logging
from typing import Literal

log = logging.getLogger("madoguchi.feedback")

Vote = Literal["up", "down"]


def record_feedback(
    user_id: str, answer_id: str, vote: Vote, *, faq_id: str = "", comment: str | None = None
) -> None:
    """Record one vote; never raises (a vote that cannot be stored is logged and dropped)."""
    from madoguchi.logbook import record_feedback as store

    log.info("feedback vote=%s faq_id=%s comment=%s", vote, faq_id, "yes" if comment else "no")
    if not answer_id:
        log.warning("feedback without an answer id (faq_id=%s): not stored", faq_id)
        return
    try:
        store(answer_id, user_id, vote, comment)
    except Exception:
        log.warning("feedback could not be stored", exc_info=True)
