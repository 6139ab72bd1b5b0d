"""Block Kit rendering of a Reply: one renderer per result kind, and validation.

Every message carries a plain-text ``text`` fallback (the Reply's text, holding every figure) and
``blocks``. Blocks are built as plain dicts, every text cut to its Slack limit as it is built, and
:func:`render` checks the limits that depend on the reply (the number of blocks, text lengths, the
total size). :func:`validate` goes further and parses every block with slack_sdk's block models; the
tests run it over every kind and arbitrary text. It is not run on every answer: building and
re-validating each block through the models took about 1 ms per reply, more than answering the
question (rendering is now about 0.06 ms; ``bench/http_load.py``). Every string taken from a Reply
or from the user is escaped (``&``, ``<``, ``>``), so no text can become a mention or a link.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from bot import strings
from bot.markup import escape, is_slack_id
from madoguchi.reply import KINDS, Reply

# Limits of Slack that slack_sdk's models do not check (https://api.slack.com/reference/block-kit).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_VALUE = 2000
MAX_BLOCKS_CHARS = 30_000
MAX_TEXT_CHARS = 10_000
"""Serialized blocks plus the ``text`` fallback stay under Slack's 40,000-character message limit."""

SHARE_ACTION = "share_reply"
FEEDBACK_ACTIONS = {"up": "faq_feedback_up", "down": "faq_feedback_down"}
ACTIONS_BLOCK = "reply_actions"
FEEDBACK_BLOCK = "faq_feedback"

Blocks = list[dict[str, Any]]


class BlockLimitError(ValueError):
    """The blocks break a Block Kit limit."""


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a renderer needs besides the Reply."""

    question: str | None = None
    """The user's message as the router read it (for the share and feedback buttons)."""
    today: date | None = None
    """The day the reply was computed for: a shared copy is re-answered for the same day."""
    shareable: bool = False
    """Add 「チャンネルに共有」 (ephemeral replies only)."""
    shared_by: str | None = None
    """User id of who shared this reply to the channel."""


# --- small pieces --------------------------------------------------------------------------------
# Plain dicts in the shape slack_sdk's models serialise to (HeaderBlock, SectionBlock, ContextBlock,
# DividerBlock, ActionsBlock, ButtonElement, MarkdownTextObject).


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _divider() -> dict[str, Any]:
    return {"type": "divider"}


def _button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {"type": "button", "text": _plain(text), "action_id": action_id, "value": value}


def _actions(block_id: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": elements}


def _header(title: str, icon: str = "") -> dict[str, Any]:
    text = f"{icon} {title}" if icon else title
    return {"type": "header", "text": _plain(_cut(escape(text), MAX_HEADER_TEXT))}


def _chunks(lines: Iterable[str], limit: int) -> list[str]:
    """Join escaped lines into texts of at most ``limit`` characters; a longer line is split."""
    out: list[str] = []
    current = ""
    for raw in lines:
        line = escape(raw)
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def _sections(lines: Sequence[str], *, prefix: str = "") -> Blocks:
    shown = [prefix + line for line in lines if line.strip()]
    return [_section(t) for t in _chunks(shown, MAX_SECTION_TEXT)]


def _figures(reply: Reply) -> Blocks:
    fields = [_mrkdwn(_cut(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT)) for f in reply.figures]
    return [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)
    ]


def _context(lines: Sequence[str]) -> Blocks:
    texts = _chunks(lines, MAX_CONTEXT_TEXT)
    return [
        {"type": "context", "elements": [_mrkdwn(t) for t in texts[i : i + MAX_CONTEXT_ELEMENTS]]}
        for i in range(0, len(texts), MAX_CONTEXT_ELEMENTS)
    ]


def _sources(reply: Reply, *, quotes: bool = False) -> Blocks:
    if not reply.sources:
        return []
    lines = []
    for source in reply.sources:
        line = f"📄 {strings.SOURCES}: {source.label}"
        if quotes and source.quote:
            line += f"\n「{source.quote}」"
        lines.append(line)
    return _context(lines)


def _notes(reply: Reply) -> Blocks:
    return _sections(reply.notes, prefix="※ ")


def _error_id(reply: Reply) -> Blocks:
    return _context([strings.ERROR_ID.format(error_id=reply.error_id)]) if reply.error_id else []


