"""Reading HPKI facility, bed count, application date and fiscal year from text."""

from __future__ import annotations

import re
from datetime import date

from madoguchi.errors import BadNumber, UnknownToken
from madoguchi.understand.dates import DateMention, find_dates
from madoguchi.understand.numbers import parse_int
from madoguchi.understand.requests import HpkiDeadlineRequest, HpkiFeeRequest, Request
from madoguchi.understand.vocabulary import FacilityCode, facility_code, vocabulary

HPKI_USAGE = "/hpki 施設区分 [病床数]  または  /hpki 期限 申請日  または  /hpki 継続 年度  例: /hpki 病院 399床 、/hpki 期限 2026-01-20"

# 300床 / 病床数300 / ベッド数は300 / 400床以上 / 400床未満 (-> 399) / 400床超 (-> 401)
_BEDS_AFTER = re.compile(r"(?P<n>[+-]?[^\s床]*?)\s*(?:床|病床)(?P<rel>以上|以下|未満|超)?")
_BEDS_BEFORE = re.compile(
    r"(?:病床数|ベッド数|病床|ベッド)\s*(?:は|が|:|=)?\s*(?P<n>[+-]?\d[\d,]*)\s*(?:床)?(?P<rel>以上|以下|未満|超)?"
)
_FISCAL = re.compile(r"(?<!\d)(\d{4})\s*年度")
_CONTINUED = re.compile(r"継続")


def find_beds(text: str) -> tuple[int | None, str | None]:
    """The bed count and its relation word, if any. Raises BadNumber for 「abc床」."""
    match = _BEDS_BEFORE.search(text)
    if match is None:
        match = _BEDS_AFTER.search(text)
        if match is None or not match.group("n"):
            return None, None
        raw = match.group("n").split()[-1] if match.group("n").split() else match.group("n")
        raw = re.split(r"[のでがはをに、,]", raw)[-1]
        if not raw:
            return None, None
    else:
        raw = match.group("n")
    beds = parse_int(raw, what="病床数")
    relation = match.group("rel")
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


def deadline_request(dates: list[DateMention], today: date, *, text: str) -> HpkiDeadlineRequest:
    fiscal = fiscal_year_in(text)
    if _CONTINUED.search(text) and fiscal is not None:
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


def parse_hpki_args(text: str, *, today: date) -> Request:
    """`/hpki 病院 399床`, `/hpki 保険薬局`, `/hpki 期限 2026-01-20`, `/hpki 継続 2026年度`."""
    words = text.split()
    head = words[0] if words else ""
    if head in {"期限", "支払期限", "deadline", "申請", "申請日"}:
        rest = " ".join(words[1:])
        return deadline_request(find_dates(rest, today=today), today, text=rest)
    if head in {"継続", "continued"}:
        rest = " ".join(words[1:])
        fiscal = fiscal_year_in(rest) or (int(rest) if re.fullmatch(r"\d{4}", rest.strip()) else None)
        if fiscal is not None:
            return HpkiDeadlineRequest(fiscal_year=fiscal)
        if find_facility(rest) is None:
            raise UnknownToken(
                value=rest or "（なし）", hint="継続利用の年度を指定してください。", example="/hpki 継続 2026"
            )
        text = rest
    facility = find_facility(text)
    beds, _ = find_beds(text)
    if facility is None and beds is not None:
        facility = "hospital"
    if facility is None:
        raise UnknownToken(
            value=text,
            hint="施設区分（診療所・保険薬局・病院）か「期限」を指定してください。",
            example="/hpki 病院 399床",
        )
    leftover = re.sub(r"[+-]?\d[\d,]*\s*床|病床数?|ベッド数?|床|以上|以下|未満|超|継続|[:=]", " ", text)
    for word in [w for ws in vocabulary().facilities.values() for w in ws]:
        leftover = leftover.replace(word, " ")
    for token in leftover.split():
        if re.fullmatch(r"[+-]?\d[\d,]*", token):
            beds = parse_int(token, what="病床数")
            continue
        raise BadNumber(value=token, what="病床数", example="/hpki 病院 399床")
    return HpkiFeeRequest(facility, beds, continued=bool(_CONTINUED.search(text)))
