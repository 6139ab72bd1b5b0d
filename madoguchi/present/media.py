"""Reply for an OCCTO client-certificate media quote (price per medium, tax once on the subtotal)."""

from __future__ import annotations

from calculators.common import Citation
from calculators.media import Alternative, MediaQuote
from madoguchi.present.format import jdate, percent, yen
from madoguchi.reply import Figure, Reply

TITLE = "OCCTO クライアント証明書 発行費用のお見積り"


def _alternative_note(alternative: Alternative) -> str:
    taxed = alternative.taxed
    return (
        "CD-R（CD）は1枚に1証明書のため、5証明書以上の割引は適用されません。"
        f"より安い方法: {alternative.summary}と、小計{yen(taxed.excluding_tax)}（税込{yen(taxed.including_tax)}）"
        f"となり、{yen(alternative.saving)}（税込{yen(alternative.saving_including_tax)}）安くなります。"
        "お申込みの際は依頼書の媒体種別で「CM:CD-R（まとめ書込み）」を選択してください。"
    )


def present_quote(result: MediaQuote, *, date_assumed: bool) -> Reply:
    """Figures: subtotal (tax-excl.), consumption tax, total (tax-incl.); one line per medium."""
    taxed, closing = result.taxed, jdate(result.closing_date)
    rate = percent(taxed.rate.rate)
    lines = [f"{closing}受付締め分の価格（税抜）で計算しています。"]
    lines += [
        f"{line.name_ja}（{line.code}） {yen(line.unit_price)} × {line.quantity}{line.counter} = {yen(line.amount)}"
        for line in result.lines
    ]
    lines.append(
        f"小計{yen(taxed.excluding_tax)}に消費税{rate}の{yen(taxed.tax)}（1円未満切り捨て）を加え、"
        f"合計{yen(taxed.including_tax)}（税込）です。"
    )
    notes: list[str] = []
    if date_assumed:
        today = jdate(result.closing_date, weekday=False)
        notes.append(
            f"受付締め日の指定がないため本日（{today}）で計算しました。受付締め日が決まっている場合はお知らせください。"
        )
    notes += result.notes
    notes += [_alternative_note(alternative) for alternative in result.alternatives]
    notes.append(f"計算方法: {result.rule}")
    notes += [f"資料の読み方: {reading}" for reading in result.readings]
    sources: dict[str, Citation] = {}  # one per section, its first quote kept
    for source in result.sources:
        sources.setdefault(source.label, source)
    return Reply(
        kind="quote",
        title=TITLE,
        figures=(
            Figure(label="小計（税抜）", value=yen(taxed.excluding_tax)),
            Figure(label=f"消費税（{rate}）", value=yen(taxed.tax)),
            Figure(label="合計（税込）", value=yen(taxed.including_tax)),
        ),
        lines=tuple(lines),
        notes=tuple(notes),
        sources=tuple(sources.values()),
        inputs={
            "lines": [[code, quantity] for code, quantity in result.requested],
            "closing_date": result.closing_date.isoformat(),
            "date_assumed": date_assumed,
        },
    )
