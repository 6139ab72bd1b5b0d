"""Settings of the Slack app, from the environment and ``.env`` (pydantic-settings).

A missing or malformed setting is a :class:`SettingsError` whose message names the variable,
never a traceback.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["socket", "http"]

DEFAULT_API_URL = "https://slack.com/api/"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9-]+$")
_ENV_NAMES = {
    "bot_token": "SLACK_BOT_TOKEN",
    "app_token": "SLACK_APP_TOKEN",
    "signing_secret": "SLACK_SIGNING_SECRET",
    "api_url": "SLACK_API_URL",
    "host": "MADOGUCHI_HOST",
    "port": "MADOGUCHI_PORT",
    "threads": "MADOGUCHI_THREADS",
    "processes": "MADOGUCHI_PROCESSES",
    "workers": "MADOGUCHI_SLACK_WORKERS",
}
REQUIRED: dict[Mode, tuple[str, ...]] = {
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the environment variable."""


def _token(value: SecretStr | None, *, prefix: str) -> SecretStr | None:
    if value is None:
        return None
    raw = value.get_secret_value().strip()
    if not raw:
        return None
    if not raw.startswith(prefix) or not _TOKEN_SHAPE.match(raw):
        raise ValueError(f"must be a Slack token starting with {prefix!r}")
    return SecretStr(raw)


class Settings(BaseSettings):
    """Everything the Slack app reads from its environment. Tokens are ``SecretStr``: never printed."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    """Bot user OAuth token, ``xoxb-…``."""
    app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    """App-level token with ``connections:write``, ``xapp-…`` (Socket Mode only)."""
    signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    """Signing secret of the app (HTTP mode only)."""
    api_url: str = Field(default=DEFAULT_API_URL, validation_alias="SLACK_API_URL")
    """Web API base URL; a test double or a proxy. Always ends with ``/``."""
    host: str = Field(default="127.0.0.1", validation_alias="MADOGUCHI_HOST")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="MADOGUCHI_PORT")
    threads: int = Field(default=4, ge=1, le=256, validation_alias="MADOGUCHI_THREADS")
    """HTTP server threads (requests served at once), per process. 4 gave the lowest p99 under load
    on 2 cores (bench/http_load.py: 2, 4, 8 and 16 tried); more threads only queue for the GIL."""
    processes: int = Field(default=1, ge=1, le=64, validation_alias="MADOGUCHI_PROCESSES")
    """HTTP server processes sharing the port; one per core uses every core (``bot.prefork``)."""
    workers: int = Field(default=4, ge=1, le=64, validation_alias="MADOGUCHI_SLACK_WORKERS")
    """Threads that make Web API calls after an event was acknowledged (bounded)."""

    @field_validator("bot_token", mode="after")
    @classmethod
    def _bot(cls, value: SecretStr | None) -> SecretStr | None:
        return _token(value, prefix="xoxb-")

    @field_validator("app_token", mode="after")
    @classmethod
    def _app(cls, value: SecretStr | None) -> SecretStr | None:
        return _token(value, prefix="xapp-")

    @field_validator("signing_secret", mode="after")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        raw = value.get_secret_value().strip()
        if len(raw) < 8 or any(c.isspace() for c in raw):
            raise ValueError("must be the app's signing secret (at least 8 characters, no spaces)")
        return SecretStr(raw)

    @field_validator("api_url", mode="after")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip() or DEFAULT_API_URL
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    def secrets(self) -> tuple[str, ...]:
        """The secret values, for masking them in logs."""
        found = (self.bot_token, self.app_token, self.signing_secret)
        return tuple(s.get_secret_value() for s in found if s is not None)

    def missing(self, mode: Mode) -> tuple[str, ...]:
        have = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_APP_TOKEN": self.app_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
        }
        return tuple(name for name in REQUIRED[mode] if have[name] is None)

    def require(self, mode: Mode) -> Settings:
        """These settings if ``mode`` can run with them, else a SettingsError naming what to set."""
        missing = self.missing(mode)
        if missing:
            how = "Socket Mode (madoguchi serve)" if mode == "socket" else "HTTP (madoguchi serve --http)"
            raise SettingsError(
                f"{' and '.join(missing)} not set: {how} needs {' and '.join(REQUIRED[mode])}"
            )
        return self

    @property
    def bot(self) -> str:
        assert self.bot_token is not None
        return self.bot_token.get_secret_value()


def load_settings(*, env_file: str | None = ".env", **overrides: object) -> Settings:
    """Read the settings; a missing or malformed one raises SettingsError naming the variable."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            name = _ENV_NAMES.get(field, field)
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise SettingsError("invalid setting " + "; ".join(problems)) from None
