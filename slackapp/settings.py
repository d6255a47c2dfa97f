"""The one settings object, read from the environment (and ``.env``) and validated at start."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"

# What to tell an operator for each setting, in the words of Slack's app settings pages.
HOW_TO_SET = {
    "slack_signing_secret": (
        "copy it from your Slack app's Basic Information page (App Credentials, Signing Secret)"
    ),
    "slack_bot_token": (
        "copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page"
    ),
    "database_url": (
        "use sqlite:///path/to/file.db or postgresql://user:password@host:5432/dbname"
    ),
    "slack_api_url": "leave it unset for Slack itself, or give an http(s) URL ending in /api/",
    "log_level": "use DEBUG, INFO, WARNING or ERROR",
    "log_format": "use json (one object per line) or text",
    "data_retention_days": "give a number of days (default 30)",
    "metrics_port": "give a port for /metrics (default 9102), or 0 to serve none",
    "slack_app_token": (
        "only for Socket Mode: generate an App-Level Token (xapp-...) with the "
        "connections:write scope on your Slack app's Basic Information page"
    ),
    "slack_client_id": "copy the Client ID from your Slack app's Basic Information page",
    "slack_client_secret": ("copy the Client Secret from your Slack app's Basic Information page"),
    "slack_token_keys": (
        "give one or more Fernet keys, newest first, separated by commas; make one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ),
}


class SettingsError(Exception):
    """Settings that are missing or malformed, one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DatabaseSettings(BaseSettings):
    """What commands that only touch the database need (``db upgrade``)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = "sqlite:///ssi-leaderboard.db"
    log_level: str = "INFO"
    log_format: str = "json"  # one JSON object per line; "text" for people at a terminal

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        # Imported here: every process that starts from the command line imports this
        # module, chart-drawing workers too, which need no database library.
        from sqlalchemy.exc import ArgumentError

        from models.store.db import normalise_url

        try:
            backend = normalise_url(value).get_backend_name()
        except ArgumentError as error:
            raise ValueError(f"{value!r} is not a database URL") from error
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend} is not supported; use SQLite or PostgreSQL")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("json", "text"):
            raise ValueError(f"{value!r} is neither json nor text")
        return value.lower()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError(f"{value!r} is not a log level")
        return value.upper()


class SlackModeSettings(BaseSettings):
    """Which mode the app runs in. One workspace: its bot token. Many workspaces (Slack's
    OAuth flow): the app's client id and secret, and the keys that encrypt the
    installations' tokens at rest. Read on its own too, so that a missing mode is reported
    beside every other problem."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_token_keys: SecretStr | None = None

    @property
    def multi_workspace(self) -> bool:
        return self.slack_client_id is not None

    @property
    def token_keys(self) -> list[str]:
        raw = self.slack_token_keys.get_secret_value() if self.slack_token_keys else ""
        return [key.strip() for key in raw.split(",") if key.strip()]

    def mode_problems(self) -> list[str]:
        """What is missing for the chosen mode, one line per variable."""
        if not self.multi_workspace:
            if self.slack_bot_token is None:
                return [
                    f"SLACK_BOT_TOKEN is not set: {HOW_TO_SET['slack_bot_token']} (or, to "
                    "install the app in many workspaces, set SLACK_CLIENT_ID, "
                    "SLACK_CLIENT_SECRET and SLACK_TOKEN_KEYS instead)."
                ]
            return []
        problems = []
        if self.slack_client_secret is None:
            problems.append(f"SLACK_CLIENT_SECRET is not set: {HOW_TO_SET['slack_client_secret']}.")
        if not self.token_keys:
            problems.append(f"SLACK_TOKEN_KEYS is not set: {HOW_TO_SET['slack_token_keys']}.")
        else:
            from models.store.installations import TokenCipher, TokenKeyError

            try:
                TokenCipher(self.token_keys)
            except TokenKeyError:
                problems.append(
                    f"SLACK_TOKEN_KEYS is malformed (a key is not a Fernet key): "
                    f"{HOW_TO_SET['slack_token_keys']}."
                )
        return problems


class Settings(DatabaseSettings, SlackModeSettings):
    """Configuration of the app. No secret has a working default."""

    slack_signing_secret: SecretStr
    slack_api_url: str = SLACK_API_URL
    # Set: Slack's requests come over Socket Mode's websocket (no public address needed).
    slack_app_token: SecretStr | None = None
    # Days a workspace's data is kept after it removes the app, in case it comes back.
    data_retention_days: int = 30
    # Seconds the Web API client waits for Slack's answer before giving up on it.
    slack_timeout_seconds: int = 10
    # Seconds a claimed weekly post stays with its process before another may take it over.
    post_lease_seconds: int = 300
    # Prometheus' /metrics, on a port of its own (0: off); loopback unless a host is given.
    metrics_port: int = 9102
    metrics_host: str = "127.0.0.1"

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if len(secret) < 16 or any(c.isspace() for c in secret):
            raise ValueError("does not look like a Slack signing secret")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    @field_validator("data_retention_days")
    @classmethod
    def _retention(cls, value: int) -> int:
        if not 1 <= value <= 3650:
            raise ValueError(f"{value} is not between 1 and 3650 days")
        return value

    @field_validator("slack_timeout_seconds", "post_lease_seconds")
    @classmethod
    def _seconds(cls, value: int) -> int:
        if not 1 <= value <= 3600:
            raise ValueError(f"{value} is not between 1 and 3600 seconds")
        return value

    @field_validator("metrics_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError(f"{value} is not a port (0 turns metrics off)")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value if value.endswith("/") else value + "/"


SettingsT = TypeVar("SettingsT", bound=DatabaseSettings)


def load_settings(
    kind: type[SettingsT] = Settings,  # type: ignore[assignment]  # a TypeVar's default
    **overrides: Any,
) -> SettingsT:
    """Read settings, turning pydantic's errors into one clear line per variable."""
    try:
        settings = kind(**overrides)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "settings"
            variable = field.upper()
            hint = HOW_TO_SET.get(field, "")
            if item["type"] == "missing":
                problems.append(f"{variable} is not set: {hint}.")
            else:
                reason = str(item["msg"]).removeprefix("Value error, ")
                problems.append(f"{variable} is malformed ({reason}): {hint}.")
        if issubclass(kind, Settings):
            mode = {k: v for k, v in overrides.items() if k in SlackModeSettings.model_fields}
            problems += SlackModeSettings(**mode).mode_problems()
        raise SettingsError(problems) from None
    if isinstance(settings, Settings) and (problems := settings.mode_problems()):
        raise SettingsError(problems)
    return settings
