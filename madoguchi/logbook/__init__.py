"""The inquiry log: every answer (redacted) and its 👍/👎, for the report and the FAQ curation loop.

The router calls :func:`record_answer` after every answer; the Slack app calls
:func:`record_feedback` from its buttons and modal, and :mod:`madoguchi.logbook.report` for
``/madoguchi stats`` (admins only, :func:`is_admin`).
"""

from madoguchi.logbook.store import close, flush, record_answer, record_feedback, start, status

__all__ = ["close", "flush", "is_admin", "record_answer", "record_feedback", "start", "status"]


def is_admin(user_id: str | None) -> bool:
    """Whether ``user_id`` is one of ``MADOGUCHI_ADMINS`` (comma-separated Slack user IDs)."""
    from madoguchi.logbook.report import is_admin as check

    return check(user_id)
