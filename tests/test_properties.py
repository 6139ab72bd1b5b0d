"""Properties over arbitrary text: no parser raises anything but a DomainError; the router never raises."""

import contextlib
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators.errors import DomainError
from madoguchi.reply import KINDS
from madoguchi.router import answer
from madoguchi.understand.dates import find_dates
from madoguchi.understand.interpret import interpret
from madoguchi.understand.normalize import normalize

TODAY = date(2026, 11, 22)

FRAGMENTS = [
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
    "まとめ書込み",
    "病院",
    "保険薬局",
    "床",
    "期限",
    "継続",
    "ids=",
    "start=",
    "end=",
    "anchor=",
    "on=",
    "->",
    "late",
    "outage",
    "surcharge",
    "install",
    "amount=",
    "due=",
    "paid=",
    "hours=",
    "month=",
    "2025-02-30",
    "2025-13-01",
    "2028-02-29",
    "令和元年",
    "平成",
    "年度",
    "月",
    "日",
    "個",
    "枚",
    "万",
    "円",
    "-",
    "0",
    "999999999999",
    "３",
    "Ｕ",
    "　",
    "\x00",
    "\u202e",
    "😀",
    "<!channel>",
    "<@U123>",
    "' OR 1=1 --",
    "NEAR(",
    '"',
    "*",
    "^",
    ":",
    "AND",
    "NOT",
]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(FRAGMENTS) | st.integers(-10, 10**6).map(str) | st.text(max_size=5), max_size=12
    ).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_interpret_raises_only_domain_errors(text: str) -> None:
    try:
        interpret(text, today=TODAY)
    except DomainError as error:
        assert error.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_find_dates_raises_only_domain_errors(text: str) -> None:
    with contextlib.suppress(DomainError):
        find_dates(normalize(text), today=TODAY)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_router_always_replies_with_a_valid_kind(text: str) -> None:
    reply = answer(text, today=TODAY)
    assert reply.kind in KINDS
    assert reply.text
    assert reply.kind != "error" or reply.error_id is None, f"internal error for {text!r}"


def test_four_thousand_emoji() -> None:
    reply = answer("😀" * 4000, today=TODAY)
    assert reply.kind in {"unknown", "faq", "error"}
    reply = answer("😀" * 4001, today=TODAY)
    assert reply.kind == "error" and "4000" in reply.text
