"""利用できなかった時間の料金の減額（利用者認証サービス利用規約 第19条2項の表、料金表通則3）.

Units: ``hours`` is a ``Decimal`` number of hours (0..744); money is integer yen, tax-exclusive.
1欄 (through no fault of the contractor, 24 hours or more in a row from when the provider knew):
monthly fee × whole 24-hour days ÷ days in the billing month. 2欄 (the provider's wilful misconduct
or gross negligence): monthly fee × hours ÷ (days in the billing month × 24). Each is truncated to the
yen (通則6) and never exceeds the billing month's fee. Both are returned; ``applies`` names the default.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from calculators.auth_tariff import (
    BillingMonth,
    Explained,
    billing_month,
    check_anchor,
    check_ids,
    fee_for,
    tariff,
)
from calculators.common import Frozen, Taxed, add_tax, truncate_yen
from calculators.errors import BadOutage

MAX_HOURS = 744
HOURS_PER_DAY = 24


class Credit(Frozen):
    """``monthly_fee × counted ÷ divisor`` yen, truncated; ``capped`` if ``counted`` was cut to ``divisor``."""

    counted: Decimal
    """1欄: whole 24-hour days; 2欄: hours."""
    divisor: int
    """1欄: days in the billing month; 2欄: hours in it."""
    amount: int
    taxed: Taxed
    """The credit with consumption tax, as a tax-inclusive equivalent."""
    capped: bool = False


class OutageCredit(Explained):
    """The charge not payable for an outage of ``hours`` in ``month``, under both rows of the table."""

    ids: int
    hours: Decimal
    month: BillingMonth
    monthly_fee: int
    rule1: Credit
    rule2: Credit
    applies: Literal["rule1", "rule2"]

    @property
    def applied(self) -> Credit:
        return self.rule1 if self.applies == "rule1" else self.rule2


def _credit(fee: int, counted: Decimal, divisor: int, on: date) -> Credit:
    capped = counted > divisor
    counted = min(counted, Decimal(divisor))
    amount = truncate_yen(fee * counted / divisor)
    return Credit(
        counted=counted, divisor=divisor, amount=amount, taxed=add_tax(amount, on=on), capped=capped
    )


def outage_credit(
    ids: int,
    *,
    hours: Decimal,
    month: date,
    anchor_day: int = 1,
    gross_negligence: bool = False,
) -> OutageCredit:
    """Credit in yen for ``ids`` IDs and ``hours`` unusable in the billing month holding ``month``.

    The fee and the tax rate are those in force on the billing month's first day.
    """
    check_ids(ids)
    readings = list(check_anchor(anchor_day))
    if isinstance(hours, bool) or not isinstance(hours, int | Decimal):
        raise BadOutage(value=hours, limit=MAX_HOURS)
    hours = Decimal(hours)
    if not hours.is_finite() or not 0 <= hours <= MAX_HOURS:
        raise BadOutage(value=hours, limit=MAX_HOURS)
    period = billing_month(month, anchor_day)
    fee = fee_for(ids, period.first)
    whole_days = Decimal(int(hours // HOURS_PER_DAY))
    rule1 = _credit(fee, whole_days, period.days, period.first)
    rule2 = _credit(fee, hours, period.days * HOURS_PER_DAY, period.first)
    notes = [
        "1欄は、お客さまの責めによらない理由で全く利用できない状態が、当社が知った時刻から24時間以上続いた場合に限ります。"
        "24時間に満たない端数の時間は減額の対象になりません。",
        "2欄は、当社の故意または重大な過失による場合で、利用できなかった時間そのものについて減額します。",
        "利用停止（第15条）の期間は減額の対象になりません（第19条2項）。既にお支払い済みの料金は返還します（第19条3項）。"
        "損害賠償の範囲（第23条）も同じ24時間ごとの考え方です。",
    ]
    if hours < HOURS_PER_DAY:
        notes.insert(0, f"{hours.normalize():f}時間は24時間未満のため、1欄では減額はありません。")
    readings.append(
        "停止の全時間がこの料金月に属するものとして計算しています。料金月をまたぐ場合は、24時間ごとの単位をその開始時刻の日に"
        "属するものとして料金月ごとに分けます（料金表通則3）。減額は料金月の月額を超えないものとしています。"
    )
    readings.append(
        "税込相当額は減額分に消費税を加えた目安です（実際の消費税は料金月の請求額の合計に対して計算します）。"
    )
    return OutageCredit(
        ids=ids,
        hours=hours,
        month=period,
        monthly_fee=fee,
        rule1=rule1,
        rule2=rule2,
        applies="rule2" if gross_negligence else "rule1",
        rule="利用できなかった時間に対応する料金は、通常は24時間ごとの日数分（1欄）、当社の故意・重大な過失なら時間分（2欄）を、"
        "料金月の暦日数で日割して支払不要とします（第19条2項、料金表通則3）。",
        readings=tuple(readings),
        notes=tuple(notes),
        sources=(
            *tariff().cite(
                "outage_rule1", "outage_rule2", "calendar_days", "truncation", "refund", "liability"
            ),
            tariff().charge("monthly_base", period.first).source,
        ),
    )
