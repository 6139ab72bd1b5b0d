"""FAQ entry model: one curated question with its paraphrases, answer and citation."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, field_validator

from calculators.common import Citation, Frozen

Calculator = Literal[
    "quote", "hpki_fee", "hpki_deadline", "proration", "late_interest", "outage_credit", "surcharge"
]

DATA_FILES = ("occto.toml", "hpki.toml", "auth.toml")


class FaqEntry(Frozen):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    question: str = Field(min_length=4)
    paraphrases: tuple[str, ...] = Field(min_length=3)
    """How staff really ask: plain, keyword-only, colloquial, with variants and abbreviations."""
    answer: str = Field(min_length=10)
    """Concise Japanese with the exact figures and dates."""
    source: Citation
    tags: tuple[str, ...] = ()
    calculator: Calculator | None = None

    @field_validator("paraphrases")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("paraphrases repeat")
        return value


class FaqFile(Frozen):
    entries: tuple[FaqEntry, ...]


def read_entries(text: str) -> tuple[FaqEntry, ...]:
    return FaqFile.model_validate(tomllib.loads(text)).entries


@cache
def load_entries() -> tuple[FaqEntry, ...]:
    """All curated entries, validated; ids are unique across files."""
    entries: list[FaqEntry] = []
    for name in DATA_FILES:
        text = resources.files("faq.data").joinpath(name).read_text(encoding="utf-8")
        entries.extend(read_entries(text))
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"duplicate FAQ id {entry.id}")
        seen.add(entry.id)
    return tuple(entries)
