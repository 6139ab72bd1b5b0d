"""OCCTO client-certificate media quotes (occto-client-certificate-media.txt, parts 1–3)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculators.common import DOCUMENT_FILES, load_toml
from calculators.errors import BadQuantity, CalculationError, MediumNotOffered, NoPriceForDate, UnknownMedium
from calculators.media import CODES, MAX_QUANTITY, MediaTable, NoMedia, media_table, quote
from madoguchi.present.media import present_quote

ANY_DAY = date(2025, 6, 1)
DOCUMENT = re.sub(
    r"\s+", "", resources.files("faq.docs").joinpath(DOCUMENT_FILES["occto"]).read_text("utf-8")
)


def _oracle_unit_price(code: str, quantity: int, day: date) -> int:
    """The document's prices, written out independently of media.toml."""
    if code == "CM":
        return 4900 if quantity >= 5 else 5100
    if code == "UT":
        return 10500 if day >= date(2023, 4, 1) else 9600
    return {"DL": 5000, "CD": 5100, "UM": 6200}[code]


def _oracle_tax(amount: int, day: date) -> int:
    return amount * (10 if day >= date(2019, 10, 1) else 8) // 100


# --- the document's examples and the brief's figures ------------------------------------------


@pytest.mark.parametrize(
    ("code", "quantity", "unit", "subtotal"),
    [("CD", 5, 5100, 25_500), ("CM", 4, 5100, 20_400), ("CM", 5, 4900, 24_500)],
)
@pytest.mark.parametrize("day", [date(2017, 10, 1), date(2023, 3, 31), ANY_DAY])
def test_document_examples(code: str, quantity: int, unit: int, subtotal: int, day: date) -> None:
    result = quote([(code, quantity)], closing_date=day)
    (line,) = result.lines
    assert (line.unit_price, line.amount, result.subtotal) == (unit, subtotal, subtotal)


@pytest.mark.parametrize(
    ("lines", "subtotal", "total"),
    [([("DL", 10)], 50_000, 55_000), ([("CM", 6)], 29_400, 32_340), ([("UM", 1)], 6_200, 6_820)],
)
def test_totals_with_tax(lines: list[tuple[str, int]], subtotal: int, total: int) -> None:
    result = quote(lines, closing_date=ANY_DAY)
    assert (result.subtotal, result.taxed.including_tax) == (subtotal, total)
    assert result.taxed.tax == total - subtotal


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "unit", "when"), [(date(2023, 3, 31), 9_600, "改定前"), (date(2023, 4, 1), 10_500, "改定後")]
)
def test_usb_token_price_either_side_of_the_revision(day: date, unit: int, when: str) -> None:
    result = quote([("UT", 3)], closing_date=day)
    assert result.lines[0].unit_price == unit
    assert result.subtotal == unit * 3
    assert any(f"{when}の{unit:,}円を適用" in note and "2023年4月1日" in note for note in result.notes)
    assert any("受付締め" in reading and "申し込み" in reading for reading in result.readings)


def test_bulk_cd_is_not_offered_before_october_2017() -> None:
    with pytest.raises(MediumNotOffered) as raised:
        quote([("CM", 5)], closing_date=date(2017, 9, 30))
    assert "2017-10-01" in raised.value.message
    assert quote([("CM", 5)], closing_date=date(2017, 10, 1)).subtotal == 24_500
    assert any("2017年10月1日" in reading for reading in quote([("CM", 1)], closing_date=ANY_DAY).readings)


def test_no_price_before_the_documented_period() -> None:
    with pytest.raises(NoPriceForDate):
        quote([("DL", 1)], closing_date=date(2017, 9, 30))


@pytest.mark.parametrize(("day", "rate", "tax"), [(date(2019, 9, 30), 8, 400), (date(2019, 10, 1), 10, 500)])
def test_tax_rate_by_closing_date(day: date, rate: int, tax: int) -> None:
    result = quote([("DL", 1)], closing_date=day)
    assert (result.taxed.rate.percent, result.taxed.tax, result.taxed.including_tax) == (
        rate,
        tax,
        5000 + tax,
    )


