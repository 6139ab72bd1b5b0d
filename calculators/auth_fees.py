"""利用者認証サービス: 定額利用料（料金表第1表）、日割（第19条, 通則2・3）、ID数変更（通則2）.

Units: money is integer yen, tax-exclusive unless held in a ``Taxed``; a fraction of a yen is truncated
(通則6) after each proration (fee × days ÷ days in the billing month). Dates are ``datetime.date``;
every ``last`` day is inclusive. Consumption tax is added once per bill (one billing month) on its
tax-exclusive total at the rate in force on the bill's first charged day (通則11).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from calculators.auth_tariff import (
    MAX_BILLS,
    BillingMonth,
    Explained,
    billing_month,
    check_anchor,
    check_ids,
    fee_for,
    tariff,
)
from calculators.common import Frozen, Taxed, add_tax
from calculators.errors import BadPeriod


class MonthlyFee(Explained):
    """第1表: ``base`` covers up to ``covers_ids`` IDs; ``per_id`` a month for each ID beyond. Yen, tax-excl."""

    ids: int
    on: date
    base: int
    covers_ids: int
    per_id: int
    taxed: Taxed

    @property
    def extra_ids(self) -> int:
        return max(0, self.ids - self.covers_ids)

    @property
    def fee(self) -> int:
        return self.taxed.excluding_tax


def monthly_fee(ids: int, *, on: date) -> MonthlyFee:
    """第1表 monthly fee for one contract with ``ids`` IDs (1..100,000), with tax at the rate of ``on``."""
    check_ids(ids)
    base, per_id = tariff().charge("monthly_base", on), tariff().charge("monthly_per_id", on)
    covers = base.covers_ids or 0
    return MonthlyFee(
        ids=ids,
        on=on,
        base=base.amount,
        covers_ids=covers,
        per_id=per_id.amount,
        taxed=add_tax(fee_for(ids, on), on=on),
        rule=f"定額利用料は、IDが{covers}個までは基本額のみ、{covers}個を超える分は1IDごとに加算額を足した額です（料金表第1表）。",
        sources=(base.source, per_id.source, *tariff().cite("fee_rule", "tax")),
    )


# --- proration (第19条, 通則2・3) ----------------------------------------------------------------


class Part(Frozen):
    """``ids`` IDs charged from ``first`` to ``last`` (inclusive) at ``monthly_fee`` yen a month (tax-excl.)."""

    ids: int
    monthly_fee: int
    first: date
    last: date
    amount: int
    """``monthly_fee × days ÷ days in the billing month``, truncated to the yen (equal to the fee for a whole month)."""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class Bill(Frozen):
    """One billing month: its parts and the tax added once on their tax-exclusive sum."""

    month: BillingMonth
    parts: tuple[Part, ...]
    taxed: Taxed


class Proration(Explained):
    """Charges for a period or an ID change, one ``Bill`` per billing month. Yen."""

    ids: int
    before: int | None = None
    """The former ID count, for an ID change."""
    start: date | None = None
    end: date | None = None
    on: date | None = None
    anchor_day: int = 1
    bills: tuple[Bill, ...]

    @property
    def totals(self) -> tuple[int, int, int]:
        """Tax-exclusive, tax and tax-inclusive yen summed over the bills."""
        excluding = sum(b.taxed.excluding_tax for b in self.bills)
        tax = sum(b.taxed.tax for b in self.bills)
        return excluding, tax, excluding + tax


def _part(ids: int, first: date, last: date, month: BillingMonth) -> Part:
    fee = fee_for(ids, first)
    days = (last - first).days + 1
    return Part(ids=ids, monthly_fee=fee, first=first, last=last, amount=fee * days // month.days)


def _bill(month: BillingMonth, parts: Sequence[Part]) -> Bill:
    taxed = add_tax(sum(p.amount for p in parts), on=parts[0].first)
    return Bill(month=month, parts=tuple(parts), taxed=taxed)


def prorate(
    ids: int,
    *,
    start: date | None = None,
    end: date | None = None,
    anchor_day: int = 1,
    on: date | None = None,
) -> Proration:
    """Fee for ``ids`` IDs from ``start`` (service start) to the day before ``end`` (cancellation), by billing month.

    Each billing month: fee × days charged ÷ calendar days in that billing month, truncated (通則2, 3, 6).
    Only ``start``: to the end of its billing month; only ``end``: from the start of the billing month
    holding the day before ``end``; neither: the billing month holding ``on`` (BadPeriod without it).
    """
    check_ids(ids)
    readings = list(check_anchor(anchor_day))
    if start and end and end < start:
        raise BadPeriod(detail=f"解除日（{end.isoformat()}）が提供開始日（{start.isoformat()}）より前です。")
    notes: list[str] = []
    if start is not None and end is not None:
        first, last = start, max(start, end - timedelta(days=1))
        if start == end:
            notes.append("提供開始日と解除日が同じ日のため、1日分として計算しています（第19条）。")
    elif start is not None:
        first, last = start, billing_month(start, anchor_day).last
        notes.append("解除日の指定がないため、提供開始日を含む料金月の末日までの料金です。")
    elif end is not None:
        last = end - timedelta(days=1)
        first = billing_month(last, anchor_day).first
        notes.append(
            "提供開始日の指定がないため、解除日の前日を含む料金月の初日からご利用として計算しています。"
        )
    elif on is not None:
        month = billing_month(on, anchor_day)
        first, last = month.first, month.last
        notes.append(f"期間の指定がないため、{on.isoformat()}を含む料金月1か月分の料金です。")
    else:
        raise BadPeriod(detail="提供開始日・解除日・基準日のいずれかを指定してください。")
    bills: list[Bill] = []
    while first <= last:
        if len(bills) == MAX_BILLS:
            raise BadPeriod(detail=f"期間が長すぎます。{MAX_BILLS}か月以内で指定してください。")
        month = billing_month(first, anchor_day)
        bills.append(_bill(month, [_part(ids, first, min(last, month.last), month)]))
        first = month.last + timedelta(days=1)
    if len(bills) > 1:
        readings.append(
            "料金月ごとに請求されるものとして、消費税は料金月ごとの税抜合計に1回加算しています（通則1・11）。"
        )
    return Proration(
        ids=ids,
        start=start,
        end=end,
        on=on,
        anchor_day=anchor_day,
        bills=tuple(bills),
        rule="提供開始日から解除日の前日までの利用料金を、料金月ごとに暦日数で日割して1円未満を切り捨てています（第19条、料金表通則2・3・6）。",
        readings=tuple(readings),
        notes=tuple(notes),
        sources=(
            *tariff().cite("charge_period", "billing_month", "proration", "calendar_days", "truncation"),
            tariff().charge("monthly_base", bills[0].parts[0].first).source,
        ),
    )


def change_ids(before: int, after: int, *, on: date, anchor_day: int = 1) -> Proration:
    """The billing month holding ``on`` when the ID count changes from ``before`` to ``after`` that day.

    The former fee runs to the day before ``on``, the new fee from ``on`` (通則2(3)); each part is
    prorated by calendar days and truncated to the yen on its own, then summed (通則6); tax once on the sum.
    """
    check_ids(before)
    check_ids(after)
    readings = check_anchor(anchor_day)
    month = billing_month(on, anchor_day)
    same_fee = fee_for(before, month.first) == fee_for(after, on)
    notes: list[str] = []
    if on == month.first or same_fee:
        parts = [_part(after, month.first, month.last, month)]
        notes.append(
            "ID数の増減で利用料金の額が変わらないため、日割はありません（料金表通則2）。"
            if same_fee
            else "料金月の初日の変更のため、その料金月は変更後の料金を全日数で適用し、日割はありません（料金表通則2）。"
        )
    else:
        parts = [
            _part(before, month.first, on - timedelta(days=1), month),
            _part(after, on, month.last, month),
        ]
    notes.append(
        "変更前のID数で料金月の初日からご利用中で、料金月の末日まで継続するものとして計算しています。"
    )
    return Proration(
        ids=after,
        before=before,
        on=on,
        anchor_day=anchor_day,
        bills=(_bill(month, parts),),
        rule="変更前の料金を変更日の前日まで、変更後の料金を変更日から、それぞれ暦日数で日割しています（料金表通則2・3）。",
        readings=(
            *readings,
            "日割した変更前・変更後の各部分をそれぞれ1円未満切り捨ててから合計しています"
            "（通則6の「計算結果」を日割の計算ごとに当てはめる読み方です）。",
        ),
        notes=tuple(notes),
        sources=tariff().cite("id_change", "billing_month", "calendar_days", "truncation", "fee_rule"),
    )
