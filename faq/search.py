"""FAQ search: a question → the best curated entry with a confidence, or "unknown" with suggestions.

Candidates come from the SQLite FTS5 index (user text reaches FTS5 only as quoted terms) and from
the entries whose phrasings mean the closest to the question (:mod:`faq.semantic`); they are
ranked by a blend of how much of the question's weighted terms each entry covers and that
sentence similarity. An answer is given only when confident (:meth:`Searcher.confident`): a wrong
confident answer is worse than "unknown".

The open index follows the file on disk: rebuilt by ``madoguchi faq build`` (a new file renamed into
place) it is reopened, deleted it is rebuilt, and a query that fails because the file went bad
rebuilds it and asks again (one warning each), so the FAQ keeps answering through such faults.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import math
import os
import re
import sqlite3
import threading
import time
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from calculators.common import Citation
from faq import index, semantic
from faq.facets import (
    Facets,
    answered_types,
    asked_types,
    broader,
    conflicts,
    document_terms,
    question_facets,
)
from faq.text import analyse, in_dictionary, katakana, morpheme_count, reading, synonym_groups, terms, units

THRESHOLD = 0.5
"""The blended score (:data:`SEMANTIC_WEIGHT`) at which an answer is confident."""
SEMANTIC_WEIGHT = 0.2
"""Share of the sentence similarity in the blended score (the rest is the word score): the words
decide between entries on the same topic (the CD-R price or the DL price), the meaning lifts a
question in the staff member's own words that shares few of them."""
AGREE_WORDS = 0.3
AGREE_MEANING = 0.5
"""A top entry below the threshold is still confident when the word score and the sentence
similarity, two independent readings, both rank it first and reach these floors: on the sets of
``eval/`` most questions answered wrongly or out of scope fail one of the three."""
SEMANTIC_CANDIDATES = 8
"""Entries added to the word candidates from the closest in meaning."""
MEANING_SPREAD = 0.5
"""How far apart the similarities of two candidates are taken to be at most when deciding to skip
the model (:meth:`Searcher._meaning_matters`); the bound is 1. With 0.5 the model runs for 240 of
588 eval/ questions instead of 325, and no answer on eval/ changes."""
COVERAGE_WEIGHT = 0.7
RAREST_UNCOVERED_PENALTY = 0.85
SUGGEST_FLOOR = 0.18
CANDIDATES = 60
FTS_TERMS = 5
FTS_MIN_WEIGHT = 1.8
"""Beside the question's most distinctive word, only words in fewer than about one entry in six
(weight log((n+1)/(df+0.5)) ≥ 1.8) go to FTS5: 料金 and 利用 match most rows, and bm25 sorting them
was most of a slow question's time (the entries close in meaning are candidates anyway). On eval/
no answer changed; at 1,000 entries p99 went 9.5 → 6.4 ms."""
FACET_CONFLICT_PENALTY = 0.6
"""Per facet on which an entry is about a sibling of what was asked (:mod:`faq.facets`)."""
DOCUMENT_CONFLICT_PENALTY = 0.5
"""When the question names one service and the entry is from another document: stronger than a
sibling medium, since another service's rule (the user authentication terms' 14.5 % late interest
for 「HPKIの延滞金」) stated as the named service's is a confident wrong answer."""
UNSEEN_NOUN_PENALTY = 0.8
"""Per noun of the question (two at most) the FAQ has never seen: 補助金, Windows, ガス代 are signs of
another topic. (Unseen words of other kinds, and the coverage above, weigh staff's own wording.)"""
UNSEEN_OTHER_WEIGHT = 0.5
"""The share of the weight of the rarest word that a word no entry uses counts with when it is no
noun: a verb or adverb of the staff's own (全然, かなり, 通らない) is manner, not topic,
and weighed in full it drowned the words that say what is asked. Unseen nouns keep their weight."""
BROADER_PENALTY = 0.9
"""Per facet on which the entry names the asked value among others (an overview, not the specific
answer): mild, so that an overview still answers when no specific entry fits."""
FOREIGN_TOPIC_PENALTY = 0.6
"""Factor on the best entry's word score, for confidence only, when the question names one service and
its most distinctive word is in none of that service's entries but in another document's answers
(:attr:`_Query.foreign`). On eval/ it marks 25 questions out of scope and 6 documented ones, none of
which it turns to unknown."""
ANSWER_TYPE_PENALTY = 0.75
"""When the question asks for a kind of answer (an amount) that the entry's answer does not give."""
AMBIGUITY_RATIO = 0.8
"""An answer from another document scoring at least this share of the best is shown beside it
(:func:`other_reading`)."""
TYPO_MIN_LENGTH = 3
"""Shortest known word a one-character typo is corrected towards (two-character words are too
close to one another: 解約/解除, 期限/期間)."""
# A homophone (:meth:`Searcher._homophones`) is read in three kana or more (キゲン, not カイ) and
# typed as two or three dictionary words (市 + 払い, 書き + 混み).
HOMOPHONE_MIN_READING = 3
HOMOPHONE_WORDS = 3
_HIRAGANA = re.compile(r"[\u3041-\u3096\u30fc]{3,}")
"""A run of three or more hiragana: a word typed without converting it (かいやく, めもり)."""
_KANJI = re.compile(r"[\u4e00-\u9fff\u3005]")
_KANJI_KATAKANA = re.compile(r"[\u4e00-\u9fff\u3005\u30a1-\u30fa\u30fc]+")
UNCONVERTED_PIECE = 4
"""Shortest piece of a longer hiragana run read as a known word (:meth:`Searcher._unconverted`):
shorter pieces (しよう, かかく) too often are the run's own words."""
CHECK_EVERY = 1.0
"""Seconds between checks that the index file on disk is still the one open."""

