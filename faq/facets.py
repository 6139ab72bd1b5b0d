"""Facets and answer types: what a question is about, and what kind of answer it wants.

Two checks the word overlap of :mod:`faq.search` cannot make by itself (data: ``faq/data/facets.toml``):

- **Facets** are things that exclude one another: one medium (DL, CD, CM, UM, UT), one facility
  type, one payment method, one of the three documents. Asked about one value, an entry that names
  only other values of the same facet is about a sibling (「ダウンロードの価格」 is not answered by
  the CD-R price, however many words they share).
- **Answer types**: a question asking 「いくら」 is not answered by an entry whose answer states no
  amount (nor that there is none).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from pydantic import Field, field_validator

from calculators.common import Frozen
from faq.text import canonical_text, terms

Facets = Mapping[str, frozenset[str]]
"""Facet name → the values named (only facets with at least one value)."""


def _compiles(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        re.compile(pattern)
    return patterns


class FacetValue(Frozen):
    value: str = Field(min_length=1)
    patterns: tuple[str, ...] = Field(min_length=1)
    entries_also: tuple[str, ...] = ()
    """An entry naming this value is taken to name these values too (CM is written on a CD-R)."""
    names: tuple[str, ...] = ()
    """Document facets: what the service itself is called; every entry of the document covers them."""
    offered: bool = True
    """False for what the documents do not offer (a DVD medium): named by no entry, so that every
    entry naming an offered value of the facet is a sibling of it."""

    @field_validator("patterns")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _compiles(value)


class Facet(Frozen):
    name: str = Field(min_length=1)
    document: bool = False
    """Matched on questions only; an entry's value is the document its source cites."""
    values: tuple[FacetValue, ...] = Field(min_length=2)


class AnswerType(Frozen):
    name: str = Field(min_length=1)
    asks: tuple[str, ...] = Field(min_length=1)
    answer: str = Field(min_length=1)

    @field_validator("asks")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _compiles(value)

    @field_validator("answer")
    @classmethod
    def _valid_answer(cls, value: str) -> str:
        return _compiles((value,))[0]


class FacetFile(Frozen):
    facets: tuple[Facet, ...]
    answer_types: tuple[AnswerType, ...] = ()


@cache
def facet_file() -> FacetFile:
    text = resources.files("faq.data").joinpath("facets.toml").read_text(encoding="utf-8")
    return FacetFile.model_validate(tomllib.loads(text))


@cache
def _compiled() -> tuple[tuple[Facet, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    return tuple(
        (facet, tuple((v.value, re.compile("|".join(f"(?:{p})" for p in v.patterns))) for v in facet.values))
        for facet in facet_file().facets
    )


def _find(canonical: str, *, documents: bool) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for facet, values in _compiled():
        if facet.document != documents:
            continue
        text, named = canonical, set()
        for value, pattern in values:
            text, count = pattern.subn(" ", text)  # a matched span is not matched again
            if count:
                named.add(value)
        if named:
            found[facet.name] = frozenset(named)
    return found


def entry_facets(texts: Iterable[str], *, document: str) -> dict[str, frozenset[str]]:
    """The facet values an entry names in its own texts (question, paraphrases, tags, answer), with
    the values they imply (``entries_also``), and its document."""
    found = _find(canonical_text(" ".join(texts)), documents=False)
    for facet in facet_file().facets:
        if facet.document:
            found[facet.name] = frozenset({document})
        elif facet.name in found:
            implied = {also for v in facet.values if v.value in found[facet.name] for also in v.entries_also}
            found[facet.name] |= implied
    return found


def question_facets(text: str) -> dict[str, frozenset[str]]:
    """The facet values a question names, documents included."""
    canonical = canonical_text(text[:1000])
    return {**_find(canonical, documents=False), **_find(canonical, documents=True)}


def conflicts(question: Facets, entry: Facets) -> int:
    """How many facets the question names a value of while the entry names only other values."""
    return sum(1 for name, asked in question.items() if entry.get(name) and not asked & entry[name])


def broader(question: Facets, entry: Facets) -> int:
    """How many facets the entry names the asked value of among others: an overview (all five
    media) asked about one value, where a specific entry answers better if there is one."""
    return sum(
        1
        for name, asked in question.items()
        if asked & entry.get(name, frozenset()) and not entry[name] <= asked
    )


@cache
def document_terms() -> dict[str, frozenset[str]]:
    """Document id → the search terms of the names of its service (:attr:`FacetValue.names`)."""
    return {
        value.value: frozenset(terms(" ".join(value.names)))
        for facet in facet_file().facets
        if facet.document
        for value in facet.values
    }


@cache
def _answer_types() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    return tuple(
        (t.name, re.compile("|".join(f"(?:{p})" for p in t.asks)), re.compile(t.answer))
        for t in facet_file().answer_types
    )


def asked_types(text: str) -> frozenset[str]:
    """The answer types a question asks for (``amount`` for 「いくら」, 「単価」 …)."""
    folded = unicodedata.normalize("NFKC", text[:1000]).casefold()
    return frozenset(name for name, asks, _ in _answer_types() if asks.search(folded))


def answered_types(answer: str) -> frozenset[str]:
    """The answer types an answer text gives (it states an amount, or that there is no charge)."""
    folded = unicodedata.normalize("NFKC", answer).casefold()
    return frozenset(name for name, _, gives in _answer_types() if gives.search(folded))
