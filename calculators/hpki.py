"""HPKI second-certificate e-signature service: annual fee tier (hpki-second-certificate-service-fee.txt, 1, 2, 5, 6).

Money is integer yen. Tier amounts are tax-exclusive (税抜) per fiscal year (年度, 1 April to 31 March); the
consumption tax is added once on that amount at the rate in force on 1 April of the fiscal year and truncated
to the yen. There is no proration and no refund. Tiers and citations live in ``data/hpki.toml``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Literal, get_args

from pydantic import Field, model_validator

from calculators.common import Citation, Dated, Frozen, add_tax, load_toml
from calculators.errors import (
    BadBedCount,
    BadFacility,
    BeforeServiceFee,
    CalculationError,
    MissingBedCount,
    NoPriceForDate,
)

Facility = Literal["clinic", "pharmacy", "hospital"]
FACILITIES: tuple[str, ...] = get_args(Facility)


class FiscalYearOutOfRange(CalculationError):
    """{value}年度は計算できません。{first}年度から{last}年度までの年度を指定してください。"""

    example = "/hpki 継続 2026"


class FeeTier(Dated):
    """One fee tier: tax-exclusive ``amount`` (yen per fiscal year) and the document's printed 税込 figure."""

    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    facilities: tuple[Facility, ...] = Field(min_length=1)
    min_beds: int | None = Field(default=None, ge=0)
    max_beds: int | None = Field(default=None, ge=0)
    amount: int = Field(gt=0)
    printed_including_tax: int = Field(gt=0)

    def fits(self, facility: str, beds: int | None) -> bool:
        if facility not in self.facilities:
            return False
        if self.min_beds is None:
            return True
        return beds is not None and self.min_beds <= beds <= (
            self.max_beds if self.max_beds is not None else beds
        )


class HpkiTable(Frozen):
    first_fiscal_year: int
    max_fiscal_year: int
    max_beds: int = Field(gt=0)
    citations: dict[str, Citation]
    tiers: tuple[FeeTier, ...] = Field(min_length=1)
    schedule: dict[str, object]
    """Validated by ``calculators.hpki_deadlines``."""

    @model_validator(mode="after")
    def _consistent(self) -> HpkiTable:
        for tier in self.tiers:
            if tier.effective_from is None:
                raise ValueError(f"{tier.key}: effective_from is required")
            printed = add_tax(tier.amount, on=tier.effective_from).including_tax
            if printed != tier.printed_including_tax:
                raise ValueError(f"{tier.key}: printed 税込 {tier.printed_including_tax} != {printed}")
        for start in {t.effective_from for t in self.tiers}:
            rows = [t for t in self.tiers if t.effective_from == start]
            for facility in FACILITIES:
                ranged = sorted(
                    ((t.min_beds, t.max_beds) for t in rows if facility in t.facilities),
                    key=lambda r: r[0] or 0,
                )
                if ranged == [(None, None)]:
                    continue
                upper: int | None = -1
                for lo, hi in ranged:
                    if lo is None or upper is None or lo != upper + 1 or (hi is not None and hi < lo):
                        raise ValueError(f"{facility} tiers from {start} overlap or leave a gap at {lo}")
                    upper = hi
                if upper is not None:
                    raise ValueError(f"{facility} tiers from {start} must cover every bed count from 0 up")
        return self


@cache
def hpki_table() -> HpkiTable:
    return HpkiTable.model_validate(load_toml("hpki.toml"))


def check_fiscal_year(fiscal_year: int, *, example: str) -> None:
    """Raise unless ``fiscal_year`` is paid (from the first fiscal year) and within the sanity bound."""
    table = hpki_table()
    if fiscal_year < table.first_fiscal_year:
        raise BeforeServiceFee(date=f"{fiscal_year}年度", example=example)
    if fiscal_year > table.max_fiscal_year:
        raise FiscalYearOutOfRange(
            value=fiscal_year, first=table.first_fiscal_year, last=table.max_fiscal_year
        )


