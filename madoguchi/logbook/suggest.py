"""Group the questions madoguchi could not answer, and draft FAQ entries from the largest groups.

Grouping: each question becomes a set of content words — NFKC, the FAQ's curated synonyms
(``faq.text.canonical_text``, so クレカ and クレジットカード meet), SudachiPy normalised forms of
compound units (申込み/申し込み, 締切/締め切り meet) without particles, question words or the
redaction labels. Short units are left out on purpose: 請求書 and 領収書 would share 書.
Questions join the group whose leading question shares enough words (Dice coefficient ≥
``THRESHOLD``); a question without content words only groups with the same text. Biggest groups
first. The tokenizers are this module's own (one per thread), never the FAQ search's.

Drafts (``madoguchi report --suggest``) are TOML in the format of ``faq/data/*.toml``
(:class:`faq.models.FaqEntry`): ``question`` and ``paraphrases`` from the group; ``answer`` is
``TODO_ANSWER`` and ``source`` is left as a comment, for a person to fill in from the documents.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

from pydantic import Field

from calculators.common import Frozen
from madoguchi.logbook.redact import LABELS, tokenizer

THRESHOLD = 0.5
TODO_ANSWER = "TODO: 担当者が資料を確認して記入"
MAX_VARIANTS = 5

_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "接尾辞", "代名詞"}
_STOP_TEXT = (
    "為る 有る 居る 成る 出来る 在る 言う 良い いい 事 物 こと もの 様 方 件 場合 時 とき ため 何 どう どの "
    "どんな いつ どこ 誰 これ それ あれ この その 教える 知る 思う 分かる 解る 下さる 呉れる 貰う 頂く 致す "
    "申す 欲しい お ご 御 的 等 など 為 さん 様 是 其れ 此れ 何時 何処 可能 確認 問い合わせ 問合せ 質問 "
    "ちょっと 一寸 すみません 済みません 仕舞う 頂ける 貰える 呉れる 遣る"
)
_STOP = frozenset(_STOP_TEXT.split())
_LABEL = re.compile("|".join(re.escape(label) for label in LABELS.values()))
_TRIM = re.compile(r"[\s?？!！。．.、,，…~〜ー]+$")


class Cluster(Frozen):
    """Similar unanswered questions: the most asked wording, how often the group was asked, the
    other wordings (most asked first) and the last day one was asked."""

    text: str
    count: int = Field(ge=1)
    variants: tuple[str, ...] = ()
    last_day: date | None = None


def normalise(text: str) -> str:
    """The text as a key for "the same question": NFKC, case-folded, blanks folded, no end punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _TRIM.sub("", " ".join(folded.split()))


def question_terms(text: str) -> frozenset[str]:
    """Content words of a question (see the module docstring); empty if there are none."""
    try:
        from faq.text import canonical_text

        prepared = canonical_text(_LABEL.sub(" ", text)[:1000])
    except Exception:  # no synonym data: plain NFKC still groups
        prepared = unicodedata.normalize("NFKC", _LABEL.sub(" ", text)[:1000]).casefold()
    words: set[str] = set()
    try:
        for morpheme in tokenizer("C").tokenize(prepared):
            if morpheme.part_of_speech()[0] not in _CONTENT_POS:
                continue
            form = morpheme.normalized_form().casefold()
            if form.strip() and form not in _STOP:
                words.add(form)
    except Exception:  # no dictionary: character pairs are a blunt but usable stand-in
        chars = [c for c in prepared if c.isalnum()]
        words = {a + b for a, b in pairwise(chars)}
    return frozenset(words)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


class _Group:
    def __init__(self, terms: frozenset[str]) -> None:
        self.terms = terms
        self.wordings: Counter[str] = Counter()
        self.last_day: date | None = None

    def add(self, text: str, count: int, day: date | None) -> None:
        self.wordings[text] += count
        if day is not None and (self.last_day is None or day > self.last_day):
            self.last_day = day


