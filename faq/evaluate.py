"""Scoring a question set in the format of ``../shared/eval`` against the in-process router.

Facts: ``{"yen": N}``, ``{"date": "YYYY-MM-DD"}``, ``{"text": "…"}``, ``{"re": "…"}``, ``{"any": [...]}``;
``kind`` and ``kind_not`` constrain the reply's kind. Text is compared after NFKC, with thousands
separators removed and 万 forms expanded, as the team's scorer does.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ERAS = (("令和", 2018), ("平成", 1988))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)

    def man(m: re.Match[str]) -> str:
        value = int(m.group(1)) * 10000
        if m.group(2):
            value += int(m.group(2)) * (1000 if m.group(3) else 1)
        return str(value)

    return re.sub(r"(\d+)万(?:(\d+)(千)?)?", man, text)


def _date_patterns(iso: str) -> list[str]:
    y, m, d = (int(x) for x in iso.split("-"))
    pats = [
        rf"(?<!\d){y}\s*[-/.]\s*0?{m}\s*[-/.]\s*0?{d}(?!\d)",
        rf"(?<!\d){y}\s*年\s*0?{m}\s*月\s*0?{d}\s*日",
    ]
    for era, base in ERAS:
        if y > base:
            ey = "(?:元|1)" if y - base == 1 else str(y - base)
            pats.append(rf"{era}\s*{ey}\s*年\s*0?{m}\s*月\s*0?{d}\s*日")
    return pats


def holds(fact: dict[str, Any], text: str) -> bool:
    if "any" in fact:
        return any(holds(f, text) for f in fact["any"])
    if "yen" in fact:
        return re.search(rf"(?<![\d.]){fact['yen']}(?!\d|\.\d)", text) is not None
    if "date" in fact:
        return any(re.search(p, text) for p in _date_patterns(fact["date"]))
    if "text" in fact:
        return _normalise(fact["text"]) in text
    if "re" in fact:
        return re.search(fact["re"], text) is not None
    raise ValueError(f"unknown fact {fact!r}")


@dataclass(frozen=True, slots=True)
class Outcome:
    case_id: str
    group: str
    passed: bool
    kind: str
    why: str


def evaluate(path: Path, answer: Callable[[str], Any], *, today: date | None = None) -> list[Outcome]:
    """Run every case of a JSONL question set through ``answer`` (text → Reply)."""
    outcomes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        reply = answer(case["ask"])
        text = _normalise(reply.text)
        missing = [f for f in case.get("expect", []) if not holds(f, text)]
        kind_ok = ("kind" not in case or reply.kind == case["kind"]) and reply.kind not in case.get(
            "kind_not", []
        )
        why = "; ".join(
            ([f"missing {json.dumps(missing, ensure_ascii=False)}"] if missing else [])
            + ([f"kind {reply.kind}"] if not kind_ok else [])
        )
        outcomes.append(
            Outcome(case["id"], case.get("group", "all"), not missing and kind_ok, reply.kind, why)
        )
    return outcomes


@dataclass(frozen=True, slots=True)
class Precision:
    """What a lead needs beyond pass counts: how often madoguchi answered when it should not have."""

    oos_refused: int
    """Out-of-scope questions answered ``unknown``."""
    oos_total: int
    unknown_total: int
    """``unknown`` answers to out-of-scope and documented (faq, calc) questions; English questions,
    which may be answered ``unknown``, are left out."""
    wrong_answers: int
    """Questions the documents answer that got an answer (not ``unknown``/``error``) without the
    expected facts: the confident wrong answers, worse than no answer."""
    answered: int
    """Questions the documents answer that got an answer (not ``unknown``/``error``)."""

    @property
    def unknown_precision(self) -> float | None:
        """Of the ``unknown`` answers, the share given to out-of-scope questions."""
        return self.oos_refused / self.unknown_total if self.unknown_total else None


def precision(outcomes: list[Outcome]) -> Precision:
    oos = [o for o in outcomes if o.group == "oos"]
    covered = [o for o in outcomes if o.group in {"faq", "calc"} and o.kind not in {"unknown", "error"}]
    return Precision(
        oos_refused=sum(o.kind == "unknown" for o in oos),
        oos_total=len(oos),
        unknown_total=sum(o.kind == "unknown" for o in outcomes if o.group in {"oos", "faq", "calc"}),
        wrong_answers=sum(not o.passed for o in covered),
        answered=len(covered),
    )
