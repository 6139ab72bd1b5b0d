"""Replies for FAQ answers, clause lookups and questions the documents do not cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.present.general import unknown_reply
from madoguchi.reply import Reply

if TYPE_CHECKING:
    from calculators.common import Citation
    from faq.search import Hit

CALCULATOR_HINTS = {
    "quote": "数量や受付締め日を指定した見積もりは /quote で計算できます（例: /quote UT 3）。",
    "hpki_fee": "病床数を指定した利用料は /hpki で確認できます（例: /hpki 病院 399床）。",
    "hpki_deadline": "申請日からの支払期限は /hpki 期限 で計算できます（例: /hpki 期限 2026-01-20）。",
    "proration": "日割りや月額は /prorate で計算できます（例: /prorate ids=15 start=2025-07-20）。",
    "late_interest": "延滞利息は /prorate late で計算できます（例: /prorate late amount=100000 due=2025-03-31 paid=2025-04-30）。",
    "outage_credit": "利用できなかった時間に応じた減額は /prorate outage で計算できます（例: /prorate outage ids=10 hours=53 month=2025-06）。",
    "surcharge": "割増金は /prorate surcharge で計算できます（例: /prorate surcharge amount=10000）。",
}
SECTION_LIMIT = 2500
OTHER_READING = "{document}についてのご質問なら 【{question}】 {answer}"
ALSO_ASKED = "【{question}】 {answer}"
NOT_COVERED_PART = "「{part}」については、資料に記載が見つかりませんでした。"
READ_AS = "「{typed}」を「{meant}」と読み替えて検索しました。"
WHICH_SERVICE = (
    "どのサービスについてのご質問か、お客様にご確認ください（2つの資料に当てはまる回答があります）。"
)


def faq_reply(
    hit: Hit, *, other: Hit | None = None, also: tuple[Hit, ...] = (), uncovered: tuple[str, ...] = ()
) -> Reply:
    """An FAQ answer with its citation; ``other``, an answer from another document that fits a
    question naming no service just as well, is shown after it with its own citation. ``also`` are
    answers to the other asks of a question that asks more than one thing, each with its question
    and citation; ``uncovered`` the asks no entry answers, named as not in the documents."""
    from calculators.common import DOCUMENT_TITLES

    lines = [hit.answer]
    notes = [CALCULATOR_HINTS[hit.calculator]] if hit.calculator in CALCULATOR_HINTS else []
    sources = [hit.source]
    for more in also:
        lines.append(ALSO_ASKED.format(question=more.question, answer=more.answer))
        if more.calculator in CALCULATOR_HINTS and CALCULATOR_HINTS[more.calculator] not in notes:
            notes.append(CALCULATOR_HINTS[more.calculator])
        if all((more.source.doc, more.source.section) != (s.doc, s.section) for s in sources):
            sources.append(more.source)
    notes += [NOT_COVERED_PART.format(part=part) for part in uncovered]
    notes += [READ_AS.format(typed=typed, meant=meant) for typed, meant in hit.read_as]
    if other is not None:
        lines.append(
            OTHER_READING.format(
                document=DOCUMENT_TITLES[other.source.doc], question=other.question, answer=other.answer
            )
        )
        notes.insert(0, WHICH_SERVICE)
        sources.append(other.source)
    return Reply(
        kind="faq",
        title=hit.question,
        lines=tuple(lines),
        notes=tuple(notes),
        sources=tuple(sources),
        faq_id=hit.entry_id,
        score=hit.score,
    )


def section_reply(citation: Citation, text: str) -> Reply:
    body = text if len(text) <= SECTION_LIMIT else text[:SECTION_LIMIT] + "…（以下略）"
    return Reply(
        kind="faq",
        title=citation.label,
        lines=(body,),
        sources=(citation,),
        faq_id=f"section:{citation.doc}:{citation.section}",
    )


def not_covered(hits: list[Hit]) -> Reply:
    from faq.search import SUGGEST_FLOOR

    suggestions = tuple(h.question for h in hits if h.score >= SUGGEST_FLOOR)[:3]
    return unknown_reply(suggestions)
