"""The Slack Web API failing while madoguchi answers: 429 with Retry-After, 500/503, a timeout,
Slack unreachable. Retried with backoff where that is safe, never a crash, never a reply twice."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date

import pytest
from slack_fakes.harness import BotServer, SlackClient, block_action, mention
from slack_fakes.web_api import RATE_LIMITED, SERVER_ERROR, FakeSlackApi, Fault

from bot.blocks import SHARE_ACTION, share_value
from bot.retries import BACKOFF_FACTOR

TODAY = date(2026, 11, 22)
QUIET = 0.6  # long enough to see that a retry does NOT come


@pytest.fixture(scope="module")
def api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(api: FakeSlackApi) -> Iterator[BotServer]:
    with BotServer(api, today=TODAY) as running:
        yield running


@pytest.fixture
def slack(server: BotServer, api: FakeSlackApi) -> Iterator[SlackClient]:
    api.clear()
    api.delays.clear()
    api.failures.clear()
    yield SlackClient(server.url)
    server.app.client.timeout = 10
    server.app.client.base_url = api.url


def ask_in_thread(slack: SlackClient, ts: str, text: str = "/quote UT 3") -> None:
    assert slack.event(mention(text, ts=ts)).status == 200  # acked at once, whatever the API does


def still_answers(slack: SlackClient) -> None:
    reply = slack.command("/quote", "UT 2")
    assert reply.status == 200 and reply.json()["blocks"]


def test_rate_limited_post_waits_for_retry_after_then_posts_once(
    slack: SlackClient, api: FakeSlackApi
) -> None:
    api.fail_next("chat.postMessage", RATE_LIMITED)
    ask_in_thread(slack, "1700000600.000001")
    posted = api.wait_for("chat.postMessage", timeout=10)
    time.sleep(QUIET)
    attempts = api.attempts_at("chat.postMessage")
    assert len(attempts) == 2 and len(api.calls_to("chat.postMessage")) == 1
    assert attempts[1].at - attempts[0].at >= RATE_LIMITED.retry_after  # type: ignore[operator]
    assert posted[0].body["thread_ts"] == "1700000600.000001"
    still_answers(slack)


def test_server_errors_are_retried_with_growing_backoff_and_post_once(
    slack: SlackClient, api: FakeSlackApi
) -> None:
    api.fail_next("chat.postMessage", SERVER_ERROR, Fault(status=503))
    ask_in_thread(slack, "1700000600.000002")
    api.wait_for("chat.postMessage", timeout=15)
    time.sleep(QUIET)
    attempts = api.attempts_at("chat.postMessage")
    assert len(attempts) == 3 and len(api.calls_to("chat.postMessage")) == 1
    assert attempts[1].at - attempts[0].at >= BACKOFF_FACTOR
    assert attempts[2].at - attempts[1].at >= 2 * BACKOFF_FACTOR
    still_answers(slack)


def test_a_post_that_times_out_is_not_sent_again(
    slack: SlackClient, server: BotServer, api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack posted the reply but answered after our timeout: a retry would post it twice."""
    caplog.set_level(logging.WARNING, logger="madoguchi")
    server.app.client.timeout = 0.5
    api.fail_next("chat.postMessage", Fault(status=200, stall=1.2, processed=True))
    ask_in_thread(slack, "1700000600.000003")
    api.wait_for("chat.postMessage", timeout=5)
    time.sleep(1.2 + QUIET)
    assert len(api.attempts_at("chat.postMessage")) == 1  # no retry, no apology posted after it
    assert len(api.calls_to("chat.postMessage")) == 1
    timeouts = [r for r in caplog.records if "did not answer in time" in r.getMessage()]
    assert len(timeouts) == 1
    still_answers(slack)


def test_slack_unreachable_is_retried_then_given_up_without_a_crash(
    slack: SlackClient, server: BotServer, api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    caplog.set_level(logging.WARNING, logger="madoguchi")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"
    server.app.client.base_url = dead
    started = time.monotonic()
    ask_in_thread(slack, "1700000600.000004")

    def reported() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "madoguchi.bot" and r.levelno >= logging.ERROR]

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not reported():
        time.sleep(0.05)
    assert len(reported()) == 1 and "event app_mention" in reported()[0].getMessage()  # with an error id
    assert time.monotonic() - started >= BACKOFF_FACTOR + 2 * BACKOFF_FACTOR  # two retries, backing off
    refused = [r for r in caplog.records if r.name == "madoguchi.web" and "Failed to send" in r.getMessage()]
    assert len(refused) >= 3  # the reply: the first attempt and two retries
    server.app.client.base_url = api.url
    still_answers(slack)
    assert api.calls_to("chat.postMessage") == []


def test_response_url_rate_limited_then_server_error_posts_the_shared_reply_once(
    slack: SlackClient, api: FakeSlackApi
) -> None:
    url = api.response_url("share")
    api.fail_next("response_url", RATE_LIMITED, SERVER_ERROR)
    value = share_value("/quote UT 3", TODAY)
    assert value is not None
    assert slack.action(block_action(SHARE_ACTION, value, response_url=url)).status == 200
    api.wait_for("response_url", timeout=15)
    time.sleep(QUIET)
    assert len(api.attempts_at("response_url")) == 3
    shared = api.calls_to("response_url")
    assert len(shared) == 1 and shared[0].body["response_type"] == "in_channel"


def test_startup_survives_a_server_error_from_auth_test(api: FakeSlackApi) -> None:
    api.clear()
    api.fail_next("auth.test", SERVER_ERROR)
    with BotServer(api, today=TODAY) as fresh:
        assert len(api.attempts_at("auth.test")) == 2
        reply = SlackClient(fresh.url).command("/hpki", "病院 399床")
        assert reply.status == 200 and reply.json()["blocks"]