def _value(data: dict[str, str]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def share_value(question: str, today: date | None) -> str | None:
    """What the share button carries to re-answer the question; None when it would not fit."""
    data = {"q": question}
    if today is not None:
        data["d"] = today.isoformat()
    value = _value(data)
    return value if len(value) <= MAX_BUTTON_VALUE else None


def feedback_value(faq_id: str, question: str | None, answer_id: str | None = None) -> str:
    """The FAQ id, the answer id (links the vote to the inquiry log) and as much as fits of the
    question, for the 👍/👎 buttons."""
    data = {"f": faq_id, "a": answer_id or "", "q": question or ""}
    while len(_value(data)) > MAX_BUTTON_VALUE:
        data["q"] = data["q"][: len(data["q"]) // 2]
    return _value(data)


FEEDBACK_COMMENT_VIEW = "feedback_comment"
FEEDBACK_COMMENT_BLOCK = "comment"
FEEDBACK_COMMENT_ACTION = "comment_text"


def comment_modal(answer_id: str, faq_id: str, vote: str) -> dict[str, Any]:
    """The optional-comment modal opened after a vote; the vote rides in ``private_metadata``."""
    meta = _value({"a": answer_id, "f": faq_id, "v": vote})
    return {
        "type": "modal",
        "callback_id": FEEDBACK_COMMENT_VIEW,
        "private_metadata": meta[:3000],
        "title": {"type": "plain_text", "text": strings.FEEDBACK_MODAL_TITLE},
        "submit": {"type": "plain_text", "text": strings.FEEDBACK_MODAL_SUBMIT},
        "close": {"type": "plain_text", "text": strings.FEEDBACK_MODAL_CLOSE},
        "blocks": [
            {"type": "context", "elements": [{"type": "plain_text", "text": strings.FEEDBACK_MODAL_HINT}]},
            {
                "type": "input",
                "block_id": FEEDBACK_COMMENT_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": strings.FEEDBACK_MODAL_LABEL},
                "element": {
                    "type": "plain_text_input",
                    "action_id": FEEDBACK_COMMENT_ACTION,
                    "multiline": True,
                    "max_length": 1000,
                },
            },
        ],
    }


def parse_value(value: str | None) -> dict[str, str]:
    """A button value back into its fields ({} when it is not ours)."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


# --- one renderer per kind -----------------------------------------------------------------------


def _calculation(reply: Reply, icon: str) -> Blocks:
    blocks = [_header(reply.title, icon), *_figures(reply)]
    if reply.lines:
        blocks += [_divider(), *_sections(reply.lines)]
    return blocks + _notes(reply) + _sources(reply)


def render_quote(reply: Reply, ctx: Context) -> Blocks:
    """Media quote: unit prices, tax and total as fields; the lines per medium."""
    return _calculation(reply, "🧾")


def render_hpki_fee(reply: Reply, ctx: Context) -> Blocks:
    """HPKI annual fee: the tier and the fee as fields."""
    return _calculation(reply, "🏥")


def render_hpki_deadline(reply: Reply, ctx: Context) -> Blocks:
    """HPKI payment schedule: the deadlines and the suspension date."""
    return _calculation(reply, "📅")


def render_proration(reply: Reply, ctx: Context) -> Blocks:
    """Monthly fee, proration, ID-count changes and installation fees."""
    return _calculation(reply, "🧮")


def render_late_interest(reply: Reply, ctx: Context) -> Blocks:
    """Late-payment interest (第22条)."""
    return _calculation(reply, "⏰")


def render_outage_credit(reply: Reply, ctx: Context) -> Blocks:
    """Outage credit (第19条)."""
    return _calculation(reply, "🔧")


def render_surcharge(reply: Reply, ctx: Context) -> Blocks:
    """Surcharge for an evaded charge (第21条)."""
    return _calculation(reply, "⚖️")


def render_faq(reply: Reply, ctx: Context) -> Blocks:
    """An FAQ answer or a clause: the answer, the quoted passage, and 👍/👎."""
    blocks = [_header(reply.title, "💬"), *_figures(reply), *_sections(reply.lines), *_notes(reply)]
    blocks += _sources(reply, quotes=True)
    if reply.faq_id:
        value = feedback_value(reply.faq_id, ctx.question, reply.answer_id)
        blocks += _context([strings.FEEDBACK_PROMPT])
        buttons = [
            _button(strings.FEEDBACK_UP, FEEDBACK_ACTIONS["up"], value),
            _button(strings.FEEDBACK_DOWN, FEEDBACK_ACTIONS["down"], value),
        ]
        blocks.append(_actions(FEEDBACK_BLOCK, buttons))
    return blocks


def render_help(reply: Reply, ctx: Context) -> Blocks:
    """Usage: one section per command."""
    blocks = [_header(reply.title, "📘")]
    for line in reply.lines:
        blocks += _sections([line])
    return blocks + _notes(reply)


def render_unknown(reply: Reply, ctx: Context) -> Blocks:
    """Not in the documents: say so, whom to ask, and 「もしかして」."""
    blocks = [_header(reply.title, "🔍"), *_sections(reply.lines), *_notes(reply)]
    if reply.suggestions:
        blocks += _sections([strings.SUGGESTIONS, *(f"・{s}" for s in reply.suggestions)])
    return blocks + _sources(reply)


def render_error(reply: Reply, ctx: Context) -> Blocks:
    """Bad input (what was wrong and a correct example) or an apology with the error id."""
    return [_header(reply.title, "⚠️"), *_sections(reply.lines), *_notes(reply), *_error_id(reply)]


RENDERERS: dict[str, Callable[[Reply, Context], Blocks]] = {
    "quote": render_quote,
    "hpki_fee": render_hpki_fee,
    "hpki_deadline": render_hpki_deadline,
    "proration": render_proration,
    "late_interest": render_late_interest,
    "outage_credit": render_outage_credit,
    "surcharge": render_surcharge,
    "faq": render_faq,
    "help": render_help,
    "unknown": render_unknown,
    "error": render_error,
}
assert set(RENDERERS) == set(KINDS), "every Reply kind needs a renderer"


# --- the message ---------------------------------------------------------------------------------


def _trailer(ctx: Context) -> Blocks:
    blocks: Blocks = []
    if ctx.shared_by and is_slack_id(ctx.shared_by):
        blocks.append(
            {"type": "context", "elements": [_mrkdwn(strings.SHARED_BY.format(user=ctx.shared_by))]}
        )
    if ctx.shareable and ctx.question is not None:
        value = share_value(ctx.question, ctx.today)
        if value is not None:
            blocks.append(_actions(ACTIONS_BLOCK, [_button(strings.SHARE_BUTTON, SHARE_ACTION, value)]))
    return blocks


def fallback_text(reply: Reply) -> str:
    """The plain-text ``text`` of the message: the whole reply, escaped."""
    return _cut(escape(reply.text), MAX_TEXT_CHARS)


def _fit(body: Blocks, trailer: Blocks, limit: int) -> tuple[Blocks, int]:
    """Drop trailing body blocks (with a note) until the message fits Slack's limits; the blocks
    and their serialized size."""
    blocks = body + trailer
    if len(blocks) <= limit and (size := _size(blocks)) <= MAX_BLOCKS_CHARS:
        return blocks, size
    note = _context([strings.TRUNCATED])
    kept = list(body)
    while kept and (
        len(kept) + len(note) + len(trailer) > limit or _size(kept + note + trailer) > MAX_BLOCKS_CHARS
    ):
        kept.pop()
    blocks = kept + note + trailer
    return blocks, _size(blocks)


def _size(blocks: Blocks) -> int:
    return len(json.dumps(blocks, ensure_ascii=False))


def render(reply: Reply, ctx: Context | None = None) -> dict[str, Any]:
    """The message for a Reply: ``{"text": fallback, "blocks": [...]}``, within Slack's limits."""
    ctx = ctx or Context()
    body, trailer = RENDERERS[reply.kind](reply, ctx), _trailer(ctx)
    if body and trailer and body[-1]["type"] == trailer[-1]["type"] == "actions":
        # one row of buttons: 👍 👎 and 「チャンネルに共有」 together
        merged = {**body[-1], "elements": [*body[-1]["elements"], *trailer[-1]["elements"]]}
        body, trailer = body[:-1], [*trailer[:-1], merged]
    blocks, size = _fit(body, trailer, MAX_MESSAGE_BLOCKS)
    message = {"text": fallback_text(reply), "blocks": blocks}
    _check_limits(blocks, "message", size)
    return message


def check_limits(blocks: Sequence[dict[str, Any]], *, surface: str = "message") -> None:
    """Raise BlockLimitError unless the limits that depend on the content hold: the number of
    blocks, header, section, field and context text lengths, fields and elements per block, and
    the total size. Cheap enough for every answer (:func:`render` runs it)."""
    _check_limits(blocks, surface, _size(list(blocks)))


def _check_limits(blocks: Sequence[dict[str, Any]], surface: str, size: int) -> None:
    limit = MAX_MESSAGE_BLOCKS if surface == "message" else MAX_VIEW_BLOCKS
    if not blocks:
        raise BlockLimitError("no blocks")
    if len(blocks) > limit:
        raise BlockLimitError(f"{len(blocks)} blocks; a {surface} holds at most {limit}")
    for raw in blocks:
        kind = raw.get("type")
        if kind == "header" and len(raw.get("text", {}).get("text", "")) > MAX_HEADER_TEXT:
            raise BlockLimitError(f"header text over {MAX_HEADER_TEXT} characters")
        if kind == "context":
            if len(raw["elements"]) > MAX_CONTEXT_ELEMENTS:
                raise BlockLimitError("a context block holds at most 10 elements")
            for element in raw["elements"]:
                if len(element.get("text", "")) > MAX_CONTEXT_TEXT:
                    raise BlockLimitError(f"context text over {MAX_CONTEXT_TEXT} characters")
        if kind == "section":
            if len(raw.get("text", {}).get("text", "")) > MAX_SECTION_TEXT:
                raise BlockLimitError(f"section text over {MAX_SECTION_TEXT} characters")
            fields = raw.get("fields") or ()
            if len(fields) > MAX_FIELDS:
                raise BlockLimitError(f"a section holds at most {MAX_FIELDS} fields")
            if any(len(f.get("text", "")) > MAX_FIELD_TEXT for f in fields):
                raise BlockLimitError(f"section field over {MAX_FIELD_TEXT} characters")
    if size > MAX_BLOCKS_CHARS:
        raise BlockLimitError(f"blocks over {MAX_BLOCKS_CHARS} characters in all")


def validate(blocks: Sequence[dict[str, Any]], *, surface: str = "message") -> None:
    """Raise BlockLimitError unless every block parses and validates as a slack_sdk block model
    and the limits the models do not check hold (:func:`check_limits`). The full check, for tests
    and for views; answers get :func:`check_limits` only."""
    check_limits(blocks, surface=surface)
    for raw in blocks:
        model = Block.parse(dict(raw))
        if model is None or model.type != raw.get("type"):
            raise BlockLimitError(f"unknown block type {raw.get('type')!r}")
        try:
            model.validate_json()
        except SlackObjectFormationError as error:
            raise BlockLimitError(f"{raw.get('type')} block: {error}") from None


def apology(error_id: str) -> dict[str, Any]:
    """The short apology with the error id (error boundary), as a message."""
    text = strings.APOLOGY.format(error_id=error_id)
    return {
        "text": escape(text),
        "blocks": [_section(escape(text))],
    }


def notice(text: str) -> dict[str, Any]:
    """A one-line message (e.g. 「フィードバックありがとうございます」)."""
    return {"text": escape(text)}


# --- App Home ------------------------------------------------------------------------------------


def home_view() -> dict[str, Any]:
    """The App Home tab: what madoguchi does, an example of each command, the documents and their dates."""
    from calculators.common import DOCUMENT_TITLES
    from madoguchi.understand.interpret import COMMANDS, EXAMPLES, USAGE

    blocks: Blocks = [
        _header(strings.HOME_TITLE),
        *_sections([strings.HOME_INTRO]),
        _section(strings.HOME_HOW),
        _divider(),
        _section(strings.HOME_COMMANDS),
    ]
    for command in COMMANDS:
        summary = strings.COMMAND_SUMMARIES[command]
        text = f"*/{command}* — {escape(summary)}\n例: `{escape(EXAMPLES[command])}`"
        blocks.append(_section(_cut(text, MAX_SECTION_TEXT)))
        blocks += _context([USAGE[command]])
    lines = []
    for doc, title in DOCUMENT_TITLES.items():
        dated = strings.DOCUMENT_DATES.get(doc)
        line = (
            strings.HOME_DOCUMENT_LINE.format(title=title, date=dated[0])
            if dated
            else strings.HOME_DOCUMENT_UNDATED.format(title=title)
        )
        lines.append(line)
    blocks += [
        _divider(),
        _section(strings.HOME_DOCUMENTS),
    ]
    blocks += _sections(lines)
    blocks += _context([strings.HOME_FOOTER])
    validate(blocks, surface="home")
    return {"type": "home", "blocks": blocks}