# --- input checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [1, MAX_QUANTITY])
def test_quantity_bounds_accepted(quantity: int) -> None:
    result = quote([("CM", quantity)], closing_date=ANY_DAY)
    assert result.subtotal == quantity * _oracle_unit_price("CM", quantity, ANY_DAY)


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1, True])
def test_quantity_bounds_rejected(quantity: int) -> None:
    with pytest.raises(BadQuantity) as raised:
        quote([("DL", quantity)], closing_date=ANY_DAY)
    assert str(MAX_QUANTITY) in raised.value.message


def test_merged_quantity_above_the_bound_is_rejected() -> None:
    with pytest.raises(BadQuantity) as raised:
        quote([("DL", MAX_QUANTITY), ("dl", 1)], closing_date=ANY_DAY)
    assert str(MAX_QUANTITY + 1) in raised.value.message


@pytest.mark.parametrize("code", ["XX", "", "CDR", "U T"])
def test_unknown_medium(code: str) -> None:
    with pytest.raises(UnknownMedium):
        quote([(code, 1)], closing_date=ANY_DAY)


def test_no_lines() -> None:
    with pytest.raises(NoMedia) as raised:
        quote([], closing_date=ANY_DAY)
    assert isinstance(raised.value, CalculationError) and raised.value.example.startswith("/quote")


def test_codes_are_case_insensitive_and_merged() -> None:
    result = quote([("cm", 3), (" CM ", 2), ("ut", 1)], closing_date=ANY_DAY)
    assert [(line.code, line.quantity, line.unit_price) for line in result.lines] == [
        ("CM", 5, 4900),
        ("UT", 1, 10500),
    ]
    assert result.requested == (("CM", 3), ("CM", 2), ("UT", 1))
    assert any("2行" in note and "5証明書" in note for note in result.notes)
    assert not any("行あったため" in note for note in quote([("CM", 5)], closing_date=ANY_DAY).notes)


# --- notes, readings, alternatives --------------------------------------------------------------


def test_bulk_threshold_note() -> None:
    assert any("あと1証明書で単価4,900円" in note for note in quote([("CM", 4)], closing_date=ANY_DAY).notes)
    assert any("あと2証明書で単価4,900円" in note for note in quote([("CM", 3)], closing_date=ANY_DAY).notes)
    five = quote([("CM", 5)], closing_date=ANY_DAY).notes
    assert not any("あと" in note for note in five)
    assert any("割引後の単価4,900円" in note for note in five)


def test_usb_token_notes_and_citations() -> None:
    result = quote([("UT", 1)], closing_date=ANY_DAY)
    text = " ".join(result.notes)
    for phrase in (
        "端末にコピーできません",
        "再利用",
        "ダウンロード",
        "USBメモリ",
        "補償はありません",
        "ランタイムパッケージ",
    ):
        assert phrase in text
    assert {"1", "3"} <= {source.section for source in result.sources}
    without = quote([("DL", 1)], closing_date=ANY_DAY)
    assert "再利用" not in " ".join(without.notes)
    assert "3" not in {source.section for source in without.sources}


@pytest.mark.parametrize("code", CODES)
def test_validity_two_years_for_every_medium(code: str) -> None:
    result = quote([(code, 1)], closing_date=ANY_DAY)
    assert result.validity_years == 2
    assert any("有効期間" in note and "2年" in note for note in result.notes)


@pytest.mark.parametrize(
    ("day", "noted"),
    [
        (date(2023, 2, 28), False),
        (date(2023, 3, 1), True),
        (date(2023, 5, 2), True),
        (date(2023, 5, 3), False),
    ],
)
def test_revision_noted_near_it_even_without_usb_token(day: date, *, noted: bool) -> None:
    result = quote([("DL", 1)], closing_date=day)
    assert any("USBトークン" in note and "対象外" in note for note in result.notes) is noted


def test_undated_current_price_reading_only_before_the_revision() -> None:
    reading = "現価格の適用開始日"
    assert any(reading in r for r in quote([("DL", 1)], closing_date=date(2023, 3, 31)).readings)
    assert not any(reading in r for r in quote([("DL", 1)], closing_date=date(2023, 4, 1)).readings)


