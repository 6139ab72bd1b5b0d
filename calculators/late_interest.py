"""延滞利息（利用者認証サービス利用規約 第22条）.

Units: ``amount`` and ``interest`` are integer yen; the annual rate is a ``Decimal`` fraction (0.145).
interest = amount × rate × days ÷ 365 (365 days even across 29 February, 第22条 注), computed exactly and
truncated to the yen (料金表通則6). ``days`` runs from the day after the due date to the day before
payment, both inclusive. No consumption tax is added (the terms add it to fees and works only).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from pydantic import Field

from calculators.auth_tariff import Explained, in_force, tariff
from calculators.common import Dated, load_toml
from calculators.errors import BadAmount, PaidBeforeDue

MAX_AMOUNT = 10_000_000_000


class LateRate(Dated):
    """第22条: ``annual_rate`` a year on a ``day_basis``-day year; nothing if paid within ``grace_days``."""

    annual_rate: Decimal = Field(gt=0, lt=1)
    day_basis: int = Field(gt=0)
    grace_days: int = Field(ge=0)


@cache
def late_rates() -> tuple[LateRate, ...]:
    """The ``[[late_interest]]`` rows of auth.toml, validated."""
    return tuple(LateRate.model_validate(row) for row in load_toml("auth.toml")["late_interest"])


class LateInterest(Explained):
    """Interest in yen on ``amount`` yen overdue since ``due``, paid on ``paid``."""

    amount: int
    due: date
    paid: date
    annual_rate: Decimal
    day_basis: int
    grace_days: int
    days: int
    """Days from the day after ``due`` to the day before ``paid`` (inclusive); counted even within the grace."""
    interest: int

    @property
    def first_day(self) -> date:
        return self.due + timedelta(days=1)

    @property
    def last_day(self) -> date:
        return self.paid - timedelta(days=1)

    @property
    def grace_until(self) -> date:
        """The last day on which payment still carries no interest."""
        return self.due + timedelta(days=self.grace_days)

    @property
    def within_grace(self) -> bool:
        return self.paid <= self.grace_until


def late_interest(amount: int, *, due: date, paid: date) -> LateInterest:
    """Late-payment interest (第22条) in yen on ``amount`` yen (1..10,000,000,000), truncated to the yen."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise BadAmount(value=amount, limit=f"{MAX_AMOUNT:,}")
    if paid <= due:
        raise PaidBeforeDue(paid=paid.isoformat(), due=due.isoformat())
    rate = in_force(late_rates(), due)
    days = (paid - due).days - 1
    if paid <= due + timedelta(days=rate.grace_days):
        interest = 0
        note = f"支払期日の翌日から起算して{rate.grace_days}日以内のお支払いのため、延滞利息はかかりません（第22条ただし書）。"
    else:
        numerator, denominator = rate.annual_rate.as_integer_ratio()
        interest = amount * numerator * days // (denominator * rate.day_basis)
        note = f"支払期日の翌日から起算して{rate.grace_days}日を過ぎたお支払いのため、支払期日の翌日から計算します。"
    return LateInterest(
        amount=amount,
        due=due,
        paid=paid,
        annual_rate=rate.annual_rate,
        day_basis=rate.day_basis,
        grace_days=rate.grace_days,
        days=days,
        interest=interest,
        rule=f"支払期日の翌日から支払日の前日までの日数について、年{(rate.annual_rate * 100).normalize():f}%"
        f"（閏年を含む期間も{rate.day_basis}日当たり）で計算し、1円未満を切り捨てます（第22条、料金表通則6）。",
        readings=(
            "延滞利息は料金表に定める料金・工事費ではないため、消費税相当額は加算していません（規約に加算の定めがないための読み方です）。",
        ),
        notes=(note,),
        sources=(rate.source, *tariff().cite("leap_year", "truncation")),
    )
