"""Text normalisation before any parsing: NFKC, control characters, era years, kanji numerals."""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT = 4000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
# 令和7年, 令和元年, R7., H31/ -> western year. Base year = era year 1 minus one.
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_ERA_YEAR = re.compile(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*年")
_ERA_SHORT = re.compile(r"(?<![A-Za-z])([RHS])\s*(\d{1,2})\s*[./-]\s*(?=\d{1,2}\s*[./-]\s*\d{1,2})")
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A kanji number immediately before a counter: 三個, 十二枚, 二十件 (only where a counter follows, so 一括/一部 stay).
_KANJI_NUMBER = re.compile(
    r"([〇一二三四五六七八九十百千]+)(?=\s*(?:個|枚|件|本|つ|証明書|床|ID|日|時間|か月|ヶ月|ヵ月))"
)


def kanji_to_int(text: str) -> int:
    """'三' -> 3, '十二' -> 12, '二十' -> 20, '三百五' -> 305, '千' -> 1000."""
    total, current = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            current = _KANJI_DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
    return total + current


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
    text = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(1))), text)
    return _SPACES.sub(" ", text).strip()