@pytest.mark.parametrize(
    ("lines", "saving", "with_tax"),
    [
        ([("CD", 5)], 1_000, 1_100),
        ([("CD", 3), ("CM", 2)], 1_000, 1_100),
        ([("CD", 2), ("CM", 5)], 400, 440),
        ([("CD", 5), ("UT", 1)], 1_000, 1_100),
    ],
)
def test_bulk_write_alternative(lines: list[tuple[str, int]], saving: int, with_tax: int) -> None:
    result = quote(lines, closing_date=ANY_DAY)
    (alternative,) = result.alternatives
    assert (alternative.saving, alternative.saving_including_tax) == (saving, with_tax)
    assert alternative.taxed.excluding_tax == result.subtotal - saving
    assert "CD" not in {line.code for line in alternative.lines}
    assert "まとめ書込み" in alternative.summary and alternative.source.section == "2"


def test_a_suggested_bulk_write_cites_its_discount() -> None:
    """/quote CD 5 suggests CM (saving 1,000円): the discount's source, part 2, is cited with part 1."""
    result = quote([("CD", 5)], closing_date=ANY_DAY)
    assert result.alternatives[0].source in result.sources
    assert {source.section for source in result.sources} == {"1", "2"}
    reply = present_quote(result, date_assumed=False)
    assert any("200円の割引" in source.quote for source in reply.sources)
    assert "2" not in {source.section for source in quote([("CD", 4)], closing_date=ANY_DAY).sources}


@pytest.mark.parametrize("lines", [[("CD", 4)], [("CD", 2), ("CM", 2)], [("CM", 5)], [("DL", 9)]])
def test_no_alternative_when_nothing_is_saved(lines: list[tuple[str, int]]) -> None:
    assert quote(lines, closing_date=ANY_DAY).alternatives == ()


def test_sources_are_occto_and_quoted_verbatim() -> None:
    data = load_toml("media.toml")
    quotes = [c["quote"] for c in data["citations"].values()] + [
        row["source"]["quote"] for row in data["prices"]
    ]
    for text in quotes:
        assert re.sub(r"\s+", "", text) in DOCUMENT, text
    result = quote([(code, 5) for code in CODES], closing_date=date(2023, 4, 1))
    assert {source.doc for source in result.sources} == {"occto"}
    assert {source.section for source in result.sources} == {"1", "2", "3"}


# --- the data file ------------------------------------------------------------------------------


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(load_toml("media.toml"))
    change(data)
    return data