def cluster(
    questions: Iterable[tuple[str, int, date | None]], *, threshold: float = THRESHOLD
) -> list[Cluster]:
    """Group ``(text, times asked, last day asked)`` rows; biggest group first (then most recent)."""
    same: dict[str, tuple[Counter[str], int, date | None]] = {}
    for text, count, day in questions:
        key = normalise(text)
        if not key:
            continue
        wordings, total, last = same.get(key, (Counter(), 0, None))
        wordings[text] += count
        newest = day if last is None or (day is not None and day > last) else last
        same[key] = (wordings, total + count, newest)

    order = sorted(same.items(), key=lambda item: (-item[1][1], item[0]))
    groups: list[_Group] = []
    by_term: dict[str, list[int]] = {}
    exact: dict[str, int] = {}
    for key, (wordings, _total, day) in order:
        terms = question_terms(key)
        best, best_score = None, 0.0
        if terms:
            candidates = {i for term in terms for i in by_term.get(term, ())}
            for index in sorted(candidates):
                score = _dice(terms, groups[index].terms)
                if score >= threshold and score > best_score:
                    best, best_score = index, score
        else:
            best = exact.get(key)
        if best is None:
            best = len(groups)
            groups.append(_Group(terms))
            if terms:
                for term in terms:
                    by_term.setdefault(term, []).append(best)
            else:
                exact[key] = best
        for text, count in wordings.items():
            groups[best].add(text, count, day)

    clusters = []
    for group in groups:
        ranked = sorted(
            group.wordings.items(), key=lambda item: (-item[1], _LABEL.search(item[0]) is not None)
        )
        texts = [text for text, _ in ranked]
        clusters.append(
            Cluster(
                text=texts[0],
                count=sum(group.wordings.values()),
                variants=tuple(texts[1 : 1 + MAX_VARIANTS]),
                last_day=group.last_day,
            )
        )
    clusters.sort(key=lambda c: (-c.count, -(c.last_day or date.min).toordinal(), c.text))
    return clusters


# --- drafts -----------------------------------------------------------------------------------------


def _keywords(text: str) -> str:
    """A keyword-only paraphrase (「領収書 発行」), as staff type into the search box."""
    try:
        words = [
            m.surface() if m.part_of_speech()[0] == "名詞" else m.dictionary_form()
            for m in tokenizer("C").tokenize(_LABEL.sub(" ", text))
            if m.part_of_speech()[0] in {"名詞", "動詞", "形容詞"} and m.normalized_form() not in _STOP
        ]
    except Exception:
        return ""
    return " ".join(dict.fromkeys(w for w in words if w.strip()))


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def draft_entries(
    clusters: Sequence[Cluster], *, today: date, limit: int = 10, since: date | None = None
) -> str:
    """TOML drafts for the ``limit`` biggest groups, in the FAQ data format, for a lead to review."""
    chosen = [c for c in clusters if c.count >= 1][:limit]
    period = f"{since.isoformat()} 以降" if since else "記録の全期間"
    lines = [
        f"# FAQ 下書き — madoguchi report --suggest（{today.isoformat()} 作成、{period}の未回答の質問から）",
        "# 回答（answer）と出典（source）は担当者が資料を確認して記入してください。",
        "# id・質問文・言い換えも見直し、個人情報のラベル（[氏名] など）は一般的な言い方に直してください。",
        "# 仕上げた項目は faq/data/ の該当ファイルに移し、madoguchi faq check で確認します。",
        "",
    ]
    if not chosen:
        lines.append("# 未回答の質問はありません。")
        return "\n".join(lines) + "\n"
    for number, group in enumerate(chosen, start=1):
        question = group.text.strip()
        paraphrases = [v.strip() for v in group.variants if v.strip() and v.strip() != question]
        keywords = _keywords(question)
        if keywords and len(keywords.split()) >= 2 and keywords not in paraphrases and keywords != question:
            paraphrases.append(keywords)
        paraphrases = list(dict.fromkeys(paraphrases))
        lines += [
            f"# 未回答 {group.count} 件"
            + (f"（最終 {group.last_day.isoformat()}）" if group.last_day else ""),
            "[[entries]]",
            f'id = "draft-{today:%Y%m%d}-{number:02d}"',
            f"question = {_string(question)}",
            "paraphrases = [",
            *(f"  {_string(p)}," for p in paraphrases),
            "]",
        ]
        if len(paraphrases) < 3:
            lines.append(f"# TODO: 言い換えをあと {3 - len(paraphrases)} 件以上追加（3 件以上必要）")
        if len(question) < 4:
            lines.append("# TODO: 質問文を 4 文字以上の文に")
        lines += [
            f"answer = {_string(TODO_ANSWER)}",
            '# source = { doc = "", section = "", heading = "", quote = "" }  # TODO: 担当者が記入（doc は occto / hpki / auth）',
            'tags = ["下書き"]',
            "",
        ]
    return "\n".join(lines)
