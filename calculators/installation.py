"""利用者認証サービスの工事費 (料金表第2表, 第20条).

Units: integer yen, tax-exclusive unless held in a ``Taxed``; tax added once on the total.
"""

from __future__ import annotations

from datetime import date

from calculators.auth_tariff import MAX_IDS, Explained, tariff
from calculators.common import Taxed, add_tax
from calculators.errors import CalculationError

MAX_WORKS = 1_000


class BadWorkCount(CalculationError):
    """工事の数「{value}」は使えません。工事数・付加機能工事のID数は 0 以上 {limit} 以下の整数で、少なくとも一方を 1 以上にしてください。"""

    example = "/prorate install works=1 addon=5"


# --- installation (第2表) ------------------------------------------------------------------------


class InstallationFee(Explained):
    """第2表: ``per_work`` yen per start/change work, ``per_addon_id`` yen per ID for add-on-function work."""

    works: int
    addon_ids: int
    on: date
    per_work: int
    per_addon_id: int
    taxed: Taxed

    @property
    def works_amount(self) -> int:
        return self.per_work * self.works

    @property
    def addon_amount(self) -> int:
        return self.per_addon_id * self.addon_ids


def installation_fee(*, works: int = 0, addon_ids: int = 0, on: date) -> InstallationFee:
    """工事費 (第2表) in yen: works × per work + add-on IDs × per ID, plus tax once on the total at ``on``."""
    for value, limit in ((works, MAX_WORKS), (addon_ids, MAX_IDS)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise BadWorkCount(value=value, limit=f"{limit:,}")
    if works == addon_ids == 0:
        raise BadWorkCount(value=0, limit=f"{MAX_WORKS:,}")
    work, addon = tariff().charge("work", on), tariff().charge("addon_id", on)
    return InstallationFee(
        works=works,
        addon_ids=addon_ids,
        on=on,
        per_work=work.amount,
        per_addon_id=addon.amount,
        taxed=add_tax(work.amount * works + addon.amount * addon_ids, on=on),
        rule="工事費は、利用の開始・申込内容の変更の工事は1工事ごと、付加機能の工事は1IDごとの額を合計します（料金表第2表）。",
        notes=("工事の着手前に解除または工事の請求を取り消した場合は、工事費はかかりません（第20条）。",),
        sources=(work.source, addon.source, *tariff().cite("work_payment", "tax")),
    )