class HpkiFee(Frozen):
    """The annual fee of one facility for one fiscal year (yen; tax once on the tax-exclusive amount, truncated)."""

    facility: Facility
    beds: int | None
    continued: bool
    fiscal_year: int | None
    tier: str
    tier_label: str
    fee_excluding_tax: int
    tax: int
    fee_including_tax: int
    tax_rate: Decimal
    beds_decide_tier: bool
    """True for a hospital: the bed count on the reference date picks the tier."""
    bed_reference: str
    """Which reference date applies (Japanese): the application date, or 1 April of the fiscal year."""
    bed_reference_date: date | None
    """1 April of the fiscal year for continued use when the fiscal year is known; otherwise None."""
    rule: str
    readings: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[Citation, ...]


def annual_fee(
    facility: Facility, *, beds: int | None = None, continued: bool = False, fiscal_year: int | None = None
) -> HpkiFee:
    """The annual fee tier for ``facility`` (``beds`` on the reference date, required for a hospital).

    ``fiscal_year`` None means the fee as the document states it (its first paid fiscal year's tiers).
    """
    table = hpki_table()
    if facility not in FACILITIES:
        raise BadFacility(value=facility)
    if beds is not None and (isinstance(beds, bool) or not 0 <= beds <= table.max_beds):
        raise BadBedCount(value=beds, limit=table.max_beds)
    if facility == "hospital" and beds is None:
        raise MissingBedCount()
    if fiscal_year is not None:
        check_fiscal_year(fiscal_year, example="/hpki 病院 399床")
    year = fiscal_year if fiscal_year is not None else table.first_fiscal_year
    start = date(year, 4, 1)
    tier = next((t for t in table.tiers if t.applies_on(start) and t.fits(facility, beds)), None)
    if tier is None:
        raise NoPriceForDate(date=start.isoformat())
    taxed = add_tax(tier.amount, on=start)
    cite = table.citations
    hospital = facility == "hospital"
    reference_date = start if continued and fiscal_year is not None else None
    if continued:
        bed_reference = "継続利用のため、区分判定に用いる病床数の基準日は当該年度の4月1日です。"
    else:
        bed_reference = "新規申込のため、区分判定に用いる病床数の基準日はお申込日です。"
    first = table.first_fiscal_year
    notes: list[str] = []
    if not hospital and beds is not None:
        notes.append(
            f"診療所・保険薬局の利用料は病床数によらず一律のため、ご指定の病床数（{beds}床）は区分に影響しません。"
        )
    notes += [
        "年度途中からのお申込みでも1年分と同じ金額で、利用月数による按分はありません。",
        "お支払い後に年度途中で解約されても、残りの期間分の返金はありません。",
        "お支払い時点で基準日の病床数と請求区分が異なる場合は、お支払い前に『お問い合わせフォーム』からご連絡ください。"
        "ご連絡なくお支払いが完了すると区分判定に同意したものとみなされ、後からの返金には応じられません。",
        f"本サービスは{first}年3月31日まで無償で、{first}年4月1日から有償です。",
    ]
    return HpkiFee(
        facility=facility,
        beds=beds,
        continued=continued,
        fiscal_year=fiscal_year,
        tier=tier.key,
        tier_label=tier.label,
        fee_excluding_tax=taxed.excluding_tax,
        tax=taxed.tax,
        fee_including_tax=taxed.including_tax,
        tax_rate=taxed.rate.rate,
        beds_decide_tier=hospital,
        bed_reference=bed_reference,
        bed_reference_date=reference_date,
        rule=(
            f"{tier.label}の年間利用料は{tier.amount:,}円（税込{taxed.including_tax:,}円）で、"
            "年度（4月1日〜翌年3月31日）ごとにお支払いいただきます。"
        ),
        readings=(),
        notes=tuple(notes),
        sources=(
            tier.source,
            cite["bed_reference"],
            cite["tier_dispute"],
            cite["no_proration"],
            cite["no_refund"],
            cite["free"],
        ),
    )
