"""Replies for the HPKI second-certificate e-signature service: annual fee tier and payment deadlines."""

from __future__ import annotations

from calculators.hpki import HpkiFee
from calculators.hpki_deadlines import HpkiSchedule
from madoguchi.present.format import fiscal_year, jdate, jmonth, percent, yen
from madoguchi.reply import Figure, Reply

FACILITY_NAMES = {"clinic": "診療所", "pharmacy": "保険薬局", "hospital": "病院"}


def present_fee(result: HpkiFee) -> Reply:
    """Annual fee: tier, tax-exclusive and tax-inclusive amounts, the bed-count reference date and cautions."""
    facility = FACILITY_NAMES[result.facility]
    if result.beds is not None:
        facility += f"（病床数{result.beds:,}床）"
    lines = [
        f"施設: {facility}",
        result.rule,
        f"内訳: {yen(result.fee_excluding_tax)}（税抜）＋消費税{yen(result.tax)}（{percent(result.tax_rate)}）"
        f"＝{yen(result.fee_including_tax)}（税込）",
    ]
    if result.fiscal_year is not None:
        lines.append(f"対象年度: {fiscal_year(result.fiscal_year)}")
    if result.beds_decide_tier:
        if result.bed_reference_date is not None:
            lines.append(
                "継続利用のため、区分判定に用いる病床数の基準日は当該年度の4月1日、"
                f"{jdate(result.bed_reference_date)}です。"
            )
        else:
            lines.append(result.bed_reference)
    return Reply(
        kind="hpki_fee",
        title="HPKIセカンド電子証明書 電子署名サービスの年間利用料",
        figures=(
            Figure(label="区分", value=result.tier_label),
            Figure(label="年間利用料（税抜）", value=yen(result.fee_excluding_tax)),
            Figure(label="年間利用料（税込）", value=yen(result.fee_including_tax)),
        ),
        lines=tuple(lines),
        notes=result.readings + result.notes,
        sources=result.sources,
        inputs={
            "facility": result.facility,
            "beds": result.beds,
            "continued": result.continued,
            "fiscal_year": result.fiscal_year,
        },
    )


def present_schedule(result: HpkiSchedule) -> Reply:
    """Payment deadline: application date, fiscal year billed, deadline, reminder and suspension date."""
    applied = jdate(result.application_date) if result.application_date else "なし（継続利用）"
    lines = [
        result.rule,
        f"{jdate(result.pay_by)}までに{result.fiscal_year}年度分の利用料をお支払いください。",
    ]
    if result.reminder is not None:
        lines.append(
            f"{jdate(result.pay_by)}までにご入金が確認できない場合、"
            f"{jmonth(*result.reminder)}中にお支払いのご案内の書面が郵送されます。"
        )
    lines.append(
        f"{jdate(result.last_day_to_pay)}までにお支払いが確認できない場合、"
        f"{jdate(result.suspended_from)}からサービスを利用できなくなります。"
    )
    return Reply(
        kind="hpki_deadline",
        title="HPKIセカンド電子証明書 電子署名サービス利用料のお支払い期限",
        figures=(
            Figure(label="申請日", value=applied),
            Figure(label="対象年度", value=fiscal_year(result.fiscal_year)),
            Figure(label="支払期限", value=jdate(result.pay_by)),
            Figure(label="利用停止日", value=jdate(result.suspended_from)),
        ),
        lines=tuple(lines),
        notes=result.readings + result.notes,
        sources=result.sources,
        inputs={
            "application_date": result.application_date.isoformat() if result.application_date else None,
            "fiscal_year": result.fiscal_year,
            "continued": result.application_date is None,
        },
    )


def with_schedule(fee: Reply, schedule: Reply) -> Reply:
    """The annual fee reply with the payment deadline of the application added after it: figures,
    lines, notes and sources of both, each once (the fee's kind, since the fee was asked first)."""

    def once(items: tuple) -> tuple:
        return tuple(dict.fromkeys(items))

    return fee.model_copy(
        update={
            "figures": once((*fee.figures, *schedule.figures)),
            "lines": (*fee.lines, *schedule.lines),
            "notes": once((*fee.notes, *schedule.notes)),
            "sources": once((*fee.sources, *schedule.sources)),
            "inputs": {**fee.inputs, **schedule.inputs, "continued": fee.inputs["continued"]},
        }
    )
