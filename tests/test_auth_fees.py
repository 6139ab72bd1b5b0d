"""利用者認証サービス: auth.toml, monthly fee (第1表), billing months, proration (第19条, 通則2・3・6), ID change, 工事費."""

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculators.auth_fees import Bill, Part, Proration, change_ids, monthly_fee, prorate
from calculators.auth_tariff import AuthTariff, Charge, billing_month, tariff
from calculators.common import DOCUMENT_FILES, add_tax
from calculators.errors import BadIdCount, BadPeriod, NoPriceForDate
from calculators.installation import BadWorkCount, installation_fee
from calculators.late_interest import late_rates
from calculators.surcharge import surcharge_rates
from madoguchi.present.auth import present_installation, present_monthly, present_proration

ROOT = Path(__file__).resolve().parents[1]
D = date


def folded(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- auth.toml --------------------------------------------------------------------------------


def all_quotes() -> list[str]:
    rows = [*tariff().charges, *late_rates(), *surcharge_rates()]
    return [row.source.quote for row in rows] + [c.quote for c in tariff().citations.values()]


def test_every_quote_is_verbatim_in_the_terms() -> None:
    terms = folded((ROOT / "faq" / "docs" / DOCUMENT_FILES["auth"]).read_text(encoding="utf-8"))
    quotes = all_quotes()
    assert len(quotes) >= 20
    for quote in quotes:
        assert folded(quote) in terms, quote


def test_printed_tax_inclusive_amounts_match_add_tax() -> None:
    for row in tariff().charges:
        assert add_tax(row.amount, on=row.effective_from).including_tax == row.amount_including_tax
    assert {(c.key, c.amount, c.amount_including_tax) for c in tariff().charges} == {
        ("monthly_base", 2000, 2200),
        ("monthly_per_id", 200, 220),
        ("work", 2000, 2200),
        ("addon_id", 2000, 2200),
    }


def base_row(**change: object) -> dict[str, object]:
    data = tomllib.loads((ROOT / "calculators" / "data" / "auth.toml").read_text(encoding="utf-8"))
    return {**data["charges"][0], **change}


def test_a_misprinted_tax_inclusive_amount_is_rejected_on_load() -> None:
    Charge.model_validate(base_row())
    with pytest.raises(ValidationError, match="plus tax"):
        Charge.model_validate(base_row(amount_including_tax=2100))


def test_a_figure_missing_from_the_quote_is_rejected_on_load() -> None:
    source = {**base_row()["source"], "quote": "基本額 月額 3,000 円 （3,300 円）"}  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="not in the quoted passage"):
        Charge.model_validate(base_row(source=source))


def test_a_table_without_a_charge_row_is_rejected() -> None:
    with pytest.raises(ValidationError, match="lacks a charge row"):
        AuthTariff.model_validate({"charges": [base_row()], "citations": {}})


def test_overlapping_rows_are_rejected() -> None:
    rows = [base_row(), base_row(effective_from="2024-01-01")] + [
        {
            **base_row(),
            "key": key,
            "covers_ids": None,
            "amount": amount,
            "amount_including_tax": amount * 11 // 10,
            "source": {
                "doc": "auth",
                "section": "料金表 第1表",
                "quote": f"{amount:,} {amount * 11 // 10:,}",
            },
        }
        for key, amount in (("monthly_per_id", 200), ("work", 2000), ("addon_id", 2000))
    ]
    with pytest.raises(ValidationError, match="overlap"):
        AuthTariff.model_validate({"charges": rows, "citations": {}})
    AuthTariff.model_validate({"charges": rows[:1] + rows[2:], "citations": {}})


# --- monthly fee (第1表) ------------------------------------------------------------------------

ON = D(2025, 6, 1)


@pytest.mark.parametrize(
    ("ids", "fee", "with_tax"),
    [
        (1, 2000, 2200),
        (10, 2000, 2200),
        (11, 2200, 2420),
        (15, 3000, 3300),
        (100_000, 2000 + 200 * 99_990, None),
    ],
)
def test_monthly_fee(ids: int, fee: int, with_tax: int | None) -> None:
    r = monthly_fee(ids, on=ON)
    assert r.fee == fee
    assert r.extra_ids == max(0, ids - 10)
    if with_tax is not None:
        assert r.taxed.including_tax == with_tax


