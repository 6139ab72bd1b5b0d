"""OCCTO client-certificate media quote (occto-client-certificate-media.txt, parts 1–3).

Money is integer yen. Unit prices are tax-exclusive (税抜); a line's amount is unit price × quantity (exact).
Consumption tax is added once on the subtotal, at the rate for the closing date, truncated to the yen.
The reception-closing date (受付締め日) picks every price row. Prices, notices and the wording of computed
notes live in ``data/media.toml``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import cache
from itertools import pairwise
from string import Formatter
from typing import Literal, cast, get_args

from pydantic import Field, model_validator

from calculators.common import Citation, Dated, Frozen, Taxed, add_tax, load_toml
from calculators.errors import BadQuantity, CalculationError, MediumNotOffered, NoPriceForDate, UnknownMedium

MediumCode = Literal["DL", "CD", "CM", "UM", "UT"]
CODES: tuple[str, ...] = get_args(MediumCode)
# Sanity bound on one medium's quantity in one quote (per line and after merging); not from the document.
MAX_QUANTITY = 1000
NEAR_DAYS = 31  # a closing date this many days or fewer from a price revision gets a note about it
PLACEHOLDERS = frozenset({"closing_date", "coverage_from", "validity_years", *(f"price_{c}" for c in CODES)})
MESSAGES = frozenset(
    ["merged", "next_tier", "tier_applied", "revised", "revised_other", "bulk", "before", "after"]
)
REVISION = ("revision", "revision_old", "revision_new")  # citation keys for a price revision
RULE = "受付締め日の媒体ごとの単価（税抜）に数量を掛けて合計し、小計に消費税を一度だけ加えて1円未満を切り捨てます。"


class NoMedia(CalculationError):
    """媒体と数量が指定されていません。媒体コード（DL・CD・CM・UM・UT）と数量を指定してください。"""

    example = "/quote CD 5"


class Medium(Frozen):
    name_ja: str = Field(min_length=1)
    counter: str = Field(min_length=1)
    offered_from: date | None = None


class PriceRow(Dated):
    """Unit price (yen, tax-excl.) of one medium for ``min_quantity``..``max_quantity`` in one request."""

    code: MediumCode
    tier: str = ""
    unit_price: int = Field(gt=0)
    min_quantity: int = Field(default=1, ge=1)
    max_quantity: int | None = Field(default=None, ge=1)


class Notice(Frozen):
    """A note or reading for quotes with one of ``codes`` (any quote if empty), up to ``until`` if set,
    and with at least ``min_quantity`` of that medium."""

    codes: tuple[MediumCode, ...] = ()
    until: date | None = None
    min_quantity: int = Field(default=1, ge=1)
    kind: Literal["note", "reading"]
    text: str = Field(min_length=1)
    sources: tuple[str, ...]


class MediaTable(Frozen):
    coverage_from: date
    validity_years: int = Field(gt=0)
    citations: dict[str, Citation]
    messages: dict[str, str]
    media: dict[MediumCode, Medium]
    prices: tuple[PriceRow, ...]
    notices: tuple[Notice, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> MediaTable:
        if set(self.media) != set(CODES) or {"cm_discount", *REVISION} - set(self.citations):
            raise ValueError(
                f"media must be exactly {CODES}; citations cm_discount and {REVISION} are needed"
            )
        if missing := MESSAGES - set(self.messages):
            raise ValueError(f"messages missing: {sorted(missing)}")
        tiers: dict[str, set[tuple[int, int | None]]] = defaultdict(set)
        for (code, tier), rows in self.periods().items():
            start = max(self.coverage_from, self.media[code].offered_from or date.min)
            if rows[0].effective_from != start or rows[-1].effective_to is not None:
                raise ValueError(f"{code} {tier}: rows must run from {start}, the last one open-ended")
            for a, b in pairwise(rows):
                if ((b.effective_from or date.min) - (a.effective_to or date.max)).days != 1:
                    raise ValueError(f"{code} {tier}: rows overlap or leave a gap at {b.effective_from}")
            tiers[code] |= {(r.min_quantity, r.max_quantity) for r in rows}
        for code, ranges in ((c, tiers[c]) for c in CODES):
            top = max((n for lo, hi in ranges for n in (lo, hi or lo)), default=0) + 1
            if any(sum(lo <= n <= (hi or n) for lo, hi in ranges) != 1 for n in range(1, top + 1)):
                raise ValueError(f"{code}: every quantity from 1 up must fall in exactly one price tier")
        for notice in self.notices:
            names = {name for _, name, _, _ in Formatter().parse(notice.text) if name is not None}
            if set(notice.sources) - set(self.citations) or names - PLACEHOLDERS:
                raise ValueError(f"notice has unknown citations or placeholders: {notice.text}")
        return self

    def periods(self) -> dict[tuple[str, str], list[PriceRow]]:
        """Rows by (code, tier), in date order."""
        groups: dict[tuple[str, str], list[PriceRow]] = defaultdict(list)
        for row in sorted(self.prices, key=lambda r: r.effective_from or date.min):
            groups[row.code, row.tier].append(row)
        return groups

    def row(self, code: str, quantity: int, day: date) -> PriceRow | None:
        """The price row for ``quantity`` of ``code`` in one request closed on ``day``."""
        rows = (r for r in self.prices if r.code == code and r.applies_on(day))
        return next((r for r in rows if r.min_quantity <= quantity <= (r.max_quantity or quantity)), None)

    def say(self, key: str, /, **values: object) -> str:
        return self.messages[key].format(**values)


@cache
def media_table() -> MediaTable:
    return MediaTable.model_validate(load_toml("media.toml"))


class MediaLine(Frozen):
    code: MediumCode
    name_ja: str
    counter: str
    quantity: int
    unit_price: int
    """Yen per unit, tax-exclusive."""
    amount: int
    """``unit_price × quantity``, yen, tax-exclusive."""
    tier: str
    source: Citation


class Alternative(Frozen):
    """A cheaper way to order the same certificates; savings in yen (tax-excl. and tax-incl.)."""

    summary: str
    lines: tuple[MediaLine, ...]
    taxed: Taxed
    saving: int
    saving_including_tax: int
    source: Citation


class MediaQuote(Frozen):
    closing_date: date
    requested: tuple[tuple[str, int], ...]
    """The lines as given (codes upper-cased), before merging."""
    lines: tuple[MediaLine, ...]
    subtotal: int
    """Yen, tax-exclusive: the sum of the lines' amounts."""
    taxed: Taxed
    validity_years: int
    rule: str
    readings: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[Citation, ...]
    alternatives: tuple[Alternative, ...]


