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
                key = _compact(word).casefold()
                if key in seen and seen[key] != code:
                    raise ValueError(f"{word!r} names both {seen[key]} and {code}")
                seen[key] = code
        return value

    def alternation(self, words: tuple[str, ...] | list[str]) -> str:
        """A regex alternation, longest word first so that CD-Rまとめ書込み wins over CD-R. Each word also
        matches with spaces where its script changes or it has one (CD-R まとめ書込み, USB トークン)."""
        ordered = sorted(words, key=lambda w: len(_compact(w)), reverse=True)
        return "|".join(dict.fromkeys(_spaced(w) for w in ordered))


def _compact(word: str) -> str:
    return _SPACE.sub("", word)


def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(part) for part in _SCRIPT_RUN.findall(_compact(word)))


_SPACE = re.compile(r"\s+")
_SCRIPT_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


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
    key = _compact(word).casefold()
    for code, words in vocabulary().media.items():
        if any(key == _compact(w).casefold() for w in words):
            return code
    return None


def facility_code(word: str) -> FacilityCode | None:
    key = _compact(word)
    for code, words in vocabulary().facilities.items():
        if key in (_compact(w) for w in words):
            return code
    return None


def has_any(text: str, intent: str) -> bool:
    folded = text.casefold()
    return any(w.casefold() in folded for w in vocabulary().intents[intent])
