"""Secrets never reach a log: a filter that masks Slack tokens and the configured secrets."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[REDACTED]"
# Bot, user, app-level and configuration tokens: xoxb-…, xoxp-…, xoxa-…, xoxe-…, xapp-…
_TOKENS = re.compile(r"\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+")


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback with tokens and the given secrets masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return _TOKENS.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep its raw message, still masked
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record._redacted = True  # type: ignore[attr-defined]
        return True


_installed: RedactingFilter | None = None


def install(secrets: Iterable[str] = ()) -> RedactingFilter:
    """Mask secrets in every record: a filter on each root handler, and on every record created
    from now on (so handlers added later are covered too). Calling it again adds secrets."""
    global _installed
    if _installed is None:
        _installed = RedactingFilter(secrets)
        previous = logging.getLogRecordFactory()
        active = _installed

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            active.filter(record)
            return record

        logging.setLogRecordFactory(factory)
    else:
        _installed.secrets = sorted({*_installed.secrets, *(s for s in secrets if s)}, key=len, reverse=True)
    for handler in logging.getLogger().handlers:
        if _installed not in handler.filters:
            handler.addFilter(_installed)
    return _installed
