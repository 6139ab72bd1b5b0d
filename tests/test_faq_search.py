"""FAQ index and search: Japanese-aware terms, escaping, confidence, rebuilds, clause lookup."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq import index, search
from faq.cli import register  # noqa: F401  (the module imports cleanly)
from faq.lint import problems
from faq.models import load_entries
from faq.text import canonical_text, terms
from madoguchi.reply import Reply
from madoguchi.router import answer

TODAY = date(2026, 11, 22)


def ask(text: str) -> Reply:
    return answer(text, today=TODAY)


# --- terms: pinned SudachiPy behaviour and curated synonyms ------------------------------------


@pytest.mark.parametrize(
    ("a", "b"), [("申込み", "申し込み"), ("引落し", "引き落とし"), ("振込み", "振り込み")]
)
def test_sudachi_normalised_forms_merge_spelling_variants(a: str, b: str) -> None:
    assert set(terms(a)) & set(terms(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("調剤薬局", "保険薬局"),
        ("クレカ", "クレジットカード"),
        ("ベッド", "病床"),
        ("口座振替", "自動引き落とし"),
        ("年利", "年率"),
        ("施行", "実施"),
        ("放置", "ほったらかし"),
        ("ダウンロード形式", "DL"),
    ],
)
def test_synonyms_meet(a: str, b: str) -> None:
    assert canonical_text(a).strip() == canonical_text(b).strip()


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("この規約はいつから", "此の"),  # この as SudachiPy normalises it
        ("その料金", "其の"),
        ("払わないといけない？", "行く"),  # いけない
        ("まとめて焼くやつ", "奴"),
        ("口座引落を選んだそうです", "そう"),  # an auxiliary's stem: hearsay
        ("壊れたみたい", "みたい"),
        ("こっちの責任じゃない", "此方"),  # こっち, こちら
        ("念のため確認", "為"),
    ],
)
def test_framing_words_are_not_search_terms(text: str, dropped: str) -> None:
    assert dropped not in terms(text)


@pytest.mark.parametrize("word", ["返金", "解約", "期限", "利息"])
def test_two_character_words_are_terms(word: str) -> None:
    """FTS5's trigram tokenizer would drop these; our terms keep them."""
    assert terms(word)


def test_particles_and_numbers_are_not_terms() -> None:
    found = terms("1枚の証明書はいくらですか")
    assert "の" not in found and "は" not in found and "1" not in found


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "entry_prefix"),
    [
        ("コンビニで払うと手数料かかる？", "hpki-"),
        ("延滞利息 いつから", "auth-late"),
        ("トークンの値段", "occto-price-ut"),
        ("前受金に利息はつく？", "auth-prepay"),
    ],
)
def test_confident_answers(question: str, entry_prefix: str) -> None:
    hit, _ = search.best_answer(question)
    assert hit is not None and hit.entry_id.startswith(entry_prefix)


@pytest.mark.parametrize(
    "question",
    [
        "EV証明書の審査期間は？",
        "SSL証明書の更新",
        "コード署名証明書の価格",
        "HPKIカードの発行日数",
        "社員食堂のメニュー",
        "How are you?",
        "おはようございます",
        "光回線の月額料金はいくら？",
        "水道料金はコンビニで払えますか",  # another bill: the HPKI payment entries must not answer
        "携帯料金は口座振替にできる？",
    ],
)
def test_out_of_scope_is_unknown(question: str) -> None:
    reply = ask(question)
    assert reply.kind == "unknown"
    assert "エスカレーション" in reply.text or "お問い合わせ" in reply.text


def test_unknown_offers_at_most_three_suggestions() -> None:
    """Close to the FAQ but not in it: unknown, with 1–3 real FAQ questions to pick from, shown."""
    reply = ask("USBトークンをなくしたときの再発行の流れ")
    assert reply.kind == "unknown"
    assert 1 <= len(reply.suggestions) <= 3
    questions = {e.question for e in load_entries()}
    assert all(s in questions for s in reply.suggestions)
    assert "もしかして" in reply.text and reply.suggestions[0] in reply.text


def test_faq_answer_cites_its_section() -> None:
    reply = ask("コンビニ払いの手数料は？")
    assert reply.kind == "faq" and reply.faq_id
    assert reply.sources and "HPKI" in reply.sources[0].label
    assert "出典" in reply.text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "'",
                "AND",
                "OR",
                "NOT",
                "NEAR",
                "*",
                "(",
                ")",
                "-",
                ":",
                "^",
                "料金",
                "返金",
                "解約",
                "NEAR(",
                "{",
                "}",
                "+",
                "延滞",
            ]
        )
        | st.text(max_size=4),
        max_size=10,
    ).map(" ".join)
)
def test_fts5_syntax_in_user_text_never_raises(text: str) -> None:
    search.searcher().search(text)


