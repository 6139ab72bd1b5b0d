"""Japanese text for search: NFKC, curated synonyms, SudachiPy normalised forms, content words only.

SudachiPy's ``normalized_form`` makes spelling variants meet (申込み/申し込み, 引落し/引き落とし); the
curated synonym groups (``faq/data/synonyms.toml``) make different words for one thing meet
(調剤薬局/保険薬局, クレカ/クレジットカード). Both the index and the query go through ``terms``.
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from functools import cache
from importlib import resources
from typing import NamedTuple

from pydantic import Field

from calculators.common import Frozen

# Parts of speech that carry meaning; particles, auxiliaries, symbols and blanks are dropped.
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "接尾辞", "連体詞", "代名詞"}
# Words too common in questions to tell entries apart. Interrogatives that say what kind of
# answer is wanted (いつ, どこ, 誰) are kept; bare numbers are dropped (figures go to calculators).
_STOP = {
    # Who is asking is not what is asked: 「お客さんが〜と言っている」 is a question about 〜.
    # Listed as SudachiPy normalises them (お客様 → 御客様, お客 → 御客; お客さん stays); 相談 frames a
    # question and is in no document.
    "客",
    "御客",
    "お客さん",
    "御客様",
    "顧客",
    "相談",
    "先方",
    "聞く",
    "訊く",
    "尋ねる",
    "申す",
    "仰る",
    "為る",
    "遣る",
    "有る",
    "或る",  # 「あるサービス」 (a certain …) normalises so: no topic
    "居る",
    "成る",
    "出来る",
    "在る",
    "言う",
    "良い",
    "いい",
    "こと",
    "もの",
    "事",
    "物",
    "よう",
    "様",
    "場合",
    "何",
    "どう",
    "どの",
    "どんな",
    "どういう",
    "どれ",
    "どっち",
    "どちら",
    "此れ",  # これ, それ, あれ as SudachiPy normalises them (それとも → 其れ + とも)
    "其れ",
    "彼れ",
    "奴",  # 〜するやつ: the thing meant, said casually
    "感じ",  # 〜で使う感じ？: how it is asked, not what
    "この",  # as typed and as SudachiPy normalises them (この → 此の, その → 其の)
    "その",
    "此の",
    "其の",
    "あの",
    "此方",  # こっち, こちら; そっち, そちら; あっち, あちら
    "其方",
    "彼方",
    "此処",  # ここ, そこ, あそこ
    "其処",
    "彼処",
    "為",  # ため as SudachiPy normalises it
    "ため",
    "とき",
    "時",
    "方",
    "ください",
    "下さる",
    "教える",
    "知る",
    "思う",
    "分かる",
    "わかる",
    "お",
    "ご",
    "御",
    "なる",
    "くる",
    "来る",
    "行く",  # 〜ていく, 〜なければいけない (SudachiPy: 行く)
    "いる",
    "ある",
    "する",
    "できる",
    "的",
    "等",
    "など",
    "について",
    "関する",
    "ちゃう",
    "欲しい",
    "たい",
    "さん",
}
# English function words in a question typed in English or half in English (「IDのproration」): matched
# on the word as typed (SudachiPy reads "the" as ザ). What is asked is in the synonym groups' English
# variants (fee, refund, deadline …), which become the documents' words before analysis.
_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "can",
        "could",
        "may",
        "might",
        "i",
        "we",
        "you",
        "it",
        "they",
        "he",
        "she",
        "my",
        "our",
        "your",
        "their",
        "this",
        "that",
        "these",
        "those",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "about",
        "if",
        "and",
        "or",
        "what",
        "which",
        "how",
        "much",
        "many",
        "there",
        "any",
        "some",
        "get",
        "got",
        "have",
        "has",
        "please",
        "tell",
        "me",
        "us",
        "should",
        "would",
        "will",
        "want",
        "need",
        "way",
        "know",
        "ask",
        "asked",
        "customer",
        "says",
        "said",
    ]
)
_WORD = re.compile(r"[0-9A-Za-z]+|[^\s0-9A-Za-z]")


class SynonymGroup(Frozen):
    canonical: str = Field(min_length=1)
    variants: tuple[str, ...] = Field(min_length=1)


class SynonymFile(Frozen):
    groups: tuple[SynonymGroup, ...]


@cache
def synonym_groups() -> tuple[SynonymGroup, ...]:
    text = resources.files("faq.data").joinpath("synonyms.toml").read_text(encoding="utf-8")
    return SynonymFile.model_validate(tomllib.loads(text)).groups


@cache
def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for group in synonym_groups():
        for variant in (*group.variants, group.canonical):
            key = unicodedata.normalize("NFKC", variant).casefold()
            mapping.setdefault(key, unicodedata.normalize("NFKC", group.canonical).casefold())
    words = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), mapping


def _replace(match: re.Match[str], mapping: dict[str, str]) -> str:
    """The canonical word for a variant found, except that a variant in Latin letters is a whole
    word only: DL is not the dl of "deadline", UT not the ut of "but". (Checked here rather than
    with lookarounds in the pattern, which made every question's canonical_text six times slower.)"""
    found, text = match.group(0), match.string
    if found.isascii():
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (found[0].isalpha() and "a" <= before <= "z") or (found[-1].isalpha() and "a" <= after <= "z"):
            return found
    return f" {mapping[found]} "


# Who is calling is not what is asked: 「解約したいって医院から。」「病院さんから電話」「…って病院さん。」.
# A facility named as the one asking (から/より after it, or さん/様 ending a phrase) is dropped, a
# medical one for the service it implies (HPKI); 「病院の年額」「病院さんに請求書」 are kept.
_ASKER = re.compile(
    r"(?P<who>病院|医院|クリニック|診療所|薬局|施設|事業者|会社)"
    r"(?:(?:さん|様)?(?:から|より)(?=[\s、。,.!?！？]|$|電話|連絡|問い?合わ?せ|の(?:電話|連絡|問い?合わ?せ))"
    r"|(?:さん|様)(?=[\s、。,.!?！？]|$))"
)


# ... or after what it says: 「はっきり解約したいって言ってる診療所、」
_SAYING_ASKER = re.compile(
    r"(?<=って)(?:言|い)って(?:いる|る|ます|きた|きている|きてる)(?P<who>病院|医院|クリニック|診療所|薬局|施設|事業者|会社)"
    r"(?:さん|様)?"
)


def _asker(match: re.Match[str]) -> str:
    """What is kept of the one asking: a medical facility still says the question is about HPKI."""
    return " hpki " if match.group("who") in _MEDICAL else " "


_MEDICAL = frozenset({"病院", "医院", "クリニック", "診療所", "薬局"})


def canonical_text(text: str) -> str:
    """NFKC, case-folded, each synonym variant replaced by its group's canonical word (longest first),
    a facility named as the one asking (:data:`_ASKER`) left out."""
    folded = _ASKER.sub(_asker, unicodedata.normalize("NFKC", text).casefold())
    folded = _SAYING_ASKER.sub(_asker, folded)
    pattern, mapping = _synonym_pattern()
    return pattern.sub(lambda m: _replace(m, mapping), folded)


_local = threading.local()


@cache
def _dictionary() -> object:
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def _tokenizers() -> tuple[object, object]:
    """This thread's (short-unit, compound) tokenizers: a SudachiPy tokenizer may not be used by
    two threads at once ("Tokenizer is already in use"), the dictionary may be shared."""
    pair = getattr(_local, "tokenizers", None)
    if pair is None:
        from sudachipy import SplitMode

        dictionary = _dictionary()
        pair = (dictionary.tokenizer(mode=SplitMode.A), dictionary.tokenizer(mode=SplitMode.C))  # type: ignore[attr-defined]
        _local.tokenizers = pair
    return pair


def _tokens(text: str, *, compound: bool, nouns: set[str] | None = None) -> list[str]:
    """Normalised forms of the content words; the nouns among them are also added to ``nouns``."""
    short, long = _tokenizers()
    tokenizer = long if compound else short
    out: list[str] = []
    for morpheme in tokenizer.tokenize(text):  # type: ignore[attr-defined]
        pos = morpheme.part_of_speech()
        # an auxiliary's stem (〜そうです, 〜ようだ, 〜みたい) says how, not what
        if pos[0] not in _CONTENT_POS or pos[1] == "助動詞語幹":
            continue
        form = morpheme.normalized_form().casefold()
        if form in _STOP or not form.strip() or form.isdigit() or morpheme.surface().casefold() in _EN_STOP:
            continue
        out.append(form)
        if nouns is not None and pos[0] == "名詞" and pos[1] not in _NOT_TOPIC_NOUNS and len(form) >= 2:
            nouns.add(form)
    return out


_NOT_TOPIC_NOUNS = {"数詞", "助動詞語幹"}


def analyse(text: str) -> tuple[list[str], set[str]]:
    """``(terms(text), nouns)`` in one pass. The nouns (short units, two characters or more) name
    what a question is about: one the FAQ has never seen (Windows, 補助金, 失効) usually means the
    question is about something the documents do not cover."""
    canonical = canonical_text(text[:1000])
    found: set[str] = set()
    seen: dict[str, None] = {}
    for token in (*_tokens(canonical, compound=False, nouns=found), *_tokens(canonical, compound=True)):
        seen.setdefault(token, None)
    return list(seen), found


def terms(text: str) -> list[str]:
    """Search terms of ``text``: short-unit and compound normalised forms of content words, in order,
    without repeats. Long inputs are cut to 1,000 characters (a question is never longer)."""
    return analyse(text)[0]


def morpheme_count(text: str) -> int:
    """How many dictionary words (compound units) ``text`` is made of: a typo (延体利息) breaks into
    more pieces than the word it stands for (延滞利息), a real word of its own (運用停止) does not."""
    _, long = _tokenizers()
    return len(long.tokenize(text))  # type: ignore[attr-defined]


def in_dictionary(text: str) -> bool:
    """Whether every piece of ``text`` is a dictionary word: a katakana typo (トークソ for トークン)
    is one piece, as many as the word it stands for, but one the dictionary does not know."""
    _, long = _tokenizers()
    return not any(m.is_oov() for m in long.tokenize(text))  # type: ignore[attr-defined]


def reading(text: str) -> str:
    """How ``text`` is read, in katakana (解約 → カイヤク, 支払期限 → シハライキゲン), from the
    dictionary's readings of its compound units."""
    _, long = _tokenizers()
    return "".join(m.reading_form() for m in long.tokenize(text))  # type: ignore[attr-defined]


class Unit(NamedTuple):
    """One compound-mode dictionary word of a text: as typed, its normalised form, how it is read,
    and the first level of its part of speech (名詞, 助詞 …)."""

    surface: str
    form: str
    reading: str
    pos: str

    @property
    def content(self) -> bool:
        """Whether the word carries meaning (a content part of speech)."""
        return self.pos in _CONTENT_POS


def units(text: str) -> list[Unit]:
    """``text``'s compound-mode dictionary words, in order."""
    _, long = _tokenizers()
    return [
        Unit(
            surface=m.surface(), form=m.normalized_form(), reading=m.reading_form(), pos=m.part_of_speech()[0]
        )
        for m in long.tokenize(text)  # type: ignore[attr-defined]
    ]


def katakana(text: str) -> str:
    """Hiragana in ``text`` written as katakana (めもり → メモリ); other characters kept."""
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)


def warm() -> None:
    """Load the dictionary now (about 0.2 s) rather than on the first question."""
    terms("申込み")
