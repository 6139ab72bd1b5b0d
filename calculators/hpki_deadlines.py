"""HPKI service fee: payment deadline and suspension date (hpki-second-certificate-service-fee.txt, 7, 8, 3-①).

Dates only (``datetime.date``); no money. The case table (7-①, 7-②, 7-④ and the continued-use reading of
7-① under 7-⑤) lives in ``data/hpki.toml`` under ``[schedule]``. "Pay by month M" means by its last day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import cache

from pydantic import Field, model_validator

from calculators.common import Citation, Frozen
from calculators.hpki import check_fiscal_year, hpki_table


class InitialCase(Frozen):
    """7-①: fixed dates for applications up to ``applied_until``."""

    applied_until: date
    fiscal_year: int
    pay_by: date
    reminder_year: int
    reminder_month: int = Field(ge=1, le=12)
    last_day_to_pay: date
    suspended_from: date
    source: str


class MonthlyCase(Frozen):
    """7-②: pay by the end of the ``months_to_pay``-th month after the application month."""

    application_months: tuple[int, ...]
    months_to_pay: int = Field(ge=1)
    documented_fiscal_year: int
    source: str


class NextYearCase(Frozen):
    """7-④: applications in these months pay from the next fiscal year."""

    application_months: tuple[int, ...]
    documented_fiscal_year: int
    source: str


class ContinuedRule(Frozen):
    """Continued use of fiscal year N: pay by the end of ``pay_by_month`` of N, and so on."""

    pay_by_month: int = Field(ge=1, le=12)
    reminder_month: int = Field(ge=1, le=12)
    last_pay_month: int = Field(ge=1, le=11)
    documented_fiscal_year: int
    source: str


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class ScheduleRules(Frozen):
    fiscal_year_start_month: int = Field(ge=1, le=12)
    initial: InitialCase
    monthly: MonthlyCase
    next_year: NextYearCase
    continued: ContinuedRule

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleRules:
        months = sorted(self.monthly.application_months + self.next_year.application_months)
        if months != list(range(1, 13)):
            raise ValueError("monthly and next_year application months must split 1..12")
        first = self.initial.fiscal_year
        if self.initial.applied_until != date(first, self.fiscal_year_start_month, 1) - timedelta(days=1):
            raise ValueError("7-① must cover applications up to the day before its fiscal year starts")
        c = self.continued
        expected = (
            month_end(first, c.pay_by_month),
            first,
            c.reminder_month,
            month_end(first, c.last_pay_month),
        )
        i = self.initial
        if (i.pay_by, i.reminder_year, i.reminder_month, i.last_day_to_pay) != expected:
            raise ValueError("7-①'s dates differ from the continued-use rule for its fiscal year")
        if i.suspended_from != i.last_day_to_pay + timedelta(days=1):
            raise ValueError("7-①: suspension must start the day after the last day to pay")
        return self


@cache
def schedule_rules() -> ScheduleRules:
    return ScheduleRules.model_validate(hpki_table().schedule)


class HpkiSchedule(Frozen):
    """When the fee for ``fiscal_year`` must be paid, and when the service stops if it is not."""

    application_date: date | None
    """None for a continued user's schedule."""
    case: str
    """The section 7 item applied: ``7-①``, ``7-②``, ``7-④`` or ``継続`` (continued use)."""
    fiscal_year: int
    pay_by: date
    reminder: tuple[int, int] | None
    """(year, month) of the reminder letter; None where the document mentions none."""
    last_day_to_pay: date
    suspended_from: date
    rule: str
    readings: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[Citation, ...]


def _schedule(application_date: date | None, case: str, fiscal_year: int, rule: str) -> HpkiSchedule:
    """The continued-use dates of ``fiscal_year`` (7-① for the first fiscal year, read anew after it)."""
    c = schedule_rules().continued
    last = month_end(fiscal_year, c.last_pay_month)
    return HpkiSchedule(
        application_date=application_date,
        case=case,
        fiscal_year=fiscal_year,
        pay_by=month_end(fiscal_year, c.pay_by_month),
        reminder=(fiscal_year, c.reminder_month),
        last_day_to_pay=last,
        suspended_from=last + timedelta(days=1),
        rule=rule,
        readings=(),
        notes=(),
        sources=(),
    )