def test_fts_query_quotes_every_word() -> None:
    assert search.fts_query(['a"b', "NEAR"]) == '"a""b" OR "NEAR"'


def test_calculation_questions_go_to_calculators() -> None:
    assert ask("300床の病院の利用料は？").kind == "hpki_fee"


@pytest.mark.parametrize(
    "question",
    ["What is the late payment interest rate?", "How much is a USB token?", "Can I pay by credit card?"],
)
def test_english_is_answered_or_unknown_never_wrong(question: str) -> None:
    reply = ask(question)
    assert reply.kind in {"faq", "unknown", "quote"}
    must = {"interest": "14.5", "USB token": "10,500", "credit card": "クレジットカード"}
    if reply.kind != "unknown":
        assert all(fact in reply.text for key, fact in must.items() if key in question)


# --- clause lookup ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title_part"),
    [
        ("/faq 第22条", "延滞利息"),
        ("規約22条", "延滞利息"),
        ("通則6", "端数処理"),
        ("別記3", "個人情報"),
        ("/faq 第２表", "第2表"),
    ],
)
def test_clause_lookup(text: str, title_part: str) -> None:
    reply = ask(text)
    assert reply.kind == "faq"
    assert title_part in reply.title
    assert reply.lines and reply.sources


# --- the index: atomic build, staleness, corruption ----------------------------------------------


def test_build_is_atomic_and_current(tmp_path: Path) -> None:
    target = tmp_path / "x.faq-index.db"
    index.build(target)
    assert index.is_current(target)
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"
    with sqlite3.connect(target) as conn:
        assert conn.execute("select count(*) from entries").fetchone()[0] == len(load_entries())


def test_index_built_from_other_data_is_stale(tmp_path: Path) -> None:
    target = tmp_path / "x.faq-index.db"
    index.build(target, entries=load_entries()[:3])
    assert not index.is_current(target)
    index.ensure(target)
    assert index.is_current(target)


def test_corrupt_index_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "x.faq-index.db"
    target.write_bytes(b"this is not a database" * 100)
    index.ensure(target)
    assert index.is_current(target)


def test_a_reader_keeps_working_while_the_index_is_rebuilt(tmp_path: Path) -> None:
    target = index.build(tmp_path / "x.faq-index.db")
    reader = search.Searcher(target)
    index.build(target)  # replaced underneath an open reader
    assert reader.search("延滞利息の利率")
    reader.close()


# --- data lint --------------------------------------------------------------------------------


def test_faq_check_finds_no_problem() -> None:
    assert problems() == []


def test_search_from_many_threads_at_once() -> None:
    """The Slack app answers on a thread pool; SudachiPy tokenizers must not be shared."""
    from concurrent.futures import ThreadPoolExecutor

    questions = ["コンビニ払いの手数料は？", "延滞利息の利率", "トークンの値段", "解約したら返金ある？"] * 100
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(ask, questions))
    assert all(r.kind in {"faq", "unknown"} and r.error_id is None for r in replies)


@pytest.mark.parametrize(
    ("framed", "content"),
    [("それともPCにインストール？", {"pc", "インストール"}), ("挿したまま使う感じ？", {"挿す", "使う"})],
)
def test_how_a_question_is_put_is_not_what_it_asks(framed: str, content: set[str]) -> None:
    found = set(terms(framed))
    assert content <= found
    assert not found & {"其れ", "それ", "感じ"}


def test_a_word_no_entry_uses_weighs_half_unless_it_is_a_noun() -> None:
    """Manner words of the staff's own (全然, かなり) are not what is asked; an unseen noun is a
    sign of another topic and keeps its weight (UNSEEN_NOUN_PENALTY weighs it too)."""
    from faq.search import UNSEEN_OTHER_WEIGHT, searcher
    from faq.text import analyse

    current = searcher()
    text = "障害で全然使えない、お怒りです"
    words, nouns = analyse(text)
    weights = current.query(words, text, nouns).weights
    assert "全然" not in current.idf and "全然" not in nouns
    assert weights["全然"] == current.unseen_idf * UNSEEN_OTHER_WEIGHT
    assert "怒り" in nouns and weights["怒り"] == current.unseen_idf
    assert weights["障害"] == current.idf["障害"]
