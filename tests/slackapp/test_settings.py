"""Settings: validated at start, one clear line per problem, no secret with a default."""

from __future__ import annotations

from pathlib import Path

import pytest

from slackapp.cli import main
from slackapp.settings import DatabaseSettings, Settings, SettingsError, load_settings

GOOD = {"SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef", "SLACK_BOT_TOKEN": "xoxb-1-2-3"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "DATABASE_URL",
        "SLACK_SIGNING_SECRET",
        "SLACK_BOT_TOKEN",
        "SLACK_API_URL",
        "LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_are_sqlite_and_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.database_url == "sqlite:///ssi-leaderboard.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert "0123456789abcdef" not in repr(settings)  # secrets never printed


def test_missing_secrets_are_each_named() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings()
    problems = "\n".join(raised.value.problems)
    assert "SLACK_SIGNING_SECRET is not set" in problems
    assert "SLACK_BOT_TOKEN is not set" in problems


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "SLACK_BOT_TOKEN",
            "xoxp-user-token",
            "SLACK_BOT_TOKEN is malformed (a bot token starts with xoxb-)",
        ),
        ("SLACK_SIGNING_SECRET", "short", "SLACK_SIGNING_SECRET is malformed"),
        (
            "DATABASE_URL",
            "mysql://localhost/x",
            "DATABASE_URL is malformed (mysql is not supported",
        ),
        ("DATABASE_URL", "not a url", "DATABASE_URL is malformed"),
        ("SLACK_API_URL", "ftp://fake", "SLACK_API_URL is malformed"),
        ("LOG_LEVEL", "chatty", "LOG_LEVEL is malformed"),
    ],
)
def test_malformed_values_are_explained(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    for key, good in GOOD.items():
        monkeypatch.setenv(key, good)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert any(message in problem for problem in raised.value.problems)


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SLACK_SIGNING_SECRET=0123456789abcdef0123456789abcdef\nSLACK_BOT_TOKEN=xoxb-9\n"
        "SLACK_API_URL=http://127.0.0.1:9/api\n"
    )
    settings = load_settings(Settings)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-9"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_serve_refuses_to_start_without_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["serve"])
    assert raised.value.code == 2
    assert "SLACK_SIGNING_SECRET is not set" in capsys.readouterr().err


def test_db_upgrade_needs_only_the_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0  # twice is fine
    assert "up to date" in capsys.readouterr().out
    assert isinstance(load_settings(DatabaseSettings), DatabaseSettings)


def test_many_workspaces_need_their_client_and_keys() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            slack_signing_secret="8f742231b10e8888abcd99yyyzzz85a5", slack_client_id="1.2"
        )
    problems = "\n".join(raised.value.problems)
    assert "SLACK_CLIENT_SECRET is not set" in problems
    assert "SLACK_TOKEN_KEYS is not set" in problems
    with pytest.raises(SettingsError) as raised:
        load_settings(
            slack_signing_secret="8f742231b10e8888abcd99yyyzzz85a5",
            slack_client_id="1.2",
            slack_client_secret="s",
            slack_token_keys="not-a-key",
        )
    assert "SLACK_TOKEN_KEYS is malformed" in raised.value.problems[0]
    assert "not-a-key" not in raised.value.problems[0]  # secrets are never echoed
