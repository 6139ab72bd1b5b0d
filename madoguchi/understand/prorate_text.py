"""Reading `/prorate` arguments (key=value) and user-authentication fee questions in free text."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from calculators.auth_tariff import named_billing_month
from madoguchi.errors import MissingArgument, UnknownKey, UnknownToken
from madoguchi.understand.dates import DateMention, find_dates, parse_date
from madoguchi.understand.numbers import parse_decimal, parse_int
from madoguchi.understand.requests import (
    ChangeRequest,
    InstallRequest,
    LateRequest,
    MonthlyRequest,
    OutageRequest,
    ProrateRequest,
    Request,
    SurchargeRequest,
)

PRORATE_USAGE = (
    "/prorate ids=ID数 [start=開始日] [end=解約日] [anchor=起算日]  例: /prorate ids=15 start=2025-07-20\n"
    "/prorate ids=変更前->変更後 on=変更日  例: /prorate ids=10->20 on=2025-08-11\n"
    "/prorate late amount=金額 due=支払期日 paid=支払日  例: /prorate late amount=100000 due=2025-03-31 paid=2025-04-30\n"
    "/prorate outage ids=ID数 hours=時間 month=年月 [gross]  例: /prorate outage ids=10 hours=53 month=2025-06\n"
    "/prorate surcharge amount=金額  例: /prorate surcharge amount=10000\n"
    "/prorate install works=工事数 addon=付加機能のID数  例: /prorate install works=1 addon=5"
)

_KEYS = {
    "ids": "ids",
    "id": "ids",
    "id数": "ids",
    "ids数": "ids",
    "start": "start",
    "開始": "start",
    "開始日": "start",
    "from": "start",
    "end": "end",
    "解約": "end",
    "解約日": "end",
    "解除日": "end",
    "cancel": "end",
    "anchor": "anchor",
    "起算日": "anchor",
    "on": "on",
    "変更日": "on",
    "日付": "on",
    "date": "on",
    "month": "month",
    "月": "month",
    "対象月": "month",
    "amount": "amount",
    "金額": "amount",
    "due": "due",
    "期日": "due",
    "支払期日": "due",
    "paid": "paid",
    "支払日": "paid",
    "入金日": "paid",
    "hours": "hours",
    "時間": "hours",
    "works": "works",
    "工事": "works",
    "工事数": "works",
    "addon": "addon",
    "付加機能": "addon",
}
MODES = {
    "late": "late",
    "延滞": "late",
    "延滞利息": "late",
    "outage": "outage",
    "障害": "outage",
    "surcharge": "surcharge",
    "割増金": "surcharge",
    "install": "install",
    "工事費": "install",
    "change": "change",
    "変更": "change",
}
_FLAGS = {"gross", "重過失", "故意"}
_ARROW = re.compile(r"^\s*(\d[\d,]*)\s*(?:->|→|=>|~|から)\s*(\d[\d,]*)\s*$")


def _split(text: str) -> tuple[str | None, dict[str, str], set[str]]:
    mode: str | None = None
    values: dict[str, str] = {}
    flags: set[str] = set()
    for token in re.sub(r"\s*([=:])\s*", r"\1", text).split():
        key, sep, value = token.partition("=") if "=" in token else token.partition(":")
        if not sep:
            if token.casefold() in MODES and mode is None:
                mode = MODES[token.casefold()]
            elif token.casefold() in _FLAGS:
                flags.add("gross")
            else:
                raise UnknownToken(
                    value=token,
                    hint="key=value の形で指定してください。",
                    example="/prorate ids=15 start=2025-07-20",
                )
            continue
        canonical = _KEYS.get(key.casefold())
        if canonical is None:
            raise UnknownKey(
                key=key, valid="ids, start, end, anchor, on, month, amount, due, paid, hours, works, addon"
            )
        values[canonical] = value
    return mode, values, flags


def _day(values: dict[str, str], key: str, today: date, *, allow_month: bool = False) -> DateMention | None:
    return parse_date(values[key], today=today, allow_month=allow_month) if key in values else None


def _anchor(values: dict[str, str]) -> int:
    return parse_int(values["anchor"], what="起算日") if "anchor" in values else 1


def outage_month(mention: DateMention, anchor_day: int) -> date:
    """A day in the billing month meant: a month (2025-06) names the billing month that starts on its
    起算日 (第19条4項), a day is in the billing month that holds it."""
    if mention.precision != "month":
        return mention.value
    return named_billing_month(mention.value.year, mention.value.month, anchor_day).first


def _required(values: dict[str, str], key: str, what: str) -> str:
    if key not in values:
        raise MissingArgument(what=f"{what}（{key}=）")
    return values[key]


def parse_prorate_args(text: str, *, today: date) -> Request:
    mode, values, flags = _split(text)
    notes: list[str] = []
    if mode == "late":
        due = _day(values, "due", today)
        paid = _day(values, "paid", today)
        if due is None:
            raise MissingArgument(
                what="支払期日（due=）", example="/prorate late amount=100000 due=2025-03-31 paid=2025-04-30"
            )
        if paid is None:
            paid_day, notes = today, ["支払日の指定がないため本日を支払日として計算しました。"]
        else:
            paid_day = paid.value
        amount = parse_int(_required(values, "amount", "金額"), what="金額")
        return LateRequest(amount, due.value, paid_day, assumptions=tuple(notes))
    if mode == "surcharge":
        amount = parse_int(_required(values, "amount", "金額"), what="金額")
        on = _day(values, "on", today)
        return SurchargeRequest(amount, on.value if on else today)
    if mode == "install":
        on = _day(values, "on", today)
        works = parse_int(values.get("works", "0"), what="工事数")
        addon = parse_int(values.get("addon", "0"), what="付加機能のID数")
        if works == 0 and addon == 0:
            raise MissingArgument(
                what="工事数（works=）または付加機能のID数（addon=）",
                example="/prorate install works=1 addon=5",
            )
        return InstallRequest(works, addon, on.value if on else today)
    ids_text = _required(values, "ids", "ID数")
    if mode == "outage":
        anchor = _anchor(values)
        month = _day(values, "month", today, allow_month=True)
        if month is None:
            month_day, notes = today, ["対象月の指定がないため今月として計算しました。"]
        else:
            month_day = outage_month(month, anchor)
        hours = parse_decimal(_required(values, "hours", "利用できなかった時間"), what="時間")
        return OutageRequest(
            parse_int(ids_text, what="ID数"),
            hours,
            month_day,
            anchor,
            gross_negligence="gross" in flags,
            assumptions=tuple(notes),
        )
    arrow = _ARROW.match(ids_text)
    if arrow or mode == "change":
        if not arrow:
            raise UnknownToken(
                value=ids_text,
                hint="変更前と変更後のID数を ids=10->20 の形で指定してください。",
                example="/prorate ids=10->20 on=2025-08-11",
            )
        on = _day(values, "on", today)
        if on is None:
            raise MissingArgument(what="変更日（on=）", example="/prorate ids=10->20 on=2025-08-11")
        return ChangeRequest(
            parse_int(arrow.group(1), what="ID数"),
            parse_int(arrow.group(2), what="ID数"),
            on.value,
            _anchor(values),
        )
    ids = parse_int(ids_text, what="ID数")
    start, end = _day(values, "start", today), _day(values, "end", today)
    if start is None and end is None:
        on = _day(values, "on", today, allow_month=True)
        if on is None:
            notes.append("日付の指定がないため本日を含む料金月で計算しました。")
        return MonthlyRequest(ids, on.value if on else today, assumptions=tuple(notes))
    on = _day(values, "on", today)
    return ProrateRequest(
        ids,
        start.value if start else None,
        end.value if end else None,
        _anchor(values),
        on.value if on else today,
    )


# --- free text ---------------------------------------------------------------------------------

_IDS = re.compile(
    r"(?:ID|ユーザーID|利用者識別符号)\s*(?:数|の数)?\s*(?:は|が|を|:|=)?\s*(\d[\d,]*)|(?<![\d,])(\d[\d,]*)\s*(?:ID|個のID|ユーザー)"
)
_HOURS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*時間")
_AMOUNT = re.compile(r"(?<![\d,.])(\d[\d,]*(?:\.\d+)?(?:万\d*)?)\s*円")
_ANCHOR = re.compile(
    r"起算日\s*(?:は|が|を|:|=)?\s*(?:毎月)?\s*(\d{1,2})\s*日?|毎月\s*(\d{1,2})\s*日\s*(?:を)?\s*起算"
)
# 「7月20日付で解約」: 付 / 付け between the date and the word
_START_WORDS = re.compile(
    r"^\s*(?:付け?|づけ)?\s*(?:から|に|より|で)?\s*(?:利用)?(?:開始|スタート|契約|申込|から)"
)
_END_WORDS = re.compile(r"^\s*(?:付け?|づけ)?\s*(?:に|で)?\s*(?:解約|解除|終了|やめ|まで)")


_BOUND = re.compile(r"\s*(?:個|つ)?\s*を?\s*(?:超|越|以上|以下|未満|まで|目)")
"""After a number of IDs, words that make it a bound in a rule (「IDが10個を超えたら」「11個目から」),
not the number a contract has."""


_BOUND_BEFORE = re.compile(r"(?:above|over|more than|beyond|exceeding|after)\s*$", re.IGNORECASE)
"""Before a number of IDs, English words that make it a bound (「per ID above 10 IDs」)."""


def find_ids(text: str) -> int | None:
    """The number of IDs a contract has, written in free text (ID15個, 15ID); None when there is
    none, or when the number is a bound (「10個を超えたら1個いくら？」 asks the rule, not a fee)."""
    match = _IDS.search(text)
    if not match or _BOUND.match(text, match.end()) or _BOUND_BEFORE.search(text, 0, match.start()):
        return None
    return parse_int(match.group(1) or match.group(2), what="ID数")


def find_amount(text: str) -> int | None:
    match = _AMOUNT.search(text)
    return parse_int(match.group(1), what="金額") if match else None


def find_anchor(text: str) -> int:
    """The 起算日 written in free text (起算日15日, 起算日は15日, 毎月15日起算); 1 when none is."""
    match = _ANCHOR.search(text)
    return parse_int(match.group(1) or match.group(2), what="起算日") if match else 1


def find_hours(text: str) -> Decimal | None:
    match = _HOURS.search(text)
    return parse_decimal(match.group(1), what="時間") if match else None


def start_end(text: str, dates: list[DateMention]) -> tuple[DateMention | None, DateMention | None]:
    start = end = None
    for mention in dates:
        after = text[mention.end : mention.end + 8]
        if _END_WORDS.match(after):
            end = end or mention
        elif _START_WORDS.match(after) or start is None:
            start = start or mention
    return start, end


def free_late(text: str, today: date) -> LateRequest | None:
    amount = find_amount(text)
    dates = find_dates(text, today=today)
    if amount is None or len(dates) < 2:
        return None
    due = dates[0]
    paid = dates[1].first_after(due.value)
    notes = []
    if due.year_assumed:
        notes.append(f"支払期日は年の指定がないため{due.value.year}年として計算しました。")
    if paid.year_assumed:
        notes.append(
            f"支払日は年の指定がないため、支払期日より後の最初の{paid.text}（{paid.value.year}年{paid.value.month}月"
            f"{paid.value.day}日）として計算しました。"
        )
    return LateRequest(amount, due.value, paid.value, assumptions=tuple(notes))


def free_outage(text: str, today: date) -> OutageRequest | None:
    hours = find_hours(text)
    ids = find_ids(text)
    if hours is None:
        return None
    dates = find_dates(text, today=today)
    anchor = find_anchor(text)
    notes = []
    if ids is None:
        notes.append("ID数の指定がないため10ID（基本額のみ）として計算しました。")
    if not dates:
        notes.append("対象月の指定がないため今月として計算しました。")
    notes += [f"年の指定がないため{d.value.year}年として計算しました。" for d in dates[:1] if d.year_assumed]
    gross = bool(re.search(r"故意|重大な過失|重過失", text))
    return OutageRequest(
        ids or 10,
        hours,
        outage_month(dates[0], anchor) if dates else today,
        anchor,
        gross_negligence=gross,
        assumptions=tuple(notes),
    )


_ASKS_FEE = re.compile(r"料金|月額|利用料|いくら|額|費用|円|見積|計算|合計|請求|払")
_ASKS_RULE = re.compile(r"何|どの|どう|なぜ|いつ|でき|可能|必要|単位|ルール|条件")


def free_proration(text: str, today: date) -> Request | None:
    ids = find_ids(text)
    if ids is None:
        return None
    dates = find_dates(text, today=today)
    start, end = start_end(text, dates)
    if start is not None and end is not None:
        end = end.first_after(start.value - timedelta(days=1))
    notes = tuple(
        f"年の指定がないため{d.value.year}年として計算しました。"
        for d in (start, end)
        if d and d.year_assumed
    )
    if start is None and end is None:
        # a count of IDs with a question that asks no fee asks a rule of the FAQ: 「契約って何単位？
        # ID1個ごと？」, 「ID20個まで登録できる？」; a bare count (「ID 12個だと？」) asks the fee
        if _ASKS_RULE.search(text) and not _ASKS_FEE.search(text):
            return None
        return MonthlyRequest(ids, today, assumptions=notes)
    return ProrateRequest(
        ids,
        start.value if start else None,
        end.value if end else None,
        find_anchor(text),
        today,
        assumptions=notes,
    )
