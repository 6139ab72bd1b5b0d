"""👍/👎 end to end: the vote is stored with its answer in the inquiry log, the optional comment
modal replaces it with vote + comment; /madoguchi stats is for admins only."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from slack_fakes.harness import USER, BotServer, SlackClient, block_action, view_submission
from slack_fakes.web_api import FakeSlackApi

from bot import strings
from bot.blocks import FEEDBACK_ACTIONS, FEEDBACK_COMMENT_ACTION, FEEDBACK_COMMENT_BLOCK
from madoguchi import logbook

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(api: FakeSlackApi) -> Iterator[BotServer]:
    with BotServer(api, today=TODAY) as running:
        yield running


@pytest.fixture
def slack(server: BotServer, api: FakeSlackApi) -> SlackClient:
    api.clear()
    return SlackClient(server.url)


def feedback_rows() -> list[tuple[str, int, str | None]]:
    assert logbook.flush(5.0)
    db = Path(__import__("os").environ["MADOGUCHI_DB"])
    with sqlite3.connect(db) as conn:
        return conn.execute("select answer_id, vote, comment from log_feedback").fetchall()


def test_a_vote_and_its_comment_are_stored_with_the_answer(slack: SlackClient, api: FakeSlackApi) -> None:
    reply = slack.command("/faq", "コンビニ払いの手数料は？").json()
    buttons = next(
        b
        for b in reply["blocks"]
        if b["type"] == "actions"
        and any(e.get("action_id") == FEEDBACK_ACTIONS["down"] for e in b["elements"])
    )
    down = next(e for e in buttons["elements"] if e["action_id"] == FEEDBACK_ACTIONS["down"])
    assert (
        slack.action(
            block_action(FEEDBACK_ACTIONS["down"], down["value"], response_url=api.response_url())
        ).status
        == 200
    )
    modal = api.wait_for("views.open")[0].body
    assert modal["trigger_id"] == "1234.5678"
    answer_id = [row for row in feedback_rows() if row[1] < 0][-1][0]
    assert answer_id, "the vote names the answer it rates"

    comment = "手数料の例が欲しい。連絡先 03-1234-5678"
    values = {
        FEEDBACK_COMMENT_BLOCK: {FEEDBACK_COMMENT_ACTION: {"type": "plain_text_input", "value": comment}}
    }
    assert slack.action(view_submission(modal["view"], values)).status == 200
    time.sleep(0.1)
    rows = [row for row in feedback_rows() if row[0] == answer_id]
    assert len(rows) == 1, "the comment replaces the vote, it does not add a second one"
    assert rows[0][1] < 0 and rows[0][2] and "手数料の例" in rows[0][2]
    assert "03-1234-5678" not in rows[0][2], "comments are redacted before they are written"


def test_stats_for_admins_only(slack: SlackClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_ADMINS", "UADMIN0001")
    refused = slack.command("/madoguchi", "stats").json()
    assert refused["text"] == strings.NOT_ADMIN
    allowed = slack.command("/madoguchi", "stats", user_id="UADMIN0001").json()
    assert allowed["text"] != strings.NOT_ADMIN and allowed["text"].strip()
    assert USER not in allowed["text"]
