"""/hpki and free HPKI questions: the bed count with 床 wins, thousands separators, 継続 anywhere,
fiscal years (2026年度, 令和8年度, a bare year after the bed count) reach the calculator."""

from datetime import date

import pytest

from calculators.errors import BeforeServiceFee
from madoguchi.errors import UnknownToken
from madoguchi.router import answer
from madoguchi.understand import requests as rq
from madoguchi.understand.interpret import interpret

TODAY = date(2026, 11, 22)


def ask(text: str) -> rq.Request:
    return interpret(text, today=TODAY)


def fee(request: rq.Request) -> tuple[str, int | None, bool, int | None]:
    assert isinstance(request, rq.HpkiFeeRequest), request
    return request.facility, request.beds, request.continued, request.fiscal_year


# --- a number with 床 is the bed count ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/hpki 継続 2026 病院 300床", ("hospital", 300, True, 2026)),
        ("/hpki 継続 2026年度 病院 300床", ("hospital", 300, True, 2026)),
        ("/hpki 継続 病院 300床 2026年度", ("hospital", 300, True, 2026)),
        ("/hpki 病院 300床 2026", ("hospital", 300, False, 2026)),
        ("/hpki 病院 2026 300床", ("hospital", 300, False, 2026)),
        ("/hpki 病院 300床 2026年度", ("hospital", 300, False, 2026)),
        ("/hpki 病院 300", ("hospital", 300, False, None)),
        ("/hpki 病院 300 2026", ("hospital", 300, False, 2026)),
        ("/hpki 病院 399床", ("hospital", 399, False, None)),
    ],
)
def test_the_bed_count_and_the_fiscal_year(text: str, expected: tuple) -> None:
    assert fee(ask(text)) == expected


def test_a_bare_year_read_as_the_fiscal_year_is_said() -> None:
    request = ask("/hpki 病院 300床 2026")
    assert any("2026年度" in note for note in request.assumptions)


@pytest.mark.parametrize("text", ["/hpki 病院 500床 10", "/hpki 病院 300床 20260", "/hpki 病院 300 400"])
def test_an_extra_number_that_is_not_beds_or_a_year_is_refused(text: str) -> None:
    with pytest.raises(UnknownToken) as caught:
        ask(text)
    assert "床" in caught.value.message and caught.value.example.startswith("/hpki ")


def test_continued_fy2026_hospital_300_beds_is_50000() -> None:
    reply = answer("/hpki 継続 2026 病院 300床", today=TODAY)
    assert reply.kind == "hpki_fee", reply.text
    assert "50,000円" in reply.text and "55,000円" in reply.text
    assert "300床" in reply.text and "2026年4月1日" in reply.text and "2026年度" in reply.text


def test_hospital_300_beds_fy2026_is_not_2026_beds() -> None:
    reply = answer("/hpki 病院 300床 2026", today=TODAY)
    assert "50,000円" in reply.text and "2,026床" not in reply.text


# --- thousands separators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "beds"),
    [
        ("/hpki 病院 1,200床", 1200),
        ("病院 1，200床の利用料", 1200),
        ("病床数1,200の病院の利用料", 1200),
        ("/hpki 病院 399床", 399),
        ("/hpki 病院 1,000床", 1000),
    ],
)
def test_thousands_separators(text: str, beds: int) -> None:
    assert fee(ask(text))[1] == beds


def test_1200_beds_is_the_top_tier() -> None:
    reply = answer("/hpki 病院 1,200床", today=TODAY)
    assert "100,000円" in reply.text and "1,200床" in reply.text


def test_minus_five_beds_is_refused_as_a_bed_count() -> None:
    reply = answer("マイナス5床の病院", today=TODAY)
    assert reply.kind == "error" and "病床数" in reply.text and "-5" in reply.text


# --- 継続 before or after ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/hpki 継続 病院 400床", "/hpki 病院 400床 継続", "/hpki 病院 継続 400床"])
def test_continued_wherever_it_stands(text: str) -> None:
    assert fee(ask(text)) == ("hospital", 400, True, None)
    assert "4月1日" in answer(text, today=TODAY).text


def test_new_application_is_not_continued() -> None:
    assert fee(ask("/hpki 病院 400床")) == ("hospital", 400, False, None)
    assert "お申込日" in answer("/hpki 病院 400床", today=TODAY).text


def test_continued_schedule_still_works() -> None:
    assert ask("/hpki 継続 2026") == rq.HpkiDeadlineRequest(fiscal_year=2026)
    assert ask("/hpki 継続 2026年度") == rq.HpkiDeadlineRequest(fiscal_year=2026)


# --- free text: fiscal years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026年度の継続利用の支払期限は？", "令和8年度の継続の期限", "継続利用の2026年度分はいつまでに払う？"],
)
def test_free_fiscal_year_of_a_continued_user_gives_the_schedule(text: str) -> None:
    assert ask(text) == rq.HpkiDeadlineRequest(fiscal_year=2026)
    reply = answer(text, today=TODAY)
    assert reply.kind == "hpki_deadline" and "2026年5月31日" in reply.text


