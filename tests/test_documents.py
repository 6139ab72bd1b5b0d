"""The section registry built from the three shipped documents, and clause lookup."""

from __future__ import annotations

import re

import pytest

from calculators.common import Citation
from faq.documents import (
    CIRCLED,
    Section,
    find_section,
    fold,
    lookup,
    normalize_id,
    resolve_citation,
    section_ids,
    sections,
)

AUTH_ARTICLES = {f"第{n}条" for n in range(1, 32)}
AUTH_BEKKI = {f"別記{n}" for n in range(1, 6)}
AUTH_TSUSOKU = {f"料金表 通則{n}" for n in range(1, 13)}
AUTH_TABLES = {"料金表 第1表", "料金表 第2表"}
HPKI_ITEMS = {
    "2": 3,
    "3": 3,
    "7": 6,
    "8": 4,
    "9": 2,
}


def _section(doc: str, section_id: str) -> Section:
    section = find_section(doc, section_id)
    assert section is not None, f"{doc} {section_id} missing"
    return section


# --- registry --------------------------------------------------------------------------------


def test_auth_has_every_article_appendix_rule_table_and_supplement() -> None:
    ids = section_ids("auth")
    assert ids == AUTH_ARTICLES | AUTH_BEKKI | AUTH_TSUSOKU | AUTH_TABLES | {"附則"}


def test_hpki_has_sections_1_to_9_and_their_items() -> None:
    items = {f"{top}-{CIRCLED[i]}" for top, count in HPKI_ITEMS.items() for i in range(count)}
    assert section_ids("hpki") == {str(n) for n in range(1, 10)} | items


def test_occto_has_three_parts() -> None:
    assert section_ids("occto") == {"1", "2", "3"}


def test_sections_are_cached_and_unique() -> None:
    assert sections() is sections()
    keys = [(s.doc, s.id) for s in sections()]
    assert len(keys) == len(set(keys))
    assert all(s.text.strip() for s in sections())


@pytest.mark.parametrize(
    ("doc", "section_id", "heading"),
    [
        ("auth", "第1条", "規約の適用"),
        ("auth", "第10条", "利用者認証契約に基づく権利の譲渡"),
        ("auth", "第13条", "削除"),
        ("auth", "第19条", "利用料金の支払義務"),
        ("auth", "第20条", "工事費の支払義務"),
        ("auth", "第21条", "割増金"),
        ("auth", "第22条", "延滞利息"),
        ("auth", "第27条", "削除"),
        ("auth", "第31条", "特約"),
        ("auth", "別記1", "利用者認証契約者の地位の承継"),
        ("auth", "別記3", "個人情報の開示"),
        ("auth", "別記5", "新聞社等の基準"),
        ("auth", "料金表 通則1", "料金の計算方法等"),
        ("auth", "料金表 通則5", "料金の計算方法等"),
        ("auth", "料金表 通則6", "端数処理"),
        ("auth", "料金表 通則7", "料金等の支払い"),
        ("auth", "料金表 通則8", "料金等の支払い"),
        ("auth", "料金表 通則9", "料金等の一括後払い"),
        ("auth", "料金表 通則10", "前受金"),
        ("auth", "料金表 通則11", "消費税相当額の加算"),
        ("auth", "料金表 通則12", "料金等の臨時減免"),
        ("auth", "料金表 第1表", "料金"),
        ("auth", "料金表 第2表", "工事に関する費用"),
        ("hpki", "1", "はじめに"),
        ("hpki", "2", "サービス利用料について"),
        ("hpki", "2-①", "サービス利用料について"),
        ("hpki", "3-①", "継続手続き(銀行口座からの自動引き落とし以外を選択された場合)"),
        ("hpki", "3-③", "手数料について"),
        ("hpki", "6", "途中解約について"),
        ("hpki", "7-②", "2025年4月以降2026年1月までにクライアント証明書の申請をされた場合"),
        ("hpki", "7-③", "お支払い期限までのお支払いが難しい場合"),
        ("hpki", "8-④", "再発行手続きと支払いの確認"),
        ("hpki", "9", "請求書、領収書について"),
        ("occto", "1", "クライアント証明書 価格改定について"),
        ("occto", "2", "クライアント証明書 提供媒体 CD-R（まとめ書込み）の追加について"),
        ("occto", "3", "クライアント証明書 提供媒体のUSBトークンの再利用について"),
    ],
)
def test_headings(doc: str, section_id: str, heading: str) -> None:
    assert _section(doc, section_id).heading == heading


