"""Block Kit rendering: one renderer per kind, limits, escaping, button values, App Home."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import strings
from bot.blocks import (
    FEEDBACK_ACTIONS,
    MAX_BLOCKS_CHARS,
    MAX_BUTTON_VALUE,
    MAX_MESSAGE_BLOCKS,
    RENDERERS,
    SHARE_ACTION,
    BlockLimitError,
    Context,
    feedback_value,
    home_view,
    parse_value,
    render,
    share_value,
    validate,
)
from bot.markup import escape, from_slack, is_slack_id, unescape
from calculators.common import DOCUMENT_FILES, DOCUMENT_TITLES, Citation
from madoguchi.reply import KINDS, Figure, Reply
from madoguchi.understand.interpret import COMMANDS, EXAMPLES

TODAY = date(2026, 11, 22)
CITE = Citation(doc="auth", section="第22条", heading="延滞利息", quote="年14.5%の割合で計算して得た額")
INJECTION = "<!channel> <@U0ATTACK> <https://evil.example|ここをクリック> & <!here>"


def reply(kind: str = "proration", **extra: Any) -> Reply:
    values: dict[str, Any] = {
        "kind": kind,
        "title": "延滞利息",
        "figures": (Figure(label="延滞利息", value="1,191円"), Figure(label="日数", value="30日")),
        "lines": ("100,000円 × 14.5% × 30日 ÷ 365日 = 1,191円",),
        "notes": ("支払期日の翌日から起算しています。",),
        "sources": (CITE,),
    }
    values.update(extra)
    return Reply(**values)


def texts(node: Any) -> list[str]:
    """Every ``text`` string anywhere in a payload."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found += texts(value)
    elif isinstance(node, list):
        for item in node:
            found += texts(item)
    return found


def all_text(message: dict[str, Any]) -> str:
    return "\n".join(texts(message))


# --- one renderer per kind ---------------------------------------------------------------------


def test_every_reply_kind_has_its_own_renderer() -> None:
    assert set(RENDERERS) == set(KINDS)
    assert len({f.__name__ for f in RENDERERS.values()}) == len(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_a_header_and_a_fallback_holding_every_figure(kind: str) -> None:
    r = reply(
        kind, faq_id="auth-late" if kind == "faq" else None, error_id="ab12cd34" if kind == "error" else None
    )
    message = render(r, Context(question="/prorate late amount=100000", today=TODAY))
    blocks = message["blocks"]
    assert blocks[0]["type"] == "header" and "延滞利息" in blocks[0]["text"]["text"]
    for figure in r.figures:
        assert figure.value in message["text"]
        assert figure.value in all_text({"blocks": blocks})
    assert message["text"] == escape(r.text)


def test_calculation_shows_figures_as_fields_breakdown_notes_and_the_source_in_context() -> None:
    blocks = render(reply())["blocks"]
    types = [b["type"] for b in blocks]
    assert types == ["header", "section", "divider", "section", "section", "context"]
    assert [f["text"] for f in blocks[1]["fields"]] == ["*延滞利息*\n1,191円", "*日数*\n30日"]
    assert "※ 支払期日の翌日から起算しています。" in blocks[4]["text"]["text"]
    assert CITE.label in blocks[5]["elements"][0]["text"]


def test_faq_answer_quotes_the_passage_and_has_feedback_buttons_carrying_the_faq_id() -> None:
    answered = reply("faq", faq_id="auth-late").model_copy(update={"answer_id": "e5f6"})
    blocks = render(answered, Context(question="延滞利息の率は？"))["blocks"]
    assert "年14.5%の割合で計算して得た額" in all_text({"blocks": blocks})
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[-1]["elements"]] == [
        FEEDBACK_ACTIONS["up"],
        FEEDBACK_ACTIONS["down"],
    ]
    assert parse_value(actions[-1]["elements"][0]["value"]) == {
        "f": "auth-late",
        "a": "e5f6",
        "q": "延滞利息の率は？",
    }


