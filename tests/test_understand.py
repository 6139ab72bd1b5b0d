"""The text-understanding layer: slash arguments and free Japanese → requests."""

from datetime import date
from decimal import Decimal

import pytest

from calculators.errors import DomainError, UnknownMedium
from madoguchi.errors import BadDate, BadNumber, EmptyInput, TooLong, UnknownKey
from madoguchi.understand import requests as rq
from madoguchi.understand.dates import find_dates
from madoguchi.understand.interpret import interpret
from madoguchi.understand.normalize import kanji_to_int, normalize

TODAY = date(2026, 11, 22)


def ask(text: str) -> rq.Request:
    return interpret(text, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＵＳＢメモリ３個", "USBメモリ3個"),
        ("令和7年12月1日申請", "2025年12月1日申請"),
        ("令和元年5月1日", "2019年5月1日"),
        ("平成31年4月30日", "2019年4月30日"),
        ("USBトークン三個", "USBトークン3個"),
        ("一括書込み", "一括書込み"),
        ("a\x00b\u202ec", "a b c"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("kanji", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("三百五", 305)]
)
def test_kanji_numbers(kanji: str, value: int) -> None:
    assert kanji_to_int(kanji) == value


@pytest.mark.parametrize(
    ("text", "value", "precision", "assumed"),
    [
        ("2025-07-20", date(2025, 7, 20), "day", False),
        ("2025/7/20", date(2025, 7, 20), "day", False),
        ("2025年10月5日に申請", date(2025, 10, 5), "day", False),
        ("2023年3月受付", date(2023, 3, 1), "month", False),
        ("4月1日開始", date(2026, 4, 1), "day", True),
        ("month=2025-06", date(2025, 6, 1), "month", False),
        ("本日", TODAY, "day", False),
        ("昨日", date(2026, 11, 21), "day", False),
    ],
)
def test_find_dates(text: str, value: date, precision: str, assumed: bool) -> None:  # noqa: FBT001
    (mention,) = find_dates(normalize(text), today=TODAY)
    assert (mention.value, mention.precision, mention.year_assumed) == (value, precision, assumed)


@pytest.mark.parametrize(
    ("text", "detail"), [("2025-02-30", "28日まで"), ("2024-02-30", "29日まで"), ("2025-13-01", "13月")]
)
def test_impossible_dates_say_why(text: str, detail: str) -> None:
    with pytest.raises(BadDate) as caught:
        find_dates(text, today=TODAY)
    assert detail in caught.value.message


def test_leap_day_is_a_date() -> None:
    assert find_dates("2028-02-29", today=TODAY)[0].value == date(2028, 2, 29)


# --- slash commands -------------------------------------------------------------------------


def test_quote_args() -> None:
    request = ask("/quote DL 2 UM 1 2023-03-31")
    assert isinstance(request, rq.QuoteRequest)
    assert request.lines == (("DL", 2), ("UM", 1))
    assert request.closing_date == date(2023, 3, 31)
    assert not request.date_assumed


def test_quote_without_date_uses_today_and_says_so() -> None:
    request = ask("/quote UT 3")
    assert isinstance(request, rq.QuoteRequest)
    assert request.closing_date == TODAY and request.date_assumed


@pytest.mark.parametrize(
    "text", ["/quote ut3", "/quote UT×3", "/quote ＵＴ　３", "/quote USBトークン 3個", "/quote ePass2003 3"]
)
def test_quote_forms(text: str) -> None:
    request = ask(text)
    assert isinstance(request, rq.QuoteRequest)
    assert request.lines == (("UT", 3),)


def test_quote_month_closing_date_is_month_end() -> None:
    request = ask("/quote UT 1 2023年3月")
    assert isinstance(request, rq.QuoteRequest)
    assert request.closing_date == date(2023, 3, 31)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("/quote DL abc", BadNumber),
        ("/quote XX 3", UnknownMedium),
        ("/quote", EmptyInput),
        ("/quote DL 2 2025-02-30", BadDate),
    ],
)
def test_quote_bad_input(text: str, error: type[DomainError]) -> None:
    with pytest.raises(error) as caught:
        ask(text)
    assert caught.value.example


def test_hpki_args() -> None:
    assert ask("/hpki 病院 399床") == rq.HpkiFeeRequest("hospital", 399)
    assert ask("/hpki 保険薬局") == rq.HpkiFeeRequest("pharmacy", None)
    assert ask("/hpki 調剤薬局") == rq.HpkiFeeRequest("pharmacy", None)
    request = ask("/hpki 期限 2026-01-20")
    assert isinstance(request, rq.HpkiDeadlineRequest) and request.application_date == date(2026, 1, 20)
    assert ask("/hpki 継続 2026") == rq.HpkiDeadlineRequest(fiscal_year=2026)


@pytest.mark.parametrize("text", ["/hpki 病院 abc床", "/hpki 病院 abc"])
def test_hpki_bad_beds(text: str) -> None:
    with pytest.raises(BadNumber):
        ask(text)