@pytest.mark.parametrize(
    ("doc", "section_id", "inside", "outside"),
    [
        ("auth", "第12条", "緊急やむを得ない場合", "第３章"),
        ("auth", "第13条", "削除", "利用中止"),
        ("auth", "第19条", "前日までの期間", "工事費の支払義務"),
        ("auth", "第22条", "年 14.5％", "責任の制限"),
        ("auth", "第31条", "特約事項を適用します", "地位の承継"),
        ("auth", "別記5", "8,000 部以上", "料金表"),
        ("auth", "料金表 通則5", "起算日を変更する", "端数処理"),
        ("auth", "料金表 通則10", "利息を付さない", "消費税"),
        ("auth", "料金表 通則12", "減免", "第１表"),
        ("auth", "料金表 第1表", "月額 2,000 円", "工事費"),
        ("auth", "料金表 第2表", "１の工事ごとに 2,000 円", "附 則"),
        ("hpki", "2-①", "400床以上の病院 10万円/年", "基準日"),
        ("hpki", "7-①", "2025年8月1日", "翌々月"),
        ("hpki", "7-⑤", "①②④を読み替えて適用", "解約扱い"),
        ("hpki", "9-②", "領収書発行希望", "請求書が必要な場合"),
        ("occto", "1", "10,500円／個", "2017年10月"),
        ("occto", "2", "1証明書につき200円の割引", "再利用"),
        ("occto", "3", "ランタイムパッケージ", "まとめ書込み"),
    ],
)
def test_section_text_boundaries(doc: str, section_id: str, inside: str, outside: str) -> None:
    text = _section(doc, section_id).text
    assert inside in text
    assert outside not in text


def test_supplement_holds_every_supplementary_provision() -> None:
    text = _section("auth", "附則").text
    assert len(re.findall(r"附\s*則", text)) == 17  # every 附則 of the document, 平成13年 to 令和2年
    assert "平成 13 年７月２日" in text
    assert "令和２年３月 31 日" in text


def test_items_are_part_of_their_section() -> None:
    for section in sections():
        if section.doc == "hpki" and "-" in section.id:
            parent = _section("hpki", section.id.split("-")[0])
            assert fold(section.text) in fold(parent.text)


def test_wrapped_lines_are_joined() -> None:
    text = _section("auth", "第22条").text
    assert "支払期日の翌日から支払の日の前日までの日数について" in text
    assert "※端末にコピー不可" in _section("occto", "1").text


# --- ids and citations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("第 19 条", "第19条"),
        ("第１９条", "第19条"),
        ("通則６", "料金表 通則6"),
        ("料金表通則6", "料金表 通則6"),
        ("第1表", "料金表 第1表"),
        ("7-2", "7-②"),
        ("7-②", "7-②"),
        ("別記３", "別記3"),
    ],
)
def test_normalize_id(raw: str, canonical: str) -> None:
    assert normalize_id(raw) == canonical


def test_resolve_citation() -> None:
    item = resolve_citation(Citation(doc="hpki", section="7-②"))
    assert item is not None
    assert item.id == "7-②"
    article = resolve_citation(Citation(doc="auth", section="第 19 条"))
    assert article is not None
    assert article.id == "第19条"
    assert resolve_citation(Citation(doc="auth", section="第19条第2項")) is None
    assert resolve_citation(Citation(doc="auth", section="第32条")) is None
    assert resolve_citation(Citation(doc="occto", section="第1条")) is None
    assert resolve_citation(Citation(doc="hpki", section="7-⑦")) is None


def test_cite_builds_a_citation_that_resolves() -> None:
    section = _section("auth", "第22条")
    citation = section.cite("年 14.5％")
    assert citation.heading == "延滞利息"
    assert resolve_citation(citation) == section


# --- clause lookup --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "doc", "section_id"),
    [
        ("第22条", "auth", "第22条"),
        ("22条", "auth", "第22条"),
        ("規約22条", "auth", "第22条"),
        ("規約第22条", "auth", "第22条"),
        ("第２２条", "auth", "第22条"),
        ("第 22 条", "auth", "第22条"),
        ("「第22条」", "auth", "第22条"),
        ("第22条は？", "auth", "第22条"),
        ("第19条第2項", "auth", "第19条"),
        ("22", "auth", "第22条"),
        ("第13条", "auth", "第13条"),
        ("通則6", "auth", "料金表 通則6"),
        ("通則６", "auth", "料金表 通則6"),
        ("料金表 通則10", "auth", "料金表 通則10"),
        ("別記3", "auth", "別記3"),
        ("第1表", "auth", "料金表 第1表"),
        ("第2表", "auth", "料金表 第2表"),
        ("料金表第２表", "auth", "料金表 第2表"),
        ("附則", "auth", "附則"),
        ("HPKI 7", "hpki", "7"),
        ("hpki 2", "hpki", "2"),
        ("HPKI 7-②", "hpki", "7-②"),
        ("HPKI 7-2", "hpki", "7-②"),
        ("7-②", "hpki", "7-②"),
        ("HPKI 8の④", "hpki", "8-④"),
        ("OCCTO 2", "occto", "2"),
    ],
)
def test_lookup(query: str, doc: str, section_id: str) -> None:
    section = lookup(query)
    assert section is not None, query
    assert (section.doc, section.id) == (doc, section_id)


@pytest.mark.parametrize(
    "query",
    [
        "第32条",
        "0",
        "別記6",
        "通則13",
        "第3表",
        "HPKI 10",
        "HPKI 7-⑦",
        "OCCTO 4",
        "延滞利息",
        "",
        "7-2",
        "x" * 100,
    ],
)
def test_lookup_rejects(query: str) -> None:
    assert lookup(query) is None
