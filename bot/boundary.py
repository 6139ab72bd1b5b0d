"""The one error boundary: Bolt's global error handler and a guard for work done after the ack.

Either way the traceback is logged with a short error id and the user gets a short Japanese
apology carrying that id, where the request came from (the slash command's response, the thread of
the message, or ephemerally under the button). Slack always gets a 200, so it does not retry a
request that failed on our side.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot import blocks
from bot.retries import retry_handlers

log = logging.getLogger("madoguchi.bot")

F = TypeVar("F", bound=Callable[..., None])


def new_error_id() -> str:
    return uuid.uuid4().hex[:8]


def describe(body: dict[str, Any]) -> str:
    """Which request failed, without its text: e.g. ``command /quote``, ``event app_mention``."""
    if "command" in body:
        return f"command {body.get('command')}"
    if body.get("type") == "event_callback":
        return f"event {body.get('event', {}).get('type')} {body.get('event_id', '')}".rstrip()
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        return f"action {actions[0].get('action_id')}"
    return f"request {body.get('type')}"


def report(error: BaseException, body: dict[str, Any]) -> str:
    """Log the traceback with a new error id; return the id."""
    error_id = new_error_id()
    log.error("error %s in %s: %s", error_id, describe(body), type(error).__name__, exc_info=error)
    return error_id


def apologize(body: dict[str, Any], client: WebClient | None, error_id: str) -> None:
    """Tell the user, where they asked, that it failed (best effort; a failure here is only logged)."""
    message = blocks.apology(error_id)
    try:
        event = body.get("event") or {}
        if body.get("type") == "event_callback" and event.get("type") in {"app_mention", "message"}:
            if client is not None and event.get("channel"):
                thread = event.get("thread_ts") or event.get("ts")
                client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message)
        elif body.get("response_url"):
            payload = {"response_type": "ephemeral", "replace_original": False, **message}
            WebhookClient(body["response_url"], timeout=10, retry_handlers=retry_handlers()).send_dict(
                payload
            )
    except Exception as error:  # the apology itself failed: the log still has the id
        log.warning("could not deliver the apology for error %s: %s", error_id, type(error).__name__)


class Boundary:
    """Holds the executor on which apologies for failed events are delivered."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def handle(self, error: Exception, body: dict[str, Any], client: WebClient) -> BoltResponse:
        """Bolt's global error handler (listeners and middleware, before the ack was sent)."""
        error_id = report(error, body)
        if "command" in body:  # the apology is the command's response
            payload = {"response_type": "ephemeral", **blocks.apology(error_id)}
            return BoltResponse(
                status=200,
                body=json.dumps(payload, ensure_ascii=False),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        self.executor.submit(apologize, body, client, error_id)
        return BoltResponse(status=200, body="")


def guard(func: F) -> F:
    """Wrap a lazy listener (run after the ack): a failure is logged with an id and apologized for.
    The wrapped function must take ``body`` and ``client``.

    A Slack call that timed out after it was sent is only logged: Slack may have posted the reply
    (it is not retried either, :mod:`bot.retries`), and an apology would contradict it."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> None:
        try:
            func(**kwargs)
        except TimeoutError:
            body = kwargs.get("body") or {}
            log.warning(
                "error %s in %s: Slack did not answer in time; not retried, as the reply may have been posted",
                new_error_id(),
                describe(body),
            )
        except Exception as error:
            body = kwargs.get("body") or {}
            apologize(body, kwargs.get("client"), report(error, body))

    return wrapper  # type: ignore[return-value]