def test_an_ephemeral_faq_answer_has_one_row_of_buttons() -> None:
    blocks = render(reply("faq", faq_id="auth-late"), Context(question="q", shareable=True))["blocks"]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 1 and blocks[-1] is actions[0]
    assert [e["action_id"] for e in actions[0]["elements"]] == [*FEEDBACK_ACTIONS.values(), SHARE_ACTION]


def test_faq_without_an_id_has_no_feedback_buttons() -> None:
    assert not [b for b in render(reply("faq"))["blocks"] if b["type"] == "actions"]


def test_unknown_lists_the_suggestions_and_error_shows_the_error_id() -> None:
    unknown = render(reply("unknown", suggestions=("延滞利息の計算方法", "支払期限")))
    assert "・延滞利息の計算方法" in all_text(unknown) and strings.SUGGESTIONS in all_text(unknown)
    error = render(reply("error", error_id="ab12cd34"))
    assert error["blocks"][-1]["type"] == "context"
    assert "ab12cd34" in error["blocks"][-1]["elements"][0]["text"]


def test_share_button_only_when_shareable_and_it_carries_question_and_day() -> None:
    assert not [
        b for b in render(reply(), Context(question="/quote UT 3"))["blocks"] if b["type"] == "actions"
    ]
    blocks = render(reply(), Context(question="/quote UT 3", today=TODAY, shareable=True))["blocks"]
    button = blocks[-1]["elements"][0]
    assert button["action_id"] == SHARE_ACTION and button["text"]["text"] == strings.SHARE_BUTTON
    assert parse_value(button["value"]) == {"q": "/quote UT 3", "d": "2026-11-22"}


def test_share_button_is_left_out_when_the_question_does_not_fit_a_button_value() -> None:
    long_question = "あ" * (MAX_BUTTON_VALUE - 10)
    assert share_value(long_question, TODAY) is None
    blocks = render(reply(), Context(question=long_question, today=TODAY, shareable=True))["blocks"]
    assert not [b for b in blocks if b["type"] == "actions"]
    fits = "あ" * (MAX_BUTTON_VALUE - 30)
    assert share_value(fits, TODAY) is not None and len(share_value(fits, TODAY) or "") <= MAX_BUTTON_VALUE


def test_feedback_value_always_fits_and_keeps_the_faq_id() -> None:
    value = feedback_value("hpki-fee-hospital", "質" * 5000)
    assert len(value) <= MAX_BUTTON_VALUE and parse_value(value)["f"] == "hpki-fee-hospital"


def test_shared_reply_names_who_shared_it_and_only_a_real_user_id() -> None:
    shared = render(reply(), Context(shared_by="U0STAFF01"))
    assert "<@U0STAFF01> さんが共有しました" in all_text(shared)
    forged = render(reply(), Context(shared_by="U1> <!channel"))
    assert "<!channel" not in all_text(forged) and "共有しました" not in all_text(forged)


@pytest.mark.parametrize("value", ["", "not json", "[1, 2]", '{"q": 3}'])
def test_parse_value_ignores_values_that_are_not_ours(value: str) -> None:
    assert parse_value(value) == {}


# --- escaping ----------------------------------------------------------------------------------


def test_user_text_cannot_mention_or_link() -> None:
    evil = reply(
        "error",
        title=f"入力を確認してください {INJECTION}",
        lines=(f"「{INJECTION}」が分かりませんでした。",),
        notes=(INJECTION,),
        figures=(Figure(label=INJECTION, value=INJECTION),),
    )
    message = render(evil, Context(question=INJECTION, shareable=True))
    for text in texts(message):
        assert "<!" not in text and "<@" not in text and "<http" not in text
    assert "&lt;!channel&gt;" in message["text"] and "&amp;" in message["text"]


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=300),
    lines=st.lists(st.text(max_size=400), max_size=8),
    figures=st.lists(
        st.tuples(st.text(min_size=1, max_size=50), st.text(min_size=1, max_size=50)), max_size=14
    ),
    kind=st.sampled_from(KINDS),
)
def test_any_reply_renders_valid_blocks_with_no_raw_control_characters(
    title: str, lines: list[str], figures: list[tuple[str, str]], kind: str
) -> None:
    r = reply(
        kind, title=title, lines=tuple(lines), figures=tuple(Figure(label=a, value=b) for a, b in figures)
    )
    message = render(r, Context(question=title, today=TODAY, shareable=True))
    validate(message["blocks"])
    for text in texts(message):
        assert "<" not in text and ">" not in text
        assert unescape(text) == text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_from_slack_reads_wire_text_back_to_plain_text() -> None:
    assert from_slack("ids=10-&gt;20 on=2025-08-11") == "ids=10->20 on=2025-08-11"
    assert from_slack("<@UBOT1> /quote UT 3", drop_user="UBOT1") == "/quote UT 3"
    assert (
        from_slack("<@U2|sato> さんの件 <https://x.example/a|資料> <#C1|support> <!here>")
        == "@sato さんの件 資料 #support @here"
    )
    assert from_slack("AT&amp;T &lt;b&gt;") == "AT&T <b>"


