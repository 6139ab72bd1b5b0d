"""The three source documents split into citable sections, and clause lookup.

Section ids follow the house citation scheme (see ``calculators.common.Citation``):

- ``auth``: ``第1条`` … ``第31条`` (ASCII digits, no spaces), ``別記1`` … ``別記5``,
  ``料金表 通則1`` … ``料金表 通則12``, ``料金表 第1表``, ``料金表 第2表``, ``附則``;
- ``hpki``: ``1`` … ``9`` and items ``2-①``, ``7-②`` … (section 7's and 9's items are the
  numbered lines ``1.`` … ``6.`` in the extracted text);
- ``occto``: parts ``1``, ``2``, ``3``.

A section's ``text`` is its body as printed (headings excluded), with the PDF's wrapped lines joined;
an HPKI or auth section's text includes the text of its items. The documents are parsed once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import resources

from calculators.common import DOCUMENT_FILES, Citation, DocId, Frozen

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


class Section(Frozen):
    """One citable section of a document."""

    doc: DocId
    id: str
    """As cited, e.g. ``第22条``, ``料金表 通則6``, ``7-②``, ``1``."""
    heading: str
    """The section's own title as printed, e.g. 「延滞利息」; an untitled item takes its section's title."""
    text: str
    """The body, wrapped lines joined; one line per paragraph where the layout shows it."""

    def cite(self, quote: str = "") -> Citation:
        """A citation of this section, with an optional verbatim passage."""
        return Citation(doc=self.doc, section=self.id, heading=self.heading, quote=quote)


def fold(text: str) -> str:
    """NFKC with every whitespace removed: the form in which a quote is compared with a document."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- reading -------------------------------------------------------------------------------------


def _read(doc: str) -> list[str]:
    text = resources.files("faq.docs").joinpath(DOCUMENT_FILES[doc]).read_text(encoding="utf-8")
    return text.splitlines()


def _nfkc(line: str) -> str:
    return unicodedata.normalize("NFKC", line).strip()


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "FW" else 1 for ch in line)


_AUTH_WRAP_WIDTH = 88
"""A terms line this wide (half-width units) that does not end a sentence was wrapped by the PDF."""
_AUTH_PARAGRAPH = re.compile(r"^(?:[０-９\d]{1,2}\s|（注|第\s*[０-９\d]+\s*条)")
"""…unless the next line starts a numbered paragraph or a note."""


def _flow_auth(lines: list[str]) -> str:
    """Join the terms' wrapped lines: a full-width line that does not end with 「。」 continues."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        wrapped = out and _width(out[-1]) >= _AUTH_WRAP_WIDTH and not out[-1].endswith("。")
        if wrapped and not _AUTH_PARAGRAPH.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


_MARKERS = "※■◼➢・"
"""A line starting with one of these starts a new paragraph even inside a block."""


def _flow_blocks(lines: list[str]) -> str:
    """Blank-line separated blocks (the OCCTO table cells): lines in a block are joined, blocks are lines."""
    blocks: list[str] = []
    current = ""
    for raw in [*lines, ""]:
        line = raw.strip()
        if not line:
            if current:
                blocks.append(current)
            current = ""
            continue
        if current and line[0] in _MARKERS:
            blocks.append(current)
            current = ""
        glue = "" if not current or not (current[-1].isascii() or line[0].isascii()) else " "
        current += glue + line
    return "\n".join(blocks)


def _flow_lines(lines: list[str]) -> str:
    return "\n".join(line.strip() for line in lines if line.strip())


Flow = Callable[[list[str]], str]


class _Start(Frozen):
    id: str
    heading: str
    line: int
    """The section's first body line."""
    cut: int
    """Where the previous section's text ends (the heading line above, or ``line``)."""


def _build(doc: DocId, lines: list[str], starts: list[_Start], end: int, flow: Flow) -> list[Section]:
    """Each section runs from its first line to where the next one is cut (the last to ``end``)."""
    sections: list[Section] = []
    stops = [after.cut for after in starts[1:]] + [end] if starts else []
    for here, stop in zip(starts, stops, strict=True):
        body = [line for line in lines[here.line : stop] if not _STRUCTURE.match(_nfkc(line))]
        sections.append(Section(doc=doc, id=here.id, heading=here.heading, text=flow(body)))
    return sections


# --- the user-authentication terms ---------------------------------------------------------------

