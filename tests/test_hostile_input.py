"""Hostile input: any text up to 4,000 characters, through the router, every parser and the Slack
rendering, never raises, never gets an internal-error reply, and never echoes markup unescaped.

The text mixes control characters and NUL, emoji (with ZWJ, skin tones, flags), right-to-left and
zero-width marks, full- and half-width forms, SQL and FTS5 syntax, Slack mrkdwn and tokens
(``<!channel>``, ``<@U123>``, ``<https://evil|click>``), the commands' own keywords and numbers.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.blocks import Context, parse_value, render, validate
from bot.listeners.commands import question_for
from bot.markup import from_slack
from calculators.errors import DomainError
from faq.documents import lookup
from faq.search import best_answer
from faq.text import terms
from madoguchi.logbook import redact, store
from madoguchi.reply import KINDS, Reply
from madoguchi.router import answer, clean_text
from madoguchi.understand.dates import find_dates, parse_date
from madoguchi.understand.hpki_text import parse_hpki_args
from madoguchi.understand.interpret import COMMANDS, interpret, interpret_command, split_command
from madoguchi.understand.media_text import parse_quote_args
from madoguchi.understand.normalize import MAX_INPUT, normalize
from madoguchi.understand.numbers import parse_decimal, parse_int
from madoguchi.understand.prorate_text import parse_prorate_args

TODAY = date(2026, 11, 22)
BOT_USER = "UBOTMADO1"

CONTROL = [chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x85, 0x9B)]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\ufeff", "\u00ad"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"]
EMOJI = ["😀", "👨\u200d👩\u200d👧", "👍🏽", "🇯🇵", "❤\ufe0f", "🧾", "🈂", "\U0001f9d1\u200d\u2695\ufe0f"]
WIDTH = [
    "ＵＴ",
    "ＤＬ",
    "３",
    "１０",
    "，",
    "＝",
    "－",
    "＞",
    "／",
    "　",
    "ｱｲｳ",
    "ﾄｰｸﾝ",
    "ﾞ",
    "ﾟ",
    "㍻",
    "㈱",
    "①",
    "Ⅻ",
]
SQL = ["'; DROP TABLE log_answers; --", "' OR 1=1 --", '" OR ""="', "%", "_", "\\", "/*", "*/", ";"]
FTS5 = [
    '"',
    "NEAR(a b, 2)",
    "AND",
    "OR",
    "NOT",
    "*",
    "^",
    ":",
    "col:term",
    "{a b}",
    "(",
    ")",
    "-",
    "+",
    '"a"*',
]
SLACK = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S123|@team>",
    "<@U123>",
    "<@U123|bob>",
    "<#C123|general>",
    "<https://evil.example|click>",
    "<mailto:a@b.example|mail>",
    "<javascript:alert(1)|x>",
    "&lt;!channel&gt;",
    "&amp;",
    "&lt;@U1&gt;",
    "<",
    ">",
    "&",
    "*bold*",
    "_it_",
    "~s~",
    "`code`",
    "```block```",
    "> quote",
    ":smile:",
]
DOMAIN = [
    "/quote",
    "/hpki",
    "/prorate",
    "/faq",
    "/madoguchi",
    "DL",
    "CD",
    "CM",
    "UM",
    "UT",
    "USBトークン",
    "病院",
    "保険薬局",
    "399床",
    "期限",
    "継続",
    "ids=",
    "ids=10->20",
    "start=",
    "end=2025-02-30",
    "anchor=31",
    "on=",
    "late",
    "outage",
    "surcharge",
    "install",
    "amount=",
    "hours=53.5",
    "month=2025-13",
    "令和元年",
    "平成31年4月31日",
    "2028-02-29",
    "9999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "十万",
    "延滞利息",
    "第22条",
    "通則6",
    "HPKI 7-②",
    "山田太郎様",
    "090-1234-5678",
]
FRAGMENTS = CONTROL + INVISIBLE + BIDI + EMOJI + WIDTH + SQL + FTS5 + SLACK + DOMAIN

pieces = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=12),
    st.integers(-(10**12), 10**25).map(str),
)
mixed = st.lists(pieces, max_size=40).flatmap(
    lambda parts: st.sampled_from(["", " ", "　", "\n"]).map(lambda sep: sep.join(parts))
)
# Long text: a hostile chunk repeated up to exactly the 4,000-character limit.
long_text = st.tuples(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join),
    st.integers(500, MAX_INPUT),
).map(lambda t: (t[0] * (t[1] // max(1, len(t[0])) + 1))[: t[1]])
hostile = st.one_of(mixed, st.text(max_size=300), long_text)


def texts(node: Any) -> Iterator[str]:
    """Every ``text`` string of a message (block texts, fields, buttons, the fallback)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def assert_safe_message(reply: Reply, question: str) -> None:
    """The reply renders to valid Block Kit and no text in it can mention, link or format."""
    assert reply.kind in KINDS
    assert reply.error_id is None, f"internal error for {question[:80]!r}"
    assert reply.text.strip()
    message = render(reply, Context(question=question, today=TODAY, shareable=reply.kind != "error"))
    validate(message["blocks"])
    for block in message["blocks"]:  # plain dicts in exactly the shape slack_sdk's models give
        assert Block.parse(dict(block)).to_dict() == block  # type: ignore[union-attr]
    for text in texts(message):
        assert "<" not in text and ">" not in text, text[:200]
        assert "<!" not in text and "<@" not in text and "<http" not in text
    json.dumps(message, ensure_ascii=False).encode("utf-8")  # what goes over the wire encodes


