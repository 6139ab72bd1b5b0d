"""延滞利息（第22条）: 14.5 % a year on a 365-day basis, from the day after the due date, none within 10 days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.errors import BadAmount, PaidBeforeDue
from calculators.late_interest import late_interest, late_rates
from madoguchi.present.auth import present_late

D = date
DUE = D(2025, 3, 31)


def test_the_rate_row() -> None:
    (row,) = late_rates()
    assert (row.annual_rate, row.day_basis, row.grace_days) == (Decimal("0.145"), 365, 10)


def test_worked_example_paid_on_the_eleventh_day() -> None:
    r = late_interest(100_000, due=DUE, paid=D(2025, 4, 11))
    assert (r.first_day, r.last_day, r.days, r.interest) == (D(2025, 4, 1), D(2025, 4, 10), 10, 397)
    assert not r.within_grace


def test_paid_on_the_tenth_day_is_within_the_grace() -> None:
    r = late_interest(100_000, due=DUE, paid=D(2025, 4, 10))
    assert (r.days, r.interest, r.grace_until) == (9, 0, D(2025, 4, 10))
    assert r.within_grace


def test_paid_the_day_after_due() -> None:
    assert late_interest(100_000, due=DUE, paid=D(2025, 4, 1)).interest == 0


def test_a_month_late() -> None:
    # 2025-04-01 .. 2025-04-29: 29 days; 100,000 × 0.145 × 29 / 365 = 1,152.05
    assert late_interest(100_000, due=DUE, paid=D(2025, 4, 30)).interest == 1152


def test_leap_day_counts_but_the_year_stays_365_days() -> None:
    # 2024-02-16 .. 2024-03-15 holds 2024-02-29: 29 days; still ÷ 365, not ÷ 366
    r = late_interest(100_000, due=D(2024, 2, 15), paid=D(2024, 3, 16))
    assert r.days == 29
    assert r.interest == 100_000 * 145 * 29 // (1000 * 365) == 1152
    assert r.interest != 100_000 * 145 * 29 // (1000 * 366)


def test_a_whole_leap_year_is_366_days_of_interest() -> None:
    r = late_interest(365_000, due=D(2023, 12, 31), paid=D(2025, 1, 1))
    assert r.days == 366
    assert r.interest == 365_000 * 145 * 366 // (1000 * 365) == 53_070


@pytest.mark.parametrize("paid", [DUE, DUE - timedelta(days=1)])
def test_paid_on_or_before_due_is_rejected(paid: date) -> None:
    with pytest.raises(PaidBeforeDue):
        late_interest(100_000, due=DUE, paid=paid)


@pytest.mark.parametrize("amount", [0, -1, 10_000_000_001, True])
def test_bad_amounts_are_rejected(amount: int) -> None:
    with pytest.raises(BadAmount):
        late_interest(amount, due=DUE, paid=D(2025, 5, 1))


def test_amount_bounds_are_accepted() -> None:
    assert late_interest(1, due=DUE, paid=D(2025, 5, 1)).interest == 0
    big = late_interest(10_000_000_000, due=DUE, paid=D(2025, 4, 11))
    assert big.interest == 10_000_000_000 * 145 * 10 // (1000 * 365)


@pytest.mark.parametrize(
    ("due", "paid", "days", "interest"),
    [
        (D(2019, 9, 30), D(2019, 12, 1), 61, 2423),  # 100,000 × 0.145 × 61 ÷ 365 = 2,423.2
        (D(2019, 10, 1), D(2019, 12, 2), 61, 2423),
        (D(2014, 3, 31), D(2014, 4, 11), 10, 397),
        (D(2000, 1, 31), D(2000, 3, 1), 29, 1152),  # 2000 is a leap year; still ÷ 365
    ],
)
def test_the_rate_is_not_bound_to_a_date(due: date, paid: date, days: int, interest: int) -> None:
    """第22条 states the rate without a date; only the tax table is effective-dated (RULES.md)."""
    r = late_interest(100_000, due=due, paid=paid)
    assert (r.days, r.interest) == (days, interest)


def test_late_interest_before_october_2019_through_the_router() -> None:
    from madoguchi.router import answer

    reply = answer("/prorate late amount=100000 due=2019-03-31 paid=2019-04-30", today=D(2026, 11, 22))
    assert reply.kind == "late_interest", reply.text
    assert "1,152円" in reply.text  # 29 days


@given(st.integers(1, 10_000_000_000), st.dates(D(2019, 10, 1), D(2040, 1, 1)), st.integers(1, 2000))
def test_interest_is_monotone_in_days(amount: int, due: date, late: int) -> None:
    earlier = late_interest(amount, due=due, paid=due + timedelta(days=late))
    later = late_interest(amount, due=due, paid=due + timedelta(days=late + 1))
    assert 0 <= earlier.interest <= later.interest
    assert later.days == earlier.days + 1
    assert (earlier.interest == 0) or not earlier.within_grace


def test_present_late_shows_the_formula() -> None:
    reply = present_late(late_interest(100_000, due=DUE, paid=D(2025, 4, 11)))
    assert reply.kind == "late_interest"
    assert "100,000円 × 14.5% × 10日 ÷ 365日 = 397円（1円未満切り捨て）" in reply.text
    assert "2025年4月1日〜2025年4月10日" in reply.text
    assert "消費税" in reply.text
    assert "第22条" in reply.text


def test_present_late_within_the_grace_says_zero_and_why() -> None:
    text = present_late(late_interest(100_000, due=DUE, paid=D(2025, 4, 10))).text
    assert "延滞利息: 0円" in text
    assert "10日以内（2025年4月10日まで）" in text