log = logging.getLogger("madoguchi.faq")


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: str
    question: str
    answer: str
    source: Citation
    calculator: str | None
    score: float
    read_as: tuple[tuple[str, str], ...] = ()
    """Typos corrected before the search, as (typed, read as) pairs (:meth:`Searcher.correct`)."""
    confident: bool = False
    """Whether this hit answers the question (:meth:`Searcher.confident`); the best hit only."""


@dataclass(frozen=True, slots=True)
class _Entry:
    question: str
    answer: str
    source: Citation
    calculator: str | None
    question_terms: frozenset[str]
    answer_terms: frozenset[str]
    phrasings: tuple[frozenset[str], ...]
    phrasing_weights: tuple[float, ...] = ()
    """The summed term weight of each phrasing (fixed once the index is loaded)."""
    facets: Facets = dataclasses.field(default_factory=dict)
    answers: frozenset[str] = frozenset()
    """The answer types the answer gives (:func:`faq.facets.answered_types`)."""
    names: frozenset[str] = frozenset()
    """Terms of the names of the entry's service (:func:`faq.facets.document_terms`): a question
    naming the service (「利用者認証サービスの」) says which document it means, not what it asks,
    so every entry of that document covers those words."""


@dataclass(frozen=True, slots=True)
class _Query:
    """What :meth:`Searcher.score` needs of a question, worked out once for all its candidates."""

    words: list[str]
    terms: set[str]
    weights: dict[str, float]
    """The weight of each of the question's terms (every set the score sums is a subset of them)."""
    total: float
    rarest: str | None
    facets: Facets = dataclasses.field(default_factory=dict)
    """The facet values the question names, other than the service (document) it names."""
    services: Facets = dataclasses.field(default_factory=dict)
    """The ``document`` facet, when the question names a service."""
    asks: frozenset[str] = frozenset()
    unseen: int = 0
    foreign: bool = False
    """The question names one service, and its most distinctive word is in no entry of that
    service's document (only in another's): 「HPKIの証明書の有効期間」 asks what the HPKI notice does
    not state (the validity is the OCCTO notice's)."""


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH expression that ORs the words, each as a quoted string (quotes doubled), so
    no user text is ever read as FTS5 syntax (AND, NEAR, *, -, :, ^, parentheses)."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


@cache
def _out_of_scope_data() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(
        resources.files("faq.data").joinpath("out_of_scope.toml").read_text(encoding="utf-8")
    )
    return {key: tuple(unicodedata.normalize("NFKC", t).casefold() for t in data[key]) for key in data}


def out_of_scope_terms() -> tuple[str, ...]:
    """Topics no document covers (SSL, HPKIカードの発行, 天気 …): a question naming one is unknown."""
    return _out_of_scope_data()["terms"]


def unstated_aspects() -> tuple[str, ...]:
    """Aspects of documented things no document states (送料, 在庫, JCB …)."""
    return _out_of_scope_data()["aspects"]


def _mentions_out_of_scope(text: str) -> bool:
    return _mentions(text, out_of_scope_terms())


def _mentions(text: str, listed: tuple[str, ...]) -> bool:
    """Whether ``text`` (NFKC, case-folded) names one of ``listed``; a term in Latin letters as a
    whole word only (SSL, not the ssl of a longer word)."""
    return _listed_pattern(listed).search(unicodedata.normalize("NFKC", text).casefold()) is not None


