"""割増金（利用者認証サービス利用規約 第21条）.

Units: integer yen. ``evaded`` is the tax-exclusive amount of the fee or work charge unlawfully evaded.
surcharge = evaded × 2 (tax-exclusive) plus consumption tax on that, truncated (通則6, 11); it is owed on top
of the evaded amount itself with its own tax. Tax at the rate in force ``on`` (the evaded charge's date).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from pydantic import Field

from calculators.auth_tariff import Explained, in_force, tariff
from calculators.common import Dated, Taxed, add_tax, load_toml
from calculators.errors import BadAmount

MAX_AMOUNT = 10_000_000_000


class SurchargeRate(Dated):
    """第21条: the surcharge is ``multiplier`` times the evaded amount (tax-exclusive), plus tax."""

    multiplier: int = Field(gt=0)


@cache
def surcharge_rates() -> tuple[SurchargeRate, ...]:
    """The ``[[surcharge]]`` rows of auth.toml, validated."""
    return tuple(SurchargeRate.model_validate(row) for row in load_toml("auth.toml")["surcharge"])


class Surcharge(Explained):
    """The surcharge and the evaded amount, each with its tax, and what is owed in all (yen)."""

    evaded: int
    on: date
    multiplier: int
    evaded_taxed: Taxed
    surcharge_taxed: Taxed

    @property
    def grand_total(self) -> int:
        """The evaded amount with tax plus the surcharge with tax."""
        return self.evaded_taxed.including_tax + self.surcharge_taxed.including_tax


def surcharge(evaded: int, *, on: date) -> Surcharge:
    """割増金 (第21条) for ``evaded`` yen (tax-exclusive, 1..10,000,000,000) evaded on ``on``."""
    if isinstance(evaded, bool) or not isinstance(evaded, int) or not 1 <= evaded <= MAX_AMOUNT:
        raise BadAmount(value=evaded, limit=f"{MAX_AMOUNT:,}")
    rate = in_force(surcharge_rates(), on)
    return Surcharge(
        evaded=evaded,
        on=on,
        multiplier=rate.multiplier,
        evaded_taxed=add_tax(evaded, on=on),
        surcharge_taxed=add_tax(evaded * rate.multiplier, on=on),
        rule=f"割増金は、支払いを免れた額（税抜）の{rate.multiplier}倍に消費税相当額を加えた額で、免れた額とは別にお支払いいただきます（第21条）。",
        readings=(
            "入力の金額は、支払いを免れた料金・工事費の税抜額として計算しています。",
            "免れた額そのものも消費税相当額を加えてお支払いいただくものとして、合計に含めています。",
        ),
        notes=("このほか、支払期日を過ぎている場合は延滞利息（第22条）がかかることがあります。",),
        sources=(rate.source, *tariff().cite("tax", "truncation")),
    )
