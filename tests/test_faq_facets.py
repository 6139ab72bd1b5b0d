"""Facets, answer types and unseen nouns: the checks that keep a shared word from choosing a sibling.

Questions here are written for these tests (not taken from any question set); they name one value
of a facet and share most words with entries about its siblings.
"""

from __future__ import annotations

from datetime import date

import pytest

from calculators.common import DOCUMENT_TITLES
from faq import facets
from faq.models import load_entries
from madoguchi.reply import Reply
from madoguchi.router import answer

TODAY = date(2026, 11, 22)


def ask(text: str) -> Reply:
    return answer(text, today=TODAY)


# --- the data ----------------------------------------------------------------------------------


def test_facet_file_loads_and_document_values_are_the_documents() -> None:
    data = facets.facet_file()
    documents = [f for f in data.facets if f.document]
    assert documents and {v.value for v in documents[0].values} == set(DOCUMENT_TITLES)


def test_every_facet_value_is_named_by_some_entry() -> None:
    """A value no entry names can never be a sibling: it would be dead data (or a mistyped pattern);
    only a value the documents do not offer is named by none."""
    named: dict[str, set[str]] = {}
    for entry in load_entries():
        found = facets.entry_facets(
            (entry.question, *entry.paraphrases, *entry.tags), document=entry.source.doc
        )
        for name, values in found.items():
            named.setdefault(name, set()).update(values)
    for facet in facets.facet_file().facets:
        assert named.get(facet.name) == {v.value for v in facet.values if v.offered}, facet.name


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "medium"),
    [
        ("ＣＤ－Ｒまとめ書き込みの単価", {"CM"}),  # the longer name wins: CM, not also CD
        ("CD-R（まとめ書込み）", {"CM"}),
        ("CDに焼いてもらう場合", {"CD"}),
        ("ePass2003の値段", {"UT"}),
        ("DLとUSBメモリの違い", {"DL", "UM"}),
        ("証明書をまとめて入れる", {"CM"}),
        ("まとめて書き込むやつ", {"CM"}),
    ],
)
def test_question_media(text: str, medium: set[str]) -> None:
    assert facets.question_facets(text)["medium"] == medium


def test_conflict_only_when_the_entry_names_other_values_only() -> None:
    asked = {"medium": frozenset({"DL"})}
    assert facets.conflicts(asked, {"medium": frozenset({"CD"})}) == 1
    assert facets.conflicts(asked, {"medium": frozenset({"CD", "DL"})}) == 0
    assert facets.conflicts(asked, {}) == 0
    assert facets.conflicts({}, {"medium": frozenset({"CD"})}) == 0


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("ＵＳＢメモリは一つ何円？", {"amount"}),
        ("値段を知りたい", {"amount"}),
        ("解約の方法", set()),
        ("返金される金額は？", {"amount"}),
        ("カッコ書きの金額って何の金額？", set()),  # what an amount is, not the amount
        ("かっこ内の金額は何？", set()),
        ("税込の金額は何円？", {"amount"}),
    ],
)
def test_asked_types(text: str, types: set[str]) -> None:
    assert facets.asked_types(text) == types


def test_answered_types() -> None:
    assert "amount" in facets.answered_types("1枚あたり5,100円（税抜）です。")
    assert "amount" in facets.answered_types("手数料は発生しません。")
    assert "amount" not in facets.answered_types("所定の書面で申し込みます。")


# --- search behaviour --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("ダウンロード提供だと証明書1件あたりの値段は？", "5,000"),
        ("USBメモリ媒体を選んだ場合の金額", "6,200"),
        ("CD-Rに1証明書ずつ焼く場合の単価", "5,100"),
    ],
)
def test_a_medium_named_gets_its_own_price(question: str, figure: str) -> None:
    reply = ask(question)
    assert reply.kind in {"faq", "quote"} and figure in reply.text


def test_a_how_much_question_gets_an_answer_with_an_amount() -> None:
    reply = ask("工事の費用は一件いくら？")
    assert reply.kind == "faq" and "2,000円" in reply.text