def test_prorate_args() -> None:
    assert ask("/prorate ids=15 start=2025-07-20") == rq.ProrateRequest(15, date(2025, 7, 20), None, 1, TODAY)
    assert ask("/prorate ids=10 end=2025-09-16") == rq.ProrateRequest(10, None, date(2025, 9, 16), 1, TODAY)
    assert ask("/prorate ids=10 start=2025-01-20 anchor=15").anchor_day == 15  # type: ignore[attr-defined]
    assert ask("/prorate ids=10->20 on=2025-08-11") == rq.ChangeRequest(10, 20, date(2025, 8, 11), 1)
    assert ask("/prorate late amount=100000 due=2025-03-31 paid=2025-04-30") == rq.LateRequest(
        100000, date(2025, 3, 31), date(2025, 4, 30)
    )
    outage = ask("/prorate outage ids=10 hours=53 month=2025-06")
    assert outage == rq.OutageRequest(10, Decimal(53), date(2025, 6, 1), 1, gross_negligence=False)
    assert ask("/prorate surcharge amount=10000") == rq.SurchargeRequest(10000, TODAY)


@pytest.mark.parametrize(("text", "error"), [("/prorate foo=1", UnknownKey), ("/prorate ids=abc", BadNumber)])
def test_prorate_bad_input(text: str, error: type[DomainError]) -> None:
    with pytest.raises(error):
        ask(text)


def test_too_long() -> None:
    with pytest.raises(TooLong):
        ask("あ" * 4001)


# --- free text ------------------------------------------------------------------------------


def test_free_quote_two_media() -> None:
    request = ask("USBトークン2個とダウンロード3件の見積もり")
    assert isinstance(request, rq.QuoteRequest)
    assert request.lines == (("UT", 2), ("DL", 3))


def test_free_quote_full_width() -> None:
    request = ask("ＵＳＢメモリ３個")
    assert isinstance(request, rq.QuoteRequest) and request.lines == (("UM", 3),)


def test_free_quote_with_month() -> None:
    request = ask("USBトークンを1個、2023年3月受付で見積もって")
    assert isinstance(request, rq.QuoteRequest)
    assert request.closing_date == date(2023, 3, 31)


@pytest.mark.parametrize(
    ("text", "facility", "beds"),
    [
        ("300床の病院の利用料は？", "hospital", 300),
        ("ベッド数300の病院の料金", "hospital", 300),
        ("400床未満の病院の利用料", "hospital", 399),
        ("400床以上の病院の年間利用料は？", "hospital", 400),
        ("調剤薬局の利用料はいくら？", "pharmacy", None),
    ],
)
def test_free_hpki_fee(text: str, facility: str, beds: int | None) -> None:
    assert ask(text) == rq.HpkiFeeRequest(facility, beds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025年10月5日に申請した場合の支払期限は？", date(2025, 10, 5)),
        ("令和7年12月1日申請", date(2025, 12, 1)),
    ],
)
def test_free_deadline(text: str, day: date) -> None:
    request = ask(text)
    assert isinstance(request, rq.HpkiDeadlineRequest) and request.application_date == day


def test_free_proration_year_assumed() -> None:
    request = ask("ID数12で4月1日開始なら月額は？")
    assert isinstance(request, rq.ProrateRequest)
    assert (request.ids, request.start) == (12, date(2026, 4, 1))
    assert any("2026年" in note for note in request.assumptions)


@pytest.mark.parametrize("text", ["社員食堂のメニューを教えて", "コンビニ払いの手数料は？", "hello"])
def test_questions_go_to_faq(text: str) -> None:
    assert isinstance(ask(text), rq.FaqRequest)


@pytest.mark.parametrize("text", ["", "help", "ヘルプ", "/madoguchi help", "/quote help"])
def test_help(text: str) -> None:
    assert isinstance(ask(text), rq.HelpRequest)


def test_quantity_before_the_medium_with_a_particle() -> None:
    request = ask("5証明書をまとめ書込みしたときの合計は？")
    assert isinstance(request, rq.QuoteRequest) and request.lines == (("CM", 5),)


def test_a_how_many_question_is_not_a_quote() -> None:
    assert isinstance(ask("CD-Rは1枚に何個の証明書が入る？"), rq.FaqRequest)


@pytest.mark.parametrize(
    "text",
    [
        "3人分を1枚のCDに入れたい、依頼書の媒体種別はどれを選ぶ？",
        "UT2個を申し込むとき依頼書に何て書けばいい？",
    ],
)
def test_a_which_option_question_is_not_a_quote(text: str) -> None:
    """A medium and a quantity in a question about which option to take is a rule question."""
    assert isinstance(ask(text), rq.FaqRequest)


def test_a_which_option_question_that_asks_a_price_is_still_a_quote() -> None:
    request = ask("CD-R 2枚を選んだらいくら？")
    assert isinstance(request, rq.QuoteRequest) and request.lines == (("CD", 2),)


@pytest.mark.parametrize(
    "text", ["IDが10個を超えたら1個いくら？", "ID10個以上だと加算はある？", "11個目のIDから料金は上がる？"]
)
def test_a_bound_on_the_number_of_ids_is_a_rule_question_not_a_fee(text: str) -> None:
    assert isinstance(ask(text), rq.FaqRequest)


@pytest.mark.parametrize(("text", "ids"), [("ID10個の月額は？", 10), ("ID11個の月額は？", 11)])
def test_a_number_of_ids_is_still_a_monthly_fee(text: str, ids: int) -> None:
    request = ask(text)
    assert isinstance(request, rq.MonthlyRequest) and request.ids == ids
