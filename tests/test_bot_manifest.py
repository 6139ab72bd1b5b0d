"""manifest.yml: valid against Slack's manifest schema, and in step with the listeners."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.listeners import ACTION_MODULES, COMMAND_MODULES, EVENT_MODULES
from bot.manifest import description, usage_hint
from madoguchi.understand.interpret import COMMANDS, USAGE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "schemas" / "slack-app-manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def test_manifest_is_valid_against_slacks_schema(manifest: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
    assert not errors, [e.message for e in errors]


def test_schema_is_shipped_with_its_licence() -> None:
    licence = (SCHEMA.parent / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Slack Technologies" in licence


def test_a_broken_manifest_fails_the_schema(manifest: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {**manifest, "display_information": {"name": "x" * 36}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_every_manifest_command_has_a_listener_and_every_listener_a_manifest_entry(manifest: dict) -> None:
    in_manifest = {c["command"] for c in manifest["features"]["slash_commands"]}
    listened = {m.COMMAND for m in COMMAND_MODULES}
    assert in_manifest == listened == {f"/{c}" for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text_description_and_usage_hint(manifest: dict, command: str) -> None:
    entry = next(c for c in manifest["features"]["slash_commands"] if c["command"] == f"/{command}")
    assert USAGE[command].startswith(f"/{command}")
    assert entry["description"] == description(command)
    assert entry["usage_hint"] == usage_hint(command)
    assert "例" not in entry["usage_hint"] and f"/{command}" not in entry["usage_hint"]


def test_events_match_the_event_listeners(manifest: dict) -> None:
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {m.EVENT for m in EVENT_MODULES}


def test_only_the_scopes_used(manifest: dict) -> None:
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # commands: slash commands; chat:write: thread replies and ephemeral thanks;
    # app_mentions:read and im:history: the two message events. views.publish needs no scope.
    assert scopes == {"commands", "chat:write", "app_mentions:read", "im:history"}
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_interactivity_socket_mode_and_app_home(manifest: dict) -> None:
    assert ACTION_MODULES  # buttons need interactivity
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"]


def test_usage_hint_drops_examples_and_command_names() -> None:
    assert usage_hint("quote") == "媒体コード 数量 [媒体コード 数量 …] [受付締め日]"
    assert usage_hint("prorate").count(" | ") == USAGE["prorate"].count("\n")
