"""Free-text user-authentication questions: 起算日 and a billing month named by its calendar month."""

from datetime import date

import pytest

from madoguchi.router import answer
from madoguchi.understand import requests as rq
from madoguchi.understand.interpret import interpret

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text",
    [
        "起算日15日の契約でID10個、2025年6月に53時間障害で使えなかった場合の減額は？",
        "2025年6月に53時間障害で利用できなかった。ID10個、起算日は15日。減額はいくら？",
        "2025年6月に53時間障害で利用できなかった。ID10個、毎月15日起算。減額は？",
    ],
)
def test_free_outage_reads_the_anchor(text: str) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.OutageRequest)
    assert (request.ids, request.anchor_day, request.month) == (10, 15, date(2025, 6, 15))
    reply = answer(text, today=TODAY)
    assert "2025年6月15日〜2025年7月14日" in reply.text and "133円" in reply.text


def test_free_outage_without_an_anchor_uses_the_first() -> None:
    request = interpret("ID10個で2025年6月に53時間障害で使えなかった場合の減額は？", today=TODAY)
    assert isinstance(request, rq.OutageRequest)
    assert (request.anchor_day, request.month) == (1, date(2025, 6, 1))


def test_free_proration_reads_the_anchor() -> None:
    request = interpret("ID数12で2025年4月20日開始、起算日15日なら日割りは？", today=TODAY)
    assert isinstance(request, rq.ProrateRequest)
    assert (request.start, request.anchor_day) == (date(2025, 4, 20), 15)


def test_a_year_less_end_after_a_dated_start_is_the_first_one_after_it() -> None:
    request = interpret("ID数12で2025年12月10日開始、1月31日解約の日割りは？", today=date(2025, 6, 15))
    assert isinstance(request, rq.ProrateRequest)
    assert (request.start, request.end) == (date(2025, 12, 10), date(2026, 1, 31))
    assert any("2026年" in note for note in request.assumptions)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("ID10個の契約を2025年7月20日付で解約。7月分はいくら？", None, date(2025, 7, 20)),
        ("ID10個の契約を2025年7月20日付けで開始。7月分はいくら？", date(2025, 7, 20), None),
    ],
)
def test_a_date_with_tsuke_before_the_word_says_start_or_end(
    text: str, start: date | None, end: date | None
) -> None:
    request = interpret(text, today=date(2025, 8, 1))
    assert isinstance(request, rq.ProrateRequest), request
    assert (request.start, request.end) == (start, end)


@pytest.mark.parametrize("text", ["ID15個", "ID 12個だと？", "ID11個なら加算額はどうなる？", "ID15個の月額"])
def test_a_count_of_ids_asking_a_fee_or_nothing_else_is_the_monthly_fee(text: str) -> None:
    assert isinstance(interpret(text, today=TODAY), rq.MonthlyRequest)


@pytest.mark.parametrize("text", ["契約って何単位で結ぶの？ID1個ごと？", "ID20個まで登録できる？"])
def test_a_count_of_ids_in_a_question_about_a_rule_is_a_faq_question(text: str) -> None:
    assert isinstance(interpret(text, today=TODAY), rq.FaqRequest)
