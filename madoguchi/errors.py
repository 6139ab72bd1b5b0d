"""Errors of the text-understanding layer (see calculators.errors for the base class and conventions)."""

from __future__ import annotations

from calculators.errors import DomainError


class InputError(DomainError):
    """入力を読み取れませんでした。"""


class EmptyInput(InputError):
    """{command} の引数がありません。使い方: {usage}"""


class BadDate(InputError):
    """日付「{value}」は正しくありません: {detail}。"""

    example = "/hpki 期限 2026-01-20"


class BadNumber(InputError):
    """「{value}」は{what}として読み取れません。半角・全角の数字で指定してください。"""


class UnknownToken(InputError):
    """「{value}」が分かりませんでした。{hint}"""


class UnknownKey(InputError):
    """「{key}」という指定はありません。使える指定: {valid}"""

    example = "/prorate ids=15 start=2025-07-20"


class MissingArgument(InputError):
    """{what}の指定がありません。"""


class TooLong(InputError):
    """入力が長すぎます（{length}文字）。{limit}文字以内で入力してください。"""

    example = "/quote UT 3"