@pytest.mark.parametrize("ids", [0, -1, 100_001, True])
def test_monthly_fee_rejects_bad_id_counts(ids: int) -> None:
    with pytest.raises(BadIdCount):
        monthly_fee(ids, on=ON)


def test_no_fee_before_the_terms_in_hand() -> None:
    assert monthly_fee(10, on=D(2019, 10, 1)).fee == 2000
    with pytest.raises(NoPriceForDate):
        monthly_fee(10, on=D(2019, 9, 30))


def test_present_monthly_shows_the_breakdown() -> None:
    reply = present_monthly(monthly_fee(15, on=ON))
    assert reply.kind == "proration"
    assert "基本額 2,000円（IDは10個まで）＋ 加算額 200円 × 5個" in reply.text
    assert "3,300円" in reply.text
    assert "料金表 第1表" in reply.text
    ten = present_monthly(monthly_fee(10, on=ON)).text
    assert "基本額 2,000円 のみ" in ten
    assert "2,200円" in ten


# --- billing months (第19条4項) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "anchor", "first", "last"),
    [
        (D(2025, 4, 16), 1, D(2025, 4, 1), D(2025, 4, 30)),
        (D(2024, 2, 10), 1, D(2024, 2, 1), D(2024, 2, 29)),
        (D(2025, 1, 20), 15, D(2025, 1, 15), D(2025, 2, 14)),
        (D(2025, 1, 14), 15, D(2024, 12, 15), D(2025, 1, 14)),
        (D(2025, 1, 15), 15, D(2025, 1, 15), D(2025, 2, 14)),
        (D(2025, 2, 28), 31, D(2025, 2, 28), D(2025, 3, 30)),
        (D(2025, 2, 27), 31, D(2025, 1, 31), D(2025, 2, 27)),
        (D(2024, 2, 29), 30, D(2024, 2, 29), D(2024, 3, 29)),
        (D(2025, 12, 31), 31, D(2025, 12, 31), D(2026, 1, 30)),
    ],
)
def test_billing_month(day: date, anchor: int, first: date, last: date) -> None:
    month = billing_month(day, anchor)
    assert (month.first, month.last) == (first, last)


@pytest.mark.parametrize("anchor", [0, 32, -1])
def test_anchor_outside_the_month_is_rejected(anchor: int) -> None:
    with pytest.raises(BadPeriod):
        billing_month(D(2025, 1, 1), anchor)
    with pytest.raises(BadPeriod):
        prorate(10, start=D(2025, 1, 1), anchor_day=anchor)


@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)), st.integers(1, 31))
def test_billing_months_tile_the_calendar(day: date, anchor: int) -> None:
    month = billing_month(day, anchor)
    assert month.first <= day <= month.last
    assert 28 <= month.days <= 31
    assert billing_month(month.last + timedelta(days=1), anchor).first == month.last + timedelta(days=1)


# --- proration --------------------------------------------------------------------------------


def only_part(r: Proration) -> tuple[Bill, Part]:
    (bill,) = r.bills
    (part,) = bill.parts
    return bill, part


def test_start_mid_april() -> None:
    r = prorate(10, start=D(2025, 4, 16))
    bill, part = only_part(r)
    assert (part.first, part.last, part.days, bill.month.days, part.amount) == (
        D(2025, 4, 16),
        D(2025, 4, 30),
        15,
        30,
        1000,
    )
    assert r.totals == (1000, 100, 1100)


def test_start_mid_july_with_15_ids() -> None:
    bill, part = only_part(prorate(15, start=D(2025, 7, 20)))
    assert (part.monthly_fee, part.days, bill.month.days, part.amount) == (3000, 12, 31, 1161)


def test_cancelled_mid_september() -> None:
    _, part = only_part(prorate(10, end=D(2025, 9, 16)))
    assert (part.first, part.last, part.amount) == (D(2025, 9, 1), D(2025, 9, 15), 1000)


def test_cancelled_on_the_first_charges_the_whole_previous_month() -> None:
    bill, part = only_part(prorate(10, end=D(2025, 10, 1)))
    assert (bill.month.first, part.last, part.amount) == (D(2025, 9, 1), D(2025, 9, 30), 2000)


