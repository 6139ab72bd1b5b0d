"""The curated FAQ entries and synonym groups: they load, cite real passages, and cover every section."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from importlib import resources

import pytest

from calculators.common import DOCUMENT_FILES
from faq.documents import fold, resolve_citation, sections
from faq.models import FaqEntry, load_entries, read_entries
from faq.search import unstated_aspects

ENTRIES = load_entries()
MAX_QUOTE = 150
"""A quote is a short passage, not a section: at most this many characters once folded."""


def _doc_text(doc: str) -> str:
    return resources.files("faq.docs").joinpath(DOCUMENT_FILES[doc]).read_text(encoding="utf-8")


def yen_figures(text: str) -> set[int]:
    """Every amount of money written in ``text``: 10,500円, 2,000 円, ￥4,900, 1万円, 1万1千円, 5万5千円."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    found: set[int] = set()

    def man(match: re.Match[str]) -> str:
        extra = int(match[2]) * (1000 if match[3] else 1) if match[2] else 0
        found.add(int(match[1]) * 10000 + extra)
        return " "

    text = re.sub(r"(\d+)万(?:(\d+)(千)?)?円", man, text)
    found |= {int(n) for n in re.findall(r"(\d+)\s*円", text)}
    found |= {int(n) for n in re.findall(r"¥\s*(\d+)", text)}
    return found


def test_yen_figures_reads_the_documents_forms() -> None:
    assert yen_figures("10,500円／個 ￥4,900/証明書 2,000 円") == {10500, 4900, 2000}
    assert yen_figures("1万円/年 (税込1万1千円/年) 5万5千円 11万円") == {10000, 11000, 55000, 110000}
    assert yen_figures("年 14.5％、8,000 部") == set()


# --- loading ---------------------------------------------------------------------------------


