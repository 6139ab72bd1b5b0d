"""Questions that ask two things: each ask is searched on its own and answered with its citation."""

from __future__ import annotations

from datetime import date

import pytest

from faq.search import coordinated_parts, keyword_parts, question_parts
from madoguchi.router import answer

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("延滞利息の年率は？あとうるう年の扱いは？", ["延滞利息の年率は？", "うるう年の扱いは？"]),
        ("HPKIの支払い方法は、それとクレカの手数料は？", ["HPKIの支払い方法は", "クレカの手数料は？"]),
        ("日割りは暦日？あと1円未満の端数は？", ["日割りは暦日？", "1円未満の端数は？"]),
        ("CD-Rはいくら？送料は？", ["CD-Rはいくら？", "送料は？"]),  # known not to be in the documents
        ("料金を払わないと利用停止？期間は？", []),  # 「期間は？」 asks only with the first ask's words
        ("コード署名証明書も出してる？値段は？", []),
        ("解約の手続きは？", []),  # one ask
        ("あとで確認します。料金は？", []),  # a sentence ending in 。 is context, not an ask
        ("またお客様から電話です", []),
    ],
)
def test_question_parts(text: str, parts: list[str]) -> None:
    assert question_parts(text) == parts


def test_each_ask_is_answered_with_its_own_citation() -> None:
    reply = answer("日割計算って営業日ベース？暦日？あと1円未満の端数は？", today=TODAY)
    assert reply.kind == "faq"
    assert "暦日" in reply.text and "切り捨て" in reply.text
    sections = {source.section for source in reply.sources}
    assert {"料金表 通則3", "料金表 通則6"} <= sections


def test_a_second_ask_is_added_to_the_answer_to_the_whole() -> None:
    reply = answer("えんたい利息の年率は？あとうるう年の扱いってどうなってる？", today=TODAY)
    assert "14.5" in reply.text and "365日" in reply.text
    assert len(reply.sources) == 1  # both from 第22条: cited once


def test_an_ask_no_entry_answers_is_named_beside_the_answer() -> None:
    reply = answer("CD-Rはいくら？送料は？", today=TODAY)
    assert reply.kind == "faq" and "5,100円" in reply.text
    assert "「送料は?」については、資料に記載が見つかりませんでした" in reply.text


def test_without_an_answer_to_the_whole_every_ask_must_be_answered() -> None:
    # the first ask alone is near the token's price; the second is not in the documents
    assert answer("USBトークンの在庫って今ありますか？すぐ出せる？", today=TODAY).kind == "unknown"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("USBメモリ 価格 有効期間", ["USBメモリ 価格", "USBメモリ 有効期間"]),
        ("延滞利息　年率　うるう年", ["延滞利息 年率", "延滞利息 うるう年"]),  # full-width spaces
        ("UT 価格", []),  # two keywords are one ask
        ("CD-Rの価格は？ 送料 納期", []),  # a question, not keywords
        ("USBトークンの再利用で必要になるソフトウェア 作業 手順", []),  # a phrase, not a keyword
    ],
)
def test_keyword_parts(text: str, parts: list[str]) -> None:
    assert keyword_parts(text) == parts


def test_each_keyword_ask_is_answered() -> None:
    reply = answer("USBメモリ 価格 有効期間", today=TODAY)
    assert reply.kind == "faq"
    assert "6,200円" in reply.text and "2年" in reply.text


def test_a_keyword_ask_no_document_states_is_named() -> None:
    reply = answer("ダウンロード 単価 送料", today=TODAY)
    assert reply.kind == "faq" and "5,000円" in reply.text
    assert "「ダウンロード 送料」については、資料に記載が見つかりませんでした" in reply.text


def test_an_ask_about_a_topic_no_document_covers_makes_the_question_unanswered() -> None:
    # the second ask, alone, is near an entry; with the first it is about the card too
    assert answer("医師資格証ってどこで申請する？届くまで何日？", today=TODAY).kind == "unknown"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("UTの改定前と改定後の価格", ["UTの改定前の価格", "UTの改定後の価格"]),
        ("DLとCD-Rの単価は？", ["DLの単価は?", "CD-Rの単価は?"]),  # the - inside a noun
        ("依頼書の記号と、単価", ["依頼書の記号", "依頼書の単価"]),
        ("お客様が解約したいとのこと", []),  # と after a verb: a quote
        ("申し込むと料金はいつから", []),  # と after a verb: a condition
    ],
)
def test_coordinated_parts(text: str, parts: list[str]) -> None:
    assert coordinated_parts(text) == parts


def test_each_of_two_coordinated_asks_is_answered() -> None:
    reply = answer("USBメモリとUSBトークンの単価を教えて", today=TODAY)
    assert reply.kind == "faq"
    assert "6,200円" in reply.text and "10,500円" in reply.text
