"""The bot served over real HTTP on 127.0.0.1 (waitress on a free port, in a thread), and a client
that sends requests signed as Slack signs them."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from slack_fakes.signing import signed_headers
from slack_fakes.web_api import BOT_USER_ID, TEAM_ID, FakeSlackApi

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1111111111-2222222222-madoguchiTESTbotTOKEN"
APP_TOKEN = "xapp-1-A0MADOGUCHI-3333333333-madoguchiTESTappTOKEN"
USER = "U0STAFF01"
CHANNEL = "C0SUPPORT1"


def settings_for(api: FakeSlackApi, **extra: Any) -> Any:
    from bot.settings import Settings

    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Response:
    status: int
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


class SlackClient:
    """Sends to the bot what Slack would send, signed with the app's signing secret."""

    def __init__(self, url: str, secret: str = SIGNING_SECRET) -> None:
        self.url = url
        self.secret = secret

    def post(self, body: bytes, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return Response(answer.status, answer.read(), time.perf_counter() - start)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read(), time.perf_counter() - start)

    def send(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = signed_headers(self.secret, body, timestamp=timestamp, content_type=content_type)
        return self.post(body, {**headers, **(extra or {})})

    # --- what Slack sends ---

    @staticmethod
    def command_body(
        command: str,
        text: str,
        *,
        response_url: str = "https://hooks.invalid/commands/1",
        user_id: str = USER,
    ) -> bytes:
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "team_domain": "madoguchi-test",
                "channel_id": CHANNEL,
                "channel_name": "support",
                "user_id": user_id,
                "user_name": "staff",
                "command": command,
                "text": text,
                "api_app_id": "A0MADOGUCHI",
                "is_enterprise_install": "false",
                "response_url": response_url,
                "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            }
        ).encode()

    def command(self, command: str, text: str = "", **kwargs: Any) -> Response:
        return self.send(self.command_body(command, text, **kwargs), "application/x-www-form-urlencoded")

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> bytes:
        body = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0MADOGUCHI",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return json.dumps(body).encode()

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Response:
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.send(self.event_body(event, event_id=event_id), "application/json", extra=extra)

    def action(self, payload: dict[str, Any]) -> Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send(body, "application/x-www-form-urlencoded")


def mention(
    text: str, *, ts: str = "1700000100.000100", channel: str = CHANNEL, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def direct_message(text: str, *, ts: str = "1700000200.000200", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": USER,
        "text": text,
        "ts": ts,
        "channel": "D0DIRECT01",
        "event_ts": ts,
        **extra,
    }


def block_action(
    action_id: str, value: str, *, response_url: str, ephemeral: bool = True, thread_ts: str | None = None
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": "1700000300.000300",
        "channel_id": CHANNEL,
        "is_ephemeral": ephemeral,
    }
    if thread_ts:
        container["thread_ts"] = thread_ts
    return {
        "type": "block_actions",
        "user": {"id": USER, "username": "staff", "team_id": TEAM_ID},
        "api_app_id": "A0MADOGUCHI",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "1234.5678",
        "team": {"id": TEAM_ID, "domain": "madoguchi-test"},
        "channel": {"id": CHANNEL, "name": "support"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "type": "button",
                "value": value,
                "action_ts": "1700000301.1",
            }
        ],
    }


class BotServer:
    """``build_app`` + waitress on 127.0.0.1:<free port>, in a thread."""

    def __init__(self, api: FakeSlackApi, *, today: date, threads: int = 4) -> None:
        from bot.app import build_app, http_server

        self.settings = settings_for(api)
        self.app = build_app(self.settings, mode="http", today=today)
        self.server = http_server(self.app, host="127.0.0.1", port=0, threads=threads)
        self.port = self.server.effective_port  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/slack/events"
        self._thread = threading.Thread(target=self.server.run, name="bot-http", daemon=True)

    def __enter__(self) -> BotServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self._thread.join(timeout=5)


def view_submission(view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """A ``view_submission`` payload for a modal the app opened, with the user's input ``values``."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "madoguchi-test"},
        "user": {"id": USER, "username": "staff", "team_id": TEAM_ID},
        "api_app_id": "A0MADOGUCHI",
        "token": "legacy-verification-token",
        "trigger_id": "1234.9999",
        "view": {**view, "id": "V2", "state": {"values": values}},
    }
