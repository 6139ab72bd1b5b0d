"""Formatting of money and dates for replies (Japanese conventions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

WEEKDAYS = "月火水木金土日"


def yen(amount: int | Decimal) -> str:
    """31500 -> '31,500円'. Only whole yen are ever shown."""
    return f"{int(amount):,}円"


def jdate(day: date, *, weekday: bool = True) -> str:
    """2026-02-28 -> '2026年2月28日（土）'."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（{WEEKDAYS[day.weekday()]}）" if weekday else text


def jmonth(year: int, month: int) -> str:
    """(2025, 6) -> '2025年6月'."""
    return f"{year}年{month}月"


def fiscal_year(year: int) -> str:
    """2025 -> '2025年度（2025年4月1日〜2026年3月31日）'."""
    return f"{year}年度（{year}年4月1日〜{year + 1}年3月31日）"


def percent(rate: Decimal) -> str:
    """Decimal('0.10') -> '10%'; Decimal('0.145') -> '14.5%'."""
    value = (rate * 100).normalize()
    return f"{value:f}%"