@cache
def _listed_pattern(listed: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list (every question is checked against two: one search, not a search per term)."""
    alternatives = [rf"(?<![a-z]){re.escape(t)}(?![a-z])" if t.isascii() else re.escape(t) for t in listed]
    return re.compile("|".join(alternatives) or "(?!)")  # an empty list names nothing


@cache
def _service_names() -> frozenset[str]:
    """Terms that name one of the services (NTTコミュニケーションズ): never a sign of another topic."""
    return frozenset().union(*document_terms().values())


class Searcher:
    """An open index: entries and term weights in memory, FTS5 for candidates.

    Thread-safe: each thread queries through its own read-only connection. (One shared connection
    behind a lock made FAQ answers queue up under load: SQLite lets go of the GIL during a query, so
    the thread holding the lock then had to win the GIL back while every other FAQ question waited
    on the lock; ``bench/http_load.py --command /faq``.)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity = _identity(path)
        self._uri = f"{path.resolve().as_uri()}?mode=ro"
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._closed = False
        semantic.start()  # loads beside the index and the analyser; the first question waits for it
        conn = self._connection()
        self.entries: dict[str, _Entry] = {}
        phrasings: dict[str, list[frozenset[str]]] = {}
        for entry_id, field, text in conn.execute("select entry_id, field, terms from texts"):
            if field != "answer":
                phrasings.setdefault(entry_id, []).append(frozenset(text.split()))
        rows = conn.execute(
            "select id, question, answer, source, calculator, question_terms, answer_terms, facets from entries"
        )
        for entry_id, question, answer, source, calculator, q_terms, a_terms, facets in rows:
            self.entries[entry_id] = _Entry(
                question,
                answer,
                Citation.model_validate_json(source),
                calculator,
                frozenset(q_terms.split()),
                frozenset(a_terms.split()),
                tuple(phrasings.get(entry_id, ())),
                facets={name: frozenset(values) for name, values in json.loads(facets).items()},
                names=document_terms().get(Citation.model_validate_json(source).doc, frozenset()),
                answers=answered_types(answer),
            )
        df: dict[str, int] = {}
        for entry in self.entries.values():
            for term in entry.question_terms | entry.answer_terms:
                df[term] = df.get(term, 0) + 1
        n = len(self.entries)
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        self.unseen_idf = math.log((n + 1) / 0.5)
        for entry_id, entry in self.entries.items():
            weights = tuple(sum(self.weight(t) for t in phrasing) for phrasing in entry.phrasings)
            self.entries[entry_id] = dataclasses.replace(entry, phrasing_weights=weights)
        self._load_vectors(conn)

    def _load_vectors(self, conn: sqlite3.Connection) -> None:
        """The entries' sentence vectors (none in an index built without the model: search then
        goes by words alone)."""
        try:
            rows = conn.execute("select entry_id, vector from vectors order by rowid").fetchall()
        except sqlite3.OperationalError:
            rows = []
        rows = [(entry_id, blob) for entry_id, blob in rows if entry_id in self.entries]
        self._vector_ids = [entry_id for entry_id, _ in rows]
        self._vector_index = {entry_id: i for i, entry_id in enumerate(self._vector_ids)}
        self._vectors = semantic.from_blobs([blob for _, blob in rows])

    def similarities(self, text: str) -> dict[str, float]:
        """Each entry's sentence similarity to ``text``: the cosine to the mean of its phrasings'
        vectors (:func:`faq.index._vector_rows`), in [-1, 1]. Empty when the index has no vectors
        or the model is unavailable."""
        closeness = self._closeness(text)
        if closeness is None:
            return {}
        return dict(zip(self._vector_ids, closeness.tolist(), strict=True))

    def _closeness(self, text: str) -> np.ndarray | None:
        """:meth:`similarities` as an array in the order of ``_vector_ids``, or None."""
        if not self._vector_ids:
            return None
        vectors = semantic.encode([text])
        if vectors is None:
            return None
        return self._vectors @ vectors[0]

    def _by_words(self, entry_ids: list[str], query: _Query) -> tuple[dict[str, float], dict[str, float]]:
        """The word score (:meth:`score`) and the conflict factor (:meth:`conflict`) of each entry."""
        conflict = {e: self.conflict(self.entries[e], query) for e in entry_ids}
        scores = {
            e: self.coverage(self.entries[e], query) * self.penalty(self.entries[e], query) * conflict[e]
            for e in entry_ids
        }
        return scores, conflict

    @staticmethod
    def _meaning_matters(by_words: dict[str, float]) -> bool:
        """Whether the sentence similarity (in [0, 1] after clipping) could change which candidate
        is first or whether it is confident, so that the model is run only then (it is most of a
        question's CPU time): not when the best word score is below what any blend needs to be
        confident, nor when it is confident alone and ahead of the second by more than the meaning
        makes up in practice (:data:`MEANING_SPREAD`). (Entries that only the meaning would add are
        not scored here: they share no distinctive word with the question.)"""
        if not by_words:
            return True
        top, second = ([*sorted(by_words.values(), reverse=True), 0.0])[:2]
        words_share = 1 - SEMANTIC_WEIGHT
        if top < min(AGREE_WORDS, (THRESHOLD - SEMANTIC_WEIGHT) / words_share):
            return False
        ahead = words_share * (top - second) > SEMANTIC_WEIGHT * MEANING_SPREAD
        return not (words_share * top >= THRESHOLD and ahead)

    def _closest(self, closeness: np.ndarray, count: int) -> list[str]:
        """The ``count`` entries closest in meaning, closest first (no full sort of all entries)."""
        count = min(count, len(closeness))
        if count == 0:
            return []
        top = np.argpartition(-closeness, count - 1)[:count]
        return [self._vector_ids[i] for i in top[np.argsort(-closeness[top], kind="stable")]]

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the index, opened on its first query."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            with self._connections_lock:
                if self._closed:
                    conn.close()
                    raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    @functools.cached_property
    def _known_words(self) -> frozenset[str]:
        """The index's terms and the curated synonyms' words (延滞利息 is two terms, one synonym)."""
        synonyms = {
            unicodedata.normalize("NFKC", w) for g in synonym_groups() for w in (g.canonical, *g.variants)
        }
        return frozenset(self.idf) | synonyms

    @functools.cached_property
    def _near_words(self) -> dict[int, dict[str, str | None]]:
        """Length → wildcard key (one character replaced by ``?``) → the word it comes from, or
        None when two words share the key. Words: the known words of three or more characters
        written in kanji or katakana only (no okurigana, so no verb forms: 分かる is not 掛かる)."""
        keys: dict[int, dict[str, str | None]] = {}
        for word in self._known_words:
            if len(word) < TYPO_MIN_LENGTH or not _KANJI_KATAKANA.fullmatch(word):
                continue
            table = keys.setdefault(len(word), {})
            for i in range(len(word)):
                key = word[:i] + "?" + word[i + 1 :]
                table[key] = None if key in table and table[key] != word else word
        return keys

    @functools.cached_property
    def _readings(self) -> dict[str, str | None]:
        """Katakana reading → the known word (two characters or more, in kanji or katakana) read
        so, or None when two known words are read alike."""
        found: dict[str, str | None] = {}
        for word, key in self._word_readings.items():
            if not _KANJI_KATAKANA.fullmatch(word):
                continue
            found[key] = None if key in found and found[key] != word else word
        return found

    @functools.cached_property
    def _word_readings(self) -> dict[str, str]:
        """Each known word of two characters or more not in Latin letters → its katakana reading
        (:attr:`_readings` and :attr:`_sounds` are both made from it)."""
        return {w: reading(w) for w in self._known_words if len(w) >= 2 and not w.isascii()}

    def _unconverted(self, text: str) -> list[tuple[str, str]]:
        """Known words typed in hiragana without conversion (かいやく → 解約, しはらいきげん →
        支払期限, めもり → メモリ), found in runs of hiragana that give a term the FAQ does not know
        (so never a run that is FAQ wording as typed; Sudachi reads めもり as 目盛り): the run itself
        or the run without the particles around it, else the longest pieces of four or more kana
        (したとーくんが → とーくん), each the reading of exactly one known word."""
        fixes: list[tuple[str, str]] = []
        for run in _HIRAGANA.finditer(text):
            whole = run.group(0)
            found = self._read_in(whole)
            # the dictionary lookups first: Sudachi is run on the few runs that read as a known word
            if found and not all(t in self.idf for t in terms(whole)):
                fixes += found
        return fixes

    def _read_in(self, run: str) -> list[tuple[str, str]]:
        """The known words ``run`` reads as (:meth:`_unconverted`), as (typed, known word) pairs."""
        readings = self._readings
        for typed in _without_particles(run):
            if meant := readings.get(katakana(typed)):
                return [(typed, meant)]
        kana = katakana(run)  # katakana() is character by character: its slices are the run's
        found: list[tuple[str, str]] = []
        start = 0
        while start <= len(run) - UNCONVERTED_PIECE:
            for end in range(len(run), start + UNCONVERTED_PIECE - 1, -1):
                if meant := readings.get(kana[start:end]):
                    found.append((run[start:end], meant))
                    start = end
                    break
            else:
                start += 1
        return found

    def convert(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` (NFKC) with the known words typed in hiragana converted (:meth:`_unconverted`),
        and the conversions made. Done before any search, unlike :meth:`correct`: a run of hiragana
        that is no FAQ wording but reads as exactly one known word is that word (as typed,
        「利用者認証 かいやく」 is read かう + やく, and only 利用者認証 is left to match)."""
        folded = unicodedata.normalize("NFKC", text[:1000])
        fixes = self._unconverted(folded)
        for typed, meant in fixes:
            folded = folded.replace(typed, meant)
        return folded, tuple(fixes)

    def correct(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with typos of one character in a known word put right (延体利息 → 延滞利息,
        the IME's wrong kanji), and the corrections made. Only a whole run of kanji or katakana (a
        window inside a longer run would turn 新規申請 into 新再申請) that is not itself a known
        word, is one character from exactly one known word, and breaks into more dictionary words
        than that word or is no dictionary word at all (トークソ; so is no word of its own: 運用停止
        stays) is corrected. A katakana word known with or without a long vowel at its end is
        read as the known one (メモリー → メモリ)."""
        folded = unicodedata.normalize("NFKC", text[:1000])
        near = self._near_words
        fixes: list[tuple[str, str]] = []
        for run in _KANJI_KATAKANA.finditer(folded):
            typed = run.group(0)
            if typed in self._known_words:
                continue
            # the long vowel at the end of a katakana word is written or not (メモリー, メモリ)
            if (
                other := typed.removesuffix("ー") if typed.endswith("ー") else typed + "ー"
            ) in self._known_words:
                fixes.append((typed, other))
                continue
            if len(typed) not in near:
                continue
            # 何 asks (何単位, 何年): it is never a slip for another character (何単位 is not 月単位)
            found = {
                near[len(typed)].get(typed[:i] + "?" + typed[i + 1 :])
                for i in range(len(typed))
                if typed[i] != "何"
            }
            found.discard(None)
            if len(found) == 1 and (
                morpheme_count(typed) > morpheme_count(meant := found.pop()) or not in_dictionary(typed)
            ):
                fixes.append((typed, meant))
        for typed, meant in fixes:
            folded = folded.replace(typed, meant)
        homophones = self._homophones(folded)
        for typed, meant in homophones:
            folded = folded.replace(typed, meant)
        return folded, (*fixes, *homophones)

    @functools.cached_property
    def _sounds(self) -> dict[str, str | None]:
        """Katakana reading (three kana or more) → a known word read so (two characters or more,
        any script: 支払い, 書き込み), or None when words read alike mean different things (不通 and
        普通; spelling variants of one word, 振込/振り込み, are one)."""
        found: dict[str, str | None] = {}
        for word, key in sorted(self._word_readings.items()):
            if len(key) < HOMOPHONE_MIN_READING:
                continue
            if key not in found:
                found[key] = word
            elif (other := found[key]) is not None and terms(other) != terms(word):
                found[key] = None
        return found

    def _homophones(self, text: str) -> list[tuple[str, str]]:
        """Words the IME converted to the wrong kanji (解薬 for 解約, 書き混み for 書き込み, 市払い for
        支払い): two or three adjacent content words with a kanji among them, at least one not in
        the index and together no known word, read exactly as one known word (:attr:`_sounds`) that
        is fewer dictionary words. A single word read as a known one is a word of its own (自体 is
        not 事態, 保証 not 保障, 有床 not 有償) and is left as typed, even the 機嫌 of 支払い機嫌."""
        pieces = units(text)
        sounds, fixes = self._sounds, []
        start = 0
        while start < len(pieces):
            for end in range(min(len(pieces), start + HOMOPHONE_WORDS), start + 1, -1):
                window = pieces[start:end]
                typed = "".join(u.surface for u in window)
                if (
                    all(u.content for u in window)
                    and _KANJI.search(typed)
                    and any(u.form.casefold() not in self.idf for u in window)
                    and typed not in self._known_words
                    and (meant := sounds.get("".join(u.reading for u in window)))
                    and meant != typed
                    and morpheme_count(meant) < len(window)
                ):
                    fixes.append((typed, meant))
                    start = end
                    break
            else:
                start += 1
        return fixes

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def _candidates(self, words: list[str]) -> list[str]:
        # Only the most distinctive words go to FTS5 (:data:`FTS_MIN_WEIGHT`): common ones (料金, 利用)
        # match most rows and would make bm25 sort thousands of them, while the re-ranking below
        # weighs every word anyway.
        known = sorted((w for w in words if w in self.idf), key=self.weight, reverse=True)[:FTS_TERMS]
        if not known:
            return []
        known = known[:1] + [w for w in known[1:] if self.weight(w) >= FTS_MIN_WEIGHT]
        sql = (
            "select texts.entry_id from texts_fts join texts on texts.rowid = texts_fts.rowid "
            "where texts_fts match ? order by bm25(texts_fts) limit ?"
        )
        rows = self._connection().execute(sql, (fts_query(known), CANDIDATES)).fetchall()
        # ids this searcher does not know come from a newer file opened by a new thread's connection
        # (the index was rebuilt meanwhile); the next searcher() call opens the new index
        return [entry_id for entry_id in dict.fromkeys(r[0] for r in rows) if entry_id in self.entries]

    def query(self, words: list[str], text: str = "", nouns: set[str] | None = None) -> _Query:
        """What scoring needs of a question with these terms; ``text`` (the question itself) adds
        the facets it names and the answer types it asks for, ``nouns`` its nouns (:func:`analyse`)."""
        facets = question_facets(text) if text else {}
        services = {name: values for name, values in facets.items() if name == "document"}
        # a service's name says which document is meant, never what is asked (every entry of that
        # document covers it through its names): it is not the question's most distinctive word
        known = [w for w in words if w in self.idf and w not in _service_names()]
        rarest = max(known, key=self.weight) if known else None
        named = nouns or set()
        weights = {
            w: self.weight(w) if w in self.idf or w in named else self.unseen_idf * UNSEEN_OTHER_WEIGHT
            for w in words
        }
        return _Query(
            words=words,
            terms=set(words),
            weights=weights,
            total=sum(weights.values()),
            rarest=rarest,
            facets={name: values for name, values in facets.items() if name not in services},
            services=services,
            asks=asked_types(text) if text else frozenset(),
            unseen=sum(1 for n in nouns or () if n not in self.idf and n not in _service_names()),
            foreign=self._foreign(rarest, services),
        )

    def _foreign(self, rarest: str | None, services: Facets) -> bool:
        """Whether ``rarest`` (the question's most distinctive word) is foreign to the one service
        the question names: in none of its entries, yet in another document's answers (the
        staff's words of phrasings alone do not count: 電話 in 「電話で解約できる？」 is no rule)."""
        named = services.get("document", frozenset())
        if rarest is None or len(named) != 1:
            return False
        every, said = self._document_words
        if rarest in every[next(iter(named))]:
            return False
        return any(rarest in words for doc, words in said.items() if doc not in named)

    @functools.cached_property
    def _document_words(self) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """Document id → every term of its entries (questions, phrasings, answers), and document id
        → the terms of its entries' answers alone (what the document says)."""
        every: dict[str, set[str]] = {}
        said: dict[str, set[str]] = {}
        for entry in self.entries.values():
            doc = entry.source.doc
            every.setdefault(doc, set()).update(entry.question_terms, entry.answer_terms, *entry.phrasings)
            said.setdefault(doc, set()).update(entry.answer_terms)
        return (
            {doc: frozenset(words) for doc, words in every.items()},
            {doc: frozenset(words) for doc, words in said.items()},
        )

    def score(self, words: list[str], entry: _Entry, query: _Query | None = None) -> float:
        """Confidence in [0, 1] that ``entry`` answers a question with these terms.

        Mixed from how much of the question's weight the entry's phrasings cover (answer terms
        count half) and the weighted Dice overlap with its closest phrasing, so that a short
        phrasing contained in a longer question about something else (光回線の月額料金) does
        not look like a match; a question whose words are all in the answer itself counts too.
        ``query`` is ``self.query(words)``, passed in when many entries are scored for one question.
        """
        q = query or self.query(words)
        return self.coverage(entry, q) * self.penalty(entry, q) * self.conflict(entry, q)

    def coverage(self, entry: _Entry, q: _Query) -> float:
        """How well the entry's words cover the question's, in [0, 1] (:meth:`score` without
        :meth:`penalty` and :meth:`conflict`)."""
        total = q.total
        if total == 0:
            return 0.0
        terms, weight = q.terms, q.weights
        covered = sum(weight[w] for w in terms & (entry.question_terms | entry.names))
        covered += 0.5 * sum(weight[w] for w in terms & (entry.answer_terms - entry.question_terms))
        best = 0.0
        for phrasing, phrasing_weight in zip(entry.phrasings, entry.phrasing_weights, strict=True):
            shared = sum(weight[t] for t in phrasing & terms)
            best = max(best, 2 * shared / (phrasing_weight + total))
        confidence = COVERAGE_WEIGHT * (covered / total) + (1 - COVERAGE_WEIGHT) * best
        in_answer = sum(weight[w] for w in terms & entry.answer_terms) / total
        return (confidence + max(confidence, in_answer)) / 2

    def penalty(self, entry: _Entry, q: _Query) -> float:
        """The factor in (0, 1] for signs in the question's words that the entry's words do not
        answer it (:meth:`score` is :meth:`coverage` times this and :meth:`conflict`)."""
        confidence = 1.0
        # The question's most distinctive known word must be about this entry: in 「電気料金の
        # 支払い方法」 it is 電気, which the FAQ knows from elsewhere but no payment entry covers.
        # (Words the FAQ has never seen are weighed by the coverage above instead: they are as
        # often a staff member's own paraphrase as a sign of another topic.)
        rarest = q.rarest
        if rarest and rarest not in entry.question_terms and rarest not in entry.answer_terms:
            confidence *= RAREST_UNCOVERED_PENALTY
        # not the kind of answer asked for (no amount for いくら); nouns the FAQ never saw
        if q.asks - entry.answers:
            confidence *= ANSWER_TYPE_PENALTY
        confidence *= UNSEEN_NOUN_PENALTY ** min(q.unseen, 2)
        return confidence

    def conflict(self, entry: _Entry, q: _Query) -> float:
        """The factor in (0, 1] for an entry about a sibling of what was asked (the CD-R price for
        「ダウンロードはいくら」, an HPKI entry for a question naming the terms) or an overview of it:
        whichever way it was found, by its words or by its meaning, it does not answer."""
        confidence = FACET_CONFLICT_PENALTY ** conflicts(q.facets, entry.facets)
        confidence *= DOCUMENT_CONFLICT_PENALTY ** conflicts(q.services, entry.facets)
        confidence *= BROADER_PENALTY ** broader(q.facets, entry.facets)
        return confidence

    def search(self, text: str, *, limit: int = 4) -> list[Hit]:
        """The best entries for ``text``, best first. Words typed in hiragana are converted first
        (:meth:`convert`). A text with typos (:meth:`correct`) is searched again corrected, and
        that search is kept if it is confident and scores at least as high: the meaning alone may
        find 延体利息's entry, but the corrected words find it surer, and the reply says what was
        read as what."""
        text, converted = self.convert(text)
        hits = self._search(text, limit=limit, read_as=converted)
        corrected, read_as = self.correct(text)
        if read_as:
            second = self._search(corrected, limit=limit, read_as=converted + read_as)
            if second and second[0].confident and (not hits or second[0].score >= hits[0].score):
                return second
        return hits

    @staticmethod
    def confident(
        score: float, words: float, meaning: float | None, *, first_by_words: bool, first_by_meaning: bool
    ) -> bool:
        """Whether the best entry, with this blended ``score``, word score and sentence similarity
        (None without the model), answers the question: at the threshold, or ranked first by both
        readings with each at its floor (:data:`AGREE_WORDS`, :data:`AGREE_MEANING`)."""
        if score >= THRESHOLD:
            return True
        return (
            meaning is not None
            and first_by_words
            and first_by_meaning
            and words >= AGREE_WORDS
            and meaning >= AGREE_MEANING
        )

    def _search(self, text: str, *, limit: int, read_as: tuple[tuple[str, str], ...] = ()) -> list[Hit]:
        words, nouns = analyse(text)
        if not words:
            return []
        query = self.query(words, text, nouns)
        by_words, conflict = self._by_words(self._candidates(words), query)
        meaning: dict[str, float] = {}
        # the words alone do not decide a question on a foreign topic (FOREIGN_TOPIC_PENALTY)
        closeness = self._closeness(text) if query.foreign or self._meaning_matters(by_words) else None
        if closeness is not None:
            closest = [e for e in self._closest(closeness, SEMANTIC_CANDIDATES) if e not in by_words]
            more_words, more_conflict = self._by_words(closest, query)
            by_words |= more_words
            conflict |= more_conflict
            # a sibling of what was asked (another service's rule, another medium's price) is
            # weighed down in both readings: the meaning does not see it. The word penalties
            # (:meth:`penalty`) weigh the word score only: on eval/ they cost the meaning more right
            # answers than they kept wrong ones out
            meaning = {
                e: max(float(closeness[self._vector_index[e]]), 0.0) * conflict[e]
                if e in self._vector_index
                else 0.0
                for e in by_words
            }
        if not by_words:
            return []
        blended = (
            {e: (1 - SEMANTIC_WEIGHT) * score + SEMANTIC_WEIGHT * meaning[e] for e, score in by_words.items()}
            if meaning
            else dict(by_words)
        )
        ranked = sorted(by_words, key=blended.__getitem__, reverse=True)
        best = ranked[0]
        # a topic foreign to the named service lowers the word score's part of the confidence, not
        # the ranking: the entries nearest are still the suggestions
        word_score = by_words[best] * (FOREIGN_TOPIC_PENALTY if query.foreign else 1.0)
        sure = self.confident(
            (1 - SEMANTIC_WEIGHT) * word_score + SEMANTIC_WEIGHT * meaning[best] if meaning else word_score,
            word_score,
            meaning.get(best),
            first_by_words=by_words[best] == max(by_words.values()),
            first_by_meaning=bool(meaning) and meaning[best] == max(meaning.values()),
        )
        hits = []
        for entry_id in ranked[:limit]:
            entry = self.entries[entry_id]
            hits.append(
                Hit(
                    entry_id,
                    entry.question,
                    entry.answer,
                    entry.source,
                    entry.calculator,
                    blended[entry_id],
                    read_as,
                    confident=sure and entry_id == best,
                )
            )
        return hits

    def close(self) -> None:
        with self._connections_lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()


_PARTICLES = ("の", "は", "が", "を", "に", "で", "と", "も", "へ", "や")
_TRAILING = (*_PARTICLES, "って", "から", "まで", "より", "だけ", "ってどう", "ってなに")


def _without_particles(run: str) -> list[str]:
    """``run`` and the same run without a particle before or after it (HPKIのしはらいきげんに →
    しはらいきげん), longest first: a word typed in hiragana runs on into the particles around it."""
    heads = [run] + [run[1:]] * (run[0] in _PARTICLES)
    out = list(heads)
    for head in heads:
        out += [head[: -len(p)] for p in _TRAILING if head.endswith(p)]
    return [w for w in dict.fromkeys(out) if len(w) >= 3]


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is now (device, inode), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


_searcher: Searcher | None = None
_searcher_lock = threading.Lock()
_checked_at = 0.0


def searcher() -> Searcher:
    """The process's searcher, opened on first use; the index is (re)built when missing or stale.

    At most once a second it checks that the file at its path is still the one it opened: a
    replaced file (``madoguchi faq build``) is reopened, a deleted one rebuilt. The old searcher is
    not closed here (a thread may still be reading it); it closes when the last one lets go.
    """
    global _searcher, _checked_at
    with _searcher_lock:
        current = _searcher
        if current is not None:
            now = time.monotonic()
            if now - _checked_at < CHECK_EVERY:
                return current
            _checked_at = now
            identity = _identity(current.path)
            if identity == current.identity:
                return current
            if identity is None:
                _searcher = Searcher(index.ensure(reason="removed while in use"))
                return _searcher
            log.info("FAQ index at %s was replaced: reopening it", current.path)
        _searcher = Searcher(index.ensure())
        _checked_at = time.monotonic()
        return _searcher


def _recovered(broken: Searcher, error: sqlite3.Error) -> Searcher:
    """A searcher on a rebuilt index, after ``broken`` failed a query with ``error``."""
    global _searcher, _checked_at
    with _searcher_lock:
        if _searcher is broken or _searcher is None:
            reason = f"unreadable ({type(error).__name__}: {error})"
            _searcher = Searcher(index.ensure(reason=reason))
            _checked_at = time.monotonic()
        return _searcher


def reset() -> None:
    """Forget the open index (after a rebuild, or in tests that point MADOGUCHI_DB elsewhere)."""
    global _searcher
    with _searcher_lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None


def warm() -> None:
    """Open the index (built first when missing or stale), load the Japanese analyser and wait for
    the sentence model, so that a server's first question is answered as fast as the others: the
    build alone takes a second or two, and Slack waits three for a slash command's reply."""
    current = searcher()
    current.search("HPKIの料金の支払い方法")  # naming a service builds the per-document words too
    semantic.encode(["確認"])


def not_in_documents(text: str) -> bool:
    """Whether ``text`` names a topic or an aspect no document covers (:func:`out_of_scope_terms`,
    :func:`unstated_aspects`): then it is known not to be answerable, not merely unmatched."""
    return _mentions_out_of_scope(text) or _mentions(text, unstated_aspects())


def best_answer(text: str) -> tuple[Hit | None, list[Hit]]:
    """The confident hit (or None) and the ranked hits behind it. A question naming a topic no
    document covers gets no hits; one asking an aspect no document states (「CD-Rの送料」) gets its
    hits as suggestions only."""
    if _mentions_out_of_scope(text):
        return None, []
    current = searcher()
    try:
        hits = current.search(text)
    except sqlite3.DatabaseError as error:  # the file went bad under us: rebuild and ask again
        hits = _recovered(current, error).search(text)
    if hits and hits[0].confident and not _mentions(text, unstated_aspects()):
        return hits[0], hits
    return None, hits


def other_reading(text: str, best: Hit, hits: list[Hit]) -> Hit | None:
    """A confident answer from another document nearly as good as ``best``, for a question that
    does not say which service it is about (「解約の手続きは？」 is answered by the HPKI notice and by
    the terms): the reply then shows both, each with its source, instead of guessing one."""
    if "document" in question_facets(text):
        return None
    for hit in hits:
        if hit.source.doc != best.source.doc and hit.score >= max(THRESHOLD, best.score * AMBIGUITY_RATIO):
            return hit
    return None


# A question that asks two things: 「延滞利息の年率は？あとうるう年の扱いは？」. Parts are split at a
# question mark or a connective that starts a new ask; a statement ending in 。 is context, not an ask.
_ASK_BREAK = re.compile(r"(?<=[?？])|(?<=[、,\s])(?=(?:あと|それと|それから|ついでに)[、,\s]?)")
_CONNECTIVE = re.compile(r"^(?:あと|それと|それから|ついでに|また)[、,\s]?")
MIN_PART = 4
"""Characters a part needs to be searched on its own (「暦日？」 is too short to say what it asks)."""
MIN_PART_TERMS = 2
"""Search terms a part needs to be searched on its own: 「値段は？」 or 「電話もある？」 after another ask
says what it asks only with that ask's words, and alone would find any entry about a price."""
MAX_PARTS = 3


def question_parts(text: str) -> list[str]:
    """The asks in ``text`` when it has more than one (at most :data:`MAX_PARTS`), else []."""
    parts = [_CONNECTIVE.sub("", p.strip(" 　、,")) for p in _ASK_BREAK.split(text)]
    parts = [p for p in parts if len(p) >= MIN_PART]
    if not 2 <= len(parts) <= MAX_PARTS:
        return []
    # a part naming what no document states (「送料は？」) is kept: it is answered as not covered
    parts = [p for p in parts if len(terms(p)) >= MIN_PART_TERMS or not_in_documents(p)]
    return parts if len(parts) >= 2 else []


MAX_KEYWORD = 12
"""Characters a keyword of a keyword-only question has at most (「DL 単価 有効期間」)."""
_ASK_END = re.compile(r"[?？。、,]")


def keyword_parts(text: str) -> list[str]:
    """The asks of a question typed as keywords, three or more with nothing between them
    (「DL 単価 有効期間」 asks the DL price and the DL validity): the first keyword, what it is about,
    with each of the others (「DL 単価」, 「DL 有効期間」); else []."""
    words = unicodedata.normalize("NFKC", text).split()
    if not 3 <= len(words) <= MAX_PARTS + 1 or any(len(w) > MAX_KEYWORD or _ASK_END.search(w) for w in words):
        return []
    parts = [f"{words[0]} {word}" for word in words[1:]]
    return parts if all(len(terms(p)) >= MIN_PART_TERMS for p in parts) else []


_NOUNISH = frozenset({"名詞", "接尾辞", "接頭辞"})
_JOINERS = frozenset({"-", "・"})


def coordinated_parts(text: str) -> list[str]:
    """The two asks of 「XとYは？」 (「改定前と改定後の金額」, 「記号と単価」): the question with
    「とY」 left out and with 「Xと」 left out, X and Y the nouns on either side of the と that joins
    them; else [] (と after a verb or a quote, 「申し込むと」「したいとのこと」, joins no nouns)."""
    if "と" not in text:  # most questions: no dictionary lookup
        return []
    pieces = units(unicodedata.normalize("NFKC", text[:1000]))

    def nounish(k: int) -> bool:  # a noun, or the 「-」 inside one (CD-R)
        return 0 <= k < len(pieces) and (
            pieces[k].pos in _NOUNISH
            or (pieces[k].surface in _JOINERS and k + 1 < len(pieces) and pieces[k + 1].pos in _NOUNISH)
        )

    for i, unit in enumerate(pieces):
        if unit.surface != "と" or unit.pos != "助詞" or not 0 < i < len(pieces) - 1:
            continue
        after = i + 1 + (pieces[i + 1].surface in {"、", ","})
        if pieces[i - 1].pos not in _NOUNISH or after >= len(pieces) or pieces[after].pos not in _NOUNISH:
            continue
        start = i
        while nounish(start - 1):
            start -= 1
        end = after
        while nounish(end):
            end += 1
        surfaces = [u.surface for u in pieces]
        first = "".join(surfaces[:i] + surfaces[end:])
        second = "".join(surfaces[:start] + surfaces[after:])
        return [first, second]
    return []


@dataclass(frozen=True, slots=True)
class PartAnswers:
    """The answers to the other asks of a question that asks more than one thing."""

    answered: tuple[Hit, ...] = ()
    """Confident answers to parts, in the order asked, other than the answer to the whole."""
    uncovered: tuple[str, ...] = ()
    """Parts known not to be in the documents (:func:`not_in_documents`), or, beside an answer to
    the whole, parts no entry answers: named in the reply, so that no ask is dropped."""


def part_answers(text: str, best: Hit | None) -> PartAnswers | None:
    """Each part of a question that asks more than one thing (:func:`question_parts`, else
    :func:`keyword_parts`), searched on its own; parts answered by ``best`` (the answer to the
    whole) or by an earlier part are left out. Empty for a question that asks one thing.

    None when there is no ``best`` and a part finds no answer without being known to be outside the
    documents, or names a topic no document covers: the question then goes unanswered, because a
    short part alone is easily near an entry and an answer to half the question would look like an
    answer to all of it."""
    answered: list[Hit] = []
    uncovered: list[str] = []
    seen = {best.entry_id} if best else set()
    # keywords (keyword_parts) whose asks the whole's answer already covers add nothing: 「損害賠償
    # 24時間 限度」 stays one answer
    parts = question_parts(text) or keyword_parts(text)
    # 「XとY」 split is the question twice with one noun left out: a part is not what staff typed,
    # so one that finds nothing is not named (and, without an answer to the whole, fails it)
    rewritten = not parts
    for part in parts or coordinated_parts(text):
        # an ask about a topic no document covers (HPKIカードの発行) makes the question that topic's:
        # its other asks (「届くまで何日？」) are about it too, and no entry answers them
        if best is None and _mentions_out_of_scope(part):
            return None
        hit, _ = best_answer(part)
        if hit is None:
            if best is None and (rewritten or not not_in_documents(part)):
                return None
            if not rewritten:
                uncovered.append(part)
        elif hit.entry_id not in seen:
            seen.add(hit.entry_id)
            answered.append(hit)
    return PartAnswers(tuple(answered), tuple(uncovered))
