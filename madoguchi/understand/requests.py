"""What a message asks for, once understood: one frozen request per calculator, FAQ, help."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from madoguchi.understand.vocabulary import FacilityCode, MediumCode


@dataclass(frozen=True, slots=True)
class Request:
    assumptions: tuple[str, ...] = field(default=(), kw_only=True)
    """Japanese notes on what was assumed (today's date, the current year, a quantity of 1 …)."""


@dataclass(frozen=True, slots=True)
class QuoteRequest(Request):
    lines: tuple[tuple[MediumCode, int], ...]
    closing_date: date
    date_assumed: bool


@dataclass(frozen=True, slots=True)
class HpkiFeeRequest(Request):
    facility: FacilityCode
    beds: int | None
    continued: bool = False
    fiscal_year: int | None = None
    """None: the fee as the document states it (no fiscal year named)."""
    application_date: date | None = None
    """Set when the message also asks the payment deadline of an application made on this date
    (「120床の病院が9月に新規申請。年額と支払期限は？」): the reply then gives both."""


@dataclass(frozen=True, slots=True)
class HpkiDeadlineRequest(Request):
    application_date: date | None = None
    fiscal_year: int | None = None
    """Set for a continued user's schedule of that fiscal year (application_date is then None)."""


@dataclass(frozen=True, slots=True)
class MonthlyRequest(Request):
    ids: int
    on: date


@dataclass(frozen=True, slots=True)
class ProrateRequest(Request):
    ids: int
    start: date | None
    end: date | None
    anchor_day: int
    on: date


@dataclass(frozen=True, slots=True)
class ChangeRequest(Request):
    before: int
    after: int
    on: date
    anchor_day: int


@dataclass(frozen=True, slots=True)
class InstallRequest(Request):
    works: int
    addon_ids: int
    on: date


@dataclass(frozen=True, slots=True)
class LateRequest(Request):
    amount: int
    due: date
    paid: date


@dataclass(frozen=True, slots=True)
class OutageRequest(Request):
    ids: int
    hours: Decimal
    month: date
    anchor_day: int
    gross_negligence: bool


@dataclass(frozen=True, slots=True)
class SurchargeRequest(Request):
    amount: int
    on: date


@dataclass(frozen=True, slots=True)
class HelpRequest(Request):
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class FaqRequest(Request):
    query: str
    explicit: bool = False
    """True for /faq: the user asked the FAQ directly."""
