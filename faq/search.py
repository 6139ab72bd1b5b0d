"""FAQ search: a question → the best curated entry with a confidence, or "unknown" with suggestions.

Candidates come from the SQLite FTS5 index (user text reaches FTS5 only as quoted terms); they are
re-ranked by how much of the question's weighted terms each entry covers. An answer is given only
above a confidence threshold: a wrong confident answer is worse than "unknown".
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from calculators.common import Citation
from faq import index
from faq.text import terms

THRESHOLD = 0.5
COVERAGE_WEIGHT = 0.7
RAREST_UNCOVERED_PENALTY = 0.85
SUGGEST_FLOOR = 0.2
CANDIDATES = 60
FTS_TERMS = 5


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: str
    question: str
    answer: str
    source: Citation
    calculator: str | None
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    question: str
    answer: str
    source: Citation
    calculator: str | None
    question_terms: frozenset[str]
    answer_terms: frozenset[str]
    phrasings: tuple[frozenset[str], ...]


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH expression that ORs the words, each as a quoted string (quotes doubled), so
    no user text is ever read as FTS5 syntax (AND, NEAR, *, -, :, ^, parentheses)."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


@cache
def out_of_scope_terms() -> tuple[str, ...]:
    data = tomllib.loads(
        resources.files("faq.data").joinpath("out_of_scope.toml").read_text(encoding="utf-8")
    )
    return tuple(unicodedata.normalize("NFKC", t).casefold() for t in data["terms"])


def _mentions_out_of_scope(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).casefold()
    for term in out_of_scope_terms():
        if term.isascii():
            if re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", folded):
                return True
        elif term in folded:
            return True
    return False


class Searcher:
    """An open index: entries and term weights in memory, FTS5 for candidates. Thread-safe reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.entries: dict[str, _Entry] = {}
        phrasings: dict[str, list[frozenset[str]]] = {}
        for entry_id, field, text in self._conn.execute("select entry_id, field, terms from texts"):
            if field != "answer":
                phrasings.setdefault(entry_id, []).append(frozenset(text.split()))
        rows = self._conn.execute(
            "select id, question, answer, source, calculator, question_terms, answer_terms from entries"
        )
        for entry_id, question, answer, source, calculator, q_terms, a_terms in rows:
            self.entries[entry_id] = _Entry(
                question,
                answer,
                Citation.model_validate_json(source),
                calculator,
                frozenset(q_terms.split()),
                frozenset(a_terms.split()),
                tuple(phrasings.get(entry_id, ())),
            )
        df: dict[str, int] = {}
        for entry in self.entries.values():
            for term in entry.question_terms | entry.answer_terms:
                df[term] = df.get(term, 0) + 1
        n = len(self.entries)
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        self.unseen_idf = math.log((n + 1) / 0.5)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def _candidates(self, words: list[str]) -> list[str]:
        # Only the most distinctive words go to FTS5: common ones (料金, 利用) match most rows and
        # would make bm25 sort thousands of them, while the re-ranking below weighs every word anyway.
        known = sorted((w for w in words if w in self.idf), key=self.weight, reverse=True)[:FTS_TERMS]
        if not known:
            return []
        sql = (
            "select texts.entry_id from texts_fts join texts on texts.rowid = texts_fts.rowid "
            "where texts_fts match ? order by bm25(texts_fts) limit ?"
        )
        with self._lock:
            rows = self._conn.execute(sql, (fts_query(known), CANDIDATES)).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def score(self, words: list[str], entry: _Entry) -> float:
        """Confidence in [0, 1] that ``entry`` answers a question with these terms.

        Mixed from how much of the question's weight the entry's phrasings cover (answer terms
        count half) and the weighted Dice overlap with its closest phrasing, so that a short
        phrasing contained in a longer question about something else (光回線の月額料金) does
        not look like a match; a question whose words are all in the answer itself counts too.
        """
        total = sum(self.weight(w) for w in words)
        if total == 0:
            return 0.0
        query = set(words)
        covered = sum(self.weight(w) for w in query & entry.question_terms)
        covered += 0.5 * sum(self.weight(w) for w in query & (entry.answer_terms - entry.question_terms))
        best = 0.0
        for phrasing in entry.phrasings:
            shared = sum(self.weight(t) for t in phrasing & query)
            best = max(best, 2 * shared / (sum(self.weight(t) for t in phrasing) + total))
        confidence = COVERAGE_WEIGHT * (covered / total) + (1 - COVERAGE_WEIGHT) * best
        in_answer = sum(self.weight(w) for w in query & entry.answer_terms) / total
        confidence = (confidence + max(confidence, in_answer)) / 2
        # The question's most distinctive known word must be about this entry: in 「電気料金の
        # 支払い方法」 it is 電気, which the FAQ knows from elsewhere but no payment entry covers.
        # (Words the FAQ has never seen are weighed by the coverage above instead: they are as
        # often a staff member's own paraphrase as a sign of another topic.)
        known = [w for w in words if w in self.idf]
        rarest = max(known, key=self.weight) if known else None
        if rarest and rarest not in entry.question_terms and rarest not in entry.answer_terms:
            confidence *= RAREST_UNCOVERED_PENALTY
        return confidence

    def search(self, text: str, *, limit: int = 4) -> list[Hit]:
        words = terms(text)
        if not words:
            return []
        hits = []
        for entry_id in self._candidates(words):
            entry = self.entries[entry_id]
            hits.append(
                Hit(
                    entry_id,
                    entry.question,
                    entry.answer,
                    entry.source,
                    entry.calculator,
                    self.score(words, entry),
                )
            )
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:limit]

    def close(self) -> None:
        self._conn.close()


_searcher: Searcher | None = None
_searcher_lock = threading.Lock()


def searcher() -> Searcher:
    """The process's searcher, opened on first use; the index is (re)built when missing or stale."""
    global _searcher
    with _searcher_lock:
        if _searcher is None:
            _searcher = Searcher(index.ensure())
        return _searcher


def reset() -> None:
    """Forget the open index (after a rebuild, or in tests that point MADOGUCHI_DB elsewhere)."""
    global _searcher
    with _searcher_lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None


def best_answer(text: str) -> tuple[Hit | None, list[Hit]]:
    """The confident hit (or None) and the ranked hits behind it."""
    if _mentions_out_of_scope(text):
        return None, []
    hits = searcher().search(text)
    if hits and hits[0].score >= THRESHOLD:
        return hits[0], hits
    return None, hits
