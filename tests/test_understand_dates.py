"""Dates in free text: a year-less date after a dated one, bare 元年."""

from datetime import date

import pytest

from madoguchi.errors import BadDate
from madoguchi.router import answer
from madoguchi.understand import requests as rq
from madoguchi.understand.dates import find_dates
from madoguchi.understand.interpret import interpret
from madoguchi.understand.normalize import normalize

JUNE_15 = date(2025, 6, 15)
LATE = "支払期日が2025年12月20日の100000円を{paid}に支払った場合の延滞利息は？"


def test_a_year_less_payment_date_is_the_first_one_after_the_due_date() -> None:
    request = interpret(LATE.format(paid="1月15日"), today=JUNE_15)
    assert isinstance(request, rq.LateRequest)
    assert (request.due, request.paid) == (date(2025, 12, 20), date(2026, 1, 15))
    assert any("2026年1月15日" in note for note in request.assumptions)


def test_the_reply_gives_25_days_and_993_yen_and_says_the_year_was_assumed() -> None:
    reply = answer(LATE.format(paid="1月15日"), today=JUNE_15)
    assert reply.kind == "late_interest", reply.text
    assert "25日" in reply.text and "993円" in reply.text
    assert "年の指定がない" in reply.text and "2026年" in reply.text


@pytest.mark.parametrize(
    ("paid", "expected"),
    [("12月21日", date(2025, 12, 21)), ("12月20日", date(2026, 12, 20)), ("12月19日", date(2026, 12, 19))],
)
def test_the_first_such_day_after_the_due_date(paid: str, expected: date) -> None:
    request = interpret(LATE.format(paid=paid), today=JUNE_15)
    assert isinstance(request, rq.LateRequest) and request.paid == expected


def test_a_dated_payment_date_is_kept_as_written() -> None:
    request = interpret(LATE.format(paid="2025年1月15日"), today=JUNE_15)
    assert isinstance(request, rq.LateRequest) and request.paid == date(2025, 1, 15)
    assert not request.assumptions
    assert answer(LATE.format(paid="2025年1月15日"), today=JUNE_15).kind == "error"


def test_a_year_less_due_date_says_the_year_too() -> None:
    request = interpret("支払期日が3月31日の100000円を4月30日に支払った場合の延滞利息は？", today=JUNE_15)
    assert isinstance(request, rq.LateRequest)
    assert (request.due, request.paid) == (date(2025, 3, 31), date(2025, 4, 30))
    assert any("2025年" in note for note in request.assumptions)


# --- 元年 without an era ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["元年5月1日", "元年 5月1日", "元年5月"])
def test_bare_gannen_asks_for_the_era(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        find_dates(normalize(text), today=JUNE_15)
    assert "令和元年" in caught.value.message


def test_bare_gannen_in_a_quote_is_refused_saying_why() -> None:
    reply = answer("/quote UT 3 元年5月1日", today=JUNE_15)
    assert reply.kind == "error" and "元号" in reply.text and "令和元年5月1日" in reply.text


@pytest.mark.parametrize(
    ("text", "day"), [("令和元年5月1日", date(2019, 5, 1)), ("平成元年5月1日", date(1989, 5, 1))]
)
def test_gannen_with_its_era_is_a_date(text: str, day: date) -> None:
    (mention,) = find_dates(normalize(text), today=JUNE_15)
    assert mention.value == day