_ARTICLE = re.compile(r"^第\s*(\d+)\s*条(?=\s|$)")
_HEADING = re.compile(r"^（([^（）]+)）$")
_STRUCTURE = re.compile(r"^(?:第\s*\d+\s*章.*|別記|料金表|通則)$")
_BEKKI = re.compile(r"^(\d)\s+(\S.*)$")
_TSUSOKU = re.compile(r"^(\d{1,2})\s+\S")
_TABLE = re.compile(r"^第(\d)表")
_FUSOKU = re.compile(r"^附\s*則")
_TABLE_HEADINGS = {1: "料金", 2: "工事に関する費用"}
_DELETED = "削除"


def _heading_above(lines: list[str], index: int) -> tuple[str, int] | None:
    """The 「（…）」 title on the nearest non-blank line above ``index``, with its line number."""
    for above in range(index - 1, -1, -1):
        line = lines[above].strip()
        if line:
            match = _HEADING.match(line)
            return (match.group(1), above) if match else None
    return None


def _auth() -> list[Section]:
    lines = _read("auth")
    starts: list[_Start] = []
    phase, expected, heading = "article", 1, ""
    end = len(lines)
    for index, raw in enumerate(lines):
        line = _nfkc(raw)
        above = _heading_above(lines, index)
        cut = above[1] if above else index
        if above and phase == "tsusoku":
            heading = above[0]
        if phase == "article":
            match = _ARTICLE.match(line)
            if match and int(match.group(1)) == expected:
                rest = line[match.end() :].strip()
                title = above[0] if above else (_DELETED if rest == _DELETED else "")
                starts.append(_Start(id=f"第{expected}条", heading=title, line=index, cut=cut))
                expected += 1
            elif line == "別記" and expected > 1:
                phase, expected = "bekki", 1
        elif phase == "bekki":
            match = _BEKKI.match(line)
            if match and int(match.group(1)) == expected:
                starts.append(_Start(id=f"別記{expected}", heading=match.group(2), line=index, cut=index))
                expected += 1
            elif line == "通則":
                phase, expected = "tsusoku", 1
        elif phase == "tsusoku":
            match = _TSUSOKU.match(line)
            if match and int(match.group(1)) == expected:
                starts.append(_Start(id=f"料金表 通則{expected}", heading=heading, line=index, cut=cut))
                expected += 1
            elif line.startswith("第1表"):
                phase, expected = "table", 1
        if phase == "table":
            match = _TABLE.match(line.replace(" ", ""))
            if match and int(match.group(1)) == expected:
                number = expected
                starts.append(
                    _Start(
                        id=f"料金表 第{number}表", heading=_TABLE_HEADINGS[number], line=index + 1, cut=index
                    )
                )
                expected += 1
            elif _FUSOKU.match(line):
                starts.append(_Start(id="附則", heading="", line=index, cut=index))
                break
    return _build("auth", lines, starts, end, _flow_auth)


# --- the HPKI fee notice -------------------------------------------------------------------------

_HPKI_SECTION = re.compile(r"^(\d)\.(\S.*)$")
_HPKI_CIRCLED = re.compile(rf"^([{CIRCLED}])(.*)$")
_HPKI_NUMBERED = re.compile(r"^\s+(\d)\.\s*(.*)$")


def _hpki() -> list[Section]:
    lines = _read("hpki")
    sections: list[Section] = []
    tops = [(i, m) for i, raw in enumerate(lines) if (m := _HPKI_SECTION.match(raw.rstrip()))]
    for (first, top), (last, _) in zip(tops, [*tops[1:], (len(lines), None)], strict=True):
        number, heading = top.group(1), top.group(2).strip()
        body = lines[first + 1 : last]
        sections.append(Section(doc="hpki", id=number, heading=heading, text=_flow_lines(body)))
        items: list[_Start] = []
        for offset, raw in enumerate(body):
            circled = _HPKI_CIRCLED.match(raw.strip())
            numbered = _HPKI_NUMBERED.match(raw)
            if circled and circled.group(1) == CIRCLED[len(items)]:
                title = circled.group(2).strip()
            elif numbered and int(numbered.group(1)) == len(items) + 1:
                title = numbered.group(2).strip()
            else:
                continue
            item_heading = heading if title.endswith("。") else title
            item_id = f"{number}-{CIRCLED[len(items)]}"
            items.append(_Start(id=item_id, heading=item_heading, line=offset, cut=offset))
        sections.extend(_build("hpki", body, items, len(body), _flow_lines))
    return sections


# --- the OCCTO media notice ----------------------------------------------------------------------

_OCCTO_PART = re.compile(r"^(\d)(クライアント証明書.*)$")