@given(st.text(max_size=200))
def test_escape_round_trips(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape(escaped) == text


def test_slack_ids() -> None:
    assert (
        is_slack_id("U0STAFF01")
        and not is_slack_id("U1> <!channel")
        and not is_slack_id("")
        and not is_slack_id(None)
    )


# --- limits ------------------------------------------------------------------------------------


def test_a_huge_reply_is_cut_to_fit_with_a_note_and_keeps_the_share_button() -> None:
    huge = reply(
        lines=tuple(f"{i}行目 " + "明細" * 1400 for i in range(80)), notes=tuple(f"注{i}" for i in range(60))
    )
    message = render(huge, Context(question="/quote UT 3", shareable=True))
    blocks = message["blocks"]
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    assert len(json.dumps(blocks, ensure_ascii=False)) <= MAX_BLOCKS_CHARS
    assert strings.TRUNCATED in all_text({"blocks": blocks})
    assert blocks[-1]["type"] == "actions"
    for section in (b for b in blocks if b["type"] == "section" and "text" in b):
        assert len(section["text"]["text"]) <= 3000


def test_many_figures_are_split_into_sections_of_ten_fields() -> None:
    blocks = render(reply(figures=tuple(Figure(label=f"項目{i}", value=f"{i}円") for i in range(23))))[
        "blocks"
    ]
    field_counts = [len(b["fields"]) for b in blocks if b["type"] == "section" and "fields" in b]
    assert field_counts == [10, 10, 3]


def test_a_long_title_is_cut_to_the_header_limit() -> None:
    header = render(reply(title="長" * 400))["blocks"][0]
    assert len(header["text"]["text"]) == 150 and header["text"]["text"].endswith("…")


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([], "no blocks"),
        ([{"type": "divider"}] * 51, "51 blocks"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "header"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "section"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}], "context"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "x" * 2001}]}], "context"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 11, "characters"),
        ([{"type": "no_such_block"}], "type"),
    ],
)
def test_validate_rejects_what_slack_would_reject(blocks: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(BlockLimitError, match=problem):
        validate(blocks)


def test_a_home_view_may_hold_up_to_a_hundred_blocks() -> None:
    validate([{"type": "divider"}] * 100, surface="home")
    with pytest.raises(BlockLimitError):
        validate([{"type": "divider"}] * 101, surface="home")


# --- App Home ----------------------------------------------------------------------------------


def test_home_shows_each_command_with_an_example_and_the_documents_with_their_dates() -> None:
    view = home_view()
    assert view["type"] == "home"
    validate(view["blocks"], surface="home")
    text = all_text(view)
    for command in COMMANDS:
        assert f"*/{command}*" in text and escape(EXAMPLES[command]) in text
    for doc, title in DOCUMENT_TITLES.items():
        assert f"{title}（{strings.DOCUMENT_DATES[doc][0]}）" in text


@pytest.mark.parametrize("doc", sorted(DOCUMENT_FILES))
def test_document_dates_are_what_the_documents_say(doc: str) -> None:
    from importlib import resources

    def fold(s: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))

    text = resources.files("faq.docs").joinpath(DOCUMENT_FILES[doc]).read_text(encoding="utf-8")
    label, passage = strings.DOCUMENT_DATES[doc]
    assert fold(passage) in fold(text)
    for number in re.findall(r"\d+", fold(label)):
        assert number in fold(passage)
