"""Replies for the user authentication service (利用者認証サービス): fees, proration, interest, outages, surcharge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from calculators.auth_fees import MonthlyFee, Proration
from calculators.auth_tariff import Explained
from calculators.common import Citation, Taxed
from calculators.installation import InstallationFee
from calculators.late_interest import LateInterest
from calculators.outage import Credit, OutageCredit
from calculators.surcharge import Surcharge
from madoguchi.present.format import jdate, percent, yen
from madoguchi.reply import Figure, Kind, Reply

SERVICE = "利用者認証サービス"
TRUNCATED = "（1円未満切り捨て）"


def _d(day: date) -> str:
    return jdate(day, weekday=False)


def _span(first: date, last: date) -> str:
    return f"{_d(first)}〜{_d(last)}"


def _num(value: Decimal) -> str:
    """Decimal('53') -> '53', Decimal('30.50') -> '30.5'."""
    return f"{value.normalize():f}"


def _tax_line(label: str, taxed: Taxed) -> str:
    return (
        f"{label} {yen(taxed.excluding_tax)} ＋ 消費税 {yen(taxed.tax)}（{percent(taxed.rate.rate)}、1円未満切り捨て）"
        f"＝ 税込 {yen(taxed.including_tax)}"
    )


def _tax_figures(label: str, excluding: int, tax: int, rates: set[Decimal]) -> tuple[Figure, ...]:
    rate = f"（{percent(next(iter(rates)))}）" if len(rates) == 1 else ""
    return (
        Figure(label=f"{label}（税抜）", value=yen(excluding)),
        Figure(label=f"消費税{rate}", value=yen(tax)),
        Figure(label=f"{label}（税込）", value=yen(excluding + tax)),
    )


def _reply(
    r: Explained,
    *,
    kind: Kind,
    title: str,
    figures: tuple[Figure, ...],
    lines: Sequence[str],
    inputs: dict[str, Any],
) -> Reply:
    """A Reply whose notes are the rule, the readings (marked as such) and the customer notes of ``r``."""
    notes = (f"計算方法: {r.rule}", *(f"読み方: {text}" for text in r.readings), *r.notes)
    sources: dict[str, Citation] = {}  # one per section, its first quote kept
    for source in r.sources:
        sources.setdefault(source.label, source)
    return Reply(
        kind=kind,
        title=title,
        figures=figures,
        lines=tuple(lines),
        notes=notes,
        sources=tuple(sources.values()),
        inputs=inputs,
    )


def present_monthly(r: MonthlyFee) -> Reply:
    if r.extra_ids:
        breakdown = (
            f"基本額 {yen(r.base)}（IDは{r.covers_ids}個まで）＋ 加算額 {yen(r.per_id)} × {r.extra_ids}個"
            f"（{r.covers_ids}個を超える分）＝ {yen(r.fee)}"
        )
    else:
        breakdown = f"ID {r.ids}個は{r.covers_ids}個までのため、基本額 {yen(r.base)} のみです。"
    return _reply(
        r,
        kind="proration",
        title=f"{SERVICE} 月額利用料（ID {r.ids}個）",
        figures=_tax_figures("月額利用料", r.fee, r.taxed.tax, {r.taxed.rate.rate}),
        lines=(breakdown, _tax_line("月額", r.taxed) + f"（{_d(r.on)}時点の税率）"),
        inputs={"ids": r.ids, "on": r.on.isoformat()},
    )


def present_proration(r: Proration) -> Reply:
    lines: list[str] = []
    prorated = False
    for bill in r.bills:
        month = bill.month
        lines.append(f"料金月 {_span(month.first, month.last)}（{month.days}日間）")
        for part in bill.parts:
            head = f"・{_span(part.first, part.last)}（{part.days}日）ID {part.ids}個・月額 {yen(part.monthly_fee)}"
            if part.days == month.days:
                lines.append(f"{head}: 料金月の全日数のため日割なし {yen(part.amount)}")
            else:
                prorated = True
                formula = f"{yen(part.monthly_fee)} × {part.days}日 ÷ {month.days}日 = {yen(part.amount)}"
                lines.append(f"{head}: {formula}{TRUNCATED}")
        lines.append("　" + _tax_line("小計", bill.taxed))
    excluding, tax, including = r.totals
    if len(r.bills) > 1:
        lines.append(
            f"合計（{len(r.bills)}か月分）{yen(excluding)} ＋ 消費税 {yen(tax)} ＝ 税込 {yen(including)}"
        )
    if r.before is not None:
        title = f"{SERVICE} ID数変更月の利用料金（{r.before}個→{r.ids}個、{_d(r.on or r.bills[0].month.first)}変更）"
    else:
        title = f"{SERVICE} 利用料金（ID {r.ids}個{'、日割' if prorated else ''}）"
    given = {
        "ids": r.ids,
        "before": r.before,
        "start": r.start,
        "end": r.end,
        "on": r.on,
        "anchor_day": r.anchor_day,
    }
    return _reply(
        r,
        kind="proration",
        title=title,
        figures=_tax_figures("利用料金", excluding, tax, {b.taxed.rate.rate for b in r.bills}),
        lines=lines,
        inputs={k: v.isoformat() if isinstance(v, date) else v for k, v in given.items() if v is not None},
    )


def present_installation(r: InstallationFee) -> Reply:
    lines = []
    if r.works:
        lines.append(
            f"利用の開始・申込内容の変更に関する工事: {yen(r.per_work)} × {r.works}工事 = {yen(r.works_amount)}"
        )
    if r.addon_ids:
        lines.append(f"付加機能に関する工事: {yen(r.per_addon_id)} × {r.addon_ids}ID = {yen(r.addon_amount)}")
    lines.append(_tax_line("工事費", r.taxed) + f"（{_d(r.on)}時点の税率）")
    return _reply(
        r,
        kind="proration",
        title=f"{SERVICE} 工事費",
        figures=_tax_figures("工事費", r.taxed.excluding_tax, r.taxed.tax, {r.taxed.rate.rate}),
        lines=lines,
        inputs={"works": r.works, "addon_ids": r.addon_ids, "on": r.on.isoformat()},
    )


def present_late(r: LateInterest) -> Reply:
    lines = [f"支払期日 {_d(r.due)} → お支払日 {_d(r.paid)}（金額 {yen(r.amount)}）"]
    if r.within_grace:
        lines.append(
            f"支払期日の翌日（{_d(r.first_day)}）から起算して{r.grace_days}日以内（{_d(r.grace_until)}まで）の"
            f"お支払いのため、延滞利息は {yen(0)} です。"
        )
    else:
        lines.append(f"対象期間: {_span(r.first_day, r.last_day)}（{r.days}日間）")
        lines.append(
            f"{yen(r.amount)} × {percent(r.annual_rate)} × {r.days}日 ÷ {r.day_basis}日 = {yen(r.interest)}{TRUNCATED}"
        )
    return _reply(
        r,
        kind="late_interest",
        title=f"{SERVICE} 延滞利息",
        figures=(
            Figure(label="延滞利息", value=yen(r.interest)),
            Figure(label="延滞日数", value=f"{r.days}日"),
            Figure(label="お支払い合計（元金＋延滞利息）", value=yen(r.amount + r.interest)),
        ),
        lines=lines,
        inputs={"amount": r.amount, "due": r.due.isoformat(), "paid": r.paid.isoformat()},
    )


RULE_LABELS = {"rule1": "1欄・お客さまの責めによらない場合", "rule2": "2欄・当社の故意または重大な過失の場合"}


def _credit_line(r: OutageCredit, name: str, credit: Credit) -> str:
    hours = _num(r.hours)
    with_tax = f"（税込相当 {yen(credit.taxed.including_tax)}）"
    if name == "rule1" and not credit.counted:
        return f"1欄: {hours}時間は24時間未満のため減額なし {yen(0)}"
    if name == "rule1":
        formula = f"{yen(r.monthly_fee)} × {_num(credit.counted)}日 ÷ {credit.divisor}日"
        head = f"1欄: {hours}時間のうち24時間の倍数の部分 = {_num(credit.counted)}日分 → "
    else:
        formula = f"{yen(r.monthly_fee)} × {_num(credit.counted)}時間 ÷ {credit.divisor}時間（{r.month.days}日 × 24時間）"
        head = "2欄: "
    capped = "（料金月の月額が上限）" if credit.capped else ""
    return f"{head}{formula} = {yen(credit.amount)}{TRUNCATED}{capped}{with_tax}"


def present_outage(r: OutageCredit) -> Reply:
    order = ("rule1", "rule2") if r.applies == "rule1" else ("rule2", "rule1")
    credits = {"rule1": r.rule1, "rule2": r.rule2}
    month = r.month
    lines = [
        f"料金月 {_span(month.first, month.last)}（{month.days}日間）・月額 {yen(r.monthly_fee)}（ID {r.ids}個）"
        f"・利用できなかった時間 {_num(r.hours)}時間",
        *(_credit_line(r, name, credits[name]) for name in ("rule1", "rule2")),
        f"この計算で適用するのは {RULE_LABELS[r.applies]} の金額です。",
    ]
    return _reply(
        r,
        kind="outage_credit",
        title=f"{SERVICE} 利用できなかった時間の料金減額",
        figures=tuple(
            Figure(
                label=f"減額（{RULE_LABELS[name]}）{'【適用】' if name == r.applies else ''}",
                value=yen(credits[name].amount),
            )
            for name in order
        ),
        lines=lines,
        inputs={
            "ids": r.ids,
            "hours": _num(r.hours),
            "month": month.first.isoformat(),
            "gross_negligence": r.applies == "rule2",
        },
    )


def present_surcharge(r: Surcharge) -> Reply:
    s, e = r.surcharge_taxed, r.evaded_taxed
    return _reply(
        r,
        kind="surcharge",
        title=f"{SERVICE} 割増金",
        figures=(
            Figure(label="割増金（税込）", value=yen(s.including_tax)),
            Figure(label="免れた額（税込）", value=yen(e.including_tax)),
            Figure(label="お支払い総額（税込）", value=yen(r.grand_total)),
        ),
        lines=(
            f"割増金: {yen(r.evaded)} × {r.multiplier} = {yen(s.excluding_tax)} ＋ 消費税 {yen(s.tax)}"
            f"（{percent(s.rate.rate)}、1円未満切り捨て）＝ {yen(s.including_tax)}",
            f"免れた額: {yen(r.evaded)} ＋ 消費税 {yen(e.tax)} ＝ {yen(e.including_tax)}",
            f"お支払い総額: {yen(e.including_tax)} ＋ {yen(s.including_tax)} ＝ {yen(r.grand_total)}"
            f"（{_d(r.on)}時点の税率）",
        ),
        inputs={"amount": r.evaded, "on": r.on.isoformat()},
    )