def _jd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise BadQuantity(value=value, limit=MAX_QUANTITY)
    return value


def _line(table: MediaTable, code: MediumCode, quantity: int, day: date) -> MediaLine:
    medium, row = table.media[code], table.row(code, quantity, day)
    if medium.offered_from and day < medium.offered_from:
        since = medium.offered_from.isoformat()
        raise MediumNotOffered(medium=medium.name_ja, date=day.isoformat(), since=since)
    if row is None:
        raise NoPriceForDate(date=day.isoformat())
    return MediaLine(
        code=code, name_ja=medium.name_ja, counter=medium.counter, quantity=quantity,
        unit_price=row.unit_price, amount=row.unit_price * quantity, tier=row.tier, source=row.source,
    )  # fmt: skip


def _bulk_alternative(table: MediaTable, lines: tuple[MediaLine, ...], day: date) -> Alternative | None:
    """All CD discs (with any CM) written instead as CM on one disc, when that costs less."""
    discs = sorted((line for line in lines if line.code in ("CD", "CM")), key=lambda line: line.code != "CD")
    count = sum(line.quantity for line in discs)
    if not discs or discs[0].code != "CD" or count > MAX_QUANTITY:
        return None
    try:
        bulk = _line(table, "CM", count, day)
    except CalculationError:
        return None
    new_lines = tuple(bulk if line.code == "CD" else line for line in lines if line.code != "CM")
    now, taxed = (add_tax(sum(line.amount for line in ls), on=day) for ls in (lines, new_lines))
    if taxed.excluding_tax >= now.excluding_tax:
        return None
    given = "と".join(f"{line.name_ja} {line.quantity}{line.counter}" for line in discs)
    return Alternative(
        summary=table.say("bulk", given=given, **bulk.model_dump()), lines=new_lines, taxed=taxed,
        saving=now.excluding_tax - taxed.excluding_tax, saving_including_tax=now.including_tax - taxed.including_tax,
        source=table.citations["cm_discount"],
    )  # fmt: skip


