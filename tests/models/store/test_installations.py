"""Installations in the app's database (slack-sdk's store, our migrations): tokens encrypted
at rest, readable with any configured key, rotated to the newest on demand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine, text

from models.store.installations import (
    EncryptedInstallationStore,
    TokenCipher,
    TokenKeyError,
    rotate_tokens,
    state_store,
)

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
BOT_TOKEN = "xoxb-1111-2222-" + "a" * 24
REFRESH = "xoxe-1-" + "r" * 140  # rotation refresh tokens are long


def installation(team: str = "T0ACME", enterprise: str | None = None) -> Installation:
    return Installation(
        app_id="A0SSI",
        enterprise_id=enterprise,
        team_id=team,
        team_name="Acme",
        bot_token=BOT_TOKEN,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=REFRESH,
        bot_token_expires_at=datetime(2026, 11, 22, 12, tzinfo=UTC),
        user_id="UINSTALLER",
        installed_at=datetime(2026, 11, 22, 9, tzinfo=UTC).timestamp(),
    )


def raw_tokens(engine: Engine) -> list[str]:
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT bot_token, bot_refresh_token FROM slack_bots "
                "UNION ALL SELECT bot_token, bot_refresh_token FROM slack_installations"
            )
        ).all()
    return [value for row in rows for value in row if value]


def test_tokens_are_encrypted_at_rest_and_read_back(engine: Engine) -> None:
    store = EncryptedInstallationStore(client_id="C1", engine=engine, cipher=TokenCipher([NEW]))
    store.save(installation())
    stored = raw_tokens(engine)
    assert len(stored) == 4
    assert not any(BOT_TOKEN in value or "xoxe" in value for value in stored)
    bot = store.find_bot(enterprise_id=None, team_id="T0ACME")
    assert bot is not None and bot.bot_token == BOT_TOKEN and bot.bot_refresh_token == REFRESH
    found = store.find_installation(enterprise_id=None, team_id="T0ACME")
    assert found is not None and found.bot_token == BOT_TOKEN
    assert store.find_bot(enterprise_id=None, team_id="T0OTHER") is None


def test_a_key_can_be_rotated(engine: Engine) -> None:
    EncryptedInstallationStore(client_id="C1", engine=engine, cipher=TokenCipher([OLD])).save(
        installation()
    )
    both = TokenCipher([NEW, OLD])
    store = EncryptedInstallationStore(client_id="C1", engine=engine, cipher=both)
    assert store.find_bot(enterprise_id=None, team_id="T0ACME").bot_token == BOT_TOKEN  # type: ignore[union-attr]
    assert rotate_tokens(engine=engine, cipher=both) == 4
    only_new = EncryptedInstallationStore(client_id="C1", engine=engine, cipher=TokenCipher([NEW]))
    assert only_new.find_bot(enterprise_id=None, team_id="T0ACME").bot_token == BOT_TOKEN  # type: ignore[union-attr]
    only_old = EncryptedInstallationStore(client_id="C1", engine=engine, cipher=TokenCipher([OLD]))
    with pytest.raises(ValueError, match="can't be decrypted") as caught:
        only_old.find_bot(enterprise_id=None, team_id="T0ACME")
    assert BOT_TOKEN not in str(caught.value)


def test_enterprise_installs_are_kept_apart(engine: Engine) -> None:
    store = EncryptedInstallationStore(client_id="C1", engine=engine, cipher=TokenCipher([NEW]))
    store.save(installation(team="T0ACME", enterprise="E0GRID"))
    assert store.find_bot(enterprise_id="E0GRID", team_id="T0ACME") is not None
    assert store.find_bot(enterprise_id=None, team_id="T0ACME") is None


@pytest.mark.parametrize("keys", [[], ["not a key"], [OLD, "short"]])
def test_bad_keys_are_refused_with_a_hint(keys: list[str]) -> None:
    with pytest.raises(TokenKeyError, match=r"Fernet|no token encryption key"):
        TokenCipher(keys)


def test_oauth_state_is_kept_in_the_database_and_used_once(engine: Engine) -> None:
    states = state_store(engine)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False


def test_tokens_rotate_command_moves_every_token_to_the_first_key(
    database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slackapp.cli import main

    EncryptedInstallationStore(client_id="111.222", engine=engine, cipher=TokenCipher([OLD])).save(
        installation()
    )
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_TOKEN_KEYS": f"{NEW},{OLD}",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["tokens", "rotate"]) == 0
    only_new = EncryptedInstallationStore(
        client_id="111.222", engine=engine, cipher=TokenCipher([NEW])
    )
    assert only_new.find_bot(enterprise_id=None, team_id="T0ACME").bot_token == BOT_TOKEN  # type: ignore[union-attr]
    monkeypatch.setenv("SLACK_TOKEN_KEYS", Fernet.generate_key().decode())  # lost the keys
    assert main(["tokens", "rotate"]) == 1
