"""HPKI payment deadlines and suspension dates (hpki-second-certificate-service-fee.txt, section 7)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculators.common import load_toml
from calculators.errors import BeforeServiceFee
from calculators.hpki import FiscalYearOutOfRange, hpki_table
from calculators.hpki_deadlines import ScheduleRules, continued_schedule, payment_schedule
from madoguchi.present.hpki import present_schedule


def _dates(schedule_date: date) -> tuple[int, date, tuple[int, int] | None, date, date]:
    s = payment_schedule(schedule_date)
    return s.fiscal_year, s.pay_by, s.reminder, s.last_day_to_pay, s.suspended_from


def test_document_example_january_2026() -> None:
    s = payment_schedule(date(2026, 1, 20))
    assert (s.case, s.fiscal_year, s.pay_by, s.suspended_from) == (
        "7-②",
        2025,
        date(2026, 2, 28),
        date(2026, 3, 1),
    )
    assert s.reminder is None
    assert s.readings == ()


def test_case_1_last_day_against_first_paid_day() -> None:
    before = payment_schedule(date(2025, 3, 31))
    assert before.case == "7-①"
    assert _dates(date(2025, 3, 31)) == (
        2025,
        date(2025, 5, 31),
        (2025, 6),
        date(2025, 7, 31),
        date(2025, 8, 1),
    )
    after = payment_schedule(date(2025, 4, 1))
    assert after.case == "7-②"
    assert _dates(date(2025, 4, 1)) == (2025, date(2025, 5, 31), None, date(2025, 5, 31), date(2025, 6, 1))
    assert any("書面" in line for line in present_schedule(before).lines)
    assert not any("書面" in line for line in present_schedule(after).lines)


def test_applications_long_before_2025_follow_case_1() -> None:
    assert _dates(date(2023, 11, 2))[1:] == _dates(date(2025, 3, 31))[1:]


def test_january_against_february_2026() -> None:
    assert _dates(date(2026, 1, 31)) == (2025, date(2026, 2, 28), None, date(2026, 2, 28), date(2026, 3, 1))
    feb = payment_schedule(date(2026, 2, 1))
    assert feb.case == "7-④"
    assert _dates(date(2026, 2, 1)) == (
        2026,
        date(2026, 5, 31),
        (2026, 6),
        date(2026, 7, 31),
        date(2026, 8, 1),
    )
    assert any("7-④" in r and "継続利用と同じ日程" in r for r in feb.readings)
    assert "7-④" in {c.section for c in feb.sources}


def test_march_against_april_2026() -> None:
    march = payment_schedule(date(2026, 3, 31))
    assert (march.case, march.fiscal_year, march.pay_by, march.suspended_from) == (
        "7-④",
        2026,
        date(2026, 5, 31),
        date(2026, 8, 1),
    )
    april = payment_schedule(date(2026, 4, 1))
    assert (april.case, april.fiscal_year, april.pay_by, april.suspended_from) == (
        "7-②",
        2026,
        date(2026, 5, 31),
        date(2026, 6, 1),
    )
    assert any("7-⑤" in r for r in april.readings)
    assert "7-⑤" in {c.section for c in april.sources}


def test_december_2025() -> None:
    assert _dates(date(2025, 12, 15)) == (2025, date(2026, 1, 31), None, date(2026, 1, 31), date(2026, 2, 1))


def test_june_2025() -> None:
    assert _dates(date(2025, 6, 30)) == (2025, date(2025, 7, 31), None, date(2025, 7, 31), date(2025, 8, 1))


def test_leap_year_january_2028() -> None:
    s = payment_schedule(date(2028, 1, 10))
    assert (s.fiscal_year, s.pay_by, s.suspended_from) == (2027, date(2028, 2, 29), date(2028, 3, 1))
    assert any("2027年度" in r for r in s.readings)


def test_continued_schedule_2026_is_a_reading() -> None:
    s = continued_schedule(2026)
    assert s.application_date is None
    assert (s.fiscal_year, s.pay_by, s.reminder, s.last_day_to_pay, s.suspended_from) == (
        2026,
        date(2026, 5, 31),
        (2026, 6),
        date(2026, 7, 31),
        date(2026, 8, 1),
    )
    assert any("7-⑤" in r for r in s.readings)


def test_continued_schedule_2025_is_case_1_without_reading() -> None:
    s = continued_schedule(2025)
    first = payment_schedule(date(2025, 1, 10))
    assert (s.pay_by, s.reminder, s.suspended_from) == (first.pay_by, first.reminder, first.suspended_from)
    assert s.readings == ()
    assert "7-①" in {c.section for c in s.sources}


def test_fiscal_year_bounds() -> None:
    with pytest.raises(BeforeServiceFee):
        continued_schedule(2024)
    last = hpki_table().max_fiscal_year
    continued_schedule(last)
    with pytest.raises(FiscalYearOutOfRange):
        continued_schedule(last + 1)
    with pytest.raises(FiscalYearOutOfRange):
        payment_schedule(date(last + 1, 2, 1))  # February: billed from the next fiscal year


def test_every_schedule_carries_the_common_notes() -> None:
    for s in (
        payment_schedule(date(2025, 3, 1)),
        payment_schedule(date(2025, 9, 9)),
        continued_schedule(2027),
    ):
        text = " ".join(s.notes)
        assert "解約扱い" in text
        assert "猶予期間" in text
        assert "再申請" in text
        assert "毎年" in text
        assert {"7-③", "7-⑥", "8-③", "8-④", "3-①"} <= {c.section for c in s.sources}


def test_case_1_dates_must_agree_with_the_continued_rule() -> None:
    data = load_toml("hpki.toml")["schedule"]
    data["initial"]["last_day_to_pay"] = date(2025, 6, 30)
    with pytest.raises(ValidationError, match="continued-use rule"):
        ScheduleRules.model_validate(data)


def test_application_months_must_split_the_year() -> None:
    data = load_toml("hpki.toml")["schedule"]
    data["next_year"]["application_months"] = [3]
    with pytest.raises(ValidationError, match="split"):
        ScheduleRules.model_validate(data)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 31)))
def test_pay_by_is_a_month_end_after_the_application(day: date) -> None:
    s = payment_schedule(day)
    assert s.pay_by > day
    assert s.pay_by.day == calendar.monthrange(s.pay_by.year, s.pay_by.month)[1]
    assert s.last_day_to_pay >= s.pay_by
    assert s.suspended_from == s.last_day_to_pay + timedelta(days=1)
    assert s.fiscal_year >= 2025
    # at most 1 February (of a leap year) -> 31 May: 120 days
    assert s.case == "7-①" or (s.pay_by - day).days <= 120


def test_present_schedule_shows_every_figure() -> None:
    reply = present_schedule(payment_schedule(date(2026, 1, 20)))
    assert reply.kind == "hpki_deadline"
    figures = {f.label: f.value for f in reply.figures}
    assert figures == {
        "申請日": "2026年1月20日（火）",
        "対象年度": "2025年度（2025年4月1日〜2026年3月31日）",
        "支払期限": "2026年2月28日（土）",
        "利用停止日": "2026年3月1日（日）",
    }
    assert "2026年3月1日（日）からサービスを利用できなくなります" in reply.text
    assert reply.inputs == {"application_date": "2026-01-20", "fiscal_year": 2025, "continued": False}


def test_present_continued_schedule_mentions_the_reminder_month() -> None:
    reply = present_schedule(continued_schedule(2026))
    figures = {f.label: f.value for f in reply.figures}
    assert figures["申請日"] == "なし（継続利用）"
    assert figures["利用停止日"] == "2026年8月1日（土）"
    assert "2026年6月中" in reply.text
    assert "2026年7月31日（金）" in reply.text


@pytest.mark.parametrize(("applied", "said"), [(date(2026, 4, 30), 0), (date(2026, 5, 1), 1)])
def test_a_mid_year_application_says_the_fee_is_not_prorated(applied: date, said: int) -> None:
    schedule = payment_schedule(applied)
    assert sum("1年分利用と同じ金額" in note for note in schedule.notes) == said
    assert sum(source.section == "5" for source in schedule.sources) == said
