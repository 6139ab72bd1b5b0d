"""Finding dates in normalised text and turning them into ``datetime.date``.

The patterns below locate a date and check its parts (so that 2025-02-30 or month 13 get a precise
message); checked numeric parts become a ``datetime.date`` directly. Relative words (今日, 明日, 昨日,
先月, 来月, 3日前 …) are dateparser's to read. Era years were already made western by ``normalize``.

Numeric dates used to go through dateparser as well, as a second check of parts ``_check`` had
already validated: that cost a quarter of the HTTP server's CPU under load (py-spy, issue 6) and
could not disagree with ``datetime.date``, so it was dropped.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Literal

from madoguchi.errors import BadDate

Precision = Literal["day", "month"]

_SEP = r"\s*[-/.]\s*"
_PATTERNS: tuple[tuple[re.Pattern[str], Precision, bool], ...] = (
    # (pattern, precision, has year)
    (re.compile(rf"(?<!\d)(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?![\d.])"), "day", True),
    (re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"), "day", True),
    (re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)"), "month", True),
    (re.compile(r"(?<![\d.])(\d{4})\s*[-/]\s*(\d{1,2})(?![\d/.-])"), "month", True),
    (re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "day", False),
    (re.compile(r"(?<![\d年/.-])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])"), "day", False),
    (re.compile(r"(?<![\d年])(\d{1,2})\s*月(?!\s*\d)(?!分)"), "month", False),
)
# 元年 with no era name left by normalize (which turns 令和元年 into 2019年): which era is meant is not said.
_BARE_GANNEN = re.compile(r"元\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?")
_RELATIVE = re.compile(
    r"今日|本日|明日|昨日|一昨日|明後日|先月|今月|来月|(?<!\d)\d+\s*日前|(?<!\d)\d+\s*日後"
)
_RELATIVE_ALIASES = {"本日": "今日"}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text. ``value`` is the first day of the month when ``precision`` is "month"."""

    value: date
    precision: Precision
    start: int
    end: int
    text: str
    year_assumed: bool = False

    def first_after(self, day: date) -> DateMention:
        """A year-less mention read as the first such date after ``day`` (a payment date after its due
        date: 12月20日 due, 1月15日 paid -> the next January). Mentions with a year are kept as written."""
        if not self.year_assumed:
            return self
        for year in range(day.year, day.year + 9):  # 9 years reach the next 29 February
            try:
                value = self.value.replace(year=year)
            except ValueError:
                continue
            if value > day:
                return replace(self, value=value)
        return self

    @property
    def last_day(self) -> date:
        """The last day the mention covers (the month's end for a month)."""
        if self.precision == "day":
            return self.value
        days = calendar.monthrange(self.value.year, self.value.month)[1]
        return self.value.replace(day=days)


@cache
def _parser(today: date) -> object:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["ja", "en"],
        settings={
            "DATE_ORDER": "YMD",
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        },
    )


@lru_cache(maxsize=256)
def _dateparser(text: str, today: date) -> date | None:
    """dateparser's reading of a relative word (a handful of words per day, hence the small cache)."""
    data = _parser(today).get_date_data(text)  # type: ignore[attr-defined]
    return data.date_obj.date() if data and data.date_obj else None


def _check(year: int, month: int, day: int | None, raw: str) -> None:
    if not 1 <= month <= 12:
        raise BadDate(value=raw, detail=f"月は1〜12で指定してください（{month}月はありません）")
    if not 1900 <= year <= 2200:
        raise BadDate(value=raw, detail=f"{year}年は範囲外です（1900〜2200年）")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise BadDate(value=raw, detail=f"{year}年{month}月は{last}日までです")


def find_dates(text: str, *, today: date) -> list[DateMention]:
    """Every date in ``text`` (already normalised), in order. Raises BadDate for an impossible one."""
    if gannen := _BARE_GANNEN.search(text):
        raise BadDate(
            value=gannen.group(0),
            detail="元号がないため年が決まりません。「令和元年5月1日」または「2019年5月1日」の形で指定してください",
        )
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision, has_year in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = [int(g) for g in match.groups()]
            if has_year:
                year, month = groups[0], groups[1]
                day = groups[2] if precision == "day" else None
            else:
                year, month = today.year, groups[0]
                day = groups[1] if precision == "day" else None
            raw = match.group(0).strip()
            _check(year, month, day, raw)
            value = date(year, month, day or 1)
            found.append(
                DateMention(value, precision, match.start(), match.end(), raw, year_assumed=not has_year)
            )
            taken.append((match.start(), match.end()))
    for match in _RELATIVE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        word = _RELATIVE_ALIASES.get(match.group(0), match.group(0))
        value = _dateparser(word, today)
        if value is None:
            continue
        precision: Precision = "month" if word.endswith("月") else "day"
        found.append(DateMention(value, precision, match.start(), match.end(), match.group(0)))
        taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def parse_date(text: str, *, today: date, allow_month: bool = False) -> DateMention:
    """One date given on its own (a slash argument such as ``start=2025-07-20``)."""
    mentions = find_dates(text, today=today)
    if len(mentions) != 1 or mentions[0].end - mentions[0].start < len(text.strip()) - 1:
        raise BadDate(value=text, detail="2025-07-20 や 2025年7月20日 の形で指定してください")
    mention = mentions[0]
    if mention.precision == "month" and not allow_month:
        raise BadDate(value=text, detail="日まで指定してください（例: 2025-07-20）")
    return mention
