"""Numbers as staff type them: 3, ３, 1,000, 10万, 三 (before a counter), 53.5 (hours)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from madoguchi.errors import BadNumber

_INT = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$|^[+-]?\d+$")
_MAN = re.compile(r"^([+-]?\d+(?:\.\d+)?)万(?:(\d+))?$")
_SUFFIXES = ("円", "個", "枚", "件", "本", "つ", "床", "時間", "h", "ID", "証明書")


def parse_int(value: str, *, what: str) -> int:
    """A whole number; thousands separators, 万 and a trailing unit (円, 個, 床 …) are allowed.
    Negative numbers are returned as such: range checks belong to the calculators."""
    text = value.strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)].strip()
            break
    if _INT.match(text):
        return int(text.replace(",", ""))
    man = _MAN.match(text)
    if man:
        whole = Decimal(man.group(1)) * 10000 + Decimal(man.group(2) or 0)
        if whole == whole.to_integral_value():
            return int(whole)
    raise BadNumber(value=value, what=what)


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
