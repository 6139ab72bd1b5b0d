"""Japanese numerals (万, 千, kanji digits, thousands separators) read whole, so the sane bounds fire on
the number the staff member wrote and the reply echoes it."""

from datetime import date
from decimal import Decimal

import pytest

from calculators.errors import BadBedCount, BadIdCount, BadQuantity, DomainError
from madoguchi.errors import BadNumber
from madoguchi.router import answer
from madoguchi.understand import requests as rq
from madoguchi.understand.interpret import interpret
from madoguchi.understand.normalize import normalize
from madoguchi.understand.numbers import parse_int, read_number, with_arabic_numerals

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("3", 3),
        ("1,200", 1200),
        ("1万", 10_000),
        ("5万", 50_000),
        ("100万", 1_000_000),
        ("2千", 2_000),
        ("1万2千", 12_000),
        ("1万2000", 12_000),
        ("1.5万", 15_000),
        ("3千5百", 3_500),
        ("十", 10),
        ("二十", 20),
        ("三百五", 305),
        ("千百", 1_100),
        ("二千五百", 2_500),
        ("十万", 100_000),
        ("百万", 1_000_000),
        ("一億二千万", 120_000_000),
        ("二〇二六", 2026),
        ("53.5", Decimal("53.5")),
    ],
)
def test_read_number(numeral: str, value: int) -> None:
    assert read_number(numeral) == value


@pytest.mark.parametrize("numeral", ["", "万", "1,00", "百千", "1万万", "12千", "2千5000", "1万20000", "abc"])
def test_read_number_refuses_what_is_not_one_numeral(numeral: str) -> None:
    with pytest.raises(ValueError, match=r"numeral|misplaced|row|exceeds"):
        read_number(numeral)


@pytest.mark.parametrize(
    ("text", "value"),
    [("10万", 100_000), ("1万2千円", 12_000), ("-5", -5), ("マイナス5", -5), ("1,000", 1000)],
)
def test_parse_int(text: str, value: int) -> None:
    assert parse_int(text, what="数") == value


@pytest.mark.parametrize("text", ["1.5", "1,00", "+-5", "9" * 40])
def test_parse_int_refuses(text: str) -> None:
    with pytest.raises(BadNumber):
        parse_int(text, what="数")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("USBトークン1万個", "USBトークン10000個"),
        ("ID数100万で", "ID数1000000で"),
        ("10万円", "100000円"),
        ("税込1万1千円", "税込11000円"),
        ("2025年12月20日", "2025年12月20日"),
        ("第22条", "第22条"),
    ],
)
def test_with_arabic_numerals(raw: str, expected: str) -> None:
    assert with_arabic_numerals(raw) == expected


def test_a_numeral_after_digits_is_not_read_twice() -> None:
    """normalize() once turned 2千個 into 21000個 (the 千 alone became 1000 after the 2)."""
    assert normalize("USBトークン2千個") == "USBトークン2千個"
    assert normalize("USBトークン十万個") == "USBトークン100000個"
    assert normalize("万一の場合") == "万一の場合"


def test_faq_questions_keep_their_words() -> None:
    request = interpret("1万円の区分はどこ？", today=TODAY)
    assert isinstance(request, rq.FaqRequest) and "1万円" in request.query


# --- the bound fires on the number written, on both sides ---------------------------------------


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("USBトークン千個の見積もり", (("UT", 1000),)),
        ("ダウンロード0.1万件", (("DL", 1000),)),
        ("USBトークン1千個", (("UT", 1000),)),
    ],
)
def test_quantities_at_the_bound_are_quoted(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines


@pytest.mark.parametrize(
    ("text", "error", "echoed"),
    [
        ("USBトークン1万個の見積もり", BadQuantity, "10000"),
        ("ダウンロード5万件", BadQuantity, "50000"),
        ("USBトークン2千個", BadQuantity, "2000"),
        ("USBトークン1千1個", BadQuantity, "1001"),
        ("ID数100万で月額は？", BadIdCount, "1000000"),
        ("ID数10万1で月額は？", BadIdCount, "100001"),
        ("病床数1万の病院", BadBedCount, "10000"),
        ("病床数5千1の病院", BadBedCount, "5001"),
    ],
)
def test_quantities_past_the_bound_are_refused_with_the_number_written(
    text: str, error: type[DomainError], echoed: str
) -> None:
    reply = answer(text, today=TODAY)
    assert reply.kind == "error", reply.text
    assert f"「{echoed}」" in reply.text


@pytest.mark.parametrize(
    ("text", "kind", "says"),
    [
        ("ID数10万で月額は？", "proration", "ID 100000個"),
        ("病床数5千の病院", "hpki_fee", "5,000床"),
        (
            "10万円の支払期日が2025年3月31日で2025年4月30日に払ったら延滞利息は？",
            "late_interest",
            "100,000円",
        ),
    ],
)
def test_quantities_within_the_bound_are_answered(text: str, kind: str, says: str) -> None:
    reply = answer(text, today=TODAY)
    assert reply.kind == kind, reply.text
    assert says in reply.text