def test_free_fiscal_year_without_continued_use_stays_a_question() -> None:
    """A new application's deadline depends on its month, not only the fiscal year."""
    assert isinstance(ask("2026年度の申請方法は？"), rq.FaqRequest)


@pytest.mark.parametrize(
    ("text", "fiscal"),
    [("2025年度の診療所の利用料は？", 2025), ("令和8年度の継続利用の300床の病院の利用料", 2026)],
)
def test_free_fee_carries_the_fiscal_year(text: str, fiscal: int) -> None:
    assert fee(ask(text))[3] == fiscal


def test_free_fee_of_a_free_fiscal_year_says_it_is_free() -> None:
    with pytest.raises(BeforeServiceFee):
        from madoguchi.router import dispatch

        dispatch(ask("2024年度の診療所の利用料は？"))
    reply = answer("2024年度の診療所の利用料は？", today=TODAY)
    assert "無償" in reply.text and "10,000円" not in reply.text
    assert "10,000円" in answer("2025年度の診療所の利用料は？", today=TODAY).text


@pytest.mark.parametrize("text", ["/hpki 病院 12,3456床", "/hpki 病院 1,2床", "/hpki 病院 1,2000床"])
def test_a_misplaced_separator_is_refused_not_read_in_part(text: str) -> None:
    reply = answer(text, today=TODAY)
    assert reply.kind == "error" and "病床数として読み取れません" in reply.text
    assert "/hpki 病院 399床" in reply.text


def test_help_says_how_beds_and_bare_years_are_read() -> None:
    text = answer("/madoguchi help", today=TODAY).text
    assert "床の付いた数が病床数" in text and "/hpki 病院 300床 2026" in text and "令和元年" in text
    assert answer("/hpki 病院 300床 2026", today=TODAY).kind == "hpki_fee"


@pytest.mark.parametrize(
    "text",
    [
        "お客様が「病床数が減ったのに前の区分のまま払っちゃったから差額返して」と言っています",
        "病床数が変わったら？",
    ],
)
def test_words_before_a_bed_word_are_a_question_not_a_bad_bed_count(text: str) -> None:
    assert answer(text, today=TODAY).kind != "error"


def test_a_fee_asked_with_beds_beside_an_application_month_is_the_fee() -> None:
    reply = answer("チケット: 120床の病院が10月に新規申込。今年度の支払額は？", today=TODAY)
    assert reply.kind == "hpki_fee" and "50,000円" in reply.text
    assert answer("300床の病院が2026年1月20日に申請。支払期限はいつ？", today=TODAY).kind == "hpki_deadline"


@pytest.mark.parametrize(
    ("text", "beds"),
    [
        ("ベッド400いかない病院の年額は？", 399),
        ("400床に満たない病院の利用料", 399),
        ("病床数が400より少ない病院はいくら", 399),
        ("400床を超える病院の年額", 401),
        ("病床400を上回る病院の利用料は？", 401),
        ("ベッド400の病院の年額は？", 400),  # the boundary itself: 400床以上
        ("病床399の病院の年額は？", 399),
    ],
)
def test_a_colloquial_bound_on_the_beds_is_read_as_the_documents_words(text: str, beds: int) -> None:
    assert fee(ask(text))[1] == beds


@pytest.mark.parametrize(
    "text",
    [
        "保険機関コードが変わる薬局、手続きと追加料金は？",
        "300床の病院、コードが変わったら追加の利用料かかる？",
    ],
)
def test_whether_something_costs_extra_is_a_question_not_the_annual_fee(text: str) -> None:
    assert isinstance(ask(text), rq.FaqRequest)
    assert isinstance(ask("保険薬局の利用料は？"), rq.HpkiFeeRequest)


@pytest.mark.parametrize(
    ("text", "facility", "applied", "pay_by", "stop"),
    [
        (
            "120床の病院が2025年9月に新規申請。年額と支払期限、あと止まる日も",
            "hospital",
            "2025-09-01",
            "2025年10月31日",
            "2025年11月1日",
        ),
        (
            "診療所が2026年1月に申請、利用料と支払期限は？",
            "clinic",
            "2026-01-01",
            "2026年2月28日",
            "2026年3月1日",
        ),
    ],
)
def test_the_fee_and_the_deadline_asked_together_are_both_answered(
    text: str, facility: str, applied: str, pay_by: str, stop: str
) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.HpkiFeeRequest)
    assert request.facility == facility and request.application_date == date.fromisoformat(applied)
    reply = answer(text, today=TODAY)
    assert reply.kind == "hpki_fee"
    values = {f.label: f.value for f in reply.figures}
    assert values["支払期限"].startswith(pay_by) and values["利用停止日"].startswith(stop)
    assert "年間利用料（税込）" in values
    assert len(reply.sources) == len(set(reply.sources))


def test_an_application_named_without_a_deadline_asked_is_the_fee_alone() -> None:
    request = interpret("120床の病院が10月に新規申込。今年度の支払額は？", today=TODAY)
    assert isinstance(request, rq.HpkiFeeRequest) and request.application_date is None