def test_anchor_15() -> None:
    bill, part = only_part(prorate(10, start=D(2025, 1, 20), anchor_day=15))
    assert (bill.month.first, bill.month.last, bill.month.days, part.days) == (
        D(2025, 1, 15),
        D(2025, 2, 14),
        31,
        26,
    )
    assert part.amount == 2000 * 26 // 31 == 1677


def test_leap_february_has_29_days() -> None:
    bill, part = only_part(prorate(10, start=D(2024, 2, 15)))
    assert (bill.month.days, part.days, part.amount) == (29, 15, 2000 * 15 // 29)
    bill, part = only_part(prorate(10, start=D(2025, 2, 15)))
    assert (bill.month.days, part.days, part.amount) == (28, 14, 1000)


def test_start_and_end_the_same_day_is_one_day() -> None:
    r = prorate(10, start=D(2025, 6, 1), end=D(2025, 6, 1))
    _, part = only_part(r)
    assert (part.days, part.amount) == (1, 66)
    assert any("1日分" in note for note in r.notes)


def test_start_on_the_first_is_a_whole_month() -> None:
    _, part = only_part(prorate(11, start=D(2025, 6, 1)))
    assert (part.days, part.amount) == (30, 2200)


def test_no_dates_gives_the_billing_month_holding_on() -> None:
    bill, part = only_part(prorate(11, on=D(2025, 6, 18)))
    assert (bill.month.first, bill.month.last, part.amount) == (D(2025, 6, 1), D(2025, 6, 30), 2200)
    assert prorate(11, on=D(2025, 6, 18)).totals == (2200, 220, 2420)


def test_a_span_gives_one_bill_per_billing_month() -> None:
    r = prorate(15, start=D(2025, 7, 20), end=D(2025, 9, 16))
    assert [b.taxed.excluding_tax for b in r.bills] == [1161, 3000, 1500]
    assert [b.taxed.tax for b in r.bills] == [116, 300, 150]
    assert r.totals == (5661, 566, 6227)


def test_end_before_start_is_rejected() -> None:
    with pytest.raises(BadPeriod):
        prorate(10, start=D(2025, 6, 2), end=D(2025, 6, 1))


def test_a_span_longer_than_36_billing_months_is_rejected() -> None:
    assert len(prorate(10, start=D(2023, 1, 1), end=D(2026, 1, 1)).bills) == 36
    with pytest.raises(BadPeriod):
        prorate(10, start=D(2023, 1, 1), end=D(2026, 1, 2))


def test_anchor_29_to_31_states_its_reading() -> None:
    assert any("末日" in text for text in prorate(10, start=D(2025, 2, 10), anchor_day=31).readings)
    assert not prorate(10, start=D(2025, 2, 10), anchor_day=28).readings


@given(
    st.integers(1, 100_000),
    st.dates(D(2019, 10, 1), D(2040, 12, 31)),
    st.integers(0, 40),
    st.integers(1, 31),
)
def test_proration_never_exceeds_the_monthly_fee(ids: int, start: date, length: int, anchor: int) -> None:
    month = billing_month(start, anchor)
    end = min(start + timedelta(days=length), month.last + timedelta(days=1))
    (bill,) = prorate(ids, start=start, end=end, anchor_day=anchor).bills
    fee = monthly_fee(ids, on=start).fee
    assert 0 <= bill.taxed.excluding_tax <= fee
    assert (bill.taxed.excluding_tax == fee) == (bill.parts[0].days == month.days)


def test_present_proration_shows_the_formula_and_totals() -> None:
    reply = present_proration(prorate(10, start=D(2025, 4, 16)))
    assert reply.kind == "proration"
    assert "2,000円 × 15日 ÷ 30日 = 1,000円（1円未満切り捨て）" in reply.text
    assert "2025年4月16日〜2025年4月30日" in reply.text
    assert "1,100円" in reply.text
    assert reply.inputs["start"] == "2025-04-16"
    span = present_proration(prorate(15, start=D(2025, 7, 20), end=D(2025, 9, 16))).text
    assert "合計（3か月分）5,661円 ＋ 消費税 566円 ＝ 税込 6,227円" in span
    assert "料金月の全日数のため日割なし 3,000円" in span


# --- ID change (通則2(3)) ---------------------------------------------------------------------


def test_change_mid_month_splits_at_the_day_of_change() -> None:
    r = change_ids(10, 11, on=D(2025, 6, 16))
    (bill,) = r.bills
    old, new = bill.parts
    assert (old.ids, old.first, old.last, old.amount) == (10, D(2025, 6, 1), D(2025, 6, 15), 1000)
    assert (new.ids, new.first, new.last, new.amount) == (11, D(2025, 6, 16), D(2025, 6, 30), 1100)
    assert r.totals == (2100, 210, 2310)


def test_change_on_the_first_is_the_new_fee_for_the_whole_month() -> None:
    r = change_ids(10, 11, on=D(2025, 6, 1))
    (bill,) = r.bills
    (part,) = bill.parts
    assert (part.ids, part.days, part.amount) == (11, 30, 2200)


def test_each_part_is_truncated_on_its_own() -> None:
    # 2,000 × 16/30 = 1,066.67 → 1,066; 2,200 × 14/30 = 1,026.67 → 1,026; sum 2,092
    # (truncating the unrounded sum 2,093.33 instead would give 2,093).
    r = change_ids(10, 11, on=D(2025, 6, 17))
    (bill,) = r.bills
    assert [p.amount for p in bill.parts] == [1066, 1026]
    assert bill.taxed.excluding_tax == 2092
    assert any("それぞれ1円未満切り捨て" in text for text in r.readings)
    assert any(s.section == "料金表 通則6" for s in r.sources)


def test_a_change_within_ten_ids_does_not_prorate() -> None:
    r = change_ids(3, 8, on=D(2025, 6, 17))
    (bill,) = r.bills
    (part,) = bill.parts
    assert (part.days, part.amount) == (30, 2000)


def test_change_with_anchor_15() -> None:
    (bill,) = change_ids(20, 10, on=D(2025, 2, 1), anchor_day=15).bills
    assert (bill.month.first, bill.month.last) == (D(2025, 1, 15), D(2025, 2, 14))
    assert [(p.days, p.amount) for p in bill.parts] == [(17, 4000 * 17 // 31), (14, 2000 * 14 // 31)]


def test_present_change() -> None:
    text = present_proration(change_ids(10, 11, on=D(2025, 6, 16))).text
    assert "10個→11個" in text
    assert "2,200円 × 15日 ÷ 30日 = 1,100円" in text
    assert "2,310円" in text


# --- installation (第2表) ---------------------------------------------------------------------


def test_installation_fee() -> None:
    r = installation_fee(works=1, addon_ids=5, on=ON)
    assert (r.works_amount, r.addon_amount) == (2000, 10_000)
    assert (r.taxed.excluding_tax, r.taxed.including_tax) == (12_000, 13_200)
    assert installation_fee(works=1, on=ON).taxed.including_tax == 2200


@pytest.mark.parametrize(("works", "addon_ids"), [(0, 0), (-1, 1), (1001, 0), (0, 100_001), (True, 0)])
def test_installation_rejects_bad_counts(works: int, addon_ids: int) -> None:
    with pytest.raises(BadWorkCount):
        installation_fee(works=works, addon_ids=addon_ids, on=ON)


def test_installation_accepts_its_bounds() -> None:
    assert installation_fee(works=1000, on=ON).taxed.excluding_tax == 2_000_000
    assert installation_fee(addon_ids=1, on=ON).taxed.excluding_tax == 2000


def test_present_installation() -> None:
    reply = present_installation(installation_fee(works=1, addon_ids=5, on=ON))
    assert reply.kind == "proration"
    assert "2,000円 × 5ID = 10,000円" in reply.text
    assert "13,200円" in reply.text
    assert "第20条" in reply.text


def test_no_dates_at_all_is_rejected() -> None:
    with pytest.raises(BadPeriod):
        prorate(10)


def test_the_last_representable_month_is_rejected_cleanly() -> None:
    with pytest.raises(BadPeriod):
        prorate(10, start=D(9999, 12, 31))