@pytest.mark.parametrize(
    "question",
    ["電子処方箋システムの導入補助金の申請方法", "Excelのマクロが動かない", "水道代の引き落とし日を変えたい"],
)
def test_nouns_the_faq_never_saw_mean_another_topic(question: str) -> None:
    assert ask(question).kind == "unknown"


def test_a_question_naming_no_service_gets_both_readings() -> None:
    reply = ask("契約をやめたいときの手続き")
    assert reply.kind == "faq"
    assert {s.doc for s in reply.sources} == {"hpki", "auth"}
    assert "どのサービス" in reply.text


def test_a_question_naming_the_service_gets_one() -> None:
    reply = ask("利用者認証サービスの契約をやめたいときの手続き")
    assert reply.kind == "faq" and {s.doc for s in reply.sources} == {"auth"}


def test_an_overview_counts_as_broader_only_when_it_names_more_than_was_asked() -> None:
    asked = {"medium": frozenset({"UM"})}
    assert facets.broader(asked, {"medium": frozenset({"UM", "DL", "CD"})}) == 1
    assert facets.broader(asked, {"medium": frozenset({"UM"})}) == 0
    assert facets.broader(asked, {"medium": frozenset({"CD"})}) == 0  # a sibling: conflicts() counts it


def test_service_names_are_terms_of_their_document_only() -> None:
    names = facets.document_terms()
    assert "認証" in names["auth"] and "hpki" in names["hpki"] and "occto" in names["occto"]
    assert "hpki" not in names["auth"]


def test_naming_the_service_keeps_the_answer() -> None:
    """「NTTコミュニケーションズの利用者認証サービスで」 says which document, not what is asked: the
    words no entry repeats neither lose the answer nor count as nouns of another topic."""
    plain = ask("支払いが遅れたときの延滞利息の利率")
    named = ask("NTTコミュニケーションズの利用者認証サービスで支払いが遅れたときの延滞利息の利率")
    assert plain.kind == named.kind == "faq" and plain.faq_id == named.faq_id


@pytest.mark.parametrize(
    ("said", "canonical"), [("契約を子会社に譲りたい", "譲渡"), ("料金を逃れた", "免れ")]
)
def test_staff_words_meet_the_terms_wording(said: str, canonical: str) -> None:
    from faq.text import canonical_text

    assert canonical in canonical_text(said)


def test_analyse_gives_the_terms_and_the_topic_nouns_in_one_pass() -> None:
    from faq.text import analyse, terms

    words, nouns = analyse("Windowsで補助金を2件申請する方法")
    assert words == terms("Windowsで補助金を2件申請する方法")
    assert {"windows", "補助"} <= nouns
    assert not {"2", "件", "する"} & nouns  # numbers, one-character counters and verbs are not topics


# --- typos ---------------------------------------------------------------------------------------


def test_a_wrong_kanji_from_the_ime_is_read_as_the_known_word_and_said() -> None:
    reply = ask("延体利息は支払期日の何日後から計算？")
    assert reply.kind == "faq" and reply.faq_id is not None and reply.faq_id.startswith("auth-late")
    assert "「延体利息」を「延滞利息」と読み替えて" in reply.text


def test_known_words_and_real_words_are_not_corrected() -> None:
    from faq.search import searcher

    current = searcher()
    assert current.correct("延滞利息の利率")[1] == ()
    assert current.correct("運用停止になった")[1] == ()  # a word of its own, one kanji from 利用停止


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("CD-Rの書き混みで割引は？", ("書き混み", "書き込み")),  # 混み read コミ, as 込み
        ("市払い期限を過ぎたら", ("市払い", "支払い")),  # 市 + 払い read シハライ
        ("HPKIを解薬したい", ("解薬", "解約")),  # 解 + 薬 read カイヤク
        ("USBトークソの値段", ("トークソ", "トークン")),  # one katakana off, no dictionary word
        ("USBメモリーの値段", ("メモリー", "メモリ")),  # the long vowel at the end
    ],
)
def test_a_wrong_conversion_or_a_katakana_slip_is_read_as_the_known_word(
    typed: str, meant: tuple[str, str]
) -> None:
    from faq.search import searcher

    assert meant in searcher().correct(typed)[1]