def _occto() -> list[Section]:
    lines = _read("occto")
    starts: list[_Start] = []
    for index, raw in enumerate(lines):
        match = _OCCTO_PART.match(raw.strip())
        if match and int(match.group(1)) == len(starts) + 1:
            part = match.group(1)
            starts.append(_Start(id=part, heading=match.group(2).strip(), line=index + 1, cut=index))
    return _build("occto", lines, starts, len(lines), _flow_blocks)


# --- registry ------------------------------------------------------------------------------------


@cache
def sections() -> tuple[Section, ...]:
    """Every section of the three documents, in document order (occto, hpki, auth)."""
    return (*_occto(), *_hpki(), *_auth())


@cache
def _index() -> dict[tuple[str, str], Section]:
    return {(section.doc, section.id): section for section in sections()}


def section_ids(doc: str) -> set[str]:
    """The ids of one document's sections."""
    return {section.id for section in sections() if section.doc == doc}


def normalize_id(section_id: str) -> str:
    """A section id in canonical form: ASCII digits, no spaces (「第 19 条」→「第19条」, 「通則６」→「料金表 通則6」,
    「7-2」→「7-②」)."""
    head, sep, item = section_id.partition("-")
    text = fold(head)
    if re.fullmatch(r"通則\d+|第\d+表", text):
        text = "料金表" + text
    text = re.sub(r"^料金表", "料金表 ", text)
    item = item.strip()
    if item.isascii() and item.isdigit() and 0 < int(item) <= len(CIRCLED):
        item = CIRCLED[int(item) - 1]
    return text + sep + item


def find_section(doc: str, section_id: str) -> Section | None:
    """The section ``section_id`` of ``doc`` (full-width digits and spaces tolerated), or None."""
    return _index().get((doc, section_id)) or _index().get((doc, normalize_id(section_id)))


def resolve_citation(citation: Citation) -> Section | None:
    """The section a citation points at, or None when the document has no such section."""
    return find_section(citation.doc, citation.section)


# --- clause lookup -------------------------------------------------------------------------------

_PREFIX = r"(?:利用者認証(?:サービス)?)?(?:利用)?(?:規約)?(?:の)?"
_LOOKUPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, str]]], ...] = (
    (re.compile(rf"{_PREFIX}第?(\d+)条(?:第?\d+項)?"), lambda m: ("auth", f"第{int(m[1])}条")),
    (re.compile(rf"{_PREFIX}(?:料金表)?通則(\d+)"), lambda m: ("auth", f"料金表 通則{int(m[1])}")),
    (re.compile(rf"{_PREFIX}別記(\d+)"), lambda m: ("auth", f"別記{int(m[1])}")),
    (re.compile(rf"{_PREFIX}(?:料金表)?第(\d+)表"), lambda m: ("auth", f"料金表 第{int(m[1])}表")),
    (re.compile(rf"{_PREFIX}附則"), lambda m: ("auth", "附則")),
    (re.compile(r"HPKI(\d)"), lambda m: ("hpki", m[1])),
    (re.compile(rf"(?:HPKI)?(\d)[-の]?([{CIRCLED}])"), lambda m: ("hpki", f"{m[1]}-{m[2]}")),
    (re.compile(r"HPKI(\d)[-の]([1-9])"), lambda m: ("hpki", f"{m[1]}-{CIRCLED[int(m[2]) - 1]}")),
    (re.compile(r"OCCTO(\d)"), lambda m: ("occto", m[1])),
    (re.compile(r"(\d+)"), lambda m: ("auth", f"第{int(m[1])}条")),
)


def _lookup_key(query: str) -> str:
    # Keep the circled item markers (NFKC would make ② a plain 2) and fold the rest.
    kept = "".join(ch if ch in CIRCLED else unicodedata.normalize("NFKC", ch) for ch in query)
    text = re.sub(r"\s+", "", kept).upper().strip("「」『』\"'")
    return re.sub(r"(?:を見せて|を表示|の内容|の条文|の全文|は)?[?。!]*$", "", text)


def lookup(query: str) -> Section | None:
    """The section a clause reference names, or None.

    Accepts 「第22条」「22条」「規約22条」「第２２条」「第19条第2項」(→ 第19条)「通則6」「料金表 通則６」「別記3」
    「第1表」「第2表」「附則」, 「HPKI 7」「HPKI 7-②」「7-②」 and 「OCCTO 2」. A bare number means an
    article of the terms (「22」→ 第22条). Anything else (or a section that does not exist) gives None.
    """
    if len(query) > 40:
        return None
    key = _lookup_key(query)
    for pattern, to_id in _LOOKUPS:
        match = pattern.fullmatch(key)
        if match:
            return find_section(*to_id(match))
    return None
