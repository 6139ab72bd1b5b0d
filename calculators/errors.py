"""Domain exceptions.

Each exception's docstring is the Japanese message shown to staff (a
``str.format`` template filled from the keyword arguments given when it is
raised); ``example`` is a correct input to show with it. They are raised by the
calculators, the text-understanding layer and the FAQ, and turned into replies
only at the boundary (the router).
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """入力を読み取れませんでした。"""

    example: ClassVar[str] = ""

    def __init__(self, *, example: str | None = None, **params: Any) -> None:
        self.params = params
        if example is not None:
            self.example = example  # type: ignore[misc]
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = (type(self).__doc__ or DomainError.__doc__ or "").strip()
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template


class CalculationError(DomainError):
    """計算できませんでした。"""


class UnknownMedium(CalculationError):
    """媒体コード「{code}」はありません。使えるコードは DL（ダウンロード）、CD（CD-R）、CM（CD-Rまとめ書込み）、UM（USBメモリ）、UT（USBトークン）です。"""

    example = "/quote UT 3"


class BadQuantity(CalculationError):
    """数量「{value}」は使えません。数量は 1 以上 {limit} 以下の整数で指定してください。"""

    example = "/quote DL 2 UM 1"


class MediumNotOffered(CalculationError):
    """{medium}は {date} の受付締め分では提供されていません（{since} から提供）。"""

    example = "/quote CM 5 2017-10-01"


class NoPriceForDate(CalculationError):
    """{date} に適用される価格が資料にありません。"""

    example = "/quote DL 1 2023-04-01"


class NoTaxRateForDate(CalculationError):
    """{date} に適用される消費税率が登録されていません。"""

    example = "/quote DL 1 2025-04-01"


class BadBedCount(CalculationError):
    """病床数「{value}」は使えません。病床数は 0 以上 {limit} 以下の整数で指定してください。"""

    example = "/hpki 病院 399床"


class MissingBedCount(CalculationError):
    """病院の利用料は病床数で決まります。病床数を指定してください。"""

    example = "/hpki 病院 399床"


class BadFacility(CalculationError):
    """施設区分「{value}」は分かりません。診療所・保険薬局・病院（病床数つき）のいずれかを指定してください。"""

    example = "/hpki 病院 399床"


class BeforeServiceFee(CalculationError):
    """{date} はサービス利用料の有償化（2025年4月1日）より前です。2025年3月31日までは無償で提供されています。"""

    example = "/hpki 期限 2025-04-10"


class BadIdCount(CalculationError):
    """利用者識別符号（ID）数「{value}」は使えません。1 以上 {limit} 以下の整数で指定してください。"""

    example = "/prorate ids=15"


class BadPeriod(CalculationError):
    """期間の指定に誤りがあります: {detail}"""

    example = "/prorate ids=10 start=2025-04-16"


class BadAmount(CalculationError):
    """金額「{value}」は使えません。金額は 0 以上 {limit} 以下の整数（円）で指定してください。"""

    example = "/prorate late amount=100000 due=2025-03-31 paid=2025-04-30"


class PaidBeforeDue(CalculationError):
    """支払日（{paid}）が支払期日（{due}）より前か同じ日です。延滞利息は支払期日を過ぎた場合にだけ発生します。"""

    example = "/prorate late amount=100000 due=2025-03-31 paid=2025-04-30"


class BadOutage(CalculationError):
    """利用できなかった時間「{value}」は使えません。0 以上 {limit} 以下の時間数で指定してください。"""

    example = "/prorate outage ids=10 hours=53 month=2025-06"