@pytest.mark.parametrize(
    "text",
    [
        "料金自体の説明",  # 自体 is a word of its own, though read as 事態 is
        "保証はありますか",  # 保証, not 保障
        "有床診療所の料金",  # 有床, not 有償
        "移行の手続き",  # 移行, not 以降
        "契約って何単位で結ぶの？",  # 何 asks: 何単位 is not 月単位
    ],
)
def test_a_real_word_read_like_a_known_one_is_left_as_typed(text: str) -> None:
    from faq.search import searcher

    assert searcher().correct(text)[1] == ()


def test_a_wrong_conversion_finds_its_answer_and_says_how_it_was_read() -> None:
    reply = ask("CD-Rの書き混みで割引になるのは何証明書から？")
    assert reply.kind == "faq" and reply.faq_id == "occto-cm-discount"
    assert "「書き混み」を「書き込み」と読み替えて" in reply.text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("とーくんの再利用", ("とーくん", "トークン")),  # a loan word: katakana
        ("認証サービス かいやく", ("かいやく", "解約")),  # a kanji word, by its reading
        ("ゆうこうきかんは何年？", ("ゆうこうきかん", "有効期間")),  # run on into a particle
        ("更新したとーくんが壊れた", ("とーくん", "トークン")),  # inside a longer run
    ],
)
def test_a_word_typed_in_hiragana_is_read_as_the_known_word(typed: str, meant: tuple[str, str]) -> None:
    from faq.search import searcher

    assert meant in searcher().convert(typed)[1]


@pytest.mark.parametrize("text", ["ありがとうございます", "どうすればいいですか", "いつまでにはらえばいい？"])
def test_plain_hiragana_is_not_read_as_a_known_word(text: str) -> None:
    from faq.search import searcher

    assert searcher().convert(text)[1] == ()


def test_an_unconverted_word_finds_its_answer_and_says_how_it_was_read() -> None:
    reply = ask("利用者認証 かいやく どうやるの")
    assert reply.kind == "faq" and reply.faq_id is not None and "cancel" in reply.faq_id
    assert "「かいやく」を「解約」と読み替えて" in reply.text


def test_a_correction_is_only_tried_when_the_text_as_typed_finds_nothing() -> None:
    """A confident answer to the words as typed is never replaced by one to a 'corrected' text."""
    reply = ask("開始日と解約日が同じ日なら料金は？")  # 開始日 is one kanji from 開始月, and is right
    assert reply.kind == "faq" and "読み替えて" not in reply.text


# --- a named service and another document's rule ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "HPKIの利用料が遅れたときの遅延損害金は年何パーセント？",
        "電子処方箋のHPKIで前受金に利息はつく？",
        "OCCTOの証明書の延滞利息は？",
    ],
)
def test_a_named_service_never_gets_another_documents_rule(question: str) -> None:
    """The user authentication terms' rules are not the HPKI or OCCTO rules: naming one of those
    services and asking about a rule only the terms state is "unknown", not the terms' figure."""
    reply = ask(question)
    assert reply.kind == "unknown" or all(s.doc != "auth" for s in reply.sources), reply.text


def test_the_rule_is_still_given_for_its_own_service() -> None:
    reply = ask("利用者認証サービスの延滞利息は年何パーセント？")
    assert reply.kind == "faq" and "14.5" in reply.text


@pytest.mark.parametrize(
    ("framed", "plain"),
    [
        ("お客様から延滞利息の利率を聞かれました", "延滞利息の利率"),
        ("お客様から支払期限に間に合わないとご相談がありました", "支払期限に間に合わない"),
    ],
)
def test_who_asks_does_not_change_the_answer(framed: str, plain: str) -> None:
    framed_id = ask(framed).faq_id
    assert framed_id is not None and framed_id == ask(plain).faq_id


