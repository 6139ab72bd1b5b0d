"""割増金（第21条）: twice the evaded amount (tax-exclusive) plus tax, on top of the evaded amount with its tax."""

from datetime import date

import pytest

from calculators.errors import BadAmount
from calculators.surcharge import surcharge, surcharge_rates
from madoguchi.present.auth import present_surcharge

ON = date(2025, 6, 1)


def test_the_multiplier_row() -> None:
    (row,) = surcharge_rates()
    assert row.multiplier == 2


def test_surcharge_on_10000() -> None:
    r = surcharge(10_000, on=ON)
    assert (r.surcharge_taxed.excluding_tax, r.surcharge_taxed.tax, r.surcharge_taxed.including_tax) == (
        20_000,
        2_000,
        22_000,
    )
    assert r.evaded_taxed.including_tax == 11_000
    assert r.grand_total == 33_000


def test_tax_is_truncated_on_each_amount() -> None:
    r = surcharge(1_999, on=ON)
    assert (r.surcharge_taxed.excluding_tax, r.surcharge_taxed.tax) == (3_998, 399)
    assert r.evaded_taxed.tax == 199
    assert r.grand_total == 1_999 + 199 + 3_998 + 399


@pytest.mark.parametrize(
    ("on", "tax"),
    [
        (date(2019, 10, 1), 2_000),
        (date(2019, 9, 30), 1_600),
        (date(2014, 4, 1), 1_600),
        (date(2014, 3, 31), 1_000),
        (date(2000, 1, 1), 1_000),
    ],
)
def test_tax_rate_follows_the_date_and_the_multiplier_does_not(on: date, tax: int) -> None:
    """第21条 states the multiplier without a date; only the tax table is effective-dated (RULES.md)."""
    r = surcharge(10_000, on=on)
    assert (r.multiplier, r.surcharge_taxed.excluding_tax, r.surcharge_taxed.tax) == (2, 20_000, tax)


def test_surcharge_before_october_2019_through_the_router() -> None:
    from madoguchi.router import answer

    reply = answer("/prorate surcharge amount=10000 on=2019-03-01", today=date(2026, 11, 22))
    assert reply.kind == "surcharge", reply.text
    assert "8%" in reply.text and "21,600円" in reply.text


@pytest.mark.parametrize("amount", [0, -5, 10_000_000_001, True])
def test_bad_amounts_are_rejected(amount: int) -> None:
    with pytest.raises(BadAmount):
        surcharge(amount, on=ON)


def test_amount_bounds_are_accepted() -> None:
    assert surcharge(1, on=ON).grand_total == 1 + 0 + 2 + 0
    assert surcharge(10_000_000_000, on=ON).surcharge_taxed.excluding_tax == 20_000_000_000


def test_present_surcharge_shows_both_and_the_total() -> None:
    reply = present_surcharge(surcharge(10_000, on=ON))
    assert reply.kind == "surcharge"
    text = reply.text
    assert "10,000円 × 2 = 20,000円 ＋ 消費税 2,000円" in text
    assert "免れた額: 10,000円 ＋ 消費税 1,000円 ＝ 11,000円" in text
    assert "33,000円" in text
    assert "第21条" in text
