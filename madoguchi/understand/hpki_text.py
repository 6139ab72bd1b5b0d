"""Reading HPKI facility, bed count, application date and fiscal year from text."""

from __future__ import annotations

import re
from datetime import date

from madoguchi.errors import BadNumber, UnknownToken
from madoguchi.understand.dates import DateMention, find_dates
from madoguchi.understand.numbers import parse_int
from madoguchi.understand.requests import HpkiDeadlineRequest, HpkiFeeRequest, Request
from madoguchi.understand.vocabulary import FacilityCode, facility_code, vocabulary

HPKI_USAGE = (
    "/hpki 施設区分 [病床数]  または  /hpki 期限 申請日  または  /hpki 継続 年度"
    "  例: /hpki 病院 399床 、/hpki 期限 2026-01-20 、/hpki 継続 2026 病院 300床"
)

# A bed count: 300床 / 1,200床 / 病床数300 / ベッド数は300 / 400床以上 / 400床未満 (-> 399) / 400床超 (-> 401).
_NUMBER = r"(?<![\d,.])(?:[+-]|マイナス)?(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)"
# Colloquial bounds are read as the documents' words: 「400いかない」「400に満たない」 are 未満,
# 「400を超える」「400より多い」 are 超.
_UNDER = r"に?(?:いかない|行かない|満たない|届かない)|より少ない|を下回る"
_OVER = r"を?超え(?:る|た)?|より多い|を上回る"
_RELATION = rf"\s*(?P<rel>以上|以下|未満|超|(?P<under>{_UNDER})|(?P<over>{_OVER}))?"
_BEDS_AFTER = re.compile(rf"(?P<n>{_NUMBER})\s*(?:床|病床){_RELATION}")
_BEDS_BEFORE = re.compile(
    rf"(?:病床数|ベッド数|病床|ベッド)\s*(?:は|が|:|=)?\s*(?P<n>{_NUMBER})\s*(?:床)?{_RELATION}"
)
# Something that looks like a try at a number before 床 (「abc床」, 「三百床」, 「1,2床」): said to be
# unreadable. Japanese words before 病床 (「病床数が減った」) are not a try at a number: that text is
# a question for the FAQ. A run is tried from its start only, so a long message is scanned once.
_NUMBERISH = r"[0-9A-Za-z〇一二三四五六七八九十百千万+\-.,]"
_NOT_BEDS = re.compile(rf"(?<!{_NUMBERISH})(?P<n>{_NUMBERISH}+)\s*(?:床|病床)")
_FISCAL = re.compile(r"(?<!\d)(\d{4})\s*年度")
_BARE_YEAR = re.compile(r"(?<!\d)(\d{4})(?:\s*年度)?")
_BARE_NUMBER = re.compile(rf"{_NUMBER}")
_CONTINUED = re.compile(r"継続")
_LEFTOVER = re.compile(r"病床数?|ベッド数?|床|以上|以下|未満|超|継続|新規|[:=]")
DEADLINE_HEADS = frozenset({"期限", "支払期限", "deadline", "申請", "申請日"})
"""First words of `/hpki 期限 申請日`."""
_FEE_EXAMPLE = "/hpki 病院 300床 2026年度"
_YEARS = range(1900, 2201)
"""Four-digit numbers that can name a fiscal year (the same bounds as dates)."""


def _bed_match(text: str) -> re.Match[str] | None:
    return _BEDS_BEFORE.search(text) or _BEDS_AFTER.search(text)


def find_beds(text: str) -> tuple[int | None, str | None]:
    """The bed count and its relation word, if any. Raises BadNumber for 「abc床」."""
    match = _bed_match(text)
    if match is None:
        loose = _NOT_BEDS.search(text)
        raw = re.split(r"[のでがはをに、]|,(?!\d)", loose.group("n"))[-1] if loose else ""
        if raw:
            raise BadNumber(value=raw, what="病床数", example="/hpki 病院 399床")
        return None, None
    beds = parse_int(match.group("n"), what="病床数")
    relation = "未満" if match.group("under") else "超" if match.group("over") else match.group("rel")
    if relation == "未満":
        beds -= 1
    elif relation == "超":
        beds += 1
    return beds, relation


def find_facility(text: str) -> FacilityCode | None:
    vocab = vocabulary()
    words = [w for ws in vocab.facilities.values() for w in ws]
    match = re.search(vocab.alternation(words), text)
    return facility_code(match.group(0)) if match else None


def fiscal_year_in(text: str) -> int | None:
    match = _FISCAL.search(text)
    return int(match.group(1)) if match else None


