"""料金の減額（第19条2項の表、通則3）: 1欄 whole 24-hour days, 2欄 hours; both shown side by side."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.auth_tariff import named_billing_month
from calculators.errors import BadIdCount, BadOutage, BadPeriod
from calculators.outage import outage_credit
from madoguchi.present.auth import present_outage

JUNE = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("hours", "days", "rule1", "rule2"),
    [
        ("0", 0, 0, 0),
        ("23", 0, 0, 63),  # 2,000 × 23 ÷ 720 = 63.9
        ("23.99", 0, 0, 66),
        ("24", 1, 66, 66),  # 2,000 × 1 ÷ 30 = 66.7
        ("47", 1, 66, 130),
        ("48", 2, 133, 133),
        ("53", 2, 133, 147),  # 2,000 × 53 ÷ 720 = 147.2
        ("30.5", 1, 66, 84),
    ],
)
def test_june_with_ten_ids(hours: str, days: int, rule1: int, rule2: int) -> None:
    r = outage_credit(10, hours=Decimal(hours), month=JUNE)
    assert (r.month.first, r.month.last, r.monthly_fee) == (JUNE, date(2025, 6, 30), 2000)
    assert (r.rule1.counted, r.rule1.divisor, r.rule1.amount) == (days, 30, rule1)
    assert (r.rule2.divisor, r.rule2.amount) == (720, rule2)
    assert r.applies == "rule1"


def test_gross_negligence_applies_rule_2() -> None:
    r = outage_credit(10, hours=Decimal(53), month=JUNE, gross_negligence=True)
    assert r.applies == "rule2"
    assert r.applied.amount == 147
    assert r.rule1.amount == 133


def test_leap_february_divides_by_29_days() -> None:
    r = outage_credit(15, hours=Decimal(24), month=date(2024, 2, 10))
    assert (r.month.days, r.rule1.amount, r.rule2.divisor) == (29, 3000 // 29, 696)
    assert outage_credit(15, hours=Decimal(24), month=date(2025, 2, 10)).rule1.amount == 3000 // 28


def test_anchor_15_billing_month() -> None:
    r = outage_credit(10, hours=Decimal(48), month=date(2025, 1, 20), anchor_day=15)
    assert (r.month.first, r.month.days, r.rule1.amount) == (date(2025, 1, 15), 31, 2000 * 2 // 31)


def test_the_credit_never_exceeds_the_month() -> None:
    r = outage_credit(10, hours=Decimal(744), month=JUNE)
    assert (r.rule1.amount, r.rule2.amount) == (2000, 2000)
    assert r.rule1.capped and r.rule2.capped
    full = outage_credit(10, hours=Decimal(744), month=date(2025, 7, 1))
    assert not full.rule1.capped
    assert full.rule1.amount == 2000


@pytest.mark.parametrize("hours", [Decimal(-1), Decimal("744.01"), Decimal("NaN"), Decimal("Infinity")])
def test_bad_hours_are_rejected(hours: Decimal) -> None:
    with pytest.raises(BadOutage):
        outage_credit(10, hours=hours, month=JUNE)


def test_hour_bounds_are_accepted() -> None:
    assert outage_credit(10, hours=Decimal(0), month=JUNE).rule2.amount == 0
    assert outage_credit(10, hours=Decimal(744), month=JUNE).rule2.amount == 2000


def test_bad_ids_and_anchor_are_rejected() -> None:
    with pytest.raises(BadIdCount):
        outage_credit(0, hours=Decimal(24), month=JUNE)
    with pytest.raises(BadPeriod):
        outage_credit(10, hours=Decimal(24), month=JUNE, anchor_day=32)


def test_the_tax_inclusive_equivalent() -> None:
    r = outage_credit(10, hours=Decimal(53), month=JUNE)
    assert (r.rule1.taxed.including_tax, r.rule2.taxed.including_tax) == (146, 161)


@given(st.decimals(0, 744, places=2), st.integers(1, 1000))
def test_rule_2_is_never_below_rule_1(hours: Decimal, ids: int) -> None:
    r = outage_credit(ids, hours=hours, month=JUNE)
    assert 0 <= r.rule1.amount <= r.rule2.amount <= r.monthly_fee


def test_present_outage_shows_both_rules() -> None:
    reply = present_outage(outage_credit(10, hours=Decimal(53), month=JUNE))
    assert reply.kind == "outage_credit"
    text = reply.text
    assert "2,000円 × 2日 ÷ 30日 = 133円（1円未満切り捨て）" in text
    assert "2,000円 × 53時間 ÷ 720時間" in text
    assert "147円" in text
    assert "【適用】: 133円" in text
    assert "第23条" in text


def test_present_outage_under_24_hours_says_zero_and_why() -> None:
    text = present_outage(outage_credit(10, hours=Decimal(23), month=JUNE)).text
    assert "23時間は24時間未満のため減額なし 0円" in text
    assert "【適用】: 0円" in text


# --- the billing month a calendar month names (第19条4項) ---------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "anchor", "first", "last"),
    [
        (2025, 6, 1, date(2025, 6, 1), date(2025, 6, 30)),
        (2025, 6, 15, date(2025, 6, 15), date(2025, 7, 14)),
        (2025, 6, 14, date(2025, 6, 14), date(2025, 7, 13)),
        (2025, 12, 15, date(2025, 12, 15), date(2026, 1, 14)),
        (2025, 2, 31, date(2025, 2, 28), date(2025, 3, 30)),
    ],
)
def test_named_billing_month_starts_on_that_months_anchor(
    year: int, month: int, anchor: int, first: date, last: date
) -> None:
    named = named_billing_month(year, month, anchor)
    assert (named.first, named.last) == (first, last)


def test_june_with_anchor_15_is_june_15_to_july_14() -> None:
    from madoguchi.router import answer

    reply = answer("/prorate outage ids=10 hours=53 month=2025-06 anchor=15", today=date(2026, 11, 22))
    assert reply.kind == "outage_credit", reply.text
    assert "2025年6月15日〜2025年7月14日（30日間）" in reply.text
    assert "133円" in reply.text and "147円" in reply.text
    first = answer("/prorate outage ids=10 hours=53 month=2025-06", today=date(2026, 11, 22))
    assert "2025年6月1日〜2025年6月30日（30日間）" in first.text


def test_a_day_in_the_month_still_picks_the_billing_month_holding_it() -> None:
    from madoguchi.router import answer

    reply = answer("/prorate outage ids=10 hours=53 month=2025-06-10 anchor=15", today=date(2026, 11, 22))
    assert "2025年5月15日〜2025年6月14日（31日間）" in reply.text
