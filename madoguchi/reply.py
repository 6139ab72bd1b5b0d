"""The one Reply model every path returns; text, JSON and Block Kit are rendered from it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from calculators.common import Citation

Kind = Literal[
    "quote",
    "hpki_fee",
    "hpki_deadline",
    "proration",
    "late_interest",
    "outage_credit",
    "surcharge",
    "faq",
    "help",
    "unknown",
    "error",
]

KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class Figure(BaseModel):
    """A key figure shown prominently: label and already formatted value (e.g. 「合計（税込）」「34,650円」)."""

    model_config = ConfigDict(frozen=True)
    label: str
    value: str


class Reply(BaseModel):
    """What madoguchi says. Every string here is user-facing Japanese, already formatted.

    ``text`` is derived: the plain-text rendering holds every figure and date the reply shows.
    """

    model_config = ConfigDict(frozen=True)

    kind: Kind
    title: str
    figures: tuple[Figure, ...] = ()
    lines: tuple[str, ...] = ()
    """The breakdown: one line per calculation step or answer paragraph."""
    notes: tuple[str, ...] = ()
    """What matters to the customer: readings, assumptions, thresholds, cautions."""
    sources: tuple[Citation, ...] = ()
    suggestions: tuple[str, ...] = ()
    """「もしかして」 questions, for unknown answers."""
    faq_id: str | None = None
    score: float | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    """What the calculator was given (for the inquiry log), JSON-serialisable."""
    error_id: str | None = None
    answer_id: str | None = None
    """Set by the router: links feedback and the inquiry log to this answer."""

    @property
    def text(self) -> str:
        from madoguchi.render_text import render_text

        return render_text(self)

    def to_json(self) -> dict[str, Any]:
        from madoguchi.render_text import render_text

        data: dict[str, Any] = {
            "kind": self.kind,
            "text": render_text(self),
            "title": self.title,
            "figures": [f.model_dump() for f in self.figures],
            "sources": [{"document": s.doc, "section": s.section, "label": s.label} for s in self.sources],
        }
        if self.faq_id:
            data["faq_id"] = self.faq_id
        if self.score is not None:
            data["score"] = round(self.score, 4)
        if self.suggestions:
            data["suggestions"] = list(self.suggestions)
        if self.error_id:
            data["error_id"] = self.error_id
        if self.answer_id:
            data["answer_id"] = self.answer_id
        return data
