"""Text normalisation before any parsing: NFKC, control characters, era years, kanji numerals."""

from __future__ import annotations

import re
import unicodedata

from madoguchi.understand.numbers import KANJI_DIGITS, LARGE_UNITS, SMALL_UNITS, read_number

MAX_INPUT = 4000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
# 令和7年, 令和元年, R7., H31/ -> western year. Base year = era year 1 minus one.
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_ERA_YEAR = re.compile(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*年")
_KANJI = "".join(KANJI_DIGITS)
_UNITS = "".join(SMALL_UNITS) + "".join(LARGE_UNITS)
_ERA_SHORT = re.compile(r"(?<![A-Za-z])([RHS])\s*(\d{1,2})\s*[./-]\s*(?=\d{1,2}\s*[./-]\s*\d{1,2})")
# A kanji numeral immediately before a counter: 三個, 十二枚, 二十件, 十万個 (only where a counter follows, so
# 一括/一部 stay). One led by arabic digits (2千個, 1万個) is left whole for ``with_arabic_numerals``.
_KANJI_NUMBER = re.compile(
    rf"(?<![\d,.{_UNITS}{_KANJI}])[{_KANJI}十百千][{_KANJI}{_UNITS}]*"
    r"(?=\s*(?:個|枚|件|本|つ|証明書|床|ID|日|時間|か月|ヶ月|ヵ月))"
)


def kanji_to_int(text: str) -> int:
    """'三' -> 3, '十二' -> 12, '二十' -> 20, '三百五' -> 305, '千' -> 1000, '十万' -> 100000."""
    return int(read_number(text))


def _kanji_number(match: re.Match[str]) -> str:
    try:
        return str(kanji_to_int(match.group(0)))
    except ValueError:
        return match.group(0)


def _era(match: re.Match[str]) -> str:
    year = 1 if match.group(2) == "元" else int(match.group(2))
    return f"{_ERAS[match.group(1)] + year}年"


def _era_short(match: re.Match[str]) -> str:
    return f"{_ERAS[match.group(1)] + int(match.group(2))}-"


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), no control characters, one space between words,
    era years as western years, kanji numerals before counters as digits."""
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT * 2])
    text = _CONTROL.sub(" ", text)
    text = text.replace("〜", "~").replace("～", "~").replace("ー", "ー")
    text = _ERA_YEAR.sub(_era, text)
    text = _ERA_SHORT.sub(_era_short, text)
    text = _KANJI_NUMBER.sub(_kanji_number, text)
    return _SPACES.sub(" ", text).strip()
