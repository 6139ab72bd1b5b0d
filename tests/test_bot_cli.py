"""``madoguchi serve`` and a bare ``madoguchi``: clear errors, the console when Slack is not set up,
and the real server process answering on loopback."""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_fakes.harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackClient
from slack_fakes.web_api import FakeSlackApi

import bot.cli
from madoguchi.cli import main

SLACK_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "MADOGUCHI_HOST",
    "MADOGUCHI_PORT",
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A clean environment (no Slack settings, no .env) for subprocesses and in-process runs."""
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return {k: v for k, v in os.environ.items() if k not in SLACK_VARIABLES}


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


def madoguchi(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_bare_madoguchi_without_tokens_says_what_to_set_in_one_line_and_opens_the_console(
    env: dict[str, str],
) -> None:
    done = madoguchi(env=env, stdin="/madoguchi help\n")
    assert done.returncode == 0
    assert done.stderr.strip() == bot.cli.NOT_CONFIGURED
    assert "SLACK_BOT_TOKEN" in done.stderr and "SLACK_APP_TOKEN" in done.stderr
    assert "madoguchi コンソール" in done.stdout and "madoguchi の使い方" in done.stdout


def test_serve_without_tokens_names_the_missing_variables(env: dict[str, str]) -> None:
    done = madoguchi("serve", env=env)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN not set" in done.stderr and "Traceback" not in done.stderr
    done = madoguchi("serve", "--http", env={**env, "SLACK_BOT_TOKEN": BOT_TOKEN})
    assert done.returncode == 2 and "SLACK_SIGNING_SECRET not set" in done.stderr


def test_a_malformed_token_is_named_not_echoed(env: dict[str, str]) -> None:
    done = madoguchi(
        "serve",
        "--http",
        env={**env, "SLACK_BOT_TOKEN": "xapp-not-a-bot-token", "SLACK_SIGNING_SECRET": SIGNING_SECRET},
    )
    assert done.returncode == 2 and "SLACK_BOT_TOKEN" in done.stderr
    assert "xapp-not-a-bot-token" not in done.stderr and "Traceback" not in done.stderr


def test_tokens_slack_refuses_are_a_clear_error(
    env: dict[str, str],
    api: FakeSlackApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.failures["auth.test"] = "invalid_auth"
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", "--http", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "Slack refused the tokens" in err and "SLACK_BOT_TOKEN" in err and BOT_TOKEN not in err


def test_bare_madoguchi_serves_socket_mode_or_http_when_configured(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[str] = []
    monkeypatch.setattr(bot.cli, "_serve", lambda mode, args: chosen.append(mode) or 0)
    args = argparse.Namespace(command=None, today=None)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    assert bot.cli.default_run(args, console=lambda: 99) == 0
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    assert bot.cli.default_run(args, console=lambda: 99) == 0
    assert chosen == ["http", "socket"]


def test_serve_http_runs_a_real_server_on_loopback(env: dict[str, str], api: FakeSlackApi) -> None:
    child_env = {
        **env,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "--today",
            "2026-11-22",
            "serve",
            "--http",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
        ],
        env=child_env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/slack/events", line)
        assert match, line
        base = f"http://127.0.0.1:{match.group(1)}"
        with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
            assert answer.status == 200
        reply = SlackClient(base + "/slack/events").command("/madoguchi", "")
        assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
        assert api.calls_to("auth.test")[0].authorization == f"Bearer {BOT_TOKEN}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0
    rest = process.stderr.read() if process.stderr else ""
    assert BOT_TOKEN not in rest and SIGNING_SECRET not in rest