def _finish(
    schedule: HpkiSchedule, readings: list[str], keys: list[str], *, mid_year: bool = False
) -> HpkiSchedule:
    """``schedule`` with its readings, the notes every schedule carries and their sources; a new
    application after the fiscal year began (``mid_year``) also says the fee is not prorated."""
    table = hpki_table()
    if schedule.fiscal_year > table.first_fiscal_year:
        first = table.first_fiscal_year
        readings.append(
            f"資料7-⑤は{first + 1}年度以降は①②④を「読み替えて適用」するとしているため、{first}年度分として"
            f"記載された日程の年を{schedule.fiscal_year}年度に合わせて読み替えています（解釈）。"
        )
        keys.append("shift")
    notes = (
        "期限までにお支払いが確認できず利用停止となった場合は、解約扱いとなります。",
        "期限までのお支払いが難しい場合は、『お問い合わせフォーム』からご連絡いただければ猶予期間が設けられます。",
        "利用停止後に再開をご希望の場合は、『クライアント証明書申請フォーム』から再申請のうえ利用料をお支払いください。"
        "お支払いの確認後に証明書の再発行とサービスの有効化が行われます。",
        "銀行口座からの自動引き落とし以外のお支払い方法では、毎年、支払方法の選択とお支払いの手続きが必要です。",
    )
    keys += ["grace", "cancelled", "reapply", "reactivate", "every_year"]
    if mid_year:
        notes = (
            "年度途中のお申込みでも、1年分利用と同じ金額をお支払いいただきます（月割りはありません）。",
            *notes,
        )
        keys.append("no_proration")
    sources = tuple(table.citations[k] for k in keys)
    return schedule.model_copy(update={"readings": tuple(readings), "notes": notes, "sources": sources})


def _fiscal_year_of(day: date) -> int:
    return day.year if day.month >= schedule_rules().fiscal_year_start_month else day.year - 1


def payment_schedule(application_date: date) -> HpkiSchedule:
    """The payment deadline and suspension date for a new application made on ``application_date``."""
    rules = schedule_rules()
    i = rules.initial
    if application_date <= i.applied_until:
        rule = (
            f"{_ymd(i.applied_until)}までのお申込みは、{i.fiscal_year}年度分を{i.pay_by.month}月末までに"
            f"お支払いいただき、{i.last_day_to_pay.month}月末までに確認できない場合は"
            f"{i.suspended_from.month}月{i.suspended_from.day}日から利用できなくなります。"
        )
        schedule = HpkiSchedule(
            application_date=application_date,
            case="7-①",
            fiscal_year=i.fiscal_year,
            pay_by=i.pay_by,
            reminder=(i.reminder_year, i.reminder_month),
            last_day_to_pay=i.last_day_to_pay,
            suspended_from=i.suspended_from,
            rule=rule,
            readings=(),
            notes=(),
            sources=(),
        )
        return _finish(schedule, [], [i.source])
    if application_date.month in rules.next_year.application_months:
        fiscal_year = _fiscal_year_of(application_date) + 1
        check_fiscal_year(fiscal_year, example="/hpki 期限 2026-01-20")
        c = rules.continued
        rule = (
            f"{application_date.month}月のお申込みは、サービス利用可能時期が4月以降になる可能性を踏まえ、"
            f"翌年度（{fiscal_year}年度）分からのお支払いとなります。"
        )
        reading = (
            f"資料7-④は2月・3月のお申込みのお支払い期限を定めていないため、翌年度分を継続利用と同じ日程"
            f"（{c.pay_by_month}月末までにお支払い、{c.reminder_month}月に書面のご案内、"
            f"{c.last_pay_month + 1}月1日から利用停止）で計算しています（解釈）。"
        )
        return _finish(
            _schedule(application_date, "7-④", fiscal_year, rule), [reading], [rules.next_year.source]
        )
    fiscal_year = _fiscal_year_of(application_date)
    check_fiscal_year(fiscal_year, example="/hpki 期限 2026-01-20")
    m = rules.monthly
    months = application_date.year * 12 + application_date.month - 1 + m.months_to_pay
    last = month_end(months // 12, months % 12 + 1)
    rule = "お申込み月の翌月末までにお支払いいただき、確認できない場合は翌々月の1日から利用できなくなります。"
    schedule = HpkiSchedule(
        application_date=application_date,
        case="7-②",
        fiscal_year=fiscal_year,
        pay_by=last,
        reminder=None,
        last_day_to_pay=last,
        suspended_from=last + timedelta(days=1),
        rule=rule,
        readings=(),
        notes=(),
        sources=(),
    )
    mid_year = application_date.month != rules.fiscal_year_start_month
    return _finish(schedule, [], [m.source], mid_year=mid_year)


def continued_schedule(fiscal_year: int) -> HpkiSchedule:
    """A continued user's payment deadline, reminder month and suspension date for ``fiscal_year``."""
    check_fiscal_year(fiscal_year, example="/hpki 継続 2026")
    c = schedule_rules().continued
    rule = (
        f"継続利用の場合は、{fiscal_year}年度分を{c.pay_by_month}月末までにお支払いいただき、"
        f"{c.last_pay_month}月末までに確認できない場合は{c.last_pay_month + 1}月1日から利用できなくなります。"
    )
    return _finish(_schedule(None, "継続", fiscal_year, rule), [], [c.source])
