"""Settings from the environment and .env: a missing or malformed one is an error naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_API_URL, SettingsError, load_settings

BOT = "xoxb-1111-2222-settingsTESTtoken"
APP = "xapp-1-A1-333-settingsTESTapp"
SECRET = "0123456789abcdef0123456789abcdef"
VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "MADOGUCHI_HOST",
    "MADOGUCHI_PORT",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    monkeypatch.setenv("MADOGUCHI_PORT", "8080")
    settings = load_settings().require("socket")
    assert settings.bot == BOT and settings.port == 8080
    assert settings.api_url == "http://127.0.0.1:9999/api/"  # WebClient needs the trailing slash
    assert settings.secrets() == (BOT, APP)


def test_reads_a_dotenv_file_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN={BOT}\nSLACK_SIGNING_SECRET={SECRET}\nMADOGUCHI_PORT=4000\n"
    )
    monkeypatch.setenv("MADOGUCHI_PORT", "5000")
    settings = load_settings().require("http")
    assert settings.signing_secret is not None and settings.signing_secret.get_secret_value() == SECRET
    assert settings.port == 5000 and settings.api_url == DEFAULT_API_URL


def test_secrets_are_not_in_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    shown = repr(load_settings()) + str(load_settings().model_dump())
    assert BOT not in shown and SECRET not in shown


@pytest.mark.parametrize(
    ("mode", "present", "missing"),
    [
        ("socket", {"SLACK_BOT_TOKEN": BOT}, "SLACK_APP_TOKEN"),
        ("socket", {"SLACK_APP_TOKEN": APP}, "SLACK_BOT_TOKEN"),
        ("http", {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, "SLACK_SIGNING_SECRET"),
        ("http", {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "  "}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, mode: str, present: dict[str, str], missing: str
) -> None:
    for name, value in present.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=missing):
        load_settings().require(mode)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xapp-1-wrong-kind"),
        ("SLACK_BOT_TOKEN", "xoxb-has spaces"),
        ("SLACK_APP_TOKEN", "xoxb-1-wrong-kind"),
        ("SLACK_SIGNING_SECRET", "short"),
        ("SLACK_API_URL", "ftp://example.invalid/api/"),
        ("SLACK_API_URL", "not a url"),
        ("MADOGUCHI_PORT", "eighty"),
        ("MADOGUCHI_PORT", "70000"),
    ],
)
def test_a_malformed_setting_is_named_without_its_value(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert name in str(caught.value)
    if "TOKEN" in name or "SECRET" in name:
        assert value not in str(caught.value)