def is_continued(text: str) -> bool:
    return bool(_CONTINUED.search(text))


def deadline_request(dates: list[DateMention], today: date, *, text: str) -> HpkiDeadlineRequest:
    fiscal = fiscal_year_in(text)
    if is_continued(text) and fiscal is not None:
        return HpkiDeadlineRequest(fiscal_year=fiscal)
    if not dates:
        if fiscal is not None:
            return HpkiDeadlineRequest(fiscal_year=fiscal)
        return HpkiDeadlineRequest(
            application_date=today, assumptions=("申請日の指定がないため本日を申請日として計算しました。",)
        )
    mention = dates[0]
    notes: list[str] = []
    if mention.year_assumed:
        notes.append(f"年の指定がないため{mention.value.year}年として計算しました。")
    if mention.precision == "month":
        notes.append("申請月だけで期限が決まるため、その月の申請として計算しました。")
    return HpkiDeadlineRequest(application_date=mention.value, assumptions=tuple(notes))


def fee_request(text: str, *, continued: bool = False, fiscal_year: int | None = None) -> HpkiFeeRequest:
    """`病院 300床 2026年度` and the like. A number with 床 (or after 病床数) is the bed count; a bare
    number is the bed count when there is none, else a four-digit year is the fiscal year (and the reply
    says so); any other extra number is refused."""
    facility = find_facility(text)
    beds, _ = find_beds(text)
    bed_match = _bed_match(text)
    fiscal = fiscal_year_in(text)
    if fiscal is not None and fiscal_year is not None and fiscal != fiscal_year:
        raise UnknownToken(
            value=f"{fiscal_year}・{fiscal}年度", hint="年度は1つだけ指定してください。", example=_FEE_EXAMPLE
        )
    fiscal = fiscal if fiscal is not None else fiscal_year
    leftover = text
    if bed_match:
        leftover = leftover[: bed_match.start()] + " " + leftover[bed_match.end() :]
    leftover = _FISCAL.sub(" ", leftover)
    for word in [w for ws in vocabulary().facilities.values() for w in ws]:
        leftover = leftover.replace(word, " ")
    leftover = _LEFTOVER.sub(" ", leftover)
    notes: list[str] = []
    for token in leftover.split():
        if not _BARE_NUMBER.fullmatch(token):
            raise BadNumber(value=token, what="病床数", example="/hpki 病院 399床")
        if beds is None:
            beds = parse_int(token, what="病床数")
        elif fiscal is None and token.isdigit() and len(token) == 4 and int(token) in _YEARS:
            fiscal = int(token)
            notes.append(f"「{token}」は年度（{fiscal}年度）として計算しました。病床数は「{beds}床」です。")
        else:
            raise UnknownToken(
                value=token,
                hint="病床数は「300床」、年度は「2026年度」のように単位を付けて指定してください。",
                example=_FEE_EXAMPLE,
            )
    if facility is None and beds is not None:
        facility = "hospital"
    if facility is None:
        raise UnknownToken(
            value=text or "（なし）",
            hint="施設区分（診療所・保険薬局・病院）か「期限」を指定してください。",
            example="/hpki 病院 399床",
        )
    return HpkiFeeRequest(
        facility,
        beds,
        continued=continued or is_continued(text),
        fiscal_year=fiscal,
        assumptions=tuple(notes),
    )


def parse_hpki_args(text: str, *, today: date) -> Request:
    """`/hpki 病院 399床`, `/hpki 保険薬局`, `/hpki 期限 2026-01-20`, `/hpki 継続 2026年度`,
    `/hpki 継続 2026 病院 300床` (fiscal year 2026, continued use)."""
    words = text.split()
    head = words[0] if words else ""
    if head in DEADLINE_HEADS:
        rest = " ".join(words[1:])
        return deadline_request(find_dates(rest, today=today), today, text=rest)
    if head not in {"継続", "continued"}:
        return fee_request(text)
    words = words[1:]
    fiscal: int | None = None
    if words and (year := _BARE_YEAR.fullmatch(words[0])):
        fiscal, words = int(year.group(1)), words[1:]
    rest = " ".join(words)
    if not rest and fiscal is not None:
        return HpkiDeadlineRequest(fiscal_year=fiscal)
    if find_facility(rest) is None and find_beds(rest)[0] is None:
        raise UnknownToken(
            value=rest or "（なし）", hint="継続利用の年度を指定してください。", example="/hpki 継続 2026"
        )
    return fee_request(rest, continued=True, fiscal_year=fiscal)
