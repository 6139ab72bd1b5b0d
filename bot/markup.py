"""Slack's text markup, both ways.

Incoming text (slash-command and event ``text``) arrives with ``&``, ``<`` and ``>`` escaped and
mentions, channels and links as ``<…>`` tokens; :func:`from_slack` turns it into the plain text the
router reads. Outgoing text is escaped by :func:`escape` so that nothing a user typed can become a
mention (``<!channel>``, ``<@U…>``) or a link.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<([^<>]*)>")
_ID = re.compile(r"^[A-Z0-9]+$")


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters (``&`` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(match: re.Match[str], drop_user: str | None) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        if drop_user is not None and user == drop_user:
            return " "
        return "@" + (label or user)
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        return label or ("@" + special)
    return label or target


def from_slack(text: str, *, drop_user: str | None = None) -> str:
    """Slack's wire text → plain text: ``<@U1|ann>`` → ``@ann``, ``<https://x|x>`` → ``x``,
    ``&lt;`` → ``<``. Mentions of ``drop_user`` (the bot itself) are removed; a lone surrogate
    (possible in an event's JSON) becomes U+FFFD."""
    from madoguchi.router import clean_text

    return clean_text(unescape(_TOKEN.sub(lambda m: _token(m, drop_user), text)).strip())


def is_slack_id(value: object) -> bool:
    """A user, channel or team id as Slack issues them (``U0123ABC``): safe to put in ``<@…>``."""
    return isinstance(value, str) and 1 < len(value) <= 32 and bool(_ID.match(value))