HOSTILE = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the router, as every door reaches it --------------------------------------------------------


@HOSTILE
@given(hostile)
def test_router_gives_a_valid_reply_with_safe_blocks(text: str) -> None:
    assert_safe_message(answer(text, today=TODAY), text)


@HOSTILE
@given(st.sampled_from(COMMANDS), hostile)
def test_slash_command_text_from_slack(command: str, wire: str) -> None:
    """What a slash-command listener does with the ``text`` field Slack sends."""
    question = question_for(command, wire)
    assert_safe_message(answer(question, today=TODAY, entry="slash"), question)


@HOSTILE
@given(hostile)
def test_mention_text_from_slack(wire: str) -> None:
    """What a mention or DM listener does with the event's ``text`` (the bot's own mention dropped)."""
    question = from_slack(f"<@{BOT_USER}> {wire}", drop_user=BOT_USER)
    assert f"<@{BOT_USER}>" not in question
    assert_safe_message(answer(question, today=TODAY, entry="mention"), question)


@pytest.mark.parametrize(
    "fragment", ["😀", "1", "2025-07-20 ", "<!channel> ", "ｱ", "\x00", "料金 ", "' OR 1=1 --"]
)
def test_exactly_at_and_just_over_the_length_limit(fragment: str) -> None:
    text = (fragment * MAX_INPUT)[:MAX_INPUT]
    assert_safe_message(answer(text, today=TODAY), text)
    over = answer(text + "x", today=TODAY)
    assert over.kind == "error" and over.error_id is None and str(MAX_INPUT) in over.text


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",
        "料金は？\ud83d",
        "/quote UT 3 \udfff",
        "/faq \udc00延滞利息",
        "\ud83d\ude00 /hpki 病院 399床",
        "<@U1>\ud800<!channel>",
    ],
)
def test_lone_surrogates_from_event_json_are_answered(text: str) -> None:
    """``json.loads('"\\\\ud800"')`` gives a lone surrogate: the Events API can hand one over."""
    wire = json.loads(json.dumps(text))
    assert_safe_message(answer(wire, today=TODAY), clean_text(wire))
    assert "\ufffd" in from_slack(wire) or not any("\ud800" <= c <= "\udfff" for c in wire)


# --- every parser ------------------------------------------------------------------------------


def _interpret_each(text: str) -> None:
    for command in COMMANDS:
        with contextlib.suppress(DomainError):
            interpret_command(command, text, today=TODAY)


