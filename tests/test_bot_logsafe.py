"""Tokens and signing secrets never appear in logs."""

from __future__ import annotations

import io
import logging

from bot.logsafe import MASK, RedactingFilter, install

BOT = "xoxb-5555-6666-logTESTtoken"
SECRET = "fedcba9876543210fedcba9876543210"


def _logger_with_stream(name: str) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_message_arguments_and_traceback_are_masked() -> None:
    install([SECRET])
    logger, stream = _logger_with_stream("test.logsafe.a")
    logger.info("token %s and secret %s and app token %s", BOT, SECRET, "xapp-1-A1-2-3abc")
    try:
        raise ValueError(f"bad {BOT} {SECRET} xoxp-1-2-3")
    except ValueError:
        logger.exception("failed")
    text = stream.getvalue()
    assert "ValueError: bad" in text and "Traceback" in text
    for secret in (BOT, SECRET, "xapp-1-A1-2-3abc", "xoxp-1-2-3"):
        assert secret not in text
    assert text.count(MASK) >= 6


def test_a_handler_added_after_install_is_covered_too() -> None:
    install([SECRET])
    logger, stream = _logger_with_stream("test.logsafe.b")
    logger.warning("late handler sees %s", SECRET)
    assert SECRET not in stream.getvalue() and MASK in stream.getvalue()


def test_ordinary_text_is_left_alone() -> None:
    redact = RedactingFilter([SECRET]).redact
    assert redact("/prorate ids=10 xox 見積もり xoxb") == "/prorate ids=10 xox 見積もり xoxb"


def test_a_malformed_log_call_does_not_raise() -> None:
    install()
    logger, stream = _logger_with_stream("test.logsafe.c")
    logger.info("two %s %s", "only-one")
    assert "two" in stream.getvalue()