def _line_notes(table: MediaTable, line: MediaLine, merged: int, day: date) -> list[str]:
    """Merged lines; the next, cheaper quantity tier within reach, or the discounted tier applied."""
    row, fields, notes = table.row(line.code, line.quantity, day), line.model_dump(), []
    if merged > 1:
        notes.append(table.say("merged", count=merged, **fields))
    nxt = table.row(line.code, row.max_quantity + 1, day) if row and row.max_quantity else None
    if nxt and nxt.unit_price < line.unit_price:
        n, off = nxt.min_quantity, line.unit_price - nxt.unit_price
        more = {"more": n - line.quantity, "next_min": n, "next_price": nxt.unit_price, "off": off}
        notes.append(table.say("next_tier", next_subtotal=n * nxt.unit_price, **more, **fields))
    elif row and row.min_quantity > 1:
        notes.append(table.say("tier_applied", min_quantity=row.min_quantity, **fields))
    return notes


def _revision_notes(table: MediaTable, lines: tuple[MediaLine, ...], day: date) -> list[str]:
    """Price revisions of a quoted medium (which price applies and why), or near the closing date."""
    notes, quoted = [], {line.code: line for line in lines}
    for old, new in (pair for rows in table.periods().values() for pair in pairwise(rows)):
        if old.unit_price == new.unit_price or new.effective_from is None:
            continue
        change = {"change": _jd(new.effective_from), "closing_date": _jd(day), "old": old.unit_price}
        if line := quoted.get(new.code):
            when = table.messages["after" if day >= new.effective_from else "before"]
            notes.append(table.say("revised", when=when, new=new.unit_price, **change, **line.model_dump()))
        elif abs((day - new.effective_from).days) <= NEAR_DAYS:
            notes.append(table.say("revised_other", name_ja=table.media[new.code].name_ja, **change))
    return notes


def quote(lines: Sequence[tuple[str, int]], *, closing_date: date) -> MediaQuote:
    """Price ``lines`` of (medium code, quantity) for applications closed on ``closing_date``.

    Codes are case-insensitive; the same code on several lines is merged (quantities summed). Amounts are
    integer yen; tax is added once on the tax-exclusive subtotal and truncated (``add_tax``).
    """
    if not lines:
        raise NoMedia()
    table, day = media_table(), closing_date
    requested: list[tuple[MediumCode, int]] = []
    for raw_code, quantity in lines:
        if (code := str(raw_code).strip().upper()) not in CODES:
            raise UnknownMedium(code=raw_code)
        requested.append((cast(MediumCode, code), _check_quantity(quantity)))
    codes = [code for code, _ in requested]
    totals = {code: sum(q for c, q in requested if c == code) for code in codes}
    priced = tuple(_line(table, code, _check_quantity(total), day) for code, total in totals.items())
    notes = [note for line in priced for note in _line_notes(table, line, codes.count(line.code), day)]
    notes += (revisions := _revision_notes(table, priced, day))
    sources = [line.source for line in priced] + [table.citations[k] for k in REVISION if revisions]
    values = {f"price_{c}": f"{r.unit_price:,}円" if (r := table.row(c, 1, day)) else "—" for c in CODES}
    values |= {"closing_date": _jd(day), "coverage_from": _jd(table.coverage_from)}
    readings: list[str] = []
    for notice in table.notices:
        enough = {line.code for line in priced if line.quantity >= notice.min_quantity}
        if (notice.until is None or day <= notice.until) and set(notice.codes or codes) & enough:
            text = notice.text.format(validity_years=table.validity_years, **values)
            (notes if notice.kind == "note" else readings).append(text)
            sources += [table.citations[key] for key in notice.sources]
    taxed = add_tax(sum(line.amount for line in priced), on=day)
    alternative = _bulk_alternative(table, priced, day)
    if alternative:  # the cheaper way suggested is a figure too: cite where its discount is written
        sources.append(alternative.source)
    return MediaQuote(
        closing_date=day, requested=tuple(requested), lines=priced, subtotal=taxed.excluding_tax, taxed=taxed,
        validity_years=table.validity_years, rule=RULE, readings=tuple(dict.fromkeys(readings)),
        notes=tuple(dict.fromkeys(notes)), sources=tuple(dict.fromkeys(sources)),
        alternatives=(alternative,) if alternative else (),
    )  # fmt: skip