@pytest.mark.parametrize(
    "question", ["NTTの認証サービスに申し込みたい", "NTTコムの利用者認証 申込み どうやるの"]
)
def test_a_service_name_is_never_the_word_an_entry_must_cover(question: str) -> None:
    """NTT says which document is meant (every entry of the terms covers it through its names): the
    entry about applying must not lose to one whose answer happens to say NTT."""
    reply = ask(question)
    assert reply.kind == "faq" and reply.faq_id == "auth-apply-how", reply.faq_id


@pytest.mark.parametrize(
    "question",
    ["DVDで証明書を提供してもらうといくら？", "SDカード媒体の単価は？", "ブルーレイでもらえる？料金は？"],
)
def test_a_medium_the_notice_does_not_offer_gets_no_mediums_price(question: str) -> None:
    from faq.search import searcher

    reply = ask(question)
    if reply.kind == "faq":
        assert reply.faq_id is not None
        assert not searcher().entries[reply.faq_id].facets.get("medium") - {"other"}, reply.text


@pytest.mark.parametrize(
    "question",
    [
        "HPKI利用料の振込先の口座番号を教えて",
        "利用者認証サービスの問い合わせ先の電話番号は？",
        "OCCTOのメールアドレスは？",
    ],
)
def test_contact_details_no_document_gives_are_unknown(question: str) -> None:
    from faq.facets import answered_types, asked_types
    from faq.models import load_entries

    assert "contact" in asked_types(question)
    assert not any("contact" in answered_types(e.answer) for e in load_entries())
    assert ask(question).kind == "unknown"


# --- a topic of another document -----------------------------------------------------------------


def test_a_topic_only_another_document_states_is_not_answered_for_the_named_service() -> None:
    # the validity of a certificate is the OCCTO notice's (2年); the HPKI notice never states one
    assert ask("HPKIの電子証明書の有効期間は何年？").kind == "unknown"
    reply = ask("USBトークンの証明書の有効期間は何年？")
    assert reply.kind == "faq" and "2年" in reply.text


def test_staff_words_in_another_documents_phrasings_do_not_make_a_topic_foreign() -> None:
    # 電話 is in the terms' phrasings (「電話で解約できる？」), in no document's text
    reply = ask("電子署名サービスを解約したいと施設から電話がありました。手続きは？")
    assert reply.kind == "faq" and reply.faq_id == "hpki-cancel-how"


# --- who is asking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("解約したいってクリニックから。手続きは？", "hpki-cancel-how"),  # not the clinic's fee
        ("薬局さんから電話。支払い方法は何がある？", "hpki-pay-methods"),  # still HPKI's
        ("解約したいって言ってる病院、何を出せばいい？", "hpki-cancel-how"),  # after what it says
    ],
)
def test_a_facility_named_as_the_one_asking_is_not_what_is_asked(text: str, entry: str) -> None:
    reply = ask(text)
    assert reply.kind == "faq" and reply.faq_id == entry


def test_a_facility_that_is_asked_about_is_kept() -> None:
    from faq.text import canonical_text

    assert "病院" in canonical_text("病院の年額") and "病院" in canonical_text("〇〇病院さんに請求書を送る")
    assert "診療所" not in canonical_text("医院から。解約の手続きは？")


def test_a_facility_named_after_what_it_says_is_the_one_asking() -> None:
    from faq.text import canonical_text

    assert "診療所" not in canonical_text("解約したいって言ってる診療所、何を出せばいい？")
    assert "診療所" in canonical_text("解約したい診療所、何を出せばいい？")


def test_a_certain_is_no_topic() -> None:
    """「あるサービス」 normalises to 或る (a certain …), which named no topic and outweighed the ask."""
    from faq.text import terms

    assert "或る" not in terms("いつからあるサービス？") and "サービス" in terms("いつからあるサービス？")