def _rows(data: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [row for row in data["prices"] if row["code"] == code]


BREAKAGES = {
    "overlapping UT rows": lambda d: _rows(d, "UT")[1].update(effective_from=date(2023, 3, 31)),
    "gap between UT rows": lambda d: _rows(d, "UT")[1].update(effective_from=date(2023, 4, 2)),
    "DL starts late": lambda d: _rows(d, "DL")[0].update(effective_from=date(2018, 1, 1)),
    "CM priced before it was offered": lambda d: [
        r.update(effective_from=date(2017, 9, 1)) for r in _rows(d, "CM")
    ],
    "last row closed": lambda d: _rows(d, "UT")[1].update(effective_to=date(2030, 3, 31)),
    "UM has no price": lambda d: d.update(prices=[r for r in d["prices"] if r["code"] != "UM"]),
    "CM tiers overlap": lambda d: _rows(d, "CM")[1].update(min_quantity=4),
    "CM tiers leave a gap": lambda d: _rows(d, "CM")[1].update(min_quantity=6),
    "unknown code": lambda d: _rows(d, "DL")[0].update(code="DV"),
    "fractional price": lambda d: _rows(d, "DL")[0].update(unit_price=5000.5),
    "ends before it starts": lambda d: _rows(d, "UT")[0].update(effective_to=date(2017, 1, 1)),
    "unknown notice placeholder": lambda d: d["notices"][0].update(text="{nonsense}"),
    "unknown notice citation": lambda d: d["notices"][0].update(sources=["nowhere"]),
    "missing message": lambda d: d["messages"].pop("next_tier"),
    "missing medium": lambda d: d["media"].pop("UT"),
    "unknown row key": lambda d: _rows(d, "DL")[0].update(discount=100),
}


def test_shipped_table_loads() -> None:
    table = media_table()
    assert set(table.media) == set(CODES)


@pytest.mark.parametrize("name", BREAKAGES)
def test_broken_table_fails_to_load(name: str) -> None:
    with pytest.raises(ValidationError):
        MediaTable.model_validate(_broken(BREAKAGES[name]))


# --- property -----------------------------------------------------------------------------------

codes = st.sampled_from([*CODES, *(c.lower() for c in CODES)])


@given(
    st.lists(st.tuples(codes, st.integers(1, 150)), min_size=1, max_size=6),
    st.dates(date(2017, 10, 1), date(2035, 12, 31)),
)
def test_total_is_sum_of_lines_plus_truncated_tax(lines: list[tuple[str, int]], day: date) -> None:
    result = quote(lines, closing_date=day)
    merged: dict[str, int] = {}
    for code, quantity in lines:
        merged[code.upper()] = merged.get(code.upper(), 0) + quantity
    assert {line.code: line.quantity for line in result.lines} == merged
    for line in result.lines:
        assert line.unit_price == _oracle_unit_price(line.code, line.quantity, day)
        assert line.amount == line.unit_price * line.quantity
    assert result.subtotal == result.taxed.excluding_tax == sum(line.amount for line in result.lines)
    assert result.taxed.tax == _oracle_tax(result.subtotal, day)
    assert result.taxed.including_tax == result.subtotal + result.taxed.tax
    for alternative in result.alternatives:
        assert 0 < alternative.saving == result.subtotal - alternative.taxed.excluding_tax


# --- presenter ----------------------------------------------------------------------------------


def test_reply_for_usb_tokens() -> None:
    reply = present_quote(quote([("UT", 3)], closing_date=date(2024, 5, 1)), date_assumed=False)
    assert reply.kind == "quote"
    assert [(f.label, f.value) for f in reply.figures] == [
        ("小計（税抜）", "31,500円"),
        ("消費税（10%）", "3,150円"),
        ("合計（税込）", "34,650円"),
    ]
    assert "USBトークン（UT） 10,500円 × 3個 = 31,500円" in reply.lines
    assert "2024年5月1日（水）受付締め分" in reply.lines[0]
    assert not any("本日" in note for note in reply.notes)
    assert all(figure.value in reply.text for figure in reply.figures)
    assert json.loads(json.dumps(reply.inputs)) == {
        "lines": [["UT", 3]],
        "closing_date": "2024-05-01",
        "date_assumed": False,
    }
    labels = [source.label for source in reply.sources]
    assert len(labels) == len(set(labels)) and any("3" in label for label in labels)


def test_reply_when_the_date_is_assumed(today: date) -> None:
    reply = present_quote(quote([("CD", 5)], closing_date=today), date_assumed=True)
    assert "受付締め日の指定がないため本日（2026年11月22日）で計算しました" in reply.notes[0]
    assert "2026年11月22日" in reply.lines[0]
    assert any("1,000円（税込1,100円）安くなります" in note for note in reply.notes)
    assert reply.inputs["date_assumed"] is True


def test_reply_shows_the_old_tax_rate() -> None:
    reply = present_quote(quote([("DL", 1)], closing_date=date(2019, 9, 30)), date_assumed=False)
    assert ("消費税（8%）", "400円") in [(f.label, f.value) for f in reply.figures]


@pytest.mark.parametrize(
    ("code", "quantity", "said"), [("UM", 4, 0), ("UM", 5, 1), ("UT", 5, 1), ("CM", 5, 0)]
)
def test_a_quote_of_five_or_more_says_only_bulk_writing_has_a_discount(
    code: str, quantity: int, said: int
) -> None:
    result = quote([(code, quantity)], closing_date=ANY_DAY)
    assert sum("数量割引の記載はありません" in note for note in result.notes) == said
    assert sum(source.section == "2" for source in result.sources) >= said
