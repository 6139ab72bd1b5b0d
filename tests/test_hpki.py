"""HPKI annual fee tiers (hpki-second-certificate-service-fee.txt, 1, 2, 5, 6)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest
from pydantic import ValidationError

from calculators.common import DOCUMENT_FILES, load_toml
from calculators.errors import BadBedCount, BadFacility, BeforeServiceFee, MissingBedCount
from calculators.hpki import FiscalYearOutOfRange, HpkiTable, annual_fee, hpki_table
from madoguchi.present.hpki import present_fee


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


DOCUMENT = _fold(resources.files("faq.docs").joinpath(DOCUMENT_FILES["hpki"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("beds", "tier", "excl", "incl"),
    [
        (0, "hospital_under_400", 50_000, 55_000),
        (399, "hospital_under_400", 50_000, 55_000),
        (400, "hospital_400_or_more", 100_000, 110_000),
        (5000, "hospital_400_or_more", 100_000, 110_000),
    ],
)
def test_hospital_tiers_either_side_of_400_beds(beds: int, tier: str, excl: int, incl: int) -> None:
    fee = annual_fee("hospital", beds=beds)
    assert (fee.tier, fee.fee_excluding_tax, fee.fee_including_tax) == (tier, excl, incl)
    assert fee.tax == incl - excl
    assert fee.beds_decide_tier


@pytest.mark.parametrize("facility", ["clinic", "pharmacy"])
def test_clinic_and_pharmacy_pay_the_flat_tier(facility: str) -> None:
    fee = annual_fee(facility)  # type: ignore[arg-type]
    assert (fee.tier, fee.fee_excluding_tax, fee.fee_including_tax) == ("clinic_pharmacy", 10_000, 11_000)
    assert fee.tier_label == "診療所・保険薬局"
    assert not fee.beds_decide_tier
    assert not any("床）は区分に影響しません" in n for n in fee.notes)


def test_clinic_with_beds_keeps_the_clinic_tier_and_says_so() -> None:
    fee = annual_fee("clinic", beds=450)
    assert fee.tier == "clinic_pharmacy"
    assert fee.fee_excluding_tax == 10_000
    assert any("450床" in n for n in fee.notes)


def test_hospital_needs_a_bed_count() -> None:
    with pytest.raises(MissingBedCount):
        annual_fee("hospital")


@pytest.mark.parametrize(("facility", "beds"), [("hospital", -1), ("hospital", 5001), ("clinic", -3)])
def test_bed_count_out_of_bounds(facility: str, beds: int) -> None:
    with pytest.raises(BadBedCount) as raised:
        annual_fee(facility, beds=beds)  # type: ignore[arg-type]
    assert str(beds) in raised.value.message
    assert "5000" in raised.value.message


def test_unknown_facility() -> None:
    with pytest.raises(BadFacility):
        annual_fee("dentist", beds=10)  # type: ignore[arg-type]


def test_bed_reference_date_new_application() -> None:
    fee = annual_fee("hospital", beds=300)
    assert fee.bed_reference_date is None
    assert "お申込日" in fee.bed_reference


def test_bed_reference_date_continued_use() -> None:
    fee = annual_fee("hospital", beds=300, continued=True, fiscal_year=2026)
    assert fee.bed_reference_date == date(2026, 4, 1)
    assert "継続利用" in fee.bed_reference
    unknown_year = annual_fee("hospital", beds=300, continued=True)
    assert unknown_year.bed_reference_date is None
    assert "当該年度の4月1日" in unknown_year.bed_reference


def test_fee_before_fiscal_2025_is_free_and_bounded_above() -> None:
    assert annual_fee("clinic", fiscal_year=2025).fee_including_tax == 11_000
    with pytest.raises(BeforeServiceFee):
        annual_fee("clinic", fiscal_year=2024)
    with pytest.raises(FiscalYearOutOfRange):
        annual_fee("clinic", fiscal_year=hpki_table().max_fiscal_year + 1)


def test_notes_cover_proration_refund_free_period_and_tier_dispute() -> None:
    fee = annual_fee("hospital", beds=120)
    text = " ".join(fee.notes)
    assert "按分はありません" in text
    assert "返金はありません" in text
    assert "2025年3月31日まで無償" in text
    assert "お支払い前に『お問い合わせフォーム』" in text
    assert {s.section for s in fee.sources} == {"2-①", "2-②", "2-③", "5", "6", "1"}


def test_every_citation_quotes_the_document_verbatim() -> None:
    table = hpki_table()
    citations = [*table.citations.values(), *(t.source for t in table.tiers)]
    for citation in citations:
        assert citation.doc == "hpki"
        assert _fold(citation.quote) in DOCUMENT, citation.section
        assert citation.heading in DOCUMENT, citation.section


def test_printed_tax_inclusive_amount_is_checked_on_load() -> None:
    data = load_toml("hpki.toml")
    data["tiers"][1]["printed_including_tax"] = 55_001
    with pytest.raises(ValidationError, match="printed"):
        HpkiTable.model_validate(data)


def test_bed_tiers_must_not_leave_a_gap() -> None:
    data = load_toml("hpki.toml")
    data["tiers"][2]["min_beds"] = 401
    with pytest.raises(ValidationError, match="gap"):
        HpkiTable.model_validate(data)


def test_present_fee_shows_every_figure() -> None:
    reply = present_fee(annual_fee("hospital", beds=400, continued=True, fiscal_year=2026))
    assert reply.kind == "hpki_fee"
    figures = {f.label: f.value for f in reply.figures}
    assert figures == {
        "区分": "病床数400床以上の病院",
        "年間利用料（税抜）": "100,000円",
        "年間利用料（税込）": "110,000円",
    }
    text = reply.text
    for value in ["100,000円", "110,000円", "10,000円", "10%", "400床", "2026年4月1日（水）", "2026年度"]:
        assert value in text
    assert reply.inputs == {"facility": "hospital", "beds": 400, "continued": True, "fiscal_year": 2026}


def test_present_fee_clinic_omits_bed_reference() -> None:
    reply = present_fee(annual_fee("pharmacy"))
    assert "保険薬局" in reply.text
    assert "11,000円" in reply.text
    assert "基準日" not in "".join(reply.lines)