def test_entries_load_with_unique_ids() -> None:
    ids = [entry.id for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    assert 120 <= len(ENTRIES) <= 180


def test_duplicate_paraphrases_are_rejected() -> None:
    text = """
[[entries]]
id = "x-dup"
question = "質問ですか？"
paraphrases = ["同じ", "同じ", "ちがう"]
answer = "答えは資料のとおりです。"
source = { doc = "auth", section = "第22条" }
"""
    with pytest.raises(ValueError, match="paraphrases repeat"):
        read_entries(text)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_is_well_formed(entry: FaqEntry) -> None:
    assert len(entry.paraphrases) >= 4
    assert entry.question not in entry.paraphrases
    assert entry.tags
    assert entry.id.startswith(f"{entry.source.doc}-")
    assert entry.answer.endswith(("。", "）")), "answers are whole polite sentences"


# --- citations --------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_source_resolves_to_a_real_section(entry: FaqEntry) -> None:
    section = resolve_citation(entry.source)
    assert section is not None, f"{entry.id}: no section {entry.source.doc} {entry.source.section}"
    assert entry.source.section == section.id, "cite the canonical id"
    assert entry.source.heading == section.heading


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_quote_is_a_short_verbatim_passage_of_the_section(entry: FaqEntry) -> None:
    section = resolve_citation(entry.source)
    assert section is not None
    quote = fold(entry.source.quote)
    assert quote, f"{entry.id}: no quote"
    assert len(quote) <= MAX_QUOTE
    assert quote in fold(section.text), f"{entry.id}: quote not in {section.id}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_yen_figure_in_an_answer_is_in_the_cited_document(entry: FaqEntry) -> None:
    invented = yen_figures(entry.answer) - yen_figures(_doc_text(entry.source.doc))
    assert not invented, f"{entry.id}: {sorted(invented)} not in the {entry.source.doc} document"


def test_every_section_has_an_entry() -> None:
    cited = {(entry.source.doc, entry.source.section) for entry in ENTRIES}
    uncovered = [f"{s.doc} {s.id}" for s in sections() if (s.doc, s.id) not in cited]
    assert not uncovered, "sections without a FAQ entry: " + ", ".join(uncovered)


def test_important_questions_have_several_entries() -> None:
    per_section = Counter((entry.source.doc, entry.source.section) for entry in ENTRIES)
    for key in [("occto", "1"), ("occto", "2"), ("occto", "3"), ("hpki", "2-①"), ("hpki", "3-③")]:
        assert per_section[key] >= 3, key
    for key in [("auth", "第19条"), ("auth", "第22条"), ("hpki", "7-①"), ("hpki", "8-④")]:
        assert per_section[key] >= 3, key


@pytest.mark.parametrize(
    ("entry_id", "needles"),
    [
        ("occto-price-ut-now", ["10,500円"]),
        ("occto-price-ut-old", ["9,600円", "2023年3月31日"]),
        ("occto-price-cm", ["5,100円", "4,900円"]),
        ("occto-cm5-example", ["24,500円"]),
        ("occto-token-copy", ["コピー不可"]),
        ("occto-validity", ["2年"]),
        ("occto-cm-how-to-order", ["「CM:CD-R（まとめ書込み）」"]),
        ("hpki-fee-large-hospital", ["10万円", "税込11万円"]),
        ("hpki-fee-convenience", ["手数料は発生いたしません"]),
        ("hpki-fee-debit", ["郵送費"]),
        ("hpki-fee-transfer", ["振込手数料"]),
        ("hpki-restart-debit-months", ["2~3ヶ月"]),
        ("hpki-contact-change", ["お問い合わせフォーム"]),
        ("hpki-code-change-no-fee", ["追加の利用料は発生しません"]),
        ("hpki-deadline-2026-01", ["2026年2月末", "2026年3月1日"]),
        ("auth-late-start", ["翌日"]),
        ("auth-late-rate", ["14.5％"]),
        ("auth-charge-period", ["前日"]),
        ("auth-install-fee-refund", ["返還"]),
        ("auth-prepayment", ["利息を付さない"]),
        ("auth-monthly-fee", ["2,000円", "2,200円"]),
    ],
)
def test_key_answers_carry_the_documents_figures(entry_id: str, needles: list[str]) -> None:
    answer = next(entry.answer for entry in ENTRIES if entry.id == entry_id)
    for needle in needles:
        assert needle in answer, f"{entry_id}: {needle}"


def test_calculator_questions_point_at_a_calculator() -> None:
    by_id = {entry.id: entry for entry in ENTRIES}
    assert by_id["occto-price-ut-now"].calculator == "quote"
    assert by_id["hpki-fee-table"].calculator == "hpki_fee"
    assert by_id["hpki-deadline-new-application"].calculator == "hpki_deadline"
    assert by_id["auth-late-rate"].calculator == "late_interest"
    assert by_id["auth-outage-credit"].calculator == "outage_credit"
    assert by_id["auth-surcharge"].calculator == "surcharge"
    assert by_id["auth-charge-period"].calculator == "proration"


# --- synonyms ---------------------------------------------------------------------------------


def _synonym_groups() -> list[dict]:
    text = resources.files("faq.data").joinpath("synonyms.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["groups"]


def test_synonym_groups_are_well_formed_and_disjoint() -> None:
    groups = _synonym_groups()
    assert len(groups) >= 30
    seen: dict[str, str] = {}
    for group in groups:
        assert set(group) == {"canonical", "variants"}
        assert group["variants"], group["canonical"]
        for term in [group["canonical"], *group["variants"]]:
            key = unicodedata.normalize("NFKC", term).casefold()
            assert key not in seen, f"{term} is in {seen.get(key)} and {group['canonical']}"
            seen[key] = group["canonical"]


@pytest.mark.parametrize(
    ("canonical", "variant"),
    [
        ("保険薬局", "調剤薬局"),
        ("自動引き落とし", "口座振替"),
        ("クレジットカード", "クレカ"),
        ("病床", "ベッド"),
        ("利用者識別符号", "ID"),
        ("解除", "解約"),
        ("USBトークン", "ePass2003"),
        ("まとめ書込み", "一括書込み"),
        ("延滞", "滞納"),
        ("案分", "日割り"),
        ("料金", "利用料"),
        ("コンビニエンスストア", "コンビニ"),
        ("振込", "振り込み"),
        ("返金", "返還"),
        ("括弧", "カッコ"),
        ("基本額", "基本料"),
        ("不正アクセス", "サイバー攻撃"),
        ("書込み", "焼く"),
        ("まとめ書込み", "まとめて書き込"),
    ],
)
def test_synonyms_hold_the_usual_variants(canonical: str, variant: str) -> None:
    group = next(g for g in _synonym_groups() if g["canonical"] == canonical)
    assert variant in group["variants"]


@pytest.mark.parametrize("aspect", unstated_aspects())
def test_an_unstated_aspect_is_in_no_document(aspect: str) -> None:
    """out_of_scope.toml's ``aspects`` make a question unknown: none may be something a document says."""
    for doc in DOCUMENT_FILES:
        assert aspect not in fold(_doc_text(doc)).casefold(), f"{aspect} is in the {doc} document"


@pytest.mark.parametrize(
    "question",
    [
        "CD-Rで郵送してもらう場合の送料はいくら？",
        "HPKIのクレカ払い、JCB使える？",
        "USBトークンの在庫ある？",
        "USBトークンはMacでも使える？",
        "利用者認証の料金は毎月何日が期日？",
        "ｸﾚｶ払い、使えるブランドは？",
        "証明書を申し込んでから手元に届くまで何日くらい？",
        "利用者認証サービスの毎月の支払期日って何日？",
        "利用者認証のパスワードって何文字以上？",
        "利用者認証サービスのパスワード忘れたときのリセット手順",
        "領収書に載るインボイスの登録番号は？",
    ],
)
def test_a_question_asking_an_unstated_aspect_is_unknown_with_suggestions(question: str) -> None:
    from datetime import date

    from madoguchi.router import answer

    reply = answer(question, today=date(2026, 11, 22))
    assert reply.kind == "unknown" and "もしかして" in reply.text