PARSERS: dict[str, Callable[[str], object]] = {
    "interpret": lambda t: interpret(t, today=TODAY),
    "interpret_command": _interpret_each,
    "split_command": split_command,
    "normalize": normalize,
    "parse_quote_args": lambda t: parse_quote_args(normalize(t), today=TODAY),
    "parse_hpki_args": lambda t: parse_hpki_args(normalize(t), today=TODAY),
    "parse_prorate_args": lambda t: parse_prorate_args(normalize(t), today=TODAY),
    "find_dates": lambda t: find_dates(normalize(t), today=TODAY),
    "parse_date": lambda t: parse_date(normalize(t), today=TODAY, allow_month=True),
    "parse_int": lambda t: parse_int(t, what="数"),
    "parse_decimal": lambda t: parse_decimal(t, what="時間"),
    "faq lookup": lookup,
    "faq terms": terms,
    "faq search": best_answer,
    "redact": redact.redact,
    "from_slack": from_slack,
    "parse_value": parse_value,
}


@pytest.mark.parametrize("name", list(PARSERS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile)
def test_every_parser_raises_nothing_but_a_domain_error(name: str, text: str) -> None:
    parse = PARSERS[name]
    try:
        parse(clean_text(text) if name in {"faq terms", "faq search", "redact"} else text)
    except DomainError as error:
        assert error.message


@settings(max_examples=40, deadline=None)
@given(hostile)
def test_from_slack_never_leaves_a_token_that_renders(wire: str) -> None:
    plain = from_slack(wire)
    assert not any("\ud800" <= c <= "\udfff" for c in plain)
    assert_safe_message(
        Reply(kind="error", title=plain[:100] or "-", lines=(plain or "-",), notes=(plain or "-",)), plain
    )


# --- the inquiry log keeps up with hostile text ------------------------------------------------


def test_the_inquiry_log_stores_hostile_text_without_dropping_a_batch(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "log.db")
    now = datetime.now(UTC)
    records: list[store.AnswerRecord | store.FeedbackRecord] = [
        store.AnswerRecord(
            f"a{n}", now, text, "mention", "/faq\ud800", "faq", None, None, {"q": text}, None, 0.1
        )
        for n, text in enumerate(["/quote UT 3", "料金\ud800", "\x00" * 10, "<!channel>" * 400, "😀" * 4000])
    ]
    records.append(store.FeedbackRecord("a1", "U\udfff", 1, "コメント\ud83d 山田太郎様", now))
    store.write_batch(db, records)
    conn = sqlite3.connect(tmp_path / "log.db")
    try:
        stored = dict(conn.execute(f"SELECT id, question FROM {store.ANSWERS}").fetchall())
        votes = conn.execute(f"SELECT comment FROM {store.FEEDBACK}").fetchall()
    finally:
        conn.close()
        db.conn.close()
    assert set(stored) == {f"a{n}" for n in range(5)}
    assert stored["a1"] == "料金\ufffd"
    assert "[メンション]" in stored["a3"] and "<!channel>" not in stored["a3"]
    assert votes and "山田" not in votes[0][0]


# --- long runs of digits: no parser may backtrack over them ---------------------------------------
# 「延滞 」 + 3,990 digits + 床 once took 165 s in the amount pattern (\d[\d,]* then \d*: cubic in the
# run's length) and blocked the worker. Each of these is answered in a few hundred ms at most; the
# bound only tells a linear scan from a polynomial one.
RUNS = ["1" * 3990, "1," * 1995, "1年" * 1330]


@pytest.mark.parametrize("suffix", ["床", "枚", "円", "時間", "日前", "ID", "証明書"])
@pytest.mark.parametrize("prefix", ["", "延滞 ", "障害 ", "HPKI 病院 "])
def test_a_long_run_of_digits_is_answered_at_once(prefix: str, suffix: str) -> None:
    import time

    answer("延滞利息", today=TODAY)  # the parsers' lazy setup (dateparser's patterns) is not timed
    for run in RUNS:
        started = time.perf_counter()
        reply = answer(prefix + run + suffix, today=TODAY)
        assert time.perf_counter() - started < 3.0, (prefix, run[:4], suffix)
        assert reply.kind in KINDS
