"""Socket Mode against a local WebSocket server standing in for Slack: apps.connections.open gives
its ws:// URL; an envelope goes in, its ack comes out, the reply is posted."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qsl

import pytest
from slack_fakes.harness import APP_TOKEN, CHANNEL, USER, SlackClient, mention, settings_for
from slack_fakes.socket_mode import FakeSocketMode
from slack_fakes.web_api import FakeSlackApi

from bot.app import build_app, socket_mode_handler
from bot.blocks import validate

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def slack() -> Iterator[tuple[FakeSlackApi, FakeSocketMode]]:
    with FakeSlackApi() as api, FakeSocketMode() as socket:
        api.socket_url = socket.url
        app = build_app(settings_for(api), mode="socket", today=TODAY)
        handler = socket_mode_handler(app, settings_for(api))
        handler.connect()
        try:
            socket.wait_connected()
            yield api, socket
        finally:
            handler.close()


def test_connects_with_the_app_token_to_the_url_apps_connections_open_gave(
    slack: tuple[FakeSlackApi, FakeSocketMode],
) -> None:
    api, socket = slack
    opened = api.calls_to("apps.connections.open")
    assert opened and opened[0].authorization == f"Bearer {APP_TOKEN}"
    assert socket.paths[0].startswith("/link/")


def test_a_slash_command_envelope_is_acked_with_the_reply(slack: tuple[FakeSlackApi, FakeSocketMode]) -> None:
    _, socket = slack
    payload = dict(parse_qsl(SlackClient.command_body("/quote", "help").decode()))
    started = time.monotonic()
    socket.send(
        {
            "envelope_id": "env-command-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": payload,
        }
    )
    ack = socket.wait_ack("env-command-1")
    assert time.monotonic() - started < 3.0
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/quote の使い方" in ack["payload"]["text"]
    validate(ack["payload"]["blocks"])


def test_an_event_envelope_is_acked_and_the_reply_posted_in_the_thread(
    slack: tuple[FakeSlackApi, FakeSocketMode],
) -> None:
    api, socket = slack
    api.clear()
    body = json.loads(
        SlackClient("http://unused").event_body(
            mention("help", ts="1700001000.000100"), event_id="Ev0SOCKET1"
        )
    )
    envelope = {
        "envelope_id": "env-event-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": body,
    }
    socket.send(envelope)
    ack = socket.wait_ack("env-event-1")
    assert set(ack) == {"envelope_id"}
    post = api.wait_for("chat.postMessage")[0].body
    assert post["channel"] == CHANNEL and post["thread_ts"] == "1700001000.000100"
    assert "madoguchi の使い方" in post["text"]
    # Slack delivers it again: acked, not answered twice.
    socket.send(
        {**envelope, "envelope_id": "env-event-1-retry", "retry_attempt": 1, "retry_reason": "timeout"}
    )
    socket.wait_ack("env-event-1-retry")
    time.sleep(0.4)
    assert len(api.calls_to("chat.postMessage")) == 1


def test_a_button_envelope_is_acked_and_handled(slack: tuple[FakeSlackApi, FakeSocketMode]) -> None:
    from slack_fakes.harness import block_action

    from bot.blocks import FEEDBACK_ACTIONS, feedback_value

    api, socket = slack
    api.clear()
    payload = block_action(
        FEEDBACK_ACTIONS["up"], feedback_value("faq-1", "q"), response_url=api.response_url("sock")
    )
    socket.send(
        {
            "envelope_id": "env-action-1",
            "type": "interactive",
            "accepts_response_payload": False,
            "payload": payload,
        }
    )
    socket.wait_ack("env-action-1")
    assert api.wait_for("response_url")[0].body["response_type"] == "ephemeral"
    assert payload["user"]["id"] == USER
