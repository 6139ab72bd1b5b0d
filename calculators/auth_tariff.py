"""利用者認証サービスの料金表: the tariff data (auth.toml), the fee for an ID count, billing months.

Units: money is integer yen, tax-exclusive. Dates are ``datetime.date``; every ``last`` day is inclusive.
A billing month (料金月, 第19条4項) runs from the 起算日 of one calendar month to the day before the
next month's 起算日.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from typing import Literal, TypeVar

from pydantic import Field, model_validator

from calculators.common import Citation, Dated, Frozen, add_tax, load_toml
from calculators.errors import BadIdCount, BadPeriod, NoPriceForDate

MAX_IDS = 100_000
MAX_BILLS = 36
"""A period may span at most this many billing months (3 years), so that a reply stays readable."""


class Charge(Dated):
    """A priced row of 第1表/第2表: tax-exclusive ``amount`` and the tax-inclusive amount printed beside it."""

    key: Literal["monthly_base", "monthly_per_id", "work", "addon_id"]
    effective_from: date
    amount: int = Field(gt=0)
    amount_including_tax: int
    covers_ids: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _matches_print(self) -> Charge:
        if add_tax(self.amount, on=self.effective_from).including_tax != self.amount_including_tax:
            raise ValueError(f"{self.key}: printed {self.amount_including_tax} is not {self.amount} plus tax")
        if (self.key == "monthly_base") != (self.covers_ids is not None):
            raise ValueError("only the monthly_base row says how many IDs it covers")
        for figure in (self.amount, self.amount_including_tax):
            if f"{figure:,}" not in self.source.quote:
                raise ValueError(f"{self.key}: {figure:,} is not in the quoted passage")
        return self


class AuthTariff(Frozen):
    """auth.toml's 第1表/第2表 rows and the named citations (the rate rows belong to their calculators)."""

    charges: tuple[Charge, ...]
    citations: dict[str, Citation]

    @model_validator(mode="after")
    def _complete(self) -> AuthTariff:
        keys = {c.key for c in self.charges}
        if keys != {"monthly_base", "monthly_per_id", "work", "addon_id"}:
            raise ValueError("auth.toml lacks a charge row")
        for key in keys:
            rows = sorted((c for c in self.charges if c.key == key), key=lambda c: c.effective_from)
            for before, after in pairwise(rows):
                if before.effective_to is None or before.effective_to >= after.effective_from:
                    raise ValueError(f"{key} rows overlap")
        return self

    def charge(self, key: str, on: date) -> Charge:
        return in_force([c for c in self.charges if c.key == key], on)

    def cite(self, *names: str) -> tuple[Citation, ...]:
        return tuple(self.citations[name] for name in names)


D = TypeVar("D", bound=Dated)


def in_force(rows: Sequence[D], on: date) -> D:
    """The one row in force on ``on``; NoPriceForDate if none (several would be a data error)."""
    found = [row for row in rows if row.applies_on(on)]
    if len(found) != 1:
        raise NoPriceForDate(date=on.isoformat())
    return found[0]


@cache
def tariff() -> AuthTariff:
    """auth.toml, validated once (printed tax-inclusive amounts re-computed, every key present)."""
    data = load_toml("auth.toml")
    return AuthTariff.model_validate({"charges": data["charges"], "citations": data["citations"]})


class Explained(Frozen):
    """What every result carries besides its figures (all text Japanese)."""

    rule: str
    readings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[Citation, ...] = ()


def check_ids(ids: int) -> None:
    if isinstance(ids, bool) or not isinstance(ids, int) or not 1 <= ids <= MAX_IDS:
        raise BadIdCount(value=ids, limit=f"{MAX_IDS:,}")


# --- the monthly fee (第1表) ---------------------------------------------------------------------


def fee_for(ids: int, on: date) -> int:
    """The tax-exclusive monthly fee in yen for ``ids`` user IDs under the 第1表 row in force ``on``."""
    base, per_id = tariff().charge("monthly_base", on), tariff().charge("monthly_per_id", on)
    return base.amount + per_id.amount * max(0, ids - (base.covers_ids or 0))


# --- billing months (第19条4項) -----------------------------------------------------------------


class BillingMonth(Frozen):
    """料金月: from the 起算日 of one calendar month to the day before the next month's 起算日 (inclusive)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _start_day(year: int, month: int, anchor_day: int) -> date:
    """The 起算日 in that calendar month: ``anchor_day``, or the month's last day if the month is shorter."""
    year, month = divmod(year * 12 + month - 1, 12)
    return date(year, month + 1, min(anchor_day, calendar.monthrange(year, month + 1)[1]))


def check_anchor(anchor_day: int) -> tuple[str, ...]:
    """BadPeriod unless 1..31; the reading to state for 29..31 (clamped to a shorter month's last day)."""
    if isinstance(anchor_day, bool) or not isinstance(anchor_day, int) or not 1 <= anchor_day <= 31:
        raise BadPeriod(detail=f"起算日「{anchor_day}」は 1〜31 の日で指定してください。")
    if anchor_day < 29:
        return ()
    return (
        "起算日が29〜31日で、その日がない月は、その月の末日を起算日として料金月を区切っています（規約に定めがないための読み方です）。",
    )


def named_billing_month(year: int, month: int, anchor_day: int = 1) -> BillingMonth:
    """The billing month a calendar month names: from that month's 起算日 to the day before the next
    month's (第19条4項). With 起算日 15, June 2025 is 2025-06-15 to 2025-07-14."""
    check_anchor(anchor_day)
    return billing_month(_start_day(year, month, anchor_day), anchor_day)


def billing_month(day: date, anchor_day: int = 1) -> BillingMonth:
    """The billing month containing ``day`` for a contract whose 起算日 is ``anchor_day`` (1..31)."""
    check_anchor(anchor_day)
    first = _start_day(day.year, day.month, anchor_day)
    if day < first:
        first = _start_day(day.year, day.month - 1, anchor_day)
    if first.year == date.max.year and first.month == 12:
        raise BadPeriod(detail=f"{day.isoformat()} は計算できる範囲外の日付です。")
    following = _start_day(first.year, first.month + 1, anchor_day)
    return BillingMonth(first=first, last=following - timedelta(days=1))
