"""The vocabulary data file (media, facilities, counters, intent words), validated on load."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

MediumCode = Literal["DL", "CD", "CM", "UM", "UT"]
FacilityCode = Literal["clinic", "pharmacy", "hospital"]


class Vocabulary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    media: dict[MediumCode, tuple[str, ...]]
    facilities: dict[FacilityCode, tuple[str, ...]]
    counters: dict[Literal["quantity", "beds"], tuple[str, ...]]
    intents: dict[str, tuple[str, ...]]

    @field_validator("media", "facilities")
    @classmethod
    def _complete(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        seen: dict[str, str] = {}
        for code, words in value.items():
            if not words:
                raise ValueError(f"{code} has no words")
            for word in words:
                key = word.casefold()
                if key in seen and seen[key] != code:
                    raise ValueError(f"{word!r} names both {seen[key]} and {code}")
                seen[key] = code
        return value

    def alternation(self, words: tuple[str, ...] | list[str]) -> str:
        """A regex alternation, longest word first so that CD-Rまとめ書込み wins over CD-R."""
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("madoguchi.understand").joinpath("vocabulary.toml").read_text(encoding="utf-8")
    return Vocabulary.model_validate(tomllib.loads(text))


@cache
def medium_pattern() -> re.Pattern[str]:
    vocab = vocabulary()
    words = [w for ws in vocab.media.values() for w in ws]
    return re.compile(f"(?:{vocab.alternation(words)})", re.IGNORECASE)


def medium_code(word: str) -> MediumCode | None:
    key = word.casefold()
    for code, words in vocabulary().media.items():
        if any(key == w.casefold() for w in words):
            return code
    return None


def facility_code(word: str) -> FacilityCode | None:
    for code, words in vocabulary().facilities.items():
        if word in words:
            return code
    return None


def has_any(text: str, intent: str) -> bool:
    folded = text.casefold()
    return any(w.casefold() in folded for w in vocabulary().intents[intent])
