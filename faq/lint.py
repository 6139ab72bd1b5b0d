"""`madoguchi faq check`: every FAQ entry parses, cites a real section, quotes it verbatim, states only
figures the document states; every section of every document has an entry."""

from __future__ import annotations

import re
import unicodedata

from pydantic import ValidationError

from faq.documents import fold, resolve_citation, sections
from faq.models import FaqEntry, load_entries

_YEN = re.compile(r"(\d[\d,]*)\s*円|(\d+)万(\d+)千円|(\d+)万円")


def yen_figures(text: str) -> set[int]:
    """Amounts in yen written in ``text``: 10,500円, 1万円, 1万1千円."""
    found: set[int] = set()
    for match in _YEN.finditer(unicodedata.normalize("NFKC", text)):
        if match.group(1):
            found.add(int(match.group(1).replace(",", "")))
        elif match.group(2):
            found.add(int(match.group(2)) * 10000 + int(match.group(3)) * 1000)
        else:
            found.add(int(match.group(4)) * 10000)
    return found


def document_figures(doc: str) -> set[int]:
    figures: set[int] = set()
    for section in sections():
        if section.doc == doc:
            figures |= yen_figures(section.text)
            figures |= {
                int(n.replace(",", ""))
                for n in re.findall(r"\d[\d,]*", unicodedata.normalize("NFKC", section.text))
            }
    return figures


def entry_problems(entry: FaqEntry) -> list[str]:
    section = resolve_citation(entry.source)
    if section is None:
        return [f"{entry.id}: cites {entry.source.doc} {entry.source.section}, which does not exist"]
    problems = []
    if entry.source.quote and fold(entry.source.quote) not in fold(section.text):
        problems.append(f"{entry.id}: the quote is not in {entry.source.section}: {entry.source.quote[:40]}…")
    stray = yen_figures(entry.answer) - document_figures(entry.source.doc)
    if stray:
        problems.append(f"{entry.id}: the answer states amounts the document does not: {sorted(stray)}")
    return problems


def problems() -> list[str]:
    try:
        entries = load_entries()
    except (ValidationError, ValueError) as error:
        return [f"the FAQ data does not load: {error}"]
    found = [p for entry in entries for p in entry_problems(entry)]
    cited: set[tuple[str, str]] = set()
    for entry in entries:
        section = resolve_citation(entry.source)
        if section is not None:  # an entry on item 7-② covers section 7 too
            cited |= {(section.doc, section.id), (section.doc, section.id.split("-")[0])}
    for section in sections():
        if (section.doc, section.id) not in cited:
            found.append(f"no entry covers {section.doc} {section.id}（{section.heading}）")
    return found
