"""The Slack app served over real HTTP on 127.0.0.1, driven by requests signed as Slack signs them,
its Web API calls going to a local fake Slack Web API that records them."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from slack_fakes.harness import (
    BOT_TOKEN,
    CHANNEL,
    SIGNING_SECRET,
    USER,
    BotServer,
    SlackClient,
    block_action,
    direct_message,
    mention,
)
from slack_fakes.signing import sign
from slack_fakes.web_api import BOT_ID, BOT_USER_ID, FakeSlackApi

from bot import strings
from bot.blocks import FEEDBACK_ACTIONS, SHARE_ACTION, feedback_value, parse_value, validate
from madoguchi.understand.interpret import COMMANDS

TODAY = date(2026, 11, 22)
QUIET = 0.4  # how long to wait to be sure that something does NOT happen


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
    api.delays.clear()
    api.failures.clear()
    return SlackClient(server.url)


def texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "text" and isinstance(v, str)] + [
            t for k, v in node.items() if not (k == "text" and isinstance(v, str)) for t in texts(v)
        ]
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- startup ---------------------------------------------------------------------------------------


def test_startup_asked_the_fake_api_who_the_bot_is(server: BotServer, api: FakeSlackApi) -> None:
    assert server.app.client.base_url == api.url
    # token verification: auth.test at startup, with the bot token, against SLACK_API_URL
    startup = [c for c in api.history if c.method == "auth.test"]
    assert startup and startup[0].authorization == f"Bearer {BOT_TOKEN}"
    status, body = get(server.base + "/healthz")
    assert (status, body) == (200, b"ok\n")


def test_other_paths_and_methods(server: BotServer) -> None:
    assert get(server.url)[0] == 405
    assert get(server.base + "/")[0] == 404
    request = urllib.request.Request(server.base + "/healthz", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 405


def test_worker_threads_leave_sending_to_the_io_loop(server: BotServer, slack: SlackClient) -> None:
    # A worker that sends its own response holds the channel lock while the I/O loop spins on it
    # (bot.app.http_server): the whole of our largest replies must fit in the worker's buffer.
    from bot.app import SEND_BYTES

    assert server.server.adj.send_bytes == SEND_BYTES  # type: ignore[union-attr]
    reply = slack.command("/hpki", "期限 2026-01-20")
    assert reply.status == 200 and 4_000 < len(reply.body) < SEND_BYTES


# --- slash commands --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_answers_in_the_ack_ephemerally_with_blocks_and_a_share_button(
    slack: SlackClient, api: FakeSlackApi, command: str
) -> None:
    answer = slack.command(f"/{command}", "help")
    assert answer.status == 200 and answer.elapsed < 2.0
    message = answer.json()
    assert message["response_type"] == "ephemeral"
    assert message["text"] and message["blocks"][0]["type"] == "header"
    validate(message["blocks"])
    if command != "madoguchi":
        assert f"/{command}" in message["blocks"][0]["text"]["text"]  # 「/quote の使い方」
    share = message["blocks"][-1]["elements"][0]
    assert share["action_id"] == SHARE_ACTION
    assert parse_value(share["value"]) == {"q": f"/{command} help", "d": TODAY.isoformat()}
    assert not [c for c in api.calls if c.method != "auth.test"]  # the reply needed no Web API call


@pytest.mark.parametrize("command", COMMANDS)
def test_empty_text_shows_the_usage_with_examples(slack: SlackClient, command: str) -> None:
    message = slack.command(f"/{command}", "").json()
    assert message["response_type"] == "ephemeral"
    assert "例" in message["text"] or command == "madoguchi"
    assert "使い方" in message["blocks"][0]["text"]["text"]


def test_a_calculation_arrives_with_its_figures_and_slack_escaping_undone(slack: SlackClient) -> None:
    # Slack sends "->" as "-&gt;"; the router must see "->".
    message = slack.command("/prorate", "ids=10-&gt;20 on=2025-08-11").json()
    assert message["response_type"] == "ephemeral"
    validate(message["blocks"])
    assert message["blocks"][0]["type"] == "header"
    assert "10個→20個" in message["blocks"][0]["text"]["text"], message["text"]
    fields = [f["text"] for b in message["blocks"] if "fields" in b for f in b["fields"]]
    assert fields and all(f.split("\n")[-1] in message["text"] for f in fields)


def test_bad_input_gets_what_was_wrong_and_an_example_but_no_share_button(slack: SlackClient) -> None:
    message = slack.command("/prorate", "ids=abc").json()
    assert message["response_type"] == "ephemeral" and "例" in message["text"]
    assert message["blocks"][0]["text"]["text"].startswith("⚠️")
    assert not [b for b in message["blocks"] if b["type"] == "actions"]


def test_text_echoed_from_the_user_cannot_mention_or_link(slack: SlackClient) -> None:
    for command, text in [
        ("/quote", "<!channel> 3"),
        ("/faq", "<!here> <@U0ATTACK> <https://evil.example|x>"),
        ("/hpki", "&lt;!channel&gt;"),
    ]:
        message = slack.command(command, text).json()
        for t in texts(message):
            assert "<!" not in t and "<@" not in t and "<http" not in t, t


def test_commands_answer_concurrently_well_within_three_seconds(slack: SlackClient) -> None:
    results: list[Any] = []

    def one(i: int) -> None:
        results.append(slack.command("/prorate", f"ids={i + 1} start=2025-07-20"))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 24
    assert all(r.status == 200 for r in results)
    assert max(r.elapsed for r in results) < 3.0


# --- request verification ------------------------------------------------------------------------


def test_unsigned_badly_signed_and_stale_requests_get_401(slack: SlackClient, api: FakeSlackApi) -> None:
    body = slack.command_body("/quote", "UT 3")
    form = "application/x-www-form-urlencoded"
    now = int(time.time())
    assert slack.post(body, {"Content-Type": form}).status == 401
    bad = {
        "Content-Type": form,
        "X-Slack-Request-Timestamp": str(now),
        "X-Slack-Signature": sign("wrong-secret", now, body),
    }
    assert slack.post(body, bad).status == 401
    tampered = {
        "Content-Type": form,
        "X-Slack-Request-Timestamp": str(now),
        "X-Slack-Signature": sign(SIGNING_SECRET, now, body),
    }
    assert slack.post(body + b"&x=1", tampered).status == 401
    assert slack.send(body, form, timestamp=now - 301).status == 401
    assert slack.send(body, form, timestamp=now + 301).status == 401
    assert slack.send(body, form, timestamp=now - 240).status == 200  # within five minutes
    event = slack.event_body(mention("/quote UT 3"))
    assert slack.post(event, {"Content-Type": "application/json"}).status == 401
    time.sleep(QUIET)
    assert not api.calls_to("chat.postMessage")


def test_url_verification_challenge(slack: SlackClient) -> None:
    body = json.dumps(
        {
            "token": "t",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    answer = slack.send(body, "application/json")
    assert answer.status == 200 and b"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer.body


# --- events ----------------------------------------------------------------------------------------


def test_a_mention_is_acked_at_once_and_answered_in_its_thread(slack: SlackClient, api: FakeSlackApi) -> None:
    answer = slack.event(mention("/madoguchi help", ts="1700000100.000100"))
    assert answer.status == 200 and answer.elapsed < 1.0
    post = api.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == CHANNEL and post.body["thread_ts"] == "1700000100.000100"
    assert post.authorization == f"Bearer {BOT_TOKEN}"
    assert "madoguchi の使い方" in post.body["text"]
    validate(post.body["blocks"])
    assert not [b for b in post.body["blocks"] if b["type"] == "actions"]  # already in the channel: no share


def test_a_mention_inside_a_thread_is_answered_in_that_thread(slack: SlackClient, api: FakeSlackApi) -> None:
    slack.event(mention("help", ts="1700000101.000200", thread_ts="1700000050.000001"))
    assert api.wait_for("chat.postMessage")[0].body["thread_ts"] == "1700000050.000001"


def test_a_direct_message_is_answered_in_its_thread(slack: SlackClient, api: FakeSlackApi) -> None:
    slack.event(direct_message("/prorate ids=15", ts="1700000200.000900"))
    post = api.wait_for("chat.postMessage")[0].body
    assert post["channel"] == "D0DIRECT01" and post["thread_ts"] == "1700000200.000900"


def test_an_event_delivered_again_gets_one_reply(slack: SlackClient, api: FakeSlackApi) -> None:
    event = mention("/madoguchi help", ts="1700000400.000400")
    assert slack.event(event, event_id="Ev0DUPLICATE").status == 200
    assert slack.event(event, event_id="Ev0DUPLICATE", retry=1).status == 200
    assert slack.event(event, event_id="Ev0DUPLICATE", retry=2).status == 200
    api.wait_for("chat.postMessage")
    time.sleep(QUIET)
    assert len(api.calls_to("chat.postMessage")) == 1


def test_a_retry_of_an_event_never_seen_is_handled(slack: SlackClient, api: FakeSlackApi) -> None:
    slack.event(mention("help", ts="1700000401.000401"), event_id="Ev0FIRSTLOST", retry=1)
    assert len(api.wait_for("chat.postMessage")) == 1


def test_the_same_message_as_mention_and_dm_gets_one_reply(slack: SlackClient, api: FakeSlackApi) -> None:
    dm = direct_message(f"<@{BOT_USER_ID}> help", ts="1700000500.000500")
    slack.event(dm)
    slack.event({**dm, "type": "app_mention"})
    api.wait_for("chat.postMessage")
    time.sleep(QUIET)
    assert len(api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "event",
    [
        direct_message("help", bot_id="B0OTHERBOT"),
        direct_message("help", subtype="bot_message", ts="1700000600.000601"),
        direct_message("help", user=BOT_USER_ID, bot_id=BOT_ID, ts="1700000600.000602"),
        direct_message("help", subtype="message_changed", ts="1700000600.000603"),
        mention("help", bot_id="B0OTHERBOT", ts="1700000600.000604"),
    ],
)
def test_messages_from_bots_including_itself_and_edits_are_ignored(
    slack: SlackClient, api: FakeSlackApi, event: dict[str, Any]
) -> None:
    assert slack.event(event).status == 200
    time.sleep(QUIET)
    assert not api.calls_to("chat.postMessage")


def test_a_slow_web_api_never_holds_the_ack(slack: SlackClient, api: FakeSlackApi) -> None:
    api.delays["chat.postMessage"] = 2.0
    answer = slack.event(mention("help", ts="1700000700.000700"))
    assert answer.status == 200 and answer.elapsed < 1.0
    api.wait_for("chat.postMessage", timeout=6)


def test_opening_app_home_publishes_the_home_view(slack: SlackClient, api: FakeSlackApi) -> None:
    slack.event(
        {
            "type": "app_home_opened",
            "user": USER,
            "channel": "D0DIRECT01",
            "tab": "home",
            "event_ts": "1700000800.1",
        }
    )
    call = api.wait_for("views.publish")[0]
    assert call.body["user_id"] == USER and call.body["view"]["type"] == "home"
    validate(call.body["view"]["blocks"], surface="home")
    slack.event(
        {
            "type": "app_home_opened",
            "user": USER,
            "channel": "D0DIRECT01",
            "tab": "messages",
            "event_ts": "1700000801.1",
        }
    )
    time.sleep(QUIET)
    assert len(api.calls_to("views.publish")) == 1


# --- buttons ---------------------------------------------------------------------------------------


def test_share_reposts_the_same_reply_in_the_channel(slack: SlackClient, api: FakeSlackApi) -> None:
    original = slack.command("/prorate", "ids=10-&gt;20 on=2025-08-11").json()
    share = original["blocks"][-1]["elements"][0]
    answer = slack.action(block_action(SHARE_ACTION, share["value"], response_url=api.response_url("share")))
    assert answer.status == 200 and answer.elapsed < 1.0
    posted = api.wait_for("response_url")[0]
    assert posted.path == "/response/share"
    assert posted.body["response_type"] == "in_channel" and posted.body["replace_original"] is False
    assert posted.body["text"] == original["text"]
    assert posted.body["blocks"][:-1] == original["blocks"][:-1]  # the same reply, without the share button
    assert posted.body["blocks"][-1]["elements"][0]["text"] == strings.SHARED_BY.format(user=USER)


def test_feedback_is_recorded_and_thanked_ephemerally(
    slack: SlackClient, api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    votes: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "bot.listeners.actions.feedback.record_feedback", lambda *a, **k: votes.append((*a, k["faq_id"]))
    )
    value = feedback_value("auth-late-interest", "延滞利息の率は？", "a1b2")
    answer = slack.action(block_action(FEEDBACK_ACTIONS["up"], value, response_url=api.response_url("fb")))
    assert answer.status == 200
    posted = api.wait_for("response_url")[0].body
    assert posted == {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": strings.FEEDBACK_THANKS,
    }
    assert votes == [(USER, "a1b2", "up", "auth-late-interest")]


def test_feedback_under_a_thread_reply_is_thanked_with_an_ephemeral_message(
    slack: SlackClient, api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    votes: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "bot.listeners.actions.feedback.record_feedback", lambda *a, **k: votes.append((*a, k["faq_id"]))
    )
    payload = block_action(
        FEEDBACK_ACTIONS["down"],
        feedback_value("hpki-fee", "q", "c3d4"),
        response_url=api.response_url(),
        ephemeral=False,
        thread_ts="1700000100.000100",
    )
    slack.action(payload)
    call = api.wait_for("chat.postEphemeral")[0].body
    assert call["user"] == USER and call["channel"] == CHANNEL and call["thread_ts"] == "1700000100.000100"
    assert call["text"] == strings.FEEDBACK_THANKS
    assert votes == [(USER, "c3d4", "down", "hpki-fee")]


# --- the error boundary ----------------------------------------------------------------------------


@pytest.fixture
def broken_router(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, *, today: date, **_: Any) -> Any:
        raise RuntimeError(f"boom with {BOT_TOKEN} and {SIGNING_SECRET} and xoxp-123-456-789-abcdef")

    monkeypatch.setattr("bot.runtime.answer", boom)


def _error_id(text: str) -> str:
    import re

    match = re.search(r"エラーID:? ?([0-9a-f]{8})", text)
    assert match, text
    return match.group(1)


def test_a_failing_command_gets_an_apology_with_an_error_id_and_the_log_a_clean_traceback(
    slack: SlackClient, broken_router: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    answer = slack.command("/quote", "UT 3")
    assert answer.status == 200
    message = answer.json()
    assert message["response_type"] == "ephemeral" and "申し訳ありません" in message["text"]
    error_id = _error_id(message["text"])
    assert f"error {error_id} in command /quote" in caplog.text
    assert "Traceback" in caplog.text and "RuntimeError: boom" in caplog.text
    for secret in (BOT_TOKEN, SIGNING_SECRET, "xoxp-123-456-789-abcdef"):
        assert secret not in caplog.text


def test_a_failing_mention_gets_an_apology_in_its_thread(
    slack: SlackClient, api: FakeSlackApi, broken_router: None, caplog: pytest.LogCaptureFixture
) -> None:
    assert slack.event(mention("/quote UT 3", ts="1700000900.000900")).status == 200
    post = api.wait_for("chat.postMessage")[0].body
    assert post["thread_ts"] == "1700000900.000900" and "申し訳ありません" in post["text"]
    error_id = _error_id(post["text"])
    assert f"error {error_id} in event app_mention" in caplog.text and "Traceback" in caplog.text
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


def test_a_failing_share_gets_an_ephemeral_apology(
    slack: SlackClient, api: FakeSlackApi, broken_router: None, caplog: pytest.LogCaptureFixture
) -> None:
    slack.action(
        block_action(SHARE_ACTION, json.dumps({"q": "/quote UT 3"}), response_url=api.response_url())
    )
    posted = api.wait_for("response_url")[0].body
    assert posted["response_type"] == "ephemeral" and "申し訳ありません" in posted["text"]
    assert f"error {_error_id(posted['text'])} in action {SHARE_ACTION}" in caplog.text
