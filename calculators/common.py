"""Pieces every calculator shares: citations, effective-dated data rows, consumption tax.

Money is integer yen (``int``) or ``Decimal``; never ``float``. Dates are ``datetime.date``.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from calculators.errors import NoTaxRateForDate

DocId = Literal["occto", "hpki", "auth"]

DOCUMENT_TITLES: dict[str, str] = {
    "occto": "OCCTO クライアント証明書 価格改定・提供媒体のご案内",
    "hpki": "HPKIセカンド電子証明書 電子署名サービス利用料のご案内",
    "auth": "利用者認証サービス利用規約",
}

DOCUMENT_FILES: dict[str, str] = {
    "occto": "occto-client-certificate-media.txt",
    "hpki": "hpki-second-certificate-service-fee.txt",
    "auth": "user-authentication-service-terms.txt",
}


class Frozen(BaseModel):
    """Base for every data row and result: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(Frozen):
    """Where a figure or rule is written: document, section (as the document numbers it) and passage."""

    doc: DocId
    section: str = Field(min_length=1)
    """e.g. ``第22条``, ``料金表 通則6``, ``別記3``, ``7-②`` (HPKI section 7, item ②), ``1`` (OCCTO part 1)."""
    heading: str = ""
    """The section's own title, e.g. ``延滞利息``."""
    quote: str = ""
    """A short passage from the document, verbatim (whitespace may be folded)."""

    @property
    def label(self) -> str:
        """Human citation, e.g. 「利用者認証サービス利用規約 第22条（延滞利息）」."""
        head = f"（{self.heading}）" if self.heading else ""
        return f"{DOCUMENT_TITLES[self.doc]} {self.section}{head}"


class Dated(Frozen):
    """A data row that applies from ``effective_from`` (inclusive) to ``effective_to`` (inclusive)."""

    effective_from: date | None = None
    effective_to: date | None = None
    source: Citation

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def applies_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


def load_toml(name: str) -> dict:
    """Read ``calculators/data/<name>`` (shipped with the package)."""
    text = resources.files("calculators.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


# --- consumption tax -------------------------------------------------------------------------


class TaxRate(Dated):
    rate: Decimal = Field(gt=0, lt=1)
    """As a fraction: ``0.10`` for 10 %."""

    @property
    def percent(self) -> int:
        return int(self.rate * 100)


class TaxTable(Frozen):
    rates: tuple[TaxRate, ...]

    @model_validator(mode="after")
    def _no_overlap(self) -> TaxTable:
        ordered = sorted(self.rates, key=lambda r: r.effective_from or date.min)
        for before, after in pairwise(ordered):
            if before.effective_to is None or after.effective_from is None:
                raise ValueError("only the last tax rate may be open-ended")
            if (after.effective_from - before.effective_to).days != 1:
                raise ValueError(f"tax rates overlap or leave a gap at {after.effective_from}")
        return self

    def on(self, day: date) -> TaxRate:
        for row in self.rates:
            if row.applies_on(day):
                return row
        raise NoTaxRateForDate(date=day.isoformat())


@cache
def tax_table() -> TaxTable:
    return TaxTable.model_validate(load_toml("tax.toml"))


def truncate_yen(amount: Decimal) -> int:
    """Drop fractions of a yen (料金表 通則6: 1円未満の端数は切り捨て)."""
    return int(amount.to_integral_value(rounding=ROUND_DOWN))


class Taxed(Frozen):
    """A tax-exclusive amount with its consumption tax, added once on the total and truncated."""

    excluding_tax: int
    tax: int
    including_tax: int
    rate: TaxRate


def add_tax(excluding_tax: int, on: date) -> Taxed:
    """Consumption tax on a tax-exclusive total in yen, at the rate in force ``on`` that date.

    Tax is computed once on the total and truncated to the yen (料金表 通則6, 11).
    """
    rate = tax_table().on(on)
    tax = truncate_yen(Decimal(excluding_tax) * rate.rate)
    return Taxed(excluding_tax=excluding_tax, tax=tax, including_tax=excluding_tax + tax, rate=rate)
