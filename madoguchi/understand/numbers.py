"""Numbers as staff type them: 3, ３, 1,000, 10万, 1万2千, 2千, 百万, 三 (before a counter), 53.5 (hours).

One reader serves every parser: ``read_number`` turns a numeral written with arabic digits, kanji digits,
the small units 十・百・千 and the large units 万・億・兆 (in any mix: 1万2000, 1.5万, 二千五百, 100万) into
a ``Decimal``. ``with_arabic_numerals`` rewrites the numerals of a message that carry a unit (1万 → 10000)
so that the calculators' patterns, which look for plain digits, read the whole quantity; FAQ questions
keep their words (the FAQ data says 1万円).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from madoguchi.errors import BadNumber

KANJI_DIGITS = {**dict(zip("〇一二三四五六七八九", range(10), strict=True)), "零": 0}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
MAX_DIGITS = 30
"""Longer digit runs are not a quantity anyone means (and ``int`` refuses very long ones)."""

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_KANJI = "".join(KANJI_DIGITS)
_UNITS = "".join(SMALL_UNITS) + "".join(LARGE_UNITS)
# A numeral that carries at least one unit kanji after arabic digits: 1万, 2千, 1万2千, 1.5万, 100万, 3千5百.
ARABIC_WITH_UNIT = re.compile(
    rf"(?<![\d,.])(?:{_ARABIC})(?:[{_UNITS}](?:{_ARABIC}|[{_KANJI}])*)+(?![\d{_UNITS}])"
)
_TOKEN = re.compile(rf"{_ARABIC}|[{_KANJI}]+|[{_UNITS}]")

_SIGN = re.compile(r"^(?:([+-])|マイナス)\s*")
_SUFFIXES = ("円", "個", "枚", "件", "本", "つ", "床", "時間", "h", "ID", "証明書")


def read_number(text: str) -> Decimal:
    """The value of one numeral: '1,200' -> 1200, '1万' -> 10000, '1万2千' -> 12000, '二千五百' -> 2500,
    '100万' -> 1000000, '1.5万' -> 15000, '二〇二六' -> 2026. ValueError if it is not one numeral."""
    if not text or _TOKEN.sub("", text):
        raise ValueError(f"not a numeral: {text!r}")
    total = Decimal(0)
    section = Decimal(0)  # the part below the current large unit
    current: Decimal | None = None  # digits not yet multiplied by a unit
    last_small = last_large = None
    for token in _TOKEN.findall(text):
        if token in SMALL_UNITS:
            unit = SMALL_UNITS[token]
            if (last_small is not None and unit >= last_small) or (current is not None and current >= 10):
                raise ValueError(f"misplaced {token} in {text!r}")
            section += (current if current is not None else 1) * unit
            current, last_small = None, unit
        elif token in LARGE_UNITS:
            unit = LARGE_UNITS[token]
            if (last_large is not None and unit >= last_large) or (current is None and not section):
                raise ValueError(f"misplaced {token} in {text!r}")
            total += (section + (current or 0)) * unit
            section, current, last_small, last_large = Decimal(0), None, None, unit
        else:
            if current is not None or len(token) > MAX_DIGITS:
                raise ValueError(f"two numbers in a row in {text!r}")
            if token[0] in KANJI_DIGITS:
                current = Decimal("".join(str(KANJI_DIGITS[c]) for c in token))
            else:
                current = Decimal(token.replace(",", ""))
            below = last_small or last_large
            if below is not None and current >= below:
                raise ValueError(f"{token} after a unit it exceeds in {text!r}")
    return total + section + (current or 0)


def with_arabic_numerals(text: str) -> str:
    """``text`` with every numeral that carries a unit kanji after arabic digits written in plain digits:
    'USBトークン1万個' -> 'USBトークン10000個', 'ID数100万で' -> 'ID数1000000で', '10万円' -> '100000円'."""

    def plain(match: re.Match[str]) -> str:
        try:
            value = read_number(match.group(0))
        except ValueError:
            return match.group(0)
        return f"{value.normalize():f}"

    return ARABIC_WITH_UNIT.sub(plain, text)


def parse_int(value: str, *, what: str) -> int:
    """A whole number; thousands separators, kanji, 万/千 and a trailing unit (円, 個, 床 …) are allowed.
    Negative numbers (-5, マイナス5) are returned as such: range checks belong to the calculators."""
    text = value.strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)].strip()
            break
    sign = _SIGN.match(text)
    negative = bool(sign) and sign.group(1) != "+"  # type: ignore[union-attr]
    try:
        number = read_number(text[sign.end() :] if sign else text)
    except (ValueError, InvalidOperation):
        raise BadNumber(value=value, what=what) from None
    if number != number.to_integral_value():
        raise BadNumber(value=value, what=what)
    return -int(number) if negative else int(number)


def parse_decimal(value: str, *, what: str) -> Decimal:
    """A non-integer quantity such as 53.5 (hours)."""
    text = value.strip().removesuffix("時間").removesuffix("h").strip()
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise BadNumber(value=value, what=what) from None
    if not number.is_finite():
        raise BadNumber(value=value, what=what)
    return number
